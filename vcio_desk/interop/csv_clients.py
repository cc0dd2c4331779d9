"""Client lists from CSV files: decode, find the delimiter, map the columns, check every row.

Pure: bytes in, plain dataclasses out; no store, no Qt. The service
``services.client_import`` decides what each good row does to the workspace.

Reading
    UTF-8 (with or without a byte-order mark) first, then Windows-1252 (what Excel
    writes for "CSV (Comma delimited)" on a Western-European Windows); UTF-16 with a
    byte-order mark ("Unicode Text") too. The encoding used is reported. The delimiter
    (``,`` ``;`` or tab) comes from ``csv.Sniffer`` on a sample, checked against the
    header line; quoted fields may hold delimiters, quotes and newlines.

Headers
    Trimmed, blanks collapsed and case-folded; a leading ``[required]`` marker and a
    trailing ``*`` (as in Autotask's templates) are dropped. A preset maps header names
    to our fields (for each field, the first alias present wins); an explicit mapping
    (the import dialog's, header text -> field or None) can be given instead. Columns
    that map to nothing are reported and ignored. A missing required column, or a
    column name that appears twice where that column would be imported, is a
    file-level :class:`CsvFileError`; a duplicated column that is ignored is a warning.

Rows
    Each data row becomes a :class:`ClientRecord` or a :class:`RowProblem` (line
    numbers are physical lines, the header being line 1; a record with a quoted newline
    is reported at the line it starts on). Blank rows are skipped. An empty cell means
    "not given": the import leaves the existing value alone (or uses the default).

Presets
    See :mod:`vcio_desk.interop.csv_presets` for each preset and where its column
    names come from.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vcio_desk.domain.errors import ValidationError

from .csv_presets import FIELD_LABELS, FIELDS, PRESETS, Preset, normalise_header
from .csv_text import decode_text
from .csv_values import (
    FALSE_WORDS,
    MONTHS,
    TIER_PATTERN,
    TRUE_WORDS,
    clean_staff_name,
    resolve_country,
    resolve_subdivision,
    resolve_timezone,
)

__all__ = [
    "FIELDS",
    "FIELD_LABELS",
    "PRESETS",
    "Preset",
    "normalise_header",
    "resolve_country",
    "resolve_subdivision",
    "resolve_timezone",
]


MAX_LENGTHS: dict[str, int] = {
    "name": 200,
    "external_id": 100,
    "vcio": 200,
    "tam": 200,
    "account_manager": 200,
    "subdivision": 10,
    "timezone": 64,
    "contact_name": 200,
    "contact_title": 200,
    "contact_email": 254,
    "contact_phone": 50,
}
"""Column sizes of the store's models (a test keeps them in step with ``store.models``)."""

PREVIEW_ROWS = 20
DELIMITERS = ",;\t"
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_SAMPLE_CHARS = 64 * 1024


NO_ROWS = "The file names its columns but holds no client rows."


class CsvFileError(ValidationError):
    """The file as a whole cannot be imported (unreadable, not CSV, bad header...)."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    line_number: int
    message: str
    name: str = ""
    """The row's client name as written, when it has one (for reports)."""


@dataclass(frozen=True, slots=True)
class ContactRecord:
    name: str
    title: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class ClientRecord:
    """One good row. ``None`` means "not given": keep the existing value or the default."""

    line_number: int
    name: str
    external_id: str | None = None
    tier: str | None = None
    vcio: str | None = None
    tam: str | None = None
    account_manager: str | None = None
    country: str | None = None
    subdivision: str | None = None
    timezone: str | None = None
    fiscal_year_start_month: int | None = None
    active: bool | None = None
    notes: str | None = None
    contact: ContactRecord | None = None


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """A data row as written (field -> text) with its problem, for the import dialog."""

    line_number: int
    values: dict[str, str]
    problem: str = ""


@dataclass(frozen=True)
class CsvLayout:
    """What the header line says: encoding, delimiter, columns and what each imports as."""

    encoding: str
    delimiter: str
    headers: tuple[str, ...]
    mapping: dict[str, str | None]
    """Every non-empty header (as written) -> field, or None when it is ignored."""
    columns: tuple[tuple[str, int], ...] = ()
    """(field, column index) for every imported column."""
    warnings: tuple[str, ...] = ()

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))

    @property
    def ignored_columns(self) -> tuple[str, ...]:
        return tuple(h for h, f in self.mapping.items() if f is None)


@dataclass(frozen=True)
class ParsedFile:
    layout: CsvLayout
    records: list[ClientRecord]
    problems: list[RowProblem]
    rows: int
    """Data rows read (blank rows not counted)."""
    preview: list[PreviewRow] = field(default_factory=list)
    truncated: bool = False
    """True when ``max_rows`` stopped the reading early."""

    @property
    def encoding(self) -> str:
        return self.layout.encoding

    @property
    def warnings(self) -> tuple[str, ...]:
        return self.layout.warnings


