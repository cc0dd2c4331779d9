"""The CSI register service: validation, history of every change, versions, status, rank."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from vcio_desk.domain.errors import ValidationError, WorkspaceError
from vcio_desk.domain.fiscal import FiscalQuarter
from vcio_desk.domain.vocab import CsiSize, CsiStatus, Priority, ReviewStatus
from vcio_desk.services import csi
from vcio_desk.services.settings import write_setting
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m


@pytest.fixture
def ids(workspace: Store) -> dict[str, int]:
    """Two staff, a client whose fiscal year starts in July, and a second client."""
    with workspace.transaction() as session:
        ada = m.Staff(name="Ada Lovelace", is_vcio=True)
        tim = m.Staff(name="Tim Berners-Lee", is_tam=True)
        session.add_all([ada, tim])
        session.flush()
        acme = m.Client(name="Acme Dental", tier="A", fiscal_year_start_month=7, vcio_id=ada.id)
        beta = m.Client(name="Beta Logistics", tier="B")
        session.add_all([acme, beta])
        session.flush()
        return {"ada": ada.id, "tim": tim.id, "acme": acme.id, "beta": beta.id}


def _add(store: Store, client_id: int | None, title: str = "Cut phishing", **fields: object) -> int:
    return csi.create_item(store, client_id, {"title": title, **fields}, "Ada")


def _changes(store: Store, item_id: int) -> list[m.CsiChange]:
    with store.session() as session:
        return list(
            session.scalars(
                select(m.CsiChange).where(m.CsiChange.item_id == item_id).order_by(m.CsiChange.id)
            )
        )


# -- creating ----------------------------------------------------------------------------------


def test_create_item_stores_the_fields_and_its_first_history_entry(
    workspace: Store, ids: dict[str, int]
) -> None:
    item_id = csi.create_item(
        workspace,
        ids["acme"],
        {
            "title": "  Reduce password resets  ",
            "size": "L",
            "priority": Priority.HIGH,
            "kpi_name": "Password reset tickets",
            "kpi_unit": "tickets",
            "kpi_baseline": "120",
            "kpi_target": 40,
            "kpi_current": Decimal("100.004"),
            "target_fiscal_year": 2027,
            "target_quarter": 3,
            "one_time_cost": "4500.5",
            "recurring_cost_monthly": 120,
            "owner_id": ids["ada"],
            "justification": "Ten tickets a week",
        },
        "Ada Lovelace",
        "From the Q2 review",
    )
    detail = csi.item_detail(workspace, item_id)
    row = detail.row
    assert row.title == "Reduce password resets"
    assert (row.size, row.priority, row.status) == (CsiSize.L, Priority.HIGH, CsiStatus.PROPOSED)
    assert row.kpi_baseline == Decimal("120.00") and row.kpi_current == Decimal("100.00")
    assert row.kpi_progress == pytest.approx(25.0)
    assert row.target == FiscalQuarter(2027, 3) and row.target_label == "FY2027 Q3"
    assert row.one_time_cost == Decimal("4500.50")
    assert row.owner == "Ada Lovelace"
    assert row.rank == 1 and row.row_version == 1
    assert detail.fiscal_start_month == 7
    [entry] = detail.history
    assert entry.is_creation and entry.author == "Ada Lovelace"
    assert entry.note == "From the Q2 review"
    shown = {c.field: (c.old, c.new) for c in entry.changes}
    assert shown["title"] == (None, "Reduce password resets")
    assert shown["one_time_cost"] == (None, "4500.50")
    assert shown["owner_id"] == (None, "Ada Lovelace")  # names, not ids


def test_new_items_go_last_in_their_own_register(workspace: Store, ids: dict[str, int]) -> None:
    first = _add(workspace, ids["acme"], "One")
    second = _add(workspace, ids["acme"], "Two")
    other = _add(workspace, ids["beta"], "Elsewhere")
    own = _add(workspace, None, "Our own")
    assert [r.id for r in csi.register(workspace, ids["acme"])] == [first, second]
    assert [r.rank for r in csi.register(workspace, ids["acme"])] == [1, 2]
    assert [r.id for r in csi.register(workspace, ids["beta"])] == [other]
    assert [r.id for r in csi.register(workspace, None)] == [own]
    assert csi.register(workspace, None)[0].rank == 1


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({}, "Title is required"),
        ({"title": "   "}, "Title is required"),
        ({"title": "x" * 301}, "too long"),
        ({"title": "x", "one_time_cost": "-1"}, "cannot be negative"),
        ({"title": "x", "recurring_cost_monthly": -0.5}, "cannot be negative"),
        ({"title": "x", "target_fiscal_year": 2027, "target_quarter": 5}, "between 1 and 4"),
        ({"title": "x", "target_fiscal_year": 2027, "target_quarter": 0}, "between 1 and 4"),
        ({"title": "x", "target_fiscal_year": 2027}, "together"),
        ({"title": "x", "target_quarter": 2}, "together"),
        ({"title": "x", "kpi_baseline": "twelve"}, "must be a number"),
        ({"title": "x", "kpi_target": "NaN"}, "must be a number"),
        ({"title": "x", "kpi_current": True}, "must be a number"),
        ({"title": "x", "kpi_current": "1e12"}, "too large"),
        ({"title": "x", "size": "XL"}, "S or M or L"),
        ({"title": "x", "status": "finished"}, "must be proposed"),
        ({"title": "x", "progress_pct": 101}, "between 0 and 100"),
        ({"title": "x", "owner_id": 9999}, "no longer exists"),
        ({"title": "x", "colour": "red"}, "no field 'colour'"),
    ],
)
def test_create_item_refuses_bad_fields(
    workspace: Store, ids: dict[str, int], fields: dict[str, object], words: str
) -> None:
    with pytest.raises(ValidationError, match=words):
        csi.create_item(workspace, ids["acme"], fields, "Ada")
    assert csi.register(workspace, ids["acme"]) == []


def test_create_item_for_a_missing_client(workspace: Store, ids: dict[str, int]) -> None:
    with pytest.raises(csi.CsiItemNotFoundError, match="no longer exists"):
        _add(workspace, 424242)


def test_empty_kpi_numbers_mean_none(workspace: Store, ids: dict[str, int]) -> None:
    item_id = _add(workspace, ids["acme"], kpi_baseline="", kpi_target=None, kpi_current=" ")
    row = csi.register(workspace, ids["acme"])[0]
    assert row.id == item_id
    assert (row.kpi_baseline, row.kpi_target, row.kpi_current, row.kpi_progress) == (None,) * 4


def test_an_item_created_done_is_fully_done(workspace: Store, ids: dict[str, int]) -> None:
    _add(workspace, ids["acme"], status="done")
    assert csi.register(workspace, ids["acme"])[0].progress_pct == 100


# -- editing and its history -------------------------------------------------------------------


def test_update_records_only_what_changed(workspace: Store, ids: dict[str, int]) -> None:
    item_id = _add(workspace, ids["acme"], one_time_cost="100", size="M")
    edit = csi.update_item(
        workspace,
        item_id,
        {"title": "Cut phishing", "size": "S", "one_time_cost": "250.00", "kpi_current": "7"},
        "Tim",
        "Quote received",
        expected_version=1,
    )
    assert edit.changed and edit.row_version == 2
    assert set(edit.changes) == {"size", "one_time_cost", "kpi_current"}
    assert edit.before() == {
        "size": CsiSize.M,
        "one_time_cost": Decimal("100.00"),
        "kpi_current": None,
    }
    last = _changes(workspace, item_id)[-1]
    assert last.changes == {
        "size": ["M", "S"],
        "one_time_cost": ["100.00", "250.00"],
        "kpi_current": [None, "7.00"],
    }
    assert (last.author, last.note) == ("Tim", "Quote received")


def test_a_no_op_edit_writes_nothing(workspace: Store, ids: dict[str, int]) -> None:
    item_id = _add(workspace, ids["acme"], one_time_cost="100")
    edit = csi.update_item(
        workspace, item_id, {"title": " Cut phishing ", "one_time_cost": 100}, "Tim", "nothing"
    )
    assert not edit.changed and edit.row_version == 1
    assert len(_changes(workspace, item_id)) == 1
    assert csi.register(workspace, ids["acme"])[0].row_version == 1


def test_every_change_is_kept_and_visible_on_the_item_newest_first(
    workspace: Store, ids: dict[str, int]
) -> None:
    item_id = _add(workspace, ids["acme"])
    csi.update_item(workspace, item_id, {"kpi_baseline": "30"}, "Ada", "first")
    csi.change_status(workspace, item_id, "approved", "Grace", "second")
    csi.update_item(workspace, item_id, {"owner_id": ids["tim"]}, "Ada", "third")
    csi.update_item(workspace, item_id, {"owner_id": None, "priority": "low"}, "Ada", "fourth")
    history = csi.item_detail(workspace, item_id).history
    assert [e.note for e in history] == ["fourth", "third", "second", "first", ""]
    assert history[-1].is_creation and not history[0].is_creation
    assert [(c.field, c.old, c.new) for c in history[2].changes] == [
        ("status", "proposed", "approved")
    ]
    assert history[2].author == "Grace"
    assert {(c.label, c.old, c.new) for c in history[0].changes} == {
        ("Owner", "Tim Berners-Lee", None),
        ("Priority", "medium", "low"),
    }
    assert history[3].changes[0].label == "KPI baseline"


def test_update_refuses_bad_values_and_writes_nothing(
    workspace: Store, ids: dict[str, int]
) -> None:
    item_id = _add(workspace, ids["acme"], target_fiscal_year=2027, target_quarter=2)
    for fields in (
        {"title": ""},
        {"one_time_cost": "-5"},
        {"target_quarter": None},  # a year without a quarter
        {"target_quarter": 9},
        {"kpi_target": "abc"},
    ):
        with pytest.raises(ValidationError):
            csi.update_item(workspace, item_id, fields, "Ada")
    assert len(_changes(workspace, item_id)) == 1
    csi.update_item(workspace, item_id, {"target_fiscal_year": None, "target_quarter": None}, "A")
    assert csi.register(workspace, ids["acme"])[0].target is None


def test_an_edit_from_an_old_version_is_refused(workspace: Store, ids: dict[str, int]) -> None:
    item_id = _add(workspace, ids["acme"])
    csi.update_item(workspace, item_id, {"size": "L"}, "Tim", expected_version=1)  # elsewhere
    with pytest.raises(csi.CsiChangedElsewhereError) as caught:
        csi.update_item(workspace, item_id, {"size": "S"}, "Ada", expected_version=1)
    assert "changed elsewhere" in caught.value.user_message
    assert "reload" in caught.value.user_message
    assert "Cut phishing" in caught.value.user_message
    assert csi.register(workspace, ids["acme"])[0].size is CsiSize.L
    assert len(_changes(workspace, item_id)) == 2


def test_a_write_racing_another_becomes_changed_elsewhere(
    workspace: Store, ids: dict[str, int]
) -> None:
    """Another writer bumps the version between our read and our write (SQLAlchemy's check)."""
    item_id = _add(workspace, ids["acme"])

    def other_writer(session: Session, *_args: object) -> None:
        session.execute(
            text("UPDATE csi_items SET row_version = row_version + 1, size = 'S' WHERE id = :id"),
            {"id": item_id},
        )

    event.listen(Session, "before_flush", other_writer)
    try:
        with pytest.raises(csi.CsiChangedElsewhereError, match="changed elsewhere"):
            csi.update_item(workspace, item_id, {"size": "L"}, "Ada")
    finally:
        event.remove(Session, "before_flush", other_writer)
    row = csi.register(workspace, ids["acme"])[0]
    assert (row.size, row.row_version) == (CsiSize.M, 1)  # the whole transaction rolled back
    assert len(_changes(workspace, item_id)) == 1


def test_a_missing_item(workspace: Store, ids: dict[str, int]) -> None:
    with pytest.raises(csi.CsiItemNotFoundError):
        csi.update_item(workspace, 999, {"size": "L"}, "Ada")
    with pytest.raises(csi.CsiItemNotFoundError):
        csi.item_detail(workspace, 999)


def test_a_read_only_workspace_refuses_writes(
    workspace: Store, ids: dict[str, int], db_target
) -> None:
    item_id = _add(workspace, ids["acme"])
    workspace.close()
    with open_store(db_target("ws"), read_only=True) as reader:
        with pytest.raises(WorkspaceError, match="read-only"):
            csi.update_item(reader, item_id, {"size": "L"}, "Ada")
        with pytest.raises(WorkspaceError, match="read-only"):
            _add(reader, ids["acme"])
        assert csi.register(reader, ids["acme"])[0].size is CsiSize.M


# -- status ------------------------------------------------------------------------------------


def test_the_life_cycle_through_change_status(workspace: Store, ids: dict[str, int]) -> None:
    item_id = _add(workspace, ids["acme"], progress_pct=30)
    for status in ("approved", "in_progress", "done"):
        csi.change_status(workspace, item_id, status, "Ada")
    row = csi.register(workspace, ids["acme"])[0]
    assert row.status is CsiStatus.DONE and row.progress_pct == 100
    assert row.next_statuses == ()
    last = _changes(workspace, item_id)[-1]
    assert last.changes == {"status": ["in_progress", "done"], "progress_pct": [30, 100]}


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        (["approved", "in_progress", "done"], "deferred"),
        ([], "in_progress"),
        ([], "done"),
        (["approved"], "proposed"),
        (["approved", "in_progress"], "approved"),
        (["deferred"], "in_progress"),
    ],
)
def test_refused_status_changes_write_nothing(
    workspace: Store, ids: dict[str, int], path: list[str], refused: str
) -> None:
    item_id = _add(workspace, ids["acme"])
    for status in path:
        csi.change_status(workspace, item_id, status, "Ada")
    before = len(_changes(workspace, item_id))
    with pytest.raises(ValidationError, match="cannot become"):
        csi.change_status(workspace, item_id, refused, "Ada")
    assert len(_changes(workspace, item_id)) == before


