"""The CSI register: add, edit, change status and reorder items, every change kept as history.

Each write is one transaction that also adds a ``CsiChange`` row holding
``{field: [old, new]}`` for the fields that really changed (an edit that changes
nothing writes nothing). Items carry ``row_version``: a caller that read version
*n* passes ``expected_version=n`` and gets :class:`CsiChangedElsewhereError`
instead of overwriting someone else's newer edit; SQLAlchemy's own version check
catches the race between two writers at the very same moment.

Status follows the register's life cycle (``domain.roadmap.TRANSITIONS``); moving
an item to done sets its work done to 100 % unless the caller says otherwise.
Reading lives in :mod:`.csi_views` and is re-exported here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from vcio_desk.domain.errors import ValidationError, VcioDeskError, WorkspaceError
from vcio_desk.domain.roadmap import check_transition
from vcio_desk.domain.vocab import CsiStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .csi_fields import FIELD_LABELS, MONEY_FIELDS, check_target, clean_fields, to_json
from .csi_views import (
    CURRENCY_SETTING,
    MSP_FISCAL_START_SETTING,
    CsiDetail,
    CsiItemNotFoundError,
    CsiRow,
    FieldChange,
    HistoryEntry,
    LinkedFinding,
    RegisterContext,
    StaffChoice,
    fiscal_start_month,
    in_register,
    item_detail,
    register,
    register_context,
)

__all__ = [
    "CURRENCY_SETTING",
    "FIELD_LABELS",
    "MONEY_FIELDS",
    "MSP_FISCAL_START_SETTING",
    "CsiChangedElsewhereError",
    "CsiDetail",
    "CsiEdit",
    "CsiItemNotFoundError",
    "CsiRow",
    "FieldChange",
    "HistoryEntry",
    "LinkedFinding",
    "RegisterContext",
    "StaffChoice",
    "change_status",
    "create_item",
    "fiscal_start_month",
    "item_detail",
    "register",
    "register_context",
    "reorder",
    "update_item",
]

CHANGED_ELSEWHERE = (
    "was changed elsewhere (in another window or by someone else) after you opened it; "
    "reload and make your change again. Nothing was saved."
)
REORDER_NOTE = "Reordered"


class CsiChangedElsewhereError(VcioDeskError):
    """The item's ``row_version`` moved on since the caller read it: changed elsewhere; reload."""


@dataclass(frozen=True, slots=True)
class CsiEdit:
    """What one write changed: ``{field: (old, new)}`` in stored form, and the version after."""

    item_id: int
    row_version: int
    changes: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    def before(self) -> dict[str, Any]:
        """The fields as they were: hand these to ``update_item`` to undo the edit."""
        return {name: old for name, (old, _new) in self.changes.items()}

    def after(self) -> dict[str, Any]:
        return {name: new for name, (_old, new) in self.changes.items()}


def create_item(
    store: Store,
    client_id: int | None,
    fields: Mapping[str, object],
    author: str,
    note: str = "",
) -> int:
    """Add an item to a client's register (None: the MSP's own); returns its id.

    ``fields`` use ``CsiItem`` column names; ``title`` is required, the rest default
    (status proposed, size M, priority medium, rank last). The first history entry
    records every given field as ``[None, value]``.
    """
    clean = clean_fields(fields)
    if "title" not in clean:
        raise ValidationError("Title is required.")
    check_target(clean.get("target_fiscal_year"), clean.get("target_quarter"))
    if clean.get("status") is CsiStatus.DONE and "progress_pct" not in clean:
        clean["progress_pct"] = 100
    with _writing(store) as session:
        if client_id is not None and session.get(m.Client, client_id) is None:
            raise CsiItemNotFoundError(f"Client {client_id} no longer exists in this workspace.")
        _check_owner(session, clean.get("owner_id"))
        if "rank" not in clean:
            last = session.scalar(select(func.max(m.CsiItem.rank)).where(in_register(client_id)))
            clean["rank"] = (last or 0) + 1
        item = m.CsiItem(client_id=client_id, **clean)
        session.add(item)
        session.flush()
        session.add(
            m.CsiChange(
                item_id=item.id,
                author=author,
                changes={name: [None, to_json(value)] for name, value in clean.items()},
                note=note.strip(),
            )
        )
        item_id = item.id
    return item_id


