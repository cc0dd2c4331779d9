"""The shared print theme and layout helpers: fonts, escaping, colours, paper, tables."""

from __future__ import annotations

import io
import re
import threading

import pdfplumber
import pypdf
import pytest
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Paragraph, Spacer

from vcio_desk.domain.drift import Flag
from vcio_desk.reports import theme
from vcio_desk.reports.charts import MAX_BARS_PER_CHART, horizontal_bars, monthly_trend
from vcio_desk.reports.layout import (
    FlagLabel,
    Heading,
    PageFurniture,
    build_pdf,
    data_table,
    fit_text,
    section,
    text_cell,
)
from vcio_desk.reports.theme import (
    FLAG_ORDER,
    FONT,
    FONT_BOLD,
    FONT_BOLD_ITALIC,
    FONT_ITALIC,
    PALETTE,
    escape_text,
    flag_chip,
    flag_colour,
    page_size,
    paper_name,
    register_fonts,
    stylesheet,
    table_style,
)

HOSTILE = [
    "a <b",
    "R&D",
    "<b>bold?</b>",
    "<font color=red>red?</font>",
    "x &amp; y",
    "Łódź",
    "Αθήνα",
    "Москва",
    "<para>",
    "]]>&#38;",
]


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def _furniture(msp: str = "Test MSP") -> PageFurniture:
    return PageFurniture(msp_name=msp, title="Test report", as_of="As of 2026-11-20")


# --------------------------------------------------------------------------- fonts


def test_fonts_register_once_as_a_family() -> None:
    assert register_fonts() == FONT
    assert register_fonts() == FONT
    names = set(pdfmetrics.getRegisteredFontNames())
    assert {FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC} <= names
    from reportlab.lib.fonts import tt2ps

    assert tt2ps(FONT, 1, 0) == FONT_BOLD
    assert tt2ps(FONT, 0, 1) == FONT_ITALIC
    assert tt2ps(FONT, 1, 1) == FONT_BOLD_ITALIC


def test_registering_from_many_threads_is_safe() -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            register_fonts()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_the_font_covers_polish_greek_and_cyrillic() -> None:
    register_fonts()
    face = pdfmetrics.getFont(FONT).face
    for char in "ŁłóźĄęΑθήναМосква€—…■":
        assert ord(char) in face.charToGlyph, char


# --------------------------------------------------------------------------- escaping


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_prints_literally(text: str) -> None:
    styles = stylesheet()
    story = [Paragraph(escape_text(text), styles.body)]
    pdf = build_pdf(story, furniture=_furniture(), paper="A4")
    assert text in _text(pdf)


def test_escape_text_details() -> None:
    assert escape_text(None) == ""
    assert escape_text(42) == "42"
    assert escape_text("R&D <b>") == "R&amp;D &lt;b&gt;"
    assert escape_text("one\ntwo\r\nthree\rfour") == "one<br/>two<br/>three<br/>four"


def test_unescaped_markup_is_what_we_guard_against() -> None:
    # The toolchain facts this module exists for (ARCHITECTURE.md): they still hold.
    styles = stylesheet()
    with pytest.raises(ValueError):
        Paragraph("a <b", styles.body)


def test_newlines_become_line_breaks() -> None:
    styles = stylesheet()
    one = Paragraph(escape_text("first"), styles.body)
    two = Paragraph(escape_text("first\nsecond"), styles.body)
    assert two.wrap(400, 1000)[1] > one.wrap(400, 1000)[1]


# --------------------------------------------------------------------------- colours, flags


def test_every_flag_has_its_own_colour() -> None:
    colours = [flag_colour(flag).hexval() for flag in FLAG_ORDER]
    assert len(set(colours)) == len(FLAG_ORDER) == len(Flag)
    assert tuple(f.value for f in Flag) == FLAG_ORDER
    assert flag_colour("nonsense") == PALETTE.muted


def _luminance(colour: Color) -> float:
    return 0.2126 * colour.red + 0.7152 * colour.green + 0.0722 * colour.blue


def test_flag_colours_are_dark_enough_to_read_on_white() -> None:
    for flag in FLAG_ORDER:
        assert _luminance(flag_colour(flag)) < 0.55, flag
    assert _luminance(PALETTE.accent) < 0.3


def test_a_flag_chip_always_carries_its_word() -> None:
    for flag in FLAG_ORDER:
        markup = flag_chip(flag)
        assert markup.endswith(flag) and "■" in markup
        assert flag in flag_chip(flag, line_break=True, bold=True)
        label = FlagLabel(flag, figure="82%")
        assert label.width > FlagLabel(flag).width


# --------------------------------------------------------------------------- paper


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("A4", "A4"),
        ("a4", "A4"),
        ("Letter", "Letter"),
        ("LETTER", "Letter"),
        ("US Letter", "Letter"),
        (None, "A4"),
        ("A3", "A4"),
        (3, "A4"),
    ],
)
def test_paper_names(value: object, expected: str) -> None:
    assert paper_name(value) == expected


