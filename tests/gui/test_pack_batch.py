"""File ▸ Packs for the next N days…: the dialog, the batch on a worker, cancel, the summary.

A real demo workspace and the real services and renderer; the folder chooser and the
system file browser are replaced so nothing blocks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from vcio_desk.reports.pack_data import Edition
from vcio_desk.services.packs import meetings_in_next_days
from vcio_desk.services.workspace_settings import read_workspace, save_workspace
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.pack_batch_dialog import PackBatchDialog
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.main_window import MainWindow
from vcio_desk.ui.preferences import PACK_BATCH_DAYS, PACK_BATCH_FOLDER, ui_settings

from .pack_world import AS_OF, build_pack_demo, pdf_pages, pdf_text

DAYS = 30


@pytest.fixture
def demo(workspace: Store) -> Store:
    return build_pack_demo(workspace)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "packs"
    folder.mkdir()
    return folder


@pytest.fixture
def opened() -> list[QUrl]:
    return []


@pytest.fixture
def dialog(qtbot, demo: Store, out_dir: Path, opened: list[QUrl]) -> Iterator[PackBatchDialog]:
    ui_settings().setValue(PACK_BATCH_FOLDER, str(out_dir))
    ui_settings().setValue(PACK_BATCH_DAYS, DAYS)
    dialog = PackBatchDialog(demo, lambda: AS_OF)
    qtbot.addWidget(dialog)
    dialog.open_url = lambda url: opened.append(url) or True
    dialog.show()
    yield dialog
    if dialog.running:
        dialog.cancel()
        qtbot.waitUntil(lambda: not dialog.running, timeout=60000)


def wait_done(qtbot, dialog: PackBatchDialog) -> None:
    qtbot.waitUntil(lambda: dialog.outcome != "", timeout=120000)


def test_defaults_and_the_count(dialog: PackBatchDialog, demo: Store, out_dir: Path) -> None:
    targets = meetings_in_next_days(demo, AS_OF, DAYS)
    assert len(targets) >= 3, "the demo has a few meetings in the next month"
    assert dialog.days_spin.value() == DAYS, "remembered"
    assert dialog.folder() == out_dir, "remembered"
    assert dialog.edition() is Edition.CLIENT
    assert dialog.paper_combo.currentText() == read_workspace(demo).paper_size
    assert dialog.count_label.text() == f"{len(targets)} meetings in that time, one pack each."
    last = AS_OF + dt.timedelta(days=DAYS - 1)
    assert dialog.range_label.text() == f"{format_date(AS_OF)} – {format_date(last)}"
    assert dialog.write_button.isEnabled()


def test_the_paper_follows_the_workspace_setting(qtbot, demo: Store) -> None:
    save_workspace(demo, replace(read_workspace(demo), paper_size="Letter"))
    dialog = PackBatchDialog(demo, lambda: AS_OF)
    qtbot.addWidget(dialog)
    assert dialog.paper_combo.currentText() == "Letter"


def test_no_meetings_nothing_to_write(qtbot, workspace: Store) -> None:
    dialog = PackBatchDialog(workspace, lambda: AS_OF)  # base content only: no meetings
    qtbot.addWidget(dialog)
    assert dialog.count_label.text() == "No meetings in that time: nothing to write."
    assert not dialog.write_button.isEnabled()
    assert not dialog.start()


def test_the_batch_writes_one_pack_per_meeting_and_sums_up(
    qtbot, dialog: PackBatchDialog, demo: Store, out_dir: Path, opened: list[QUrl]
) -> None:
    targets = meetings_in_next_days(demo, AS_OF, DAYS, Edition.INTERNAL)
    dialog.edition_buttons[Edition.INTERNAL].setChecked(True)
    progress: list[tuple[int, int]] = []
    dialog.progress_bar.valueChanged.connect(
        lambda value: progress.append((value, dialog.progress_bar.maximum()))
    )
    assert dialog.start()
    assert dialog.running
    assert not dialog.form.isEnabled() and dialog.cancel_button.isVisible()
    wait_done(qtbot, dialog)
    assert dialog.outcome == "done"
    written = sorted(p.name for p in out_dir.iterdir())
    assert written == sorted(t.file_name for t in targets)
    assert all(name.endswith("(internal).pdf") for name in written)
    first = out_dir / targets[0].file_name
    assert pdf_pages(first) > 1 and targets[0].subject in pdf_text(first)
    assert progress and progress[-1] == (len(targets), len(targets))
    assert dialog.headline_label.text() == f"{len(targets)} packs written."
    summary = dialog.summary.toPlainText()
    assert all(f"✓ {t.file_name}" in summary for t in targets)
    assert dialog.form.isEnabled() and dialog.write_button.isVisible()
    assert dialog.open_folder_button.isVisible()
    dialog.open_folder_button.click()
    assert opened == [QUrl.fromLocalFile(str(out_dir))]


def test_a_pack_that_cannot_be_written_is_listed_with_why_the_rest_are_written(
    qtbot, dialog: PackBatchDialog, demo: Store, out_dir: Path
) -> None:
    targets = meetings_in_next_days(demo, AS_OF, DAYS)
    blocked = targets[1]
    (out_dir / blocked.file_name).mkdir()  # a folder in the way of one file
    dialog.start()
    wait_done(qtbot, dialog)
    report = dialog.report
    assert [f.target.meeting_id for f in report.failed] == [blocked.meeting_id]
    assert len(report.written) == len(targets) - 1
    assert dialog.headline_label.text() == f"{len(targets) - 1} packs written, 1 failed."
    summary = dialog.summary.toPlainText()
    assert f"✗ {blocked.label}: {report.failed[0].reason}" in summary
    assert "folder with that name is in the way" in summary


def test_cancel_stops_after_the_pack_being_written_and_says_what_was_written(
    qtbot, dialog: PackBatchDialog, demo: Store, out_dir: Path
) -> None:
    targets = meetings_in_next_days(demo, AS_OF, DAYS)
    old = out_dir / targets[-1].file_name
    old.write_bytes(b"%PDF- an older pack, not written by this batch")
    dialog.progress_bar.valueChanged.connect(lambda _value: dialog.cancel())  # at once
    dialog.start()
    wait_done(qtbot, dialog)
    assert dialog.outcome == "cancelled"
    report = dialog.report
    assert report.cancelled and report.processed < len(targets)
    fresh = sorted(p for p in out_dir.iterdir() if p != old)
    assert sorted(report.written) == fresh, "exactly the files this batch wrote"
    assert old not in report.written
    left = len(targets) - report.processed
    assert f"cancelled with {left} meeting" in dialog.headline_label.text()
    assert not dialog.running and dialog.write_button.isVisible()


def test_a_missing_folder_is_refused_before_anything_runs(
    dialog: PackBatchDialog, tmp_path: Path
) -> None:
    dialog.folder_edit.setText(str(tmp_path / "nowhere"))
    assert not dialog.start()
    assert not dialog.running
    assert "does not exist" in dialog.error_label.text()
    dialog.folder_edit.setText("  ")
    assert not dialog.start()
    assert dialog.error_label.text() == "Choose a folder for the packs."


def test_choose_folder_and_remembered_days(
    qtbot, dialog: PackBatchDialog, demo: Store, tmp_path: Path
) -> None:
    other = tmp_path / "elsewhere"
    other.mkdir()
    dialog.choose_folder = lambda _parent, _current: str(other)
    dialog.browse()
    assert dialog.folder() == other
    days = 10
    count = len(meetings_in_next_days(demo, AS_OF, days))
    assert 0 < count < len(meetings_in_next_days(demo, AS_OF, DAYS))
    dialog.days_spin.setValue(days)
    qtbot.waitUntil(lambda: dialog.count_label.text().startswith(f"{count} meeting"))
    dialog.start()
    wait_done(qtbot, dialog)
    assert len(list(other.iterdir())) == count
    assert ui_settings().value(PACK_BATCH_FOLDER) == str(other)
    assert int(ui_settings().value(PACK_BATCH_DAYS)) == days


def test_closing_while_it_runs_cancels_first(qtbot, dialog: PackBatchDialog) -> None:
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    dialog.start()
    dialog.reject()  # Esc / Close
    assert closed == [], "stays until the work has stopped"
    assert not dialog.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: bool(closed), timeout=60000)
    assert dialog.outcome in ("cancelled", "done")


@pytest.mark.qt_log_ignore(
    r"This plugin does not support propagateSizeHints\(\)",  # as tests/gui/conftest.py
    r"This plugin does not support raise\(\)",  # raising the dialog, offscreen
)
def test_the_file_menu_opens_one_dialog(qtbot, demo: Store) -> None:
    window = MainWindow(demo, {}, lambda: AS_OF)
    qtbot.addWidget(window)
    action = next(
        a
        for a in window.menuBar().actions()[0].menu().actions()
        if a.objectName() == "pack_batch_action"
    )
    assert action.text() == "&Packs for the next N days…"
    action.trigger()
    dialog = window.findChild(PackBatchDialog)
    assert dialog is not None and dialog.isVisible()
    assert window.open_pack_batch() is dialog
    dialog.close()
