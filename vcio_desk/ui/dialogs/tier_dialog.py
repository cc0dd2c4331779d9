"""Change a client's tier: choose, see what it does to the rhythms, confirm, apply.

A tier selects default rhythm templates (PRODUCT.md §3.9), so a change may create
rhythms and add new versions to existing ones. The dialog has two steps: the first
shows ``services.rhythms.tier_proposals`` live as the tier and date change; the
second spells out, in sentences, what will be written, and only its "Apply" button
calls ``set_client_tier``. A refusal is shown as its ``user_message`` and the
dialog stays open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QDate, QLocale, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.domain.vocab import Tier
from vcio_desk.services.client_detail import ClientDetail
from vcio_desk.services.rhythms import (
    TierProposal,
    list_rhythms,
    set_client_tier,
    tier_proposals,
    tier_templates,
)
from vcio_desk.store import Store
from vcio_desk.ui import icons
from vcio_desk.ui.dialogs.rhythm_dialog import write_or_explain
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.widgets.rhythm_editor import ERROR_COLOUR, to_qdate


@dataclass(frozen=True)
class TierRequest:
    store: Store
    client: ClientDetail
    as_of: dt.date
    author: str = ""


TierOpener = Callable[[QWidget, TierRequest], list[TierProposal] | None]

PROPOSAL_HEADERS = ("Meeting type", "Change", "New rule", "Tolerance", "Anchor", "From")


class TierDialog(QDialog):
    """Step 1: tier, date and the proposals; step 2: the confirmation; then apply."""

    def __init__(
        self,
        request: TierRequest,
        parent: QWidget | None = None,
        *,
        locale: QLocale | None = None,
    ) -> None:
        super().__init__(parent)
        self.request = request
        self.applied: list[TierProposal] | None = None
        self.proposals: list[TierProposal] = []
        self._locale = locale or QLocale()
        client = request.client
        self._type_names = {t.key: t.name for t in client.meeting_types}
        self._current = {
            r.id: r.current(request.as_of) for r in list_rhythms(request.store, client_id=client.id)
        }
        self.setObjectName("tier_dialog")
        self.setWindowTitle(f"Change tier — {client.name}")

        # -- step 1: choose --------------------------------------------------------------------
        heading = QLabel(f"Change tier · {client.name}")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        heading.setFont(font)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        intro = QLabel(
            f"{client.name} is tier {client.tier}. A tier brings its default rhythms: the "
            "changes below are made as new versions from the date you choose, and earlier "
            "slots keep the versions in force then."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)

        self.tier_group = QButtonGroup(self)
        self.tier_buttons: dict[str, QRadioButton] = {}
        tiers_box = QVBoxLayout()
        for tier in Tier:
            button = QRadioButton(self._tier_label(tier.value))
            button.setObjectName(f"tier_{tier.value}")
            self.tier_group.addButton(button)
            self.tier_buttons[tier.value] = button
            tiers_box.addWidget(button)
        self.tier_buttons.get(client.tier, self.tier_buttons["B"]).setChecked(True)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDateRange(QDate(1990, 1, 1), QDate(2199, 12, 31))
        self.date_edit.setDate(to_qdate(request.as_of))
        self.apply_rhythms_check = QCheckBox("Also apply the tier's default rhythms")
        self.apply_rhythms_check.setChecked(True)
        self.apply_rhythms_check.setToolTip(
            "Unticked, only the tier changes and every rhythm stays as it is."
        )
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow("New tier:", tiers_box)
        form.addRow("&Effective from:", self.date_edit)
        form.addRow("", self.apply_rhythms_check)

        self.table = QTreeWidget()
        self.table.setObjectName("tier_proposals")
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels(list(PROPOSAL_HEADERS))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setAlternatingRowColors(True)
        header = self.table.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)  # the new rule
        header.setStretchLastSection(False)
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(170)
        self.summary_label = QLabel()
        self.summary_label.setObjectName("tier_summary")
        self.summary_label.setWordWrap(True)
        self.issue_icon = QLabel()
        self.issue_icon.setPixmap(icons.icon("warning").pixmap(QSize(20, 20)))
        self.issue_label = QLabel()
        self.issue_label.setWordWrap(True)
        self.issue_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.issue_row = QWidget()
        issue_layout = QHBoxLayout(self.issue_row)
        issue_layout.setContentsMargins(0, 0, 0, 0)
        issue_layout.addWidget(self.issue_icon, 0, Qt.AlignmentFlag.AlignTop)
        issue_layout.addWidget(self.issue_label, 1)

        self.review_button = QPushButton("Review changes…")
        self.review_button.setDefault(True)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        self.review_button.clicked.connect(self.show_confirmation)
        choose_buttons = QHBoxLayout()
        choose_buttons.addStretch(1)
        choose_buttons.addWidget(self.review_button)
        choose_buttons.addWidget(cancel)

        self.choose_page = QWidget()
        choose = QVBoxLayout(self.choose_page)
        choose.setContentsMargins(0, 0, 0, 0)
        choose.addWidget(heading)
        choose.addWidget(intro)
        choose.addLayout(form)
        choose.addWidget(QLabel("What changes:"))
        choose.addWidget(self.table, 1)
        choose.addWidget(self.summary_label)
        choose.addWidget(self.issue_row)
        choose.addLayout(choose_buttons)

        # -- step 2: confirm -------------------------------------------------------------------
        confirm_heading = QLabel("Confirm the tier change")
        confirm_heading.setFont(font)
        self.confirm_label = QLabel()
        self.confirm_label.setObjectName("tier_confirmation")
        self.confirm_label.setWordWrap(True)
        self.confirm_label.setTextFormat(Qt.TextFormat.PlainText)
        self.confirm_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.back_button = QPushButton("◀ Back")
        self.apply_button = QPushButton("Apply tier change")
        confirm_cancel = QPushButton("Cancel")
        self.back_button.clicked.connect(self.show_choice)
        self.apply_button.clicked.connect(self.apply)
        confirm_cancel.clicked.connect(self.reject)
        confirm_buttons = QHBoxLayout()
        confirm_buttons.addWidget(self.back_button)
        confirm_buttons.addStretch(1)
        confirm_buttons.addWidget(self.apply_button)
        confirm_buttons.addWidget(confirm_cancel)
        self.confirm_page = QWidget()
        confirm = QVBoxLayout(self.confirm_page)
        confirm.setContentsMargins(0, 0, 0, 0)
        confirm.addWidget(confirm_heading)
        confirm.addWidget(self.confirm_label, 1)
        confirm.addLayout(confirm_buttons)

        self.steps = QStackedWidget()
        self.steps.addWidget(self.choose_page)
        self.steps.addWidget(self.confirm_page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.steps)
        self.setMinimumWidth(720)

        self.tier_group.buttonToggled.connect(self._on_input_changed)
        self.date_edit.dateChanged.connect(self._on_input_changed)
        self.apply_rhythms_check.toggled.connect(self._on_input_changed)
        self.refresh()

    # -- reading ----------------------------------------------------------------------------

    def tier(self) -> str:
        for tier, button in self.tier_buttons.items():
            if button.isChecked():
                return tier
        return self.request.client.tier

    def effective_from(self) -> dt.date:
        return self.date_edit.date().toPython()

    def set_tier(self, tier: str) -> None:
        self.tier_buttons[tier].setChecked(True)

    @property
    def confirming(self) -> bool:
        return self.steps.currentWidget() is self.confirm_page

    # -- steps ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute the proposals for the chosen tier and date."""
        self.table.clear()
        self.proposals = []
        error = ""
        try:
            self.proposals = tier_proposals(
                self.request.store, self.request.client.id, self.tier(), self.effective_from()
            )
        except VcioDeskError as err:
            error = err.user_message
        applying = self.apply_rhythms_check.isChecked()
        for proposal in self.proposals:
            item = QTreeWidgetItem(self._row(proposal))
            item.setToolTip(2, f"RRULE: {proposal.rule}")
            item.setDisabled(not applying)
            self.table.addTopLevelItem(item)
        self.table.setEnabled(applying)
        self.issue_label.setText(error)
        self.issue_row.setVisible(bool(error))
        self.summary_label.setText(self._summary())
        changes = bool(self.proposals) and applying
        self.review_button.setEnabled(
            not error and (self.tier() != self.request.client.tier or changes)
        )
        if self.request.store.read_only:
            self.review_button.setEnabled(False)
            self.review_button.setToolTip("The workspace is open read-only.")

    def show_confirmation(self) -> None:
        """Step 2: say in sentences what will be written."""
        self.refresh()
        if not self.review_button.isEnabled():
            return
        self.confirm_label.setText(self.confirmation_text())
        self.steps.setCurrentWidget(self.confirm_page)
        self.apply_button.setDefault(True)
        self.apply_button.setFocus()

    def show_choice(self) -> None:
        self.steps.setCurrentWidget(self.choose_page)
        self.review_button.setDefault(True)

    def confirmation_text(self) -> str:
        client = self.request.client
        when = format_date(self.effective_from(), self._locale)
        tier = self.tier()
        if tier == client.tier:
            lines = [f"{client.name} stays tier {tier}; its rhythms follow the tier template."]
        else:
            lines = [f"{client.name} moves from tier {client.tier} to tier {tier}."]
        applying = self.apply_rhythms_check.isChecked()
        if applying and self.proposals:
            lines.append("")
            lines.append(f"From {when}:")
            lines.extend(f"  •  {self._sentence(p)}" for p in self.proposals)
            lines.append("")
            lines.append(
                "Slots before that date keep the versions in force then. To undo, add "
                "another version or change the tier again."
            )
        elif applying:
            lines.append("Its rhythms already match the template: no rhythm changes.")
        else:
            lines.append("Its rhythms stay as they are.")
        return "\n".join(lines)

    def apply(self) -> None:
        """Write the tier change; on a refusal say why and stay on this step."""
        request = self.request
        applied = write_or_explain(
            self,
            self.windowTitle(),
            lambda: set_client_tier(
                request.store,
                request.client.id,
                self.tier(),
                effective_from=self.effective_from(),
                author=request.author,
                apply_rhythms=self.apply_rhythms_check.isChecked(),
            ),
        )
        if applied is None:
            return
        self.applied = applied
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget, request: TierRequest) -> list[TierProposal] | None:
        """Show the dialog modally; what was applied, or None if cancelled."""
        dialog = cls(request, parent)
        try:
            dialog.exec()
            return dialog.applied
        finally:
            dialog.deleteLater()

    # -- internals --------------------------------------------------------------------------

    def _on_input_changed(self, *_args: object) -> None:
        if not self.confirming:
            self.refresh()

    def _type_name(self, key: str) -> str:
        return self._type_names.get(key, key.replace("_", " ").capitalize())

    def _row(self, p: TierProposal) -> list[str]:
        change = "New rhythm" if p.rhythm_id is None else "New version"
        return [
            self._type_name(p.meeting_type_key),
            change,
            p.description,
            f"±{p.tolerance_days} days",
            format_date(p.anchor, self._locale),
            format_date(p.effective_from, self._locale),
        ]

    def _sentence(self, p: TierProposal) -> str:
        name = self._type_name(p.meeting_type_key)
        rule = f"{p.description}, ±{p.tolerance_days} days"
        if p.rhythm_id is None:
            return f"a new {name} rhythm: {rule}, from {format_date(p.anchor, self._locale)}"
        current = self._current.get(p.rhythm_id)
        was = f" (was {current.description}, ±{current.tolerance_days} days)" if current else ""
        return f"a new version of the {name} rhythm: {rule}{was}"

    def _summary(self) -> str:
        if not self.apply_rhythms_check.isChecked():
            return "Only the tier changes; every rhythm stays as it is."
        n = len(self.proposals)
        if n == 0:
            return f"The rhythms already match tier {self.tier()}'s template: nothing to change."
        created = sum(1 for p in self.proposals if p.rhythm_id is None)
        versioned = n - created
        parts = []
        if created:
            parts.append(f"{created} new rhythm{'s' if created > 1 else ''}")
        if versioned:
            parts.append(f"{versioned} new version{'s' if versioned > 1 else ''}")
        return "This creates " + " and ".join(parts) + "."

    def _tier_label(self, tier: str) -> str:
        try:
            items = tier_templates(self.request.store)["tiers"][tier]
            parts = [
                f"{self._type_name(i['meeting_type'])} {str(i['label']).lower()} "
                f"(±{i['tolerance_days']} days)"
                for i in items
            ]
        except (KeyError, TypeError):
            parts = []
        current = " — current" if tier == self.request.client.tier else ""
        return f"Tier {tier}{current}" + (f": {'; '.join(parts)}" if parts else "")
