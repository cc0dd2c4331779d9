"""Rhythms: create, re-version (never edit history), tier templates, internal bodies.

Every change to a rhythm is a new version with an ``effective_from`` and a reason;
past slots keep the version that was in force then (PRODUCT.md §3.1). Each new version
moves the rhythm's ``row_version`` on: a caller that read version *n* passes
``expected_version=n`` and gets :class:`RhythmChangedError` if someone else changed the
rhythm meanwhile (two people on a team workspace), instead of stacking a second version
on one it never saw.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vcio_desk import assets
from vcio_desk.domain.errors import ValidationError, VcioDeskError
from vcio_desk.domain.presets import describe
from vcio_desk.domain.recurrence import occurrences, validate
from vcio_desk.domain.vocab import BodyKind, Tier
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .holiday_calendar import check_region
from .settings import read_settings

BODY_NAME_MAX = 200
"""The column's length: a server (PostgreSQL) refuses longer text, SQLite would keep it."""


class RhythmChangedError(VcioDeskError):
    """The rhythm got a new version elsewhere since it was read: reload it, then decide."""


CHANGED_ELSEWHERE = (
    "This rhythm was changed elsewhere (in another window or by someone else) after you "
    "opened it. Reload it to see the new version; what you entered here is kept."
)


@dataclass(frozen=True)
class VersionView:
    id: int
    rule: str
    description: str
    anchor: dt.date
    tolerance_days: int
    effective_from: dt.date
    reason: str
    author: str


@dataclass(frozen=True)
class RhythmView:
    id: int
    subject_kind: str
    subject_id: int
    subject: str
    meeting_type_key: str
    meeting_type: str
    owner_id: int | None
    active: bool
    versions: tuple[VersionView, ...]
    row_version: int = 1
    """Pass it back as ``expected_version`` when adding a version (conflict detection)."""

    def current(self, as_of: dt.date) -> VersionView | None:
        """The version in force on ``as_of`` (the first one if none has started yet)."""
        started = [v for v in self.versions if v.effective_from <= as_of]
        return started[-1] if started else (self.versions[0] if self.versions else None)


@dataclass(frozen=True)
class TierProposal:
    """A new version (or a new rhythm) that a tier change would bring."""

    rhythm_id: int | None
    meeting_type_key: str
    rule: str
    anchor: dt.date
    tolerance_days: int
    effective_from: dt.date
    description: str


def check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(
            f"{name!r} is not a known time zone; use an IANA name such as America/New_York."
        ) from exc


def _type_id(session: Session, key: str) -> int:
    type_id = session.scalar(select(m.MeetingType.id).where(m.MeetingType.key == key))
    if type_id is None:
        raise ValidationError(f"There is no meeting type {key!r} in this workspace.")
    return type_id


def _add_version(
    session: Session,
    rhythm_id: int,
    rule: str,
    anchor: dt.date,
    tolerance_days: int,
    effective_from: dt.date,
    reason: str,
    author: str,
) -> int:
    normalised = validate(rule, anchor, tolerance_days)
    return session.execute(
        insert(m.RhythmVersion)
        .values(
            rhythm_id=rhythm_id,
            rrule=normalised,
            anchor_date=anchor,
            tolerance_days=tolerance_days,
            effective_from=effective_from,
            reason=reason.strip(),
            author=author,
        )
        .returning(m.RhythmVersion.id)
    ).scalar_one()


def create_rhythm(
    store: Store,
    *,
    meeting_type_key: str,
    rule: str,
    anchor: dt.date,
    tolerance_days: int,
    client_id: int | None = None,
    internal_body_id: int | None = None,
    owner_id: int | None = None,
    reason: str = "New rhythm",
    author: str = "",
) -> int:
    """A rhythm with its first version, effective from its anchor."""
    with store.transaction() as session:
        return _create_rhythm(
            session,
            meeting_type_key,
            rule,
            anchor,
            tolerance_days,
            client_id,
            internal_body_id,
            owner_id,
            reason,
            author,
        )


def _create_rhythm(
    session: Session,
    meeting_type_key: str,
    rule: str,
    anchor: dt.date,
    tolerance_days: int,
    client_id: int | None,
    internal_body_id: int | None,
    owner_id: int | None,
    reason: str,
    author: str,
) -> int:
    if (client_id is None) == (internal_body_id is None):
        raise ValidationError("A rhythm belongs to exactly one client or internal body.")
    validate(rule, anchor, tolerance_days)
    type_id = _type_id(session, meeting_type_key)
    if client_id is not None:
        same_subject = m.Rhythm.client_id == client_id
    else:
        same_subject = m.Rhythm.internal_body_id == internal_body_id
    if session.scalar(select(m.Rhythm.id).where(same_subject, m.Rhythm.meeting_type_id == type_id)):
        raise ValidationError(
            "This subject already has a rhythm for that meeting type; "
            "add a new version to it instead."
        )
    try:
        with session.begin_nested():
            rhythm_id = session.execute(
                insert(m.Rhythm)
                .values(
                    client_id=client_id,
                    internal_body_id=internal_body_id,
                    meeting_type_id=type_id,
                    owner_id=owner_id,
                )
                .returning(m.Rhythm.id)
            ).scalar_one()
    except IntegrityError as exc:
        raise ValidationError("The client or internal body no longer exists.") from exc
    _add_version(session, rhythm_id, rule, anchor, tolerance_days, anchor, reason, author)
    return rhythm_id


