"""The look shared by every printed document: fonts, colours, paragraph and table styles.

Reports and meeting packs use the same theme so they read as one family of documents.
Everything here is data or a small factory: no document is built in this module.

- Fonts: the bundled DejaVu Sans family (Latin, Greek, Cyrillic) is registered once per
  process; Helvetica would print "Łódź" or "Αθήνα" as black boxes without an error.
- Colours: a calm dark-blue accent and greys; each flag has its own print-safe colour,
  and a flag is always printed as a colour chip *with* its word, never colour alone.
- User text goes through :func:`escape_text` before it enters Paragraph markup.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import TableStyle

from vcio_desk import assets
from vcio_desk.domain.drift import Flag

__all__ = [
    "FLAG_ORDER",
    "FONT",
    "FONT_BOLD",
    "FONT_BOLD_ITALIC",
    "FONT_ITALIC",
    "PAGE_SIZES",
    "PALETTE",
    "Palette",
    "Styles",
    "box_style",
    "document_options",
    "escape_text",
    "flag_chip",
    "flag_colour",
    "flag_label",
    "hex_colour",
    "page_size",
    "paper_name",
    "register_fonts",
    "stylesheet",
    "table_style",
]

# --------------------------------------------------------------------------- fonts

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"

_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    FONT_BOLD: "DejaVuSans-Bold.ttf",
    FONT_ITALIC: "DejaVuSans-Oblique.ttf",
    FONT_BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf",
}
_font_lock = threading.Lock()
_fonts_registered = False


def register_fonts() -> str:
    """Register the bundled DejaVu Sans family with reportlab (once per process).

    Returns the family name; ``<b>`` and ``<i>`` in Paragraph markup then pick the bold and
    oblique faces. Safe to call from any thread and as often as you like.
    """
    global _fonts_registered
    if _fonts_registered:
        return FONT
    with _font_lock:
        if not _fonts_registered:
            registered = set(pdfmetrics.getRegisteredFontNames())
            for name, file_name in _FONT_FILES.items():
                if name not in registered:
                    pdfmetrics.registerFont(TTFont(name, io.BytesIO(assets.font_bytes(file_name))))
            pdfmetrics.registerFontFamily(
                FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD_ITALIC
            )
            _fonts_registered = True
    return FONT


# --------------------------------------------------------------------------- paper

PAGE_SIZES: dict[str, tuple[float, float]] = {"A4": A4, "Letter": LETTER}
DEFAULT_PAPER = "A4"


def paper_name(value: Any, default: str = DEFAULT_PAPER) -> str:
    """``"A4"`` or ``"Letter"`` from a setting or option ("a4", "LETTER", "US Letter")."""
    text = str(value or "").strip().casefold().replace("us ", "")
    for name in PAGE_SIZES:
        if text == name.casefold():
            return name
    return default


def page_size(value: Any) -> tuple[float, float]:
    """The page size in points for a paper name (unknown names fall back to A4)."""
    return PAGE_SIZES[paper_name(value)]


def document_options(*, deterministic: bool) -> dict[str, Any]:
    """Options for a reportlab document template.

    ``deterministic=True`` fixes the creation date and the document ID (reportlab's
    *invariant* mode), so the same data renders to the same bytes: tests compare them.
    Streams are written as compressed binary, not ASCII85 text (reportlab's default,
    a process-wide setting): every viewer reads them, and files are smaller and faster.
    """
    rl_config.useA85 = 0
    return {"invariant": 1 if deterministic else 0, "pageCompression": 1}


# --------------------------------------------------------------------------- colours


@dataclass(frozen=True)
class Palette:
    """The colours of printed documents; flags each have their own."""

    accent: colors.Color
    """Dark blue: titles, rules, chart bars."""
    accent_soft: colors.Color
    """Table headers and summary tiles."""
    accent_mid: colors.Color
    ink: colors.Color
    muted: colors.Color
    rule: colors.Color
    zebra: colors.Color
    grid: colors.Color
    white: colors.Color
    broken: colors.Color
    overdue: colors.Color
    drifting: colors.Color
    unbooked: colors.Color
    ok: colors.Color


PALETTE = Palette(
    accent=colors.HexColor("#1F3A5F"),
    accent_soft=colors.HexColor("#E7EDF4"),
    accent_mid=colors.HexColor("#8FA6C1"),
    ink=colors.HexColor("#1F2933"),
    muted=colors.HexColor("#5F6B7A"),
    rule=colors.HexColor("#C5CED8"),
    zebra=colors.HexColor("#F5F7FA"),
    grid=colors.HexColor("#DDE3EA"),
    white=colors.white,
    broken=colors.HexColor("#A61B1B"),
    overdue=colors.HexColor("#D0600C"),
    drifting=colors.HexColor("#A88300"),
    unbooked=colors.HexColor("#5B4FC4"),
    ok=colors.HexColor("#2E7D32"),
)
FLAG_ORDER: tuple[str, ...] = tuple(flag.value for flag in Flag)
"""Most severe first."""

_FLAG_LABELS = {flag.value: flag.value for flag in Flag}
_FLAG_COLOURS = {flag.value: getattr(PALETTE, flag.value) for flag in Flag}


def hex_colour(colour: colors.Color) -> str:
    """``#rrggbb`` for Paragraph ``<font color=...>`` markup."""
    return "#" + colour.hexval()[2:].lower()