def update_item(
    store: Store,
    item_id: int,
    fields: Mapping[str, object],
    author: str,
    note: str = "",
    *,
    expected_version: int | None = None,
    undoing: bool = False,
) -> CsiEdit:
    """Change some fields of an item; one history entry lists what really changed.

    ``expected_version``: the ``row_version`` the caller read; if the item moved on
    since, nothing is written and :class:`CsiChangedElsewhereError` is raised.
    ``undoing``: the fields put back a state the item had just before (undo/redo of
    the caller's own edit), so a status may go back along the life cycle too.
    """
    clean = clean_fields(fields)
    with _writing(store) as session:
        item = _get(session, item_id)
        if expected_version is not None and item.row_version != expected_version:
            raise CsiChangedElsewhereError(f"“{item.title}” {CHANGED_ELSEWHERE}")
        changes: dict[str, tuple[Any, Any]] = {}
        for name, value in clean.items():
            old = getattr(item, name)
            if old != value:
                changes[name] = (old, value)
        if "status" in changes and not undoing:
            old_status, new_status = changes["status"]
            check_transition(CsiStatus(old_status), new_status)
            done_now = new_status is CsiStatus.DONE and "progress_pct" not in clean
            if done_now and item.progress_pct != 100:
                changes["progress_pct"] = (item.progress_pct, 100)
        merged = {name: new for name, (_old, new) in changes.items()}
        check_target(
            merged.get("target_fiscal_year", item.target_fiscal_year),
            merged.get("target_quarter", item.target_quarter),
        )
        if not changes:
            return CsiEdit(item_id, item.row_version)
        if "owner_id" in changes:
            _check_owner(session, merged["owner_id"])
        for name, new in merged.items():
            setattr(item, name, new)
        session.add(
            m.CsiChange(
                item_id=item_id,
                author=author,
                changes={n: [to_json(o), to_json(v)] for n, (o, v) in changes.items()},
                note=note.strip(),
            )
        )
        session.flush()
        version = item.row_version
    return CsiEdit(item_id, version, changes)


def change_status(
    store: Store,
    item_id: int,
    status: CsiStatus | str,
    author: str,
    note: str = "",
    *,
    expected_version: int | None = None,
) -> CsiEdit:
    """Move an item along its life cycle; a move it does not allow is refused."""
    return update_item(
        store, item_id, {"status": status}, author, note, expected_version=expected_version
    )


def reorder(
    store: Store,
    client_id: int | None,
    ordered_ids: Sequence[int],
    author: str = "",
    note: str = REORDER_NOTE,
) -> list[CsiEdit]:
    """Ranks 1, 2, 3… in the order given; items not named keep their order after them.

    Each item whose rank changes gets a history entry; the edits are returned (for undo).
    """
    wanted = list(ordered_ids)
    if len(set(wanted)) != len(wanted):
        raise ValidationError("An item appears twice in the new order.")
    edits: list[tuple[m.CsiItem, int, int]] = []
    with _writing(store) as session:
        items = session.scalars(
            select(m.CsiItem).where(in_register(client_id)).order_by(m.CsiItem.rank, m.CsiItem.id)
        ).all()
        by_id = {item.id: item for item in items}
        strangers = [item_id for item_id in wanted if item_id not in by_id]
        if strangers:
            raise ValidationError(
                f"CSI item {strangers[0]} is not in this register (removed or moved); reload."
            )
        named = set(wanted)
        order = wanted + [item.id for item in items if item.id not in named]
        for rank, item_id in enumerate(order, start=1):
            item = by_id[item_id]
            if item.rank != rank:
                edits.append((item, item.rank, rank))
                session.add(
                    m.CsiChange(
                        item_id=item_id,
                        author=author,
                        changes={"rank": [item.rank, rank]},
                        note=note,
                    )
                )
                item.rank = rank
        session.flush()
        result = [
            CsiEdit(item.id, item.row_version, {"rank": (old, new)}) for item, old, new in edits
        ]
    return result


# -- internals ---------------------------------------------------------------------------------


@contextlib.contextmanager
def _writing(store: Store) -> Iterator[Session]:
    """One transaction; a concurrent edit or a busy/broken file becomes a clear error."""
    if store.read_only:
        raise WorkspaceError("The workspace is open read-only; the CSI register cannot be changed.")
    try:
        with store.transaction() as session:
            yield session
    except StaleDataError as exc:
        raise CsiChangedElsewhereError(f"The item {CHANGED_ELSEWHERE}") from exc


def _get(session: Session, item_id: int) -> m.CsiItem:
    item = session.get(m.CsiItem, item_id)
    if item is None:
        raise CsiItemNotFoundError(f"CSI item {item_id} no longer exists.")
    return item


def _check_owner(session: Session, owner_id: int | None) -> None:
    if owner_id is not None and session.get(m.Staff, owner_id) is None:
        raise ValidationError(f"Staff member {owner_id} no longer exists; choose another owner.")
