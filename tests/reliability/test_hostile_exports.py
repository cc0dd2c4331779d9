"""Hostile text through every export: PDF packs and reports, ICS, CSV and workspace JSON.

Hostile text is written straight into a small demo workspace (as a workspace import
could deliver it: no form checks on the way), then each export must finish, produce
a file its own kind of reader accepts, and carry the text back exactly (less NULs,
which the store never keeps, and the normalisation each format documents). A failing
export leaves no file behind, partial or temporary.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import icalendar
import pypdf
import pytest
from hypothesis import given
from hypothesis import strategies as st
from icalendar.parser.property import unescape_backslash
from sqlalchemy import select, update

from vcio_desk.atomic import WriteError, write_atomically
from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.interop.csv_export import (
    FORMULA_STARTS,
    csv_bytes,
    neutralise,
    to_csv,
    unneutralise,
)
from vcio_desk.interop.ics import clean_text
from vcio_desk.interop.standards_io import COLUMNS as LIBRARY_COLUMNS
from vcio_desk.interop.standards_io import parse_library
from vcio_desk.services.adherence_report import write_adherence_report
from vcio_desk.services.calendar_export import export_calendar, workspace_uid
from vcio_desk.services.demo import build_demo
from vcio_desk.services.drift import assess_all
from vcio_desk.services.drift_report import CSV_HEADER, as_csv, csv_rows, ranked
from vcio_desk.services.packs import pack_bytes, write_pack
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.services.standards_import import export_library
from vcio_desk.services.workspace_transfer import (
    export_bytes,
    export_workspace,
    import_workspace,
)
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

from .hostile_text import (
    MARKUP,
    TRIED,
    hostile_line,
    hostile_settings,
    hostile_text,
    integrity_ok,
    long_note,
    no_nul,
    report_tried,
    workspace_copy,
)

pytestmark = pytest.mark.sqlite_only  # copies SQLite workspace files

AS_OF = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
EVERYTHING = {"start": dt.date(2025, 1, 1), "end": dt.date(2028, 1, 1)}
LITERAL_MARKUP = [t for t in MARKUP if not t.startswith(("*", "-", "1."))]
"""Markup that must print as typed (note markup such as ``**bold**`` is formatting)."""
COMPONENTS = {b"VCALENDAR", b"VEVENT", b"VTIMEZONE", b"STANDARD", b"DAYLIGHT"}


@pytest.fixture(scope="module", autouse=True)
def _tried(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    report_tried(request.config, "export: ")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile-demo") / "demo.sqlite3"
    with open_store(path) as store:
        build_demo(store, clients=2, years=1, seed=5, as_of=AS_OF)
        workspace_uid(store)  # stored once, so every copy shares it
    return path


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile-seeded") / "seeded.sqlite3"
    with open_store(path) as store:
        ensure_base_content(store)
    return path


def _inject(store: Store, text: str, name: str, *, agenda: str | None = None) -> dict[str, Any]:
    """Hostile text into the first client, its meetings, agendas, actions and owner."""
    with store.transaction() as session:
        client = session.scalar(select(m.Client.id).order_by(m.Client.id))
        meetings = session.execute(
            select(m.Meeting.id, m.Meeting.owner_id)
            .where(m.Meeting.client_id == client)
            .order_by(m.Meeting.scheduled_start)
        ).all()
        owner = meetings[0].owner_id
        ids = [row.id for row in meetings]
        session.execute(update(m.Client).where(m.Client.id == client).values(name=name, notes=text))
        session.execute(update(m.Staff).where(m.Staff.id == owner).values(name=f"{name} (vCIO)"))
        session.execute(
            update(m.Meeting)
            .where(m.Meeting.id.in_(ids))
            .values(
                location=text,
                client_notes=text,
                internal_notes=text,
                decisions=text,
                cancel_reason=text,
            )
        )
        session.execute(
            update(m.AgendaItem)
            .where(m.AgendaItem.meeting_id.in_(ids))
            .values(title=agenda if agenda is not None else text or "x", notes=text)
        )
        session.execute(
            update(m.ActionItem).where(m.ActionItem.client_id == client).values(title=text or "x")
        )
        session.merge(m.Setting(key="msp_name", value=name))
        kinds = select(m.Meeting.meeting_type_id).where(m.Meeting.id.in_(ids)).distinct()
        session.execute(
            update(m.MeetingType)
            .where(m.MeetingType.id.in_(kinds))
            .values(name=m.MeetingType.name + f" {text}")
        )
    return {"client": client, "meetings": ids, "owner": owner}


def _upcoming(store: Store, meetings: list[int]) -> int:
    with store.session() as session:
        return (
            session.scalar(
                select(m.Meeting.id)
                .where(m.Meeting.id.in_(meetings), m.Meeting.scheduled_start > NOW)
                .order_by(m.Meeting.scheduled_start)
            )
            or meetings[-1]
        )


def squash(text: str) -> str:
    return "".join(text.split())


def _pdf_text(pdf: bytes) -> str:
    """Opens with pypdf (a second, independent reader), with its metadata, page by page."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    meta = reader.metadata
    for value in (meta.title, meta.author) if meta else ():
        assert value is None or value.isprintable()
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _qpdf_ok(pdf: bytes) -> None:
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "check.pdf"
        target.write_bytes(pdf)
        done = subprocess.run(
            [qpdf, "--check", str(target)], capture_output=True, text=True, check=False
        )
    assert done.returncode == 0, done.stdout + done.stderr


