"""A rhythm's version history as a table, newest first: a Qt adapter over ``VersionView``s.

``data()`` reads the prepared versions only; it never reaches the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import IntEnum, StrEnum
from typing import Any

from PySide6.QtCore import (
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from vcio_desk.services.rhythms import VersionView
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.base import ReadOnlyTableModel

AnyIndex = QModelIndex | QPersistentModelIndex

VERSION_ROLE = Qt.ItemDataRole.UserRole + 1
"""``data(index, VERSION_ROLE)`` is the row's :class:`VersionView`."""


class Column(IntEnum):
    EFFECTIVE_FROM = 0
    STATE = 1
    RULE = 2
    TOLERANCE = 3
    REASON = 4
    AUTHOR = 5


HEADERS = {
    Column.EFFECTIVE_FROM: "Effective from",
    Column.STATE: "State",
    Column.RULE: "Rule",
    Column.TOLERANCE: "Tolerance",
    Column.REASON: "Reason",
    Column.AUTHOR: "Author",
}


class VersionState(StrEnum):
    CURRENT = "In force"
    SCHEDULED = "Scheduled"
    PAST = "Superseded"


def version_states(versions: Sequence[VersionView], as_of: dt.date) -> dict[int, VersionState]:
    """Each version's state on ``as_of``: in force, superseded, or scheduled to start later.

    Before the first version starts, that first version counts as the one in force
    (as ``RhythmView.current`` has it).
    """
    ordered = sorted(versions, key=lambda v: v.effective_from)
    started = [v for v in ordered if v.effective_from <= as_of]
    current = started[-1] if started else (ordered[0] if ordered else None)
    states: dict[int, VersionState] = {}
    for version in ordered:
        if current is not None and version.id == current.id:
            states[version.id] = VersionState.CURRENT
        elif version.effective_from > as_of:
            states[version.id] = VersionState.SCHEDULED
        else:
            states[version.id] = VersionState.PAST
    return states


class RhythmVersionsModel(ReadOnlyTableModel):
    """Read-only table of one rhythm's versions, newest ``effective_from`` first."""

    headers = tuple(HEADERS[c] for c in Column)

    def __init__(self, parent: QObject | None = None, locale: QLocale | None = None) -> None:
        super().__init__(parent)
        self._locale = locale or QLocale()
        self._versions: list[VersionView] = []
        self._states: dict[int, VersionState] = {}
        self._bold: QFont | None = None

    def set_versions(self, versions: Sequence[VersionView], as_of: dt.date) -> None:
        self.beginResetModel()
        self._versions = sorted(versions, key=lambda v: v.effective_from, reverse=True)
        self._states = version_states(versions, as_of)
        self.endResetModel()

    def version_at(self, row: int) -> VersionView:
        return self._versions[row]

    def state_of(self, row: int) -> VersionState:
        return self._states[self._versions[row].id]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._versions)

    def _text(self, version: VersionView, column: Column) -> str:
        if column is Column.EFFECTIVE_FROM:
            return format_date(version.effective_from, self._locale)
        if column is Column.STATE:
            return self._states[version.id].value
        if column is Column.RULE:
            return version.description
        if column is Column.TOLERANCE:
            return f"±{self._locale.toString(version.tolerance_days)} days"
        if column is Column.REASON:
            return version.reason
        return version.author

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._versions):
            return None
        version = self._versions[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(version, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is Column.RULE:
                anchor = format_date(version.anchor, self._locale)
                return f"RRULE: {version.rule}\nAnchor date: {anchor}"
            if column is Column.REASON and version.reason:
                return version.reason
            return None
        if role == Qt.ItemDataRole.FontRole:
            if self._states[version.id] is VersionState.CURRENT:
                if self._bold is None:
                    self._bold = QFont()
                    self._bold.setBold(True)
                return self._bold
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.TOLERANCE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == VERSION_ROLE:
            return version
        return None
