"""The client page's Overview: flags with reasons, adherence, next meetings, open actions."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QLabel

from vcio_desk.domain.alignment import format_pct
from vcio_desk.domain.vocab import ActionStatus
from vcio_desk.services.client_overview import client_overview
from vcio_desk.services.clients import list_clients
from vcio_desk.services.csi import register
from vcio_desk.services.demo import build_demo
from vcio_desk.store import Store
from vcio_desk.store import models as m
from vcio_desk.ui.models.drift_model import FLAG_STYLES
from vcio_desk.ui.pages.client_page import ClientPage
from vcio_desk.ui.pages.client_tabs.overview_tab import CLOSED_CSI, MEETING_ROLE, OverviewTab

C_LOCALE = QLocale(QLocale.Language.C)


def _client(store: Store, name: str, as_of: dt.date) -> int:
    return next(row.id for row in list_clients(store, as_of) if row.name == name)


def _tab(qtbot, store: Store, client_id: int, as_of: dt.date) -> OverviewTab:
    tab = OverviewTab(store, client_id, lambda: as_of, C_LOCALE)
    qtbot.addWidget(tab)
    tab.reload()
    return tab


def test_next_meetings_open_on_activation(qtbot, populated: Store, as_of: dt.date) -> None:
    acme = _client(populated, "Acme Dental", as_of)
    with populated.transaction() as session:
        session.add(
            m.ActionItem(
                client_id=acme, title="Renew firewall", due_date=as_of - dt.timedelta(days=3)
            )
        )
        session.add(m.ActionItem(client_id=acme, title="Order laptops", due_date=None))
        session.add(m.ActionItem(client_id=acme, title="Done", status=ActionStatus.DONE))
    tab = _tab(qtbot, populated, acme, as_of)
    items = [tab.meetings_list.item(i) for i in range(tab.meetings_list.count())]
    assert [item.text()[:14] for item in items] == ["Tue 2026-12-01", "Mon 2027-03-01"]
    assert "confirmed" in items[0].text() and "prep 0/6" in items[0].text()  # the template's
    with qtbot.waitSignal(tab.meeting_activated) as signal:
        tab.meetings_list.itemActivated.emit(items[1])
    assert signal.args == [items[1].data(MEETING_ROLE)]
    assert tab.actions_value.text() == "2"
    assert tab.actions_detail.text() == "open actions, 1 overdue"
    assert tab.score_value.text() == "—"
    assert tab.score_detail.text() == "No completed alignment review yet."
    assert tab.improvement_value.text() == "0"
    assert tab.adherence_value.text() == "—"
    reasons = tab.findChildren(QLabel, "rhythm_reason")
    assert reasons == []  # no rhythms: the card says how to add them


def test_flags_and_adherence_follow_the_service(qtbot, workspace: Store, as_of: dt.date) -> None:
    build_demo(workspace, clients=6, years=2, seed=2, as_of=as_of)
    client_id = list_clients(workspace, as_of)[0].id
    expected = client_overview(workspace, client_id, as_of)
    tab = _tab(qtbot, workspace, client_id, as_of)
    chips = [label.text().strip() for label in tab.findChildren(QLabel, "flag_chip")]
    assert chips == [
        f"{FLAG_STYLES[r.flag].glyph} {FLAG_STYLES[r.flag].word}" for r in expected.rhythms
    ]
    reasons = [label.text() for label in tab.findChildren(QLabel, "rhythm_reason")]
    assert reasons == [f"{r.meeting_type}: {r.reason}" for r in expected.rhythms]
    assert tab.adherence_value.text() == format_pct(expected.adherence.pct)
    assert len(tab.trend_chart.points()) == 12
    latest = expected.latest_completed_review
    assert latest is not None  # the demo has completed reviews
    assert tab.score_value.text() == format_pct(latest.score)
    assert f"coverage {format_pct(latest.coverage)}" in tab.score_detail.text()
    completed = [r for r in expected.reviews if r.completed_on is not None]
    assert [p.value for p in tab.score_chart.points()] == [r.score for r in reversed(completed)]
    open_items = [row for row in register(workspace, client_id) if row.status not in CLOSED_CSI]
    assert tab.improvement_value.text() == str(len(open_items))
    assert expected.roadmap.quarters[0].quarter.label in tab.improvement_detail.text()


def test_page_opens_on_the_overview_and_forwards_meetings(
    qtbot, populated: Store, as_of: dt.date
) -> None:
    page = ClientPage(
        populated, _client(populated, "Acme Dental", as_of), lambda: as_of, locale=C_LOCALE
    )
    qtbot.addWidget(page)
    page.show()
    page.reload()
    tab = page.tab("overview")
    assert isinstance(tab, OverviewTab) and tab.meetings_list.count() == 2
    with qtbot.waitSignal(page.meeting_activated) as signal:
        tab.meetings_list.itemActivated.emit(tab.meetings_list.item(0))
    assert signal.args == [tab.meetings_list.item(0).data(MEETING_ROLE)]
    assert tab.meetings_list.item(0).flags() & Qt.ItemFlag.ItemIsEnabled
