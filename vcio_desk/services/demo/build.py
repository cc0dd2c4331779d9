"""``build_demo``: replace a workspace's content with a deterministic, realistic demo."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from vcio_desk import assets
from vcio_desk.domain.errors import ValidationError, WorkspaceError
from vcio_desk.domain.slots import VersionSpec
from vcio_desk.services.seed import (
    DEFAULT_SETTINGS,
    install_meeting_types,
    install_standards_library,
)
from vcio_desk.services.workspace import holds_user_data
from vcio_desk.store import Store
from vcio_desk.store import models as m

from . import content
from .history import HistoryContext, MeetingTypeInfo, SubjectRef, add_rhythm
from .people import DemoClient, DemoStaff, make_clients, make_staff
from .rows import RowBuffer

Progress = Callable[[int, int, str], None]
MAX_CLIENTS = 5000
MAX_YEARS = 15


@dataclass(frozen=True)
class DemoReport:
    clients: int
    rhythms: int
    meetings: int
    seconds: float


def build_demo(
    store: Store,
    *,
    clients: int = 40,
    years: int = 3,
    seed: int = 7,
    as_of: dt.date,
    progress: Progress | None = None,
    force: bool = False,
) -> DemoReport:
    """Fill ``store`` with a demo whose history ends on ``as_of``; same seed, same workspace.

    Refuses a workspace holding the user's own clients unless ``force``. Everything
    is written in one transaction, so a failure leaves the workspace as it was.
    """
    if not 1 <= clients <= MAX_CLIENTS:
        raise ValidationError(f"A demo has 1 to {MAX_CLIENTS} clients, not {clients}.")
    if not 1 <= years <= MAX_YEARS:
        raise ValidationError(f"A demo covers 1 to {MAX_YEARS} years of history, not {years}.")
    if store.read_only:
        raise WorkspaceError("The workspace is open read-only; a demo cannot be written to it.")
    if not force and holds_user_data(store):
        raise WorkspaceError(
            f"The workspace {store.location.display} holds your own clients; a demo would "
            "replace them. Choose another workspace with --db, or use --force."
        )
    started = time.perf_counter()
    report = progress or (lambda _done, _total, _label: None)
    rng = random.Random(seed)
    history_start = as_of - dt.timedelta(days=365 * years)
    with store.transaction() as session:
        report(0, 5, "Clearing the workspace")
        _clear(session)
        install_meeting_types(session)
        install_standards_library(session)
        types = _meeting_types(session)
        library = _library(session)
        buffer = RowBuffer()
        report(1, 5, "Staff and clients")
        staff = make_staff(rng, buffer, clients)
        demo_clients = make_clients(rng, buffer, staff, clients, history_start, as_of)
        ctx = HistoryContext(rng, buffer, as_of, as_of + dt.timedelta(days=366))
        report(2, 5, "Rhythms and meeting history")
        _client_rhythms(ctx, demo_clients, types)
        committee = _internal_rhythms(ctx, staff, types, history_start)
        report(3, 5, "Agendas, actions, reviews and improvement register")
        by_id = {c.id: c for c in demo_clients}
        owners = {b: name for b, name in _body_owner_names(buffer).items()}
        content.meeting_details(ctx, by_id, owners)
        content.action_items(ctx, by_id)
        content.reviews_and_csi(ctx, by_id, staff, library)
        content.committee_decisions(ctx, committee, library)
        _settings(buffer, staff)
        report(4, 5, "Writing")
        buffer.write(session)
    report(5, 5, "Done")
    return DemoReport(
        clients=clients,
        rhythms=buffer.count("rhythms"),
        meetings=buffer.count("meetings"),
        seconds=time.perf_counter() - started,
    )


def _clear(session: Session) -> None:
    """Empty every table, and on PostgreSQL restart the id counters too: a rebuilt demo
    has the same ids as the first (SQLite starts again after the largest id left, none)."""
    tables = m.Base.metadata.sorted_tables
    for table in reversed(tables):
        session.execute(delete(table))
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        key = list(table.primary_key.columns)
        if len(key) == 1 and key[0].name == "id" and key[0].autoincrement:
            session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), 1, false)")
            )


def _meeting_types(session: Session) -> dict[str, MeetingTypeInfo]:
    rows = session.execute(
        select(
            m.MeetingType.id,
            m.MeetingType.key,
            m.MeetingType.default_start_time,
            m.MeetingType.default_duration_minutes,
        )
    )
    return {
        key: MeetingTypeInfo(type_id, key, dt.time.fromisoformat(start), minutes)
        for type_id, key, start, minutes in rows
    }


def _library(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(
        select(
            m.Standard.id,
            m.Standard.code,
            m.Standard.question,
            m.Standard.why_it_matters,
            m.Standard.how_to_align,
            m.Standard.priority,
            m.Standard.internal_only,
            m.Standard.tiers,
            m.StandardSection.name.label("section"),
            m.StandardCategory.name.label("category"),
        )
        .join(m.StandardCategory, m.StandardCategory.id == m.Standard.category_id)
        .join(m.StandardSection, m.StandardSection.id == m.StandardCategory.section_id)
        .order_by(m.StandardSection.position, m.StandardCategory.position, m.Standard.position)
    ).mappings()
    return [{**row, "priority": str(row["priority"])} for row in rows]


def _anchor(day: dt.date) -> dt.date:
    return day.replace(day=min(day.day, 28))


def _client_rhythms(
    ctx: HistoryContext, clients: list[DemoClient], types: dict[str, MeetingTypeInfo]
) -> None:
    tiers = assets.template("tier_rhythms")["tiers"]
    lower = {"A": "B", "B": "C"}
    for client in clients:
        for index, template in enumerate(tiers[client.tier]):
            owner = client.vcio if template["meeting_type"] == "vcio_meeting" else client.tam
            subject = SubjectRef(client.id, None, client.timezone, owner)
            anchor = _anchor(client.onboarded + dt.timedelta(days=7 + 11 * index))
            versions = [
                (
                    VersionSpec(template["rrule"], anchor, template["tolerance_days"], anchor),
                    "Initial rhythm from the tier template",
                )
            ]
            span = (ctx.as_of - anchor).days
            if client.tier in lower and span > 500 and ctx.rng.random() < 0.15:
                # An upgrade mid-history: the client started one tier lower.
                old = tiers[lower[client.tier]][index]
                changed = _anchor(anchor + dt.timedelta(days=ctx.rng.randint(200, span - 200)))
                versions = [
                    (
                        VersionSpec(old["rrule"], anchor, old["tolerance_days"], anchor),
                        "Initial rhythm from the tier template",
                    ),
                    (
                        VersionSpec(
                            template["rrule"], changed, template["tolerance_days"], changed
                        ),
                        f"Moved from tier {lower[client.tier]} to tier {client.tier} at renewal",
                    ),
                ]
            add_rhythm(
                ctx, subject, types[template["meeting_type"]], versions, client.active, anchor
            )


def _internal_rhythms(
    ctx: HistoryContext,
    staff: DemoStaff,
    types: dict[str, MeetingTypeInfo],
    history_start: dt.date,
) -> list[Any]:
    committee = []
    owners = {"standards_committee": staff.vcios[0], "service_delivery": staff.service_manager}
    for body in assets.template("tier_rhythms")["internal"]:
        owner = owners.get(body["body_kind"], staff.vcios[0])
        body_id = ctx.buffer.add(
            "internal_bodies",
            name=body["body"],
            kind=body["body_kind"],
            owner_id=owner[0],
            country="US",
            subdivision="NY",
            timezone="America/New_York",
            description=f"Meets {body['label'].lower()}.",
        )
        subject = SubjectRef(None, body_id, "America/New_York", owner)
        spec = VersionSpec(body["rrule"], history_start, body["tolerance_days"], history_start)
        first = len(ctx.meetings)
        add_rhythm(
            ctx,
            subject,
            types[body["meeting_type"]],
            [(spec, "Standing rhythm")],
            True,
            history_start,
            profile="good",
        )
        if body["body_kind"] == "standards_committee":
            committee = ctx.meetings[first:]
    return committee


def _body_owner_names(buffer: RowBuffer) -> dict[int, str]:
    staff_names = {row["id"]: row["name"] for row in buffer.rows["staff"]}
    return {row["id"]: staff_names[row["owner_id"]] for row in buffer.rows["internal_bodies"]}


def _settings(buffer: RowBuffer, staff: DemoStaff) -> None:
    values = dict(DEFAULT_SETTINGS)
    values.update(
        msp_name="BrightPath IT",
        workspace_kind="demo",
        holidays_country="US",
        holidays_subdivision="NY",
        current_user_staff_id=staff.vcios[0][0],
        tier_rhythms=assets.template("tier_rhythms"),
    )
    buffer.rows["settings"].extend({"key": k, "value": v} for k, v in values.items())
