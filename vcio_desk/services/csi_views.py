"""Reading the CSI register: rows for the table, one item with its history and findings.

Plain Core queries into frozen dataclasses; the GUI's models adapt them. The MSP's
own register is the one whose ``client_id`` is None; its fiscal year starts in the
month of the workspace setting ``msp_fiscal_year_start_month`` (January without it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.domain.fiscal import FiscalQuarter
from vcio_desk.domain.roadmap import kpi_progress, next_statuses
from vcio_desk.domain.vocab import Answer, CsiSize, CsiStatus, Priority, Rating, ReviewStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .csi_fields import FIELD_LABELS
from .settings import read_settings

MSP_FISCAL_START_SETTING = "msp_fiscal_year_start_month"
CURRENCY_SETTING = "currency_symbol"
MSP_REGISTER_NAME = "Our own register"


class CsiItemNotFoundError(VcioDeskError):
    """The item was removed (with its client, or by an import) since it was listed."""


@dataclass(frozen=True, slots=True)
class CsiRow:
    """One item as the register lists it."""

    id: int
    client_id: int | None
    rank: int
    title: str
    description: str
    size: CsiSize
    priority: Priority
    status: CsiStatus
    kpi_name: str
    kpi_unit: str
    kpi_baseline: Decimal | None
    kpi_target: Decimal | None
    kpi_current: Decimal | None
    justification: str
    target: FiscalQuarter | None
    one_time_cost: Decimal
    recurring_cost_monthly: Decimal
    progress_pct: int
    owner_id: int | None
    owner: str
    row_version: int
    updated_at: dt.datetime

    @property
    def kpi_progress(self) -> float | None:
        return kpi_progress(self.kpi_baseline, self.kpi_target, self.kpi_current)

    @property
    def target_label(self) -> str:
        return self.target.label if self.target else ""

    @property
    def next_statuses(self) -> tuple[CsiStatus, ...]:
        return next_statuses(self.status)


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    label: str
    old: Any
    """As stored in the history (JSON: text for decimals, names for owners)."""
    new: Any


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    id: int
    changed_at: dt.datetime
    author: str
    note: str
    changes: tuple[FieldChange, ...]

    @property
    def is_creation(self) -> bool:
        """The entry written when the item was added (only then had the title no old value)."""
        return any(c.field == "title" and c.old is None for c in self.changes)


@dataclass(frozen=True, slots=True)
class LinkedFinding:
    """A review answer that points at the item (``ReviewItem.csi_item_id``)."""

    review_item_id: int
    review_id: int
    review_started_on: dt.date
    review_status: ReviewStatus
    code: str
    section_name: str
    question: str
    answer: Answer | None
    rating: Rating | None
    notes: str


@dataclass(frozen=True, slots=True)
class CsiDetail:
    row: CsiRow
    history: tuple[HistoryEntry, ...]
    """Newest first."""
    findings: tuple[LinkedFinding, ...]
    fiscal_start_month: int


@dataclass(frozen=True, slots=True)
class StaffChoice:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class RegisterContext:
    """What the register's page needs besides the rows."""

    client_id: int | None
    name: str
    fiscal_start_month: int
    currency_symbol: str
    staff: tuple[StaffChoice, ...]
    default_owner_id: int | None
    """The client's vCIO (or nobody for the MSP's own register)."""


def _row_query() -> Select[Any]:
    return select(m.CsiItem, m.Staff.name.label("owner")).outerjoin(
        m.Staff, m.Staff.id == m.CsiItem.owner_id
    )


def _row(item: m.CsiItem, owner: str | None) -> CsiRow:
    target = (
        FiscalQuarter(item.target_fiscal_year, item.target_quarter)
        if item.target_fiscal_year is not None and item.target_quarter is not None
        else None
    )
    return CsiRow(
        id=item.id,
        client_id=item.client_id,
        rank=item.rank,
        title=item.title,
        description=item.description or "",
        size=CsiSize(item.size),
        priority=Priority(item.priority),
        status=CsiStatus(item.status),
        kpi_name=item.kpi_name or "",
        kpi_unit=item.kpi_unit or "",
        kpi_baseline=item.kpi_baseline,
        kpi_target=item.kpi_target,
        kpi_current=item.kpi_current,
        justification=item.justification or "",
        target=target,
        one_time_cost=item.one_time_cost if item.one_time_cost is not None else Decimal(0),
        recurring_cost_monthly=(
            item.recurring_cost_monthly if item.recurring_cost_monthly is not None else Decimal(0)
        ),
        progress_pct=item.progress_pct or 0,
        owner_id=item.owner_id,
        owner=owner or "",
        row_version=item.row_version,
        updated_at=item.updated_at,
    )


def in_register(client_id: int | None) -> Any:
    """The WHERE clause for one register (``client_id`` None: the MSP's own)."""
    return m.CsiItem.client_id.is_(None) if client_id is None else m.CsiItem.client_id == client_id


