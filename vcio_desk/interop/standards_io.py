"""Standards library files: CSV for spreadsheets, JSON in the bundled library's own format.

Pure: bytes in, plain records out (and records in, bytes out); no store, no Qt.
The service ``services.standards_import`` decides what each record does.

CSV
    Written as UTF-8 with a byte-order mark, one standard a row, every cell made
    formula-safe (``interop.csv_export``). Read as UTF-8 (with or without BOM),
    UTF-16 with BOM or Windows-1252; comma, semicolon or tab delimited; quoted cells
    may hold newlines. Headers are matched ignoring case, spaces and punctuation
    (``Why it matters`` = ``why_it_matters``); ``code``, ``question``, ``section``
    and ``category`` are required, the others optional. A leading apostrophe that
    our own export put before ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    is removed again (then blanks around the text), so an exported library reads
    back as it was.

JSON
    ``{"format": "vcio-desk-standards", "version": 1, "sections": [{"key", "name",
    "categories": [{"name", "standards": [{"code", "question", ...}]}]}]}`` — the
    bundled library's format, with ``archived`` flags where set. Text is taken as
    written (blanks around it trimmed): JSON needs no formula neutralising.

Every record is checked on its own: a bad one becomes a :class:`RecordProblem` with
where it is and why; a file that cannot be read at all raises :class:`LibraryFileError`.
An empty optional cell means "not given": the import keeps what is there.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from vcio_desk.domain.errors import ValidationError

from .csv_clients import sniff_delimiter
from .csv_export import csv_bytes, unneutralise
from .csv_text import decode_text

FORMAT = "vcio-desk-standards"
VERSION = 1
PRIORITIES = {"high": "high", "h": "high", "medium": "medium", "m": "medium", "med": "medium",
              "low": "low", "l": "low"}  # fmt: skip
TIERS = ("A", "B", "C")
TRUE_WORDS = {"yes", "y", "true", "1", "x", "archived", "internal"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
LIMITS = {"code": 30, "section_key": 50, "section": 200, "category": 200}

COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "Code"),
    ("section_key", "Section key"),
    ("section", "Section"),
    ("category", "Category"),
    ("question", "Question"),
    ("why_it_matters", "Why it matters"),
    ("how_to_align", "How to align"),
    ("priority", "Priority"),
    ("tiers", "Tiers"),
    ("internal_only", "Internal only"),
    ("archived", "Archived"),
)
REQUIRED = ("code", "question", "section", "category")
LABELS = dict(COLUMNS)


class LibraryFileError(ValidationError):
    """The file as a whole cannot be read as a standards library."""


@dataclass(frozen=True, slots=True)
class LibraryRecord:
    """One standard as a file gives it; ``None`` means not given (keep what is there)."""

    where: str
    """``line 7`` (CSV) or ``standard 3 of Backup › Coverage`` (JSON), for reports."""
    code: str
    question: str
    section: str
    category: str
    section_key: str | None = None
    why_it_matters: str | None = None
    how_to_align: str | None = None
    priority: str | None = None
    tiers: tuple[str, ...] | None = None
    internal_only: bool | None = None
    archived: bool | None = None


@dataclass(frozen=True, slots=True)
class RecordProblem:
    where: str
    code: str
    message: str


@dataclass(frozen=True)
class ParsedLibrary:
    kind: str
    """``CSV`` or ``JSON``."""
    encoding: str
    records: list[LibraryRecord]
    problems: list[RecordProblem]
    warnings: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    """``where`` of every record and problem in file order (the report follows it)."""


def normalise_header(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lstrip("\ufeff").casefold()).strip("_")


ALIASES = {normalise_header(label): key for key, label in COLUMNS} | {key: key for key in LABELS}
ALIASES |= {
    "standard": "code",
    "id": "code",
    "tier": "tiers",
    "internal": "internal_only",
    "why": "why_it_matters",
    "how": "how_to_align",
    "recommendation": "how_to_align",
}


# -- writing -------------------------------------------------------------------------------------


def _cells(row: Mapping[str, Any]) -> list[Any]:
    cells = []
    for key, _label in COLUMNS:
        value = row.get(key)
        if key == "tiers":
            value = ", ".join(value or ())
        elif key in ("internal_only", "archived"):
            value = "yes" if value else "no"
        cells.append(value)
    return cells


def library_csv(rows: Iterable[Mapping[str, Any]]) -> bytes:
    """One row per standard (keys as in :data:`COLUMNS`), formula-safe, UTF-8 with BOM."""
    return csv_bytes([label for _key, label in COLUMNS], (_cells(r) for r in rows))


def library_json(sections: Iterable[Mapping[str, Any]]) -> bytes:
    """The nested library (sections with categories with standards) as UTF-8 JSON."""
    document = {"format": FORMAT, "version": VERSION, "sections": list(sections)}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# -- reading -------------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the name of the encoding that read it."""
    return decode_text(
        data,
        LibraryFileError,
        workbook_hint="save it as CSV from the spreadsheet program",
        binary_hint="This is not a text file; export the library as CSV or JSON.",
    )


