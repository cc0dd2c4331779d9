"""The pieces under the pack: glyph guard, formatting, long text, tables across pages."""

from __future__ import annotations

import io
from decimal import Decimal

import pdfplumber
import pytest
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer

from vcio_desk.reports.document import PageFurniture, build_pdf
from vcio_desk.reports.glyphs import PLACEHOLDER, GlyphGuard
from vcio_desk.reports.layout import Heading, KeepWithTable, Para, data_table
from vcio_desk.reports.pack_base import chunks, money, nice_date, percent
from vcio_desk.reports.theme import FONT, FONT_BOLD, PAGE_SIZES, stylesheet, table_style

FURNITURE = PageFurniture("MSP", "Title", "today")


def test_guard_escapes_markup_and_keeps_line_breaks() -> None:
    guard = GlyphGuard()
    assert guard.markup("a <b> & c\nd") == "a &lt;b&gt; &amp; c<br/>d"
    assert guard.markup("tab\there\x00\x07 bell") == "tab here bell"
    assert guard.markup(None) == ""
    assert guard.warnings() == ()


def test_guard_replaces_what_no_font_has_and_lists_it() -> None:
    guard = GlyphGuard()
    nowhere = "\U0010fffd"
    markup = guard.markup(f"x{nowhere}y")
    assert PLACEHOLDER in markup and nowhere not in markup
    assert guard.single_font(f"a{nowhere}") == f"a{PLACEHOLDER}"
    assert guard.plain_segments(f"a{nowhere}") == [(FONT, "a"), (FONT, PLACEHOLDER)]
    (warning,) = guard.warnings()
    assert "U+10FFFD" in warning


def test_guard_lists_at_most_twenty_characters() -> None:
    guard = GlyphGuard()
    guard.markup("".join(chr(0x10FF00 + n) for n in range(25)))
    (warning,) = guard.warnings()
    assert "25 character(s)" in warning and "and 5 more" in warning


def test_guard_knows_plain_text() -> None:
    guard = GlyphGuard()
    assert guard.is_plain("Łódź Αθήνα Москва")
    assert not guard.is_plain("two\nlines")
    assert not guard.is_plain("\U0010fffd")


def test_fit_shortens_with_an_ellipsis() -> None:
    guard = GlyphGuard()
    text = "Przedsiębiorstwo Wielobranżowe " * 10
    segments = guard.fit(text, FONT_BOLD, 8, 120)
    line = "".join(part for _font, part in segments)
    assert line.endswith("…") and text.startswith(line[:-1].rstrip())
    assert guard.width(segments, 8) <= 120
    assert guard.fit("short", FONT, 8, 120) == [(FONT, "short")]


@pytest.mark.parametrize(
    ("amount", "symbol", "expected"),
    [
        (Decimal("1234.5"), "€", "€1,234.50"),
        (Decimal("-20"), "$", "-$20.00"),
        (Decimal("1234.567"), "zł", "1,234.57\u00a0zł"),
        (Decimal("0"), "", "0.00"),
        (None, "€", "—"),
    ],
)
def test_money(amount: Decimal | None, symbol: str, expected: str) -> None:
    assert money(amount, symbol) == expected


def test_dates_and_percentages_read_the_same_everywhere() -> None:
    import datetime as dt

    assert nice_date(dt.date(2026, 11, 24)) == "24 Nov 2026"
    assert nice_date(dt.date(2026, 11, 24), weekday=True) == "Tuesday 24 Nov 2026"
    assert percent(71.44) == "71%" and percent(None) == "—"


def test_long_text_is_cut_into_pieces_that_join_back() -> None:
    text = " ".join(f"Sentence {n} is about backups." for n in range(400))
    pieces = chunks(text, 500)
    assert len(pieces) > 10
    assert all(len(piece) <= 500 for piece in pieces)
    assert "".join(pieces) == text
    assert all(piece.endswith(".") for piece in pieces[:-1])  # cut at sentence ends
    assert chunks("short", 500) == ["short"]
    assert "".join(chunks("x" * 1234, 500)) == "x" * 1234  # no space to cut at