def test_page_sizes_in_points() -> None:
    assert page_size("A4") == pytest.approx((595.2756, 841.8898), abs=0.01)
    assert page_size("letter") == (612.0, 792.0)
    assert paper_name("A3", default="") == ""


# --------------------------------------------------------------------------- styles


def test_stylesheet_is_fresh_each_time_and_uses_dejavu() -> None:
    first, second = stylesheet(), stylesheet()
    assert first.body is not second.body
    first.body.fontSize = 30
    assert second.body.fontSize == 9
    for name in ("title", "h1", "h2", "body", "small", "th", "td", "td_right"):
        assert getattr(second, name).fontName.startswith("DejaVuSans"), name
    assert second.h1.keepWithNext and second.h2.keepWithNext


def test_document_options() -> None:
    assert theme.document_options(deterministic=True)["invariant"] == 1
    assert theme.document_options(deterministic=False)["invariant"] == 0


# --------------------------------------------------------------------------- layout


def test_fit_text_shortens_with_an_ellipsis() -> None:
    register_fonts()
    long = "A very long managed service provider name, Incorporated and Partners"
    short = fit_text(long, FONT, 8, 100)
    assert short.endswith("…") and pdfmetrics.stringWidth(short, FONT, 8) <= 100
    assert fit_text("Short\nname", FONT, 8, 100) == "Short name"


def test_text_cell_is_plain_when_it_fits_and_wraps_otherwise() -> None:
    styles = stylesheet()
    assert text_cell("<b>R&D</b>", 200, styles.td) == "<b>R&D</b>"
    wrapped = text_cell("word " * 40, 100, styles.td)
    assert isinstance(wrapped, Paragraph)
    assert isinstance(text_cell("two\nlines", 300, styles.td), Paragraph)


def _long_document(deterministic: bool, msp: str = "Test MSP") -> bytes:
    styles = stylesheet()
    rows = [[Paragraph("Name", styles.th), Paragraph("Note", styles.th)]]
    rows += [
        [text_cell(f"Row {i} <&>", 150, styles.td), text_cell("wrapped text " * 12, 300, styles.td)]
        for i in range(150)
    ]
    story = [
        Heading("First section", styles.h1),
        Paragraph("Intro", styles.body),
        *section("Second section", styles),
        data_table(rows, [150, 300], table_style()),
        Spacer(1, 10),
        *section("Charts", styles),
        monthly_trend([("Jan\n2026", 80.0), ("Feb", None), ("Mar", 100.0)], 450),
        *horizontal_bars([(f"Owner {i}", float(i)) for i in range(45)], 450),
    ]
    return build_pdf(story, furniture=_furniture(msp), paper="Letter", deterministic=deterministic)


def test_layout_numbers_pages_repeats_headers_and_bookmarks_sections() -> None:
    pdf = _long_document(deterministic=False)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    assert total >= 3
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        texts = [page.extract_text() or "" for page in document.pages]
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text
        assert "Confidential — prepared for internal use" in text
    table_pages = [text for text in texts if "Row " in text]
    assert len(table_pages) > 1 and all("Name Note" in text for text in table_pages)
    titles = [item.title for item in reader.outline]
    assert titles == ["First section", "Second section", "Charts"]
    pages = [reader.get_destination_page_number(item) for item in reader.outline]
    assert pages[0] == 0 and pages == sorted(pages) and pages[-1] > 0
    assert "Charts" in texts[pages[-1]]
    assert reader.metadata.title == "Test report — As of 2026-11-20"
    assert reader.metadata.author == "Test MSP"


def test_long_bar_charts_are_split_to_fit_a_page() -> None:
    drawings = horizontal_bars([(f"Owner {i}", 50.0) for i in range(MAX_BARS_PER_CHART + 1)], 400)
    assert len(drawings) == 2
    assert horizontal_bars([], 400) == []


def test_deterministic_documents_are_byte_identical() -> None:
    assert _long_document(deterministic=True) == _long_document(deterministic=True)


def test_header_and_footer_print_hostile_msp_names_literally() -> None:
    msp = "R&D <b>IT</b> Łódź"
    pdf = _long_document(deterministic=True, msp=msp)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            assert msp in (page.extract_text() or "")


@pytest.mark.parametrize("count", [42, 43, 44, 60])
def test_a_split_table_leaves_no_lonely_rows(count: int) -> None:
    # 42 rows fill the first page exactly: 43 would leave the total row alone on page 2.
    rows: list[list[object]] = [["Name", "Value"]]
    rows += [[f"Row{i:03d}", str(i)] for i in range(count)]
    story = [data_table(rows, [200, 100], table_style(total_row=True))]
    pdf = build_pdf(story, furniture=_furniture(), paper="A4", deterministic=True)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    per_page = [len(re.findall(r"Row\d{3}", page.extract_text())) for page in reader.pages]
    assert sum(per_page) == count
    assert all(n >= 2 for n in per_page), per_page