def flag_colour(flag: str) -> colors.Color:
    """The print colour of a flag (``broken`` … ``ok``); unknown flags print in grey."""
    return _FLAG_COLOURS.get(str(flag), PALETTE.muted)


def flag_label(flag: str) -> str:
    """The word printed for a flag: the flag's own word, as in the drift list."""
    return _FLAG_LABELS.get(str(flag), str(flag))


CHIP = "\u25a0"  # ■, present in DejaVu Sans


def flag_chip(flag: str, *, word: bool = True, bold: bool = False, line_break: bool = False) -> str:
    """Paragraph markup for a flag: a colour chip followed by the flag's word.

    ``line_break`` puts the word under the chip (narrow table headers).
    """
    chip = f'<font color="{hex_colour(flag_colour(flag))}">{CHIP}</font>'
    if not word:
        return chip
    label = escape_text(flag_label(flag))
    if bold:
        label = f"<b>{label}</b>"
    return f"{chip}<br/>{label}" if line_break else f"{chip}\u00a0{label}"


# --------------------------------------------------------------------------- text


def escape_text(value: Any) -> str:
    """User text made safe for Paragraph markup: ``<``, ``>``, ``&`` escaped, newlines kept.

    ``None`` prints as nothing. Line breaks (``\\n``, ``\\r\\n``, ``\\r``) become ``<br/>``.
    """
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\n", "<br/>")


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    note: ParagraphStyle
    th: ParagraphStyle
    th_right: ParagraphStyle
    td: ParagraphStyle
    td_right: ParagraphStyle
    td_center: ParagraphStyle
    kpi_value: ParagraphStyle
    kpi_label: ParagraphStyle
    header: ParagraphStyle
    """Running header and footer text."""
    base_size: float


