"""Reading client lists from CSV: encodings, delimiters, headers, presets and every row problem.

All files are written here, in the test, from text: no third-party files.
"""

from __future__ import annotations

import codecs
import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vcio_desk.domain.errors import ValidationError
from vcio_desk.interop.csv_clients import (
    FIELDS,
    MAX_LENGTHS,
    PRESETS,
    ClientRecord,
    ContactRecord,
    CsvFileError,
    column_examples,
    inspect_csv,
    parse_clients,
    read_header,
    suggest_mapping,
)


def csv_bytes(
    rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8", bom: bool = False
) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (codecs.BOM_UTF8 if bom else b"") + data


def problems(data: bytes, **kwargs: object) -> dict[int, str]:
    return {p.line_number: p.message for p in parse_clients(data, **kwargs).problems}  # type: ignore[arg-type]


# -- encodings and delimiters ------------------------------------------------------------------


def test_utf8_with_a_byte_order_mark() -> None:
    data = csv_bytes([["Name", "Tier"], ["Ça Va Bakery", "A"]], bom=True)
    parsed = parse_clients(data)
    assert parsed.encoding == "UTF-8 with byte-order mark"
    assert parsed.layout.mapping == {"Name": "name", "Tier": "tier"}  # no "\ufeffName"
    assert parsed.records == [ClientRecord(line_number=2, name="Ça Va Bakery", tier="A")]


def test_utf8_without_a_byte_order_mark() -> None:
    parsed = parse_clients(csv_bytes([["name"], ["Zoë Ltd"]]))
    assert parsed.encoding == "UTF-8"
    assert parsed.records[0].name == "Zoë Ltd"


def test_windows_1252_text_falls_back_and_says_so() -> None:
    data = csv_bytes([["name", "notes"], ["Café Müller", "€ 5 – fine"]], encoding="cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    parsed = parse_clients(data)
    assert parsed.encoding == "Windows-1252"
    assert parsed.records[0].name == "Café Müller"
    assert parsed.records[0].notes == "€ 5 – fine"


def test_utf16_unicode_text_from_excel() -> None:
    text = "name\ttier\r\nAcme\tB\r\n"
    parsed = parse_clients(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert parsed.encoding == "UTF-16"
    assert parsed.layout.delimiter == "\t"
    assert parsed.records[0].tier == "B"


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_sniffed(delimiter: str) -> None:
    data = csv_bytes(
        [["name", "notes", "tier"], ["Acme, Inc.", "a; b\tc", "A"], ["Beta", "x,y", "C"]],
        delimiter=delimiter,
    )
    parsed = parse_clients(data)
    assert parsed.layout.delimiter == delimiter
    assert [(r.name, r.notes, r.tier) for r in parsed.records] == [
        ("Acme, Inc.", "a; b\tc", "A"),
        ("Beta", "x,y", "C"),
    ]


def test_semicolon_file_whose_values_are_full_of_commas() -> None:
    rows = [["Name", "Notes"]] + [[f"Client {i}, Ltd", "one, two, three"] for i in range(30)]
    parsed = parse_clients(csv_bytes(rows, delimiter=";"))
    assert parsed.layout.delimiter == ";"
    assert len(parsed.records) == 30


def test_quoted_newlines_keep_line_numbers_right() -> None:
    data = (
        b'name,notes,tier\r\n"Acme\r\nDental","line one\r\nline two\nline three",A\r\n'
        b"Beta,,Z\r\n"
        b'"Gamma",plain,B\n'
    )
    parsed = parse_clients(data)
    # Acme spans lines 2-5, Beta is line 6, Gamma line 7.
    assert [r.line_number for r in parsed.records] == [2, 7]
    acme = parsed.records[0]
    assert acme.name == "Acme Dental"  # blanks in a name collapse to one space
    assert acme.notes == "line one\r\nline two\nline three"
    assert problems(data) == {6: "Unknown tier 'Z' (use A, B or C)."}


# -- headers -------------------------------------------------------------------------------------


def test_headers_are_trimmed_and_case_folded() -> None:
    layout = inspect_csv(csv_bytes([["  NAME ", "External_ID", "Time  Zone", "Mystery"], ["a"]]))
    assert layout.mapping == {
        "  NAME ": "name",
        "External_ID": "external_id",
        "Time  Zone": "timezone",
        "Mystery": None,
    }
    assert layout.ignored_columns == ("Mystery",)
    assert "Columns ignored: Mystery." in layout.warnings


def test_missing_name_column_is_a_file_level_error_naming_it() -> None:
    with pytest.raises(CsvFileError) as caught:
        parse_clients(csv_bytes([["client_code", "tier"], ["X1", "A"]]))
    message = caught.value.user_message
    assert "required column" in message and "Name" in message
    assert "'client_code', 'tier'" in message
    assert isinstance(caught.value, ValidationError)


def test_psa_presets_require_the_external_id_column() -> None:
    data = csv_bytes([["Company Name", "Status"], ["Acme", "Active"]])
    with pytest.raises(CsvFileError, match=r"lacks a required column \(External ID: 'company id'"):
        parse_clients(data, preset="connectwise")
    assert parse_clients(data, mapping={"Company Name": "name"}).records[0].name == "Acme"


def test_the_error_suggests_the_preset_that_fits() -> None:
    data = csv_bytes([["Company Name", "Company ID", "Status"], ["Acme", "ACME", "Active"]])
    with pytest.raises(CsvFileError, match="choose the connectwise preset"):
        parse_clients(data)


def test_duplicate_imported_header_is_a_file_level_error() -> None:
    with pytest.raises(CsvFileError, match=r"'Name' appears more than once \(columns 1, 3\)"):
        parse_clients(csv_bytes([["Name", "Tier", "name"], ["A", "A", "B"]]))


def test_duplicate_ignored_header_is_only_a_warning() -> None:
    parsed = parse_clients(csv_bytes([["name", "Phone", "phone"], ["Acme", "1", "2"]]))
    assert parsed.records[0].name == "Acme"
    assert any("'Phone' appears more than once; it is ignored" in w for w in parsed.warnings)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"  \r\n\r\n", "The file is empty."),
        (codecs.BOM_UTF8, "The file is empty."),
        (b"name,tier\r\n", "holds no client rows"),
        (b"name,tier\r\n,\r\n  ,  \r\n", "holds no client rows"),
        (b"\r\nname\r\nAcme\r\n", "first line should name the columns"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "spreadsheet workbook"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "does not look like a CSV text file"),
        (b"name\r\n\x81\x8d\x8f\x90\x9d\xff\xfe", "neither UTF-8 nor Windows-1252"),
    ],
)
def test_files_that_cannot_be_imported(data: bytes, message: str) -> None:
    with pytest.raises(CsvFileError) as caught:
        parse_clients(data)
    assert message in caught.value.user_message