def test_deferred_items_come_back(workspace: Store, ids: dict[str, int]) -> None:
    item_id = _add(workspace, ids["acme"])
    csi.change_status(workspace, item_id, "approved", "Ada")
    csi.change_status(workspace, item_id, "in_progress", "Ada")
    csi.change_status(workspace, item_id, "deferred", "Ada", "Budget frozen")
    csi.change_status(workspace, item_id, "approved", "Ada", "Budget back")
    assert csi.register(workspace, ids["acme"])[0].status is CsiStatus.APPROVED


def test_undo_may_step_a_status_back(workspace: Store, ids: dict[str, int]) -> None:
    item_id = _add(workspace, ids["acme"], progress_pct=40)
    csi.change_status(workspace, item_id, "approved", "Ada")
    csi.change_status(workspace, item_id, "in_progress", "Ada")
    done = csi.change_status(workspace, item_id, "done", "Ada", expected_version=3)
    undo = csi.update_item(
        workspace, item_id, done.before(), "Ada", "Undo", expected_version=4, undoing=True
    )
    row = csi.register(workspace, ids["acme"])[0]
    assert (row.status, row.progress_pct) == (CsiStatus.IN_PROGRESS, 40)
    assert undo.before() == done.after()
    assert _changes(workspace, item_id)[-1].note == "Undo"


