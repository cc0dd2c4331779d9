"""Logos on the printed pack: the MSP's (a workspace setting) and each client's.

Only PNG and JPEG are accepted, recognised by their first bytes rather than a file
name, and at most 2 MB, so a pack never embeds a huge or foreign file. The MSP logo
is kept in the settings table as base64 text under ``msp_logo`` (settings are JSON);
a client's logo lives in ``Client.logo``. Anything refused raises a ValidationError
whose message says what to do, before anything is written.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from vcio_desk.domain.errors import ValidationError, WorkspaceError
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .settings import read_settings

__all__ = [
    "LOGO_MAX_BYTES",
    "MSP_LOGO_SETTING",
    "check_logo",
    "client_logo",
    "decode_msp_logo",
    "load_logo",
    "logo_kind",
    "msp_logo",
    "set_client_logo",
    "set_msp_logo",
]

MSP_LOGO_SETTING = "msp_logo"
LOGO_MAX_BYTES = 2 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
MIN_LOGO_BYTES = 24
"""Shorter than a PNG header with its size: certainly not a picture."""


def logo_kind(data: bytes) -> str | None:
    """``"png"`` or ``"jpeg"`` from the file's first bytes, else None."""
    if data.startswith(PNG_SIGNATURE):
        return "png"
    if data.startswith(JPEG_SIGNATURE):
        return "jpeg"
    return None


def check_logo(data: bytes, what: str = "The logo") -> bytes:
    """``data`` if it can be a pack's logo; a ValidationError saying why not otherwise."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ValidationError(f"{what} must be the bytes of a PNG or JPEG image.")
    data = bytes(data)
    if not data:
        raise ValidationError(f"{what} file is empty; choose a PNG or JPEG image.")
    if len(data) > LOGO_MAX_BYTES:
        raise ValidationError(
            f"{what} is {len(data) / 1024 / 1024:.1f} MB; keep it at most 2 MB "
            "(a logo prints well at a few hundred pixels wide)."
        )
    if logo_kind(data) is None:
        raise ValidationError(
            f"{what} must be a PNG or JPEG image; this file is neither "
            "(save it as PNG or JPEG and try again)."
        )
    if len(data) < MIN_LOGO_BYTES:
        raise ValidationError(f"{what} file is cut short; save the image again and retry.")
    return data


def load_logo(path: Path | str) -> bytes:
    """Read a logo file a person chose and check it (clear errors for every failure)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise ValidationError(f"{path} is a folder; choose a PNG or JPEG image file.") from None
    except OSError as exc:
        raise ValidationError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    return check_logo(data, f"The logo {path.name}")


# -- the MSP's logo ------------------------------------------------------------------------------


def decode_msp_logo(settings: Mapping[str, Any]) -> tuple[bytes | None, str | None]:
    """The MSP logo from already-read settings, and a warning when it cannot be used."""
    value = settings.get(MSP_LOGO_SETTING)
    if value in (None, ""):
        return None, None
    problem = "The MSP logo kept in the settings cannot be read; choose it again in Settings."
    if not isinstance(value, str):
        return None, problem
    try:
        data = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None, problem
    try:
        check_logo(data)
    except ValidationError:
        return None, problem
    return data, None


def msp_logo(store: Store) -> bytes | None:
    """The MSP's logo, or None when none is set (or the stored one is unusable)."""
    data, _warning = decode_msp_logo(read_settings(store))
    return data


def set_msp_logo(store: Store, data: bytes | None) -> None:
    """Store the MSP's logo (checked first), or remove it with None."""
    if data is not None:
        data = check_logo(data, "The MSP logo")
    with _writing(store) as session:
        if data is None:
            session.execute(delete(m.Setting).where(m.Setting.key == MSP_LOGO_SETTING))
        else:
            text = base64.b64encode(data).decode("ascii")
            session.merge(m.Setting(key=MSP_LOGO_SETTING, value=text))


# -- a client's logo -----------------------------------------------------------------------------


def client_logo(store: Store, client_id: int) -> bytes | None:
    with store.session() as session:
        return session.scalar(select(m.Client.logo).where(m.Client.id == client_id))


def set_client_logo(store: Store, client_id: int, data: bytes | None) -> None:
    """Store a client's logo (checked first), or remove it with None."""
    if data is not None:
        data = check_logo(data, "The client's logo")
    with _writing(store) as session:
        client = session.get(m.Client, client_id)
        if client is None:
            raise ValidationError(
                f"Client {client_id} no longer exists in this workspace; reload and try again."
            )
        if client.logo != data:
            client.logo = data


@contextlib.contextmanager
def _writing(store: Store) -> Iterator[Session]:
    """One transaction, with read-only workspaces, busy disks and races said plainly."""
    if store.read_only:
        raise WorkspaceError("The workspace is open read-only; logos cannot be changed.")
    try:
        with store.transaction() as session:
            yield session
    except StaleDataError as exc:
        raise WorkspaceError(
            "The client was changed elsewhere meanwhile; reload it and set the logo again."
        ) from exc
