"""The Settings page's data: workspace settings, tier templates and internal bodies.

Every save validates first and raises a ValidationError (with a ``user_message``)
before anything is written, so a refused value leaves the workspace as it was.
Tier templates are edited as a whole copy of the ``tier_rhythms`` setting; changing
them never touches existing client rhythms (they apply when a client is given a tier).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from vcio_desk import assets
from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.presets import describe
from vcio_desk.domain.recurrence import validate
from vcio_desk.domain.vocab import MeetingKind, Tier
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .holiday_calendar import check_region
from .rhythms import list_rhythms, tier_templates
from .settings import read_settings

PAPER_SIZES = ("A4", "Letter")
MAX_LEAD_DAYS = 90
MAX_NAME_LENGTH = 200


# -- workspace ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkspaceValues:
    """The workspace section of Settings, as a person edits it."""

    msp_name: str
    paper_size: str
    lead_days: int
    holidays_country: str | None
    holidays_subdivision: str | None
    current_user_staff_id: int | None
    msp_fiscal_year_start_month: int = 1
    """The MSP's own fiscal year (its improvement register's roadmap)."""
    currency_symbol: str = ""
    """Shown with costs in the roadmap, budget and packs ("$", "€", "CHF"; empty: none)."""


MAX_CURRENCY_LENGTH = 5


@dataclass(frozen=True)
class StaffOption:
    id: int
    name: str


def read_workspace(store: Store) -> WorkspaceValues:
    settings = read_settings(store)
    lead = settings.get("lead_days")
    staff_id = settings.get("current_user_staff_id")
    paper = str(settings.get("paper_size") or "A4")
    month = settings.get("msp_fiscal_year_start_month")
    return WorkspaceValues(
        msp_name=str(settings.get("msp_name") or ""),
        paper_size=paper if paper in PAPER_SIZES else "A4",
        lead_days=lead if isinstance(lead, int) else 21,
        holidays_country=settings.get("holidays_country") or None,
        holidays_subdivision=settings.get("holidays_subdivision") or None,
        current_user_staff_id=staff_id if isinstance(staff_id, int) else None,
        msp_fiscal_year_start_month=month if isinstance(month, int) and 1 <= month <= 12 else 1,
        currency_symbol=str(settings.get("currency_symbol") or "")[:MAX_CURRENCY_LENGTH],
    )


def staff_options(store: Store) -> list[StaffOption]:
    """Active staff by name, for "You are" and owners."""
    with store.session() as session:
        rows = session.execute(
            select(m.Staff.id, m.Staff.name).where(m.Staff.active).order_by(m.Staff.name)
        ).all()
    return [StaffOption(row.id, row.name) for row in rows]


def validate_workspace(store: Store, values: WorkspaceValues) -> WorkspaceValues:
    """The values cleaned up (trimmed, country upper-cased); ValidationError if any is wrong."""
    name = values.msp_name.strip()
    if not name:
        raise ValidationError("The MSP name cannot be empty; it appears on every pack.")
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(f"The MSP name is too long (at most {MAX_NAME_LENGTH} characters).")
    if values.paper_size not in PAPER_SIZES:
        raise ValidationError(f"Paper size must be A4 or Letter, not {values.paper_size!r}.")
    if not 0 <= values.lead_days <= MAX_LEAD_DAYS:
        raise ValidationError(f"The lead time must be between 0 and {MAX_LEAD_DAYS} days.")
    country = (values.holidays_country or "").strip().upper() or None
    subdivision = (values.holidays_subdivision or "").strip() or None
    if country is None and subdivision is not None:
        raise ValidationError("A holidays subdivision needs a country too (e.g. US and NY).")
    if country is not None:
        check_region(country, subdivision)
    staff_id = values.current_user_staff_id
    if staff_id is not None:
        with store.session() as session:
            if session.scalar(select(m.Staff.id).where(m.Staff.id == staff_id)) is None:
                raise ValidationError("That staff member no longer exists; pick another.")
    if not 1 <= values.msp_fiscal_year_start_month <= 12:
        raise ValidationError("The fiscal year must start in a month from 1 to 12.")
    currency = values.currency_symbol.strip()
    if len(currency) > MAX_CURRENCY_LENGTH:
        raise ValidationError(
            f"The currency symbol is too long (at most {MAX_CURRENCY_LENGTH} characters)."
        )
    return WorkspaceValues(
        name,
        values.paper_size,
        values.lead_days,
        country,
        subdivision,
        staff_id,
        values.msp_fiscal_year_start_month,
        currency,
    )


def save_workspace(store: Store, values: WorkspaceValues) -> WorkspaceValues:
    """Validate all values, then write them in one transaction; returns what was saved."""
    clean = validate_workspace(store, values)
    _write(
        store,
        {
            "msp_name": clean.msp_name,
            "paper_size": clean.paper_size,
            "lead_days": clean.lead_days,
            "holidays_country": clean.holidays_country,
            "holidays_subdivision": clean.holidays_subdivision,
            "current_user_staff_id": clean.current_user_staff_id,
            "msp_fiscal_year_start_month": clean.msp_fiscal_year_start_month,
            "currency_symbol": clean.currency_symbol,
        },
    )
    return clean


def _write(store: Store, values: dict[str, Any]) -> None:
    with store.transaction() as session:
        for key, value in values.items():
            session.merge(m.Setting(key=key, value=value))


# -- tier templates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TierRow:
    tier: str
    meeting_type_key: str
    meeting_type: str
    rule: str
    tolerance_days: int
    description: str


def default_tier_templates() -> dict[str, Any]:
    """A fresh copy of the bundled template (safe to change)."""
    return copy.deepcopy(assets.template("tier_rhythms"))


def current_tier_templates(store: Store) -> dict[str, Any]:
    """A copy of the workspace's template (safe to change)."""
    return copy.deepcopy(tier_templates(store))


