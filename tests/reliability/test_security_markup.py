"""User text cannot become markup: no links, images or fonts in PDFs, no events in calendars.

reportlab paragraphs read ``<a href>``, ``<img src>`` and ``<font name>``; a calendar
reader reads a line ``BEGIN:VEVENT``. A client name or note holding them must print as
the characters typed. Each document is compared with the same document made from plain
text: the same images, fonts and annotations, and the hostile text shown literally.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from pypdf import PdfReader
from pypdf.generic import IndirectObject
from sqlalchemy import select, update

from vcio_desk.services.adherence_report import adherence_report_data
from vcio_desk.services.calendar_export import export_calendar
from vcio_desk.services.demo import build_demo
from vcio_desk.services.packs import meetings_in_next_days, pack_bytes
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)
NAME = '<a href="https://evil.example/x">Acme</a> <font name="Courier" size="30">Co</font>'
NOTE = (
    '<img src="/etc/passwd" width="200" height="200"/> '
    '<link href="file:///etc/shadow">open</link> '
    '<font name="Times-Bold" color="red">urgent</font> '
    '<a name="anchor"/><para>&amp; &#x41; &lt;b&gt;</para>'
)
INJECTION = "Kickoff\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:Injected\r\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    """A demo workspace, one client with a planned meeting: (file, client id, meeting id)."""
    path = tmp_path_factory.mktemp("security-markup") / "ws.sqlite3"
    with open_store(path) as store:
        build_demo(store, clients=6, years=1, seed=4, as_of=AS_OF)
        for target in meetings_in_next_days(store, AS_OF, 30):
            with store.session() as session:
                client_id = session.get_one(m.Meeting, target.meeting_id).client_id
            if client_id is not None:
                return path, client_id, target.meeting_id
    raise AssertionError("the demo has no planned client meeting")


def _fill(store: Store, client_id: int, meeting_id: int, name: str, note: str) -> None:
    with store.transaction() as session:
        session.execute(update(m.Client).where(m.Client.id == client_id).values(name=name))
        session.execute(
            update(m.Meeting)
            .where(m.Meeting.id == meeting_id)
            .values(client_notes=note, internal_notes=note, location=note)
        )
        session.execute(
            update(m.AgendaItem)
            .where(m.AgendaItem.meeting_id == meeting_id)
            .values(title=name, notes=note, presenter=name)
        )
        session.execute(
            update(m.ActionItem).where(m.ActionItem.client_id == client_id).values(notes=note)
        )
        agenda = session.scalar(
            select(m.AgendaItem.id).where(m.AgendaItem.meeting_id == meeting_id).limit(1)
        )
        if agenda is None:
            session.add(
                m.AgendaItem(meeting_id=meeting_id, position=1, title=name, notes=note, minutes=10)
            )


@pytest.fixture
def workspaces(
    template: tuple[Path, int, int], tmp_path: Path
) -> Iterator[tuple[Store, Store, int, int]]:
    """The same workspace twice: hostile texts, and plain texts of similar length."""
    path, client_id, meeting_id = template
    hostile, plain = tmp_path / "hostile.sqlite3", tmp_path / "plain.sqlite3"
    shutil.copyfile(path, hostile)
    shutil.copyfile(path, plain)
    with open_store(hostile) as bad, open_store(plain) as good:
        _fill(bad, client_id, meeting_id, NAME, NOTE)
        _fill(good, client_id, meeting_id, "Acme Co", "plain words " * 8)
        yield bad, good, client_id, meeting_id


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def inventory(pdf: bytes) -> dict[str, Any]:
    """Images, fonts, annotations and URI actions anywhere in the document."""
    reader = PdfReader(io.BytesIO(pdf))
    images, fonts, annotations, uris = 0, set(), [], []
    seen: set[int] = set()

    def walk(resources: Any) -> None:
        nonlocal images
        resources = _resolve(resources) or {}
        for font in (_resolve(resources.get("/Font")) or {}).values():
            fonts.add(str(_resolve(font).get("/BaseFont")))
        for xobject in (_resolve(resources.get("/XObject")) or {}).values():
            target = _resolve(xobject)
            if id(target) in seen:
                continue
            seen.add(id(target))
            if target.get("/Subtype") == "/Image":
                images += 1
            elif target.get("/Subtype") == "/Form":
                walk(target.get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
        for annotation in _resolve(page.get("/Annots")) or []:
            annotation = _resolve(annotation)
            annotations.append(str(annotation.get("/Subtype")))
            action = _resolve(annotation.get("/A")) or {}
            if "/URI" in action:
                uris.append(str(action["/URI"]))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return {
        "images": images,
        "fonts": fonts,
        "annotations": sorted(annotations),
        "uris": uris,
        "text": "".join(text.split()),
        "pdf": pdf,
    }


def assert_inert(hostile: dict[str, Any], plain: dict[str, Any]) -> None:
    assert hostile["uris"] == [] and b"/URI" not in hostile["pdf"]
    assert hostile["annotations"] == plain["annotations"]
    assert hostile["images"] == plain["images"]
    assert hostile["fonts"] == plain["fonts"]


@pytest.mark.parametrize("edition", ["client", "internal"])
def test_pack_markup_in_names_and_notes_prints_literally(
    workspaces: tuple[Store, Store, int, int], edition: str
) -> None:
    bad, good, _client_id, meeting_id = workspaces
    hostile = inventory(pack_bytes(bad, meeting_id, edition, None, AS_OF, deterministic=True).pdf)
    plain = inventory(pack_bytes(good, meeting_id, edition, None, AS_OF, deterministic=True).pdf)
    assert_inert(hostile, plain)
    assert '<ahref="https://evil.example/x">Acme</a>' in hostile["text"]
    assert '<imgsrc="/etc/passwd"' in hostile["text"]


def test_adherence_report_markup_in_names_prints_literally(
    workspaces: tuple[Store, Store, int, int],
) -> None:
    from vcio_desk.reports.adherence_report import render_adherence_report

    bad, good, _client_id, _meeting_id = workspaces
    hostile = inventory(
        render_adherence_report(adherence_report_data(bad, AS_OF), deterministic=True)
    )
    plain = inventory(
        render_adherence_report(adherence_report_data(good, AS_OF), deterministic=True)
    )
    assert_inert(hostile, plain)
    assert '<ahref="https://evil.example/x">Acme</a>' in hostile["text"]


def test_calendar_text_cannot_add_an_event(
    workspaces: tuple[Store, Store, int, int], tmp_path: Path
) -> None:
    bad, _good, client_id, meeting_id = workspaces
    with bad.transaction() as session:
        session.execute(update(m.Client).where(m.Client.id == client_id).values(name=INJECTION))
        session.execute(
            update(m.Meeting).where(m.Meeting.id == meeting_id).values(location=INJECTION)
        )
        session.execute(
            update(m.AgendaItem)
            .where(m.AgendaItem.meeting_id == meeting_id)
            .values(title=INJECTION)
        )
    target = tmp_path / "client.ics"
    report = export_calendar(
        bad, target, start=AS_OF, end=AS_OF + dt.timedelta(days=60), client_id=client_id
    )
    data = target.read_bytes()
    lines = data.decode("utf-8").split("\r\n")
    assert sum(line == "BEGIN:VEVENT" for line in lines) == report.events
    assert not any(line.startswith(("UID:evil", "SUMMARY:Injected")) for line in lines)
    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == report.events >= 1
    ours = [e for e in events if "BEGIN:VEVENT" in str(e.get("location", ""))]
    assert len(ours) == 1, "the hostile location arrives as text in its own event"
    assert "END:VEVENT" in str(ours[0]["summary"]) and "BEGIN:VEVENT" in str(ours[0]["summary"])
    assert "BEGIN:VEVENT" in str(ours[0]["description"])
    assert "\n" not in str(calendar["x-wr-calname"])
