"""`vcio-desk drift`: the JSON shape of PRODUCT.md §5, CSV that spreadsheets cannot execute."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import update

from vcio_desk.__main__ import main
from vcio_desk.interop.csv_export import neutralise
from vcio_desk.services.demo import build_demo
from vcio_desk.store import models as m
from vcio_desk.store import open_store

AS_OF = "2026-11-20"
SLOT_KEYS = {"nominal", "tolerance_days", "status", "held", "delta_days", "booked"}
RHYTHM_KEYS = {
    "subject",
    "subject_kind",
    "meeting_type",
    "owner",
    "flag",
    "reason",
    "adherence_pct",
    "drift_days",
    "interval_ratio",
    "last_held",
    "next_due",
    "slots",
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("drift") / "demo.sqlite3"
    with open_store(path) as store:
        build_demo(store, clients=20, years=2, seed=21, as_of=dt.date(2026, 11, 20))
        with store.transaction() as s:  # a hostile client name for the CSV test
            s.execute(update(m.Client).where(m.Client.id == 1).values(name='=HYPERLINK("x")'))
    return path


def drift(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> str:
    assert main(["--db", str(db), "drift", "--as-of", AS_OF, *args]) == 0
    return capsys.readouterr().out


def test_json_shape(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    payload = json.loads(drift(capsys, demo, "--json"))
    assert payload["as_of"] == AS_OF and payload["lead_days"] == 21
    assert payload["rhythms"]
    for rhythm in payload["rhythms"]:
        assert set(rhythm) == RHYTHM_KEYS
        assert rhythm["subject_kind"] in ("client", "internal")
        assert rhythm["flag"] in ("broken", "overdue", "drifting", "unbooked", "ok")
        assert rhythm["reason"]
        nominals = [s["nominal"] for s in rhythm["slots"]]
        assert nominals == sorted(nominals)
        assert nominals[-1] <= "2027-11-20"  # through one year after as_of
        for slot in rhythm["slots"]:
            assert set(slot) == SLOT_KEYS
    flags = {r["flag"] for r in payload["rhythms"]}
    assert {"broken", "overdue", "ok"} <= flags
    kinds = {r["subject_kind"] for r in payload["rhythms"]}
    assert kinds == {"client", "internal"}


def test_ranked_most_severe_first_and_filters(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    order = ["broken", "overdue", "drifting", "unbooked", "ok"]
    flags = [r["flag"] for r in json.loads(drift(capsys, demo, "--json"))["rhythms"]]
    assert flags == sorted(flags, key=order.index)
    only = json.loads(drift(capsys, demo, "--json", "--flag", "broken"))["rhythms"]
    assert only and {r["flag"] for r in only} == {"broken"}
    committee = json.loads(drift(capsys, demo, "--json", "--client", "standards committee"))[
        "rhythms"
    ]
    assert [r["subject"] for r in committee] == ["Standards committee"]


def test_csv_neutralises_formulas(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.reader(io.StringIO(drift(capsys, demo, "--csv"))))
    assert rows[0][:2] == ["subject", "subject_kind"]
    names = {row[0] for row in rows[1:]}
    assert '\'=HYPERLINK("x")' in names
    assert not any(cell.startswith(("=", "+", "@")) for row in rows[1:] for cell in row)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+44 20", "'+44 20"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("-3.5", "-3.5"),
        ("Acme", "Acme"),
        (None, ""),
        (12, "12"),
    ],
)
def test_neutralise(value: object, expected: str) -> None:
    assert neutralise(value) == expected


def test_text_summary(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = drift(capsys, demo)
    assert out.startswith(f"Drift as of {AS_OF} (")
    assert "BROKEN" in out


@pytest.mark.parametrize("as_of", ["1990-01-01", "2200-01-01"])
def test_far_away_as_of_dates_work(
    demo: Path, capsys: pytest.CaptureFixture[str], as_of: str
) -> None:
    assert main(["--db", str(demo), "drift", "--as-of", as_of, "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    flags = {r["flag"] for r in payload["rhythms"]}
    assert flags == ({"ok"} if as_of < "2000" else {"broken"})


def test_as_of_out_of_range_is_a_clear_error(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(demo), "drift", "--as-of", "9998-12-30"]) == 2
    assert capsys.readouterr().err.startswith("vcio-desk: Judge drift as of a date between 1900")
