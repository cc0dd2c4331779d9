"""Export and import the workspace from the GUI: file questions, progress, cancel, replace."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow, QMessageBox, QProgressDialog, QPushButton
from sqlalchemy import func, select

from vcio_desk.services.seed import ensure_base_content
from vcio_desk.services.workspace_transfer import export_workspace as export_file
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m
from vcio_desk.ui.dialogs.workspace_transfer import (
    LAST_FOLDER,
    Askers,
    export_workspace,
    import_workspace,
    last_folder,
    run_with_progress,
)
from vcio_desk.ui.preferences import ui_settings


class Recorder:
    """Askers that answer from a script and remember what they were asked."""

    def __init__(self, path: Path | None = None, replace: bool = False) -> None:
        self.path = path
        self.replace = replace
        self.suggested: list[str] = []
        self.questions: list[str] = []
        self.notices: list[tuple[str, QMessageBox.Icon]] = []

    def askers(self) -> Askers:
        def choose(_parent: Any, suggested: str) -> str | None:
            self.suggested.append(suggested)
            return None if self.path is None else str(self.path)

        def confirm(_parent: Any, text: str) -> bool:
            self.questions.append(text)
            return self.replace

        def notify(_parent: Any, _title: str, text: str, icon: QMessageBox.Icon) -> None:
            self.notices.append((text, icon))

        return Askers(save_path=choose, open_path=choose, confirm_replace=confirm, notify=notify)


@pytest.fixture
def window(qtbot) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def exported(populated: Store, tmp_path: Path) -> Path:
    (tmp_path / "exported").mkdir()
    return export_file(populated, tmp_path / "exported" / "ws.json").path


@pytest.fixture
def other(tmp_path: Path):
    with open_store(tmp_path / "other" / "other.sqlite3") as store:
        ensure_base_content(store)
        yield store


def count(store: Store, model: Any) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


# -- export ----------------------------------------------------------------------------------


def test_export_writes_the_file_and_remembers_the_folder(
    window: QMainWindow, populated: Store, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "mine"
    target.parent.mkdir()
    recorder = Recorder(target)
    export_workspace(window, populated, askers=recorder.askers())
    written = target.with_name("mine.json")  # a name without a suffix gets .json
    assert json.loads(written.read_bytes())["format"] == "vcio_desk.workspace"
    assert (
        recorder.suggested[0].endswith(".json") and "vcio_desk workspace" in recorder.suggested[0]
    )
    assert window.statusBar().currentMessage().startswith(f"Workspace exported to {written}: ")
    assert recorder.notices == []
    assert ui_settings().value(LAST_FOLDER) == str(target.parent)
    assert last_folder() == target.parent
    export_workspace(window, populated, askers=recorder.askers())
    assert Path(recorder.suggested[1]).parent == target.parent
    assert (
        window.findChild(QProgressDialog) is None
        or not window.findChild(QProgressDialog).isVisible()
    )


def test_export_can_be_dropped_at_the_file_question(
    window: QMainWindow, populated: Store, tmp_path: Path
) -> None:
    export_workspace(window, populated, askers=Recorder(None).askers())
    assert list(tmp_path.glob("**/*.json")) == []


def test_export_failure_is_shown(window: QMainWindow, populated: Store, tmp_path: Path) -> None:
    recorder = Recorder(tmp_path / "missing" / "folder" / "ws.json")
    export_workspace(window, populated, askers=recorder.askers())
    assert len(recorder.notices) == 1
    text, icon = recorder.notices[0]
    assert "the folder does not exist" in text and icon is QMessageBox.Icon.Warning


# -- import ----------------------------------------------------------------------------------


def test_import_fills_a_new_workspace_without_asking(
    window: QMainWindow, exported: Path, other: Store, populated: Store
) -> None:
    recorder = Recorder(exported)
    assert import_workspace(window, other, askers=recorder.askers()) is True
    assert recorder.questions == []
    assert recorder.notices == [
        (
            f"Workspace imported from ws.json: {_rows(populated):,} rows.",
            QMessageBox.Icon.Information,
        )
    ]
    assert count(other, m.Client) == count(populated, m.Client) == 5
    assert ui_settings().value(LAST_FOLDER) == str(exported.parent)


def _rows(store: Store) -> int:
    return sum(count(store, table) for table in m.Base.metadata.sorted_tables)


def test_replacing_data_is_confirmed_and_backed_up(
    window: QMainWindow, exported: Path, other: Store, tmp_path: Path
) -> None:
    with other.transaction() as session:
        session.add(m.Client(name="Mine"))
    declining = Recorder(exported, replace=False)
    assert import_workspace(window, other, askers=declining.askers()) is False
    assert len(declining.questions) == 1
    question = declining.questions[0]
    assert "already holds 1 client." in question
    assert "replaces everything in it" in question
    assert str(tmp_path / "other" / "backups") in question
    assert count(other, m.Client) == 1 and not (tmp_path / "other" / "backups").exists()

    accepting = Recorder(exported, replace=True)
    assert import_workspace(window, other, askers=accepting.askers()) is True
    assert count(other, m.Client) == 5
    backups = list((tmp_path / "other" / "backups").glob("*.sqlite3"))
    assert len(backups) == 1
    text, _icon = accepting.notices[-1]
    assert f"The previous content was saved to {backups[0]}." in text


def test_a_bad_file_is_reported_and_nothing_changes(
    window: QMainWindow, exported: Path, other: Store
) -> None:
    doc = json.loads(exported.read_bytes())
    doc["tables"]["meetings"][1]["client_id"] = 99
    exported.write_text(json.dumps(doc), encoding="utf-8")
    before = _rows(other)
    recorder = Recorder(exported)
    assert import_workspace(window, other, askers=recorder.askers()) is False
    ((text, icon),) = recorder.notices
    assert "tables.meetings[1].client_id: client 99 is not in the file" in text
    assert icon is QMessageBox.Icon.Warning
    assert _rows(other) == before


def test_a_read_only_workspace_says_so(
    window: QMainWindow, exported: Path, populated: Store
) -> None:
    assert populated.location.path is not None
    with open_store(populated.location.path, read_only=True) as read_only:
        recorder = Recorder(exported)
        assert import_workspace(window, read_only, askers=recorder.askers()) is False
    assert recorder.suggested == []
    assert "read-only" in recorder.notices[0][0]


def test_no_file_chosen_imports_nothing(window: QMainWindow, other: Store) -> None:
    recorder = Recorder(None)
    assert import_workspace(window, other, askers=recorder.askers()) is False
    assert recorder.notices == []


# -- progress and cancel ---------------------------------------------------------------------


def test_cancel_stops_the_work_and_says_so(window: QMainWindow, qtbot) -> None:
    started = threading.Event()
    seen: list[str] = []

    def work(progress: Any) -> str:
        for step in range(10_000):
            progress(step, 10_000, "Writing meetings")
            started.set()
            threading.Event().wait(0.005)
        return "finished"  # pragma: no cover - the test cancels long before

    def press_cancel() -> None:
        dialog = window.findChild(QProgressDialog, "workspace_transfer_progress")
        if dialog is None or not started.is_set():
            QTimer.singleShot(10, press_cancel)
            return
        seen.append(dialog.labelText())
        dialog.findChild(QPushButton).click()
        seen.append(dialog.labelText())

    QTimer.singleShot(0, press_cancel)
    outcome = run_with_progress(window, "Import workspace", "Working…", "Cancelling…", work)
    assert outcome.state == "cancelled"
    assert seen[-1] == "Cancelling…"
    assert seen[0] in ("Working…", "Writing meetings…")


def test_work_that_fails_or_succeeds_reports_it(window: QMainWindow) -> None:
    from vcio_desk.domain.errors import ValidationError

    def fail(_progress: Any) -> None:
        raise ValidationError("That file is no good.")

    outcome = run_with_progress(window, "t", "x", "y", fail)
    assert (outcome.state, outcome.message) == ("failed", "That file is no good.")
    outcome = run_with_progress(window, "t", "x", "y", lambda _progress: 42)
    assert (outcome.state, outcome.value) == ("done", 42)
