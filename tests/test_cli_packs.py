"""`vcio-desk pack` and `vcio-desk packs`: real PDFs, one-sentence errors, honest exit codes."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from vcio_desk.__main__ import main
from vcio_desk.services.demo import build_demo
from vcio_desk.services.packs import meetings_in_next_days
from vcio_desk.services.settings import write_setting
from vcio_desk.store import models as m
from vcio_desk.store import open_store

AS_OF = "2026-11-20"
DAY = dt.date(2026, 11, 20)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-packs") / "demo.sqlite3"
    with open_store(path) as store:
        build_demo(store, clients=10, years=2, seed=11, as_of=DAY)
    return path


@pytest.fixture(scope="module")
def client_name(demo: Path) -> str:
    """A client with a planned meeting in the next week."""
    with open_store(demo, read_only=True) as store:
        target = next(
            t
            for t in meetings_in_next_days(store, DAY, 7)
            if t.meeting_type != "Service delivery meeting"
            and t.meeting_type != "Standards committee"
        )
        return target.subject


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def pdf_pages(path: Path) -> list[tuple[int, int]]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]


def test_pack_of_the_next_meeting(
    demo: Path, client_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "pack.pdf"
    code, out, err = run(
        capsys, "--db", str(demo), "pack", "--client", client_name.upper(), "--as-of", AS_OF,
        "-o", str(target),
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("Pack of meeting ")
    assert f"({client_name} – " in out
    assert "client edition, A4," in out
    assert out.rstrip().endswith(f"written to {target}.")
    assert "Traceback" not in err
    sizes = pdf_pages(target)
    assert len(sizes) > 2 and set(sizes) == {(595, 842)}


def test_pack_by_id_internal_on_letter_into_a_folder(
    demo: Path, client_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store(demo, read_only=True) as store, store.session() as session:
        meeting_id = session.scalar(
            select(m.Meeting.id)
            .join(m.Client, m.Client.id == m.Meeting.client_id)
            .where(m.Client.name == client_name)
            .order_by(m.Meeting.scheduled_start)
            .limit(1)
        )
    code, out, err = run(
        capsys, "--db", str(demo), "pack", "--client", client_name, "--meeting", str(meeting_id),
        "--edition", "INTERNAL", "--paper", "Letter", "--as-of", AS_OF, "-o", f"{tmp_path}/",
    )  # fmt: skip
    assert code == 0, err
    [written] = list(tmp_path.iterdir())
    assert written.name.endswith("(internal).pdf") and client_name in written.name
    assert set(pdf_pages(written)) == {(612, 792)}
    assert f"Pack of meeting {meeting_id} (" in out and "internal edition, Letter," in out


def test_paper_follows_the_workspace_setting(
    tmp_path: Path, demo: Path, client_name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(demo.read_bytes())
    with open_store(copy) as store:
        write_setting(store, "paper_size", "Letter")
    target = tmp_path / "letter.pdf"
    code, _out, err = run(
        capsys, "--db", str(copy), "pack", "--client", client_name, "--as-of", AS_OF,
        "-o", str(target),
    )  # fmt: skip
    assert code == 0, err
    assert set(pdf_pages(target)) == {(612, 792)}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["--client", "Nobody Ltd"],
            2,
            "There is no client called 'Nobody Ltd' in this workspace.",
        ),
        (["--meeting", "999999"], 2, "There is no meeting 999999 in this workspace."),
        (["--meeting", "soon"], 2, "Give a meeting's number or 'next', not 'soon'."),
    ],
)
def test_pack_errors_are_one_sentence(
    demo: Path,
    client_name: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    code: int,
    message: str,
) -> None:
    base = {"--client": client_name}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    flat = [item for pair in base.items() for item in pair]
    result, out, err = run(
        capsys, "--db", str(demo), "pack", *flat, "--as-of", AS_OF, "-o", str(tmp_path / "x.pdf")
    )
    assert result == code
    assert out == ""
    assert err == f"vcio-desk: {message}\n"
    assert list(tmp_path.iterdir()) == []


def test_close_names_and_no_next_meeting(
    demo: Path, client_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    word = client_name.split()[0]
    code, _out, err = run(
        capsys, "--db", str(demo), "pack", "--client", word, "--as-of", AS_OF,
        "-o", str(tmp_path / "x.pdf"),
    )  # fmt: skip
    assert code == 2 and "Did you mean:" in err and client_name in err
    code, _out, err = run(
        capsys, "--db", str(demo), "pack", "--client", client_name, "--as-of", "2040-01-01",
        "-o", str(tmp_path / "x.pdf"),
    )  # fmt: skip
    assert code == 2
    assert err == (
        f"vcio-desk: {client_name} has no proposed or confirmed meeting on or after 2040-01-01.\n"
    )


def test_unwritable_destination_exits_non_zero_without_a_file(
    demo: Path, client_name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "reports"
    blocker.write_text("a file")
    code, out, err = run(
        capsys, "--db", str(demo), "pack", "--client", client_name, "--as-of", AS_OF,
        "-o", str(blocker / "pack.pdf"),
    )  # fmt: skip
    assert code == 4 and out == ""
    assert err.startswith("vcio-desk: Cannot write pack.pdf in ")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]


def test_missing_workspace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(
        capsys, "--db", str(tmp_path / "none.sqlite3"), "pack", "--client", "A", "-o", "x.pdf"
    )
    assert code == 3
    assert err.startswith("vcio-desk: There is no workspace at ")


def test_packs_for_the_next_days(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "new folder"
    with open_store(demo, read_only=True) as store:
        expected = [t.file_name for t in meetings_in_next_days(store, DAY, 7)]
    assert len(expected) >= 2
    code, out, err = run(
        capsys, "--db", str(demo), "packs", "--days", "7", "--out-dir", str(out_dir),
        "--as-of", AS_OF,
    )  # fmt: skip
    assert code == 0, err
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(expected)
    lines = out.splitlines()
    assert lines[:-1] == [f"written: {out_dir / name}" for name in expected]
    assert lines[-1] == (
        f"{len(expected)} packs (client edition) for 2026-11-20 to 2026-11-26 written to {out_dir}."
    )
    assert "Traceback" not in err


def test_packs_report_failures_and_exit_non_zero(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store(demo, read_only=True) as store:
        targets = meetings_in_next_days(store, DAY, 7, "internal")
    (tmp_path / targets[0].file_name).mkdir()  # a folder in the way of the first pack
    code, out, err = run(
        capsys, "--db", str(demo), "packs", "--days", "7", "--out-dir", str(tmp_path),
        "--edition", "internal", "--paper", "letter", "--as-of", AS_OF,
    )  # fmt: skip
    assert code == 1
    assert f"vcio-desk: failed: {targets[0].label}: Cannot write" in err
    assert "a folder with that name is in the way" in err
    assert out.splitlines()[-1].endswith("; 1 failed (see above).")
    written = [line for line in out.splitlines() if line.startswith("written: ")]
    assert len(written) == len(targets) - 1


def test_packs_with_no_meetings(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "--db", str(demo), "packs", "--days", "3", "--out-dir", str(tmp_path),
        "--as-of", "2040-01-01",
    )  # fmt: skip
    assert code == 0, err
    assert out == (
        "No proposed or confirmed meetings from 2040-01-01 to 2040-01-03: no pack written.\n"
    )


def test_packs_days_must_be_positive(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--db", str(demo), "packs", "--days", "0", "--out-dir", str(tmp_path)])
    assert caught.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


def test_help_names_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "write one meeting's PDF pack" in text
    assert "write the pack of every meeting in the next N days" in text
