"""The meeting pack, checked as real PDFs (pypdf, pdfplumber, qpdf).

Packs are built by hand (``pack_fixtures``); the renderer is the real one. Text is
compared after collapsing white space, since long lines wrap wherever the paper says.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from vcio_desk.domain.errors import ValidationError
from vcio_desk.reports.document import BOTTOM_MARGIN
from vcio_desk.reports.pack import (
    CONTENTS_TITLE,
    INTERNAL_BRIEFING,
    RenderedPack,
    render_pack,
)
from vcio_desk.reports.pack_base import SECTION_TITLES
from vcio_desk.reports.pack_data import DEFAULT_SECTIONS, Edition, PackData, PackSection
from vcio_desk.reports.theme import PAGE_MARGIN, PAGE_SIZES

from .pack_fixtures import (
    CLIENT_NOTE_MARKER,
    INTERNAL_MARKERS,
    INTERNAL_NOTE,
    TALKING_POINT,
    empty_pack,
    rich_pack,
)

EDITIONS = (Edition.CLIENT, Edition.INTERNAL)
PAPERS = ("A4", "Letter")


@cache
def _rich(edition: Edition, paper: str) -> RenderedPack:
    return render_pack(rich_pack(), edition, paper, deterministic=True)


@cache
def _texts(edition: Edition, paper: str) -> tuple[str, ...]:
    return tuple(pages_text(_rich(edition, paper).pdf))


def pages_text(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() or "" for page in document.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def outline(pdf: bytes) -> list[tuple[str, int, int]]:
    """(title, level, 0-based page) of every bookmark, in order."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found: list[tuple[str, int, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((item.title, level, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def titles(sections: tuple[PackSection, ...]) -> list[str]:
    return [SECTION_TITLES[section] for section in sections]


# --------------------------------------------------------------------------- editions


@pytest.mark.parametrize("paper", PAPERS)
def test_client_edition_leaves_out_everything_internal(paper: str) -> None:
    text = flat(" ".join(_texts(Edition.CLIENT, paper)))
    for marker in INTERNAL_MARKERS:
        assert marker not in text
    assert "INTERNAL" not in text.replace("INTERNAL EDITION", "")
    assert "Talking points" not in text and "Internal notes" not in text
    assert "Rhythm flag" not in text and "drifting" not in text
    assert CLIENT_NOTE_MARKER in text  # the client's own notes are there


@pytest.mark.parametrize("paper", PAPERS)
def test_internal_edition_adds_notes_points_standards_and_flags(paper: str) -> None:
    text = flat(" ".join(_texts(Edition.INTERNAL, paper)))
    for marker in INTERNAL_MARKERS:
        assert marker in text, marker
    assert flat(INTERNAL_NOTE) in text  # markup in a note prints literally
    assert flat(TALKING_POINT) in text
    assert "drifting" in text and "INTERNAL ONLY" in text
    assert CLIENT_NOTE_MARKER in text


def test_every_page_of_the_internal_edition_says_so() -> None:
    for text in _texts(Edition.INTERNAL, "A4"):
        assert "INTERNAL EDITION" in text


def test_internal_only_standard_is_not_counted_in_the_client_edition() -> None:
    data = rich_pack()
    visible = sum(
        1 for f in data.findings if f.section == "Identity and access" and not f.internal_only
    )
    client = flat(" ".join(_texts(Edition.CLIENT, "A4")))
    internal = flat(" ".join(_texts(Edition.INTERNAL, "A4")))
    assert f"Identity and access · {visible} findings" in client
    assert f"Identity and access · {visible + 1} findings" in internal


# --------------------------------------------------------------------------- pages


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("paper", PAPERS)
def test_page_count_and_numbers(edition: Edition, paper: str) -> None:
    rendered = _rich(edition, paper)
    reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
    assert len(reader.pages) == rendered.pages
    assert 8 <= rendered.pages <= 16  # a typical pack, about ten pages
    for number, text in enumerate(_texts(edition, paper), start=1):
        assert f"Page {number} of {rendered.pages}" in text


@pytest.mark.parametrize("paper", PAPERS)
def test_paper_size(paper: str) -> None:
    reader = pypdf.PdfReader(io.BytesIO(_rich(Edition.CLIENT, paper).pdf))
    width, height = PAGE_SIZES[paper]
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx((width, height), abs=0.5)


def band_text(page: pdfplumber.page.Page, top: float, bottom: float) -> str:
    """The words of a horizontal band of the page, left to right."""
    words = [w for w in page.extract_words() if top <= w["top"] and w["bottom"] <= bottom]
    return " ".join(w["text"] for w in sorted(words, key=lambda w: w["x0"]))


