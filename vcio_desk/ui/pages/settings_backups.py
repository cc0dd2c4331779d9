"""Settings → Backups: the workspace's backup files, "Back up now", restore, and the policy.

The list reads the backups folder (``services.backups.list_backups``), newest first;
a backup is taken on a worker; restoring is handed to the app's workspace session
(``ui.app.WorkspaceSession.restore``), which closes the open workspace, restores and
opens it again in a new main window. Questions and messages go through replaceable
callables (``confirm``, ``notify``, ``open_url``, ``restorer``) so tests never block.
A PostgreSQL workspace has no backup files: its server's own backups apply.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLocale, QModelIndex, QObject, Qt, QTime, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.services.backups import (
    LIMITS,
    MAX_INTERVAL_HOURS,
    BackupInfo,
    BackupPolicy,
    back_up_now,
    list_backups,
    read_policy,
    save_policy,
)
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.base import AnyIndex, ReadOnlyTableModel
from vcio_desk.ui.widgets.rhythm_editor import mute
from vcio_desk.ui.widgets.tables import row_table
from vcio_desk.ui.workers import GENERIC_FAILURE, Operation, run_in_background

log = logging.getLogger(__name__)

POSTGRES_NOTE = (
    "This workspace is stored on a PostgreSQL server: the server's own backups (pg_dump) "
    "apply, not backup files made by vcio_desk."
)
READ_ONLY_NOTE = "The workspace is open read-only."
BACKUP_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, BACKUP_ROLE)``: the row's :class:`BackupInfo`."""

KIND_WORDS = {
    "auto": "Automatic",
    "manual": "Manual",
    "before-restore": "Before restore",
    "before-workspace-import": "Before workspace import",
}

Restorer = Callable[[Path], bool]
"""Restore the workspace from this backup file; True when the restored workspace is open."""


def kind_words(label: str) -> str:
    """A backup's label as a person reads it ("before-upgrade-from-0007" → "Before upgrade")."""
    if label in KIND_WORDS:
        return KIND_WORDS[label]
    if label.startswith("before-upgrade"):
        return "Before upgrade"
    return label.replace("-", " ").capitalize()


def format_taken_at(when: dt.datetime, locale: QLocale | None = None) -> str:
    """Date and time to the second in the user's locale and time zone (ISO without a locale).

    Seconds tell apart backups taken in the same minute (before a restore, by hand).
    """
    local = when.astimezone() if when.tzinfo is not None else when
    locale = locale or QLocale()
    if locale.language() == QLocale.Language.C:
        return f"{local.date().isoformat()} {local:%H:%M:%S}"
    clock = locale.timeFormat(QLocale.FormatType.ShortFormat)
    if "ss" not in clock:
        clock = clock.replace("mm", "mm:ss", 1)
    time = locale.toString(QTime(local.hour, local.minute, local.second), clock)
    return f"{format_date(local.date(), locale)} {time}"


def format_size(size_bytes: int, locale: QLocale | None = None) -> str:
    locale = locale or QLocale()
    return locale.formattedDataSize(size_bytes, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat)


class BackupColumn(IntEnum):
    TAKEN_AT = 0
    KIND = 1
    SIZE = 2
    FILE = 3


SORT_KEYS: dict[BackupColumn, Callable[[BackupInfo], Any]] = {
    BackupColumn.TAKEN_AT: lambda b: b.taken_at,
    BackupColumn.KIND: lambda b: (kind_words(b.label).casefold(), b.taken_at),
    BackupColumn.SIZE: lambda b: (b.size_bytes, b.taken_at),
    BackupColumn.FILE: lambda b: b.path.name.casefold(),
}


