"""Bad input in a meeting pack: markup, very long text, other scripts, missing glyphs, logos."""

from __future__ import annotations

import dataclasses
import io
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from vcio_desk.reports import glyphs, pack
from vcio_desk.reports.document import BOTTOM_MARGIN, TOP_MARGIN_LATER
from vcio_desk.reports.glyphs import PLACEHOLDER
from vcio_desk.reports.pack import RenderedPack, render_pack
from vcio_desk.reports.pack_data import Edition, PackSection
from vcio_desk.reports.theme import FONT, PAGE_MARGIN, PAGE_SIZES

from .pack_fixtures import (
    CJK,
    CYRILLIC,
    GREEK,
    LONG_NAME,
    LONG_NOTE,
    MARKUP,
    POLISH,
    empty_pack,
    hostile_pack,
)
from .test_pack import fonts_in, outline, pages_text, qpdf_check

EDITIONS = (Edition.CLIENT, Edition.INTERNAL)


@cache
def _hostile(edition: Edition, paper: str = "A4") -> RenderedPack:
    return render_pack(hostile_pack(), edition, paper, deterministic=True)


@dataclass(frozen=True)
class Parsed:
    """One pdfplumber pass over a rendered pack: all that the tests below look at."""

    texts: tuple[str, ...]
    body: str
    """Every page's frame (no running header or footer), white space removed."""
    footers: tuple[str, ...]
    chars: tuple[tuple[str, str, float, float, float, float], ...]
    """(text, font, x0, x1, bottom, page height) of every character."""


@cache
def _parsed(edition: Edition, paper: str = "A4") -> Parsed:
    texts, body, footers, chars = [], [], [], []
    with pdfplumber.open(io.BytesIO(_hostile(edition, paper).pdf)) as document:
        for page in document.pages:
            texts.append(page.extract_text() or "")
            frame = page.crop((0, TOP_MARGIN_LATER - 2, page.width, page.height - BOTTOM_MARGIN))
            body.append(frame.extract_text() or "")
            words = [w for w in page.extract_words() if w["top"] > page.height - BOTTOM_MARGIN]
            footers.append(" ".join(w["text"] for w in sorted(words, key=lambda w: w["x0"])))
            chars += [
                (c["text"], c["fontname"], c["x0"], c["x1"], c["bottom"], page.height)
                for c in page.chars
            ]
    return Parsed(tuple(texts), squash(" ".join(body)), tuple(footers), tuple(chars))


def _text(edition: Edition, paper: str = "A4") -> str:
    return squash(" ".join(_parsed(edition, paper).texts))


def squash(text: str) -> str:
    """Text without any white space: wrapping puts line breaks anywhere."""
    return "".join(text.split())


def _cjk_has_fallback() -> bool:
    return all(ord(c) in glyphs.coverage(FONT) or glyphs._fallback_for(ord(c)) for c in CJK)


@pytest.mark.parametrize("edition", EDITIONS)
def test_markup_characters_print_literally(edition: Edition) -> None:
    text = _text(edition)
    assert squash(MARKUP) in text
    assert squash("<script>alert(1)</script>") in text
    assert squash("R&D <Ltd>") in text
    assert squash("<font color=red>decided</font> & done") in text
    assert squash("1 < 2 > 0") in text
    assert squash(f"Review <i>{GREEK}</i> & {CYRILLIC}") in text  # the meeting type


def test_hostile_names_in_header_footer_and_metadata() -> None:
    rendered = _hostile(Edition.CLIENT)
    parsed = _parsed(Edition.CLIENT)
    for number, (footer, text) in enumerate(zip(parsed.footers, parsed.texts, strict=True), 1):
        assert footer.startswith("MSP <font"), footer
        assert footer.endswith(f"Page {number} of {rendered.pages}")
        if number > 1:
            header = text.splitlines()[0]
            assert header.startswith("Przedsiębiorstwo Wielobranżowe B") and "…" in header
    meta = pypdf.PdfReader(io.BytesIO(rendered.pdf)).metadata
    assert meta.author == f"MSP {MARKUP}"
    assert meta.title.startswith("Przedsiębiorstwo Wielobranżowe") and "<b>bold?</b>" in meta.title


