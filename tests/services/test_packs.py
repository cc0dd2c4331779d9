"""Gathering a meeting's pack: every part comes from the service that owns its rule."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from vcio_desk import assets
from vcio_desk.atomic import WriteError
from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.vocab import (
    ActionStatus,
    Answer,
    BodyKind,
    MeetingStatus,
    Rating,
)
from vcio_desk.reports.pack_data import DEFAULT_SECTIONS, PackData, PackSection
from vcio_desk.services import branding
from vcio_desk.services.actions import ActionInput, create_action
from vcio_desk.services.adherence import summarize_adherence
from vcio_desk.services.csi import create_item
from vcio_desk.services.demo import build_demo
from vcio_desk.services.drift import assess_all
from vcio_desk.services.meeting_agenda import add_agenda_item
from vcio_desk.services.meeting_attendees import add_attendee
from vcio_desk.services.meeting_prep import meeting_detail, save_texts, template_agenda
from vcio_desk.services.pack_batch import unique_name
from vcio_desk.services.packs import (
    Edition,
    assemble_pack,
    find_subject,
    meeting_for,
    meetings_in_next_days,
    pack_bytes,
    pack_file_name,
    sections_of,
    write_pack,
    write_packs,
)
from vcio_desk.services.review_answers import answer_item, link_csi, rate_item
from vcio_desk.services.reviews import (
    client_reviews,
    complete_review,
    review_detail,
    start_review,
)
from vcio_desk.services.rhythms import create_internal_body, create_rhythm
from vcio_desk.services.roadmap import roadmap
from vcio_desk.services.seed import ensure_base_content
from vcio_desk.services.settings import write_setting
from vcio_desk.store import Store, open_store
from vcio_desk.store import models as m

AS_OF = dt.date(2026, 11, 20)
WARSAW = ZoneInfo("Europe/Warsaw")
CLIENT = 'Łódź <Dental> & "Sons"'
CEO = "Αλέξανδρος <CEO> Παπαδόπουλος"
GUEST = "Дмитрий & Иванов"
NOTES = "**Budget** <font color=red>approved</font> & more"


@dataclass
class World:
    store: Store
    client: int
    meeting: int
    """Confirmed vCIO meeting, 2026-12-01 14:00 Warsaw, fully prepared."""
    unprepared: int
    """Proposed vCIO meeting on 2027-03-01 nobody opened yet."""
    committee_meeting: int
    review: int
    """The latest completed review."""
    csi_linked: int


def _meeting(
    session,  # type: ignore[no-untyped-def]
    key: str,
    local: dt.datetime,
    status: MeetingStatus,
    minutes: int = 60,
    **fields: object,
) -> int:
    type_id = session.scalar(select(m.MeetingType.id).where(m.MeetingType.key == key))
    start = local.astimezone(dt.UTC)
    row = m.Meeting(
        meeting_type_id=type_id,
        scheduled_start=start,
        scheduled_end=start + dt.timedelta(minutes=minutes),
        timezone=str(local.tzinfo),
        status=status,
        **fields,
    )
    session.add(row)
    session.flush()
    return row.id


def _answer_review(store: Store, review_id: int, plan: dict[int, tuple[Answer, Rating | None]]):  # type: ignore[no-untyped-def]
    items = review_detail(store, review_id).items
    for index, (answer, rating) in plan.items():
        answer_item(store, items[index].id, answer)
        if rating is not None:
            rate_item(store, items[index].id, rating)
    return items


@pytest.fixture(scope="module")
def world(build_workspace) -> Iterator[World]:  # type: ignore[no-untyped-def]
    with open_store(build_workspace().target) as store:
        ensure_base_content(store)
        write_setting(store, "msp_name", "Bright & <Co>")
        write_setting(store, "currency_symbol", "€")
        with store.transaction() as s:
            ada = m.Staff(name="Ada Lovelace", is_vcio=True)
            emile = m.Staff(name="Émile Zola", is_tam=True)
            s.add_all([ada, emile])
            s.flush()
            client = m.Client(
                name=CLIENT,
                tier="A",
                timezone="Europe/Warsaw",
                fiscal_year_start_month=7,
                vcio_id=ada.id,
                tam_id=emile.id,
            )
            s.add(client)
            s.flush()
            ceo = m.Contact(client_id=client.id, name=CEO, title="Prezes", decision_maker=True)
            s.add(ceo)
            s.flush()
            ada_id, client_id, ceo_id = ada.id, client.id, ceo.id
        vcio_rhythm = create_rhythm(
            store,
            meeting_type_key="vcio_meeting",
            rule="FREQ=MONTHLY;INTERVAL=3",
            anchor=dt.date(2025, 12, 1),
            tolerance_days=14,
            client_id=client_id,
        )
        create_rhythm(
            store,
            meeting_type_key="alignment_review",
            rule="FREQ=MONTHLY",
            anchor=dt.date(2026, 8, 15),
            tolerance_days=5,
            client_id=client_id,
        )
        body = create_internal_body(
            store,
            name="Standards committee",
            kind=BodyKind.STANDARDS_COMMITTEE,
            owner_id=ada_id,
            timezone="UTC",
            country=None,
        )
        create_rhythm(
            store,
            meeting_type_key="standards_committee",
            rule="FREQ=MONTHLY;BYDAY=2WE",
            anchor=dt.date(2026, 1, 14),
            tolerance_days=5,
            internal_body_id=body,
        )
        with store.transaction() as s:
            held = {}
            for slot, day in (
                (dt.date(2025, 12, 1), dt.date(2025, 12, 2)),
                (dt.date(2026, 3, 1), dt.date(2026, 3, 20)),
                (dt.date(2026, 9, 1), dt.date(2026, 9, 1)),
            ):
                held[slot] = _meeting(
                    s,
                    "vcio_meeting",
                    dt.datetime.combine(day, dt.time(14), WARSAW),
                    MeetingStatus.HELD,
                    client_id=client_id,
                    rhythm_id=vcio_rhythm,
                    slot_date=slot,
                    held_date=day,
                )
            meeting = _meeting(
                s,
                "vcio_meeting",
                dt.datetime(2026, 12, 1, 14, 0, tzinfo=WARSAW),
                MeetingStatus.CONFIRMED,
                client_id=client_id,
                rhythm_id=vcio_rhythm,
                slot_date=dt.date(2026, 12, 1),
                owner_id=ada_id,
                location="Piotrkowska 1 & <2>",
            )
            unprepared = _meeting(
                s,
                "vcio_meeting",
                dt.datetime(2027, 3, 1, 14, 0, tzinfo=WARSAW),
                MeetingStatus.PROPOSED,
                client_id=client_id,
                rhythm_id=vcio_rhythm,
                slot_date=dt.date(2027, 3, 1),
            )
            committee_meeting = _meeting(
                s,
                "standards_committee",
                dt.datetime(2026, 12, 9, 11, 0, tzinfo=dt.UTC),
                MeetingStatus.CONFIRMED,
                internal_body_id=body,
                owner_id=ada_id,
            )
        september = held[dt.date(2026, 9, 1)]
        for title, due, status in (
            ("Renew the firewall <support> & licences", dt.date(2026, 10, 1), ActionStatus.OPEN),
            ("Replace the NAS", dt.date(2026, 10, 15), ActionStatus.DONE),
            ("Train staff on phishing", None, ActionStatus.OPEN),
        ):
            create_action(
                store,
                ActionInput(title, owner=("staff", ada_id), due_date=due, status=status),
                as_of=dt.date(2026, 9, 1),
                meeting_id=september,
            )
        create_action(
            store,
            ActionInput("Ask about the Ωmega contract", due_date=dt.date(2026, 12, 31)),
            as_of=AS_OF,
            client_id=client_id,
        )
        create_action(
            store,
            ActionInput(
                "Sign the roadmap", owner=("contact", ceo_id), due_date=dt.date(2026, 12, 15)
            ),
            as_of=AS_OF,
            meeting_id=meeting,
        )
        create_action(
            store, ActionInput("Later meeting's action"), as_of=AS_OF, meeting_id=unprepared
        )
        create_action(
            store, ActionInput("Committee: publish v2"), as_of=AS_OF, internal_body_id=body
        )
        for title, minutes, presenter in (
            ("Welcome", 10, "Ada Lovelace"),
            ("Findings <b>by section</b>", 20, "Émile Zola"),
            ("Roadmap & budget", 15, "Ada Lovelace"),
        ):
            add_agenda_item(store, meeting, title, minutes, presenter)
        add_attendee(store, meeting, staff_id=ada_id, present=True)
        add_attendee(store, meeting, contact_id=ceo_id)
        add_attendee(store, meeting, name=GUEST, present=False)
        version = meeting_detail(store, meeting).head.row_version
        save_texts(
            store,
            meeting,
            version,
            client_notes=NOTES,
            internal_notes="Push for the *firewall* renewal",
            decisions="Go ahead with FY2027 Q2",
        )
        linked = create_item(
            store,
            client_id,
            {
                "title": "Firewall <upgrade> & VPN",
                "target_fiscal_year": 2027,
                "target_quarter": 2,
                "one_time_cost": "4500",
                "recurring_cost_monthly": "150",
                "status": "approved",
                "kpi_name": "Blocked intrusions",
                "kpi_baseline": "10",
                "kpi_target": "30",
                "kpi_current": "20",
            },
            author="test",
        )
        for fields in (
            {"title": "Move mail to the cloud", "target_fiscal_year": 2027, "target_quarter": 4,
             "one_time_cost": "12000", "recurring_cost_monthly": "300", "status": "proposed"},
            {"title": "Old project", "target_fiscal_year": 2026, "target_quarter": 4,
             "one_time_cost": "999", "recurring_cost_monthly": "20", "status": "done"},
            {"title": "Someday: SIEM", "one_time_cost": "7000", "status": "proposed"},
            {"title": "Deferred: new PBX", "target_fiscal_year": 2027, "target_quarter": 3,
             "one_time_cost": "5000", "status": "deferred"},
        ):  # fmt: skip
            create_item(store, client_id, fields, author="test")

        # Reviews: one completed in March, the latest completed in September, one in progress.
        first = start_review(store, client_id, dt.date(2026, 3, 2))
        _answer_review(store, first, {0: (Answer.ALIGNED, None), 1: (Answer.MISALIGNED, None)})
        complete_review(store, first, dt.date(2026, 3, 10))
        review = start_review(store, client_id, dt.date(2026, 9, 1))
        items = review_detail(store, review).items
        internal = next(i for i, item in enumerate(items) if item.internal_only)
        plan: dict[int, tuple[Answer, Rating | None]] = {
            0: (Answer.ALIGNED, None),
            1: (Answer.MISALIGNED, Rating.VULNERABLE),  # linked to a CSI item below
            2: (Answer.MISALIGNED, Rating.MARGINAL),
            3: (Answer.MISALIGNED, None),  # unrated, no recommendation
            4: (Answer.NOT_APPLICABLE, None),
            5: (Answer.MISALIGNED, Rating.VULNERABLE),  # vulnerable, no recommendation
            internal: (Answer.MISALIGNED, Rating.MARGINAL),
        }
        _answer_review(store, review, plan)
        for index in range(6, len(items)):
            if index != internal:
                answer_item(store, items[index].id, Answer.ALIGNED)
        link_csi(store, items[1].id, linked)
        complete_review(store, review, dt.date(2026, 9, 5))
        current = start_review(store, client_id, dt.date(2026, 11, 15))
        _answer_review(store, current, {0: (Answer.MISALIGNED, Rating.VULNERABLE)})
        yield World(store, client_id, meeting, unprepared, committee_meeting, review, linked)


@pytest.fixture(scope="module")
def pack(world: World) -> PackData:
    return assemble_pack(world.store, world.meeting, AS_OF)


# -- the meeting itself --------------------------------------------------------------------------


def test_head_names_and_hostile_text_are_kept_as_data(world: World, pack: PackData) -> None:
    assert pack.meeting_id == world.meeting
    assert pack.as_of == AS_OF
    assert pack.client_name == CLIENT
    assert pack.msp_name == "Bright & <Co>"
    assert pack.meeting_type == "vCIO strategic meeting"
    assert pack.start == dt.datetime(2026, 12, 1, 14, 0, tzinfo=WARSAW)
    assert pack.start.utcoffset() == dt.timedelta(hours=1)
    assert pack.end - pack.start == dt.timedelta(minutes=60)
    assert pack.timezone == "Europe/Warsaw"
    assert pack.location == "Piotrkowska 1 & <2>"
    assert (pack.owner, pack.status) == ("Ada Lovelace", "confirmed")
    assert pack.client_notes == NOTES
    assert pack.internal_notes == "Push for the *firewall* renewal"
    assert pack.decisions == "Go ahead with FY2027 Q2"
    assert pack.currency_symbol == "€"
    assert pack.fiscal_year_start_month == 7
    assert CLIENT in pack.confidentiality
    assert pack.warnings == ()


def test_sections_are_the_meeting_types_choice(pack: PackData) -> None:
    shipped = {
        t["key"]: t["pack_sections"] for t in assets.template("meeting_types")["meeting_types"]
    }
    assert [s.value for s in pack.sections] == shipped["vcio_meeting"]
    assert pack.sections == DEFAULT_SECTIONS  # the vCIO meeting prints everything


def test_agenda_items_start_when_the_ones_before_end(pack: PackData) -> None:
    assert [(a.starts, a.minutes, a.title, a.presenter) for a in pack.agenda] == [
        (dt.time(14, 0), 10, "Welcome", "Ada Lovelace"),
        (dt.time(14, 10), 20, "Findings <b>by section</b>", "Émile Zola"),
        (dt.time(14, 30), 15, "Roadmap & budget", "Ada Lovelace"),
    ]


def test_attendees_with_role_organisation_and_presence(pack: PackData) -> None:
    assert [(p.name, p.role, p.organisation, p.present) for p in pack.attendees] == [
        ("Ada Lovelace", "vCIO", "Bright & <Co>", True),
        (CEO, "Prezes", CLIENT, None),
        (GUEST, "Guest", "", False),
    ]


def test_carried_actions_first_then_the_ones_raised_here(pack: PackData) -> None:
    rows = [(a.title, a.carried, a.status, a.overdue, a.raised_at, a.due) for a in pack.actions]
    sep, dec = "vCIO strategic meeting 2026-09-01", "vCIO strategic meeting 2026-12-01"
    assert rows == [
        ("Renew the firewall <support> & licences", True, "open", True, sep, dt.date(2026, 10, 1)),
        ("Ask about the Ωmega contract", True, "open", False, "", dt.date(2026, 12, 31)),
        ("Train staff on phishing", True, "open", False, sep, None),
        ("Sign the roadmap", False, "open", False, dec, dt.date(2026, 12, 15)),
    ]
    assert pack.actions[0].owner == "Ada Lovelace"
    assert pack.actions[-1].owner == CEO
    # Closed actions, later meetings' actions and the committee's are not carried.
    titles = {a.title for a in pack.actions}
    assert not titles & {"Replace the NAS", "Later meeting's action", "Committee: publish v2"}


# -- review ---------------------------------------------------------------------------------------


def test_review_figures_are_the_latest_completed_reviews(world: World, pack: PackData) -> None:
    detail = review_detail(world.store, world.review)
    review = pack.review
    assert review is not None
    assert (review.started_on, review.completed_on) == (dt.date(2026, 9, 1), dt.date(2026, 9, 5))
    assert review.tam == "Émile Zola"
    assert review.score == detail.score.score
    assert review.coverage == detail.score.coverage
    assert review.progress == detail.score.progress
    assert [(s.section, s.score, s.findings) for s in review.sections] == [
        (s.name, s.tally.score, s.tally.misaligned) for s in detail.score.sections
    ]
    completed = [r for r in client_reviews(world.store, world.client) if r.completed_on]
    assert [(p.day, p.score) for p in review.trend] == [
        (r.completed_on, r.score) for r in reversed(completed)
    ]
    assert [p.day for p in review.trend] == [dt.date(2026, 3, 10), dt.date(2026, 9, 5)]
    assert review.trend[-1].score == detail.score.score


def test_findings_are_the_misaligned_items_only(world: World, pack: PackData) -> None:
    detail = review_detail(world.store, world.review)
    misaligned = [i for i in detail.items if i.answer is Answer.MISALIGNED]
    assert [f.code for f in pack.findings] == [i.code for i in misaligned]
    assert len(pack.findings) == 5
    ratings = [f.rating for f in pack.findings]
    assert ratings[:4] == ["vulnerable", "marginal", None, "vulnerable"]
    assert pack.findings[0].recommendation == "Firewall <upgrade> & VPN"
    assert [f.recommendation for f in pack.findings[1:]] == [""] * 4
    internal = [f for f in pack.findings if f.internal_only]
    assert len(internal) == 1 and internal[0].rating == "marginal"
    first = misaligned[0]
    assert pack.findings[0].why_it_matters == first.why_it_matters
    assert pack.findings[0].how_to_align == first.how_to_align
    assert pack.findings[0].section == first.section_name
    assert pack.findings[0].priority in ("high", "medium", "low")


def test_without_a_completed_review_the_one_in_progress_speaks(db_target) -> None:  # type: ignore[no-untyped-def]
    with open_store(db_target("ws")) as store:
        ensure_base_content(store)
        with store.transaction() as s:
            client = m.Client(name="Solo", tier="B", timezone="UTC")
            s.add(client)
            s.flush()
            meeting = _meeting(
                s,
                "alignment_review",
                dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC),
                MeetingStatus.CONFIRMED,
                client_id=client.id,
            )
            client_id = client.id
        review = start_review(store, client_id, dt.date(2026, 11, 1))
        _answer_review(store, review, {2: (Answer.MISALIGNED, None)})
        data = assemble_pack(store, meeting, AS_OF)
    assert data.review is not None
    assert data.review.completed_on is None
    assert data.review.trend == ()
    assert len(data.findings) == 1 and data.findings[0].rating is None
    assert [s.value for s in data.sections] == [
        "cover", "agenda", "summary", "findings", "actions", "notes", "note_pages", "signoff"
    ]  # fmt: skip
    assert data.quarters and data.csi == () and data.roadmap == ()
    assert any("Finding" in p and "not rated yet" in p for p in data.talking_points)


# -- drift, rhythm, adherence ----------------------------------------------------------------------


def test_adherence_and_flags_are_the_drift_services(world: World, pack: PackData) -> None:
    report = assess_all(world.store, AS_OF, client_id=world.client)
    overall = summarize_adherence(report).overall
    assert (pack.adherence_pct, pack.adherence_kept, pack.adherence_judged) == (
        overall.pct,
        overall.kept,
        overall.judged,
    )
    assert [(r.flag, r.reason) for r in pack.rhythms] == [
        (str(item.assessment.flag), item.assessment.reason) for item in report.rhythms
    ]
    assert pack.rhythms[1].flag == "broken"


def test_rhythm_lines_have_last_and_next_twelve_months(pack: PackData) -> None:
    vcio = pack.rhythms[0]
    assert vcio.meeting_type == "vCIO strategic meeting"
    assert vcio.description.startswith("Quarterly")
    assert vcio.tolerance_days == 14
    assert [(s.nominal, s.status, s.held) for s in vcio.past] == [
        (dt.date(2025, 12, 1), "held on time", dt.date(2025, 12, 2)),
        (dt.date(2026, 3, 1), "held late", dt.date(2026, 3, 20)),
        (dt.date(2026, 6, 1), "missed", None),
        (dt.date(2026, 9, 1), "held on time", dt.date(2026, 9, 1)),
    ]
    assert vcio.past[1].delta_days == 19
    assert vcio.upcoming[:2] == (dt.date(2026, 12, 1), dt.date(2027, 3, 1))
    assert all(AS_OF < day <= dt.date(2027, 11, 20) for day in vcio.upcoming)
    assert vcio.adherence_pct == 50.0
    alignment = pack.rhythms[1]
    assert [s.status for s in alignment.past] == ["missed", "missed", "missed", "due"]


# -- roadmap, budget, register ---------------------------------------------------------------------


def test_quarters_and_costs_equal_the_roadmap_services(world: World, pack: PackData) -> None:
    plan = roadmap(world.store, world.client, dt.date(2026, 12, 1), quarters=len(pack.quarters))
    assert [q.label for q in pack.quarters] == [q.label for q in plan.quarters]
    assert pack.quarters[0].label == "FY2027 Q2"  # Oct-Dec 2026 with a July fiscal year
    assert (pack.quarters[0].first_day, pack.quarters[0].last_day) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )
    assert [(q.one_time, q.recurring, q.annualised_recurring) for q in pack.quarters] == [
        (q.budget.one_time, q.budget.recurring, q.budget.annualised_recurring)
        for q in plan.quarters
    ]
    assert pack.quarters[0].one_time == Decimal("4500")
    assert pack.quarters[0].recurring == Decimal("510")  # (150 + 20 running) × 3
    assert pack.quarters[0].total == Decimal("5010")
    assert pack.unscheduled_one_time == Decimal("7000")
    assert pack.unscheduled_recurring_monthly == Decimal("0")


def test_roadmap_lines_and_the_register(pack: PackData) -> None:
    assert [(r.title, r.quarter, r.status) for r in pack.roadmap] == [
        ("Old project", "Earlier", "Done"),
        ("Firewall <upgrade> & VPN", "FY2027 Q2", "Approved"),
        ("Deferred: new PBX", "FY2027 Q3", "Deferred"),
        ("Move mail to the cloud", "FY2027 Q4", "Proposed"),
        ("Someday: SIEM", "Unscheduled", "Proposed"),
    ]
    assert [c.rank for c in pack.csi] == sorted(c.rank for c in pack.csi)
    firewall = pack.csi[0]
    assert (firewall.title, firewall.target, firewall.size, firewall.priority) == (
        "Firewall <upgrade> & VPN",
        "FY2027 Q2",
        "M",
        "medium",
    )
    assert firewall.kpi_progress == 50.0
    assert firewall.kpi_name == "Blocked intrusions"
    assert pack.csi[3].target == "Unscheduled"


# -- talking points -----------------------------------------------------------------------------


def test_talking_points_in_plain_sentences(pack: PackData) -> None:
    points = pack.talking_points
    assert points[0].startswith("The Technology Alignment review rhythm is broken: Last two")
    assert not any("vCIO strategic meeting rhythm" in p for p in points)  # on track
    assert (
        "Overdue action (Ada Lovelace, due 2026-10-01): Renew the firewall <support> & licences."
        in points
    )
    no_recommendation = [p for p in points if p.startswith("Finding")]
    assert len(no_recommendation) == 2
    assert "(not rated yet," in no_recommendation[0]
    assert "(vulnerable," in no_recommendation[1]
    assert points[-1] == (
        "This quarter (FY2027 Q2) the roadmap budgets €4,500 one-time and €510 recurring, "
        "€5,010 in all."
    )
    assert all(p.endswith((".", "?")) for p in points), points


# -- other meetings -------------------------------------------------------------------------------


def test_committee_meeting_has_no_review_or_register(world: World) -> None:
    data = assemble_pack(world.store, world.committee_meeting, AS_OF)
    assert data.client_name == "Standards committee"
    assert data.meeting_type == "Standards committee"
    assert [s.value for s in data.sections] == [
        "cover", "agenda", "actions", "notes", "note_pages", "signoff"
    ]  # fmt: skip
    assert data.review is None
    assert (data.findings, data.quarters, data.roadmap, data.csi) == ((), (), (), ())
    assert data.unscheduled_one_time == 0
    assert data.client_logo is None
    assert [r.meeting_type for r in data.rhythms] == ["Standards committee"]
    assert [a.title for a in data.actions] == ["Committee: publish v2"]
    assert "Bright & <Co>" in data.confidentiality
    # Nobody opened it yet: it prints the agenda its type's template will give it.
    template = template_agenda(world.store, world.committee_meeting)
    assert template and [a.title for a in data.agenda] == [t.title for t in template]
    assert data.warnings == ()


def test_a_meeting_with_nothing_prepared(world: World) -> None:
    data = assemble_pack(world.store, world.unprepared, AS_OF)
    template = template_agenda(world.store, world.unprepared)
    assert [(a.title, a.minutes) for a in data.agenda] == [(t.title, t.minutes) for t in template]
    assert (
        data.agenda[1].starts
        == (
            dt.datetime.combine(AS_OF, data.start.time())
            + dt.timedelta(minutes=template[0].minutes)
        ).time()
    )
    assert data.attendees == ()
    assert data.client_notes == data.internal_notes == data.decisions == ""
    assert data.warnings == ()
    assert meeting_detail(world.store, world.unprepared).agenda == ()  # nothing was written
    assert [a.title for a in data.actions if not a.carried] == ["Later meeting's action"]
    assert "Sign the roadmap" in [a.title for a in data.actions if a.carried]
    assert data.quarters[0].label == "FY2027 Q3"  # the window starts with the meeting's quarter


def test_logos_come_from_branding(world: World) -> None:
    png = branding.PNG_SIGNATURE + b"\x00" * 40
    branding.set_msp_logo(world.store, png)
    branding.set_client_logo(world.store, world.client, png)
    try:
        data = assemble_pack(world.store, world.meeting, AS_OF)
        assert (data.msp_logo, data.client_logo) == (png, png)
        write_setting(world.store, branding.MSP_LOGO_SETTING, "!!broken!!")
        data = assemble_pack(world.store, world.meeting, AS_OF)
        assert data.msp_logo is None
        assert any("MSP logo" in w for w in data.warnings)
    finally:
        branding.set_msp_logo(world.store, None)
        branding.set_client_logo(world.store, world.client, None)


def test_sections_of_a_type_drop_unknown_names_and_repeats() -> None:
    assert sections_of(["notes", "cover", "NOTES", "index", 3, " agenda "]) == (
        PackSection.NOTES,
        PackSection.COVER,
        PackSection.AGENDA,
    )
    assert sections_of([]) == DEFAULT_SECTIONS
    assert sections_of(None) == DEFAULT_SECTIONS
    assert sections_of(["nothing", "known"]) == DEFAULT_SECTIONS


# -- the demo workspace ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(build_workspace) -> Iterator[Store]:  # type: ignore[no-untyped-def]
    with open_store(build_workspace().target) as store:
        build_demo(store, clients=6, years=2, seed=3, as_of=AS_OF)
        yield store


def test_every_planned_meeting_of_the_next_quarter_assembles(demo: Store) -> None:
    targets = meetings_in_next_days(demo, AS_OF, 92)
    shipped = {
        t["name"]: t["pack_sections"] for t in assets.template("meeting_types")["meeting_types"]
    }
    kinds = set()
    for target in targets:
        data = assemble_pack(demo, target.meeting_id, AS_OF)
        kinds.add(data.meeting_type)
        assert [s.value for s in data.sections] == shipped[data.meeting_type]
        assert data.msp_name == "BrightPath IT"
        starts = [a.starts for a in data.agenda]
        assert starts == sorted(starts)
        if data.agenda:
            assert data.agenda[0].starts == data.start.time()
        assert all(a.carried for a in data.actions[: sum(a.carried for a in data.actions)])
        assert all(f.rating in (None, "marginal", "vulnerable") for f in data.findings)
        if data.review is not None:
            days = [p.day for p in data.review.trend]
            assert days == sorted(days)
    assert {"vCIO strategic meeting", "Technology Alignment review"} <= kinds


# -- which meeting, which file --------------------------------------------------------------------


def test_meeting_for_by_name_any_case_and_next(world: World) -> None:
    store = world.store
    assert meeting_for(store, CLIENT, "next", AS_OF) == world.meeting
    assert meeting_for(store, 'ŁÓDŹ <dental> & "SONS"', "next", AS_OF) == world.meeting
    assert meeting_for(store, f"  {CLIENT} ", "NEXT", dt.date(2026, 12, 1)) == world.meeting
    assert meeting_for(store, CLIENT, "next", dt.date(2026, 12, 2)) == world.unprepared
    assert meeting_for(store, CLIENT, world.unprepared, AS_OF) == world.unprepared
    assert meeting_for(store, CLIENT, str(world.meeting), AS_OF) == world.meeting
    assert meeting_for(store, "standards COMMITTEE", "next", AS_OF) == world.committee_meeting


@pytest.mark.parametrize(
    ("name", "meeting", "as_of", "words"),
    [
        (CLIENT, "next", dt.date(2027, 3, 2), "has no proposed or confirmed meeting on or after"),
        (CLIENT, "99999", AS_OF, "There is no meeting 99999"),
        (CLIENT, "last", AS_OF, "Give a meeting's number or 'next', not 'last'"),
        ("Dental", "next", AS_OF, "There is no client called 'Dental'"),
        ("Lodz Dental", "next", AS_OF, "no client called"),
        ("", "next", AS_OF, "Give the client's name"),
    ],
)
def test_meeting_for_says_what_is_wrong(
    world: World, name: str, meeting: str, as_of: dt.date, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        meeting_for(world.store, name, meeting, as_of)
    assert words in caught.value.user_message
    assert "\n" not in caught.value.user_message


def test_close_names_are_offered(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        meeting_for(world.store, "dental", "next", AS_OF)
    assert f"Did you mean: {CLIENT}?" in caught.value.user_message
    with pytest.raises(ValidationError, match="Did you mean: Standards committee"):
        meeting_for(world.store, "Standards comittee", "next", AS_OF)


def test_another_subjects_meeting_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        meeting_for(world.store, CLIENT, world.committee_meeting, AS_OF)
    assert caught.value.user_message == (
        f"Meeting {world.committee_meeting} is not a meeting of {CLIENT}."
    )


def test_names_that_differ_only_in_case(workspace: Store) -> None:
    with workspace.transaction() as s:
        s.add_all([m.Client(name="Acme"), m.Client(name="ACME")])
    assert find_subject(workspace, "ACME")[0] == "ACME"
    with pytest.raises(ValidationError, match="Several clients are called 'acme'"):
        find_subject(workspace, "acme")


def test_meetings_in_next_days_with_safe_unique_file_names(world: World, workspace: Store) -> None:
    targets = meetings_in_next_days(world.store, AS_OF, 30)
    assert [t.meeting_id for t in targets] == [world.meeting, world.committee_meeting]
    assert targets[0].file_name == (
        "2026-12-01 Łódź _Dental_ & _Sons_ - vCIO strategic meeting (client).pdf"
    )
    assert targets[0].start == dt.datetime(2026, 12, 1, 14, tzinfo=WARSAW)
    internal = meetings_in_next_days(world.store, AS_OF, 30, Edition.INTERNAL)
    assert (
        internal[1].file_name
        == "2026-12-09 Standards committee - Standards committee (internal).pdf"
    )
    assert meetings_in_next_days(world.store, AS_OF, 12) == targets[:1]  # [as_of, as_of + 12)
    assert meetings_in_next_days(world.store, AS_OF, 11) == []
    assert meetings_in_next_days(world.store, dt.date(2026, 12, 2), 7) == []
    with pytest.raises(ValidationError, match="1 to 366"):
        meetings_in_next_days(world.store, AS_OF, 0)
    # Two meetings of one client on one day get two names.
    with workspace.transaction() as s:
        client = m.Client(name="Twice", timezone="UTC")
        s.add(client)
        s.flush()
        for hour in (9, 15):
            _meeting(
                s,
                "vcio_meeting",
                dt.datetime(2026, 11, 24, hour, tzinfo=dt.UTC),
                MeetingStatus.PROPOSED,
                client_id=client.id,
            )
    names = [t.file_name for t in meetings_in_next_days(workspace, AS_OF, 7)]
    assert names == [
        "2026-11-24 Twice - vCIO strategic meeting (client).pdf",
        "2026-11-24 Twice - vCIO strategic meeting (client) (2).pdf",
    ]


def test_unique_names_ignore_case_and_long_names_keep_date_and_edition() -> None:
    taken: set[str] = set()
    assert unique_name("A.pdf", taken) == "A.pdf"
    assert unique_name("a.PDF", taken) == "a (2).PDF"
    assert unique_name("A.pdf", taken) == "A (3).pdf"
    name = pack_file_name(dt.date(2026, 12, 1), "Ж" * 400, "会議" * 200, "internal")
    assert name.startswith("2026-12-01 ЖЖ") and name.endswith("… (internal).pdf")
    assert len(name.encode()) <= 255
    assert pack_file_name(dt.date(2026, 12, 1), "../../etc", "a/b", "client") == (
        "2026-12-01 .._.._etc - a_b (client).pdf"
    )


# -- PDF bytes and files (the real renderer) -----------------------------------------------------


def _text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def _page_size(pdf: bytes) -> tuple[int, int]:
    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def test_pack_bytes_in_both_editions(world: World) -> None:
    client = pack_bytes(world.store, world.meeting, "client", "A4", AS_OF, deterministic=True)
    internal = pack_bytes(world.store, world.meeting, Edition.INTERNAL, "a4", AS_OF)
    assert client.pdf.startswith(b"%PDF-") and internal.pdf.startswith(b"%PDF-")
    assert (
        client.file_name
        == "2026-12-01 Łódź _Dental_ & _Sons_ - vCIO strategic meeting (client).pdf"
    )
    assert internal.file_name.endswith("(internal).pdf")
    assert client.pages >= 5 and internal.pages >= client.pages
    assert client.paper == "A4" and client.title.startswith(f"{CLIENT} – vCIO strategic meeting")
    assert client.path is None
    client_text, internal_text = _text(client.pdf), _text(internal.pdf)
    for text in (client_text, internal_text):
        assert 'Łódź <Dental> & "Sons"' in text
        assert "Renew the firewall <support> & licences" in text
    assert "Push for the" not in client_text and "Push for the" in internal_text
    assert "Overdue action (Ada Lovelace" not in client_text
    assert "Overdue action (Ada Lovelace" in internal_text
    # Deterministic mode: the same data gives the same bytes.
    again = pack_bytes(world.store, world.meeting, "client", "A4", AS_OF, deterministic=True)
    assert again.pdf == client.pdf


def test_paper_defaults_to_the_workspace_setting(world: World) -> None:
    a4 = pack_bytes(world.store, world.committee_meeting, "client", None, AS_OF)
    assert (a4.paper, _page_size(a4.pdf)) == ("A4", (595, 842))
    write_setting(world.store, "paper_size", "Letter")
    try:
        letter = pack_bytes(world.store, world.committee_meeting, "client", None, AS_OF)
    finally:
        write_setting(world.store, "paper_size", "A4")
    assert (letter.paper, _page_size(letter.pdf)) == ("Letter", (612, 792))
    with pytest.raises(ValidationError, match="A4 or Letter paper, not 'A5'"):
        pack_bytes(world.store, world.committee_meeting, "client", "A5", AS_OF)
    with pytest.raises(ValidationError, match="client or an internal edition, not 'draft'"):
        pack_bytes(world.store, world.committee_meeting, "draft", None, AS_OF)


def test_gathering_warnings_reach_the_result(world: World) -> None:
    write_setting(world.store, "msp_logo", "not a logo")
    try:
        result = pack_bytes(world.store, world.unprepared, "client", "A4", AS_OF)
    finally:
        write_setting(world.store, "msp_logo", None)
    assert any("MSP logo kept in the settings cannot be read" in w for w in result.warnings)
    assert len(result.warnings) == len(set(result.warnings))


def test_write_pack_to_a_file_or_into_a_folder(world: World, tmp_path: Path) -> None:
    target = tmp_path / "pack.pdf"
    result = write_pack(world.store, world.meeting, "client", "A4", AS_OF, target)
    assert result.path == target and target.read_bytes() == result.pdf
    assert target.stat().st_mode & 0o777 == 0o600
    folder = tmp_path / "packs"
    folder.mkdir()
    inside = write_pack(world.store, world.meeting, "internal", "A4", AS_OF, folder)
    assert inside.path == folder / inside.file_name
    assert inside.path.read_bytes()[:5] == b"%PDF-"
    missing = f"{tmp_path / 'nowhere'}/"
    with pytest.raises(WriteError, match="the folder does not exist"):
        write_pack(world.store, world.meeting, "client", "A4", AS_OF, missing)


def test_a_folder_path_through_a_file_is_refused_clearly(world: World, tmp_path: Path) -> None:
    blocker = tmp_path / "reports"
    blocker.write_text("a file, not a folder")
    with pytest.raises(WriteError) as caught:
        write_pack(world.store, world.meeting, "client", "A4", AS_OF, blocker / "pack.pdf")
    assert caught.value.user_message == (
        f"Cannot write pack.pdf in {blocker}: part of the folder path is a file, not a folder."
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]


# Runs in a child: gather once (the workspace is read), then cap the size of any file the
# process writes, as a full disk would, and write the pack.
FULL_DISK = """
import datetime as dt, json, resource, signal, sys
from pathlib import Path
from vcio_desk.atomic import WriteError
from vcio_desk.services.packs import pack_bytes, write_pack
from vcio_desk.store import open_store
db, meeting, target = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
with open_store(db, read_only=True) as store:
    as_of = dt.date(2026, 11, 20)
    size = len(pack_bytes(store, meeting, "client", "A4", as_of).pdf)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() then fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (16384, 16384))
    try:
        write_pack(store, meeting, "client", "A4", as_of, target)
        print(json.dumps({"ok": True}))
    except WriteError as exc:
        print(json.dumps({"ok": False, "message": exc.user_message, "size": size}))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_leaves_the_old_file_and_no_partial_one(world: World, tmp_path: Path) -> None:
    target = tmp_path / "pack.pdf"
    target.write_bytes(b"the previous pack")
    db = world.store.location.url  # a file's sqlite:/// URL, or the server's
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(db), str(world.meeting), str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ok"] is False and result["size"] > 16384
    assert result["message"] == (
        f"Cannot write pack.pdf in {tmp_path}: the disk is full or the file is too large."
    )
    assert target.read_bytes() == b"the previous pack"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.pdf"]