def test_unknown_preset() -> None:
    with pytest.raises(CsvFileError, match="Unknown preset 'halo'"):
        parse_clients(b"name\r\nA\r\n", preset="halo")


# -- presets -------------------------------------------------------------------------------------


def test_autotask_organization_template_columns() -> None:
    header = [
        "Organization ID", "[required] Name", "Number", "Address 1", "City", "State",
        "Zip Code", "Country", "Phone*", "Web Address", "Account Manager", "Classification",
    ]  # fmt: skip
    row = [
        "29683", "Acme Dental", "ACC-7", "1 Main St", "Albany", "New York", "12207",
        "United States", "555-0100", "acme.example", "Ken Thompson", "Tier A",
    ]  # fmt: skip
    parsed = parse_clients(csv_bytes([header, row]), preset="autotask")
    assert parsed.layout.mapping == {
        "Organization ID": "external_id",
        "[required] Name": "name",
        "Number": None,  # "Organization ID" wins; Number is used only without an ID column
        "Address 1": None,
        "City": None,
        "State": "subdivision",
        "Zip Code": None,
        "Country": "country",
        "Phone*": None,
        "Web Address": None,
        "Account Manager": "account_manager",
        "Classification": "tier",
    }
    assert parsed.records == [
        ClientRecord(
            line_number=2,
            name="Acme Dental",
            external_id="29683",
            tier="A",
            account_manager="Ken Thompson",
            country="US",
            subdivision="NY",
        )
    ]


def test_autotask_number_is_the_external_id_without_an_id_column() -> None:
    layout = inspect_csv(
        csv_bytes([["Organization: Name", "Organization: Number"], ["A", "7"]]), preset="autotask"
    )
    assert layout.mapping == {"Organization: Name": "name", "Organization: Number": "external_id"}


