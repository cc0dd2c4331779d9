"""Characters the bundled fonts lack: a system fallback font, else a visible placeholder.

DejaVu Sans covers Latin, Greek and Cyrillic, but not CJK, most emoji or Thai. reportlab
would draw such characters as empty boxes without a word. A :class:`GlyphGuard` sits
between user text and the page:

- characters the face in use has pass through (escaped for Paragraph markup);
- characters it lacks are drawn in a fallback font when an installed font has them
  (found with ``fc-list :charset=…`` or at well-known paths, registered once per process);
- the rest print as :data:`PLACEHOLDER` and are listed in :meth:`GlyphGuard.warnings`.

Control characters are dropped (tabs become spaces), as are invisible format characters
(zero-width joiners, variation selectors) the font has no glyph for.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont

from .theme import FONT, PALETTE, hex_colour, register_fonts

__all__ = ["PLACEHOLDER", "GlyphGuard", "Segment", "fallback_fonts", "one_line"]

PLACEHOLDER = "\ufffd"
"""Printed (in colour) for a character no available font can draw: never a silent box."""

Segment = tuple[str, str]
"""(font name, text) — a stretch of text drawn in one font on a canvas."""

KNOWN_FALLBACK_PATHS: tuple[str, ...] = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/droid/DroidSansFallback.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/unifont/unifont.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "C:/Windows/Fonts/malgun.ttf",
    "C:/Windows/Fonts/seguisym.ttf",
)
"""Tried after fontconfig's answer. Fonts with PostScript outlines (most ``.otf``) are
skipped: reportlab embeds TrueType outlines only."""

MAX_FALLBACK_FONTS = 6
MAX_LOOKUPS = 48
"""fontconfig queries per process; each Unicode block (256 code points) is asked once."""

_lock = threading.Lock()
_coverage: dict[str, frozenset[int]] = {}
_fallbacks: list[tuple[str, frozenset[int]]] = []
"""(registered font name, code points it has), in the order they were found."""
_tried_paths: set[str] = set()
_asked_blocks: set[int] = set()
_lookups = 0


def coverage(font_name: str) -> frozenset[int]:
    """The code points ``font_name`` (a registered TrueType font) has glyphs for."""
    found = _coverage.get(font_name)
    if found is None:
        register_fonts()
        face = getattr(pdfmetrics.getFont(font_name), "face", None)
        found = frozenset(getattr(face, "charToGlyph", {}) or ())
        _coverage[font_name] = found
    return found


def fallback_fonts() -> tuple[str, ...]:
    """Names of the fallback fonts registered so far in this process."""
    return tuple(name for name, _chars in _fallbacks)


def _fallback_for(code: int) -> str | None:
    """A registered fallback font that has ``code``, registering one when needed."""
    for name, chars in _fallbacks:
        if code in chars:
            return name
    with _lock:
        for name, chars in _fallbacks:  # found by another thread meanwhile
            if code in chars:
                return name
        block = code >> 8
        if block in _asked_blocks or len(_fallbacks) >= MAX_FALLBACK_FONTS:
            return None
        _asked_blocks.add(block)
        for path in [*_fontconfig_files(code), *KNOWN_FALLBACK_PATHS]:
            name = _load(path, code)
            if name is not None:
                return name
    return None


def _fontconfig_files(code: int) -> list[str]:
    """Font files fontconfig says have ``code`` (empty without fontconfig)."""
    global _lookups
    fc_list = shutil.which("fc-list")
    if fc_list is None or _lookups >= MAX_LOOKUPS:
        return []
    _lookups += 1
    try:
        done = subprocess.run(
            [fc_list, f":charset={code:x}", "--format", "%{file}\n"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    files = [line.strip() for line in done.stdout.splitlines() if line.strip()]
    # TrueType first (reportlab cannot embed CFF outlines); stable order.
    return sorted(files, key=lambda path: (not path.lower().endswith((".ttf", ".ttc")), path))


def _load(path: str, code: int) -> str | None:
    """Register the font at ``path`` if it loads and has ``code``; its name or None."""
    if path in _tried_paths or not Path(path).is_file():
        return None
    _tried_paths.add(path)
    name = f"Fallback{len(_fallbacks) + 1}-{Path(path).stem}"
    try:
        font = TTFont(name, path, subfontIndex=0)
    except Exception:
        return None
    chars = frozenset(font.face.charToGlyph)
    if code not in chars:
        return None
    pdfmetrics.registerFont(font)
    _coverage[name] = chars
    _fallbacks.append((name, chars))
    return name


def one_line(text: object) -> str:
    """``text`` on one line: runs of white space (line breaks included) become one space."""
    return " ".join(str(text).split())


def _drop(char: str) -> bool:
    """Invisible characters with no glyph: format characters and variation selectors."""
    code = ord(char)
    return (
        unicodedata.category(char) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class GlyphGuard:
    """Makes user text safe to print for one document and remembers what it could not draw."""

    def __init__(self) -> None:
        self.missing: set[str] = set()
        """Characters printed as the placeholder."""
        self.substituted: dict[str, str] = {}
        """Characters drawn in a fallback font, and that font's name."""
        self._placeholder = (
            f'<font name="{FONT}" color="{hex_colour(PALETTE.broken)}">{PLACEHOLDER}</font>'
        )

    # ---- splitting
    def segments(self, value: Any, font: str = FONT) -> list[Segment]:
        """``value`` as stretches of (font, text); newlines are kept, other controls dropped."""
        text = "" if value is None else str(value)
        if not text:
            return []
        if text.isascii() and text.isprintable():
            return [(font, text)]
        have = coverage(font)
        out: list[Segment] = []
        current_font, current = font, []
        for char in text.replace("\r\n", "\n").replace("\r", "\n"):
            use = font
            if char == "\n":
                pass
            elif char == "\t":
                char = " "
            elif char < " " or "\x7f" <= char <= "\x9f":
                continue  # other control characters
            elif ord(char) not in have:
                category = unicodedata.category(char)
                if category != "Cs" and _drop(char):
                    continue
                if category == "Cs":  # a lone surrogate: text decoded badly upstream
                    self.missing.add(char)
                    char, use = PLACEHOLDER, ""
                else:
                    fallback = _fallback_for(ord(char))
                    if fallback is None:
                        self.missing.add(char)
                        char = PLACEHOLDER
                        use = ""  # marker: placeholder
                    else:
                        self.substituted[char] = fallback
                        use = fallback
            if use != current_font and current:
                out.append((current_font, "".join(current)))
                current = []
            current_font = use
            current.append(char)
        if current:
            out.append((current_font, "".join(current)))
        return out

    # ---- paragraph markup
    def markup(self, value: Any, font: str = FONT) -> str:
        """Escaped Paragraph markup for ``value`` drawn in ``font`` (line breaks kept)."""
        parts: list[str] = []
        for seg_font, text in self.segments(value, font):
            if seg_font == "":
                parts.append(self._placeholder * len(text))
                continue
            escaped = _escape(text).replace("\n", "<br/>")
            if seg_font != font:
                escaped = f'<font name="{seg_font}">{escaped}</font>'
            parts.append(escaped)
        return "".join(parts)

    def is_plain(self, value: Any, font: str = FONT) -> bool:
        """True when ``value`` prints as is in ``font`` on one line (a cheap table cell)."""
        text = "" if value is None else str(value)
        if text.isascii():
            return text.isprintable()
        have = coverage(font)
        return all(ord(char) in have and char.isprintable() for char in text)

    # ---- canvas drawing
    def plain_segments(self, value: Any, font: str = FONT) -> list[Segment]:
        """Segments for ``drawString`` on one line: line breaks become spaces."""
        one_line = " ".join(("" if value is None else str(value)).split())
        return [
            (seg_font or font, text if seg_font else PLACEHOLDER * len(text))
            for seg_font, text in self.segments(one_line, font)
        ]

    def single_font(self, value: Any, font: str = FONT) -> str:
        """One line in ``font`` alone (chart labels): characters it lacks become the placeholder."""
        have = coverage(font)
        text = one_line("" if value is None else value)
        if text.isascii() and text.isprintable():
            return text
        out = []
        for char in text:
            if ord(char) in have and char.isprintable():
                out.append(char)
            elif not _drop(char):
                self.missing.add(char)
                out.append(PLACEHOLDER)
        return "".join(out)

    def width(self, segments: Iterable[Segment], size: float) -> float:
        return sum(stringWidth(text, font, size) for font, text in segments)

    def fit(self, value: Any, font: str, size: float, width: float) -> list[Segment]:
        """One line of ``value`` no wider than ``width``, shortened with "…" when needed."""
        segments = self.plain_segments(value, font)
        if self.width(segments, size) <= width:
            return segments
        chars = [(seg_font, char) for seg_font, text in segments for char in text]
        low, high = 0, len(chars)
        while low < high:
            middle = (low + high + 1) // 2
            if self.width(_join(chars[:middle], font), size) <= width:
                low = middle
            else:
                high = middle - 1
        return _join(chars[:low], font)

    def draw(
        self,
        canvas: Any,
        x: float,
        y: float,
        value: Any,
        *,
        font: str,
        size: float,
        width: float,
        align: str = "left",
    ) -> None:
        """Draw ``value`` on one line at (x, y), fitted to ``width``; align left/centre/right."""
        segments = self.fit(value, font, size, width)
        total = self.width(segments, size)
        start = {"left": x, "centre": x - total / 2, "right": x - total}[align]
        for seg_font, text in segments:
            canvas.setFont(seg_font, size)
            canvas.drawString(start, y, text)
            start += stringWidth(text, seg_font, size)

    # ---- report
    def warnings(self) -> tuple[str, ...]:
        """One line for the user when some characters could not be drawn."""
        if not self.missing:
            return ()
        chars = sorted(self.missing)
        shown = ", ".join(f"{_visible(c)} (U+{ord(c):04X})" for c in chars[:20])
        more = f" and {len(chars) - 20} more" if len(chars) > 20 else ""
        return (
            f"No installed font can draw {len(chars)} character(s), printed as "
            f"{PLACEHOLDER}: {shown}{more}. Install a font that has them (for Chinese, "
            "Japanese or Korean text, e.g. Droid Sans Fallback or WenQuanYi) and export again.",
        )


def _visible(char: str) -> str:
    return "?" if unicodedata.category(char) == "Cs" else char


def _join(chars: list[tuple[str, str]], font: str) -> list[Segment]:
    """Characters back into segments, with "…" (in ``font``) at the end."""
    out: list[Segment] = []
    for seg_font, char in chars:
        if out and out[-1][0] == seg_font:
            out[-1] = (seg_font, out[-1][1] + char)
        else:
            out.append((seg_font, char))
    if out and out[-1][0] == font:
        out[-1] = (font, out[-1][1].rstrip() + "…")
    else:
        out.append((font, "…"))
    return out