def meeting_type_names(store: Store) -> dict[str, str]:
    with store.session() as session:
        rows = session.execute(select(m.MeetingType.key, m.MeetingType.name)).all()
    return {row.key: row.name for row in rows}


def template_words(rule: str) -> str:
    """A template's rule in plain words (a template has no anchor, so "Yearly" stays plain)."""
    try:
        text = describe(rule)
    except ValidationError:
        return f"Unreadable rule: {rule}"
    if text.startswith("Custom rule") and rule.strip().upper() == "FREQ=YEARLY":
        return "Yearly"
    return text


def tier_rows(template: dict[str, Any], names: dict[str, str]) -> list[TierRow]:
    """One row per tier and meeting type, in tier order, with the rule in plain words."""
    rows = []
    tiers = template.get("tiers", {})
    for tier in sorted(tiers):
        for item in tiers[tier]:
            key = str(item["meeting_type"])
            rule = str(item["rrule"])
            text = template_words(rule)
            rows.append(
                TierRow(tier, key, names.get(key, key), rule, int(item["tolerance_days"]), text)
            )
    return rows


def with_tier_rule(
    template: dict[str, Any],
    tier: str,
    meeting_type_key: str,
    rule: str,
    tolerance_days: int,
    today: dt.date,
) -> dict[str, Any]:
    """A copy of ``template`` with one tier's rule changed (validated from ``today``)."""
    normalised = validate(rule, today, tolerance_days)
    changed = copy.deepcopy(template)
    for item in changed.get("tiers", {}).get(tier, []):
        if item.get("meeting_type") == meeting_type_key:
            item["rrule"] = normalised
            item["tolerance_days"] = tolerance_days
            item["label"] = template_words(normalised)
            return changed
    raise ValidationError(f"Tier {tier} has no template for {meeting_type_key!r}.")


def validate_tier_templates(template: dict[str, Any], today: dt.date) -> None:
    tiers = template.get("tiers") if isinstance(template, dict) else None
    if not isinstance(tiers, dict):
        raise ValidationError("The tier template has no tiers.")
    for tier in Tier:
        if not tiers.get(tier.value):
            raise ValidationError(f"The tier template has nothing for tier {tier.value}.")
    for tier, items in tiers.items():
        for item in items:
            try:
                validate(str(item["rrule"]), today, int(item["tolerance_days"]))
            except (KeyError, TypeError, ValueError) as exc:
                raise ValidationError(f"Tier {tier} has an incomplete rhythm template.") from exc