def test_write_packs_goes_on_after_a_failure(world: World, tmp_path: Path) -> None:
    out = tmp_path / "new" / "packs"
    targets = meetings_in_next_days(world.store, AS_OF, 30)
    (out / targets[0].file_name).mkdir(parents=True)  # a folder where the first pack goes
    steps: list[tuple[int, int, str]] = []
    report = write_packs(
        world.store, AS_OF, 30, out, "client", "A4", progress=lambda *s: steps.append(s)
    )
    assert report.out_dir == out
    assert [p.name for p in report.written] == [targets[1].file_name]
    assert report.written[0].read_bytes()[:5] == b"%PDF-"
    assert len(report.failed) == 1 and not report.ok and report.total == 2
    failure = report.failed[0]
    assert failure.target == targets[0]
    assert failure.label == f"{CLIENT} – vCIO strategic meeting 2026-12-01"
    assert "a folder with that name is in the way" in failure.reason
    assert steps == [
        (0, 2, targets[0].label),
        (1, 2, targets[1].label),
        (2, 2, "Done"),
    ]
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_cancelling_keeps_the_packs_already_written(world: World, tmp_path: Path) -> None:
    class Cancelled(Exception):
        pass

    def progress(done: int, _total: int, _label: str) -> None:
        if done == 1:
            raise Cancelled

    with pytest.raises(Cancelled):
        write_packs(world.store, AS_OF, 30, tmp_path, Edition.INTERNAL, None, progress=progress)
    assert [p.name for p in tmp_path.iterdir()] == [
        "2026-12-01 Łódź _Dental_ & _Sons_ - vCIO strategic meeting (internal).pdf"
    ]


def test_batch_folder_problems_are_clear(world: World, tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("not a folder")
    with pytest.raises(WriteError, match="is a file, not a folder"):
        write_packs(world.store, AS_OF, 30, a_file)
    nothing = write_packs(world.store, dt.date(2030, 1, 1), 7, tmp_path / "empty")
    assert (nothing.written, nothing.failed, nothing.total) == ((), (), 0)