# -- PDF -----------------------------------------------------------------------------------


@hostile_settings(16)
@given(
    text=hostile_text(),
    name=hostile_line(),
    markup=st.sampled_from(LITERAL_MARKUP),
    edition=st.sampled_from(("client", "internal")),
)
def test_pack_pdf_prints_hostile_text(
    demo: Path, text: str, name: str, markup: str, edition: str
) -> None:
    TRIED["export: meeting pack PDF"] += 1
    with workspace_copy(demo) as store:
        made = _inject(store, text, name, agenda=f"{markup} agenda")
        result = pack_bytes(
            store, _upcoming(store, made["meetings"]), edition, None, AS_OF, deterministic=True
        )
    assert result.pdf.startswith(b"%PDF-") and result.pages >= 1
    extracted = _pdf_text(result.pdf)
    assert squash(f"{markup} agenda") in squash(extracted)
    _qpdf_ok(result.pdf)


@hostile_settings(10)
@given(name=hostile_line(), markup=st.sampled_from(LITERAL_MARKUP), text=hostile_text())
def test_adherence_report_pdf_with_hostile_names(
    demo: Path, name: str, markup: str, text: str
) -> None:
    TRIED["export: adherence report PDF"] += 1
    with workspace_copy(demo) as store, tempfile.TemporaryDirectory() as folder:
        _inject(store, text, f"{markup} {name}")
        path = write_adherence_report(store, Path(folder) / "adherence.pdf", AS_OF)
        pdf = path.read_bytes()
        assert os.listdir(folder) == ["adherence.pdf"]
    # The client's vCIO is named "<markup> <name> (vCIO)": the owner table prints it as typed.
    assert squash(markup) in squash(_pdf_text(pdf))
    _qpdf_ok(pdf)


@hostile_settings(3)
@given(note=long_note())
def test_pack_with_a_100000_character_note(demo: Path, note: str) -> None:
    TRIED["export: meeting pack PDF (100,000-character notes)"] += 1
    with workspace_copy(demo) as store:
        meeting = _upcoming(store, _inject(store, "short", "Long notes client")["meetings"])
        with store.transaction() as session:
            session.execute(
                update(m.Meeting).where(m.Meeting.id == meeting).values(client_notes=note)
            )
        started = time.perf_counter()
        result = pack_bytes(store, meeting, "internal", None, AS_OF, deterministic=True)
        seconds = time.perf_counter() - started
    print(f"100,000-character notes ({note[:12]!r}…): {result.pages} pages in {seconds:.1f} s")
    assert result.pages > 1
    _pdf_text(result.pdf)
    _qpdf_ok(result.pdf)


# -- ICS -----------------------------------------------------------------------------------


