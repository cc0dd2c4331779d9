"""The printed adherence report, checked as a real PDF (pypdf, pdfplumber, qpdf).

Data comes from a real demo workspace through the real service; nothing is mocked.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from sqlalchemy import select, update

from vcio_desk.reports.adherence_report import (
    NO_RHYTHMS,
    REPORT_TITLE,
    AdherenceReportData,
    render_adherence_report,
)
from vcio_desk.reports.layout import CONFIDENTIAL
from vcio_desk.reports.theme import FLAG_ORDER, PAGE_MARGIN, PAGE_SIZES
from vcio_desk.services.adherence_report import adherence_report_data
from vcio_desk.services.demo import build_demo
from vcio_desk.services.settings import write_setting
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)
SECTIONS = [
    "Overview",
    "Summary by owner",
    "Summary by tier",
    "Standards committee",
    "Exceptions",
    "Clients",
]


def _demo(path: Path) -> Store:
    store = open_store(path)
    build_demo(store, clients=30, years=2, seed=6, as_of=AS_OF)
    return store


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdherenceReportData]:
    store = _demo(tmp_path_factory.mktemp("report") / "demo.sqlite3")
    try:
        yield adherence_report_data(store, AS_OF)
    finally:
        store.close()


@pytest.fixture(scope="module")
def pdf(data: AdherenceReportData) -> bytes:
    return render_adherence_report(data)


def _pages_text(pdf_bytes: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as document:
        return [page.extract_text() or "" for page in document.pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _column(pdf_bytes: bytes, header: str, next_header: str | None) -> str:
    """The text of one table column on every page that prints it, read top to bottom.

    Wrapped cells interleave with their neighbours in whole-page text; cropping to the
    column keeps each cell's lines together. The column spans from its header's left edge
    to the next header's (or the page's right margin).
    """
    parts: list[str] = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as document:
        for page in document.pages:
            words = page.extract_words(keep_blank_chars=False)
            for word in words:
                if word["text"] != header:
                    continue
                right = page.width
                if next_header is not None:
                    follower = [
                        w
                        for w in words
                        if w["text"] == next_header
                        and abs(w["bottom"] - word["bottom"]) < 1
                        and w["x0"] > word["x0"]
                    ]
                    if not follower:
                        continue
                    right = follower[0]["x0"] - 1
                box = (word["x0"] - 1, word["bottom"] + 0.5, right, page.height - 40)
                parts.append(page.within_bbox(box).extract_text() or "")
                break
    return _flat("\n".join(parts))


def _outline(reader: pypdf.PdfReader) -> list[tuple[str, int, int]]:
    """(title, level, 0-based page) for every bookmark, in order."""
    found: list[tuple[str, int, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((item.title, level, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


# --------------------------------------------------------------------------- content


def test_every_section_is_printed_with_its_content(pdf: bytes, data: AdherenceReportData) -> None:
    text = _flat("\n".join(_pages_text(pdf)))
    assert REPORT_TITLE in text
    for heading in SECTIONS[1:]:
        assert heading in text
    assert f"as of {AS_OF.isoformat()}" in text
    assert f"{data.overall.pct:.1f}%" in text
    assert "Adherence by month" in text and "Month (past slots judged in that month)" in text
    for owner in data.by_owner:
        assert owner.label in text
    for tier in data.by_tier:
        assert tier.label in text
    for line in data.committee:
        assert line.reason in text
    clients = _column(pdf, "Client", "Tier")
    for client in data.clients:
        assert client.name in clients
    assert data.exceptions, "the demo has flagged rhythms"
    reasons = _column(pdf, "Reason", None)
    for item in data.exceptions:
        assert item.reason in reasons


def test_exceptions_are_ranked_with_flag_words(pdf: bytes, data: AdherenceReportData) -> None:
    reasons = _column(pdf, "Reason", None)
    positions = [reasons.index(item.reason) for item in data.exceptions]
    assert positions == sorted(positions)
    # The column runs to the foot of the page, past the table: keep the flag words.
    flags = [word for word in _column(pdf, "Flag", "Subject").split() if word in FLAG_ORDER]
    assert flags == [item.flag for item in data.exceptions]
    assert {"broken", "overdue"} <= set(flags)


def test_several_pages_each_numbered_with_the_same_total(pdf: bytes) -> None:
    pages = _pages_text(pdf)
    total = len(pages)
    assert total > 1
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        assert CONFIDENTIAL in text
        assert "BrightPath IT" in text
    for text in pages[1:]:
        assert REPORT_TITLE in text and f"As of {AS_OF.isoformat()}" in text


def test_metadata(pdf: bytes) -> None:
    meta = pypdf.PdfReader(io.BytesIO(pdf)).metadata
    assert meta.title == f"{REPORT_TITLE} — As of {AS_OF.isoformat()}"
    assert meta.author == "BrightPath IT"
    assert "meeting rhythms" in meta.subject


def test_bookmarks_point_at_their_sections(pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    outline = _outline(reader)
    top = [title for title, level, _page in outline if level == 0]
    assert top == SECTIONS
    pages = _pages_text(pdf)
    for title, _level, page in outline:
        heading = REPORT_TITLE if title == "Overview" else title
        assert heading in _flat(pages[page]), title
    clients_page = next(page for title, _l, page in outline if title == "Clients")
    assert clients_page == max(page for _t, _l, page in outline)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_headings_are_never_left_at_the_foot_of_a_page(
    data: AdherenceReportData, paper: str
) -> None:
    pdf = render_adherence_report(dataclasses.replace(data, paper=paper))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for title, _level, page_index in _outline(reader):
            page = document.pages[page_index]
            heading = REPORT_TITLE if title == "Overview" else title
            lines = page.extract_text_lines()
            top = next(line["bottom"] for line in lines if line["text"].startswith(heading))
            # Body text below the heading (the footer sits in the bottom 20 mm).
            below = [line for line in lines if top + 2 < line["top"] < page.height - 60]
            assert len(below) >= 3, (title, paper)


def test_fonts_are_embedded_dejavu_only(pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    names: set[str] = set()
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            base = str(font["/BaseFont"])
            names.add(re.sub(r"^/[A-Z]{6}\+", "", base))
            descendants = font.get("/DescendantFonts")
            descriptor = (
                descendants[0].get_object()["/FontDescriptor"]
                if descendants
                else font["/FontDescriptor"]
            ).get_object()
            assert "/FontFile2" in descriptor, f"{base} is not embedded"
    assert names and all(name.startswith("DejaVuSans") for name in names), names
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= names


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_all_text_stays_inside_the_margins(data: AdherenceReportData, paper: str) -> None:
    pdf = render_adherence_report(dataclasses.replace(data, paper=paper))
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            left, right = PAGE_MARGIN - 0.5, page.width - PAGE_MARGIN + 0.5
            for char in page.chars:
                assert char["x0"] >= left and char["x1"] <= right, char["text"]
                assert char["top"] >= 0 and char["bottom"] <= page.height


def test_qpdf_finds_no_damage(pdf: bytes, tmp_path: Path) -> None:
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.skip("qpdf is not installed")
    target = tmp_path / "report.pdf"
    target.write_bytes(pdf)
    done = subprocess.run(
        [qpdf, "--check", str(target)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors" in done.stdout


# --------------------------------------------------------------------------- paper, bytes


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_paper_size(data: AdherenceReportData, paper: str) -> None:
    pdf = render_adherence_report(dataclasses.replace(data, paper=paper))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    width, height = PAGE_SIZES[paper]
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx((width, height), abs=0.01)


def test_deterministic_mode_gives_identical_bytes(data: AdherenceReportData) -> None:
    first = render_adherence_report(data, deterministic=True)
    second = render_adherence_report(data, deterministic=True)
    assert first == second
    assert pypdf.PdfReader(io.BytesIO(first)).metadata.title.startswith(REPORT_TITLE)


# --------------------------------------------------------------------------- hostile text

HOSTILE_CLIENTS = [
    "R&D <b>Labs</b>",
    "<font color=red>Red</font> Corp",
    "Łódź Logistics",
    "Αθήνα Shipping",
    "Москва Trading",
    "a <b unclosed & co",
    "<para>Para & <br/> friends</para> with a name long enough to wrap in its column",
]
HOSTILE_OWNER = "Zoë <b>&</b> Łukasz"
HOSTILE_MSP = "Acme & <i>Sons</i>"


@pytest.fixture(scope="module")
def hostile_pdf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[bytes, Store]]:
    store = _demo(tmp_path_factory.mktemp("hostile") / "demo.sqlite3")
    try:
        with store.transaction() as session:
            measured = (
                select(m.Rhythm.client_id)
                .where(m.Rhythm.active, m.Rhythm.client_id.is_not(None))
                .distinct()
                .order_by(m.Rhythm.client_id)
            )
            ids = session.scalars(measured).all()[: len(HOSTILE_CLIENTS)]
            for client_id, name in zip(ids, HOSTILE_CLIENTS, strict=True):
                session.execute(update(m.Client).where(m.Client.id == client_id).values(name=name))
            vcio = session.scalar(select(m.Client.vcio_id).where(m.Client.id == ids[0]))
            session.execute(update(m.Staff).where(m.Staff.id == vcio).values(name=HOSTILE_OWNER))
        write_setting(store, "msp_name", HOSTILE_MSP)
        yield render_adherence_report(adherence_report_data(store, AS_OF)), store
    finally:
        store.close()


def test_hostile_names_print_literally(hostile_pdf: tuple[bytes, Store]) -> None:
    pdf, _store = hostile_pdf
    pages = _pages_text(pdf)
    text = "\n".join(pages)
    clients = _column(pdf, "Client", "Tier")
    for literal in HOSTILE_CLIENTS:
        assert _flat(literal) in clients, literal
    assert "R&D <b>Labs</b>" in text  # on one line in the summary tables too
    assert HOSTILE_OWNER in text
    assert HOSTILE_OWNER in _column(pdf, "vCIO", "manager")
    assert HOSTILE_MSP in text
    assert "&amp;" not in text and "&lt;" not in text and "R&D;" not in text
    for page in pages:
        assert HOSTILE_MSP in page  # footer on every page, header banner on the first


def test_hostile_names_print_in_dejavu_not_boxes(hostile_pdf: tuple[bytes, Store]) -> None:
    pdf, _store = hostile_pdf
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        fonts = {
            char["fontname"].split("+")[-1]
            for page in document.pages
            for char in page.chars
            if char["text"] in "ŁόδΑθήνΜоскваź"
        }
    assert fonts and all(font.startswith("DejaVuSans") for font in fonts)


# --------------------------------------------------------------------------- empty


def test_empty_workspace_prints_a_valid_one_page_report(workspace: Store, tmp_path: Path) -> None:
    write_setting(workspace, "paper_size", "Letter")
    pdf = render_adherence_report(adherence_report_data(workspace, AS_OF))
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = _flat(_pages_text(pdf)[0])
    assert NO_RHYTHMS in text and "Page 1 of 1" in text
    assert float(reader.pages[0].mediabox.width) == pytest.approx(PAGE_SIZES["Letter"][0])
    qpdf = shutil.which("qpdf")
    if qpdf:
        target = tmp_path / "empty.pdf"
        target.write_bytes(pdf)
        assert subprocess.run([qpdf, "--check", str(target)], capture_output=True).returncode == 0
