"""Settings: the workspace, the tier rhythm templates and the internal bodies.

Every write goes through ``services.workspace_settings`` (or ``services.rhythms``),
which validates first; a refusal is shown as its ``user_message`` and what was
typed stays. Dialogs and messages are reached through replaceable callables
(``notify``, ``confirm``, ``tier_opener``, ``body_opener``, ``body_rhythm_opener``)
so tests drive the page without anything blocking.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.domain.presets import MONTH_NAMES
from vcio_desk.services.client_detail import author_name
from vcio_desk.services.rhythms import (
    list_rhythms,
)
from vcio_desk.services.workspace_settings import (
    MAX_CURRENCY_LENGTH,
    MAX_LEAD_DAYS,
    PAPER_SIZES,
    BodyRow,
    TierRow,
    WorkspaceValues,
    body_rows,
    current_tier_templates,
    internal_meeting_types,
    meeting_type_names,
    read_workspace,
    reset_tier_templates,
    save_tier_templates,
    save_workspace,
    staff_options,
    tier_rows,
    with_tier_rule,
)
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.messages import show_message
from vcio_desk.ui.dialogs.settings_dialogs import (
    TEMPLATE_NOTE,
    BodyDialog,
    BodyOpener,
    BodyRequest,
    BodyRhythmDialog,
    BodyRhythmOpener,
    BodyRhythmRequest,
    TierEditRequest,
    TierOpener,
    TierRuleDialog,
)
from vcio_desk.ui.pages.settings_backups import BackupsTab
from vcio_desk.ui.widgets.logo_picker import msp_logo_picker
from vcio_desk.ui.widgets.rhythm_editor import mute
from vcio_desk.ui.widgets.tables import row_table
from vcio_desk.ui.workers import GENERIC_FAILURE

log = logging.getLogger(__name__)


R = TypeVar("R")
T = TypeVar("T")


# -- a read-only table over plain rows ----------------------------------------------------------


@dataclass(frozen=True)
class Column(Generic[R]):
    title: str
    text: Callable[[R], str]


class RowsModel(QAbstractTableModel, Generic[R]):
    """A thin adapter: shows the text of plain rows (never runs SQL); reset as a whole."""

    def __init__(self, columns: Sequence[Column[R]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._rows: list[R] = []

    def set_rows(self, rows: Sequence[R]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._columns[index.column()].text(self._rows[index.row()])
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].title
        return None


def _tolerance(days: int | None) -> str:
    if days is None:
        return ""
    return f"± {days} day" if days == 1 else f"± {days} days"


TIER_COLUMNS: tuple[Column[TierRow], ...] = (
    Column("Tier", lambda r: r.tier),
    Column("Meeting type", lambda r: r.meeting_type),
    Column("Rhythm", lambda r: r.description),
    Column("Tolerance", lambda r: _tolerance(r.tolerance_days)),
)

BODY_COLUMNS: tuple[Column[BodyRow], ...] = (
    Column("Name", lambda r: r.name),
    Column("Kind", lambda r: r.kind),
    Column("Owner", lambda r: r.owner or "—"),
    Column("Time zone", lambda r: r.timezone),
    Column("Holidays", lambda r: r.region or "—"),
    Column("Meeting type", lambda r: r.meeting_type or "—"),
    Column("Rhythm", lambda r: r.rhythm or "No rhythm yet"),
    Column("Tolerance", lambda r: _tolerance(r.tolerance_days)),
)


def _table(model: QAbstractTableModel, name: str, stretch: int) -> QTableView:
    view = row_table(model, name=name)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def _confirm(parent: QWidget, title: str, text: str) -> bool:
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


# -- the page ----------------------------------------------------------------------------------


class SettingsPage(QWidget):
    """Four tabs: Workspace, Tier templates, Internal bodies, Backups."""

    workspace_saved = Signal()

    def __init__(
        self,
        store: Store,
        as_of_provider: Callable[[], dt.date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page_settings")
        self.store = store
        self._as_of = as_of_provider
        self.notify: Callable[[QWidget, str, str], None] = show_message
        self.confirm: Callable[[QWidget, str, str], bool] = _confirm
        self.tier_opener: TierOpener = TierRuleDialog.ask
        self.body_opener: BodyOpener = BodyDialog.ask
        self.body_rhythm_opener: BodyRhythmOpener = BodyRhythmDialog.ask
        self._template: dict[str, Any] = {}

        self.tabs = QTabWidget()
        self.tabs.addTab(self._workspace_tab(), "Workspace")
        self.tabs.addTab(self._tiers_tab(), "Tier templates")
        self.tabs.addTab(self._bodies_tab(), "Internal bodies")
        self.backups_tab = BackupsTab(store)
        self.tabs.addTab(self.backups_tab, "Backups")
        layout = QVBoxLayout(self)
        title = QLabel("Settings")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)
        if store.read_only:
            for button in (
                self.save_button,
                self.edit_tier_button,
                self.reset_tiers_button,
                self.add_body_button,
                self.add_rhythm_button,
                self.new_version_button,
            ):
                button.setEnabled(False)
                button.setToolTip("The workspace is open read-only.")
        self.reload()

    # -- building ----------------------------------------------------------------------------

    def _workspace_tab(self) -> QWidget:
        self.msp_name_edit = QLineEdit()
        self.msp_name_edit.setMaxLength(200)
        self.paper_combo = QComboBox()
        self.paper_combo.addItems(list(PAPER_SIZES))
        self.lead_spin = QSpinBox()
        self.lead_spin.setRange(0, MAX_LEAD_DAYS)
        self.lead_spin.setSuffix(" days")
        self.lead_spin.setToolTip("How far ahead a meeting should be booked before its slot")
        self.country_edit = QLineEdit()
        self.country_edit.setMaxLength(2)
        self.country_edit.setPlaceholderText("ISO code, e.g. US (empty: no holidays)")
        self.subdivision_edit = QLineEdit()
        self.subdivision_edit.setMaxLength(10)
        self.subdivision_edit.setPlaceholderText("e.g. NY (optional)")
        self.fiscal_combo = QComboBox()
        for number, month in enumerate(MONTH_NAMES, start=1):
            self.fiscal_combo.addItem(month, number)
        self.fiscal_combo.setToolTip(
            "The MSP's own fiscal year: its improvement register's roadmap"
        )
        self.currency_edit = QLineEdit()
        self.currency_edit.setMaxLength(MAX_CURRENCY_LENGTH)
        self.currency_edit.setPlaceholderText("e.g. $, € or CHF (empty: none)")
        self.user_combo = QComboBox()
        self.location_label = QLabel()
        self.backups_label = QLabel()
        for label in (self.location_label, self.backups_label):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("save_workspace")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_workspace)
        self.workspace_status = QLabel()
        mute(self.workspace_status)

        form = QFormLayout()
        form.addRow("&MSP name:", self.msp_name_edit)
        form.addRow("&Paper size:", self.paper_combo)
        form.addRow("Default &lead time:", self.lead_spin)
        form.addRow("Holidays &country:", self.country_edit)
        form.addRow("Holidays &subdivision:", self.subdivision_edit)
        hint = QLabel("Public holidays for internal meetings; clients use their own region.")
        mute(hint)
        hint.setWordWrap(True)
        form.addRow("", hint)
        form.addRow("MSP &fiscal year starts:", self.fiscal_combo)
        form.addRow("C&urrency symbol:", self.currency_edit)
        self.logo_picker = msp_logo_picker(self.store)
        self.logo_picker.notify = lambda parent, title, text: self.notify(parent, title, text)
        logo_hint = QLabel("On every pack's cover; saved as soon as it is chosen.")
        logo_hint.setWordWrap(True)
        mute(logo_hint)
        form.addRow("MSP logo:", self.logo_picker)
        form.addRow("", logo_hint)
        form.addRow("&You are:", self.user_combo)
        form.addRow("Workspace:", self.location_label)
        form.addRow("Backups folder:", self.backups_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.workspace_status, 1)
        fields = QWidget()
        fields.setMaximumWidth(720)  # short values read badly across a wide window
        fields_layout = QVBoxLayout(fields)
        fields_layout.setContentsMargins(0, 0, 0, 0)
        fields_layout.addLayout(form)
        fields_layout.addLayout(buttons)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(fields)
        layout.addStretch(1)
        return tab

    def _tiers_tab(self) -> QWidget:
        self.tier_model: RowsModel[TierRow] = RowsModel(TIER_COLUMNS, self)
        self.tier_view = _table(self.tier_model, "tier_templates", stretch=2)
        self.tier_view.doubleClicked.connect(lambda index: self.edit_tier(index.row()))
        self.edit_tier_button = QPushButton("Edit…")
        self.edit_tier_button.clicked.connect(
            lambda: self.edit_tier(self._selected(self.tier_view))
        )
        self.reset_tiers_button = QPushButton("Reset to defaults")
        self.reset_tiers_button.clicked.connect(self.reset_tiers)
        note = QLabel(TEMPLATE_NOTE)
        note.setWordWrap(True)
        mute(note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_tier_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reset_tiers_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(note)
        layout.addWidget(self.tier_view, 1)
        layout.addLayout(buttons)
        return tab

    def _bodies_tab(self) -> QWidget:
        self.body_model: RowsModel[BodyRow] = RowsModel(BODY_COLUMNS, self)
        self.body_view = _table(self.body_model, "internal_bodies", stretch=6)
        self.add_body_button = QPushButton("Add body…")
        self.add_body_button.clicked.connect(self.add_body)
        self.add_rhythm_button = QPushButton("Add rhythm…")
        self.add_rhythm_button.clicked.connect(
            lambda: self.add_body_rhythm(self._selected(self.body_view))
        )
        self.new_version_button = QPushButton("New version…")
        self.new_version_button.clicked.connect(
            lambda: self.new_body_version(self._selected(self.body_view))
        )
        note = QLabel(
            "Internal forums keep a rhythm of their own; their drift is measured like a "
            "client's (e.g. the standards committee, the service delivery meeting)."
        )
        note.setWordWrap(True)
        mute(note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_body_button)
        buttons.addStretch(1)
        buttons.addWidget(self.add_rhythm_button)
        buttons.addWidget(self.new_version_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(note)
        layout.addWidget(self.body_view, 1)
        layout.addLayout(buttons)
        return tab

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        self.load_workspace()
        self.load_tiers()
        self.load_bodies()

    def load_workspace(self) -> None:
        values = read_workspace(self.store)
        self.logo_picker.reload()
        self.staff = tuple(staff_options(self.store))
        self.msp_name_edit.setText(values.msp_name)
        self.paper_combo.setCurrentText(values.paper_size)
        self.lead_spin.setValue(values.lead_days)
        self.country_edit.setText(values.holidays_country or "")
        self.subdivision_edit.setText(values.holidays_subdivision or "")
        self.fiscal_combo.setCurrentIndex(values.msp_fiscal_year_start_month - 1)
        self.currency_edit.setText(values.currency_symbol)
        self.user_combo.clear()
        self.user_combo.addItem("Not set", None)
        for person in self.staff:
            self.user_combo.addItem(person.name, person.id)
        self.user_combo.setCurrentIndex(
            max(0, self.user_combo.findData(values.current_user_staff_id))
        )
        location = self.store.location
        self.location_label.setText(location.display)
        backups = location.backup_dir
        self.backups_label.setText(str(backups) if backups else "None (not a workspace file)")

    def load_tiers(self) -> None:
        self._template = current_tier_templates(self.store)
        self.tier_model.set_rows(tier_rows(self._template, meeting_type_names(self.store)))

    def load_bodies(self) -> None:
        self.body_model.set_rows(body_rows(self.store, self._as_of()))

    # -- workspace ---------------------------------------------------------------------------

    def workspace_values(self) -> WorkspaceValues:
        return WorkspaceValues(
            msp_name=self.msp_name_edit.text(),
            paper_size=self.paper_combo.currentText(),
            lead_days=self.lead_spin.value(),
            holidays_country=self.country_edit.text(),
            holidays_subdivision=self.subdivision_edit.text(),
            current_user_staff_id=self.user_combo.currentData(),
            msp_fiscal_year_start_month=self.fiscal_combo.currentData(),
            currency_symbol=self.currency_edit.text(),
        )

    def save_workspace(self) -> bool:
        """Validate and save; on a refusal say why and keep what was typed."""
        saved = self._attempt(
            "Save settings", lambda: save_workspace(self.store, self.workspace_values())
        )
        if saved is None:
            self.workspace_status.setText("")
            return False
        self.country_edit.setText(saved.holidays_country or "")
        self.subdivision_edit.setText(saved.holidays_subdivision or "")
        self.msp_name_edit.setText(saved.msp_name)
        self.workspace_status.setText("Saved.")
        self.workspace_saved.emit()
        return True

    # -- tier templates ----------------------------------------------------------------------

    def edit_tier(self, row: int) -> bool:
        tier_row = self.tier_model.row_at(row)
        if tier_row is None:
            return False
        today = self._as_of()
        answer = self.tier_opener(self, TierEditRequest(tier_row, today))
        if answer is None:
            return False
        rule, tolerance = answer

        def write() -> dict[str, Any]:
            changed = with_tier_rule(
                self._template, tier_row.tier, tier_row.meeting_type_key, rule, tolerance, today
            )
            save_tier_templates(self.store, changed, today)
            return changed

        if self._attempt("Edit tier template", write) is None:
            return False
        self.load_tiers()
        self.tier_view.selectRow(row)
        return True

    def reset_tiers(self) -> bool:
        if not self.confirm(
            self,
            "Reset tier templates",
            "Restore the bundled tier templates? Your changes to them are lost; "
            "clients' existing rhythms stay as they are.",
        ):
            return False
        if self._attempt("Reset tier templates", lambda: reset_tier_templates(self.store)) is None:
            return False
        self.load_tiers()
        return True

    # -- internal bodies ---------------------------------------------------------------------

    def add_body(self) -> int | None:
        body_id = self.body_opener(self, BodyRequest(self.store, self.staff))
        if body_id is not None:
            self.load_bodies()
            self._select_body(body_id)
        return body_id

    def add_body_rhythm(self, row: int) -> int | None:
        body = self.body_model.row_at(row)
        if body is None:
            return None
        have = {r.meeting_type_key for r in list_rhythms(self.store, internal_body_id=body.body_id)}
        types = tuple(t for t in internal_meeting_types(self.store) if t.key not in have)
        if not types:
            self.notify(self, "Add rhythm", f"{body.name} already has a rhythm for every type.")
            return None
        request = BodyRhythmRequest(
            self.store,
            body.body_id,
            body.name,
            body.owner_id,
            self._as_of(),
            author_name(self.store),
            meeting_types=types,
        )
        return self._after_rhythm(body.body_id, self.body_rhythm_opener(self, request))

    def new_body_version(self, row: int) -> int | None:
        body = self.body_model.row_at(row)
        if body is None or body.rhythm_id is None:
            return None
        rhythm = next(
            (
                r
                for r in list_rhythms(self.store, internal_body_id=body.body_id)
                if r.id == body.rhythm_id
            ),
            None,
        )
        if rhythm is None:
            return None
        request = BodyRhythmRequest(
            self.store,
            body.body_id,
            body.name,
            body.owner_id,
            self._as_of(),
            author_name(self.store),
            rhythm=rhythm,
        )
        return self._after_rhythm(body.body_id, self.body_rhythm_opener(self, request))

    def _after_rhythm(self, body_id: int, saved: int | None) -> int | None:
        if saved is not None:
            self.load_bodies()
            self._select_body(body_id)
        return saved

    # -- internals ---------------------------------------------------------------------------

    def _attempt(self, title: str, write: Callable[[], T]) -> T | None:
        try:
            return write()
        except VcioDeskError as err:
            self.notify(self, title, err.user_message)
        except Exception:
            log.exception("%s failed", title)
            self.notify(self, title, GENERIC_FAILURE)
        return None

    @staticmethod
    def _selected(view: QTableView) -> int:
        rows = view.selectionModel().selectedRows()
        return rows[0].row() if rows else view.currentIndex().row()

    def _select_body(self, body_id: int) -> None:
        for index, row in enumerate(self.body_model.rows()):
            if row.body_id == body_id:
                self.body_view.selectRow(index)
                return
