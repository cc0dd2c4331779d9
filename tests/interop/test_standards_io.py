"""Standards library files: CSV and JSON both ways, and every kind of bad input a person
hands over (byte-order marks, Windows-1252, semicolons, missing or doubled columns,
repeated codes, markup and formula characters)."""

from __future__ import annotations

import codecs
import csv
import io
import json

import pytest

from vcio_desk.interop.standards_io import (
    COLUMNS,
    LibraryFileError,
    library_csv,
    library_json,
    parse_library,
)

HEADER = "Code,Section,Category,Question"
MARKUP = 'Is <b>R&D</b> "isolated" & <script>alert(1)</script> safe?'


def _row(**values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "code": "BKP-001",
        "section_key": "backup",
        "section": "Backup",
        "category": "Coverage",
        "question": "Backed up daily?",
        "why_it_matters": "",
        "how_to_align": "",
        "priority": "high",
        "tiers": ("A", "B"),
        "internal_only": False,
        "archived": False,
    }
    return base | values


def test_csv_round_trip_keeps_every_value() -> None:
    rows = [
        _row(),
        _row(code="SEC-1", question=MARKUP, why_it_matters="Line one\nLine two; with, commas",
             how_to_align="=SUM(A1) +1 -x @me", internal_only=True, archived=True, tiers=("C",)),
    ]  # fmt: skip
    data = library_csv(rows)
    assert data.startswith(codecs.BOM_UTF8)
    parsed = parse_library(data)
    assert (parsed.kind, parsed.encoding, parsed.problems) == (
        "CSV",
        "UTF-8 with byte-order mark",
        [],
    )
    first, second = parsed.records
    assert (first.where, first.code, first.tiers, first.priority) == (
        "line 2",
        "BKP-001",
        ("A", "B"),
        "high",
    )
    assert second.question == MARKUP
    assert second.why_it_matters == "Line one\nLine two; with, commas"
    assert second.how_to_align == "=SUM(A1) +1 -x @me"  # neutralised on export, restored here
    assert (second.internal_only, second.archived, second.tiers) == (True, True, ("C",))


def test_csv_export_neutralises_formulas_for_spreadsheets() -> None:
    data = library_csv([_row(question='=HYPERLINK("http://x")', code="A-1")])
    cells = next(
        row for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) if row[0] == "A-1"
    )
    question = cells[[k for k, _ in COLUMNS].index("question")]
    assert question == '\'=HYPERLINK("http://x")'


def test_json_round_trip_and_markup_is_data() -> None:
    sections = [{"key": "backup", "name": "Backup <&>", "categories": [
        {"name": "Coverage", "standards": [{"code": "BKP-001", "question": MARKUP,
                                             "priority": "low", "tiers": ["B"], "archived": True}]}
    ]}]  # fmt: skip
    parsed = parse_library(library_json(sections))
    (record,) = parsed.records
    assert (record.section, record.section_key, record.question) == ("Backup <&>", "backup", MARKUP)
    assert (record.priority, record.tiers, record.archived) == ("low", ("B",), True)
    assert record.where == "standard 1 of category 1 of section 1"


def test_semicolons_and_windows_1252_text() -> None:
    text = (
        "Code;Section;Category;Question;Why it matters\n"
        "BKP-1;Sauvegarde;Copies;Déjà vu – ok?;Café\n"
    )
    parsed = parse_library(text.encode("cp1252"))
    assert parsed.encoding == "Windows-1252"
    (record,) = parsed.records
    assert (record.section, record.question, record.why_it_matters) == (
        "Sauvegarde",
        "Déjà vu – ok?",
        "Café",
    )


