"""Dialogs of the Settings page: a tier template rule, a new internal body, a body's rhythm."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import (
    Qt,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.vocab import BodyKind
from vcio_desk.services.rhythms import (
    RhythmView,
    create_internal_body,
    get_rhythm,
)
from vcio_desk.services.workspace_settings import (
    MeetingTypeChoice,
    StaffOption,
    TierRow,
    internal_template,
)
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.rhythm_dialog import (
    ReloadAsker,
    ask_reload,
    save_or_offer_reload,
    save_rhythm_edit,
    write_or_explain,
)
from vcio_desk.ui.widgets.rhythm_editor import RhythmEditor, to_qdate

log = logging.getLogger(__name__)


TEMPLATE_NOTE = (
    "Applies when a client is given a tier: changing a template does not touch the "
    "rhythms clients already have."
)


def _buttons(ok_text: str, dialog: QDialog) -> tuple[QDialogButtonBox, QPushButton]:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert isinstance(ok, QPushButton)
    ok.setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok


# -- dialogs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TierEditRequest:
    row: TierRow
    today: dt.date


TierOpener = Callable[[QWidget, TierEditRequest], tuple[str, int] | None]


class TierRuleDialog(QDialog):
    """The rhythm editor for one tier template (no anchor: a template has none)."""

    def __init__(self, request: TierEditRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tier_rule_dialog")
        row = request.row
        self.setWindowTitle(f"Tier {row.tier} — {row.meeting_type}")
        self.editor = RhythmEditor(request.today)
        self.editor.form.setRowVisible(self.editor.anchor_edit, False)
        self.editor.set_rhythm(row.rule, request.today, row.tolerance_days)
        intro = QLabel(f"Tier {row.tier} · {row.meeting_type}. {TEMPLATE_NOTE}")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons, self.ok_button = _buttons("Save template", self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.editor.evaluated.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.ok_button.setEnabled(self.editor.is_valid())

    def value(self) -> tuple[str, int] | None:
        self.editor.flush()
        if not self.editor.is_valid():
            return None
        return self.editor.rule(), self.editor.tolerance_days()

    def accept(self) -> None:
        if self.value() is not None:
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget, request: TierEditRequest) -> tuple[str, int] | None:
        dialog = cls(request, parent)
        try:
            return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()


@dataclass(frozen=True)
class BodyRequest:
    store: Store
    staff: tuple[StaffOption, ...]


BodyOpener = Callable[[QWidget, BodyRequest], int | None]


class BodyDialog(QDialog):
    """A new internal body: name, kind, owner, time zone and holidays region."""

    def __init__(self, request: BodyRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("body_dialog")
        self.setWindowTitle("Add internal body")
        self.request = request
        self.result_id: int | None = None
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(200)
        self.name_edit.setPlaceholderText("e.g. Security review board")
        self.kind_combo = QComboBox()
        for kind in BodyKind:
            self.kind_combo.addItem(kind.value.replace("_", " ").capitalize(), kind.value)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(BodyKind.OTHER.value))
        self.owner_combo = QComboBox()
        self.owner_combo.addItem("No owner", None)
        for person in request.staff:
            self.owner_combo.addItem(person.name, person.id)
        self.timezone_edit = QLineEdit("UTC")
        self.timezone_edit.setPlaceholderText("IANA name, e.g. America/New_York")
        self.country_edit = QLineEdit()
        self.country_edit.setMaxLength(2)
        self.country_edit.setPlaceholderText("e.g. US (empty: no holidays)")
        self.subdivision_edit = QLineEdit()
        self.subdivision_edit.setMaxLength(10)
        self.subdivision_edit.setPlaceholderText("e.g. NY (optional)")
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Kind:", self.kind_combo)
        form.addRow("&Owner:", self.owner_combo)
        form.addRow("&Time zone:", self.timezone_edit)
        form.addRow("Holidays &country:", self.country_edit)
        form.addRow("Holidays &subdivision:", self.subdivision_edit)
        self.buttons, self.ok_button = _buttons("Add body", self)
        self.ok_button.setEnabled(False)
        self.name_edit.textChanged.connect(
            lambda text: self.ok_button.setEnabled(bool(text.strip()))
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def _write(self) -> int:
        return create_internal_body(
            self.request.store,
            name=self.name_edit.text(),
            kind=BodyKind(self.kind_combo.currentData()),
            owner_id=self.owner_combo.currentData(),
            timezone=self.timezone_edit.text().strip(),
            country=self.country_edit.text().strip() or None,
            subdivision=self.subdivision_edit.text().strip() or None,
        )

    def accept(self) -> None:
        saved = write_or_explain(self, self.windowTitle(), self._write)
        if saved is not None:
            self.result_id = saved
            super().accept()

    @classmethod
    def ask(cls, parent: QWidget, request: BodyRequest) -> int | None:
        dialog = cls(request, parent)
        try:
            dialog.exec()
            return dialog.result_id
        finally:
            dialog.deleteLater()


@dataclass(frozen=True)
class BodyRhythmRequest:
    """A new rhythm for an internal body, or (with ``rhythm``) a new version of one."""

    store: Store
    body_id: int
    body_name: str
    owner_id: int | None
    as_of: dt.date
    author: str = ""
    rhythm: RhythmView | None = None
    meeting_types: tuple[MeetingTypeChoice, ...] = ()


BodyRhythmOpener = Callable[[QWidget, BodyRhythmRequest], int | None]


class BodyRhythmDialog(QDialog):
    """The rhythm editor for an internal body (RhythmDialog is built around a client).

    A rhythm changed elsewhere before the save is offered for reloading, as there."""

    ask_reload: ReloadAsker = staticmethod(ask_reload)

    def __init__(self, request: BodyRhythmRequest, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("body_rhythm_dialog")
        self.request = request
        self.result_id: int | None = None
        self.editor = RhythmEditor(request.as_of)
        self.type_combo = QComboBox()
        self.effective_edit = QDateEdit()
        self.effective_edit.setCalendarPopup(True)
        self.reason_edit = QLineEdit()
        self.reason_edit.setMaxLength(500)
        form = self.editor.form
        rhythm = request.rhythm
        if rhythm is not None:
            self.setWindowTitle(f"New version — {rhythm.meeting_type} · {request.body_name}")
            latest = max(rhythm.versions, key=lambda v: v.effective_from, default=None)
            first = latest.effective_from + dt.timedelta(days=1) if latest else request.as_of
            self.effective_edit.setDate(to_qdate(max(request.as_of, first)))
            form.insertRow(0, "Takes effect &from:", self.effective_edit)
            form.insertRow(1, "Rea&son:", self.reason_edit)
            self.reason_edit.setPlaceholderText("Why the rhythm changes")
            current = rhythm.current(request.as_of) or latest
            if current is not None:
                self.editor.set_rhythm(current.rule, current.anchor, current.tolerance_days)
            ok_text = "Save new version"
        else:
            self.setWindowTitle(f"Add rhythm — {request.body_name}")
            for option in request.meeting_types:
                self.type_combo.addItem(option.name, option.key)
            self.reason_edit.setPlaceholderText("New rhythm")
            form.insertRow(0, "Meeting t&ype:", self.type_combo)
            form.insertRow(1, "Rea&son:", self.reason_edit)
            self.type_combo.currentIndexChanged.connect(self._prefill)
            self._prefill()
            ok_text = "Add rhythm"
        self.buttons, self.ok_button = _buttons(ok_text, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.editor.evaluated.connect(self._update)
        self.reason_edit.textChanged.connect(self._update)
        self._update()

    def _prefill(self) -> None:
        template = internal_template(self.request.store, self.type_combo.currentData())
        if template is not None:
            self.editor.set_rhythm(template[0], self.editor.anchor(), template[1])

    def can_save(self) -> bool:
        if not self.editor.is_valid() or self.request.store.read_only:
            return False
        if self.request.rhythm is not None:
            return bool(self.reason_edit.text().strip())
        return self.type_combo.currentData() is not None

    def _update(self) -> None:
        self.ok_button.setEnabled(self.can_save())

    def _write(self) -> int:
        request = self.request
        return save_rhythm_edit(
            request.store,
            self.editor,
            rhythm_id=request.rhythm.id if request.rhythm is not None else None,
            meeting_type_key=self.type_combo.currentData(),
            effective_from=self.effective_edit.date().toPython(),
            reason=self.reason_edit.text().strip(),
            author=request.author,
            expected_version=request.rhythm.row_version if request.rhythm is not None else None,
            internal_body_id=request.body_id,
            owner_id=request.owner_id,
        )

    def accept(self) -> None:
        self.editor.flush()
        if not self.can_save():
            return
        saved, stale = save_or_offer_reload(
            self, self.windowTitle(), self._write, type(self).ask_reload
        )
        if stale:
            self.reload()
        if saved is not None:
            self.result_id = saved
            super().accept()

    def reload(self) -> None:
        """Read the rhythm afresh (changed elsewhere); what was typed here stays."""
        rhythm = self.request.rhythm
        if rhythm is None:
            return
        fresh = write_or_explain(
            self, self.windowTitle(), lambda: get_rhythm(self.request.store, rhythm.id)
        )
        if fresh is not None:
            self.request = replace(self.request, rhythm=fresh)
            self._update()

    @classmethod
    def ask(cls, parent: QWidget, request: BodyRhythmRequest) -> int | None:
        dialog = cls(request, parent)
        try:
            dialog.exec()
            return dialog.result_id
        finally:
            dialog.deleteLater()
