"""The import dialog with real files and real workspaces; first run's third choice; File menu.

Nothing here blocks: the file chooser is a stub, dialogs are opened non-modally and the
background work is awaited through signals.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QProgressDialog, QWidget
from sqlalchemy import func, select

from vcio_desk.services.workspace import summarize
from vcio_desk.store import Store
from vcio_desk.store import models as m
from vcio_desk.ui.dialogs.import_clients import (
    IGNORE,
    LAST_FOLDER,
    ImportClientsDialog,
    open_import_dialog,
)
from vcio_desk.ui.first_run import FirstRunChoice, FirstRunDialog, offer_first_run
from vcio_desk.ui.main_window import MainWindow
from vcio_desk.ui.preferences import ui_settings

AUTOTASK_CSV = (
    "Organization ID;Name;Country;State;Classification;Account Manager;Phone\r\n"
    "101;Acme Dental;United States;New York;Tier A;Ken Thompson;555-0100\r\n"
    "102;Beta Logistics;Germany;Bayern;Gold;;\r\n"
    '103;"Ça Va\r\nBakery";France;;c;;\r\n'
)


def client_count(store: Store) -> int:
    with store.session() as session:
        return session.scalar(select(func.count()).select_from(m.Client)) or 0


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "exports" / "organizations.csv"
    path.parent.mkdir()
    path.write_bytes(AUTOTASK_CSV.encode("cp1252"))
    return path


def make_dialog(qtbot, store: Store, as_of: dt.date, chosen: list[str | None]) -> tuple:
    asked: list[str] = []

    def chooser(_parent: QWidget, folder: str) -> str | None:
        asked.append(folder)
        return chosen.pop(0)

    dialog = ImportClientsDialog(store, lambda: as_of, file_chooser=chooser)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog, asked


def preview_rows(dialog: ImportClientsDialog) -> list[list[str]]:
    table = dialog.preview_table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def mapping_rows(dialog: ImportClientsDialog) -> list[tuple[str, str, str]]:
    table = dialog.mapping_table
    rows = []
    for r in range(table.rowCount()):
        combo = table.cellWidget(r, 1)
        assert isinstance(combo, QComboBox)
        rows.append((table.item(r, 0).text(), combo.currentText(), table.item(r, 2).text()))
    return rows


def test_check_then_import_a_real_file(qtbot, workspace: Store, as_of, csv_file: Path) -> None:
    dialog, asked = make_dialog(qtbot, workspace, as_of, [str(csv_file)])
    assert not dialog.import_button.isEnabled() and not dialog.check_button.isEnabled()

    dialog.set_preset("autotask")
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0]  # the home folder the first time
    assert ui_settings().value(LAST_FOLDER) == str(csv_file.parent)
    assert dialog.file_info.text() == "Windows-1252 text, semicolon-separated, 7 columns."
    assert mapping_rows(dialog) == [
        ("Organization ID", "External ID", "101"),
        ("Name", "Name", "Acme Dental"),
        ("Country", "Country", "United States"),
        ("State", "State / region", "New York"),
        ("Classification", "Tier", "Tier A"),
        ("Account Manager", "Account manager", "Ken Thompson"),
        ("Phone", IGNORE, "555-0100"),
    ]
    rows = preview_rows(dialog)
    assert [row[:3] for row in rows] == [
        ["2", "OK", "101"],
        ["3", "Refused: Unknown tier 'Gold' (use A, B or C).", "102"],
        ["4", "OK", "103"],
    ]
    assert rows[2][3] == "Ça Va Bakery"
    assert dialog.preview_group.title() == "Preview (first 3 rows, 1 refused)"
    assert dialog.import_button.isEnabled()

    with qtbot.waitSignal(dialog.report_view.textChanged, timeout=10_000):
        dialog.run(dry_run=True)
    qtbot.waitUntil(lambda: not dialog.busy)
    report = dialog.report_view.toPlainText()
    assert report.startswith("organizations.csv: Dry run of 3 rows (nothing was written)")
    assert "2 would be added" in report
    assert "line 3 (Beta Logistics): Unknown tier 'Gold'" in report
    assert "- Read as Windows-1252 text, semicolon-separated." in report
    assert client_count(workspace) == 0

    with qtbot.waitSignal(dialog.imported, timeout=20_000) as imported:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert imported.args[0].added == 2
    assert dialog.isVisible()  # the report stays on screen
    assert dialog.report_view.toPlainText().startswith(
        "organizations.csv: Imported 3 rows: 2 added, 0 updated, 0 unchanged, 1 refused."
    )
    assert client_count(workspace) == 2
    assert (
        dialog.findChild(QProgressDialog) is None
        or not dialog.findChild(QProgressDialog).isVisible()
    )

    dialog.copy_report()
    assert QGuiApplication.clipboard().text() == dialog.report_view.toPlainText()


def test_the_mapping_can_be_edited(qtbot, workspace: Store, as_of, csv_file: Path) -> None:
    dialog, _ = make_dialog(qtbot, workspace, as_of, [])
    dialog.set_preset("autotask")
    assert dialog.load_file(csv_file)

    dialog.set_mapping("Classification", None)  # ignore the tiers: no more refusals
    assert [row[1] for row in preview_rows(dialog)] == ["OK", "OK", "OK"]
    assert "Tier" not in [
        dialog.preview_table.horizontalHeaderItem(c).text()
        for c in range(dialog.preview_table.columnCount())
    ]
    assert dialog.mapping()["Classification"] is None

    dialog.set_mapping("Phone", "name")  # two columns for one field: said, and nothing to run
    assert dialog.error_label.isVisible()
    assert "'Name' and 'Phone' are both set to import as Name" in dialog.error_label.text()
    assert not dialog.import_button.isEnabled()
    assert dialog.preview_table.rowCount() == 0

    dialog.set_mapping("Name", None)
    assert not dialog.error_label.isVisible()
    headers = [
        dialog.preview_table.horizontalHeaderItem(c).text()
        for c in range(dialog.preview_table.columnCount())
    ]
    assert preview_rows(dialog)[0][headers.index("Name")] == "555-0100"  # Phone is the name now


def test_a_preset_that_does_not_fit_says_which_one_does(
    qtbot, workspace: Store, as_of, csv_file: Path
) -> None:
    dialog, _ = make_dialog(qtbot, workspace, as_of, [])
    dialog.set_preset("generic")
    dialog.load_file(csv_file)
    assert dialog.mapping()["Name"] == "name"  # generic knows "Name"...
    assert dialog.mapping()["Organization ID"] is None  # ...but not Autotask's id
    dialog.set_preset("autotask")
    assert dialog.mapping()["Organization ID"] == "external_id"
    assert dialog.import_button.isEnabled()


def test_unreadable_files_are_explained(qtbot, workspace: Store, as_of, tmp_path: Path) -> None:
    dialog, _ = make_dialog(qtbot, workspace, as_of, [])
    binary = tmp_path / "book.xlsx"
    binary.write_bytes(b"PK\x03\x04" + bytes(64))
    assert not dialog.load_file(binary)
    assert "spreadsheet workbook" in dialog.error_label.text()
    assert not dialog.check_button.isEnabled()
    assert not dialog.load_file(tmp_path / "missing.csv")
    assert "Cannot read" in dialog.error_label.text()


def test_the_last_folder_is_offered_next_time(qtbot, workspace: Store, as_of, csv_file) -> None:
    ui_settings().setValue(LAST_FOLDER, str(csv_file.parent))
    dialog, asked = make_dialog(qtbot, workspace, as_of, [None])
    dialog.choose_file()  # cancelled: nothing changes
    assert asked == [str(csv_file.parent)]
    assert dialog.path is None and dialog.path_edit.text() == ""


def test_a_failed_import_is_reported_and_writes_nothing(
    qtbot, workspace: Store, as_of, csv_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from vcio_desk.services import client_import

    def broken(*_args: object, **_kwargs: object) -> int:
        raise RuntimeError("injected")

    monkeypatch.setattr(client_import, "_insert_rhythms", broken)
    dialog, _ = make_dialog(qtbot, workspace, as_of, [])
    dialog.set_preset("autotask")
    dialog.load_file(csv_file)
    with qtbot.waitSignal(dialog.report_view.textChanged, timeout=10_000):
        dialog.run(dry_run=False)
    qtbot.waitUntil(lambda: not dialog.busy)
    assert dialog.report_view.toPlainText().startswith("Nothing was imported.")
    assert "Something went wrong" in dialog.error_label.text()
    assert client_count(workspace) == 0


# -- the main window and first run -------------------------------------------------------------


def make_window(qtbot, store: Store, as_of: dt.date) -> MainWindow:
    window = MainWindow(store, {}, lambda: as_of)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_file_menu_import_clients_with_ctrl_i(qtbot, workspace: Store, as_of) -> None:
    window = make_window(qtbot, workspace, as_of)
    file_menu = window.menuBar().actions()[0].menu()
    (action,) = [a for a in file_menu.actions() if a.text() == "&Import clients…"]
    assert action.shortcut().toString() == "Ctrl+I"
    assert not action.icon().isNull()
    assert file_menu.actions()[-1].text() == "&Quit"

    window.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is not None)
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(ImportClientsDialog)
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    dialog.reject()


def test_an_import_from_the_window_refreshes_the_clients(
    qtbot, workspace: Store, as_of, csv_file: Path
) -> None:
    window = make_window(qtbot, workspace, as_of)
    window.show_page("dashboard")
    dialog = open_import_dialog(window, file_chooser=lambda _parent, _folder: str(csv_file))
    dialog.set_preset("autotask")
    dialog.choose_file()
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        dialog.run(dry_run=False)
    assert window.current_page_key() == "clients"
    assert "2 added" in window.statusBar().currentMessage()
    dialog.reject()


def test_first_run_offers_an_import(qtbot) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    assert dialog.import_button.text() == "Import clients…"
    assert "CSV" in dialog.import_button.description()
    assert not dialog.import_button.icon().isNull()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is FirstRunChoice.IMPORT


def test_first_run_import_choice_opens_the_importer(qtbot, workspace: Store, as_of) -> None:
    window = make_window(qtbot, workspace, as_of)
    opened: list[MainWindow] = []
    choice = offer_first_run(window, lambda _parent: FirstRunChoice.IMPORT, importer=opened.append)
    assert choice is FirstRunChoice.IMPORT
    assert opened == [window]
    assert not summarize(workspace).has_clients
    assert window.findChild(QProgressDialog) is None  # no demo was started


def test_first_run_import_choice_opens_the_real_dialog(qtbot, workspace: Store, as_of) -> None:
    window = make_window(qtbot, workspace, as_of)
    offer_first_run(window, lambda _parent: FirstRunChoice.IMPORT)
    dialog = window.findChild(ImportClientsDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.reject()