def test_connectwise_company_export_columns() -> None:
    header = [
        "Company Name", "Company ID", "Status", "Type", "Territory", "Market", "Phone Number",
        "City", "State/Province", "Country", "Account Manager",
    ]  # fmt: skip
    rows = [
        header,
        ["Acme", "ACME", "Active", "Client", "East", "Dental", "1", "Albany", "NY",
         "United States", "Ken"],
        ["Beta", "BETA", "Inactive", "Client", "", "", "", "", "", "Germany", ""],
        ["Gamma", "GAMMA", "Not-Approved", "Prospect", "", "", "", "", "", "", ""],
    ]  # fmt: skip
    parsed = parse_clients(csv_bytes(rows), preset="connectwise")
    mapped = {h: f for h, f in parsed.layout.mapping.items() if f}
    assert mapped == {
        "Company Name": "name",
        "Company ID": "external_id",
        "Status": "active",
        "State/Province": "subdivision",
        "Country": "country",
        "Account Manager": "account_manager",
    }
    assert [(r.name, r.external_id, r.active, r.country) for r in parsed.records] == [
        ("Acme", "ACME", True, "US"),
        ("Beta", "BETA", False, "DE"),
    ]
    assert problems(csv_bytes(rows), preset="connectwise") == {
        4: "Status 'Not-Approved' is not understood (use Active or Inactive)."
    }


def test_generic_preset_knows_every_field_by_its_own_name() -> None:
    layout = inspect_csv(csv_bytes([list(FIELDS), ["x"] * len(FIELDS)]))
    assert layout.mapping == {f: f for f in FIELDS}
    assert {p.key for p in PRESETS.values()} == {"generic", "autotask", "connectwise"}


def test_an_explicit_mapping_replaces_the_preset() -> None:
    data = csv_bytes([["Kunde", "Stufe", "Land"], ["Müller GmbH", "b", "DE"]])
    parsed = parse_clients(data, mapping={"Kunde": "name", "Stufe": "tier", "Land": None})
    assert parsed.records == [ClientRecord(line_number=2, name="Müller GmbH", tier="B")]
    assert parsed.layout.ignored_columns == ("Land",)


def test_explicit_mapping_errors() -> None:
    data = csv_bytes([["a", "b"], ["x", "y"]])
    with pytest.raises(CsvFileError, match="'a' and 'b' are both set to import as Name"):
        parse_clients(data, mapping={"a": "name", "b": "name"})
    with pytest.raises(CsvFileError, match="No column is set to import as Name"):
        parse_clients(data, mapping={"a": "tier"})
    with pytest.raises(CsvFileError, match="Unknown field"):
        parse_clients(data, mapping={"a": "name", "b": "shoe_size"})


def test_header_helpers_for_the_dialog() -> None:
    data = csv_bytes([["Company Name", "Company ID", "Notes"], ["", "X", ""], ["Acme", "Y", "hi"]])
    assert read_header(data) == ("UTF-8", ",", ("Company Name", "Company ID", "Notes"))
    assert suggest_mapping(read_header(data)[2], "connectwise") == {
        "Company Name": "name",
        "Company ID": "external_id",
        "Notes": "notes",
    }
    assert suggest_mapping(read_header(data)[2], "generic")["Company Name"] is None
    assert column_examples(data) == {"Company Name": "Acme", "Company ID": "X", "Notes": "hi"}


# -- rows ----------------------------------------------------------------------------------------


def test_tiers_accept_a_b_c_in_any_case_and_nothing_else() -> None:
    rows = [["name", "tier"]] + [
        [f"C{i}", tier]
        for i, tier in enumerate(["A", "b", "Tier C", "tier-a", "TIER_B", "", "D", "Gold", "AA"])
    ]
    parsed = parse_clients(csv_bytes(rows))
    assert [r.tier for r in parsed.records] == ["A", "B", "C", "A", "B", None]
    assert problems(csv_bytes(rows)) == {
        8: "Unknown tier 'D' (use A, B or C).",
        9: "Unknown tier 'Gold' (use A, B or C).",
        10: "Unknown tier 'AA' (use A, B or C).",
    }


