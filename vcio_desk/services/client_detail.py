"""One client's header data for its page: names instead of ids, contacts, meeting types.

Plain Core queries returning a frozen dataclass; the client page adapts it to widgets.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.presets import MONTH_NAMES
from vcio_desk.domain.vocab import MeetingKind
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .settings import read_settings

CLIENT_MEETING_KINDS = (MeetingKind.ALIGNMENT, MeetingKind.VCIO)
"""Meeting kinds a client's rhythm can have (internal kinds belong to internal bodies)."""


@dataclass(frozen=True, slots=True)
class ContactView:
    id: int
    name: str
    title: str
    email: str
    phone: str
    decision_maker: bool


@dataclass(frozen=True, slots=True)
class MeetingTypeOption:
    key: str
    name: str


@dataclass(frozen=True, slots=True)
class ClientDetail:
    id: int
    name: str
    external_id: str | None
    tier: str
    vcio: str
    tam: str
    account_manager: str
    fiscal_year_start_month: int
    country: str
    subdivision: str
    timezone: str
    active: bool
    notes: str
    contacts: tuple[ContactView, ...]
    meeting_types: tuple[MeetingTypeOption, ...]
    """The meeting types a client rhythm can use, in workspace order."""

    @property
    def place(self) -> str:
        """ "US-NY", "DE", or "" when no country is recorded."""
        if self.country and self.subdivision:
            return f"{self.country}-{self.subdivision}"
        return self.country

    @property
    def fiscal_year_start(self) -> str:
        """The name of the month the client's fiscal year starts in ("July")."""
        return MONTH_NAMES[self.fiscal_year_start_month - 1]


def client_detail(store: Store, client_id: int) -> ClientDetail:
    """The header data of ``client_id``; ValidationError if the client no longer exists."""
    vcio, tam, am = aliased(m.Staff), aliased(m.Staff), aliased(m.Staff)
    query = (
        select(
            m.Client.id,
            m.Client.name,
            m.Client.external_id,
            m.Client.tier,
            vcio.name.label("vcio"),
            tam.name.label("tam"),
            am.name.label("am"),
            m.Client.fiscal_year_start_month,
            m.Client.country,
            m.Client.subdivision,
            m.Client.timezone,
            m.Client.active,
            m.Client.notes,
        )
        .outerjoin(vcio, vcio.id == m.Client.vcio_id)
        .outerjoin(tam, tam.id == m.Client.tam_id)
        .outerjoin(am, am.id == m.Client.account_manager_id)
        .where(m.Client.id == client_id)
    )
    contacts_query = (
        select(
            m.Contact.id,
            m.Contact.name,
            m.Contact.title,
            m.Contact.email,
            m.Contact.phone,
            m.Contact.decision_maker,
        )
        .where(m.Contact.client_id == client_id)
        .order_by(m.Contact.decision_maker.desc(), m.Contact.name, m.Contact.id)
    )
    types_query = (
        select(m.MeetingType.key, m.MeetingType.name)
        .where(m.MeetingType.kind.in_(CLIENT_MEETING_KINDS))
        .order_by(m.MeetingType.id)
    )
    with store.session() as session:
        row = session.execute(query).one_or_none()
        if row is None:
            raise ValidationError(f"Client {client_id} no longer exists in this workspace.")
        contacts = session.execute(contacts_query).all()
        types = session.execute(types_query).all()
    return ClientDetail(
        id=row.id,
        name=row.name,
        external_id=row.external_id,
        tier=str(row.tier),
        vcio=row.vcio or "",
        tam=row.tam or "",
        account_manager=row.am or "",
        fiscal_year_start_month=row.fiscal_year_start_month,
        country=row.country or "",
        subdivision=row.subdivision or "",
        timezone=row.timezone,
        active=row.active,
        notes=row.notes or "",
        contacts=tuple(
            ContactView(c.id, c.name, c.title or "", c.email or "", c.phone or "", c.decision_maker)
            for c in contacts
        ),
        meeting_types=tuple(MeetingTypeOption(t.key, t.name) for t in types),
    )


def author_name(store: Store) -> str:
    """Who signs a change: the workspace's current user (a staff member), else the OS login."""
    staff_id = read_settings(store).get("current_user_staff_id")
    if isinstance(staff_id, int):
        with store.session() as session:
            name = session.scalar(select(m.Staff.name).where(m.Staff.id == staff_id))
        if name:
            return name
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in this environment
        return ""