# -- rank ----------------------------------------------------------------------------------------


def test_reorder_sets_ranks_and_keeps_history(workspace: Store, ids: dict[str, int]) -> None:
    a, b, c = (_add(workspace, ids["acme"], t) for t in "ABC")
    mine = _add(workspace, None, "Ours")
    edits = csi.reorder(workspace, ids["acme"], [c, a], "Ada")
    assert [r.title for r in csi.register(workspace, ids["acme"])] == ["C", "A", "B"]
    assert {e.item_id: e.changes["rank"] for e in edits} == {c: (3, 1), a: (1, 2), b: (2, 3)}
    assert _changes(workspace, c)[-1].changes == {"rank": [3, 1]}
    assert _changes(workspace, c)[-1].note == "Reordered"
    assert csi.register(workspace, None)[0].id == mine
    assert csi.reorder(workspace, ids["acme"], [c, a, b], "Ada") == []  # nothing moved


def test_reorder_refuses_strangers_and_repeats(workspace: Store, ids: dict[str, int]) -> None:
    a = _add(workspace, ids["acme"], "A")
    other = _add(workspace, ids["beta"], "B")
    with pytest.raises(ValidationError, match="not in this register"):
        csi.reorder(workspace, ids["acme"], [other, a])
    with pytest.raises(ValidationError, match="twice"):
        csi.reorder(workspace, ids["acme"], [a, a])