def test_duplicate_external_ids_refuse_the_second_and_later_rows() -> None:
    rows = [["name", "external_id"], ["A", "7"], ["B", "8"], ["C", "7"], ["D", "7"], ["E", ""]]
    parsed = parse_clients(csv_bytes(rows))
    assert [(r.name, r.external_id) for r in parsed.records] == [
        ("A", "7"),
        ("B", "8"),
        ("E", None),
    ]
    assert problems(csv_bytes(rows)) == {
        4: "The external id '7' is already on line 2.",
        5: "The external id '7' is already on line 2.",
    }


def test_duplicate_names_and_empty_names() -> None:
    rows = [["name", "external_id"], ["Acme", "1"], ["Acme", "2"], ["  ", "3"]]
    assert problems(csv_bytes(rows)) == {
        3: "The name 'Acme' is already on line 2.",
        4: "The name is empty.",
    }


def test_fiscal_month_values() -> None:
    rows = [["name", "fiscal_year_start_month"]] + [
        [f"C{i}", v] for i, v in enumerate(["7", "07", "July", "jul.", "Sept", "13", "0", "Q3"])
    ]
    parsed = parse_clients(csv_bytes(rows))
    assert [r.fiscal_year_start_month for r in parsed.records] == [7, 7, 7, 7, 9]
    assert set(problems(csv_bytes(rows))) == {7, 8, 9}
    assert "'13' is not a month (use 1 to 12" in problems(csv_bytes(rows))[7]


def test_time_zones_are_checked_and_spelled_canonically() -> None:
    rows = [["name", "timezone"], ["A", "america/new_york"], ["B", "UTC"], ["C", "Mars/Olympus"]]
    parsed = parse_clients(csv_bytes(rows))
    assert [r.timezone for r in parsed.records] == ["America/New_York", "UTC"]
    assert problems(csv_bytes(rows)) == {
        4: "Unknown time zone 'Mars/Olympus' (use an IANA name such as America/New_York)."
    }


def test_countries_and_regions_must_have_a_holiday_calendar() -> None:
    rows = [
        ["name", "country", "subdivision"],
        ["A", "US", "NY"],
        ["B", "United States", "New York"],
        ["C", "germany", "Bayern"],
        ["D", "The Netherlands", ""],
        ["E", "gb", "sct"],
        ["F", "Atlantis", ""],
        ["G", "US", "ZZ"],
        ["H", "", "NY"],
    ]
    parsed = parse_clients(csv_bytes(rows))
    assert [(r.country, r.subdivision) for r in parsed.records] == [
        ("US", "NY"),
        ("US", "NY"),
        ("DE", "BY"),
        ("NL", None),
        ("GB", "SCT"),
    ]
    found = problems(csv_bytes(rows))
    assert found[7].startswith("Unknown country 'Atlantis' for public holidays")
    assert found[8] == "Unknown state or region 'ZZ' for US public holidays."
    assert found[9] == "The region 'NY' needs a country."


def test_regions_accepted_here_are_accepted_by_the_holiday_service() -> None:
    from vcio_desk.services.holiday_calendar import check_region

    parsed = parse_clients(csv_bytes([["name", "country", "state"], ["A", "Canada", "Ontario"]]))
    record = parsed.records[0]
    assert (record.country, record.subdivision) == ("CA", "ON")
    check_region(record.country, record.subdivision)


def test_over_long_fields_are_refused() -> None:
    rows = [
        ["name", "external_id", "contact_name", "contact_phone"],
        ["N" * 200, "E" * 100, "C" * 200, "5" * 50],
        ["N" * 201, "x", "", ""],
        ["ok", "E" * 101, "", "5" * 51],
    ]
    found = problems(csv_bytes(rows))
    assert set(found) == {3, 4}
    assert found[3] == "Name is 201 characters long (at most 200)."
    assert "External ID is 101 characters long (at most 100)" in found[4]
    assert "Contact phone is 51 characters long (at most 50)" in found[4]


