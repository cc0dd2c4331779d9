"""One client's page: who they are and how often we meet them, with every rhythm's history.

The header shows the client's tier (with "Change tier…"), owners, fiscal year,
region and time zone. The tabs follow PRODUCT.md §4 "Clients"; all but Rhythms and
Contacts live in ``client_tabs`` and are built and loaded when first shown, so the
page opens at the cost of its header and the Overview. Each rhythm is a card
with its current rule in plain language, tolerance, anchor, the next slots (from
``domain.slots``, so a scheduled version is honoured) and the version history.

Data comes from services as plain dataclasses when :meth:`ClientPage.reload` is
called; dialogs are opened through replaceable callables (``rhythm_opener``,
``tier_opener``) so tests drive the real dialogs without blocking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.services.client_detail import (
    ClientDetail,
    MeetingTypeOption,
    author_name,
    client_detail,
)
from vcio_desk.services.rhythms import RhythmView, list_rhythms
from vcio_desk.store import Store
from vcio_desk.ui.dialogs.rhythm_dialog import RhythmDialog, RhythmOpener, RhythmRequest
from vcio_desk.ui.dialogs.tier_dialog import TierDialog, TierOpener, TierRequest
from vcio_desk.ui.pages.client_tabs.lazy import LazyTab
from vcio_desk.ui.pages.client_tabs.rhythm_card import RhythmCard, muted_label, scaled_bold
from vcio_desk.ui.widgets.logo_picker import LogoDialog, LogoOpener
from vcio_desk.ui.widgets.message_panel import MessagePanel

TabFactory = Callable[["ClientPage"], QWidget]
"""Builds one tab's widget for a page; the widget offers ``reload()`` and may emit
``changed`` (something was written) and ``meeting_activated(int)``."""


def _overview_tab(page: ClientPage) -> QWidget:
    from vcio_desk.ui.pages.client_tabs.overview_tab import OverviewTab

    return OverviewTab(page.store, page.client_id, page.as_of_provider, page.locale())


def _csi_tab(page: ClientPage) -> QWidget:
    from vcio_desk.ui.pages.client_tabs.csi_tab import CsiTab

    return CsiTab(page.store, page.client_id, page.as_of_provider, page.locale())


def _reviews_tab(page: ClientPage) -> QWidget:
    from vcio_desk.ui.pages.client_tabs.reviews_tab import ReviewsTab

    return ReviewsTab(page.store, page.client_id, page.as_of_provider, page.locale())


def _meetings_tab(page: ClientPage) -> QWidget:
    from vcio_desk.ui.pages.client_tabs.meetings_tab import MeetingsTab

    return MeetingsTab(page.store, page.client_id, page.as_of_provider, page.locale())


def _actions_tab(page: ClientPage) -> QWidget:
    from vcio_desk.ui.pages.client_tabs.actions_tab import ActionsTab

    return ActionsTab(page.store, page.client_id, page.as_of_provider, page.locale())


CLIENT_TABS: tuple[tuple[str, str, TabFactory], ...] = (
    # key, tab title, factory (rhythms and contacts are built by the page itself)
    ("overview", "Overview", _overview_tab),
    ("meetings", "Meetings", _meetings_tab),
    ("reviews", "Reviews", _reviews_tab),
    ("csi", "CSI & roadmap", _csi_tab),
    ("actions", "Actions", _actions_tab),
)

CONTACT_HEADERS = ("Name", "Title", "Email", "Phone", "Decision maker")


class ClientPage(QWidget):
    """A client's header and tabs; opened from the Clients list (one per client)."""

    client_changed = Signal(int)
    """Something of this client was written (a rhythm, a version, the tier)."""
    back_requested = Signal()
    meeting_activated = Signal(int)
    """A meeting was opened from one of the tabs (the main window shows its page)."""
    """Esc (or Ctrl+W): back to the list. A page shown as its own window also closes."""

    def __init__(
        self,
        store: Store,
        client_id: int,
        as_of_provider: Callable[[], dt.date],
        parent: QWidget | None = None,
        *,
        locale: QLocale | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page_client")
        self.store = store
        self.client_id = client_id
        self._as_of = as_of_provider
        self.as_of_provider = as_of_provider
        self._locale = locale or QLocale()
        self.setLocale(self._locale)
        self.detail: ClientDetail | None = None
        self.rhythms: list[RhythmView] = []
        self.cards: list[RhythmCard] = []
        self.rhythm_opener: RhythmOpener = RhythmDialog.ask
        self.tier_opener: TierOpener = TierDialog.ask
        self.logo_opener: LogoOpener = LogoDialog.ask
        self.setWindowTitle("Client — vcio_desk")

        # -- header -------------------------------------------------------------------------
        self.name_label = scaled_bold(QLabel("Loading…"), 1.5)
        self.name_label.setObjectName("client_name")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setObjectName("client_status")
        self.tier_label = scaled_bold(QLabel(), 1.0)
        self.tier_label.setObjectName("client_tier")
        self.change_tier_button = QPushButton("Change tier…")
        self.change_tier_button.setToolTip(
            "Give the client another tier, and its default rhythms from a date you choose"
        )
        self.change_tier_button.clicked.connect(self.open_tier_change)
        self.values: dict[str, QLabel] = {}
        facts = QGridLayout()
        facts.setHorizontalSpacing(10)
        facts.setVerticalSpacing(4)
        facts.addWidget(muted_label("Tier"), 0, 0)
        tier_row = QHBoxLayout()
        tier_row.setSpacing(12)
        tier_row.addWidget(self.tier_label)
        tier_row.addWidget(self.change_tier_button)
        tier_row.addStretch(1)
        facts.addLayout(tier_row, 0, 1)
        cells = (
            ("vcio", "vCIO", 0, 2),
            ("tam", "TAM", 0, 4),
            ("account_manager", "Account manager", 0, 6),
            ("fiscal", "Fiscal year starts", 1, 0),
            ("place", "Country", 1, 2),
            ("timezone", "Time zone", 1, 4),
            ("external_id", "External ID", 1, 6),
        )
        for key, caption, row, column in cells:
            value = QLabel()
            value.setObjectName(f"client_{key}")
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            facts.addWidget(muted_label(caption), row, column)
            facts.addWidget(value, row, column + 1)
        for column in (1, 3, 5, 7):
            facts.setColumnStretch(column, 1)
        for column in (2, 4, 6):
            facts.setColumnMinimumWidth(column, 0)
        name_row = QHBoxLayout()
        name_row.addWidget(self.name_label)
        name_row.addWidget(self.status_label)
        name_row.addStretch(1)
        self.logo_button = QPushButton("Logo…")
        self.logo_button.setToolTip("The client's logo on the cover of its meeting packs")
        self.logo_button.clicked.connect(self.open_logo)
        name_row.addWidget(self.logo_button)
        header = QFrame()
        header.setObjectName("client_header")
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(4, 4, 4, 8)
        header_layout.addLayout(name_row)
        header_layout.addLayout(facts)

        # -- tabs ---------------------------------------------------------------------------
        self.tabs = QTabWidget()
        self.tabs.setObjectName("client_tabs")
        self.tabs.setDocumentMode(True)
        self.lazy_tabs: dict[str, LazyTab] = {}
        for key, _title, factory in CLIENT_TABS:
            self.lazy_tabs[key] = LazyTab(key, lambda f=factory: self._connect_tab(f(self)))
        self.rhythms_tab = self._build_rhythms_tab()
        self.contacts_tab = self._build_contacts_tab()
        titles = dict((key, title) for key, title, _factory in CLIENT_TABS)
        for key in ("overview", "rhythms", "meetings", "reviews", "csi", "actions"):
            widget = self.rhythms_tab if key == "rhythms" else self.lazy_tabs[key]
            title = "Rhythms" if key == "rhythms" else titles[key]
            self.tabs.addTab(widget, title.replace("&", "&&"))  # a lone "&" is a mnemonic
        self.tabs.addTab(self.contacts_tab, "Contacts")
        self.tabs.setCurrentWidget(self.lazy_tabs["overview"])

        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addWidget(self.tabs, 1)

        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.go_back)
        close = QShortcut(QKeySequence.StandardKey.Close, self)
        close.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        close.activated.connect(self.go_back)

    # -- tabs -------------------------------------------------------------------------------

    def _build_rhythms_tab(self) -> QWidget:
        self.rhythm_count_label = QLabel()
        self.notice_label = muted_label()
        self.notice_label.setObjectName("rhythm_notice")
        self.add_rhythm_button = QPushButton("Add rhythm…")
        self.add_rhythm_button.clicked.connect(self.open_add_rhythm)
        bar = QHBoxLayout()
        bar.addWidget(self.rhythm_count_label)
        bar.addSpacing(12)
        bar.addWidget(self.notice_label, 1)
        bar.addWidget(self.add_rhythm_button)
        self.cards_layout = QVBoxLayout()
        self.cards_layout.setSpacing(12)
        self.empty_rhythms = MessagePanel(
            "rhythms",
            "No rhythms yet",
            "Add a rhythm for a meeting type, or use “Change tier…” to give the client its "
            "tier's default rhythms.",
        )
        self.empty_rhythms.hide()
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addLayout(bar)
        content_layout.addLayout(self.cards_layout)
        content_layout.addWidget(self.empty_rhythms)
        content_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("tab_rhythms")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        return scroll

    def _build_contacts_tab(self) -> QWidget:
        self.contacts_table = QTableWidget(0, len(CONTACT_HEADERS))
        self.contacts_table.setObjectName("contacts")
        self.contacts_table.setHorizontalHeaderLabels(list(CONTACT_HEADERS))
        self.contacts_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.contacts_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.contacts_table.setAlternatingRowColors(True)
        self.contacts_table.verticalHeader().hide()
        self.contacts_table.horizontalHeader().setStretchLastSection(True)
        self.no_contacts = MessagePanel(
            "clients", "No contacts", "No contacts are recorded for this client yet."
        )
        tab = QWidget()
        tab.setObjectName("tab_contacts")
        layout = QVBoxLayout(tab)
        layout.addWidget(self.contacts_table)
        layout.addWidget(self.no_contacts)
        return tab

    # -- public -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Fetch the client and its rhythms again and rebuild what shows them."""
        try:
            detail = client_detail(self.store, self.client_id)
            rhythms = list_rhythms(self.store, client_id=self.client_id)
        except VcioDeskError as err:
            self.detail = None
            self.name_label.setText("Client not found")
            self.status_label.setText(err.user_message)
            self.change_tier_button.setEnabled(False)
            self.add_rhythm_button.setEnabled(False)
            self.logo_button.setEnabled(False)
            self._show_rhythms([])
            return
        order = {t.key: i for i, t in enumerate(detail.meeting_types)}
        self.detail = detail
        self.rhythms = sorted(
            rhythms, key=lambda r: (order.get(r.meeting_type_key, len(order)), r.id)
        )
        self._show_header(detail)
        self._show_rhythms(self.rhythms)
        self._show_contacts(detail)

    def tab(self, key: str) -> QWidget:
        """The widget of a lazily built tab ("overview", "meetings", ...), loaded if new."""
        holder = self.lazy_tabs[key]
        return holder.content() if holder.is_built else holder.load()

    def show_tab(self, key: str) -> None:
        self.tabs.setCurrentWidget(self.rhythms_tab if key == "rhythms" else self.lazy_tabs[key])

    def _connect_tab(self, widget: QWidget) -> QWidget:
        changed = getattr(widget, "changed", None)
        if changed is not None:
            changed.connect(lambda w=widget: self._on_tab_changed(w))
        activated = getattr(widget, "meeting_activated", None)
        if activated is not None:
            activated.connect(self.meeting_activated)
        return widget

    def meetings_changed(self) -> None:
        """A meeting of this client was written elsewhere (its page): tabs follow."""
        for key in ("overview", "meetings", "actions"):
            self.lazy_tabs[key].invalidate()

    def _on_tab_changed(self, source: QWidget) -> None:
        """A tab wrote something: the other tabs reload when next seen; the lists follow."""
        for holder in self.lazy_tabs.values():
            if holder.is_built and holder.content() is not source:
                holder.invalidate()
        self.client_changed.emit(self.client_id)

    def card_for(self, meeting_type_key: str) -> RhythmCard:
        for card in self.cards:
            if card.rhythm.meeting_type_key == meeting_type_key:
                return card
        raise KeyError(meeting_type_key)

    def missing_meeting_types(self) -> list[MeetingTypeOption]:
        """Client meeting types this client has no rhythm for yet."""
        if self.detail is None:
            return []
        have = {r.meeting_type_key for r in self.rhythms}
        return [t for t in self.detail.meeting_types if t.key not in have]

    def open_new_version(self, rhythm_id: int) -> int | None:
        rhythm = next((r for r in self.rhythms if r.id == rhythm_id), None)
        if rhythm is None or self.detail is None:
            return None
        request = RhythmRequest(
            self.store, self.detail, self._as_of(), author_name(self.store), rhythm=rhythm
        )
        saved = self.rhythm_opener(self, request)
        if saved is not None:
            self._after_write(f"New version of the {rhythm.meeting_type} rhythm saved.")
        return saved

    def open_add_rhythm(self) -> int | None:
        missing = self.missing_meeting_types()
        if self.detail is None or not missing:
            return None
        request = RhythmRequest(
            self.store,
            self.detail,
            self._as_of(),
            author_name(self.store),
            meeting_types=tuple(missing),
        )
        saved = self.rhythm_opener(self, request)
        if saved is not None:
            self._after_write("Rhythm added.")
        return saved

    def open_tier_change(self) -> None:
        if self.detail is None:
            return
        request = TierRequest(self.store, self.detail, self._as_of(), author_name(self.store))
        applied = self.tier_opener(self, request)
        if applied is not None:
            n = len(applied)
            changes = f"; {n} rhythm change{'s' if n != 1 else ''}" if n else ""
            self._after_write(f"Tier changed{changes}.")

    def open_logo(self) -> bool:
        """The client's logo (set, replace, remove); True when it changed."""
        if self.detail is None:
            return False
        return self.logo_opener(self, self.store, self.client_id, self.detail.name)

    def go_back(self) -> None:
        self.back_requested.emit()
        if self.isWindow():
            self.close()

    # -- internals --------------------------------------------------------------------------

    def _after_write(self, notice: str) -> None:
        self.reload()
        self.notice_label.setText(notice)
        for holder in self.lazy_tabs.values():
            holder.invalidate()
        self.client_changed.emit(self.client_id)

    def _show_header(self, d: ClientDetail) -> None:
        self.setWindowTitle(f"{d.name} — vcio_desk")
        self.name_label.setText(d.name)
        self.status_label.setText("" if d.active else "Inactive client")
        self.tier_label.setText(d.tier)
        writable = not self.store.read_only
        self.change_tier_button.setEnabled(writable)
        self.logo_button.setEnabled(True)  # read-only: the dialog shows the logo, not edits
        none = "—"
        texts = {
            "vcio": d.vcio or none,
            "tam": d.tam or none,
            "account_manager": d.account_manager or none,
            "fiscal": d.fiscal_year_start,
            "place": d.place or none,
            "timezone": d.timezone,
            "external_id": d.external_id or none,
        }
        for key, text in texts.items():
            self.values[key].setText(text)

    def _show_rhythms(self, rhythms: Sequence[RhythmView]) -> None:
        for card in self.cards:
            self.cards_layout.removeWidget(card)
            card.deleteLater()
        self.cards = []
        as_of = self._as_of()
        writable = not self.store.read_only
        for rhythm in rhythms:
            card = RhythmCard(rhythm, as_of, self._locale, writable=writable)
            card.new_version_requested.connect(self.open_new_version)
            self.cards_layout.addWidget(card)
            self.cards.append(card)
        n = len(rhythms)
        self.rhythm_count_label.setText(f"{n} rhythm{'s' if n != 1 else ''}")
        self.empty_rhythms.setVisible(n == 0 and self.detail is not None)
        missing = self.missing_meeting_types()
        self.add_rhythm_button.setEnabled(bool(missing) and writable)
        if missing:
            names = ", ".join(t.name for t in missing)
            self.add_rhythm_button.setToolTip(f"A rhythm for: {names}")
        else:
            self.add_rhythm_button.setToolTip("The client has a rhythm for every meeting type.")

    def _show_contacts(self, d: ClientDetail) -> None:
        table = self.contacts_table
        table.setRowCount(len(d.contacts))
        for row, contact in enumerate(d.contacts):
            cells = (
                contact.name,
                contact.title,
                contact.email,
                contact.phone,
                "Yes" if contact.decision_maker else "",
            )
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        table.resizeColumnsToContents()
        table.setVisible(bool(d.contacts))
        self.no_contacts.setVisible(not d.contacts)
        self.tabs.setTabText(self.tabs.indexOf(self.contacts_tab), f"Contacts ({len(d.contacts)})")