def add_version(
    store: Store,
    rhythm_id: int,
    *,
    rule: str,
    anchor: dt.date,
    tolerance_days: int,
    effective_from: dt.date,
    reason: str,
    author: str = "",
    expected_version: int | None = None,
) -> int:
    """Re-evaluate a rhythm: a new version from ``effective_from``, with a required reason.

    ``expected_version``: the ``row_version`` the caller read; if the rhythm moved on
    since, :class:`RhythmChangedError` and nothing is written.
    """
    with store.transaction() as session:
        return _new_version(
            session,
            rhythm_id,
            rule,
            anchor,
            tolerance_days,
            effective_from,
            reason,
            author,
            expected_version,
        )


def _new_version(
    session: Session,
    rhythm_id: int,
    rule: str,
    anchor: dt.date,
    tolerance_days: int,
    effective_from: dt.date,
    reason: str,
    author: str,
    expected_version: int | None = None,
) -> int:
    if not reason.strip():
        raise ValidationError("Say why the rhythm changes: a new version needs a reason.")
    # The version moves on first: on a server a second writer waits for this row's lock,
    # then finds the version it expected gone (a conflict, not a silent second version).
    bump = update(m.Rhythm).where(m.Rhythm.id == rhythm_id)
    if expected_version is not None:
        bump = bump.where(m.Rhythm.row_version == expected_version)
    moved = session.execute(bump.values(row_version=m.Rhythm.row_version + 1)).rowcount
    if not moved:
        if session.scalar(select(m.Rhythm.id).where(m.Rhythm.id == rhythm_id)) is None:
            raise ValidationError(f"Rhythm {rhythm_id} no longer exists.")
        raise RhythmChangedError(CHANGED_ELSEWHERE)
    latest = session.scalar(
        select(m.RhythmVersion.effective_from)
        .where(m.RhythmVersion.rhythm_id == rhythm_id)
        .order_by(m.RhythmVersion.effective_from.desc())
        .limit(1)
    )
    if latest is None:
        raise ValidationError(f"Rhythm {rhythm_id} no longer exists.")
    if effective_from <= latest:
        raise ValidationError(
            f"A new version must take effect after the current one ({latest.isoformat()}); "
            "history is never rewritten."
        )
    return _add_version(
        session, rhythm_id, rule, anchor, tolerance_days, effective_from, reason, author
    )


def list_rhythms(
    store: Store,
    *,
    client_id: int | None = None,
    internal_body_id: int | None = None,
    rhythm_id: int | None = None,
) -> list[RhythmView]:
    query = (
        select(
            m.Rhythm.id,
            m.Rhythm.row_version,
            m.Rhythm.client_id,
            m.Rhythm.internal_body_id,
            m.Rhythm.owner_id,
            m.Rhythm.active,
            m.MeetingType.key,
            m.MeetingType.name,
            m.Client.name.label("client"),
            m.InternalBody.name.label("body"),
        )
        .join(m.MeetingType, m.MeetingType.id == m.Rhythm.meeting_type_id)
        .outerjoin(m.Client, m.Client.id == m.Rhythm.client_id)
        .outerjoin(m.InternalBody, m.InternalBody.id == m.Rhythm.internal_body_id)
        .order_by(m.Rhythm.id)
    )
    if client_id is not None:
        query = query.where(m.Rhythm.client_id == client_id)
    if internal_body_id is not None:
        query = query.where(m.Rhythm.internal_body_id == internal_body_id)
    if rhythm_id is not None:
        query = query.where(m.Rhythm.id == rhythm_id)
    with store.session() as session:
        rows = session.execute(query).all()
        ids = [row.id for row in rows]
        versions: dict[int, list[VersionView]] = {}
        for v in session.execute(
            select(m.RhythmVersion)
            .where(m.RhythmVersion.rhythm_id.in_(ids))
            .order_by(m.RhythmVersion.effective_from, m.RhythmVersion.id)
        ).scalars():
            versions.setdefault(v.rhythm_id, []).append(
                VersionView(
                    v.id,
                    v.rrule,
                    describe(v.rrule, v.anchor_date),
                    v.anchor_date,
                    v.tolerance_days,
                    v.effective_from,
                    v.reason,
                    v.author,
                )
            )
    return [
        RhythmView(
            id=row.id,
            subject_kind="client" if row.client_id else "internal",
            subject_id=row.client_id or row.internal_body_id,
            subject=row.client or row.body,
            meeting_type_key=row.key,
            meeting_type=row.name,
            owner_id=row.owner_id,
            active=row.active,
            versions=tuple(versions.get(row.id, [])),
            row_version=row.row_version,
        )
        for row in rows
    ]