def parse_library(data: bytes) -> ParsedLibrary:
    """A CSV or JSON library file (told apart by its first character)."""
    text, encoding = decode(data)
    if text.lstrip().startswith(("{", "[")):
        return parse_json(text, encoding)
    return parse_csv(text, encoding)


def _flag(value: str, what: str) -> bool | None:
    word = value.strip().casefold()
    if word in ("",):
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{what} {value.strip()!r} is not yes or no")


def _tiers(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    items = re.split(r"[\s,;/|]+", value) if isinstance(value, str) else list(value)
    if not isinstance(value, str) and not all(isinstance(t, str) for t in items):
        raise ValueError("tiers must be letters such as A, B, C")
    wanted = {t.strip().upper() for t in items if t.strip()}
    if not wanted:
        return None if isinstance(value, str) else ()
    unknown = sorted(wanted - set(TIERS))
    if unknown:
        raise ValueError(f"unknown tier {', '.join(unknown)} (use {', '.join(TIERS)})")
    return tuple(t for t in TIERS if t in wanted)


def _record(where: str, values: Mapping[str, Any], *, from_csv: bool) -> LibraryRecord:
    """Check one standard's values (strings or JSON values); ValueError says what is wrong."""

    def text(key: str) -> str | None:
        value = values.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError(f"{LABELS[key].lower()} must be text")
        return (unneutralise(value) if from_csv else value).strip()

    for key in REQUIRED:
        if not text(key):
            raise ValueError(f"{LABELS[key].lower()} is missing")
    for key, limit in LIMITS.items():
        value = text(key)
        if value and len(value) > limit:
            raise ValueError(f"{LABELS[key].lower()} is longer than {limit} characters")
    code = text("code") or ""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", code):
        raise ValueError(
            f"the code {code!r} may hold only letters, digits, dots, dashes, underscores"
        )
    priority = text("priority")
    if priority:
        if priority.casefold() not in PRIORITIES:
            raise ValueError(f"priority {priority!r} is not high, medium or low")
        priority = PRIORITIES[priority.casefold()]
    flags: dict[str, bool | None] = {}
    for key in ("internal_only", "archived"):
        value = values.get(key)
        if isinstance(value, bool) or value is None:
            flags[key] = value
        elif isinstance(value, str):
            flags[key] = _flag(value, LABELS[key].lower())
        else:
            raise ValueError(f"{LABELS[key].lower()} must be yes or no")
    tiers = _tiers(values.get("tiers"))
    if tiers == ():
        raise ValueError("tiers is empty (a standard applies to at least one tier)")
    return LibraryRecord(
        where=where,
        code=code,
        question=text("question") or "",
        section=" ".join((text("section") or "").split()),
        category=" ".join((text("category") or "").split()),
        section_key=text("section_key") or None,
        why_it_matters=text("why_it_matters") or None,
        how_to_align=text("how_to_align") or None,
        priority=priority or None,
        tiers=tiers,
        internal_only=flags["internal_only"],
        archived=flags["archived"],
    )


def _add(
    parsed: ParsedLibrary, seen: dict[str, str], where: str, values: Mapping[str, Any]
) -> None:
    """Check a record and file it as a record or a problem (a repeated code is a problem)."""
    parsed.order.append(where)
    raw_code = values.get("code")
    code = raw_code.strip() if isinstance(raw_code, str) else ""
    try:
        record = _record(where, values, from_csv=parsed.kind == "CSV")
    except ValueError as exc:
        parsed.problems.append(RecordProblem(where, code, str(exc)))
        return
    first = seen.get(record.code.casefold())
    if first is not None:
        parsed.problems.append(
            RecordProblem(where, code, f"the code {record.code} already appears at {first}")
        )
        return
    seen[record.code.casefold()] = where
    parsed.records.append(record)


def parse_csv(text: str, encoding: str = "UTF-8") -> ParsedLibrary:
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raise LibraryFileError("The file is empty.") from None
    except csv.Error as exc:
        raise LibraryFileError(f"The file is not readable as CSV: {exc}.") from None
    columns: dict[str, int] = {}
    warnings: list[str] = []
    for index, header in enumerate(headers):
        key = ALIASES.get(normalise_header(header))
        if key is None:
            if header.strip():
                warnings.append(f"The column {header.strip()!r} is not a library field; ignored.")
            continue
        if key in columns:
            raise LibraryFileError(
                f"The column {LABELS[key]!r} appears twice (columns {columns[key] + 1} and "
                f"{index + 1}); remove one so it is clear which to import."
            )
        columns[key] = index
    missing = [LABELS[k] for k in REQUIRED if k not in columns]
    if missing:
        found = ", ".join(repr(h.strip()) for h in headers if h.strip()) or "none"
        raise LibraryFileError(
            f"The file lacks the column(s) {', '.join(missing)}; a library file needs Code, "
            f"Question, Section and Category. Columns found: {found}."
        )
    parsed = ParsedLibrary("CSV", encoding, [], [], warnings)
    seen: dict[str, str] = {}
    line = reader.line_num
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            values = {key: (row[i] if i < len(row) else "") for key, i in columns.items()}
            _add(parsed, seen, f"line {start}", values)
    except csv.Error as exc:
        raise LibraryFileError(f"Line {line + 1} is not readable as CSV: {exc}.") from None
    if not parsed.order:
        raise LibraryFileError("The file names its columns but holds no standards.")
    return parsed


def parse_json(text: str, encoding: str = "UTF-8") -> ParsedLibrary:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LibraryFileError(
            f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise LibraryFileError(
            f"This JSON file is not a standards library (its format should be {FORMAT!r})."
        )
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION:
        raise LibraryFileError(
            f"This library file has format version {version!r}; this vcio_desk reads "
            f"version {VERSION}. Update vcio_desk to import it."
        )
    sections = document.get("sections")
    if not isinstance(sections, list):
        raise LibraryFileError('The library file has no list of "sections".')
    parsed = ParsedLibrary("JSON", encoding, [], [])
    seen: dict[str, str] = {}
    for s_index, section in enumerate(sections, start=1):
        place = f"section {s_index}"
        if not isinstance(section, dict) or not isinstance(section.get("categories"), list):
            raise LibraryFileError(f'The {place} is not an object with a list of "categories".')
        for c_index, category in enumerate(section["categories"], start=1):
            c_place = f"category {c_index} of {place}"
            if not isinstance(category, dict) or not isinstance(category.get("standards"), list):
                raise LibraryFileError(
                    f'The {c_place} is not an object with a list of "standards".'
                )
            for index, standard in enumerate(category["standards"], start=1):
                where = f"standard {index} of {c_place}"
                if not isinstance(standard, dict):
                    parsed.order.append(where)
                    parsed.problems.append(RecordProblem(where, "", "not an object"))
                    continue
                values = dict(standard)
                values.update(
                    section=section.get("name"),
                    section_key=section.get("key"),
                    category=category.get("name"),
                )
                _add(parsed, seen, where, values)
    if not parsed.order:
        raise LibraryFileError("The library file holds no standards.")
    return parsed