def test_utf16_with_a_byte_order_mark() -> None:
    text = HEADER.replace(",", "\t") + "\nX-1\tS\tC\tQuestion?\n"
    parsed = parse_library(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert parsed.encoding == "UTF-16" and parsed.records[0].code == "X-1"


def test_headers_are_matched_loosely_and_unknown_ones_are_reported() -> None:
    data = b"\xef\xbb\xbf CODE ,section,Category,question,Why-it-matters,Notes\nX-1,S,C,Q?,W,n\n"
    parsed = parse_library(data)
    assert parsed.records[0].why_it_matters == "W"
    assert parsed.warnings == ["The column 'Notes' is not a library field; ignored."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"Code,Question\nX-1,Q?\n", r"lacks the column\(s\) Section, Category"),
        (b"Code,Section,Category,Question,code\nX,S,C,Q,Y\n", "appears twice"),
        (HEADER.encode() + b"\n", "holds no standards"),
        (b"PK\x03\x04rest-of-a-zip", "spreadsheet workbook"),
        (b"\x00\x01binary", "not a text file"),
        (b"Code,Section,Category,Question\n\x81\x8d,S,C,Q\n", "neither UTF-8 nor Windows-1252"),
        (b'{"format": "something-else", "version": 1}', "not a standards library"),
        (b'{"format": "vcio-desk-standards", "version": 2, "sections": []}', "version 2"),
        (b'{"format": "vcio-desk-standards", "version": 1, "sections": {}}', 'list of "sections"'),
        (b'{"format": "vcio-desk-standards", "version": 1, "sections": [{"categories": 3}]}',
         'section 1 is not an object with a list of "categories"'),
        (b'{"format": "vcio-desk-standards", "version": 1, "sections": [}', "not valid JSON"),
    ],
)  # fmt: skip
def test_unreadable_files_are_refused_whole(data: bytes, message: str) -> None:
    with pytest.raises(LibraryFileError, match=message):
        parse_library(data)


def test_each_bad_row_is_reported_with_its_reason() -> None:
    data = "\n".join(
        [
            HEADER + ",Priority,Tiers,Internal only",
            "A-1,S,C,Fine?,,,",
            ",S,C,No code?,,,",
            "A-2,S,C,,,,",
            "A-3,S,C,Bad priority?,urgent,,",
            "A-4,S,C,Bad tier?,,A D,",
            "a-1,S,C,Repeated code?,,,",
            "A 5,S,C,Space in code?,,,",
            "A-6,S,C,Internal?,,,maybe",
            "",
            '"A-7",S,C,"Quoted',
            'newline?",M,"A,B",yes',
            "A-8," + "S" * 201 + ",C,Long section?,,,",
        ]
    ).encode()
    parsed = parse_library(data)
    assert [(r.where, r.code) for r in parsed.records] == [("line 2", "A-1"), ("line 11", "A-7")]
    assert parsed.records[1].question == "Quoted\nnewline?"
    assert (parsed.records[1].priority, parsed.records[1].tiers) == ("medium", ("A", "B"))
    problems = [(p.where, p.message) for p in parsed.problems]
    assert problems == [
        ("line 3", "code is missing"),
        ("line 4", "question is missing"),
        ("line 5", "priority 'urgent' is not high, medium or low"),
        ("line 6", "unknown tier D (use A, B, C)"),
        ("line 7", "the code a-1 already appears at line 2"),
        ("line 8", "the code 'A 5' may hold only letters, digits, dots, dashes, underscores"),
        ("line 9", "internal only 'maybe' is not yes or no"),
        ("line 13", "section is longer than 200 characters"),
    ]
    assert parsed.order[:3] == ["line 2", "line 3", "line 4"]


def test_json_with_wrong_types_names_the_standard() -> None:
    document = {
        "format": "vcio-desk-standards",
        "version": 1,
        "sections": [
            {"key": "s", "name": "S", "categories": [{"name": "C", "standards": [
                {"code": 7, "question": "Q?"},
                {"code": "X-1", "question": ["not text"]},
                {"code": "X-2", "question": "Q?", "tiers": [1]},
                {"code": "X-3", "question": "Q?", "internal_only": 3},
                {"code": "X-4", "question": "Q?", "tiers": []},
                "not an object",
                {"code": "X-5", "question": "Fine?"},
            ]}]},
        ],
    }  # fmt: skip
    parsed = parse_library(json.dumps(document).encode())
    where = "standard {} of category 1 of section 1"
    assert [r.code for r in parsed.records] == ["X-5"]
    assert [(p.where, p.message) for p in parsed.problems] == [
        (where.format(1), "code must be text"),
        (where.format(2), "question must be text"),
        (where.format(3), "tiers must be letters such as A, B, C"),
        (where.format(4), "internal only must be yes or no"),
        (where.format(5), "tiers is empty (a standard applies to at least one tier)"),
        (where.format(6), "not an object"),
    ]