def _table(rows: int, text: str = "row") -> object:
    s = stylesheet()
    body = [["Name", "Value"]] + [[Para(f"{text} {n}", s.td), str(n)] for n in range(rows)]
    width = PAGE_SIZES["A4"][0] - 40 * mm
    height = PAGE_SIZES["A4"][1] - 42 * mm
    return data_table(body, [width * 0.8, width * 0.2], table_style(), page_height=height)


def _pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() or "" for page in document.pages]


def test_heading_stays_with_the_first_rows_not_the_whole_table() -> None:
    s = stylesheet()
    frame = PAGE_SIZES["A4"][1] - 42 * mm
    story = [
        Spacer(1, frame - 70 * mm),  # 70 mm left on page one
        KeepWithTable([Heading("Findings", s.h1)], _table(60)),
    ]
    pages = _pages(build_pdf(story, furniture=FURNITURE, paper="A4"))
    assert "Findings" in pages[0] and "row 0" in pages[0]  # not moved on with its table
    assert "Name Value" in pages[1]  # header repeated
    assert "row 59" in pages[-1]


def test_heading_moves_on_when_not_even_the_first_rows_fit() -> None:
    s = stylesheet()
    frame = PAGE_SIZES["A4"][1] - 42 * mm
    story = [Spacer(1, frame - 12 * mm), KeepWithTable([Heading("Findings", s.h1)], _table(5))]
    pages = _pages(build_pdf(story, furniture=FURNITURE, paper="A4"))
    assert "Findings" not in pages[0]
    assert "Findings" in pages[1] and "row 0" in pages[1]


def test_a_row_taller_than_a_page_splits_between_lines() -> None:
    s = stylesheet()
    long = " ".join(f"word{n}" for n in range(4000))
    body = [["Name", "Value"], [Para("short", s.td), "1"], [Para(long, s.td), "2"]]
    body += [[Para(f"after {n}", s.td), "3"] for n in range(3)]
    width = PAGE_SIZES["A4"][0] - 40 * mm
    table = data_table(
        body, [width * 0.8, width * 0.2], table_style(), page_height=PAGE_SIZES["A4"][1] - 42 * mm
    )
    pages = _pages(build_pdf([table], furniture=FURNITURE, paper="A4"))
    assert len(pages) > 3
    text = " ".join(" ".join(page.split()) for page in pages)
    for n in range(4000):
        assert f"word{n} " in text or f"word{n}" in text.split()
    assert all("Name Value" in page for page in pages)


def test_a_row_that_fits_a_page_moves_whole_instead_of_splitting() -> None:
    s = stylesheet()
    medium = " ".join(f"token{n}" for n in range(600))  # about a third of a page
    body = [["Name", "Value"], [Para("first", s.td), "1"], [Para(medium, s.td), "2"]]
    width = PAGE_SIZES["A4"][0] - 40 * mm
    table = data_table(
        body, [width * 0.8, width * 0.2], table_style(), page_height=PAGE_SIZES["A4"][1] - 42 * mm
    )
    table.min_rows = 1  # type: ignore[attr-defined]
    frame = PAGE_SIZES["A4"][1] - 42 * mm
    pages = _pages(build_pdf([Spacer(1, frame - 45 * mm), table], furniture=FURNITURE, paper="A4"))
    assert "first" in pages[0] and "token0" not in pages[0]
    assert "token0" in pages[1] and "token599" in pages[1]


def test_cached_paragraph_wraps_like_a_fresh_one() -> None:
    s = stylesheet()
    text = "The quick brown fox jumps over the lazy dog. " * 20
    para = Para(text, s.body)
    first = para.wrap(200, 1000)
    assert para.wrap(200, 1000) == first
    assert para.wrap(300, 1000) != first  # another width: broken again
    assert para.wrap(200, 1000) == first
    assert para.split(200, 30)  # splitting after cached wraps still works
    width = stringWidth("The quick brown fox", FONT, s.body.fontSize)
    assert width < 200
