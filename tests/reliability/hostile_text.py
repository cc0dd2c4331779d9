"""Hypothesis strategies for text people paste (or attackers craft) into a workspace.

Every strategy draws valid Python ``str`` without lone surrogates (they cannot be
encoded in UTF-8, so no file or database could hold them). The fragments aim at the
places text is turned into another format: reportlab paragraph markup, PDF metadata,
CSV cells a spreadsheet would run, ICS content lines, JSON strings, file names.

``HOSTILE_SETTINGS`` keeps the example counts moderate and the runs reproducible
(derandomized, no example database), so the whole hostile suite takes a minute or two.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import closing, contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    from vcio_desk.store import Store

__all__ = [
    "BIDI",
    "C0_C1",
    "EMOJI",
    "FRAGMENTS",
    "MARKUP",
    "TRIED",
    "copy_workspace",
    "dump_tables",
    "hostile_line",
    "hostile_settings",
    "hostile_text",
    "integrity_ok",
    "long_note",
    "no_nul",
    "nonblank",
    "workspace_copy",
]

TRIED: Counter[str] = Counter()
"""Hostile inputs tried per path (each test adds one per example it runs)."""


def hostile_settings(examples: int) -> settings:
    """Moderate, reproducible runs: no deadline (a PDF takes a while), no example files."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=(Phase.explicit, Phase.reuse, Phase.generate),  # shrinking can take minutes
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


MARKUP = (
    "<b>bold</b>",
    "</para>",
    "<para>",
    "<font name=x>",
    '<font name="Nope" size=200>big</font>',
    "<img src='/etc/passwd'/>",
    '<img src="x.png" width=9999 height=9999/>',
    "<br/>",
    "<a href='javascript:alert(1)'>link</a>",
    "<script>alert(1)</script>",
    "&",
    "&amp;",
    "&#0;",
    "&#x0;",
    "&#65535;",
    "&nbsp;",
    "&unknown;",
    "< >",
    "<",
    ">",
    "<![CDATA[x]]>",
    "<!-- c -->",
    "<seq id=x/>",
    "<onDraw name=x/>",
    "<greek>a</greek>",
    "**bold** *em*",
    "- item",
    "1. item",
)
FORMULA = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "'=",
    "''+",
    "=1+2",
    '=HYPERLINK("http://x")',
    "@SUM(A1:A2)",
    "+1",
    "-1",
    "-1.5e3",
    "'",
)
C0_C1 = tuple(chr(c) for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)))
BIDI = (
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
    "שלום",
    "مرحبا",
    "\u202eevil.exe",
)
COMBINING = (
    "e\u0301",
    "a\u0300\u0301\u0302\u0303\u0304",
    "Z\u0336\u0337\u0338",
    "\u0301",
    "ก\u0e49\u0e49\u0e49",
    "\u20dd",
)
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f")
EMOJI = (
    "😀",
    "👩\u200d👩\u200d👧\u200d👦",
    "🏳\ufe0f\u200d🌈",
    "🇵🇱",
    "🇺🇸",
    "👍🏽",
    "❤\ufe0f",
    "🧑\u200d💻",
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
)
ASTRAL = ("\U0001d11e", "\U00020000", "\U0010fffd", "\U0001f4a9", "\U000e0001", "𝕳𝖊𝖑𝖑𝖔")
ODD = (
    "\ufffd",
    "\ufffe",
    "\uffff",
    "\ufdd0",
    "\u2028",
    "\u2029",
    "\u0085",
    "\u00a0",
    "\u3000",
    "\u1680",
    "ǅ",
    "ß",
    "İ",
    "ﬁ",
    "\u0130",
    "Ω",
    "Ａ",
    "①",
    "½",
)
ICS = (
    "\r\nBEGIN:VEVENT\r\nUID:evil\r\nEND:VEVENT\r\n",
    "\nEND:VCALENDAR\n",
    ";",
    ",",
    ":",
    "\\",
    "\\n",
    "\\,",
    "\\;",
    "DESCRIPTION:x",
    " folded",
    "\r",
    "\n",
    "\r\n",
)
JSON = (
    '"',
    '\\"',
    '"}',
    '"]',
    "\\u0000",
    "\\ud800",
    '{"a": 1}',
    "[",
    "]",
    "null",
    "NaN",
    "Infinity",
    "\\",
    "/*",
    "\u2028",
)
QUOTES = ('"', "'", "`", '""', "''", "\\", "\\\\", "“”", "‘’", "«»", "„")
WHITESPACE = (" ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\u2003", "\u200b", "\x0b")
PATHS = ("../", "..\\", "/", "CON", "NUL", "aux.txt", "~", ".", "..", "a:b", "*?", "|")