def register(store: Store, client_id: int | None) -> list[CsiRow]:
    """Every item of a client's register (None: the MSP's own), by rank."""
    query = _row_query().where(in_register(client_id)).order_by(m.CsiItem.rank, m.CsiItem.id)
    with store.session() as session:
        return [_row(item, owner) for item, owner in session.execute(query).all()]


def fiscal_start_month(store: Store, client_id: int | None) -> int:
    """The month the register's fiscal year starts in (client's, or the workspace's own)."""
    if client_id is None:
        value = read_settings(store).get(MSP_FISCAL_START_SETTING)
        return value if isinstance(value, int) and 1 <= value <= 12 else 1
    with store.session() as session:
        month = session.scalar(
            select(m.Client.fiscal_year_start_month).where(m.Client.id == client_id)
        )
    if month is None:
        raise CsiItemNotFoundError(f"Client {client_id} no longer exists in this workspace.")
    return int(month)


def register_context(store: Store, client_id: int | None) -> RegisterContext:
    settings = read_settings(store)
    symbol = settings.get(CURRENCY_SETTING)
    with store.session() as session:
        staff = session.execute(
            select(m.Staff.id, m.Staff.name).where(m.Staff.active).order_by(m.Staff.name)
        ).all()
        if client_id is None:
            name, owner = str(settings.get("msp_name") or MSP_REGISTER_NAME), None
        else:
            client = session.execute(
                select(m.Client.name, m.Client.vcio_id).where(m.Client.id == client_id)
            ).one_or_none()
            if client is None:
                raise CsiItemNotFoundError(
                    f"Client {client_id} no longer exists in this workspace."
                )
            name, owner = client.name, client.vcio_id
    return RegisterContext(
        client_id=client_id,
        name=name,
        fiscal_start_month=fiscal_start_month(store, client_id),
        currency_symbol=symbol.strip() if isinstance(symbol, str) else "",
        staff=tuple(StaffChoice(s.id, s.name) for s in staff),
        default_owner_id=owner,
    )


def item_detail(store: Store, item_id: int) -> CsiDetail:
    """One item with its whole history (newest first) and the review findings linked to it."""
    with store.session() as session:
        found = session.execute(_row_query().where(m.CsiItem.id == item_id)).one_or_none()
        if found is None:
            raise CsiItemNotFoundError(f"CSI item {item_id} no longer exists.")
        row = _row(*found)
        history = _history(session, item_id)
        findings = session.execute(
            select(
                m.ReviewItem.id,
                m.ReviewItem.review_id,
                m.AlignmentReview.started_on,
                m.AlignmentReview.status,
                m.ReviewItem.code,
                m.ReviewItem.section_name,
                m.ReviewItem.question,
                m.ReviewItem.answer,
                m.ReviewItem.rating,
                m.ReviewItem.notes,
            )
            .join(m.AlignmentReview, m.AlignmentReview.id == m.ReviewItem.review_id)
            .where(m.ReviewItem.csi_item_id == item_id)
            .order_by(m.AlignmentReview.started_on.desc(), m.ReviewItem.position)
        ).all()
    return CsiDetail(
        row=row,
        history=history,
        findings=tuple(
            LinkedFinding(
                review_item_id=f.id,
                review_id=f.review_id,
                review_started_on=f.started_on,
                review_status=ReviewStatus(f.status),
                code=f.code,
                section_name=f.section_name,
                question=f.question,
                answer=Answer(f.answer) if f.answer else None,
                rating=Rating(f.rating) if f.rating else None,
                notes=f.notes or "",
            )
            for f in findings
        ),
        fiscal_start_month=fiscal_start_month(store, row.client_id),
    )


def _history(session: Session, item_id: int) -> tuple[HistoryEntry, ...]:
    rows = session.execute(
        select(m.CsiChange)
        .where(m.CsiChange.item_id == item_id)
        .order_by(m.CsiChange.changed_at.desc(), m.CsiChange.id.desc())
    ).scalars()
    entries = list(rows)
    owner_ids = {
        value
        for entry in entries
        for value in (entry.changes or {}).get("owner_id", [None, None])
        if isinstance(value, int)
    }
    names = (
        {
            row.id: row.name
            for row in session.execute(
                select(m.Staff.id, m.Staff.name).where(m.Staff.id.in_(owner_ids))
            )
        }
        if owner_ids
        else {}
    )

    def shown(name: str, value: Any) -> Any:
        if name == "owner_id" and isinstance(value, int):
            return names.get(value, f"staff member {value} (removed)")
        return value

    return tuple(
        HistoryEntry(
            id=entry.id,
            changed_at=entry.changed_at,
            author=entry.author or "",
            note=entry.note or "",
            changes=tuple(
                FieldChange(
                    name,
                    FIELD_LABELS.get(name, name.replace("_", " ").capitalize()),
                    shown(name, _pair(pair)[0]),
                    shown(name, _pair(pair)[1]),
                )
                for name, pair in (entry.changes or {}).items()
            ),
        )
        for entry in entries
    )


def _pair(value: Any) -> tuple[Any, Any]:
    """[old, new] as stored; anything else (an older or hand-written row) as (None, value)."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, value
