"""The roadmap service: the window by the register's fiscal year, placement and budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from vcio_desk.domain.errors import ValidationError
from vcio_desk.services import csi
from vcio_desk.services.roadmap import roadmap
from vcio_desk.services.settings import write_setting
from vcio_desk.store import Store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)
D = dt.date


@pytest.fixture
def client_id(workspace: Store) -> int:
    with workspace.transaction() as session:
        client = m.Client(name="Acme Dental", tier="A", fiscal_year_start_month=7)
        session.add(client)
        session.flush()
        return client.id


def _add(
    store: Store,
    client: int | None,
    title: str,
    target: tuple[int, int] | None,
    one_time: str = "0",
    monthly: str = "0",
    status: str = "approved",
) -> int:
    fields: dict[str, object] = {
        "title": title,
        "one_time_cost": one_time,
        "recurring_cost_monthly": monthly,
        "status": status,
    }
    if target:
        fields["target_fiscal_year"], fields["target_quarter"] = target
    return csi.create_item(store, client, fields, "Ada")


def test_columns_are_the_clients_fiscal_quarters_from_today(
    workspace: Store, client_id: int
) -> None:
    plan = roadmap(workspace, client_id, AS_OF)  # July start: 20 Nov 2026 is in FY2027 Q2
    assert plan.fiscal_start_month == 7
    assert [q.label for q in plan.quarters] == [
        "FY2027 Q2",
        "FY2027 Q3",
        "FY2027 Q4",
        "FY2028 Q1",
        "FY2028 Q2",
        "FY2028 Q3",
    ]
    assert [(q.first_day, q.last_day) for q in plan.quarters[:4]] == [
        (D(2026, 10, 1), D(2026, 12, 31)),
        (D(2027, 1, 1), D(2027, 3, 31)),
        (D(2027, 4, 1), D(2027, 6, 30)),
        (D(2027, 7, 1), D(2027, 9, 30)),
    ]
    assert len(roadmap(workspace, client_id, AS_OF, 4).quarters) == 4
    assert len(roadmap(workspace, client_id, AS_OF, 8).quarters) == 8
    with pytest.raises(ValidationError, match="4 to 8"):
        roadmap(workspace, client_id, AS_OF, 9)


def test_items_are_placed_by_target_quarter(workspace: Store, client_id: int) -> None:
    now = _add(workspace, client_id, "Now", (2027, 2))
    soon_b = _add(workspace, client_id, "Soon B", (2027, 3))
    old = _add(workspace, client_id, "Old", (2026, 4), status="done")
    later = _add(workspace, client_id, "Later", (2029, 1))
    loose = _add(workspace, client_id, "Loose", None, status="proposed")
    soon_a = _add(workspace, client_id, "Soon A", (2027, 3))
    csi.reorder(workspace, client_id, [soon_a, soon_b])
    plan = roadmap(workspace, client_id, AS_OF)
    assert [c.id for c in plan.quarters[0].cards] == [now]
    assert [c.id for c in plan.quarters[1].cards] == [soon_a, soon_b]  # by rank
    assert [c.id for c in plan.earlier] == [old]
    assert [c.id for c in plan.later] == [later]
    assert [c.id for c in plan.unscheduled] == [loose]
    assert plan.item_count == 6


def test_budget_per_quarter_with_totals(workspace: Store, client_id: int) -> None:
    _add(workspace, client_id, "Firewall", (2027, 2), one_time="12000", monthly="150")
    _add(workspace, client_id, "Backup", (2027, 4), one_time="3000.50", monthly="99.99")
    _add(
        workspace, client_id, "Old licence", (2026, 1), one_time="999", monthly="10", status="done"
    )
    _add(
        workspace,
        client_id,
        "Shelved",
        (2027, 2),
        one_time="50000",
        monthly="900",
        status="deferred",
    )
    _add(workspace, client_id, "Someday", None, one_time="700", monthly="5", status="proposed")
    budget = roadmap(workspace, client_id, AS_OF, 4).budget
    rows = [(q.one_time, q.recurring, q.total, q.annualised_recurring) for q in budget.quarters]
    assert rows == [
        (Decimal("12000.00"), Decimal("480.00"), Decimal("12480.00"), Decimal("1920.00")),
        (Decimal("0.00"), Decimal("480.00"), Decimal("480.00"), Decimal("1920.00")),
        (Decimal("3000.50"), Decimal("779.97"), Decimal("3780.47"), Decimal("3119.88")),
        (Decimal("0.00"), Decimal("779.97"), Decimal("779.97"), Decimal("3119.88")),
    ]
    assert budget.one_time == Decimal("15000.50")
    assert budget.recurring == Decimal("2519.94")
    assert budget.total == Decimal("17520.44")
    assert budget.annualised_recurring == Decimal("3119.88")
    assert (budget.unscheduled_one_time, budget.unscheduled_recurring_monthly) == (
        Decimal("700.00"),
        Decimal("5.00"),
    )


def test_deferred_items_show_but_cost_nothing(workspace: Store, client_id: int) -> None:
    _add(workspace, client_id, "Shelved", (2027, 2), one_time="50000", status="deferred")
    plan = roadmap(workspace, client_id, AS_OF)
    [card] = plan.quarters[0].cards
    assert card.title == "Shelved" and not card.in_budget
    assert plan.budget.total == 0


def test_the_msps_own_register_uses_the_workspace_fiscal_year(
    workspace: Store, client_id: int
) -> None:
    _add(workspace, None, "Our PSA upgrade", (2027, 1), one_time="8000")
    _add(workspace, client_id, "Client item", (2027, 2), one_time="1")
    plan = roadmap(workspace, None, AS_OF, 4)
    assert plan.quarters[0].label == "FY2026 Q4"  # no setting: calendar quarters
    assert [c.title for c in plan.quarters[1].cards] == ["Our PSA upgrade"]
    assert plan.budget.one_time == Decimal("8000.00")
    write_setting(workspace, csi.MSP_FISCAL_START_SETTING, 4)
    plan = roadmap(workspace, None, AS_OF, 4)
    assert plan.quarters[0].label == "FY2027 Q3"
    assert plan.quarters[0].first_day == D(2026, 10, 1)
    assert [c.title for c in plan.earlier] == ["Our PSA upgrade"]
    assert plan.budget.one_time == 0


def test_an_empty_register(workspace: Store, client_id: int) -> None:
    plan = roadmap(workspace, client_id, AS_OF)
    assert plan.item_count == 0 and plan.budget.total == 0
    assert all(not q.cards for q in plan.quarters)
