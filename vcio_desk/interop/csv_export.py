"""CSV for people's spreadsheets: UTF-8 with a BOM, and no cell a spreadsheet would run.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read as a formula by Excel, LibreOffice and Google Sheets; such cells get a
leading apostrophe (OWASP's advice for CSV injection). A cell that already starts
with apostrophes before such a character gets one more, so that removing one leading
apostrophe (:func:`unneutralise`, what our own imports do) always gives the text back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """The cell text for ``value``: a formula start (or a text that looks neutralised) gets
    a leading apostrophe; plain numbers such as ``-5`` stay numbers."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _looks_neutralised(text) or (text.startswith(FORMULA_STARTS) and not _is_number(text)):
        return "'" + text
    return text


def unneutralise(text: str) -> str:
    """The text a cell written by :func:`neutralise` came from (one apostrophe removed)."""
    return text[1:] if _looks_neutralised(text) else text


def _looks_neutralised(text: str) -> bool:
    return text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The CSV text (without BOM: add it when writing a file, see ``csv_bytes``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens accented names correctly."""
    return to_csv(header, rows).encode("utf-8-sig")