@hostile_settings(40)
@given(text=hostile_text(), name=hostile_line(), agenda=hostile_line())
def test_calendar_export_round_trips_hostile_text(
    demo: Path, text: str, name: str, agenda: str
) -> None:
    TRIED["export: ICS calendar"] += 1
    with workspace_copy(demo) as store, tempfile.TemporaryDirectory() as folder:
        made = _inject(store, text, name, agenda=agenda)
        path = Path(folder) / "plan.ics"
        report = export_calendar(store, path, client_id=made["client"], **EVERYTHING)
        data = path.read_bytes()
        uid = workspace_uid(store)
        with store.session() as session:
            types = dict(
                session.execute(
                    select(m.Meeting.id, m.MeetingType.name)
                    .join(m.MeetingType, m.MeetingType.id == m.Meeting.meeting_type_id)
                    .where(m.Meeting.id.in_(made["meetings"]))
                )
                .tuples()
                .all()
            )
            with_agenda = set(
                session.scalars(
                    select(m.AgendaItem.meeting_id).where(
                        m.AgendaItem.meeting_id.in_(made["meetings"])
                    )
                )
            )
    # Structure: content lines only, CRLF-terminated, folded at 75 octets, no injected parts.
    lines = data.split(b"\r\n")
    assert lines[-1] == b""
    for line in lines[:-1]:
        assert b"\r" not in line and b"\n" not in line
        assert len(line) <= 75
        if line.startswith((b"BEGIN:", b"END:")):
            assert line.split(b":", 1)[1] in COMPONENTS, line
    calendar = icalendar.Calendar.from_ical(data)
    events = calendar.walk("VEVENT")
    assert len(events) == report.events == data.count(b"\r\nBEGIN:VEVENT\r\n") > 0
    by_uid = {str(event["UID"]): event for event in events}
    assert len(by_uid) == len(events)
    assert set(by_uid) <= {f"meeting-{mid}@{uid}" for mid in made["meetings"]}
    subject = no_nul(name)
    for mid in made["meetings"]:
        event = by_uid.get(f"meeting-{mid}@{uid}")
        if event is None:
            continue
        kind = types[mid]
        summary = kind if subject.casefold() == kind.casefold() else f"{subject} — {kind}"
        assert str(event["SUMMARY"]) == clean_text(summary)
        assert str(event.get("LOCATION", "")) == clean_text(no_nul(text))
        if mid in with_agenda:
            assert clean_text(f"- {no_nul(agenda)}") in str(event["DESCRIPTION"])
    expected_name = " ".join(
        clean_text(f"vcio_desk — {subject} — 2025-01-01 to 2027-12-31").split()
    )
    assert unescape_backslash(str(calendar["X-WR-CALNAME"])) == expected_name


# -- CSV -----------------------------------------------------------------------------------