# -- findings and settings -----------------------------------------------------------------------


def test_item_detail_lists_the_review_findings_linked_to_it(
    workspace: Store, ids: dict[str, int]
) -> None:
    item_id = _add(workspace, ids["acme"])
    with workspace.transaction() as session:
        for started, code in ((dt.date(2026, 3, 1), "SEC-1"), (dt.date(2026, 9, 1), "SEC-2")):
            review = m.AlignmentReview(client_id=ids["acme"], started_on=started)
            session.add(review)
            session.flush()
            session.add(
                m.ReviewItem(
                    review_id=review.id,
                    code=code,
                    section_name="Security",
                    category_name="Email",
                    question=f"Is {code} met?",
                    priority="high",
                    answer="misaligned",
                    rating="vulnerable",
                    csi_item_id=item_id,
                )
            )
    findings = csi.item_detail(workspace, item_id).findings
    assert [f.code for f in findings] == ["SEC-2", "SEC-1"]  # newest review first
    assert findings[0].review_status is ReviewStatus.IN_PROGRESS
    assert findings[0].question == "Is SEC-2 met?"
    assert str(findings[0].rating) == "vulnerable"


def test_fiscal_start_month_of_each_register(workspace: Store, ids: dict[str, int]) -> None:
    assert csi.fiscal_start_month(workspace, ids["acme"]) == 7
    assert csi.fiscal_start_month(workspace, ids["beta"]) == 1
    assert csi.fiscal_start_month(workspace, None) == 1  # no setting yet
    write_setting(workspace, csi.MSP_FISCAL_START_SETTING, 4)
    assert csi.fiscal_start_month(workspace, None) == 4
    write_setting(workspace, csi.MSP_FISCAL_START_SETTING, "April")  # unreadable: the default
    assert csi.fiscal_start_month(workspace, None) == 1


def test_register_context(workspace: Store, ids: dict[str, int]) -> None:
    context = csi.register_context(workspace, ids["acme"])
    assert (context.name, context.fiscal_start_month) == ("Acme Dental", 7)
    assert context.default_owner_id == ids["ada"]
    assert [s.name for s in context.staff] == ["Ada Lovelace", "Tim Berners-Lee"]
    assert context.currency_symbol == ""
    write_setting(workspace, csi.CURRENCY_SETTING, " € ")
    own = csi.register_context(workspace, None)
    assert own.currency_symbol == "€"
    assert own.name == "Your MSP" and own.default_owner_id is None


def test_creation_and_history_counts_stay_in_step(workspace: Store, ids: dict[str, int]) -> None:
    """Each successful write adds exactly one history row per item it changed."""
    items = [_add(workspace, ids["acme"], f"T{n}") for n in range(3)]
    csi.update_item(workspace, items[0], {"kpi_name": "X"}, "A")
    csi.reorder(workspace, ids["acme"], list(reversed(items)), "A")  # 2 of 3 ranks change
    with workspace.session() as session:
        assert session.scalar(select(func.count()).select_from(m.CsiChange)) == 3 + 1 + 2