def stylesheet(base_size: float = 9.0) -> Styles:
    """A fresh set of paragraph styles (styles are mutable: every document gets its own)."""
    register_fonts()
    ink, muted, accent = PALETTE.ink, PALETTE.muted, PALETTE.accent
    s = base_size
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=s, leading=s * 1.35, textColor=ink, spaceAfter=s * 0.6
    )
    cell = ParagraphStyle(
        "td", parent=body, fontSize=s - 1, leading=(s - 1) * 1.25, spaceAfter=0, wordWrap=None
    )
    th = ParagraphStyle(
        "th", parent=cell, fontName=FONT_BOLD, textColor=accent, leading=(s - 1) * 1.2
    )
    return Styles(
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=s * 2.5,
            leading=s * 3.0,
            textColor=accent,
            spaceAfter=s * 0.3,
        ),
        subtitle=ParagraphStyle(
            "subtitle", parent=body, fontSize=s * 1.25, leading=s * 1.6, textColor=muted
        ),
        h1=ParagraphStyle(
            "h1",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=s * 1.6,
            leading=s * 2.0,
            textColor=accent,
            spaceBefore=s * 1.4,
            spaceAfter=s * 0.5,
            keepWithNext=1,
        ),
        h2=ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=s * 1.15,
            leading=s * 1.5,
            textColor=ink,
            spaceBefore=s * 1.0,
            spaceAfter=s * 0.4,
            keepWithNext=1,
        ),
        body=body,
        small=ParagraphStyle(
            "small", parent=body, fontSize=s - 1, leading=(s - 1) * 1.3, spaceAfter=s * 0.4
        ),
        muted=ParagraphStyle("muted", parent=body, textColor=muted),
        note=ParagraphStyle(
            "note",
            parent=body,
            fontSize=s - 1,
            leading=(s - 1) * 1.3,
            textColor=muted,
            spaceBefore=s * 0.3,
            spaceAfter=s * 0.6,
        ),
        th=th,
        th_right=ParagraphStyle("th_right", parent=th, alignment=TA_RIGHT),
        td=cell,
        td_right=ParagraphStyle("td_right", parent=cell, alignment=TA_RIGHT),
        td_center=ParagraphStyle("td_center", parent=cell, alignment=TA_CENTER),
        kpi_value=ParagraphStyle(
            "kpi_value",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=s * 2.2,
            leading=s * 2.6,
            textColor=accent,
            alignment=TA_LEFT,
            spaceAfter=0,
        ),
        kpi_label=ParagraphStyle(
            "kpi_label",
            parent=body,
            fontSize=s - 1,
            leading=(s - 1) * 1.3,
            textColor=muted,
            spaceAfter=0,
        ),
        header=ParagraphStyle(
            "header", parent=body, fontSize=s - 1.5, leading=(s - 1.5) * 1.2, textColor=muted
        ),
        base_size=s,
    )


# --------------------------------------------------------------------------- tables

TABLE_PADDING = 3.2
TABLE_PADDING_X = 4.0


def table_style(
    *,
    header_rows: int = 1,
    right_columns: tuple[int, ...] = (),
    center_columns: tuple[int, ...] = (),
    zebra: bool = True,
    total_row: bool = False,
    base_size: float = 9.0,
) -> TableStyle:
    """The house table look: soft blue header with a dark rule, light zebra rows, no grid.

    Cell text given as plain strings uses DejaVu Sans too; right/centre alignment applies
    to plain strings (Paragraph cells carry their own alignment).
    """
    register_fonts()
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, base_size - 1, (base_size - 1) * 1.25),
        ("TEXTCOLOR", (0, 0), (-1, -1), PALETTE.ink),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), TABLE_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), TABLE_PADDING),
        ("LEFTPADDING", (0, 0), (-1, -1), TABLE_PADDING_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), TABLE_PADDING_X),
        ("LINEBELOW", (0, -1), (-1, -1), 0.6, PALETTE.rule),
    ]
    if header_rows:
        last = header_rows - 1
        commands += [
            ("BACKGROUND", (0, 0), (-1, last), PALETTE.accent_soft),
            ("FONT", (0, 0), (-1, last), FONT_BOLD, base_size - 1, (base_size - 1) * 1.2),
            ("TEXTCOLOR", (0, 0), (-1, last), PALETTE.accent),
            ("VALIGN", (0, 0), (-1, last), "BOTTOM"),
            ("LINEBELOW", (0, last), (-1, last), 0.9, PALETTE.accent),
        ]
    if zebra:
        commands.append(
            ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [PALETTE.white, PALETTE.zebra])
        )
    for column in right_columns:
        commands.append(("ALIGN", (column, 0), (column, -1), "RIGHT"))
    for column in center_columns:
        commands.append(("ALIGN", (column, 0), (column, -1), "CENTER"))
    if total_row:
        commands += [
            ("LINEABOVE", (0, -1), (-1, -1), 0.9, PALETTE.accent),
            ("FONT", (0, -1), (-1, -1), FONT_BOLD, base_size - 1, (base_size - 1) * 1.25),
            ("BACKGROUND", (0, -1), (-1, -1), PALETTE.white),
        ]
    return TableStyle(commands)


def box_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A TableStyle for a layout table (boxes, columns side by side) in DejaVu Sans.

    Without a FONT command a table sets Helvetica for each cell it draws, even a cell
    holding only paragraphs, and Helvetica then sits in the PDF's font list.
    """
    register_fonts()
    return TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8.0), *commands])


PAGE_MARGIN = 18 * mm
"""Left/right margin for every document: prints inside any office printer's border."""
