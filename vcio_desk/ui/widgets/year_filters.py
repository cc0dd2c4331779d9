"""The Year page's filter row: subject text (debounced), owner, account manager, tier, type.

The widgets wrap onto a second line in a narrow window (a flow layout). ``changed``
fires once per typing pause and at once for a combo; :meth:`current` says what is
chosen as a :class:`~vcio_desk.ui.models.year_model.YearFilter`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from vcio_desk.ui.models.clients_model import name_key
from vcio_desk.ui.models.year_model import PreparedRow, YearFilter
from vcio_desk.ui.widgets.flow_layout import FlowLayout

FILTER_DELAY_MS = 150


def _combo(everyone: str, tip: str) -> QComboBox:
    combo = QComboBox()
    combo.addItem(everyone, None)
    combo.setToolTip(tip)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def _refill(combo: QComboBox, items: Sequence[tuple[str, Any]]) -> None:
    """Replace every choice after the first ("everyone"), keeping the current one if offered."""
    current = combo.currentData()
    combo.blockSignals(True)
    while combo.count() > 1:
        combo.removeItem(1)
    for text, data in items:
        combo.addItem(text, data)
    index = combo.findData(current) if current is not None else 0
    combo.setCurrentIndex(max(index, 0))
    combo.blockSignals(False)


class YearFilters(QWidget):
    """Text, owner, account manager, tier and meeting type, in a wrapping row."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("year_filters")
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText("Filter subjects…")
        self.text_edit.setClearButtonEnabled(True)
        self.text_edit.setToolTip("Client or internal body name (Esc clears)")
        self.text_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 28)
        self.owner_combo = _combo("Everyone", "Meetings this person owns")
        self.manager_combo = _combo("Any", "Clients of this account manager")
        self.tier_combo = _combo("All", "Clients of this tier")
        self.type_combo = _combo("All", "Only meetings of this type")

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(FILTER_DELAY_MS)
        self._debounce.timeout.connect(self._emit)
        self.text_edit.textChanged.connect(self._debounce.start)
        for combo in self.combos():
            combo.currentIndexChanged.connect(self._emit)
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.text_edit)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear.activated.connect(self.text_edit.clear)

        flow = FlowLayout(self, h_spacing=12)
        flow.addWidget(self.text_edit)
        for label, combo in (
            ("O&wner", self.owner_combo),
            ("Account &manager", self.manager_combo),
            ("T&ier", self.tier_combo),
            ("Meeting t&ype", self.type_combo),
        ):
            group = QWidget()
            pair = QHBoxLayout(group)
            pair.setContentsMargins(0, 0, 0, 0)
            caption = QLabel(f"{label}:")
            caption.setBuddy(combo)
            pair.addWidget(caption)
            pair.addWidget(combo)
            flow.addWidget(group)

    def combos(self) -> tuple[QComboBox, ...]:
        return (self.owner_combo, self.manager_combo, self.tier_combo, self.type_combo)

    def current(self) -> YearFilter:
        return YearFilter(
            text=self.text_edit.text(),
            owner_id=self.owner_combo.currentData(),
            account_manager_id=self.manager_combo.currentData(),
            tier=self.tier_combo.currentData(),
            meeting_type=self.type_combo.currentData(),
        )

    def clear(self) -> None:
        """Back to everything (one ``changed``)."""
        for combo in self.combos():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.text_edit.blockSignals(True)
        self.text_edit.clear()
        self.text_edit.blockSignals(False)
        self._emit()

    def owners(self) -> list[tuple[int, str]]:
        """The owners offered, as (staff id, name)."""
        combo = self.owner_combo
        return [(combo.itemData(i), combo.itemText(i)) for i in range(1, combo.count())]

    def fill(
        self,
        staff: dict[int, str],
        rows: Sequence[PreparedRow],
        meeting_types: Sequence[tuple[str, str]],
    ) -> None:
        """Offer what the loaded rows hold; current choices stay when still offered."""
        owners: set[int] = set()
        managers: set[int] = set()
        tiers: set[str] = set()
        for prepared in rows:
            row = prepared.row
            owners.update(i for i in (row.vcio_id, row.tam_id) if i is not None)
            owners.update(row.owner_ids)
            if row.account_manager_id is not None:
                managers.add(row.account_manager_id)
            if row.tier and row.subject_kind == "client":
                tiers.add(row.tier)

        def by_name(ids: set[int]) -> list[tuple[str, int]]:
            named = [(staff.get(i, "?"), i) for i in ids]
            return sorted(named, key=lambda pair: (name_key(pair[0]), pair[0]))

        _refill(self.owner_combo, by_name(owners))
        _refill(self.manager_combo, by_name(managers))
        _refill(self.tier_combo, [(t, t) for t in sorted(tiers)])
        _refill(self.type_combo, [(name, key) for key, name in meeting_types])

    def _emit(self) -> None:
        self._debounce.stop()
        self.changed.emit()
