"""Assembling the adherence report from a real demo workspace, and writing it safely."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from vcio_desk.atomic import WriteError
from vcio_desk.domain.drift import Flag
from vcio_desk.reports.adherence_report import AdherenceReportData
from vcio_desk.services.adherence import summarize_adherence
from vcio_desk.services.adherence_report import adherence_report_data, write_adherence_report
from vcio_desk.services.demo import build_demo
from vcio_desk.services.drift import assess_all
from vcio_desk.services.drift_report import ranked
from vcio_desk.services.settings import write_setting
from vcio_desk.store import Store, open_store

AS_OF = dt.date(2026, 11, 20)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo(build_workspace) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    store = open_store(build_workspace().target)
    try:
        build_demo(store, clients=30, years=2, seed=6, as_of=AS_OF)
        yield store
    finally:
        store.close()


@pytest.fixture(scope="module")
def data(demo: Store) -> AdherenceReportData:
    return adherence_report_data(demo, AS_OF)


def test_headline_figures_match_the_adherence_summary(demo: Store, data: AdherenceReportData):
    summary = summarize_adherence(assess_all(demo, AS_OF))
    assert data.as_of == AS_OF and data.msp_name == "BrightPath IT"
    assert (data.overall.kept, data.overall.judged) == (
        summary.overall.kept,
        summary.overall.judged,
    )
    assert data.overall.pct == pytest.approx(summary.overall.pct)
    assert [(f.label, f.kept, f.judged) for f in data.by_owner] == [
        (f.label, f.kept, f.judged) for f in summary.by_owner
    ]
    assert [f.label for f in data.by_tier] == [f.label for f in summary.by_tier]
    assert {f.label for f in data.by_kind} == {"Clients", "Internal"}
    assert len(data.trend) == 12 and data.trend[-1].month == dt.date(2026, 11, 1)
    assert data.overall.rhythms == len(assess_all(demo, AS_OF).rhythms)
    assert data.window_days == 365


def test_exceptions_are_every_flagged_rhythm_ranked(demo: Store, data: AdherenceReportData):
    report = assess_all(demo, AS_OF)
    expected = [r for r in ranked(report.rhythms) if r.assessment.flag is not Flag.OK]
    assert [(e.subject, e.meeting_type, e.flag, e.reason) for e in data.exceptions] == [
        (r.subject, r.meeting_type, r.assessment.flag.value, r.assessment.reason) for r in expected
    ]
    assert all(e.flag != "ok" and e.reason for e in data.exceptions)
    severities = [Flag(e.flag).severity for e in data.exceptions]
    assert severities == sorted(severities)


def test_client_rows_cover_every_measured_client(demo: Store, data: AdherenceReportData):
    report = assess_all(demo, AS_OF)
    measured = {r.subject for r in report.rhythms if r.subject_kind == "client"}
    assert [c.name for c in data.clients] == sorted(measured, key=str.casefold)
    keys = [t.key for t in data.rhythm_types]
    assert set(keys) == {"alignment_review", "vcio_meeting"}
    by_subject = {(r.subject, r.meeting_type_key): r for r in report.rhythms}
    for client in data.clients:
        assert client.tier in {"A", "B", "C"}
        assert client.vcio and client.account_manager
        for key, cell in client.cells.items():
            rhythm = by_subject[(client.name, key)]
            assert cell.flag == rhythm.assessment.flag.value
            assert cell.pct == rhythm.assessment.adherence_pct


def test_the_committee_line_is_the_committee_rhythm(data: AdherenceReportData) -> None:
    assert len(data.committee) == 1
    line = data.committee[0]
    assert line.meeting_type == "Standards committee"
    assert line.flag in {f.value for f in Flag} and line.reason
    assert line.owner


def test_paper_comes_from_settings_unless_given(db_target) -> None:  # type: ignore[no-untyped-def]
    with open_store(db_target("ws")) as store:
        build_demo(store, clients=3, years=1, seed=2, as_of=AS_OF)
        assert adherence_report_data(store, AS_OF).paper == "A4"
        write_setting(store, "paper_size", "Letter")
        assert adherence_report_data(store, AS_OF).paper == "Letter"
        assert adherence_report_data(store, AS_OF, paper="a4").paper == "A4"
        with pytest.raises(ValueError, match="A4 or Letter"):
            adherence_report_data(store, AS_OF, paper="A3")
        write_setting(store, "msp_name", "  ")
        assert adherence_report_data(store, AS_OF).msp_name == "Your MSP"


def test_an_empty_workspace_gives_empty_data(workspace: Store) -> None:
    data = adherence_report_data(workspace, AS_OF)
    assert data.overall.rhythms == 0 and data.overall.pct is None
    assert data.exceptions == [] and data.clients == [] and data.committee == []


# --------------------------------------------------------------------------- writing


def test_write_produces_a_pdf(demo: Store, tmp_path: Path) -> None:
    target = tmp_path / "adherence.pdf"
    assert write_adherence_report(demo, target, AS_OF, paper="Letter") == target
    reader = pypdf.PdfReader(target)
    assert len(reader.pages) > 1
    assert float(reader.pages[0].mediabox.width) == pytest.approx(612)
    assert sorted(os.listdir(tmp_path)) == ["adherence.pdf"]


def test_unwritable_destination_raises_and_leaves_nothing(demo: Store, tmp_path: Path) -> None:
    blocker = tmp_path / "exports"
    blocker.write_bytes(b"not a folder")
    with pytest.raises(WriteError, match="part of the folder path is a file"):
        write_adherence_report(demo, blocker / "adherence.pdf", AS_OF)
    assert sorted(os.listdir(tmp_path)) == ["exports"]
    assert blocker.read_bytes() == b"not a folder"
    with pytest.raises(WriteError, match="the folder does not exist"):
        write_adherence_report(demo, tmp_path / "missing" / "adherence.pdf", AS_OF)
    assert not (tmp_path / "missing").exists()


# A full disk, for real: the child may write at most 16 KiB per file, and the report is
# bigger. The previous report must survive whole, with no temp file beside it.
CHILD = """
import json, resource, signal, sys, datetime as dt
sys.path.insert(0, {repo!r})
from pathlib import Path
from vcio_desk.atomic import WriteError
from vcio_desk.services.adherence_report import write_adherence_report
from vcio_desk.store import open_store
store = open_store(sys.argv[1], read_only=True)
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))
try:
    write_adherence_report(store, Path(sys.argv[2]), dt.date(2026, 11, 20))
    print(json.dumps({{"ok": True}}))