def _preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise CsvFileError(f"Unknown preset {name!r}; use one of: {', '.join(PRESETS)}.") from None


# -- decoding and the header line --------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the name of the encoding that read it."""
    return decode_text(
        data,
        CsvFileError,
        workbook_hint="open it in the spreadsheet program and save it as CSV",
        binary_hint=(
            "This does not look like a CSV text file (it holds binary data); "
            "export or save the client list as CSV."
        ),
    )


def _first_record(text: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader(io.StringIO(text[:_SAMPLE_CHARS], newline=""), delimiter=delimiter))
    except (StopIteration, csv.Error):
        return []


def sniff_delimiter(text: str) -> str:
    """``,``, ``;`` or tab: what ``csv.Sniffer`` finds, unless the header line disagrees."""
    sample = text[:_SAMPLE_CHARS]
    if len(text) > _SAMPLE_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    header_columns = {d: len(_first_record(text, d)) for d in DELIMITERS}
    try:
        sniffed: str | None = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    if sniffed not in tuple(DELIMITERS):
        sniffed = None
    best = max(DELIMITERS, key=lambda d: header_columns[d])
    if sniffed is not None and header_columns[sniffed] >= header_columns[best]:
        return sniffed
    if header_columns[best] > 1:
        return best
    return sniffed or ","


def _preset_columns(preset: Preset, positions: Mapping[str, int]) -> dict[int, str]:
    """Column index -> field: for each field, the first of its aliases that is a column."""
    chosen: dict[int, str] = {}
    for name in FIELDS:
        for alias in preset.aliases[name]:
            if alias in positions and positions[alias] not in chosen:
                chosen[positions[alias]] = name
                break
    return chosen


def _score(preset: Preset, positions: Mapping[str, list[int]]) -> int:
    """How many fields ``preset`` would find; -1 if it would lack a required one."""
    found = {f for f in FIELDS if any(a in positions for a in preset.aliases[f])}
    return len(found) if set(preset.required) <= found else -1


def _layout_from_headers(
    encoding: str,
    delimiter: str,
    headers: list[str],
    preset: Preset,
    mapping: Mapping[str, str | None] | None,
) -> CsvLayout:
    normalised = [normalise_header(h) for h in headers]
    positions: dict[str, list[int]] = {}
    for index, name in enumerate(normalised):
        if name:
            positions.setdefault(name, []).append(index)
    chosen: dict[int, str] = {}
    if mapping is None:
        required = preset.required
        chosen = _preset_columns(preset, {name: found[0] for name, found in positions.items()})
    else:
        required = ("name",)
        wanted = {normalise_header(h): f for h, f in mapping.items()}
        unknown = sorted({f for f in wanted.values() if f is not None and f not in FIELDS})
        if unknown:
            raise CsvFileError(f"Unknown field(s) in the column mapping: {', '.join(unknown)}.")
        by_field: dict[str, list[str]] = {}
        for name, target in wanted.items():
            if target is not None and name in positions:
                chosen[positions[name][0]] = target
                by_field.setdefault(target, []).append(headers[positions[name][0]].strip())
        twice = {f: hs for f, hs in by_field.items() if len(hs) > 1}
        if twice:
            f, hs = next(iter(twice.items()))
            raise CsvFileError(
                f"The columns {' and '.join(repr(h) for h in hs)} are both set to import as "
                f"{FIELD_LABELS[f]}; choose one."
            )
    warnings = []
    for indexes in positions.values():
        if len(indexes) < 2:
            continue
        shown = headers[indexes[0]].strip()
        columns = ", ".join(str(i + 1) for i in indexes)
        if any(i in chosen for i in indexes):
            raise CsvFileError(
                f"The column {shown!r} appears more than once (columns {columns}); "
                "rename or remove the extra ones so it is clear which one to import."
            )
        warnings.append(f"The column {shown!r} appears more than once; it is ignored.")
    missing = [f for f in required if f not in chosen.values()]
    if missing and mapping is not None:
        labels = " and ".join(FIELD_LABELS[f] for f in missing)
        raise CsvFileError(f"No column is set to import as {labels}; choose the one that holds it.")
    if missing:
        found = ", ".join(repr(h.strip()) for h in headers if h.strip()) or "none"
        aliases = "; ".join(
            f"{FIELD_LABELS[f]}: " + " or ".join(repr(a) for a in preset.aliases[f][:3])
            for f in missing
        )
        hint = ""
        others = [p for p in PRESETS.values() if p is not preset and _score(p, positions) >= 0]
        if others:
            best = max(others, key=lambda p: _score(p, positions))
            name = best.title.split(" (")[0]
            hint = f" These look like {name} column names: choose the {best.key} preset."
        raise CsvFileError(
            f"The file lacks a required column ({aliases}). Columns found: {found}.{hint}"
        )
    result: dict[str, str | None] = {}
    for index, header in enumerate(headers):
        if header.strip() and header not in result:
            result[header] = chosen.get(index)
    ignored = [h.strip() for h, f in result.items() if f is None]
    if ignored:
        warnings.append("Columns ignored: " + ", ".join(ignored) + ".")
    columns = tuple(sorted(((f, i) for i, f in chosen.items()), key=lambda c: c[1]))
    return CsvLayout(encoding, delimiter, tuple(headers), result, columns, tuple(warnings))


