"""The simple markup of meeting notes: paragraphs, lists, *emphasis* and **strong**.

People type notes as plain text; the meeting pack renders them and the meeting page
can preview them. The rules are deliberately few, so nobody has to learn them:

- A blank line separates paragraphs; the lines of one paragraph keep their line breaks.
- A line starting with ``- `` or ``* `` is a bullet item; ``1. `` (any number) a
  numbered item. An indented line right after an item continues it.
- ``*text*`` is emphasis and ``**text**`` is strong: the text next to the markers
  must not be a space (so ``2 * 3 * 4`` stays as typed). One may sit inside the other.
- Markers that do not pair stay literal text. Nothing else is markup: ``<``, ``&`` and
  ``_`` are text, and renderers escape what they draw.

:func:`parse` never raises. Every character of the input that is not a consumed marker
(a list marker, a pair of ``*`` or ``**``, the spaces around lines) is in some run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["Block", "BlockKind", "Run", "parse", "plain_text"]

_BULLET = re.compile(r"[ \t]*[-*][ \t]+(?=\S)")
_NUMBERED = re.compile(r"[ \t]*(\d{1,9})\.[ \t]+(?=\S)")


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    BULLET = "bullet"
    NUMBERED = "numbered"


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text in one style; never empty."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph or one list item; consecutive items of one kind make a list."""

    kind: BlockKind
    runs: tuple[Run, ...]
    number: int | None = None
    """The number typed before a numbered item ("3." → 3); None for other blocks."""

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def parse(text: str) -> tuple[Block, ...]:
    """The blocks of ``text`` in order (empty for blank text)."""
    blocks: list[Block] = []
    kind: BlockKind | None = None
    number: int | None = None
    lines: list[str] = []

    def flush() -> None:
        nonlocal kind, number, lines
        if kind is not None and lines:
            runs = _inline("\n".join(lines))
            if runs:
                blocks.append(Block(kind, runs, number))
        kind, number, lines = None, None, []

    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not raw.strip():
            flush()
            continue
        item = _item(raw)
        if item is not None:
            flush()
            kind, number, first = item
            lines = [first]
        elif kind in (BlockKind.BULLET, BlockKind.NUMBERED) and raw[:1] in (" ", "\t"):
            lines.append(raw.strip())  # an indented line continues the item
        elif kind is BlockKind.PARAGRAPH:
            lines.append(raw.strip())
        else:
            flush()
            kind, lines = BlockKind.PARAGRAPH, [raw.strip()]
    flush()
    return tuple(blocks)


def plain_text(blocks: tuple[Block, ...]) -> str:
    """The blocks as unmarked text (list markers kept as "•" and "n."), for search and tests."""
    out = []
    for block in blocks:
        if block.kind is BlockKind.BULLET:
            out.append(f"• {block.text}")
        elif block.kind is BlockKind.NUMBERED:
            out.append(f"{block.number}. {block.text}")
        else:
            out.append(block.text)
    return "\n".join(out)


def _item(line: str) -> tuple[BlockKind, int | None, str] | None:
    found = _NUMBERED.match(line)
    if found:
        return BlockKind.NUMBERED, int(found.group(1)), line[found.end() :].strip()
    found = _BULLET.match(line)
    if found and not line.lstrip().startswith("**"):
        return BlockKind.BULLET, None, line[found.end() :].strip()
    return None


def _inline(text: str, bold: bool = False, italic: bool = False) -> tuple[Run, ...]:
    """Runs of ``text``: paired markers consumed, unpaired ones kept as text."""
    runs: list[Run] = []
    plain: list[str] = []

    def emit(piece: str) -> None:
        plain.append(piece)

    def flush() -> None:
        if plain:
            _append(runs, Run("".join(plain), bold, italic))
            plain.clear()

    i, n = 0, len(text)
    while i < n:
        if text.startswith("**", i) and not bold:
            close = _closing_double(text, i + 2)
            if close is not None:
                flush()
                for run in _inline(text[i + 2 : close], True, italic):
                    _append(runs, run)
                i = close + 2
                continue
            emit("**")
            i += 2
            continue
        if text[i] == "*" and not italic and not text.startswith("**", i):
            close = _closing_single(text, i + 1)
            if close is not None:
                flush()
                for run in _inline(text[i + 1 : close], bold, True):
                    _append(runs, run)
                i = close + 1
                continue
        emit(text[i])
        i += 1
    flush()
    return tuple(runs)


def _closing_double(text: str, start: int) -> int | None:
    """Index of the ``**`` closing a strong span whose content starts at ``start``."""
    if start >= len(text) or text[start].isspace():
        return None
    at = text.find("**", start + 1)
    while at != -1:
        if not text[at - 1].isspace():
            if text.startswith("***", at) and text.count("*", start, at) % 2:
                return at + 1  # "**a *b***": the first star closes the emphasis inside
            return at
        at = text.find("**", at + 1)
    return None


def _closing_single(text: str, start: int) -> int | None:
    """Index of the single ``*`` closing an emphasis span starting at ``start``.

    A ``**`` inside is stepped over (it belongs to a strong span within the emphasis).
    """
    if start >= len(text) or text[start].isspace() or text[start] == "*":
        return None
    j = start + 1
    while j < len(text):
        if text.startswith("**", j):
            j += 2
            continue
        if text[j] == "*" and not text[j - 1].isspace():
            return j
        j += 1
    return None


def _append(runs: list[Run], run: Run) -> None:
    """Add ``run``, merging it into the previous one when the style is the same."""
    if not run.text:
        return
    if runs and (runs[-1].bold, runs[-1].italic) == (run.bold, run.italic):
        runs[-1] = Run(runs[-1].text + run.text, run.bold, run.italic)
    else:
        runs.append(run)