FRAGMENTS: tuple[str, ...] = (
    *MARKUP,
    *FORMULA,
    *C0_C1,
    *BIDI,
    *COMBINING,
    *ZERO_WIDTH,
    *EMOJI,
    *ASTRAL,
    *ODD,
    *ICS,
    *JSON,
    *QUOTES,
    *WHITESPACE,
    *PATHS,
)

_ANY_CHAR = st.characters(codec="utf-8", exclude_categories=("Cs",))
_WORDS = st.sampled_from(("Acme", "R&D", "Łódź", "Ünïcödé", "x", "42", "vCIO", "notes"))
_PIECE = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.sampled_from(FRAGMENTS),  # twice as likely as the others
    _WORDS,
    st.text(_ANY_CHAR, max_size=6),
)


def hostile_text(max_pieces: int = 6) -> st.SearchStrategy[str]:
    """A short string of hostile fragments, words and arbitrary characters (may be blank)."""
    return st.lists(_PIECE, max_size=max_pieces).map("".join)


def nonblank(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text with at least one visible character, where a value is required.

    A word is appended rather than filtering, so hypothesis never gives up on a draw.
    """
    return st.tuples(strategy, _WORDS).map(lambda parts: parts[0] + parts[1])


def hostile_line(max_pieces: int = 6) -> st.SearchStrategy[str]:
    """Hostile text for one-line fields (names): never blank after collapsing blanks."""
    return nonblank(hostile_text(max_pieces))


def long_note(length: int = 100_000) -> st.SearchStrategy[str]:
    """A note of exactly ``length`` characters built from a repeated hostile pattern.

    Use sparingly (few examples): it exercises wrapping, page breaking and file sizes.
    """

    def build(pattern: str) -> str:
        pattern = pattern or "x"
        return (pattern * (length // len(pattern) + 1))[:length]

    return st.one_of(
        st.just("word " * (length // 5)),
        st.just("x" * length),  # one unbreakable "word"
        hostile_text(8).map(build),
    )


# -- workspaces for the hostile tests ------------------------------------------------------


def copy_workspace(template: Path, folder: Path) -> Path:
    """A private copy of a template workspace file (SQLite's online backup: a whole copy)."""
    path = folder / "ws.sqlite3"
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(path)) as copy:
        source.backup(copy)
    return path


@contextmanager
def workspace_copy(template: Path) -> Iterator[Store]:
    """An open store on a fresh copy of ``template``, removed afterwards."""
    from vcio_desk.store import open_store

    with (
        tempfile.TemporaryDirectory() as folder,
        open_store(copy_workspace(template, Path(folder))) as store,
    ):
        yield store


def dump_tables(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in key order: compared before and after a refused import."""
    from sqlalchemy import select

    from vcio_desk.store import models as m

    dump: dict[str, list[tuple[Any, ...]]] = {}
    with store.engine.connect() as connection:
        for table in m.Base.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            dump[table.name] = [
                tuple(row) for row in connection.execute(select(table).order_by(*order))
            ]
    return dump


def integrity_ok(store: Store) -> bool:
    """SQLite's own check of the file: pages, indexes and constraints all consistent."""
    from sqlalchemy import text

    with store.engine.connect() as connection:
        rows = connection.execute(text("PRAGMA integrity_check")).scalars().all()
        fk = connection.execute(text("PRAGMA foreign_key_check")).all()
    return rows == ["ok"] and not fk


def no_nul(text: str | None) -> str | None:
    """What the store keeps of ``text``: every statement's parameters lose their NULs."""
    return None if text is None else text.replace("\x00", "")


def report_tried(config: Any, prefix: str) -> None:
    """Print how many hostile inputs each path took (a line per path, at module end)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    lines = [
        f"  {path}: {count}" for path, count in sorted(TRIED.items()) if path.startswith(prefix)
    ]
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or not lines:
        return
    with capture.global_and_fixture_disabled() if capture else nullcontext():
        reporter.write_line("")
        reporter.write_line(f"hostile inputs tried per path ({prefix.rstrip(': ')}):")
        for line in lines:
            reporter.write_line(line)