def read_header(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Encoding, delimiter and the column names as written (CsvFileError if unreadable)."""
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    headers = _first_record(text, delimiter)
    if not any(h.strip() for h in headers):
        raise CsvFileError("The first line should name the columns, but it is blank.")
    return encoding, delimiter, tuple(headers)


def column_examples(data: bytes, *, rows: int = 50) -> dict[str, str]:
    """The first non-empty value of each column within the first ``rows`` rows."""
    text, _encoding = decode(data)
    reader = csv.reader(
        io.StringIO(text[:_SAMPLE_CHARS], newline=""), delimiter=sniff_delimiter(text)
    )
    headers = next(reader, [])
    found: dict[str, str] = {}
    try:
        for number, row in enumerate(reader):
            for header, cell in zip(headers, row, strict=False):
                if header not in found and cell.strip():
                    found[header] = " ".join(cell.split())
            if number >= rows or len(found) == len(headers):
                break
    except csv.Error:
        pass
    return found


def suggest_mapping(headers: tuple[str, ...] | list[str], preset: str) -> dict[str, str | None]:
    """What ``preset`` would import each column as (None: ignored); never raises for gaps."""
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        positions.setdefault(normalise_header(header), index)
    by_index = _preset_columns(_preset(preset), positions)
    result: dict[str, str | None] = {}
    for index, header in enumerate(headers):
        if header.strip() and header not in result:
            result[header] = by_index.get(index)
    return result


def inspect_csv(
    data: bytes, *, preset: str = "generic", mapping: Mapping[str, str | None] | None = None
) -> CsvLayout:
    """Decode, sniff, map the header and see a data row; CsvFileError for a file-level problem.

    A quick look before a workspace is opened; row problems show only in a full parse.
    """
    text, encoding = decode(data)
    layout, reader = _open(text, encoding, _preset(preset), mapping)
    try:
        if not any("".join(row).strip() for row in reader):
            raise CsvFileError(NO_ROWS)
    except csv.Error:
        pass  # parse_clients reports the line
    return layout


def _open(
    text: str, encoding: str, preset: Preset, mapping: Mapping[str, str | None] | None
) -> tuple[CsvLayout, Any]:
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raise CsvFileError("The file is empty.") from None
    except csv.Error as exc:
        raise CsvFileError(f"The header line cannot be read as CSV ({exc}).") from None
    if not any(h.strip() for h in headers):
        raise CsvFileError("The first line should name the columns, but it is blank.")
    return _layout_from_headers(encoding, delimiter, headers, preset, mapping), reader


# -- rows ----------------------------------------------------------------------------------------


class _RowChecker:
    """Turns one row's texts into a ClientRecord or problem messages; caches lookups."""

    def __init__(self) -> None:
        self.external_ids: dict[str, int] = {}
        self.names: dict[str, int] = {}
        self._country: dict[str, str | None] = {}
        self._subdivision: dict[tuple[str, str], str | None] = {}
        self._zone: dict[str, str | None] = {}

    def check(self, line: int, v: dict[str, str]) -> ClientRecord | list[str]:
        problems: list[str] = []
        for name, text in v.items():
            limit = MAX_LENGTHS.get(name)
            if limit is not None and len(text) > limit:
                problems.append(
                    f"{FIELD_LABELS[name]} is {len(text)} characters long (at most {limit})"
                )
        name = " ".join(v.get("name", "").split())
        if not name:
            problems.append("the name is empty")
        else:
            first = self.names.setdefault(name, line)
            if first != line:
                problems.append(f"the name {name!r} is already on line {first}")
        external_id = v.get("external_id") or None
        if external_id:
            first = self.external_ids.setdefault(external_id, line)
            if first != line:
                problems.append(f"the external id {external_id!r} is already on line {first}")
        tier = None
        if text := v.get("tier"):
            match = TIER_PATTERN.match(text)
            if match:
                tier = match.group(1).upper()
            else:
                problems.append(f"unknown tier {text!r} (use A, B or C)")
        country = None
        if text := v.get("country"):
            if text not in self._country:
                self._country[text] = resolve_country(text)
            country = self._country[text]
            if country is None:
                problems.append(
                    f"unknown country {text!r} for public holidays "
                    "(use the ISO code, e.g. US, or the English name)"
                )
        subdivision = None
        if text := v.get("subdivision"):
            if not v.get("country"):
                problems.append(f"the region {text!r} needs a country")
            elif country is not None:
                key = (country, text)
                if key not in self._subdivision:
                    self._subdivision[key] = resolve_subdivision(country, text)
                subdivision = self._subdivision[key]
                if subdivision is None:
                    problems.append(
                        f"unknown state or region {text!r} for {country} public holidays"
                    )
        zone = None
        if text := v.get("timezone"):
            if text not in self._zone:
                self._zone[text] = resolve_timezone(text)
            zone = self._zone[text]
            if zone is None:
                problems.append(
                    f"unknown time zone {text!r} (use an IANA name such as America/New_York)"
                )
        month = None
        if text := v.get("fiscal_year_start_month"):
            month = MONTHS.get(text.casefold().rstrip("."))
            if month is None:
                problems.append(
                    f"fiscal year start month {text!r} is not a month (use 1 to 12 or a name)"
                )
        active = None
        if text := v.get("active"):
            folded = text.casefold()
            if folded in TRUE_WORDS:
                active = True
            elif folded in FALSE_WORDS:
                active = False
            else:
                problems.append(f"status {text!r} is not understood (use Active or Inactive)")
        if problems:
            return problems
        contact = None
        if text := v.get("contact_name"):
            contact = ContactRecord(
                clean_staff_name(text),
                v.get("contact_title") or None,
                v.get("contact_email") or None,
                v.get("contact_phone") or None,
            )
        return ClientRecord(
            line_number=line,
            name=name,
            external_id=external_id,
            tier=tier,
            vcio=clean_staff_name(v["vcio"]) if v.get("vcio") else None,
            tam=clean_staff_name(v["tam"]) if v.get("tam") else None,
            account_manager=clean_staff_name(v["account_manager"])
            if v.get("account_manager")
            else None,
            country=country,
            subdivision=subdivision,
            timezone=zone,
            fiscal_year_start_month=month,
            active=active,
            notes=v.get("notes") or None,
            contact=contact,
        )


def parse_clients(
    data: bytes,
    *,
    preset: str = "generic",
    mapping: Mapping[str, str | None] | None = None,
    preview_rows: int = PREVIEW_ROWS,
    max_rows: int | None = None,
) -> ParsedFile:
    """Read a client list. ``mapping`` (header -> field or None) replaces the preset's.

    Raises :class:`CsvFileError` for a file-level problem; row problems are returned.
    ``max_rows`` stops after that many data rows (the dialog's quick preview).
    """
    text, encoding = decode(data)
    layout, reader = _open(text, encoding, _preset(preset), mapping)
    columns = layout.columns
    width = len(layout.headers)
    checker = _RowChecker()
    records: list[ClientRecord] = []
    problems: list[RowProblem] = []
    preview: list[PreviewRow] = []
    rows = 0
    last_line = reader.line_num
    truncated = False
    try:
        for row in reader:
            line = last_line + 1
            last_line = reader.line_num
            if not "".join(row).strip():
                continue
            if max_rows is not None and rows >= max_rows:
                truncated = True
                break
            rows += 1
            values = {
                target: row[index].strip() if index < len(row) else "" for target, index in columns
            }
            outcome = checker.check(line, values)
            if len(row) > width and any(cell.strip() for cell in row[width:]):
                extra = f"{len(row)} values but only {width} columns; check quotes and delimiters"
                outcome = [*outcome, extra] if isinstance(outcome, list) else [extra]
            if isinstance(outcome, list):
                message = "; ".join(outcome)
                sentence = message[:1].upper() + message[1:] + "."
                problems.append(RowProblem(line, sentence, values.get("name", "")))
            else:
                records.append(outcome)
            if len(preview) < preview_rows:
                preview.append(
                    PreviewRow(
                        line, values, problems[-1].message if isinstance(outcome, list) else ""
                    )
                )
    except csv.Error as exc:
        raise CsvFileError(
            f"Line {reader.line_num} cannot be read as CSV ({exc}); check its quotes."
        ) from None
    if rows == 0 and not truncated:
        raise CsvFileError(NO_ROWS)
    return ParsedFile(layout, records, problems, rows, preview, truncated)