def save_tier_templates(store: Store, template: dict[str, Any], today: dt.date) -> None:
    """Write the whole template; existing client rhythms are not changed."""
    validate_tier_templates(template, today)
    _write(store, {"tier_rhythms": copy.deepcopy(template)})


def reset_tier_templates(store: Store) -> dict[str, Any]:
    """Restore the bundled template; returns it."""
    template = default_tier_templates()
    _write(store, {"tier_rhythms": template})
    return copy.deepcopy(template)


# -- internal bodies ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BodyRow:
    """One rhythm of an internal body (or the body alone when it has none yet)."""

    body_id: int
    name: str
    kind: str
    owner_id: int | None
    owner: str
    timezone: str
    region: str
    rhythm_id: int | None
    meeting_type: str
    rhythm: str
    tolerance_days: int | None


@dataclass(frozen=True)
class MeetingTypeChoice:
    key: str
    name: str


def internal_bodies(store: Store) -> list[Any]:
    """Core rows of the internal bodies with their owner's name, by name."""
    query = (
        select(
            m.InternalBody.id,
            m.InternalBody.name,
            m.InternalBody.kind,
            m.InternalBody.timezone,
            m.InternalBody.country,
            m.InternalBody.subdivision,
            m.InternalBody.owner_id,
            m.Staff.name.label("owner"),
        )
        .outerjoin(m.Staff, m.Staff.id == m.InternalBody.owner_id)
        .order_by(m.InternalBody.name)
    )
    with store.session() as session:
        return list(session.execute(query).all())


def body_rows(store: Store, as_of: dt.date) -> list[BodyRow]:
    """Every internal body with each of its rhythms as in force on ``as_of``."""
    rhythms: dict[int, list[Any]] = {}
    for rhythm in list_rhythms(store):
        if rhythm.subject_kind == "internal":
            rhythms.setdefault(rhythm.subject_id, []).append(rhythm)
    rows = []
    for body in internal_bodies(store):
        region = "-".join(p for p in (body.country, body.subdivision) if p)
        base = {
            "body_id": body.id,
            "name": body.name,
            "kind": str(body.kind).replace("_", " ").capitalize(),
            "owner_id": body.owner_id,
            "owner": body.owner or "",
            "timezone": body.timezone,
            "region": region,
        }
        own = rhythms.get(body.id, [])
        if not own:
            rows.append(
                BodyRow(**base, rhythm_id=None, meeting_type="", rhythm="", tolerance_days=None)
            )
        for rhythm in own:
            current = rhythm.current(as_of)
            rows.append(
                BodyRow(
                    **base,
                    rhythm_id=rhythm.id,
                    meeting_type=rhythm.meeting_type,
                    rhythm=current.description if current else "",
                    tolerance_days=current.tolerance_days if current else None,
                )
            )
    return rows


def internal_meeting_types(store: Store) -> list[MeetingTypeChoice]:
    """Meeting types meant for internal bodies (all types if the workspace has none)."""
    with store.session() as session:
        rows = session.execute(
            select(m.MeetingType.key, m.MeetingType.name, m.MeetingType.kind).order_by(
                m.MeetingType.id
            )
        ).all()
    internal = [r for r in rows if str(r.kind) == MeetingKind.INTERNAL.value]
    return [MeetingTypeChoice(r.key, r.name) for r in (internal or rows)]


def internal_template(store: Store, meeting_type_key: str | None) -> tuple[str, int] | None:
    """The template's rule and tolerance for an internal meeting type, if it has one."""
    try:
        for item in tier_templates(store).get("internal", []):
            if item["meeting_type"] == meeting_type_key:
                return str(item["rrule"]), int(item["tolerance_days"])
    except (KeyError, TypeError, ValueError):  # an edited template without this part
        pass
    return None
