"""The roadmap view: a column per fiscal quarter with a card per item, and the budget table.

Fed a :class:`~vcio_desk.services.roadmap.Roadmap` (built from the rows the
register already holds, so switching views runs no query). Columns for items
targeted before the window ("Earlier"), after it ("Later") or not yet scheduled
appear only when they hold something. The number of quarters (4–8) is a
preference kept in QSettings.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.presets import MONTH_NAMES
from vcio_desk.domain.roadmap import DEFAULT_QUARTERS, MAX_QUARTERS, MIN_QUARTERS
from vcio_desk.services.roadmap import Roadmap, RoadmapCard
from vcio_desk.ui.pages.client_tabs.csi_model import (
    STATUS_COLOURS,
    money_text,
    month_span,
    priority_text,
    status_text,
)
from vcio_desk.ui.preferences import ui_settings
from vcio_desk.ui.widgets.rhythm_editor import mute

ROADMAP_QUARTERS_KEY = "csi/roadmap_quarters"
"""QSettings key: how many quarters the roadmap shows (4–8)."""
COLUMN_MIN_WIDTH = 145
BUDGET_ROWS = ("One-time", "Recurring", "Total", "Annualised recurring")


def saved_quarter_count() -> int:
    value = ui_settings().value(ROADMAP_QUARTERS_KEY, DEFAULT_QUARTERS)
    try:
        count = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return DEFAULT_QUARTERS
    return count if MIN_QUARTERS <= count <= MAX_QUARTERS else DEFAULT_QUARTERS


class RoadmapCardWidget(QFrame):
    """One item: title, size · priority · status, costs, KPI; double-click opens it."""

    activated = Signal(int)

    def __init__(
        self, card: RoadmapCard, locale: QLocale, symbol: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.card = card
        name = f"csi_card_{card.id}"
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        colour = STATUS_COLOURS[card.status]
        self.setStyleSheet(
            f"QFrame#{name} {{ border: 1px solid palette(mid); border-left: 4px solid {colour};"
            " border-radius: 3px; background: palette(base); }"
        )
        self.setToolTip(
            f"{card.title}\nRank {card.rank} · owner {card.owner or 'nobody'}\n"
            "Double-click to open the item"
        )
        title = QLabel(card.title)
        title.setObjectName("card_title")
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setWordWrap(True)
        font = QFont(title.font())
        font.setBold(True)
        title.setFont(font)
        meta = QLabel(f"{card.size} · {priority_text(card.priority)} · {status_text(card.status)}")
        meta.setObjectName("card_meta")
        meta.setWordWrap(True)
        costs = money_text(card.one_time_cost, locale, symbol, compact=True)
        if card.recurring_cost_monthly:
            monthly = money_text(card.recurring_cost_monthly, locale, symbol, compact=True)
            costs += f" + {monthly}/mo"
        cost = QLabel(costs)
        cost.setToolTip("One-time cost + recurring cost per month")
        cost.setObjectName("card_costs")
        cost.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 6, 6)
        layout.setSpacing(2)
        layout.addWidget(title)
        layout.addWidget(meta)
        layout.addWidget(cost)
        if not card.in_budget:
            note = QLabel("Deferred: not in the budget")
            note.setWordWrap(True)
            mute(note)
            layout.addWidget(note)
            mute(cost)
        if card.kpi_progress is not None:
            bar = QProgressBar()
            bar.setObjectName("card_kpi")
            bar.setRange(0, 100)
            bar.setValue(round(card.kpi_progress))
            bar.setFormat("KPI %p %")
            bar.setMaximumHeight(bar.fontMetrics().height())
            layout.addWidget(bar)
        # Never squeezed below what its text needs: the board scrolls instead.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.activated.emit(self.card.id)
        event.accept()


class RoadmapColumn(QFrame):
    """A quarter (or Earlier / Later / Unscheduled): heading, dates, subtotal and cards."""

    def __init__(
        self,
        key: str,
        heading: str,
        dates: str,
        subtotal: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"column_{key}")
        self.setMinimumWidth(COLUMN_MIN_WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.heading = QLabel(heading)
        font = QFont(self.heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.heading.setFont(font)
        self.dates = QLabel(dates)
        self.dates.setWordWrap(True)
        mute(self.dates)
        self.subtotal = QLabel(subtotal)
        self.subtotal.setObjectName("subtotal")
        self.cards: list[RoadmapCardWidget] = []
        self.cards_layout = QVBoxLayout()
        self.cards_layout.setSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(self.heading)
        layout.addWidget(self.dates)
        layout.addWidget(self.subtotal)
        layout.addSpacing(4)
        layout.addLayout(self.cards_layout)
        layout.addStretch(1)

    def add_card(self, card: RoadmapCardWidget) -> None:
        self.cards.append(card)
        self.cards_layout.addWidget(card)


class RoadmapView(QWidget):
    """Quarter columns over the budget table, with the number of quarters to show."""

    item_activated = Signal(int)
    quarters_changed = Signal(int)

    def __init__(self, locale: QLocale | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roadmap")
        self._locale = locale or QLocale()
        self.roadmap: Roadmap | None = None
        self.columns: list[RoadmapColumn] = []
        self.symbol = ""

        self.quarters_spin = QSpinBox()
        self.quarters_spin.setObjectName("roadmap_quarters")
        self.quarters_spin.setRange(MIN_QUARTERS, MAX_QUARTERS)
        self.quarters_spin.setValue(saved_quarter_count())
        self.quarters_spin.setSuffix(" quarters")
        self.quarters_spin.setToolTip("How many fiscal quarters to show, from the current one")
        self.quarters_spin.valueChanged.connect(self._on_quarters)
        caption = QLabel("&Show:")
        caption.setBuddy(self.quarters_spin)
        self.fiscal_label = QLabel()
        self.fiscal_label.setObjectName("fiscal_label")
        mute(self.fiscal_label)
        bar = QHBoxLayout()
        bar.addWidget(caption)
        bar.addWidget(self.quarters_spin)
        bar.addSpacing(12)
        bar.addWidget(self.fiscal_label, 1)

        self.board = QWidget()
        self.board_layout = QHBoxLayout(self.board)
        self.board_layout.setContentsMargins(2, 2, 2, 2)
        self.board_layout.setSpacing(4)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("roadmap_board")
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.board)

        self.budget_table = QTableWidget(len(BUDGET_ROWS), 0)
        self.budget_table.setObjectName("budget")
        self.budget_table.setVerticalHeaderLabels(list(BUDGET_ROWS))
        self.budget_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.budget_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.budget_table.setAlternatingRowColors(True)
        self.budget_table.verticalHeader().setDefaultSectionSize(
            self.budget_table.fontMetrics().height() + 8
        )
        self.budget_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.budget_table.setToolTip(
            "One-time costs fall in the item's target quarter; recurring costs count three "
            "months in every quarter from it. Deferred items are left out; done items keep "
            "their recurring cost. Annualised recurring is the monthly run rate × 12 (in "
            "the Total column: the run rate in the last quarter shown)."
        )
        self.unscheduled_label = QLabel()
        self.unscheduled_label.setObjectName("unscheduled_costs")
        mute(self.unscheduled_label)
        heading = QLabel("Budget by fiscal quarter")
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)  # the cards take what the budget leaves
        layout.addSpacing(4)
        layout.addWidget(heading)
        layout.addWidget(self.budget_table)
        layout.addWidget(self.unscheduled_label)

    @property
    def quarter_count(self) -> int:
        return self.quarters_spin.value()

    def set_roadmap(self, roadmap: Roadmap, symbol: str = "") -> None:
        self.roadmap = roadmap
        self.symbol = symbol
        self._show_board(roadmap)
        self._show_budget(roadmap)
        first, last = roadmap.quarters[0], roadmap.quarters[-1]
        month = MONTH_NAMES[roadmap.fiscal_start_month - 1]
        self.fiscal_label.setText(
            f"Fiscal year starts in {month}. {first.label} is the current quarter; the "
            f"roadmap runs to {last.label}. Double-click a card to open the item."
        )

    def card(self, item_id: int) -> RoadmapCardWidget:
        for column in self.columns:
            for card in column.cards:
                if card.card.id == item_id:
                    return card
        raise KeyError(item_id)

    def column(self, key: str) -> RoadmapColumn:
        for column in self.columns:
            if column.objectName() == f"column_{key}":
                return column
        raise KeyError(key)

    # -- internals ---------------------------------------------------------------------------

    def _money(self, value: Decimal) -> str:
        return money_text(value, self._locale, self.symbol)

    def _column(self, key: str, heading: str, dates: str, subtotal: str,
                cards: Sequence[RoadmapCard]) -> None:  # fmt: skip
        column = RoadmapColumn(key, heading, dates, subtotal)
        for card in cards:
            widget = RoadmapCardWidget(card, self._locale, self.symbol)
            widget.activated.connect(self.item_activated)
            column.add_card(widget)
        self.board_layout.addWidget(column, 1)
        self.columns.append(column)

    def _show_board(self, roadmap: Roadmap) -> None:
        for column in self.columns:
            self.board_layout.removeWidget(column)
            column.deleteLater()
        self.columns = []
        if roadmap.earlier:
            self._column("earlier", "Earlier", "Before this quarter", "", roadmap.earlier)
        for quarter in roadmap.quarters:
            self._column(
                quarter.label.replace(" ", "_"),
                quarter.label,
                month_span(quarter.first_day, quarter.last_day, self._locale),
                f"{self._money(quarter.budget.total)} this quarter",
                quarter.cards,
            )
        if roadmap.later:
            self._column("later", "Later", "After the last quarter shown", "", roadmap.later)
        if roadmap.unscheduled:
            self._column("unscheduled", "Unscheduled", "No quarter yet", "", roadmap.unscheduled)

    def _show_budget(self, roadmap: Roadmap) -> None:
        table = self.budget_table
        budget = roadmap.budget
        table.setColumnCount(len(budget.quarters) + 1)
        table.setHorizontalHeaderLabels([q.quarter.label for q in budget.quarters] + ["Total"])
        columns = [
            (q.one_time, q.recurring, q.total, q.annualised_recurring) for q in budget.quarters
        ]
        columns.append(
            (budget.one_time, budget.recurring, budget.total, budget.annualised_recurring)
        )
        bold = QFont(table.font())
        bold.setBold(True)
        for column, values in enumerate(columns):
            for row, value in enumerate(values):
                cell = QTableWidgetItem(self._money(value))
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if row == 2 or column == len(columns) - 1:
                    cell.setFont(bold)
                table.setItem(row, column, cell)
        height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(height)
        parts = []
        if budget.unscheduled_one_time:
            parts.append(f"{self._money(budget.unscheduled_one_time)} one-time")
        if budget.unscheduled_recurring_monthly:
            parts.append(f"{self._money(budget.unscheduled_recurring_monthly)} a month recurring")
        if parts:
            self.unscheduled_label.setText(
                "Not in the table, since their items have no quarter yet: "
                + " and ".join(parts)
                + "."
            )
            self.unscheduled_label.show()
        else:
            self.unscheduled_label.hide()

    def _on_quarters(self, count: int) -> None:
        ui_settings().setValue(ROADMAP_QUARTERS_KEY, count)
        self.quarters_changed.emit(count)
