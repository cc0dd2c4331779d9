"""Importing clients into real workspaces: upsert, rhythms, one transaction, dry runs, the CLI.

Every test writes its CSV here from text and imports it into a real SQLite workspace
in ``tmp_path`` (the ``workspace`` fixture); nothing is mocked but the failures that
are injected on purpose.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from vcio_desk.domain.errors import ValidationError, WorkspaceError
from vcio_desk.interop.csv_clients import CsvFileError
from vcio_desk.services import client_import
from vcio_desk.services.client_import import ImportReport, as_text, import_clients
from vcio_desk.services.rhythms import list_rhythms, tier_templates
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 21)  # a Saturday: new rhythms are anchored on Monday the 23rd
ANCHOR = dt.date(2026, 11, 23)


def csv_bytes(rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


@pytest.fixture
def populated(workspace: Store) -> Store:
    """Three staff and two clients already in the workspace (written with the ORM)."""
    with workspace.transaction() as session:
        ada = m.Staff(name="Ada Lovelace", is_vcio=True)
        grace = m.Staff(name="Grace Hopper", is_vcio=True)
        ken = m.Staff(name="Ken Thompson", is_account_manager=True)
        session.add_all([ada, grace, ken])
        session.flush()
        session.add_all(
            [
                m.Client(name="Zenith Legal", external_id="PSA-099", tier="A", vcio_id=ada.id),
                m.Client(name="Delta Freight", tier="B", account_manager_id=ken.id),
            ]
        )
    return workspace


def run_import(store: Store, data: bytes, **kwargs: object) -> ImportReport:
    return import_clients(store, data, as_of=AS_OF, **kwargs)  # type: ignore[arg-type]


def counts(store: Store) -> dict[str, int]:
    with store.session() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in m.Base.metadata.sorted_tables
        }


def clients(store: Store) -> dict[str, dict[str, object]]:
    with store.session() as session:
        rows = session.execute(select(m.Client)).scalars().all()
        return {
            c.name: {
                "external_id": c.external_id,
                "tier": str(c.tier),
                "country": c.country,
                "subdivision": c.subdivision,
                "timezone": c.timezone,
                "fiscal": c.fiscal_year_start_month,
                "active": c.active,
                "notes": c.notes,
                "vcio_id": c.vcio_id,
                "tam_id": c.tam_id,
                "account_manager_id": c.account_manager_id,
                "row_version": c.row_version,
            }
            for c in rows
        }


def staff(store: Store) -> dict[str, tuple[int, bool, bool, bool]]:
    with store.session() as session:
        return {
            s.name: (s.id, s.is_vcio, s.is_tam, s.is_account_manager)
            for s in session.execute(select(m.Staff)).scalars()
        }


HEADER = [
    "name", "external_id", "tier", "vcio", "tam", "account_manager", "country", "subdivision",
    "timezone", "fiscal_year_start_month", "active", "notes", "contact_name", "contact_email",
]  # fmt: skip
FIRST = [
    HEADER,
    ["Acme Dental", "PSA-1", "A", "Ada Lovelace", "Émile Zola", "Ken Thompson", "US", "NY",
     "America/New_York", "7", "yes", "Two sites", "Jo Park", "jo@acme.example"],
    ["Beta Logistics", "PSA-2", "C", "ada lovelace", "", "", "DE", "BY", "Europe/Berlin", "", "",
     "", "", ""],
    ["Ça Va Bakery", "", "", "", "", "", "FR", "", "Europe/Paris", "", "no", "", "", ""],
]  # fmt: skip


# -- adding, updating, unchanged -----------------------------------------------------------------


def test_first_import_adds_clients_staff_and_contacts(workspace: Store) -> None:
    report = run_import(workspace, csv_bytes(FIRST))

    assert (report.added, report.updated, report.unchanged, report.refused) == (3, 0, 0, [])
    assert [(o.line_number, o.name, o.action) for o in report.outcomes] == [
        (2, "Acme Dental", "added"),
        (3, "Beta Logistics", "added"),
        (4, "Ça Va Bakery", "added"),
    ]
    people = staff(workspace)
    assert set(people) == {"Ada Lovelace", "Émile Zola", "Ken Thompson"}  # "ada lovelace" is Ada
    assert people["Ada Lovelace"][1:] == (True, False, False)
    assert people["Émile Zola"][1:] == (False, True, False)
    assert people["Ken Thompson"][1:] == (False, False, True)
    assert report.staff_created == ["Ada Lovelace", "Émile Zola", "Ken Thompson"]
    assert report.warnings[0] == "Read as UTF-8 text, comma-separated."
    assert "New staff: Ada Lovelace (vCIO), Émile Zola (TAM), Ken Thompson (account manager)." in (
        report.warnings
    )

    found = clients(workspace)
    assert found["Acme Dental"] | {"vcio_id": 0, "tam_id": 0, "account_manager_id": 0} == {
        "external_id": "PSA-1", "tier": "A", "country": "US", "subdivision": "NY",
        "timezone": "America/New_York", "fiscal": 7, "active": True, "notes": "Two sites",
        "vcio_id": 0, "tam_id": 0, "account_manager_id": 0, "row_version": 1,
    }  # fmt: skip
    assert found["Acme Dental"]["vcio_id"] == people["Ada Lovelace"][0]
    assert found["Beta Logistics"]["vcio_id"] == people["Ada Lovelace"][0]
    assert found["Ça Va Bakery"] | {} == {
        "external_id": None, "tier": "B", "country": "FR", "subdivision": None,
        "timezone": "Europe/Paris", "fiscal": 1, "active": False, "notes": "", "vcio_id": None,
        "tam_id": None, "account_manager_id": None, "row_version": 1,
    }  # fmt: skip
    with workspace.session() as session:
        contact = session.execute(select(m.Contact)).scalar_one()
    assert (contact.name, contact.email, contact.title) == ("Jo Park", "jo@acme.example", "")


def test_second_import_updates_and_third_is_all_unchanged(workspace: Store) -> None:
    run_import(workspace, csv_bytes(FIRST))
    changed = [list(row) for row in FIRST]
    changed[1][2] = "B"  # Acme: tier A -> B
    changed[1][13] = "jo@new.example"  # and Jo's email
    changed[2][0] = "Beta Logistics GmbH"  # renamed, found by its external id
    changed[3][6], changed[3][7] = "DE", "BE"  # found by name: moves to Berlin
    changed.append(["Delta Freight", "PSA-4", "", "Grace Hopper", "", "", "", "", "", "", "", "",
                    "", ""])  # fmt: skip
    second = run_import(workspace, csv_bytes(changed))

    assert (second.added, second.updated, second.unchanged) == (1, 3, 0)
    details = {o.name: o.detail for o in second.outcomes}
    assert details["Acme Dental"] == (
        "tier A → B; contact Jo Park updated; "
        "use Change tier… on the client to re-version its rhythms"
    )
    assert details["Beta Logistics GmbH"] == "name Beta Logistics → Beta Logistics GmbH"
    assert details["Ça Va Bakery"] == "country FR → DE; region — → BE"
    assert any("1 existing client(s) changed tier" in w for w in second.warnings)
    found = clients(workspace)
    assert "Beta Logistics" not in found
    assert found["Beta Logistics GmbH"]["row_version"] == 2
    assert (found["Acme Dental"]["tier"], found["Ça Va Bakery"]["subdivision"]) == ("B", "BE")
    with workspace.session() as session:
        assert session.scalar(select(m.Contact.email)) == "jo@new.example"

    before = counts(workspace)
    third = run_import(workspace, csv_bytes(changed))
    assert (third.added, third.updated, third.unchanged, third.refused) == (0, 0, 4, [])
    assert {o.action for o in third.outcomes} == {"unchanged"}
    assert counts(workspace) == before
    assert clients(workspace) == found


def test_empty_cells_never_erase(workspace: Store) -> None:
    run_import(workspace, csv_bytes(FIRST))
    sparse = [
        ["name", "external_id", "tier", "country", "notes"],
        ["Acme Dental", "PSA-1", "", "", ""],
    ]
    report = run_import(workspace, csv_bytes(sparse))
    assert report.unchanged == 1
    assert clients(workspace)["Acme Dental"]["country"] == "US"


def test_a_client_without_external_id_is_adopted_by_name(workspace: Store) -> None:
    run_import(workspace, csv_bytes([["name", "tier"], ["Acme Dental", "A"]]))
    report = run_import(workspace, csv_bytes([["name", "external_id"], ["Acme Dental", "PSA-1"]]))
    assert (report.added, report.updated) == (0, 1)
    assert report.outcomes[0].detail == "external id — → PSA-1"
    assert clients(workspace)["Acme Dental"]["external_id"] == "PSA-1"


def test_rows_that_would_clash_with_other_clients_are_refused(workspace: Store) -> None:
    run_import(workspace, csv_bytes(FIRST))
    rows = [
        ["name", "external_id"],
        ["Acme Dental", "PSA-99"],  # that name belongs to PSA-1
        ["Beta Logistics", "PSA-1"],  # PSA-1 renamed to a name another client has
        ["Ça Va Bakery", ""],  # fine: matched by name
        ["Ça Va Bakery ", "PSA-3"],  # same client again (names are trimmed) -> refused in the file
    ]
    before = counts(workspace)
    report = run_import(workspace, csv_bytes(rows))
    assert {p.line_number: p.message for p in report.refused} == {
        2: "A client named 'Acme Dental' already exists with another external id ('PSA-1').",
        3: "Another client is already called 'Beta Logistics'.",
        5: "The name 'Ça Va Bakery' is already on line 4.",
    }
    assert [p.name for p in report.refused] == ["Acme Dental", "Beta Logistics", "Ça Va Bakery"]
    assert report.unchanged == 1
    assert counts(workspace) == before


def test_a_client_touched_twice_in_one_file_is_refused_the_second_time(workspace: Store) -> None:
    run_import(workspace, csv_bytes([["name", "external_id"], ["Alpha", "E-1"]]))
    rows = [["name", "external_id", "tier"], ["Beta", "E-1", "A"], ["Alpha", "", "C"]]
    report = run_import(workspace, csv_bytes(rows))
    assert report.updated == 1
    assert [(p.line_number, p.message) for p in report.refused] == [
        (3, "This client was already imported from line 2.")
    ]
    assert clients(workspace)["Beta"]["tier"] == "A"


def test_known_staff_are_matched_ignoring_case_and_gain_the_role(populated: Store) -> None:
    before = staff(populated)
    rows = [["name", "vcio", "tam"], ["New Client", "GRACE HOPPER", "ada lovelace"]]
    report = run_import(populated, csv_bytes(rows))
    after = staff(populated)
    assert set(after) == set(before)
    assert report.staff_created == []
    assert "Ada Lovelace is now also a TAM." in report.warnings
    assert after["Ada Lovelace"][1:] == (True, True, False)
    new = clients(populated)["New Client"]
    assert (new["vcio_id"], new["tam_id"]) == (before["Grace Hopper"][0], before["Ada Lovelace"][0])


# -- rhythms ---------------------------------------------------------------------------------


def test_new_clients_get_their_tier_rhythms_in_the_same_import(workspace: Store) -> None:
    report = run_import(workspace, csv_bytes(FIRST), author="Ada")
    assert report.rhythms_created == 6
    templates = tier_templates(workspace)["tiers"]
    ids = {name: cid for name, cid in _client_ids(workspace).items()}
    for name, tier in (("Acme Dental", "A"), ("Beta Logistics", "C"), ("Ça Va Bakery", "B")):
        rhythms = list_rhythms(workspace, client_id=ids[name])
        expected = {(t["meeting_type"], t["rrule"], t["tolerance_days"]) for t in templates[tier]}
        got = set()
        for rhythm in rhythms:
            (version,) = rhythm.versions
            got.add((rhythm.meeting_type_key, version.rule, version.tolerance_days))
            assert version.anchor == version.effective_from == ANCHOR
            assert version.reason == f"Tier {tier} template (client import)"
            assert version.author == "Ada"
            assert rhythm.active is (name != "Ça Va Bakery")  # that client is inactive
        assert got == expected


def test_an_existing_client_changing_tier_keeps_its_rhythms(workspace: Store) -> None:
    run_import(workspace, csv_bytes(FIRST))
    before = counts(workspace)
    rows = [["name", "external_id", "tier"], ["Acme Dental", "PSA-1", "C"]]
    report = run_import(workspace, csv_bytes(rows))
    assert "Change tier…" in report.outcomes[0].detail
    assert clients(workspace)["Acme Dental"]["tier"] == "C"
    after = counts(workspace)
    assert (after["rhythms"], after["rhythm_versions"]) == (
        before["rhythms"],
        before["rhythm_versions"],
    )


@pytest.mark.parametrize(
    ("as_of", "anchor"),
    [
        (dt.date(2026, 11, 23), dt.date(2026, 11, 23)),  # a Monday stays
        (dt.date(2026, 11, 21), dt.date(2026, 11, 23)),  # Saturday -> Monday
        (dt.date(2026, 1, 29), dt.date(2026, 2, 2)),  # past the 28th -> next month's weekday
        (dt.date(2026, 2, 28), dt.date(2026, 3, 2)),
    ],
)
def test_rhythm_anchor(as_of: dt.date, anchor: dt.date) -> None:
    assert client_import._anchor(as_of) == anchor


def test_a_brand_new_workspace_gets_its_meeting_types(db_target) -> None:  # type: ignore[no-untyped-def]
    with open_store(db_target("new")) as store:
        report = run_import(store, csv_bytes([["name", "tier"], ["Acme", "A"]]))
        assert report.rhythms_created == 2
        assert counts(store)["meeting_types"] > 0


# -- one transaction -----------------------------------------------------------------------------


def test_dry_run_reports_the_same_and_writes_nothing(populated: Store) -> None:
    data = csv_bytes([*FIRST, ["Zenith Legal", "PSA-099", "Q"] + [""] * 11])
    before = counts(populated)
    dry = run_import(populated, data, dry_run=True)
    assert counts(populated) == before
    real = run_import(populated, data)
    assert counts(populated) != before
    assert dry.dry_run and not real.dry_run
    assert (dry.added, dry.updated, dry.unchanged) == (real.added, real.updated, real.unchanged)
    assert dry.refused == real.refused
    assert dry.outcomes == real.outcomes
    assert dry.warnings == real.warnings
    assert dry.staff_created == real.staff_created
    assert dry.rhythms_created == real.rhythms_created == 6


def test_dry_run_on_a_read_only_workspace(workspace: Store, db_target) -> None:  # type: ignore[no-untyped-def]
    path = db_target("ws")
    workspace.close()
    with open_store(path, read_only=True) as store:
        report = run_import(store, csv_bytes(FIRST), dry_run=True)
        assert report.added == 3
        with pytest.raises(WorkspaceError, match="read-only"):
            run_import(store, csv_bytes(FIRST))


def test_a_failure_mid_write_leaves_the_workspace_unchanged(
    populated: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    before, names = counts(populated), clients(populated)
    rows = [*FIRST, ["Zenith Legal", "PSA-099", "C", "New Person"] + [""] * 10]

    def broken(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("disk on fire")

    # Staff, clients, updates and contacts are written before the rhythms.
    monkeypatch.setattr(client_import, "_insert_rhythms", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        run_import(populated, csv_bytes(rows))
    assert counts(populated) == before
    assert clients(populated) == names


def test_a_cancel_during_the_write_leaves_the_workspace_unchanged(populated: Store) -> None:
    before = counts(populated)

    class Cancelled(Exception):
        pass

    def progress(_done: int, _total: int, label: str) -> None:
        if label == "Writing to the workspace" and _done > 0:
            raise Cancelled

    with pytest.raises(Cancelled):
        run_import(populated, csv_bytes(FIRST), progress=progress)
    assert counts(populated) == before


def test_file_level_errors_write_nothing(workspace: Store) -> None:
    before = counts(workspace)
    for data in (b"", b"tier\r\nA\r\n", b"name;Name\r\nA;B\r\n"):
        with pytest.raises(CsvFileError):
            run_import(workspace, data)
    assert counts(workspace) == before


def test_a_template_without_its_meeting_type_refuses_the_whole_import(workspace: Store) -> None:
    from vcio_desk.services.settings import write_setting

    templates = tier_templates(workspace)
    broken = {**templates, "tiers": {**templates["tiers"], "A": [
        {"meeting_type": "no_such_type", "rrule": "FREQ=MONTHLY", "tolerance_days": 3}
    ]}}  # fmt: skip
    write_setting(workspace, "tier_rhythms", broken)
    before = counts(workspace)
    with pytest.raises(ValidationError, match="no_such_type"):
        run_import(workspace, csv_bytes(FIRST))
    assert counts(workspace) == before


# -- the bad files of the issue, end to end ------------------------------------------------------


def test_every_bad_file_gives_a_per_row_report_and_imports_only_good_rows(
    workspace: Store,
) -> None:
    text = (
        "Name;External ID;Tier;Notes\r\n"
        'Müller GmbH;M-1;A;"Zwei Standorte;\r\nKöln und Bonn"\r\n'
        "Ärzte AG;M-2;Gold;\r\n"
        "Büro Schmidt;M-1;B;\r\n"
        ";M-4;C;\r\n"
        "Café Ost;M-5;c;\r\n"
    )
    data = text.encode("cp1252")
    report = run_import(workspace, data)
    assert report.warnings[0] == "Read as Windows-1252 text, semicolon-separated."
    assert {p.line_number: p.message for p in report.refused} == {
        4: "Unknown tier 'Gold' (use A, B or C).",
        5: "The external id 'M-1' is already on line 2.",
        6: "The name is empty.",
    }
    assert [(o.line_number, o.action) for o in report.outcomes] == [
        (2, "added"), (4, "refused"), (5, "refused"), (6, "refused"), (7, "added"),
    ]  # fmt: skip
    found = clients(workspace)
    assert set(found) == {"Müller GmbH", "Café Ost"}
    assert found["Müller GmbH"]["notes"] == "Zwei Standorte;\r\nKöln und Bonn"


def test_presets_end_to_end(workspace: Store) -> None:
    autotask = [
        ["Organization ID", "Name", "Country", "State", "Classification", "Account Manager"],
        ["101", "Acme Dental", "United States", "New York", "Tier A", "Ken Thompson"],
    ]
    connectwise = [
        ["Company Name", "Company ID", "Status", "Country", "State/Province"],
        ["Acme Dental", "101", "Inactive", "", ""],
    ]
    first = run_import(workspace, csv_bytes(autotask), preset="autotask")
    assert first.added == 1
    second = run_import(workspace, csv_bytes(connectwise), preset="connectwise")
    assert (second.updated, second.outcomes[0].detail) == (1, "active True → False")
    acme = clients(workspace)["Acme Dental"]
    assert (acme["country"], acme["subdivision"], acme["tier"], acme["active"]) == (
        "US",
        "NY",
        "A",
        False,
    )


def test_report_text_lists_the_first_problems_then_a_count(workspace: Store) -> None:
    rows = [["name", "tier"]] + [[f"C{i}", "Z"] for i in range(60)] + [["Good", "A"]]
    report = run_import(workspace, csv_bytes(rows), dry_run=True)
    text = as_text(report)
    assert text.splitlines()[0] == (
        "Dry run of 61 rows (nothing was written): 1 would be added, 0 updated, 0 unchanged, "
        "60 refused."
    )
    assert "  line 2 (C0): Unknown tier 'Z' (use A, B or C)." in text
    assert "  line 51 (C49): Unknown tier 'Z' (use A, B or C)." in text
    assert "line 52 (C50)" not in text
    assert text.endswith("  … and 10 more")


@pytest.mark.slow
def test_a_hundred_thousand_rows_in_one_transaction(
    workspace: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["name,external_id,tier,vcio,country,subdivision,timezone,contact_name"]
    for i in range(100_000):
        tier = "Platinum" if i % 25_000 == 7 else "ABC"[i % 3]
        lines.append(f"Client {i},EXT-{i},{tier},Vcio {i % 40},US,NY,America/New_York,P {i}")
    data = "\n".join(lines).encode()

    before = counts(workspace)
    original = client_import._insert_rhythms

    def fail_after_rhythms(*args: object, **kwargs: object) -> int:
        original(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("power cut after the last insert")

    monkeypatch.setattr(client_import, "_insert_rhythms", fail_after_rhythms)
    with pytest.raises(RuntimeError):
        run_import(workspace, data)
    assert counts(workspace) == before  # nothing half imported
    monkeypatch.undo()

    report = run_import(workspace, data)
    assert (report.added, len(report.refused), report.rows) == (99_996, 4, 100_000)
    assert [p.line_number for p in report.refused] == [9, 25_009, 50_009, 75_009]
    after = counts(workspace)
    assert after["clients"] == 99_996
    assert after["contacts"] == 99_996
    assert after["staff"] == 40
    assert after["rhythms"] == after["rhythm_versions"] == 2 * 99_996

    again = run_import(workspace, data)
    assert (again.unchanged, again.added, again.updated) == (99_996, 0, 0)


def _client_ids(store: Store) -> dict[str, int]:
    with store.session() as session:
        return {name: cid for name, cid in session.execute(select(m.Client.name, m.Client.id))}


# -- the command line ----------------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }


def cli(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in env.items() if k != "VCIO_DESK_DB"}
    result = subprocess.run(
        [sys.executable, "-m", "vcio_desk", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )
    assert "Traceback" not in result.stdout + result.stderr
    return result


def test_cli_import_dry_run_then_import(tmp_path: Path, cli_env: dict[str, str], db_target) -> None:
    db = db_target("ws")
    with open_store(db) as store:
        ensure_base_content(store)
        before = counts(store)
    file = tmp_path / "clients.csv"
    file.write_bytes(csv_bytes([*FIRST, ["Bad", "X-9", "Z"] + [""] * 11], delimiter=";"))

    dry = cli(cli_env, tmp_path, "--db", str(db), "import", "clients", str(file), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "Dry run of 4 rows (nothing was written): 3 would be added" in dry.stdout
    assert "  line 5 (Bad): Unknown tier 'Z' (use A, B or C)." in dry.stdout
    assert "- Read as UTF-8 text, semicolon-separated." in dry.stdout
    with open_store(db, read_only=True) as store:
        assert counts(store) == before

    real = cli(cli_env, tmp_path, "--db", str(db), "import", "clients", str(file), "--as-of",
               "2026-11-21")  # fmt: skip
    assert real.returncode == 0, real.stderr
    assert real.stdout.startswith(f"{file} (generic preset)\nImported 4 rows: 3 added, 0 updated")
    assert "New clients got 6 rhythms from their tier." in real.stdout
    with open_store(db, read_only=True) as store:
        assert set(clients(store)) == {"Acme Dental", "Beta Logistics", "Ça Va Bakery"}


@pytest.mark.sqlite_only  # a new workspace file (and its folder) made by the import
def test_cli_presets_and_a_fresh_workspace(tmp_path: Path, cli_env: dict[str, str]) -> None:
    file = tmp_path / "cw.csv"
    file.write_bytes(
        csv_bytes([["Company Name", "Company ID", "Status"], ["Acme", "A1", "Active"]])
    )
    db = tmp_path / "fresh" / "ws.sqlite3"
    result = cli(cli_env, tmp_path, "--db", str(db), "import", "clients", str(file), "--preset",
                 "connectwise")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout
    with open_store(db, read_only=True) as store:
        assert counts(store)["standards"] > 0  # a new workspace gets its base content too


@pytest.mark.parametrize(
    ("content", "message", "code"),
    [
        (None, "There is no file", 1),
        (b"", "The file is empty.", 2),
        (b"tier;notes\r\nA;x\r\n", "lacks a required column (Name", 2),
        (b"name,tier,Name\r\nA,A,B\r\n", "'name' appears more than once", 2),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "does not look like a CSV text file", 2),
        (b"name,tier\r\n", "holds no client rows", 2),
    ],
)
@pytest.mark.sqlite_only  # asserts the workspace file is never created
def test_cli_file_level_errors(
    tmp_path: Path, cli_env: dict[str, str], content: bytes | None, message: str, code: int
) -> None:
    db = tmp_path / "ws.sqlite3"
    file = tmp_path / "clients.csv"
    if content is not None:
        file.write_bytes(content)
    result = cli(cli_env, tmp_path, "--db", str(db), "import", "clients", str(file))
    assert result.returncode == code
    assert result.stdout == ""
    assert result.stderr.startswith("vcio-desk: ") and message in result.stderr
    assert not db.exists()  # a bad file never creates (or touches) the workspace


@pytest.mark.sqlite_only  # "no workspace" means no file; a server database always exists
def test_cli_dry_run_needs_an_existing_workspace(tmp_path: Path, cli_env: dict[str, str]) -> None:
    file = tmp_path / "c.csv"
    file.write_bytes(b"name\r\nAcme\r\n")
    result = cli(cli_env, tmp_path, "--db", str(tmp_path / "none.sqlite3"), "import", "clients",
                 str(file), "--dry-run")  # fmt: skip
    assert result.returncode == 3
    assert "There is no workspace at" in result.stderr


def test_cli_folder_and_bad_preset(tmp_path: Path, cli_env: dict[str, str]) -> None:
    result = cli(cli_env, tmp_path, "import", "clients", str(tmp_path))
    assert result.returncode == 1 and "is a folder" in result.stderr
    result = cli(cli_env, tmp_path, "import", "clients", "x.csv", "--preset", "halo")
    assert result.returncode == 2 and "invalid choice: 'halo'" in result.stderr