class BackupsModel(ReadOnlyTableModel):
    """Backup files as rows; sorted in Python, texts made once per change (never I/O)."""

    headers = ("Taken at", "Kind", "Size", "File")
    header_tips = {  # noqa: RUF012
        BackupColumn.TAKEN_AT: "When the backup was taken, in your time zone",
        BackupColumn.KIND: "Why it was taken: automatically, by hand, or before a change",
    }

    def __init__(self, parent: QObject | None = None, locale: QLocale | None = None) -> None:
        super().__init__(parent)
        self._locale = locale or QLocale()
        self._rows: list[BackupInfo] = []
        self._texts: list[tuple[str, ...]] = []
        self._sort: tuple[BackupColumn, bool] = (BackupColumn.TAKEN_AT, True)

    def set_backups(self, backups: Sequence[BackupInfo]) -> None:
        self._rows = list(backups)
        self._refresh()

    def backup_at(self, row: int) -> BackupInfo | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, path: Path) -> int:
        return next((i for i, b in enumerate(self._rows) if b.path == path), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(BackupColumn):
            self._sort = (BackupColumn(column), order == Qt.SortOrder.DescendingOrder)
            self._refresh()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[index.row()][index.column()]
        if role == BACKUP_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == BackupColumn.FILE:
            return str(row.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == BackupColumn.SIZE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, row: BackupInfo, column: BackupColumn) -> str:
        if column is BackupColumn.TAKEN_AT:
            return format_taken_at(row.taken_at, self._locale)
        if column is BackupColumn.KIND:
            return kind_words(row.label)
        if column is BackupColumn.SIZE:
            return format_size(row.size_bytes, self._locale)
        return row.path.name

    def _refresh(self) -> None:
        column, descending = self._sort
        rows = sorted(self._rows, key=SORT_KEYS[column], reverse=descending)
        self.beginResetModel()
        self._rows = rows
        self._texts = [tuple(self._text(r, c) for c in BackupColumn) for r in rows]
        self.endResetModel()


def _confirm(parent: QWidget, title: str, text: str) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text)
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    try:
        box.exec()
        return box.clickedButton() is restore
    finally:
        box.deleteLater()


def session_restorer(widget: QWidget) -> Restorer | None:
    """The restore of the app's workspace session owning ``widget``'s window, if any."""
    session = getattr(widget.window(), "workspace_session", None)
    restore = getattr(session, "restore", None)
    return restore if callable(restore) else None


