"""Export file names made from client and meeting names stay inside the chosen folder.

Names such as ``../../etc/passwd``, ``CON`` or 300 characters become safe file names
(pathvalidate); every file lands directly in the folder the person chose, and nothing
outside it is created or changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pathvalidate import is_valid_filename
from sqlalchemy import update

from vcio_desk.__main__ import main
from vcio_desk.atomic import safe_file_name
from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.services.demo import build_demo
from vcio_desk.services.packs import meetings_in_next_days, pack_file_name, write_pack, write_packs
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)
E2E_NAMES = (
    "../../etc/passwd",
    "..\\..\\win.ini",
    "a/b\\c",
    "CON",
    ".hidden",
    "x" * 300,
    ':*?"<>|',
)
"""Client names in the end-to-end runs (each pack takes a while to render)."""
HOSTILE_NAMES = (
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "a/b\\c",
    "CON",
    "nul.txt",
    ".hidden",
    "name\x00x",
    "x" * 300,
    "é" * 200,
    ':*?"<>|',
    "/",
    "..",
    " . ",
    "trailing dot.",
)


def assert_safe_name(name: str) -> None:
    assert name == os.path.basename(name) and "/" not in name and "\\" not in name
    assert "\x00" not in name and not name.startswith(".")
    assert len(name.encode("utf-8")) <= 255
    assert is_valid_filename(name, platform="universal"), repr(name)


def outside_snapshot(root: Path, inside: Path) -> dict[str, str]:
    """Every file under ``root`` but outside ``inside``, with a hash of its content."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
        and inside not in p.parents
        and not p.name.startswith("ws.sqlite3")
        and p.relative_to(root).parts[0] != "home"  # the isolated user folders (the log)
    }


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_pack_and_calendar_names_from_hostile_text(name: str) -> None:
    start = dt.datetime(2026, 12, 1, 14, tzinfo=dt.UTC)
    for file_name in (
        pack_file_name(start, name, name, "client"),
        pack_file_name(start, "Acme", name, "internal"),
        safe_file_name(f"vcio_desk {name} 2027", ".ics"),
        safe_file_name(name, ".csv"),
    ):
        assert_safe_name(file_name)
    assert pack_file_name(start, name, "Review", "client").startswith("2026-12-01 ")
    assert pack_file_name(start, name, "Review", "client").endswith(" (client).pdf")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workspace whose clients with meetings soon carry the hostile names."""
    path = tmp_path_factory.mktemp("security-names") / "ws.sqlite3"
    with open_store(path) as store:
        build_demo(store, clients=24, years=1, seed=2, as_of=AS_OF)
        soon = [_client_of(store, t.meeting_id) for t in meetings_in_next_days(store, AS_OF, 30)]
        client_ids = list(dict.fromkeys(c for c in soon if c is not None))
        assert len(client_ids) >= len(E2E_NAMES), "the demo has too few booked clients"
        renamed = dict(zip(client_ids, E2E_NAMES, strict=False))
        with store.transaction() as session:
            for client_id, name in renamed.items():
                session.execute(update(m.Client).where(m.Client.id == client_id).values(name=name))
            # One planned meeting per renamed client keeps the batch short.
            kept: set[int] = set()
            for target in meetings_in_next_days(store, AS_OF, 30):
                owner = session.get_one(m.Meeting, target.meeting_id).client_id
                if owner in renamed and owner not in kept:
                    kept.add(owner)
                    continue
                session.execute(
                    update(m.Meeting)
                    .where(m.Meeting.id == target.meeting_id)
                    .values(status=MeetingStatus.CANCELLED)
                )
    return path


def _client_of(store: Store, meeting_id: int) -> int | None:
    with store.session() as session:
        return session.get_one(m.Meeting, meeting_id).client_id


@pytest.fixture
def demo(template: Path, tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "ws.sqlite3"
    path.write_bytes(template.read_bytes())
    yield path


def test_the_batch_writes_every_pack_inside_the_folder(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "chosen" / "packs"
    before = outside_snapshot(tmp_path, out)
    with open_store(demo, read_only=True) as store:
        report = write_packs(store, AS_OF, 30, out)
    assert not report.failed
    names = [p.name for p in report.written]
    assert len(names) == len(E2E_NAMES)
    assert len({n.casefold() for n in names}) == len(names), "no pack overwrote another"
    for path in report.written:
        assert path.parent == out
        assert_safe_name(path.name)
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    assert outside_snapshot(tmp_path, out) == before


def test_one_pack_written_into_a_folder(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "chosen"
    out.mkdir()
    before = outside_snapshot(tmp_path, out)
    with open_store(demo, read_only=True) as store:
        for target in meetings_in_next_days(store, AS_OF, 30):
            if target.subject in ("../../etc/passwd", "a/b\\c", "CON"):
                result = write_pack(store, target.meeting_id, "client", None, AS_OF, out)
                assert result.path is not None and result.path.parent == out
                assert_safe_name(result.path.name)
    assert len(list(out.iterdir())) >= 3
    assert outside_snapshot(tmp_path, out) == before


def test_the_command_line_pack_and_packs(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cli"
    out.mkdir()
    before = outside_snapshot(tmp_path, out)
    db = ["--db", str(demo)]
    for name in ("../../etc/passwd",):
        assert main([*db, "pack", "--client", name, "--as-of", "2026-11-20", "-o", f"{out}/"]) == 0
    assert main([*db, "packs", "--days", "30", "--as-of", "2026-11-20", "--out-dir", str(out)]) == 0
    capsys.readouterr()
    for path in out.iterdir():
        assert path.is_file()
        assert_safe_name(path.name)
    assert outside_snapshot(tmp_path, out) == before


def test_a_link_planted_under_a_packs_name_is_not_followed(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "shared"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    with open_store(demo, read_only=True) as store:
        first = meetings_in_next_days(store, AS_OF, 30)[0]
        (out / first.file_name).symlink_to(victim)
        write_packs(store, AS_OF, (first.start.date() - AS_OF).days + 1, out)
    assert victim.read_bytes() == b"precious"


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_the_calendar_dialog_suggests_a_safe_name_in_the_folder(
    qtbot, demo: Path, tmp_path: Path
) -> None:
    from vcio_desk.ui.dialogs.calendar_export_dialog import CalendarExportDialog, last_folder

    subjects = [("client", n, name) for n, name in enumerate(HOSTILE_NAMES, start=1)]
    with open_store(demo, read_only=True) as store:
        dialog = CalendarExportDialog(store, 2027, [(1, "../owner")], subjects)
        qtbot.addWidget(dialog)
        folder = last_folder()
        dialog.subject_radio.setChecked(True)
        for index in range(dialog.subject_combo.count()):
            dialog.subject_combo.setCurrentIndex(index)
            suggested = Path(dialog.path_edit.text())
            assert suggested.parent == folder
            assert_safe_name(suggested.name)
            assert suggested.suffix == ".ics"
        dialog.owner_radio.setChecked(True)
        assert Path(dialog.path_edit.text()).parent == folder
        dialog.close()
