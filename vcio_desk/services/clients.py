"""The client list: one Core query that returns plain rows for the Clients page and the CLI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.store import Store
from vcio_desk.store import models as m


@dataclass(frozen=True, slots=True)
class ClientRow:
    id: int
    name: str
    external_id: str | None
    tier: str
    vcio: str
    tam: str
    account_manager: str
    country: str
    timezone: str
    active: bool
    contacts: int
    next_meeting: dt.datetime | None
    """Start (UTC) of the next proposed or confirmed meeting on or after ``as_of``."""


def list_clients(store: Store, as_of: dt.date) -> list[ClientRow]:
    vcio, tam, am = aliased(m.Staff), aliased(m.Staff), aliased(m.Staff)
    start_of_day = dt.datetime.combine(as_of, dt.time(), tzinfo=dt.UTC)
    next_meeting = (
        select(m.Meeting.client_id, func.min(m.Meeting.scheduled_start).label("start"))
        .where(
            m.Meeting.client_id.is_not(None),
            m.Meeting.scheduled_start >= start_of_day,
            m.Meeting.status.in_([MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED]),
        )
        .group_by(m.Meeting.client_id)
        .subquery()
    )
    contacts = (
        select(m.Contact.client_id, func.count().label("n"))
        .group_by(m.Contact.client_id)
        .subquery()
    )
    query = (
        select(
            m.Client.id,
            m.Client.name,
            m.Client.external_id,
            m.Client.tier,
            vcio.name,
            tam.name,
            am.name,
            m.Client.country,
            m.Client.subdivision,
            m.Client.timezone,
            m.Client.active,
            contacts.c.n,
            next_meeting.c.start,
        )
        .outerjoin(vcio, vcio.id == m.Client.vcio_id)
        .outerjoin(tam, tam.id == m.Client.tam_id)
        .outerjoin(am, am.id == m.Client.account_manager_id)
        .outerjoin(next_meeting, next_meeting.c.client_id == m.Client.id)
        .outerjoin(contacts, contacts.c.client_id == m.Client.id)
        .order_by(m.Client.name)
    )
    start_type = m.Meeting.__table__.c.scheduled_start.type
    with store.session() as session:
        rows = session.execute(query).all()
    result = []
    for row in rows:
        (cid, name, ext, tier, v, t, a, country, subdivision, tz, active, n, start) = row
        if isinstance(start, str):  # aggregate over a TypeDecorator comes back raw on SQLite
            start = start_type.process_result_value(dt.datetime.fromisoformat(start), None)
        elif start is not None and start.tzinfo is None:
            start = start.replace(tzinfo=dt.UTC)
        place = f"{country}-{subdivision}" if country and subdivision else (country or "")
        result.append(
            ClientRow(
                id=cid,
                name=name,
                external_id=ext,
                tier=str(tier),
                vcio=v or "",
                tam=t or "",
                account_manager=a or "",
                country=place,
                timezone=tz,
                active=active,
                contacts=n or 0,
                next_meeting=start,
            )
        )
    return result