def test_polish_greek_and_cyrillic_print_in_dejavu() -> None:
    text = _text(Edition.CLIENT)
    for word in (POLISH, GREEK, CYRILLIC):
        assert squash(word) in text
    wanted = set(squash(POLISH + GREEK + CYRILLIC))
    fonts = [font for char, font, *_rest in _parsed(Edition.CLIENT).chars if char in wanted]
    assert fonts and all("DejaVuSans" in font for font in fonts)


def test_characters_dejavu_lacks_use_a_system_font_or_a_listed_placeholder() -> None:
    rendered = _hostile(Edition.CLIENT)
    chars = _parsed(Edition.CLIENT).chars
    drawn = [(char, font) for char, font, *_rest in chars if char in CJK]
    # Never a silent box: no CJK character is ever drawn in DejaVu.
    assert all("DejaVuSans" not in font for _char, font in drawn)
    if _cjk_has_fallback():
        assert drawn and not any("U+4E2D" in w for w in rendered.warnings)
    else:
        assert not drawn
        assert any(char == PLACEHOLDER for char, *_rest in chars)
        (warning,) = [w for w in rendered.warnings if "character" in w]
        for char in CJK:
            assert char in warning and f"U+{ord(char):04X}" in warning


def test_a_character_no_font_has_is_a_placeholder_and_a_warning() -> None:
    nowhere = "\U0010fffd"  # private use, plane 16: no font ships it
    data = empty_pack(client_notes=f"before {nowhere} after", sections=(PackSection.NOTES,))
    rendered = render_pack(data, Edition.CLIENT, "A4")
    text = " ".join(pages_text(rendered.pdf))
    assert f"before {PLACEHOLDER} after" in text
    assert any("U+10FFFD" in warning for warning in rendered.warnings)


def test_a_system_font_draws_what_dejavu_lacks(tmp_path: Path) -> None:
    char = "\u2323"  # SMILE: not in DejaVu Sans; in DejaVu Math TeX Gyre, for one
    assert ord(char) not in glyphs.coverage(FONT)
    if shutil.which("fc-list") is None or glyphs._fallback_for(ord(char)) is None:
        pytest.skip("no installed font has U+2323")
    data = empty_pack(client_notes=f"formula {char} here", sections=(PackSection.NOTES,))
    rendered = render_pack(data, Edition.CLIENT, "A4")
    assert not any("character" in warning for warning in rendered.warnings)
    names = fonts_in(rendered.pdf)  # embedded, or fonts_in fails
    assert any(not name.startswith("DejaVuSans") for name in names), names
    assert char in " ".join(pages_text(rendered.pdf))
    qpdf_check(rendered.pdf, tmp_path)


def test_control_characters_and_broken_text_do_not_break_the_pack() -> None:
    notes = "bell\x07 null\x00 tab\there vertical\x0btab lone\ud800surrogate"
    data = empty_pack(
        client_notes=notes,
        client_name="Acme\x00 Ltd",
        sections=(PackSection.COVER, PackSection.NOTES),
    )
    rendered = render_pack(data, Edition.CLIENT, "A4")
    text = " ".join(pages_text(rendered.pdf))
    assert "bell null tab here" in text and f"lone{PLACEHOLDER}surrogate" in text
    assert "Acme Ltd" in text
    assert any("U+D800" in warning for warning in rendered.warnings)


@pytest.mark.parametrize("edition", EDITIONS)
def test_long_names_and_notes_wrap_and_continue(edition: Edition) -> None:
    body = _parsed(edition).body.replace(squash("Standard Priority Rating Recommendation"), "")
    assert squash(LONG_NAME) in body
    sentences = LONG_NOTE.count("Paragraph sentence")
    for n in range(sentences):
        # In the client notes and in the first finding's notes: both printed whole.
        assert body.count(squash(f"Paragraph sentence {n}:")) == 2, n


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_long_table_rows_continue_under_a_repeated_header(paper: str) -> None:
    marks = outline(_hostile(Edition.CLIENT, paper).pdf)
    first = next(page for title, level, page in marks if title == "Security")
    after = next(page for title, level, page in marks if title == "Backup and recovery")
    assert after - first >= 2  # the long note spans pages
    texts = _parsed(Edition.CLIENT, paper).texts
    for page in range(first + 1, after + 1):
        assert "Standard Priority Rating Recommendation" in texts[page], page


