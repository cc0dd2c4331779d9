"""`vcio-desk schedule` and `rhythm preview` from the command line, on real workspaces."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from icalendar import Calendar

from vcio_desk.__main__ import main
from vcio_desk.services.demo import build_demo
from vcio_desk.store import open_store

AS_OF = "2026-11-20"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.sqlite3"
    with open_store(path) as store:
        build_demo(store, clients=6, years=1, seed=9, as_of=dt.date(2026, 11, 20))
    return path


@pytest.fixture
def workspace(demo: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "ws.sqlite3"
    copy.write_bytes(demo.read_bytes())
    return copy


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_dry_run_then_apply_then_nothing_left(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "--db", str(workspace), "schedule", "--year", "2028", "--as-of", AS_OF
    )
    assert code == 0
    assert out.startswith("Schedule 2028:") and "would add" in out and "dry run" in out
    code, out, _ = run(
        capsys, "--db", str(workspace), "schedule", "--year", "2028", "--apply", "--as-of", AS_OF
    )
    assert code == 0 and "added" in out
    code, out, _ = run(
        capsys, "--db", str(workspace), "schedule", "--year", "2028", "--json", "--as-of", AS_OF
    )
    payload = json.loads(out)
    assert payload["summary"]["added"] == 0 and payload["summary"]["removed"] == 0
    assert payload["window"] == {"start": "2028-01-01", "end": "2029-01-01", "label": "2028"}
    first = payload["meetings"][0]
    assert set(first) >= {
        "subject",
        "meeting_type",
        "slot",
        "date",
        "time",
        "owner",
        "status",
        "conflict",
    }
    assert all(m["status"] == "proposed" for m in payload["meetings"])


def test_from_date_window_and_ics(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ics = tmp_path / "plan.ics"
    code, _out, err = run(
        capsys,
        "--db",
        str(workspace),
        "schedule",
        "--from",
        "2026-12-01",
        "--apply",
        "--ics",
        str(ics),
        "--as-of",
        AS_OF,
    )
    assert code == 0 and "Calendar written" in err
    calendar = Calendar.from_ical(ics.read_bytes())
    events = [c for c in calendar.walk("VEVENT")]
    assert events and all(str(e["UID"]).startswith("meeting-") for e in events)


def test_ics_to_an_unwritable_place_is_a_clear_error(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    code, _out, err = run(
        capsys,
        "--db",
        str(workspace),
        "schedule",
        "--year",
        "2027",
        "--ics",
        str(blocker / "plan.ics"),
        "--as-of",
        AS_OF,
    )
    assert code != 0
    assert err.startswith("vcio-desk: ") and "Traceback" not in err
    assert not (blocker / "plan.ics").exists()


def test_year_out_of_range(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--db", str(workspace), "schedule", "--year", "99999")
    assert code == 2 and out == ""
    assert err == "vcio-desk: Pick a year between 1900 and 9000, not 99999.\n"


def test_impossible_date_is_refused_by_the_parser(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(workspace), "schedule", "--from", "2026-02-30"])
    assert exit_info.value.code == 2
    assert "is not a date in the form YYYY-MM-DD" in capsys.readouterr().err


def test_preview_prints_iso_dates(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "rhythm",
        "preview",
        "--rule",
        "FREQ=MONTHLY;BYDAY=2WE",
        "--start",
        "2026-01-01",
        "--count",
        "3",
    )
    assert code == 0 and out.split() == ["2026-01-14", "2026-02-11", "2026-03-11"]
    code, out, err = run(
        capsys, "rhythm", "preview", "--rule", "FREQ=HOURLY", "--start", "2026-01-01"
    )
    assert code == 2 and out == "" and "within a day" in err
