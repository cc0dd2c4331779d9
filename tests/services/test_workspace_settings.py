"""Workspace settings, tier templates and internal bodies: validated before anything is saved."""

from __future__ import annotations

import datetime as dt

import pytest

from vcio_desk import assets
from vcio_desk.domain.errors import ValidationError
from vcio_desk.services.demo import build_demo
from vcio_desk.services.rhythms import (
    create_internal_body,
    create_rhythm,
    list_rhythms,
    tier_templates,
)
from vcio_desk.services.settings import read_settings
from vcio_desk.services.workspace_settings import (
    WorkspaceValues,
    body_rows,
    current_tier_templates,
    internal_bodies,
    internal_meeting_types,
    read_workspace,
    reset_tier_templates,
    save_tier_templates,
    save_workspace,
    staff_options,
    template_words,
    tier_rows,
    with_tier_rule,
)
from vcio_desk.store import Store

AS_OF = dt.date(2026, 11, 20)


@pytest.fixture
def demo(workspace: Store) -> Store:
    build_demo(workspace, clients=4, years=1, seed=2, as_of=AS_OF)
    return workspace


def test_workspace_round_trip(demo: Store) -> None:
    someone = staff_options(demo)[0]
    values = WorkspaceValues(" Northwind IT ", "Letter", 14, "us", "NY", someone.id, 7, " € ")
    saved = save_workspace(demo, values)
    assert saved.holidays_country == "US"
    assert read_workspace(demo) == WorkspaceValues(
        "Northwind IT", "Letter", 14, "US", "NY", someone.id, 7, "€"
    )
    assert read_settings(demo)["lead_days"] == 14


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"holidays_country": "XX"}, "No public holiday calendar for XX"),
        ({"holidays_country": "US", "holidays_subdivision": "ZZ"}, "subdivision"),
        ({"holidays_subdivision": "NY"}, "needs a country"),
        ({"msp_name": "  "}, "cannot be empty"),
        ({"lead_days": 91}, "between 0 and 90"),
        ({"paper_size": "A3"}, "A4 or Letter"),
        ({"current_user_staff_id": 99_999}, "no longer exists"),
        ({"msp_fiscal_year_start_month": 13}, "month from 1 to 12"),
        ({"currency_symbol": "DOLLARS"}, "too long"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(demo: Store, change, words) -> None:
    before = read_settings(demo)
    base = {
        "msp_name": "Changed",
        "paper_size": "A4",
        "lead_days": 10,
        "holidays_country": None,
        "holidays_subdivision": None,
        "current_user_staff_id": None,
    }
    with pytest.raises(ValidationError) as info:
        save_workspace(demo, WorkspaceValues(**(base | change)))
    assert words in info.value.user_message
    assert read_settings(demo) == before


def test_tier_template_edit_is_saved_and_read_back(demo: Store) -> None:
    changed = with_tier_rule(
        current_tier_templates(demo), "B", "vcio_meeting", "FREQ=MONTHLY;INTERVAL=4", 20, AS_OF
    )
    save_tier_templates(demo, changed, AS_OF)
    item = next(
        i for i in tier_templates(demo)["tiers"]["B"] if i["meeting_type"] == "vcio_meeting"
    )
    assert (item["rrule"], item["tolerance_days"]) == ("FREQ=MONTHLY;INTERVAL=4", 20)
    assert assets.template("tier_rhythms")["tiers"]["B"][1]["rrule"] == "FREQ=MONTHLY;INTERVAL=6"
    rows = {(r.tier, r.meeting_type_key): r for r in tier_rows(tier_templates(demo), {})}
    assert rows["B", "vcio_meeting"].tolerance_days == 20
    assert len(rows) == 6


def test_tier_template_edit_is_validated(demo: Store) -> None:
    template = current_tier_templates(demo)
    with pytest.raises(ValidationError, match=r"overlap|tolerance"):
        with_tier_rule(template, "A", "alignment_review", "FREQ=WEEKLY", 10, AS_OF)
    with pytest.raises(ValidationError):
        with_tier_rule(template, "A", "alignment_review", "FREQ=SOMETIMES", 1, AS_OF)
    del template["tiers"]["C"]
    with pytest.raises(ValidationError, match="tier C"):
        save_tier_templates(demo, template, AS_OF)


def test_reset_restores_the_bundled_template(demo: Store) -> None:
    changed = with_tier_rule(
        current_tier_templates(demo), "A", "alignment_review", "FREQ=MONTHLY;INTERVAL=2", 7, AS_OF
    )
    save_tier_templates(demo, changed, AS_OF)
    assert tier_templates(demo) != assets.template("tier_rhythms")
    reset_tier_templates(demo)
    assert tier_templates(demo) == assets.template("tier_rhythms")


def test_internal_bodies_and_their_rhythms(demo: Store) -> None:
    owner = staff_options(demo)[0]
    body_id = create_internal_body(
        demo, name="Security board", owner_id=owner.id, timezone="Europe/Berlin", country="de"
    )
    names = [b.name for b in internal_bodies(demo)]
    assert "Security board" in names
    types = [t.key for t in internal_meeting_types(demo)]
    assert types == ["standards_committee", "service_delivery"]
    create_rhythm(
        demo,
        meeting_type_key="standards_committee",
        rule="FREQ=MONTHLY;BYDAY=1TH",
        anchor=AS_OF,
        tolerance_days=3,
        internal_body_id=body_id,
        owner_id=owner.id,
    )
    rows = [r for r in body_rows(demo, AS_OF) if r.body_id == body_id]
    assert len(rows) == 1
    assert rows[0].owner == owner.name
    assert rows[0].region == "DE"
    assert rows[0].tolerance_days == 3
    assert "1st Thursday" in rows[0].rhythm
    assert [r.subject for r in list_rhythms(demo, internal_body_id=body_id)] == ["Security board"]


def test_template_words_are_plain() -> None:
    assert template_words("FREQ=YEARLY") == "Yearly"
    assert template_words("FREQ=MONTHLY;INTERVAL=2") == "Every 2 months"
    assert template_words("FREQ=NEVER").startswith("Unreadable rule")