except WriteError as exc:
    print(json.dumps({{"ok": False, "message": exc.user_message}}))
finally:
    store.close()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_keeps_the_previous_report(demo: Store, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "adherence.pdf"
    target.write_bytes(b"%PDF previous report")
    database = demo.location.url  # a file's sqlite:/// URL, or the server's
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(repo=str(REPO)), str(database), str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {
        "ok": False,
        "message": f"Cannot write adherence.pdf in {folder}: "
        "the disk is full or the file is too large.",
    }
    assert target.read_bytes() == b"%PDF previous report"
    assert sorted(os.listdir(folder)) == ["adherence.pdf"]


# --------------------------------------------------------------------------- command line


def test_command_line_writes_the_report(
    demo: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from vcio_desk.__main__ import main

    database = demo.location.url
    target = tmp_path / "adherence.pdf"
    args = ["--db", database, "report", "adherence", "--as-of", AS_OF.isoformat()]
    assert main([*args, "--paper", "letter", "-o", str(target)]) == 0
    assert f"written to {target}" in capsys.readouterr().out
    assert float(pypdf.PdfReader(target).pages[0].mediabox.width) == pytest.approx(612)
    assert main([*args, "-o", str(tmp_path / "missing" / "x.pdf")]) == WriteError.exit_code
    assert "the folder does not exist" in capsys.readouterr().err
