"""Gather one meeting's pack: a :class:`PackData` from the services that own each rule.

Who says what: the meeting page's detail (agenda, attendees, notes, decisions, raised
and carried actions), the review services (figures, findings, trend), drift and
adherence for this subject only, the register and roadmap services (quarters, costs,
lines), the settings (MSP name, currency) and branding (logos). Nothing is re-judged
here; this module only turns their answers into the pack's words.

The pack is read-only: a planned meeting nobody has opened yet prints with the agenda
its type's template will give it (as the meeting page fills it on first open).
The roadmap window starts with the fiscal quarter of the meeting (or of ``as_of``
when that is later), since that is the quarter the people in the room talk about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import select

from vcio_desk.reports.pack_data import (
    DEFAULT_SECTIONS,
    ActionLine,
    AgendaLine,
    PackData,
    PackPerson,
    PackSection,
)
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .actions import ActionView
from .branding import client_logo, decode_msp_logo
from .csi_views import CURRENCY_SETTING, MSP_FISCAL_START_SETTING
from .meeting_agenda import AgendaItemView
from .meeting_attendees import AttendeeView
from .meeting_prep import MeetingDetail, MeetingHead, meeting_detail, template_agenda
from .pack_points import talking_points
from .pack_register import NO_REGISTER, register_parts
from .pack_review import review_parts
from .pack_rhythms import rhythm_parts
from .settings import read_settings

DEFAULT_MSP_NAME = "Your MSP"
CLIENT_CONFIDENTIALITY = "Confidential: prepared for {subject} only."
INTERNAL_CONFIDENTIALITY = "Internal: for the staff of {msp} only."


def sections_of(value: object) -> tuple[PackSection, ...]:
    """A meeting type's ``pack_sections`` as sections: unknown names and repeats are
    dropped; nothing usable (or an empty list) means every section."""
    chosen: list[PackSection] = []
    if isinstance(value, list):
        for name in value:
            try:
                section = PackSection(str(name).strip().casefold())
            except ValueError:
                continue
            if section not in chosen:
                chosen.append(section)
    return tuple(chosen) or DEFAULT_SECTIONS


def assemble_pack(store: Store, meeting_id: int, as_of: dt.date) -> PackData:
    """Everything a pack of ``meeting_id`` prints, as of ``as_of``, for both editions."""
    detail = meeting_detail(store, meeting_id)
    head = detail.head
    settings = read_settings(store)
    msp_name = str(settings.get("msp_name") or "").strip() or DEFAULT_MSP_NAME
    symbol = str(settings.get(CURRENCY_SETTING) or "").strip()
    msp_logo, logo_warning = decode_msp_logo(settings)
    warnings = [logo_warning] if logo_warning else []
    agenda = detail.agenda or template_agenda(store, meeting_id)  # as the page will fill it
    with store.session() as session:
        sections = sections_of(
            session.scalar(
                select(m.MeetingType.pack_sections).where(
                    m.MeetingType.key == head.meeting_type_key
                )
            )
        )
    client_id = head.client_id
    if client_id is not None:
        review, findings = review_parts(store, client_id)
        money = register_parts(store, client_id, max(as_of, head.start.date()))
        rhythms = rhythm_parts(store, as_of, client_id=client_id)
        logo = client_logo(store, client_id)
        confidentiality = CLIENT_CONFIDENTIALITY.format(subject=head.subject)
        fiscal_start = money.fiscal_start_month
    else:
        review, findings, money, logo = None, (), NO_REGISTER, None
        rhythms = rhythm_parts(store, as_of, internal_body_id=head.subject_id)
        confidentiality = INTERNAL_CONFIDENTIALITY.format(msp=msp_name)
        month = settings.get(MSP_FISCAL_START_SETTING)
        fiscal_start = month if isinstance(month, int) and 1 <= month <= 12 else 1
    actions = action_lines(detail, as_of)
    return PackData(
        meeting_id=head.id,
        as_of=as_of,
        msp_name=msp_name,
        msp_logo=msp_logo,
        client_name=head.subject,
        client_logo=logo,
        meeting_type=head.meeting_type,
        start=head.start,
        end=head.end,
        timezone=head.timezone,
        location=head.location,
        owner=head.owner,
        status=str(head.status),
        sections=sections,
        attendees=people(detail.attendees, head, msp_name),
        agenda=agenda_lines(agenda, head),
        actions=actions,
        review=review,
        findings=findings,
        adherence_pct=rhythms.adherence_pct,
        adherence_kept=rhythms.adherence_kept,
        adherence_judged=rhythms.adherence_judged,
        quarters=money.quarters,
        roadmap=money.roadmap,
        unscheduled_one_time=money.unscheduled_one_time,
        unscheduled_recurring_monthly=money.unscheduled_recurring_monthly,
        csi=money.csi,
        rhythms=rhythms.rhythms,
        client_notes=detail.client_notes,
        decisions=detail.decisions,
        internal_notes=detail.internal_notes,
        talking_points=talking_points(rhythms.rhythms, actions, findings, money.quarters, symbol),
        currency_symbol=symbol,
        fiscal_year_start_month=fiscal_start,
        confidentiality=confidentiality,
        warnings=tuple(warnings),
    )


def agenda_lines(items: Sequence[AgendaItemView], head: MeetingHead) -> tuple[AgendaLine, ...]:
    """Each item starts when the ones before it are done (on the meeting's own clock)."""
    lines = []
    elapsed = 0
    for item in items:
        starts = (head.start + dt.timedelta(minutes=elapsed)).time()
        lines.append(AgendaLine(starts, item.minutes, item.title, item.presenter, item.notes))
        elapsed += item.minutes
    return tuple(lines)


def people(
    attendees: Iterable[AttendeeView], head: MeetingHead, msp_name: str
) -> tuple[PackPerson, ...]:
    """Staff (of the MSP), then the client's people, then guests, as the meeting page lists."""
    result = []
    for person in attendees:
        if person.kind == "staff":
            organisation = msp_name
        elif person.kind == "contact":
            organisation = head.subject
        else:
            organisation = ""
        result.append(PackPerson(person.name, person.detail, organisation, person.present))
    return tuple(result)


def action_lines(detail: MeetingDetail, as_of: dt.date) -> tuple[ActionLine, ...]:
    """Carried from earlier meetings first (soonest due first), then raised at this one."""
    return tuple(_action(a, as_of, carried=True) for a in detail.carried) + tuple(
        _action(a, as_of, carried=False) for a in detail.actions
    )


def _action(action: ActionView, as_of: dt.date, *, carried: bool) -> ActionLine:
    raised = ""
    if action.meeting_day is not None:
        raised = f"{action.meeting_type} {action.meeting_day.isoformat()}".strip()
    return ActionLine(
        title=action.title,
        owner=action.owner,
        due=action.due_date,
        status=str(action.status),
        raised_at=raised,
        overdue=action.is_overdue(as_of),
        carried=carried,
        notes=action.notes,
    )
