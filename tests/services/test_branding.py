"""Logos for the pack: checked by signature and size, kept in settings and on the client."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select

from vcio_desk.domain.errors import ValidationError, WorkspaceError
from vcio_desk.services import branding
from vcio_desk.services.settings import read_settings, write_setting
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m


def tiny_png(width: int = 2, height: int = 1) -> bytes:
    """A real, decodable PNG (red pixels), written by hand so the test needs no imaging library."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        branding.PNG_SIGNATURE
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 40


@pytest.fixture
def client_id(workspace: Store) -> int:
    with workspace.transaction() as session:
        client = m.Client(name="Acme Dental")
        session.add(client)
        session.flush()
        return client.id


def test_kinds_are_recognised_by_their_first_bytes() -> None:
    assert branding.logo_kind(tiny_png()) == "png"
    assert branding.logo_kind(JPEG) == "jpeg"
    assert branding.logo_kind(b"GIF89a" + b"\x00" * 40) is None
    assert branding.logo_kind(b"<svg xmlns='http://www.w3.org/2000/svg'/>") is None


def test_msp_logo_round_trip_as_base64_in_settings(workspace: Store) -> None:
    assert branding.msp_logo(workspace) is None
    png = tiny_png()
    branding.set_msp_logo(workspace, png)
    assert branding.msp_logo(workspace) == png
    stored = read_settings(workspace)[branding.MSP_LOGO_SETTING]
    assert isinstance(stored, str) and base64.b64decode(stored) == png
    branding.set_msp_logo(workspace, JPEG)
    assert branding.msp_logo(workspace) == JPEG
    branding.set_msp_logo(workspace, None)
    assert branding.msp_logo(workspace) is None
    assert branding.MSP_LOGO_SETTING not in read_settings(workspace)
    branding.set_msp_logo(workspace, None)  # removing twice is fine


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"GIF89a" + b"\x00" * 100, "PNG or JPEG"),
        (b"%PDF-1.7" + b"\x00" * 100, "PNG or JPEG"),
        (branding.PNG_SIGNATURE + b"\x00", "cut short"),
        (
            branding.PNG_SIGNATURE + b"\x00" * (branding.LOGO_MAX_BYTES),
            "2.0 MB; keep it at most 2 MB",
        ),
    ],
)
def test_refused_logos_say_why_and_change_nothing(
    workspace: Store, client_id: int, data: bytes, words: str
) -> None:
    branding.set_msp_logo(workspace, tiny_png())
    with pytest.raises(ValidationError) as caught:
        branding.set_msp_logo(workspace, data)
    assert words in caught.value.user_message
    assert caught.value.user_message.startswith("The MSP logo")
    assert branding.msp_logo(workspace) == tiny_png()
    with pytest.raises(ValidationError, match=words.split(";")[0]) as caught:
        branding.set_client_logo(workspace, client_id, data)
    assert caught.value.user_message.startswith("The client's logo")
    assert branding.client_logo(workspace, client_id) is None


def test_exactly_two_megabytes_is_accepted(workspace: Store) -> None:
    data = branding.PNG_SIGNATURE + b"\x00" * (branding.LOGO_MAX_BYTES - 8)
    assert len(data) == branding.LOGO_MAX_BYTES
    branding.set_msp_logo(workspace, data)
    assert branding.msp_logo(workspace) == data


def test_client_logo_set_replace_and_remove(workspace: Store, client_id: int) -> None:
    png = tiny_png()
    branding.set_client_logo(workspace, client_id, png)
    assert branding.client_logo(workspace, client_id) == png
    with workspace.session() as session:
        version = session.scalar(select(m.Client.row_version).where(m.Client.id == client_id))
    branding.set_client_logo(workspace, client_id, png)  # unchanged: no new version
    branding.set_client_logo(workspace, client_id, None)
    assert branding.client_logo(workspace, client_id) is None
    with workspace.session() as session:
        after = session.scalar(select(m.Client.row_version).where(m.Client.id == client_id))
    assert after == version + 1


def test_unknown_client_is_a_clear_error(workspace: Store) -> None:
    with pytest.raises(ValidationError, match="Client 999 no longer exists"):
        branding.set_client_logo(workspace, 999, tiny_png())
    assert branding.client_logo(workspace, 999) is None


def test_corrupt_stored_msp_logo_reads_as_none_with_a_warning(workspace: Store) -> None:
    for bad in ("not base64 at all!", 42, base64.b64encode(b"GIF89a" + b"\x00" * 50).decode()):
        write_setting(workspace, branding.MSP_LOGO_SETTING, bad)
        assert branding.msp_logo(workspace) is None
        data, warning = branding.decode_msp_logo(read_settings(workspace))
        assert data is None and warning is not None and "Settings" in warning
    assert branding.decode_msp_logo({}) == (None, None)


def test_load_logo_from_files(tmp_path: Path) -> None:
    good = tmp_path / "logo.png"
    good.write_bytes(tiny_png())
    assert branding.load_logo(good) == tiny_png()
    text = tmp_path / "logo.txt"
    text.write_text("hello, not a picture at all")
    with pytest.raises(ValidationError, match=r"The logo logo\.txt must be a PNG or JPEG"):
        branding.load_logo(text)
    with pytest.raises(ValidationError, match="There is no file"):
        branding.load_logo(tmp_path / "missing.png")
    with pytest.raises(ValidationError, match="is a folder"):
        branding.load_logo(tmp_path)


def test_read_only_workspace_refuses_logo_changes(
    workspace: Store, client_id: int, db_target
) -> None:
    path = db_target("ws")
    workspace.close()
    with open_store(path, read_only=True) as store:
        with pytest.raises(WorkspaceError, match="read-only"):
            branding.set_msp_logo(store, tiny_png())
        with pytest.raises(WorkspaceError, match="read-only"):
            branding.set_client_logo(store, client_id, tiny_png())
        assert branding.msp_logo(store) is None
