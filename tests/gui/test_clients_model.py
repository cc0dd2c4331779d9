"""ClientsModel over real rows from the store: model contract, sorting, filtering, display."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from PySide6.QtCore import QModelIndex, Qt

from vcio_desk.services.clients import list_clients
from vcio_desk.store import Store
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.clients_model import (
    ROW_ROLE,
    ClientsModel,
    Column,
    StatusFilter,
    name_key,
)

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


@pytest.fixture
def model(qapp, populated: Store, as_of: dt.date) -> ClientsModel:
    model = ClientsModel()
    model.set_rows(list_clients(populated, as_of))
    model.set_filter(status=StatusFilter.ALL)
    return model


def names(model: ClientsModel) -> list[str]:
    return [row.name for row in model.rows()]


def column_texts(model: ClientsModel, column: Column) -> list[str]:
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_model_contract(qtmodeltester, model: ClientsModel) -> None:
    qtmodeltester.check(model)
    # The tester stays attached: resets from sorting and filtering are checked too.
    model.sort(Column.NEXT_MEETING, DESC)
    model.set_filter("a", status=StatusFilter.ACTIVE)
    model.set_filter("nothing matches this")
    model.set_filter()


def test_columns_and_display(model: ClientsModel) -> None:
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in Column]
    assert headers == [
        "Client", "Tier", "vCIO", "TAM", "Account manager", "Country",
        "Next meeting", "Contacts", "Status",
    ]  # fmt: skip
    model.sort(Column.CLIENT, ASC)
    acme = model.index(0, Column.CLIENT)
    assert acme.data() == "Acme Dental"
    row = [model.index(0, c).data() for c in Column]
    short = format_date(dt.date(2026, 11, 30))
    assert row == [
        "Acme Dental", "A", "Ada Lovelace", "Émile Zola", "Ken Thompson", "US-NY",
        short, "2", "Active",
    ]  # fmt: skip
    assert acme.data(ROW_ROLE).external_id == "PSA-001"
    assert "PSA-001" in acme.data(Qt.ItemDataRole.ToolTipRole)
    assert (
        model.index(0, Column.NEXT_MEETING)
        .data(Qt.ItemDataRole.ToolTipRole)
        .endswith("America/New_York")
    )
    zenith = names(model).index("Zenith Legal")
    assert model.index(zenith, Column.STATUS).data() == "Inactive"
    delta = names(model).index("Delta Freight")
    assert [model.index(delta, c).data() for c in (Column.VCIO, Column.NEXT_MEETING)] == ["", ""]
    assert model.data(QModelIndex()) is None
    assert not model.flags(acme) & Qt.ItemFlag.ItemIsEditable


def test_sort_by_name_folds_case_and_accents(model: ClientsModel) -> None:
    model.sort(Column.CLIENT, ASC)
    expected = ["Acme Dental", "beta Logistics", "Ça Va Bakery", "Delta Freight", "Zenith Legal"]
    assert names(model) == expected
    model.sort(Column.CLIENT, DESC)
    assert names(model) == expected[::-1]


def test_sort_next_meeting_puts_none_last_both_ways(model: ClientsModel) -> None:
    model.sort(Column.NEXT_MEETING, ASC)
    assert names(model) == [
        "Zenith Legal", "Acme Dental", "Ça Va Bakery", "beta Logistics", "Delta Freight",
    ]  # fmt: skip
    model.sort(Column.NEXT_MEETING, DESC)
    assert names(model) == [
        "Ça Va Bakery", "Acme Dental", "Zenith Legal", "beta Logistics", "Delta Freight",
    ]  # fmt: skip


def test_sort_numbers_and_status(model: ClientsModel) -> None:
    model.sort(Column.CONTACTS, DESC)
    assert column_texts(model, Column.CONTACTS) == ["2", "1", "0", "0", "0"]
    assert names(model)[2:] == ["beta Logistics", "Delta Freight", "Zenith Legal"]  # ties: name
    model.sort(Column.STATUS, ASC)
    assert column_texts(model, Column.STATUS)[-1] == "Inactive"
    model.sort(Column.STATUS, DESC)
    assert column_texts(model, Column.STATUS)[0] == "Inactive"


@pytest.mark.parametrize("column", list(Column))
@pytest.mark.parametrize("order", [ASC, DESC])
def test_every_column_sorts_stably_with_blanks_last(
    model: ClientsModel, column: Column, order: Qt.SortOrder
) -> None:
    model.sort(column, order)
    rows = model.rows()
    if column is Column.NEXT_MEETING:
        keys = [r.next_meeting for r in rows]
    elif column is Column.CONTACTS:
        keys = [r.contacts for r in rows]
    elif column is Column.STATUS:
        keys = [not r.active for r in rows]
    else:
        keys = [name_key(t) or None for t in column_texts(model, column)]
    present = [k for k in keys if k is not None]
    assert keys == present + [None] * (len(keys) - len(present)), "blanks must come last"
    assert present == sorted(present, reverse=order == DESC)
    for (ka, a), (kb, b) in itertools.pairwise(zip(keys, rows, strict=True)):
        if ka == kb:  # ties keep alphabetical order
            assert name_key(a.name) <= name_key(b.name)


def test_filters(model: ClientsModel) -> None:
    model.set_filter("ACME", status=StatusFilter.ALL)
    assert names(model) == ["Acme Dental"]
    model.set_filter("psa-0", status=StatusFilter.ALL)  # external ids
    assert sorted(names(model)) == ["Acme Dental", "Zenith Legal"]
    model.set_filter("émile", status=StatusFilter.ACTIVE)  # owners, active only
    assert names(model) == ["Acme Dental"]
    model.set_filter(tier="B", status=StatusFilter.ALL)
    assert sorted(names(model)) == ["Delta Freight", "beta Logistics"]
    model.set_filter(owner="Ken Thompson", status=StatusFilter.ALL)  # any of vCIO/TAM/AM
    assert sorted(names(model)) == ["Acme Dental", "Zenith Legal", "beta Logistics"]
    model.set_filter(owner="Ada Lovelace", tier="C")
    assert names(model) == ["Ça Va Bakery"]
    model.set_filter(status=StatusFilter.INACTIVE)
    assert names(model) == ["Zenith Legal"]
    model.set_filter(status="active")
    assert len(names(model)) == 4
    assert model.total_count == 5


def test_filter_keeps_the_sort(model: ClientsModel) -> None:
    model.sort(Column.NEXT_MEETING, ASC)
    model.set_filter(status=StatusFilter.ACTIVE)
    assert names(model) == ["Acme Dental", "Ça Va Bakery", "beta Logistics", "Delta Freight"]


def test_owners_for_the_combo(model: ClientsModel) -> None:
    assert model.owners() == [
        "Ada Lovelace", "Émile Zola", "Grace Hopper", "Ken Thompson", "Tim Berners-Lee",
    ]  # fmt: skip


def test_reload_keeps_sort_and_filter(model: ClientsModel, populated: Store, as_of) -> None:
    model.sort(Column.CLIENT, DESC)
    model.set_filter(tier="A", status=StatusFilter.ALL)
    model.set_rows(list_clients(populated, as_of))
    assert names(model) == ["Zenith Legal", "Acme Dental"]