def _cells_back(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                float(cell)  # only plain numbers may start like a formula
    return rows


@hostile_settings(30)
@given(text=hostile_text(), name=hostile_line())
def test_drift_and_rhythm_csv_neutralise_and_round_trip(demo: Path, text: str, name: str) -> None:
    TRIED["export: drift / rhythms CSV"] += 1
    with workspace_copy(demo) as store:
        _inject(store, text, name)
        items = ranked(assess_all(store, AS_OF).rhythms)
    expected = csv_rows(items)
    # drift --csv writes as_csv; the rhythms page saves csv_bytes (with a BOM).
    for data in (as_csv(items), csv_bytes(CSV_HEADER, expected).decode("utf-8")):
        rows = _cells_back(data.removeprefix("\ufeff"))
        assert rows[0] == list(CSV_HEADER)
        assert len(rows) == len(expected) + 1
        for row, values in zip(rows[1:], expected, strict=True):
            assert [unneutralise(c) for c in row] == ["" if v is None else str(v) for v in values]
        assert any(unneutralise(row[0]) == no_nul(name) for row in rows[1:])


@hostile_settings(60)
@given(cells=st.lists(hostile_text(), min_size=1, max_size=6))
def test_csv_cells_round_trip_through_neutralising(cells: list[str]) -> None:
    TRIED["export: CSV cells (interop.csv_export)"] += 1
    data = csv_bytes(["a", "=b"], [cells, cells[::-1]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = _cells_back(data.decode("utf-8-sig"))
    assert rows == [["a", "'=b"], [*map(neutralise, cells)], [*map(neutralise, cells[::-1])]]
    assert [unneutralise(c) for c in rows[1]] == cells
    assert to_csv(["a", "=b"], [cells, cells[::-1]]) == data.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", ["csv", "json"])
@hostile_settings(20)
@given(
    texts=st.tuples(
        hostile_line(), hostile_text(), hostile_text(), hostile_line(3), hostile_line(3)
    ),
)
def test_standards_export_round_trips_hostile_text(
    demo: Path, texts: tuple[str, ...], fmt: str
) -> None:
    TRIED[f"export: standards library {fmt.upper()}"] += 1
    question, why, how, section, category = texts
    with workspace_copy(demo) as store:
        with store.transaction() as session:
            standard = session.scalar(select(m.Standard).order_by(m.Standard.id))
            standard.question, standard.why_it_matters, standard.how_to_align = question, why, how
            code = standard.code
            category_row = session.get(m.StandardCategory, standard.category_id)
            category_row.name = category
            session.execute(
                update(m.StandardSection)
                .where(m.StandardSection.id == category_row.section_id)
                .values(name=section)
            )
        data = export_library(store, fmt)  # type: ignore[arg-type]
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        rows = _cells_back(text)
        column = [key for key, _label in LIBRARY_COLUMNS].index("question")
        found = [row for row in rows[1:] if row[0] == code]
        assert [unneutralise(found[0][column])] == [no_nul(question)]
    else:
        json.loads(data)
    parsed = parse_library(data)
    record = next((r for r in parsed.records if r.code == code), None)
    if record is None:  # refused on the way back in: only for text the import cannot take
        problem = next(p for p in parsed.problems if p.code == code)
        assert problem.message
        return
    assert record.question == no_nul(question).strip()
    assert (record.why_it_matters or "") == no_nul(why).strip()
    assert (record.how_to_align or "") == no_nul(how).strip()
    assert record.category == " ".join(no_nul(category).split())
    assert record.section == " ".join(no_nul(section).split())


# -- workspace JSON ------------------------------------------------------------------------


@hostile_settings(15)
@given(text=hostile_text(), name=hostile_line())
def test_workspace_json_export_round_trips_through_import(
    demo: Path, seeded: Path, text: str, name: str
) -> None:
    TRIED["export: workspace JSON"] += 1
    with workspace_copy(demo) as store, tempfile.TemporaryDirectory() as folder:
        _inject(store, text, name)
        path = Path(folder) / "workspace.json"
        export_workspace(store, path, now=NOW)
        first = json.loads(path.read_bytes())
        with workspace_copy(seeded) as target:
            import_workspace(target, path, now=NOW)
            again, _counts = export_bytes(target, now=NOW)
            assert integrity_ok(target)
    assert json.loads(again) == first
    assert any(row["name"] == no_nul(name) for row in first["tables"]["clients"])
    assert any(row["notes"] == no_nul(text) for row in first["tables"]["clients"])


# -- failing exports leave nothing behind --------------------------------------------------


def _exporters(store: Store, meeting: int) -> dict[str, Any]:
    return {
        "pack": lambda path: write_pack(
            store, meeting, "client", None, AS_OF, path, deterministic=True
        ),
        "calendar": lambda path: export_calendar(store, path, **EVERYTHING),
        "workspace": lambda path: export_workspace(store, path, now=NOW),
        "adherence": lambda path: write_adherence_report(store, path, AS_OF),
        "csv": lambda path: write_atomically(path, csv_bytes(["a"], [["=1+1"]])),
    }


BAD_TARGETS = ("nul in the name", "name too long", "parent is a file", "missing folder",
               "folder in the way")  # fmt: skip
EXPORTERS = ("pack", "calendar", "workspace", "adherence", "csv")


def _bad_target(folder: Path, why: str) -> Path:
    (folder / "a-file").write_bytes(b"in the way")
    (folder / "a-folder.pdf").mkdir()
    return {
        "nul in the name": folder / "bad\x00name.pdf",
        "name too long": folder / ("n" * 300 + ".pdf"),
        "parent is a file": folder / "a-file" / "out.pdf",
        "missing folder": folder / "missing" / "out.pdf",
        "folder in the way": folder / "a-folder.pdf",
    }[why]


def _failing_cases() -> list[Any]:
    cases = []
    for exporter in EXPORTERS:
        for why in BAD_TARGETS:
            if exporter == "pack" and why == "folder in the way":
                continue  # a folder given to write_pack receives the pack under its own name
            cases.append(pytest.param(exporter, why, id=f"{exporter}-{why}"))
    return cases


@pytest.mark.parametrize(("exporter", "why"), _failing_cases())
def test_failing_exports_raise_a_write_error_and_leave_nothing(
    demo: Path, exporter: str, why: str
) -> None:
    with workspace_copy(demo) as store, tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        run = _exporters(store, _upcoming(store, _inject(store, "x", "Client")["meetings"]))
        target = _bad_target(folder, why)
        before = sorted(os.listdir(folder))
        with pytest.raises(WriteError) as caught:
            run[exporter](target)
        assert isinstance(caught.value, VcioDeskError) and caught.value.user_message
        assert "\x00" not in caught.value.user_message
        assert sorted(os.listdir(folder)) == before
        assert (folder / "a-file").read_bytes() == b"in the way"
        assert not os.listdir(folder / "a-folder.pdf")


@pytest.mark.parametrize("exporter", EXPORTERS)
def test_an_export_failing_mid_write_keeps_the_old_file(
    demo: Path, exporter: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with workspace_copy(demo) as store, tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        run = _exporters(store, _upcoming(store, _inject(store, "x", "Client")["meetings"]))
        target = folder / "export.out"
        target.write_bytes(b"the previous export")
        monkeypatch.setattr(os, "fsync", disk_full)
        with pytest.raises(WriteError, match="disk is full"):
            run[exporter](target)
        monkeypatch.undo()
        assert os.listdir(folder) == ["export.out"]
        assert target.read_bytes() == b"the previous export"


def test_long_notes_are_laid_out_in_bounded_pieces() -> None:
    """What keeps a note of many short lines linear: pieces of a bounded number of lines."""
    from vcio_desk.reports.pack_base import CHUNK_LINES, chunks

    text = "a\n" * 5000
    pieces = chunks(text)
    assert "".join(pieces).split() == text.split()
    assert all(piece.count("\n") <= CHUNK_LINES for piece in pieces)
    assert len(pieces) >= 5000 // CHUNK_LINES
