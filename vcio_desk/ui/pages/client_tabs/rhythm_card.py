"""A rhythm's card on the client page: its rule in words, the next slots, its history.

The next slots come from ``domain.slots`` over every version, so a version scheduled
to start later is honoured.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.domain.slots import VersionSpec, slots
from vcio_desk.services.rhythms import RhythmView
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.rhythm_versions_model import Column, RhythmVersionsModel
from vcio_desk.ui.widgets.rhythm_editor import mute

NEXT_SLOTS = 6
SLOT_HORIZON_YEARS = 8
"""How far ahead to look for the next slots (a yearly rule needs six years for six)."""


def upcoming_slots(rhythm: RhythmView, as_of: dt.date, count: int = NEXT_SLOTS) -> list[dt.date]:
    """The next ``count`` slot dates on or after ``as_of``, every version honoured."""
    specs = [
        VersionSpec(v.rule, v.anchor, v.tolerance_days, v.effective_from)
        for v in sorted(rhythm.versions, key=lambda v: v.effective_from)
    ]
    end = as_of.replace(year=min(as_of.year + SLOT_HORIZON_YEARS, dt.MAXYEAR), day=1)
    return [slot.nominal for slot in slots(specs, as_of, end)[:count]]


def muted_label(text: str = "") -> QLabel:
    label = QLabel(text)
    mute(label)
    return label


def scaled_bold(label: QLabel, factor: float) -> QLabel:
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(True)
    label.setFont(font)
    return label


class RhythmCard(QFrame):
    """One rhythm: its current rule, next slots and the version history, newest first."""

    new_version_requested = Signal(int)

    def __init__(
        self,
        rhythm: RhythmView,
        as_of: dt.date,
        locale: QLocale,
        *,
        writable: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.rhythm = rhythm
        self.setObjectName(f"rhythm_card_{rhythm.meeting_type_key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFrameShadow(QFrame.Shadow.Raised)
        current = rhythm.current(as_of)

        title = rhythm.meeting_type + ("" if rhythm.active else " (inactive)")
        self.title_label = scaled_bold(QLabel(title), 1.15)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.new_version_button = QPushButton("New version…")
        self.new_version_button.setToolTip(
            "Re-evaluate this rhythm: a new version from a date you choose, with a reason"
        )
        self.new_version_button.setEnabled(writable and current is not None)
        self.new_version_button.clicked.connect(lambda: self.new_version_requested.emit(rhythm.id))
        top = QHBoxLayout()
        top.addWidget(self.title_label)
        top.addStretch(1)
        top.addWidget(self.new_version_button)

        self.description_label = scaled_bold(QLabel(), 1.0)
        self.description_label.setObjectName("current_description")
        self.description_label.setWordWrap(True)
        self.facts_label = QLabel()
        self.facts_label.setObjectName("current_facts")
        self.facts_label.setWordWrap(True)
        self.scheduled_label = QLabel()
        self.scheduled_label.setWordWrap(True)
        self.next_caption = muted_label("Next dates:")
        self.next_label = QLabel()
        self.next_label.setObjectName("next_dates")
        self.next_label.setWordWrap(True)
        self.next_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.next_dates: list[dt.date] = []

        if current is None:
            self.description_label.setText("No version yet")
        else:
            self.description_label.setText(current.description)
            anchor = format_date(current.anchor, locale)
            since = format_date(current.effective_from, locale)
            self.facts_label.setText(
                f"Tolerance ±{current.tolerance_days} days  ·  Anchor {anchor}  ·  "
                f"In force since {since}"
            )
            self.facts_label.setToolTip(f"RRULE: {current.rule}")
        later = [v for v in rhythm.versions if v.effective_from > as_of and v is not current]
        if later:
            nxt = min(later, key=lambda v: v.effective_from)
            self.scheduled_label.setText(
                f"Scheduled from {format_date(nxt.effective_from, locale)}: "
                f"{nxt.description}, ±{nxt.tolerance_days} days"
            )
        self.scheduled_label.setVisible(bool(later))
        try:
            self.next_dates = upcoming_slots(rhythm, as_of)
        except VcioDeskError as err:  # a stored rule that no longer reads: say so, go on
            self.next_label.setText(err.user_message)
        else:
            if self.next_dates:
                self.next_label.setText(
                    "   ".join(_weekday_date(day, locale) for day in self.next_dates)
                )
            else:
                self.next_label.setText("None: the rule has no further dates.")
        next_row = QHBoxLayout()
        next_row.addWidget(self.next_caption, 0, Qt.AlignmentFlag.AlignTop)
        next_row.addWidget(self.next_label, 1)

        self.versions_model = RhythmVersionsModel(self, locale)
        self.versions_model.set_versions(rhythm.versions, as_of)
        self.versions_view = QTableView()
        self.versions_view.setObjectName("version_history")
        self.versions_view.setModel(self.versions_model)
        self.versions_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.versions_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.versions_view.setAlternatingRowColors(True)
        self.versions_view.setWordWrap(False)
        self.versions_view.verticalHeader().hide()
        self.versions_view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.versions_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.versions_view.setTextElideMode(Qt.TextElideMode.ElideRight)  # tooltips hold it all
        header = self.versions_view.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        for column in Column:
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column is Column.REASON
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)
        self._fit_table_height()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.description_label)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.scheduled_label)
        layout.addLayout(next_row)
        layout.addSpacing(4)
        layout.addWidget(muted_label(f"Version history ({len(rhythm.versions)})"))
        layout.addWidget(self.versions_view)

    def _fit_table_height(self) -> None:
        """Tall enough for every version: the page scrolls, not each table."""
        view = self.versions_view
        rows = self.versions_model.rowCount()
        row_height = view.verticalHeader().defaultSectionSize()
        height = view.horizontalHeader().sizeHint().height() + rows * row_height
        view.setFixedHeight(height + 2 * view.frameWidth())


def _weekday_date(day: dt.date, locale: QLocale) -> str:
    weekday = locale.dayName(day.isoweekday(), QLocale.FormatType.ShortFormat)
    return f"{weekday} {format_date(day, locale)}"