@pytest.mark.parametrize("edition", EDITIONS)
def test_text_never_crosses_the_page_frame(edition: Edition) -> None:
    for char, _font, x0, x1, bottom, height in _parsed(edition).chars:
        width = PAGE_SIZES["A4"][0]
        assert x0 >= PAGE_MARGIN - 0.5 and x1 <= width - PAGE_MARGIN + 0.5, char
        gap_top = height - BOTTOM_MARGIN
        assert not (gap_top + 0.5 < bottom < gap_top + 17), char


def test_corrupt_logos_get_a_placeholder_and_a_warning() -> None:
    rendered = _hostile(Edition.CLIENT)
    logo_warnings = [w for w in rendered.warnings if "logo" in w]
    assert len(logo_warnings) == 2
    assert any("MSP logo" in w for w in logo_warnings)
    assert any("client logo" in w for w in logo_warnings)
    assert all("not an image" in w for w in logo_warnings)
    first = _parsed(Edition.CLIENT).texts[0]
    assert first.count("Logo") == 2 and "not available" in first
    assert not pypdf.PdfReader(io.BytesIO(rendered.pdf)).pages[0].images


def test_an_svg_logo_is_explained() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    rendered = render_pack(empty_pack(msp_logo=svg), Edition.CLIENT, "A4")
    assert any("SVG" in warning for warning in rendered.warnings)


def test_a_hostile_currency_symbol_prints_literally() -> None:
    data = hostile_pack(currency_symbol="<b>$", sections=(PackSection.BUDGET,))
    text = squash(" ".join(pages_text(render_pack(data, Edition.CLIENT, "A4").pdf)))
    assert squash("<b>$18,500.00") in text


@pytest.mark.parametrize("edition", EDITIONS)
def test_hostile_packs_pass_qpdf(edition: Edition, tmp_path: Path) -> None:
    qpdf_check(_hostile(edition).pdf, tmp_path)
    qpdf_check(_hostile(edition, "Letter").pdf, tmp_path)


def _every_text(value: object, text: str) -> object:
    """``value`` with every free text (names, titles, notes...) replaced by ``text``."""
    words = {"status", "priority", "rating", "flag", "size", "timezone", "currency_symbol"}
    if isinstance(value, tuple):
        return tuple(_every_text(item, text) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            item = getattr(value, field.name)
            if isinstance(item, str) and field.name not in words:
                changes[field.name] = text
            elif isinstance(item, tuple) or dataclasses.is_dataclass(item):
                changes[field.name] = _every_text(item, text)
        return dataclasses.replace(value, **changes)
    return value


def test_every_text_far_too_long_still_makes_a_pack(tmp_path: Path) -> None:
    long = " ".join(f"word{n}" for n in range(500))
    sections = (
        PackSection.COVER,
        PackSection.AGENDA,
        PackSection.ACTIONS,
        PackSection.CSI,
        PackSection.SIGNOFF,
    )
    data = _every_text(hostile_pack(sections=sections), long)
    rendered = render_pack(data, Edition.INTERNAL, "A4")  # type: ignore[arg-type]
    assert rendered.pages > 5
    qpdf_check(rendered.pdf, tmp_path)


def test_text_too_long_to_lay_out_is_shortened_not_fatal() -> None:
    data = hostile_pack()
    short = pack._shortened(data, 50)
    assert short.client_name == data.client_name[:50].rstrip() + "…"
    assert short.findings[0].notes.endswith("…") and len(short.findings[0].notes) <= 51
    assert short.client_notes == data.client_notes  # notes are printed whole
    assert short.msp_logo == data.msp_logo and short.start == data.start