def test_header_and_footer() -> None:
    data = rich_pack()
    rendered = _rich(Edition.CLIENT, "A4")
    with pdfplumber.open(io.BytesIO(rendered.pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            footer = band_text(page, page.height - BOTTOM_MARGIN, page.height)
            assert footer == (
                f"{data.msp_name} {data.confidentiality} Page {number} of {rendered.pages}"
            )
            header = band_text(page, 0, 22 * 2.835)
            if number == 1:
                assert header == f"{data.msp_name} CLIENT EDITION"
            else:  # the running header: client · meeting · date
                assert header == f"{data.client_name} {data.meeting_type} 24 Nov 2026 10:00"


@pytest.mark.parametrize("edition", EDITIONS)
def test_bookmarks_for_every_section_in_order(edition: Edition) -> None:
    pdf = _rich(edition, "A4").pdf
    marks = outline(pdf)
    top = [title for title, level, _page in marks if level == 0]
    assert top == titles(DEFAULT_SECTIONS)
    texts = _texts(edition, "A4")
    for title, _level, page in marks:
        if title == "Cover":
            assert rich_pack().client_name in flat(texts[page])
        else:
            assert title in flat(texts[page]), (title, page)
    findings = [t for t, level, _p in marks if level == 1]
    assert {"Security", "Backup and recovery", "From earlier meetings"} <= set(findings)


def test_sections_follow_the_meeting_types_order() -> None:
    chosen = (
        PackSection.COVER,
        PackSection.FINDINGS,
        PackSection.AGENDA,
        PackSection.BUDGET,
        PackSection.SIGNOFF,
    )
    rendered = render_pack(rich_pack(sections=chosen), Edition.CLIENT, "A4")
    top = [title for title, level, _p in outline(rendered.pdf) if level == 0]
    assert top == titles(chosen)
    text = flat(" ".join(pages_text(rendered.pdf)))
    for left_out in ("Executive summary", "Last twelve months", "Notes and decisions"):
        assert left_out not in text


def test_internal_briefing_when_no_section_carries_internal_notes() -> None:
    chosen = (PackSection.COVER, PackSection.AGENDA)
    internal = render_pack(rich_pack(sections=chosen), Edition.INTERNAL, "A4")
    top = [title for title, level, _p in outline(internal.pdf) if level == 0]
    assert top == [*titles(chosen), INTERNAL_BRIEFING]
    text = flat(" ".join(pages_text(internal.pdf)))
    assert "QZX-talking-point" in text and "QZX-internal-note" in text
    client = render_pack(rich_pack(sections=chosen), Edition.CLIENT, "A4")
    assert INTERNAL_BRIEFING not in flat(" ".join(pages_text(client.pdf)))


def test_contents_page_only_when_longer_than_six_pages() -> None:
    seen = set()
    for count in range(1, len(DEFAULT_SECTIONS) + 1):
        sections = DEFAULT_SECTIONS[:count]
        rendered = render_pack(rich_pack(sections=sections), Edition.CLIENT, "A4")
        reader = pypdf.PdfReader(io.BytesIO(rendered.pdf))
        texts = [page.extract_text() for page in reader.pages[:2]]
        has_contents = CONTENTS_TITLE in texts[-1].splitlines()
        assert has_contents == (rendered.pages > 6), (count, rendered.pages)
        assert rendered.pages != 7  # a seventh page would have brought a contents page
        seen.add(has_contents)
        if has_contents:  # each section, then its page number
            lines = texts[1].splitlines()
            for title, level, page in outline(rendered.pdf):
                if level == 0 and title != "Cover":
                    assert lines[lines.index(title) + 1] == str(page + 1), title
    assert seen == {True, False}


def test_empty_sections_say_so() -> None:
    rendered = render_pack(empty_pack(), Edition.INTERNAL, "A4")
    text = flat(" ".join(pages_text(rendered.pdf)))
    for message in (
        "No agenda yet.",
        "No alignment review yet.",
        "No actions from earlier meetings or this one.",
        "No roadmap items yet.",
        "No costs planned yet.",
        "No improvement items yet.",
        "No meeting rhythm is set up yet.",
        "No notes yet.",
        "No decisions recorded yet.",
        "No internal notes.",
        "No talking points for this meeting.",
        "No attendees recorded yet",
        "No open actions.",
    ):
        assert message in text, message
    top = [title for title, level, _p in outline(rendered.pdf) if level == 0]
    assert top == titles(DEFAULT_SECTIONS)  # nothing vanishes
    assert rendered.pages <= 6 and CONTENTS_TITLE not in text
    assert "Logo not available" in text
    assert any("logo" in warning for warning in rendered.warnings)


# --------------------------------------------------------------------------- content


def test_money_has_the_symbol_and_two_decimals() -> None:
    text = flat(" ".join(_texts(Edition.CLIENT, "A4")))
    assert "18,500.00 zł" in text and "58,000.00 zł" in text  # Q2 one-time, the total
    euro = render_pack(
        rich_pack(currency_symbol="€", sections=(PackSection.BUDGET,)), "client", "A4"
    )
    assert "€18,500.00" in flat(" ".join(pages_text(euro.pdf)))


def test_notes_markup_is_rendered_and_escaped() -> None:
    pdf = _rich(Edition.CLIENT, "A4").pdf
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        words = [w for page in document.pages for w in page.extract_words(extra_attrs=["fontname"])]
    bold = {w["text"] for w in words if "Bold" in w["fontname"]}
    italic = {w["text"] for w in words if "Oblique" in w["fontname"]}
    assert "Backups" in bold and "overdue" in italic
    text = flat(" ".join(_texts(Edition.CLIENT, "A4")))
    assert "• Firewall replacement agreed for FY2027 Q2" in text
    assert "1. Dana sends the budget summary" in text
    assert "**" not in text


def test_logos_are_drawn_on_the_cover() -> None:
    reader = pypdf.PdfReader(io.BytesIO(_rich(Edition.CLIENT, "A4").pdf))
    assert len(reader.pages[0].images) == 2
    assert _rich(Edition.CLIENT, "A4").warnings == ()


# --------------------------------------------------------------------------- the file


def test_metadata() -> None:
    meta = pypdf.PdfReader(io.BytesIO(_rich(Edition.INTERNAL, "A4").pdf)).metadata
    assert meta.title == "Łódź Freight Sp. z o.o. — vCIO strategic meeting, 24 Nov 2026"
    assert meta.author == "BrightPath IT"
    assert "internal edition" in meta.subject and "vCIO strategic meeting" in meta.subject


def fonts_in(pdf: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    names: set[str] = set()
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
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
    return names


@pytest.mark.parametrize("edition", EDITIONS)
def test_fonts_are_embedded_dejavu_and_no_helvetica(edition: Edition) -> None:
    pdf = _rich(edition, "A4").pdf
    names = fonts_in(pdf)
    assert names and all(name.startswith("DejaVuSans") for name in names), names
    assert {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"} <= names
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        used = {char["fontname"] for page in document.pages for char in page.chars}
    assert not any("Helvetica" in name for name in used), used


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("paper", PAPERS)
def test_qpdf_finds_no_damage(edition: Edition, paper: str, tmp_path: Path) -> None:
    qpdf_check(_rich(edition, paper).pdf, tmp_path)


def qpdf_check(pdf: bytes, tmp_path: Path) -> None:
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.skip("qpdf is not installed")
    target = tmp_path / "pack.pdf"
    target.write_bytes(pdf)
    done = subprocess.run(
        [qpdf, "--check", str(target)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No syntax or stream encoding errors" in done.stdout


def test_deterministic_mode_gives_identical_bytes() -> None:
    first = render_pack(rich_pack(), Edition.INTERNAL, "Letter", deterministic=True)
    second = render_pack(rich_pack(), Edition.INTERNAL, "Letter", deterministic=True)
    assert first.pdf == second.pdf
    other = render_pack(rich_pack(), Edition.CLIENT, "Letter", deterministic=True)
    assert other.pdf != first.pdf


@pytest.mark.parametrize("paper", PAPERS)
def test_body_text_stays_inside_the_page_frame(paper: str) -> None:
    """Nothing runs past the margins or into the band between the frame and the footer."""
    with pdfplumber.open(io.BytesIO(_rich(Edition.INTERNAL, paper).pdf)) as document:
        for page in document.pages:
            gap_top = page.height - BOTTOM_MARGIN
            gap_bottom = page.height - BOTTOM_MARGIN + 6 * 2.835
            for char in page.chars:
                assert (
                    char["x0"] >= PAGE_MARGIN - 0.5 and char["x1"] <= page.width - PAGE_MARGIN + 0.5
                )
                assert not (gap_top + 0.5 < char["bottom"] < gap_bottom), char["text"]


# --------------------------------------------------------------------------- arguments


def test_unknown_paper_or_edition_is_refused() -> None:
    with pytest.raises(ValidationError, match="A4 or Letter"):
        render_pack(empty_pack(), Edition.CLIENT, "A3")
    with pytest.raises(ValidationError, match="client or an internal"):
        render_pack(empty_pack(), "secret", "A4")  # type: ignore[arg-type]
    assert render_pack(empty_pack(), "client", "letter").pages >= 1  # type: ignore[arg-type]


def test_a_pack_without_a_cover_starts_with_the_running_header() -> None:
    data: PackData = rich_pack(sections=(PackSection.AGENDA, PackSection.ACTIONS))
    rendered = render_pack(data, Edition.CLIENT, "A4")
    first = pages_text(rendered.pdf)[0].splitlines()
    assert data.client_name in first[0] and "CLIENT EDITION" not in first[0]
    assert [t for t, level, _p in outline(rendered.pdf) if level == 0] == ["Agenda", "Actions"]