def test_field_limits_match_the_store_columns() -> None:
    from vcio_desk.store import models as m

    columns = {
        "name": m.Client.name,
        "external_id": m.Client.external_id,
        "subdivision": m.Client.subdivision,
        "timezone": m.Client.timezone,
        "vcio": m.Staff.name,
        "tam": m.Staff.name,
        "account_manager": m.Staff.name,
        "contact_name": m.Contact.name,
        "contact_title": m.Contact.title,
        "contact_email": m.Contact.email,
        "contact_phone": m.Contact.phone,
    }
    assert {f: c.type.length for f, c in columns.items()} == MAX_LENGTHS
    assert m.Client.country.type.length == 2  # countries are stored as ISO alpha-2 codes


def test_active_values_contacts_and_staff_names() -> None:
    rows = [
        ["name", "active", "vcio", "contact_name", "contact_email", "contact_title"],
        ["A", "yes", "  Ada   Lovelace ", "Jo Park", "jo@a.example", ""],
        ["B", "Inactive", "", "", "orphan@b.example", ""],
        ["C", "perhaps", "", "", "", ""],
    ]
    parsed = parse_clients(csv_bytes(rows))
    a, b = parsed.records
    assert (a.active, a.vcio, a.contact) == (
        True,
        "Ada Lovelace",
        ContactRecord("Jo Park", None, "jo@a.example", None),
    )
    assert (b.active, b.contact) == (False, None)  # contact details without a name are ignored
    assert problems(csv_bytes(rows)) == {
        4: "Status 'perhaps' is not understood (use Active or Inactive)."
    }


def test_blank_rows_are_skipped_and_extra_values_are_refused() -> None:
    data = b"name,tier\r\nA,A\r\n\r\n,\r\nB\r\nC,B,surprise\r\nD,C,,\r\n"
    parsed = parse_clients(data)
    assert parsed.rows == 4
    assert [(r.line_number, r.name, r.tier) for r in parsed.records] == [
        (2, "A", "A"),
        (5, "B", None),
        (7, "D", "C"),
    ]
    assert problems(data) == {6: "3 values but only 2 columns; check quotes and delimiters."}


def test_every_problem_of_a_row_is_reported_together() -> None:
    rows = [["name", "tier", "timezone", "fiscal_year_start_month"], ["", "Q", "Nowhere", "99"]]
    message = problems(csv_bytes(rows))[2]
    assert message.startswith("The name is empty; unknown tier 'Q'")
    assert "unknown time zone 'Nowhere'" in message and "'99' is not a month" in message


def test_preview_and_max_rows() -> None:
    rows = [["name", "tier"]] + [[f"C{i}", "X" if i == 3 else "A"] for i in range(50)]
    parsed = parse_clients(csv_bytes(rows), max_rows=20)
    assert parsed.truncated and parsed.rows == 20
    assert len(parsed.preview) == 20
    assert parsed.preview[3].values == {"name": "C3", "tier": "X"}
    assert parsed.preview[3].problem == "Unknown tier 'X' (use A, B or C)."
    assert parsed.preview[0].problem == ""


def test_a_hundred_thousand_rows() -> None:
    header = "name;external_id;tier;vcio;country;subdivision;timezone;fiscal_year_start_month"
    lines = [header]
    for i in range(100_000):
        tier = "Gold" if i % 10_000 == 0 else "ABC"[i % 3]
        lines.append(f"Client {i};EXT-{i % 99_990};{tier};Vcio {i % 20};US;NY;America/New_York;7")
    parsed = parse_clients("\n".join(lines).encode())
    assert parsed.rows == 100_000
    bad = {p.line_number for p in parsed.problems}
    assert {i + 2 for i in range(0, 100_000, 10_000)} <= bad  # unknown tiers
    assert {99_990 + 2 + i for i in range(10)} <= bad  # repeated external ids
    assert len(parsed.records) + len(parsed.problems) == 100_000


names = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x00"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() and " ".join(s.split()) == s)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(names, min_size=1, max_size=8, unique=True),
    st.sampled_from([",", ";", "\t"]),
    st.booleans(),
)
def test_names_survive_any_quoting(client_names: list[str], delimiter: str, bom: bool) -> None:
    rows = [["Name", "Notes"]] + [[name, f'"{name}",\n;'] for name in client_names]
    parsed = parse_clients(csv_bytes(rows, delimiter=delimiter, bom=bom))
    assert parsed.layout.delimiter == delimiter
    assert [r.name for r in parsed.records] == client_names
    assert [r.notes for r in parsed.records] == [f'"{n}",\n;' for n in client_names]
