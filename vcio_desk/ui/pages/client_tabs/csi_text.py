"""The CSI register's longer texts: an item's history, its findings and its preview.

User text (titles, reasons, justifications) is data: it is escaped before it
enters the markup a QTextBrowser renders.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from typing import Any

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QLabel,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.services.csi import MONEY_FIELDS, CsiDetail, HistoryEntry
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.pages.client_tabs.csi_model import (
    kpi_tooltip,
    money_text,
    number_text,
    priority_text,
    quarter_text,
    status_text,
)

KPI_KEYS = ("kpi_baseline", "kpi_target", "kpi_current")
PREVIEW_HISTORY = 3
"""How many of the latest changes the register's preview shows."""


def history_lines(entry: HistoryEntry, locale: QLocale, symbol: str = "") -> list[tuple[str, str]]:
    """(label, "old → new") per change of a history entry, values as people read them."""

    def shown(field: str, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if field in MONEY_FIELDS:
            return money_text(Decimal(str(value)), locale, symbol)
        if field in KPI_KEYS:
            return number_text(Decimal(str(value)), locale)
        if field == "status":
            return status_text(value)
        if field == "priority":
            return priority_text(value)
        if field == "progress_pct":
            return f"{value} %"
        text = str(value)
        return text if len(text) <= 80 else text[:77] + "…"

    if entry.is_creation:
        return [(c.label, shown(c.field, c.new)) for c in entry.changes if c.new not in (None, "")]
    return [(c.label, f"{shown(c.field, c.old)} → {shown(c.field, c.new)}") for c in entry.changes]


def history_html(entries: Sequence[HistoryEntry], locale: QLocale, symbol: str = "") -> str:
    """The history as simple HTML: who and when in bold, the reason, then each change.

    Every piece of user text is escaped: it is data, not markup.
    """
    parts = []
    for entry in entries:
        local = entry.changed_at.astimezone()
        when = f"{format_date(local.date(), locale)} {local:%H:%M}"
        head = f"{when} · {entry.author or 'someone'}"
        if entry.is_creation:
            head += " · created"
        lines = [f"<b>{escape(head)}</b>"]
        if entry.note:
            lines.append(f"<i>“{escape(entry.note)}”</i>")
        lines.extend(
            f"{escape(label)}: {escape(text)}"
            for label, text in history_lines(entry, locale, symbol)
        )
        parts.append("<p style='margin-bottom:8px'>" + "<br>".join(lines) + "</p>")
    return "".join(parts) or "<p>No history yet.</p>"


def preview_html(detail: CsiDetail, locale: QLocale, symbol: str = "") -> str:
    """The register's preview of one item (user text escaped: it is data, not markup)."""
    row = detail.row
    when = (
        quarter_text(row.target, detail.fiscal_start_month, locale)
        if row.target
        else "not scheduled yet"
    )
    cost = money_text(row.one_time_cost, locale, symbol) + " one-time"
    if row.recurring_cost_monthly:
        monthly = money_text(row.recurring_cost_monthly, locale, symbol)
        yearly = money_text(row.recurring_cost_monthly * 12, locale, symbol)
        cost += f" + {monthly} a month ({yearly} a year)"
    lines = [
        f"<b>{escape(row.title)}</b> — rank {row.rank}, {escape(status_text(row.status))}, "
        f"work done {row.progress_pct} %",
    ]
    if row.description:
        lines.append(escape(row.description))
    if row.justification:
        lines.append(f"<i>Why:</i> {escape(row.justification)}")
    lines.append(f"<i>KPI:</i> {escape(kpi_tooltip(row, locale))}".replace("\n", "<br>"))
    lines.append(f"<i>Lands:</i> {escape(when)} · <i>Cost:</i> {escape(cost)}")
    if detail.findings:
        codes = ", ".join(f.code for f in detail.findings)
        lines.append(f"<i>Review findings:</i> {escape(codes)}")
    recent = detail.history[:PREVIEW_HISTORY]
    more = len(detail.history) - len(recent)
    tail = f"<p>… and {more} earlier (open the item for all)</p>" if more > 0 else ""
    return (
        "<p>"
        + "<br>".join(lines)
        + "</p><p><b>Latest changes</b></p>"
        + history_html(recent, locale, symbol)
        + tail
    )


class ItemRecord(QWidget):
    """An item's history (newest first) over the review findings linked to it."""

    def __init__(self, locale: QLocale, symbol: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._locale = locale
        self._symbol = symbol
        self.history_caption = QLabel("History")
        self.history_view = QTextBrowser()
        self.history_view.setObjectName("history")
        self.history_view.setOpenLinks(False)
        self.findings_caption = QLabel("Review findings linked to this item")
        self.findings_tree = QTreeWidget()
        self.findings_tree.setObjectName("findings")
        self.findings_tree.setHeaderLabels(["Finding", "Review", "Rating"])
        self.findings_tree.setRootIsDecorated(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.history_caption)
        layout.addWidget(self.history_view, 3)
        layout.addWidget(self.findings_caption)
        layout.addWidget(self.findings_tree, 1)

    def show_new(self) -> None:
        self.history_caption.setText("History (starts when the item is saved)")
        self.findings_caption.hide()
        self.findings_tree.hide()

    def show_detail(self, detail: CsiDetail) -> None:
        self.history_view.setHtml(history_html(detail.history, self._locale, self._symbol))
        self.history_caption.setText(f"History ({len(detail.history)} entries, newest first)")
        self.findings_tree.clear()
        for finding in detail.findings:
            rating = str(finding.rating.value).capitalize() if finding.rating else "Not rated"
            item = QTreeWidgetItem(
                [
                    f"{finding.code} {finding.question}",
                    format_date(finding.review_started_on, self._locale),
                    rating,
                ]
            )
            item.setToolTip(0, f"{finding.section_name}\n{finding.question}\n{finding.notes}")
            self.findings_tree.addTopLevelItem(item)
        self.findings_caption.setText(
            f"Review findings linked to this item ({len(detail.findings)})"
            if detail.findings
            else "No review findings are linked to this item."
        )
        self.findings_tree.setVisible(bool(detail.findings))