def get_rhythm(store: Store, rhythm_id: int) -> RhythmView:
    """One rhythm as it is now (say, to reload it after :class:`RhythmChangedError`)."""
    found = list_rhythms(store, rhythm_id=rhythm_id)
    if not found:
        raise ValidationError("This rhythm no longer exists; it was removed elsewhere.")
    return found[0]


def tier_templates(store: Store) -> dict[str, Any]:
    """The tier rhythm templates: the workspace's edited copy, else the bundled defaults."""
    templates = read_settings(store).get("tier_rhythms")
    return templates if templates else assets.template("tier_rhythms")


def tier_proposals(
    store: Store, client_id: int, tier: str, effective_from: dt.date
) -> list[TierProposal]:
    """What giving ``client_id`` the tier ``tier`` would create or re-version."""
    if tier not in {t.value for t in Tier}:
        raise ValidationError(f"Unknown tier {tier!r}; use A, B or C.")
    existing = {r.meeting_type_key: r for r in list_rhythms(store, client_id=client_id)}
    proposals = []
    for template in tier_templates(store)["tiers"][tier]:
        key = template["meeting_type"]
        rhythm = existing.get(key)
        current = rhythm.current(effective_from) if rhythm else None
        if current and (current.rule, current.tolerance_days) == (
            template["rrule"],
            template["tolerance_days"],
        ):
            continue
        anchor = effective_from
        if current is not None:
            # Keep the client's phase: count the new rule from the old rule's latest slot.
            recent = occurrences(
                current.rule,
                current.anchor,
                effective_from - dt.timedelta(days=400),
                effective_from + dt.timedelta(days=1),
            )
            anchor = recent[-1] if recent else effective_from
        proposals.append(
            TierProposal(
                rhythm_id=rhythm.id if rhythm else None,
                meeting_type_key=key,
                rule=template["rrule"],
                anchor=anchor,
                tolerance_days=template["tolerance_days"],
                effective_from=effective_from,
                description=describe(template["rrule"], anchor),
            )
        )
    return proposals


def set_client_tier(
    store: Store,
    client_id: int,
    tier: str,
    *,
    effective_from: dt.date,
    author: str = "",
    apply_rhythms: bool = True,
) -> list[TierProposal]:
    """Change the tier; with ``apply_rhythms`` create or re-version rhythms from the template."""
    proposals = tier_proposals(store, client_id, tier, effective_from)
    reason = f"Tier {tier} template"
    with store.transaction() as session:
        session.execute(update(m.Client).where(m.Client.id == client_id).values(tier=tier))
        if apply_rhythms:
            for p in proposals:
                if p.rhythm_id is None:
                    _create_rhythm(
                        session,
                        p.meeting_type_key,
                        p.rule,
                        p.anchor,
                        p.tolerance_days,
                        client_id,
                        None,
                        None,
                        reason,
                        author,
                    )
                else:
                    _new_version(
                        session,
                        p.rhythm_id,
                        p.rule,
                        p.anchor,
                        p.tolerance_days,
                        p.effective_from,
                        reason,
                        author,
                    )
    return proposals


def create_internal_body(
    store: Store,
    *,
    name: str,
    kind: BodyKind = BodyKind.OTHER,
    owner_id: int | None,
    timezone: str,
    country: str | None,
    subdivision: str | None = None,
) -> int:
    """An internal forum (committee, delivery meeting...) that can carry its own rhythm."""
    if not name.strip():
        raise ValidationError("An internal body needs a name.")
    if len(name.strip()) > BODY_NAME_MAX:
        raise ValidationError(
            f"An internal body's name has at most {BODY_NAME_MAX} characters "
            f"(this one has {len(name.strip())})."
        )
    check_timezone(timezone)
    if country:
        check_region(country, subdivision)
    with store.transaction() as session:
        if session.scalar(select(m.InternalBody.id).where(m.InternalBody.name == name.strip())):
            raise ValidationError(f"There is already an internal body called {name.strip()!r}.")
        return session.execute(
            insert(m.InternalBody)
            .values(
                name=name.strip(),
                kind=kind,
                owner_id=owner_id,
                timezone=timezone,
                country=country.upper() if country else None,
                subdivision=subdivision,
            )
            .returning(m.InternalBody.id)
        ).scalar_one()