class BackupsTab(QWidget):
    """The list of backups, the actions on them and the automatic-backup policy."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings_backups")
        self.store = store
        self.notify: Callable[[QWidget, str, str], None] = show_message
        self.confirm: Callable[[QWidget, str, str], bool] = _confirm
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        self.restorer: Restorer | None = None
        """None: the app's workspace session restores (see :func:`session_restorer`)."""
        self.operation: Operation | None = None
        self.has_files = store.location.path is not None
        self._build()
        if not self.has_files:
            self._disable(self._all_controls(), POSTGRES_NOTE)
            self.note.setText(POSTGRES_NOTE)
            self.note.show()
            return
        if store.read_only:
            self._disable(
                (self.backup_button, self.restore_button, self.save_policy_button), READ_ONLY_NOTE
            )
        self.reload()

    # -- building ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.note = QLabel()
        self.note.setObjectName("backups_note")
        self.note.setWordWrap(True)
        self.note.hide()
        self.model = BackupsModel(self)
        self.view = row_table(self.model, name="backups", sortable=True)
        self.view.sortByColumn(BackupColumn.TAKEN_AT, Qt.SortOrder.DescendingOrder)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(BackupColumn.FILE, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.empty_label = QLabel("No backups yet. “Back up now” takes one.")
        mute(self.empty_label)
        self.empty_label.hide()

        self.backup_button = QPushButton("&Back up now")
        self.backup_button.setObjectName("back_up_now")
        self.backup_button.setToolTip("Copy the workspace into the backups folder now (Ctrl+B)")
        self.backup_button.clicked.connect(self.back_up_now)
        QShortcut(QKeySequence("Ctrl+B"), self, self.back_up_now)
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.setObjectName("restore_backup")
        self.restore_button.setToolTip(
            "Replace the workspace with the selected backup (the current state is backed up first)"
        )
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button = QPushButton("&Open folder")
        self.folder_button.setObjectName("open_backups_folder")
        self.folder_button.setToolTip(str(self.store.location.backup_dir or ""))
        self.folder_button.clicked.connect(self.open_folder)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # busy: how long SQLite's copy takes is not known
        self.busy.setMaximumWidth(140)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.status = QLabel()
        self.status.setObjectName("backups_status")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        mute(self.status)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.busy)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.folder_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label)
        layout.addLayout(buttons)
        layout.addWidget(self._policy_box())

    def _policy_box(self) -> QGroupBox:
        self.interval_spin = QDoubleSpinBox()
        self.interval_spin.setObjectName("backup_interval")
        self.interval_spin.setRange(0, MAX_INTERVAL_HOURS)
        self.interval_spin.setDecimals(2)
        self.interval_spin.setSingleStep(0.25)
        self.interval_spin.setSuffix(" hours")
        self.interval_spin.setSpecialValueText("Off")
        self.interval_spin.setToolTip(
            "At most this often, and only when something changed; 0 turns automatic backups off"
        )
        self.daily_spin = self._keep_spin("backup_keep_daily", LIMITS["keep_daily"], "days")
        self.weekly_spin = self._keep_spin("backup_keep_weekly", LIMITS["keep_weekly"], "weeks")
        self.monthly_spin = self._keep_spin("backup_keep_monthly", LIMITS["keep_monthly"], "months")
        self.save_policy_button = QPushButton("&Save")
        self.save_policy_button.setObjectName("save_backup_policy")
        self.save_policy_button.clicked.connect(self.save_policy)
        self.policy_status = QLabel()
        mute(self.policy_status)
        hint = QLabel(
            "Automatic backups: one per hour is kept for the last 24 hours, then the newest "
            "of each day, week and month for as long as set here. Of the backups taken before "
            "an upgrade, an import or a restore the newest ten stay; manual backups are never "
            "deleted automatically."
        )
        hint.setWordWrap(True)
        mute(hint)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("Automatic backup &every:", self.interval_spin)
        form.addRow("Keep &daily backups for:", self.daily_spin)
        form.addRow("Keep &weekly backups for:", self.weekly_spin)
        form.addRow("Keep &monthly backups for:", self.monthly_spin)
        form.addRow("", hint)
        row = QHBoxLayout()
        row.addWidget(self.save_policy_button)
        row.addWidget(self.policy_status, 1)
        form.addRow("", row)
        box = QGroupBox("Automatic backups")
        box.setMaximumWidth(720)
        box.setLayout(form)
        return box

    @staticmethod
    def _keep_spin(name: str, maximum: int, unit: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setObjectName(name)
        spin.setRange(0, maximum)
        spin.setSuffix(f" {unit}")
        return spin

    def _all_controls(self) -> tuple[QWidget, ...]:
        return (
            self.view,
            self.backup_button,
            self.restore_button,
            self.folder_button,
            self.interval_spin,
            self.daily_spin,
            self.weekly_spin,
            self.monthly_spin,
            self.save_policy_button,
        )

    @staticmethod
    def _disable(widgets: Sequence[QWidget], why: str) -> None:
        for widget in widgets:
            widget.setEnabled(False)
            widget.setToolTip(why)

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the backups folder and the policy again (cheap: a folder listing)."""
        if not self.has_files:
            return
        try:
            backups = list_backups(self.store)
            policy = read_policy(self.store)
        except VcioDeskError as err:
            self.status.setText(err.user_message)
            return
        selected = self.selected_backup()
        self.model.set_backups(backups)
        self.empty_label.setVisible(not backups)
        self._show_policy(policy)
        if selected is not None:
            self.select(selected.path)
        self._update_buttons()

    def _show_policy(self, policy: BackupPolicy) -> None:
        self.interval_spin.setValue(policy.interval_hours)
        self.daily_spin.setValue(policy.keep_daily)
        self.weekly_spin.setValue(policy.keep_weekly)
        self.monthly_spin.setValue(policy.keep_monthly)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.operation is None:
            self.reload()  # automatic backups may have added files since it was last shown

    def selected_backup(self) -> BackupInfo | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.backup_at(rows[0].row()) if rows else None

    def select(self, path: Path) -> bool:
        row = self.model.row_of(path)
        if row >= 0:
            self.view.selectRow(row)
        return row >= 0

    def _update_buttons(self, *_args: object) -> None:
        busy = self.operation is not None
        writable = self.has_files and not self.store.read_only
        self.backup_button.setEnabled(writable and not busy)
        self.restore_button.setEnabled(writable and not busy and self.selected_backup() is not None)

    # -- actions -----------------------------------------------------------------------------

    def back_up_now(self) -> Operation | None:
        """Take a backup on a worker; the button shows the work until it is done."""
        if self.operation is not None or not self.backup_button.isEnabled():
            return None
        store = self.store
        self.busy.show()
        self.status.setText("Backing up…")
        self.operation = run_in_background(
            self,
            lambda _progress: back_up_now(store),
            on_success=self._backed_up,
            on_failure=self._backup_failed,
        )
        self._update_buttons()
        return self.operation

    def _backed_up(self, info: BackupInfo) -> None:
        self._idle()
        self.reload()
        self.select(info.path)
        self.status.setText(f"Backed up at {format_taken_at(info.taken_at)}.")

    def _backup_failed(self, message: str) -> None:
        self._idle()
        self.status.setText("The backup failed.")
        self.notify(self, "Back up now", message)

    def _idle(self) -> None:
        self.operation = None
        self.busy.hide()
        self._update_buttons()

    def restore_selected(self) -> bool:
        """Ask, naming the backup's date, then hand the restore to the workspace session."""
        backup = self.selected_backup()
        if backup is None or not self.restore_button.isEnabled():
            return False
        when = format_taken_at(backup.taken_at)
        question = (
            f"Restore the workspace from the backup of {when} ({kind_words(backup.label)})?\n\n"
            "The workspace as it is now is backed up first (kind “Before restore”), so you can "
            "go back to it. Client and meeting windows close first; what you typed in them "
            "is saved."
        )
        if not self.confirm(self, "Restore backup", question):
            return False
        restorer = self.restorer or session_restorer(self)
        if restorer is None:
            self.notify(
                self,
                "Restore backup",
                "Backups are restored from the main window of vcio_desk.",
            )
            return False
        return restorer(backup.path)

    def open_folder(self) -> bool:
        folder = self.store.location.backup_dir
        if folder is None:
            return False
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            self.notify(self, "Open folder", f"Cannot create the backups folder {folder}: {exc}.")
            return False
        if not self.open_url(QUrl.fromLocalFile(str(folder))):
            self.notify(self, "Open folder", f"The backups are in {folder}.")
            return False
        return True

    def policy_values(self) -> BackupPolicy:
        return BackupPolicy(
            interval_hours=self.interval_spin.value(),
            keep_daily=self.daily_spin.value(),
            keep_weekly=self.weekly_spin.value(),
            keep_monthly=self.monthly_spin.value(),
        )

    def save_policy(self) -> bool:
        """Validate and save the policy; on a refusal say why and keep what was typed."""
        try:
            save_policy(self.store, self.policy_values())
        except VcioDeskError as err:
            self.policy_status.setText("")
            self.notify(self, "Automatic backups", err.user_message)
            return False
        except Exception:
            log.exception("saving the backup policy failed")
            self.policy_status.setText("")
            self.notify(self, "Automatic backups", GENERIC_FAILURE)
            return False
        self.policy_status.setText("Saved.")
        return True
