"""Import clients from a CSV file: upsert by external id, in one transaction, with a report.

Rules
    * A row with an external id updates the client with that id; if there is none, a
      client of exactly the same name *without* an external id is adopted (it gets the
      id), otherwise the client is added. A row without an external id updates the
      client of exactly that name, or adds one. A row whose name belongs to another
      client, or that would touch a client an earlier row already touched, is refused.
    * An empty cell never erases: the existing value (or the default) stays.
    * vCIO, TAM and account manager are matched to staff by name, ignoring case. An
      unknown name creates that person with the role (listed in the report); a known
      person lacking the role gets it (also listed).
    * A new client gets its tier's rhythms from the workspace's tier templates, anchored
      on the first weekday on or after ``as_of`` that is not past the 28th (so monthly
      rules never skip short months), all in the import's transaction. An existing
      client whose tier changes keeps its rhythms: the report says to use "Change tier…"
      so that a person decides how to re-version them.
    * Everything is written in one transaction: refused rows are reported and skipped,
      and any unexpected failure (or a cancel through ``progress``) writes nothing.
      ``dry_run=True`` computes the same report and writes nothing (it works on a
      read-only store).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from vcio_desk.domain.errors import ValidationError, WorkspaceError
from vcio_desk.domain.recurrence import validate
from vcio_desk.interop.csv_clients import (
    DELIMITER_NAMES,
    ClientRecord,
    ParsedFile,
    RowProblem,
    parse_clients,
)
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .client_import_report import ImportReport, RowOutcome, as_text
from .rhythms import tier_templates
from .seed import install_meeting_types

ProgressFn = Callable[[int, int, str], None]

__all__ = ["ImportReport", "RowOutcome", "as_text", "import_clients"]

ROLE_COLUMNS = {"vcio": "vcio_id", "tam": "tam_id", "account_manager": "account_manager_id"}
ROLE_FLAGS = {"vcio": "is_vcio", "tam": "is_tam", "account_manager": "is_account_manager"}
ROLE_NAMES = {"vcio": "vCIO", "tam": "TAM", "account_manager": "account manager"}
CLIENT_FIELDS = (
    "name",
    "external_id",
    "tier",
    "country",
    "subdivision",
    "timezone",
    "fiscal_year_start_month",
    "active",
    "notes",
)
FIELD_NAMES = {
    "name": "name",
    "external_id": "external id",
    "tier": "tier",
    "country": "country",
    "subdivision": "region",
    "timezone": "time zone",
    "fiscal_year_start_month": "fiscal year start",
    "active": "active",
    "notes": "notes",
    "vcio_id": "vCIO",
    "tam_id": "TAM",
    "account_manager_id": "account manager",
}
DEFAULTS: dict[str, Any] = {
    "tier": "B",
    "country": None,
    "subdivision": None,
    "timezone": "UTC",
    "fiscal_year_start_month": 1,
    "active": True,
    "notes": "",
}
TIER_CHANGE_HINT = "use Change tier… on the client to re-version its rhythms"
_PROGRESS_EVERY = 5000
_CHUNK = 10_000


# -- planning ------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Staff:
    name: str
    id: int | None
    roles: set[str]
    new_roles: set[str] = field(default_factory=set)
    created: bool = False


@dataclass
class _Existing:
    id: int
    values: dict[str, Any]
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class _Plan:
    staff: dict[str, _Staff]
    new: list[tuple[ClientRecord, dict[str, Any], dict[str, _Staff]]] = field(default_factory=list)
    updates: list[tuple[_Existing, dict[str, Any], dict[str, _Staff]]] = field(default_factory=list)
    new_contacts: list[tuple[ClientRecord, _Existing | None]] = field(default_factory=list)
    changed_contacts: list[dict[str, Any]] = field(default_factory=list)
    outcomes: dict[int, RowOutcome] = field(default_factory=dict)
    refused: list[RowProblem] = field(default_factory=list)
    tier_changes: int = 0


def _load(session: Session, with_contacts: bool) -> tuple[list[_Existing], dict[str, _Staff]]:
    names = [*CLIENT_FIELDS, *ROLE_COLUMNS.values()]
    columns = [getattr(m.Client, c) for c in names]
    clients = []
    for client_id, *row in session.execute(select(m.Client.id, *columns)).tuples():
        values = dict(zip(names, row, strict=True))
        values["tier"] = str(values["tier"])
        clients.append(_Existing(client_id, values))
    if with_contacts and clients:
        by_id = {c.id: c for c in clients}
        keys = ("id", "client_id", "name", "title", "email", "phone")
        query = select(*(getattr(m.Contact, k) for k in keys))
        for contact in session.execute(query).tuples():
            owner = by_id.get(contact[1])
            if owner is not None:
                owner.contacts.setdefault(
                    contact[2].casefold(), dict(zip(keys, contact, strict=True))
                )
    staff: dict[str, _Staff] = {}
    flags = [getattr(m.Staff, f) for f in ROLE_FLAGS.values()]
    for row in session.execute(select(m.Staff.id, m.Staff.name, *flags)):
        roles = {role for role, flag in zip(ROLE_FLAGS, row[2:], strict=True) if flag}
        staff.setdefault(row.name.casefold(), _Staff(row.name, row.id, roles))
    return clients, staff


def _staff_for(plan: _Plan, record: ClientRecord) -> dict[str, _Staff]:
    chosen = {}
    for role in ROLE_COLUMNS:
        name = getattr(record, role)
        if name is None:
            continue
        person = plan.staff.get(name.casefold())
        if person is None:
            person = plan.staff[name.casefold()] = _Staff(name, None, {role}, created=True)
        elif role not in person.roles:
            person.roles.add(role)
            if not person.created:
                person.new_roles.add(role)
        chosen[ROLE_COLUMNS[role]] = person
    return chosen


def _given(record: ClientRecord) -> dict[str, Any]:
    return {c: v for c in CLIENT_FIELDS if (v := getattr(record, c)) is not None}


def _describe(column: str, old: Any, new: Any) -> str:
    if column == "notes":
        return "notes"
    return f"{FIELD_NAMES[column]} {old if old is not None else '—'} → {new}"


def _contact_change(record: ClientRecord, existing: _Existing) -> tuple[str, dict | None]:
    """("", None) when nothing changes, ("add", None) or ("update", new values)."""
    contact = record.contact
    if contact is None:
        return "", None
    current = existing.contacts.get(contact.name.casefold())
    if current is None:
        return "add", None
    wanted = {
        k: v
        for k, v in (("title", contact.title), ("email", contact.email), ("phone", contact.phone))
        if v is not None and current[k] != v
    }
    if not wanted:
        return "", None
    return "update", {**current, **wanted}


def _plan(session: Session, parsed: ParsedFile, progress: ProgressFn) -> _Plan:
    with_contacts = any(r.contact is not None for r in parsed.records)
    clients, staff = _load(session, with_contacts)
    by_external = {c.values["external_id"]: c for c in clients if c.values["external_id"]}
    by_name = {c.values["name"]: c for c in clients}
    plan = _Plan(staff)
    touched: dict[int, int] = {}
    total = len(parsed.records)

    def refuse(record: ClientRecord, message: str) -> None:
        plan.refused.append(RowProblem(record.line_number, message, record.name))

    for done, record in enumerate(parsed.records):
        if done % _PROGRESS_EVERY == 0:
            progress(done, total, "Checking the rows against the workspace")
        existing = by_external.get(record.external_id) if record.external_id else None
        named = by_name.get(record.name)
        if existing is None and named is not None:
            if record.external_id and named.values["external_id"]:
                refuse(
                    record,
                    f"A client named {record.name!r} already exists with another external id "
                    f"({named.values['external_id']!r}).",
                )
                continue
            existing = named
        if existing is not None and named is not None and named is not existing:
            refuse(record, f"Another client is already called {record.name!r}.")
            continue
        if existing is not None and existing.id in touched:
            refuse(record, f"This client was already imported from line {touched[existing.id]}.")
            continue
        people = _staff_for(plan, record)
        if existing is None:
            values = {**DEFAULTS, **_given(record)}
            plan.new.append((record, values, people))
            if record.contact is not None:
                plan.new_contacts.append((record, None))
            plan.outcomes[record.line_number] = RowOutcome(
                record.line_number, record.name, "added", f"tier {values['tier']}"
            )
            continue
        touched[existing.id] = record.line_number
        changes = {c: v for c, v in _given(record).items() if existing.values[c] != v}
        changes.update({c: p for c, p in people.items() if p.created or p.id != existing.values[c]})
        notes = [
            _describe(c, existing.values[c], v) for c, v in changes.items() if c in CLIENT_FIELDS
        ]
        notes += [f"{FIELD_NAMES[c]} {p.name}" for c, p in changes.items() if c in people]
        contact_action, contact_values = _contact_change(record, existing)
        if contact_action == "add":
            plan.new_contacts.append((record, existing))
            notes.append(f"contact {record.contact.name} added")  # type: ignore[union-attr]
        elif contact_action == "update":
            plan.changed_contacts.append(contact_values)  # type: ignore[arg-type]
            notes.append(f"contact {record.contact.name} updated")  # type: ignore[union-attr]
        if "tier" in changes:
            plan.tier_changes += 1
            notes.append(TIER_CHANGE_HINT)
        if changes:
            plan.updates.append((existing, changes, people))
        action = "updated" if changes or contact_action else "unchanged"
        plan.outcomes[record.line_number] = RowOutcome(
            record.line_number, record.name, action, "; ".join(notes)
        )
    return plan


# -- writing -------------------------------------------------------------------------------------


def _anchor(as_of: dt.date) -> dt.date:
    """The first weekday on or after ``as_of`` whose day of the month is at most 28."""
    day = as_of
    while day.weekday() >= 5 or day.day > 28:
        day += dt.timedelta(days=1)
    return day


def _meeting_types(session: Session) -> dict[str, int]:
    return {
        key: type_id
        for key, type_id in session.execute(select(m.MeetingType.key, m.MeetingType.id))
    }


def _rhythm_specs(
    session: Session, templates: dict[str, Any], tiers: set[str], anchor: dt.date, write: bool
) -> dict[str, list[tuple[int | None, str, int]]]:
    """tier -> [(meeting type id, normalised rule, tolerance)], validated once per template."""
    type_ids = _meeting_types(session)
    if not type_ids and write:
        install_meeting_types(session)
        type_ids = _meeting_types(session)
    specs = {}
    for tier in sorted(tiers):
        try:
            entries = templates["tiers"][tier]
        except KeyError:
            raise ValidationError(
                f"The tier rhythm templates have nothing for tier {tier}."
            ) from None
        specs[tier] = []
        for entry in entries:
            key = entry["meeting_type"]
            if key not in type_ids and (type_ids or write):
                raise ValidationError(
                    f"The tier {tier} template needs the meeting type {key!r}, which this "
                    "workspace does not have; nothing was imported."
                )
            rule = validate(entry["rrule"], anchor, entry["tolerance_days"])
            specs[tier].append((type_ids.get(key), rule, entry["tolerance_days"]))
    return specs


def _insert_staff(session: Session, plan: _Plan) -> None:
    new = [p for p in plan.staff.values() if p.created]
    if new:
        rows = [{"name": p.name, **{ROLE_FLAGS[r]: True for r in p.roles}} for p in new]
        keys = {k for row in rows for k in row}
        rows = [{k: row.get(k, False) for k in keys} for row in rows]
        ids = session.execute(
            insert(m.Staff).returning(m.Staff.id, sort_by_parameter_order=True), rows
        ).scalars()
        for person, staff_id in zip(new, ids, strict=True):
            person.id = staff_id
    for person in plan.staff.values():
        if person.new_roles:
            session.execute(
                update(m.Staff)
                .where(m.Staff.id == person.id)
                .values({ROLE_FLAGS[r]: True for r in person.new_roles})
            )


class _Writer:
    """Executemany in chunks, reporting progress (and so letting a cancel stop the work)."""

    def __init__(self, session: Session, progress: ProgressFn, total: int) -> None:
        self.session = session
        self.progress = progress
        self.total = max(total, 1)
        self.done = 0

    def bulk(self, statement: Any, rows: list[dict[str, Any]]) -> None:
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            self.session.execute(statement, chunk)
            self.done += len(chunk)
            self.progress(min(self.done, self.total), self.total, "Writing to the workspace")


def _max_id(session: Session, column: Any) -> int:
    return session.scalar(select(func.max(column))) or 0


def _insert_clients(writer: _Writer, plan: _Plan) -> dict[int, int]:
    """Insert the new clients; line number -> new client id.

    A plain executemany (RETURNING would send one statement per row on SQLite); the ids
    are read back by name (unique) among the rows past the previous highest id.
    """
    if not plan.new:
        return {}
    rows = [
        {**values, **{c: p.id for c, p in people.items()}} for _record, values, people in plan.new
    ]
    keys = {k for row in rows for k in row}
    rows = [{k: row.get(k) for k in keys} for row in rows]
    before = _max_id(writer.session, m.Client.id)
    writer.bulk(insert(m.Client.__table__), rows)
    query = select(m.Client.name, m.Client.id).where(m.Client.id > before)
    ids = {name: client_id for name, client_id in writer.session.execute(query)}
    return {record.line_number: ids[record.name] for record, _values, _people in plan.new}


def _update_clients(writer: _Writer, plan: _Plan) -> None:
    if not plan.updates:
        return
    table = m.Client.__table__
    columns = [*CLIENT_FIELDS, *ROLE_COLUMNS.values()]
    rows = []
    for existing, changes, _people in plan.updates:
        merged = {**existing.values, **changes}
        row = {f"p_{c}": merged[c] for c in columns}
        for column, value in changes.items():
            if isinstance(value, _Staff):
                row[f"p_{column}"] = value.id
        row["p_id"] = existing.id
        rows.append(row)
    statement = (
        update(table)
        .where(table.c.id == bindparam("p_id"))
        .values(
            {c: bindparam(f"p_{c}") for c in columns} | {"row_version": table.c.row_version + 1}
        )
    )
    writer.bulk(statement, rows)


def _write_contacts(writer: _Writer, plan: _Plan, new_ids: dict[int, int]) -> None:
    rows = []
    for record, existing in plan.new_contacts:
        contact = record.contact
        assert contact is not None
        rows.append(
            {
                "client_id": existing.id if existing else new_ids[record.line_number],
                "name": contact.name,
                "title": contact.title or "",
                "email": contact.email,
                "phone": contact.phone,
            }
        )
    writer.bulk(insert(m.Contact.__table__), rows)
    if plan.changed_contacts:
        table = m.Contact.__table__
        writer.bulk(
            update(table)
            .where(table.c.id == bindparam("p_id"))
            .values(
                title=bindparam("p_title"), email=bindparam("p_email"), phone=bindparam("p_phone")
            ),
            [
                {
                    "p_id": c["id"],
                    "p_title": c["title"],
                    "p_email": c["email"],
                    "p_phone": c["phone"],
                }
                for c in plan.changed_contacts
            ],
        )


def _insert_rhythms(
    writer: _Writer,
    plan: _Plan,
    new_ids: dict[int, int],
    specs: dict[str, list[tuple[int | None, str, int]]],
    anchor: dt.date,
    author: str,
) -> int:
    rhythms, versions = [], []
    for record, values, _people in plan.new:
        for type_id, rule, tolerance in specs[values["tier"]]:
            rhythms.append(
                {
                    "client_id": new_ids[record.line_number],
                    "internal_body_id": None,
                    "meeting_type_id": type_id,
                    "owner_id": None,
                    "active": values["active"],
                }
            )
            versions.append(
                {
                    "rrule": rule,
                    "anchor_date": anchor,
                    "tolerance_days": tolerance,
                    "effective_from": anchor,
                    "reason": f"Tier {values['tier']} template (client import)",
                    "author": author,
                }
            )
    if not rhythms:
        return 0
    before = _max_id(writer.session, m.Rhythm.id)
    writer.bulk(insert(m.Rhythm.__table__), rhythms)
    query = select(m.Rhythm.client_id, m.Rhythm.meeting_type_id, m.Rhythm.id).where(
        m.Rhythm.id > before
    )
    ids = {
        (client_id, type_id): rhythm_id
        for client_id, type_id, rhythm_id in writer.session.execute(query)
    }
    for rhythm, version in zip(rhythms, versions, strict=True):
        version["rhythm_id"] = ids[rhythm["client_id"], rhythm["meeting_type_id"]]
    writer.bulk(insert(m.RhythmVersion.__table__), versions)
    return len(rhythms)


def _write(
    session: Session,
    plan: _Plan,
    specs: dict[str, list[tuple[int | None, str, int]]],
    anchor: dt.date,
    author: str,
    progress: ProgressFn,
) -> int:
    rhythms = sum(len(specs[values["tier"]]) for _r, values, _p in plan.new)
    total = len(plan.new) + len(plan.updates) + len(plan.new_contacts) + 2 * rhythms
    writer = _Writer(session, progress, total + len(plan.changed_contacts))
    progress(0, writer.total, "Writing to the workspace")
    _insert_staff(session, plan)
    new_ids = _insert_clients(writer, plan)
    _update_clients(writer, plan)
    _write_contacts(writer, plan, new_ids)
    return _insert_rhythms(writer, plan, new_ids, specs, anchor, author)


# -- the use case --------------------------------------------------------------------------------


def import_clients(
    store: Store,
    data: bytes,
    *,
    preset: str = "generic",
    mapping: Mapping[str, str | None] | None = None,
    dry_run: bool = False,
    as_of: dt.date,
    author: str = "",
    progress: ProgressFn | None = None,
) -> ImportReport:
    """Import the client list in ``data`` (CSV bytes); see the module docstring for the rules.

    Raises ``CsvFileError`` (a ValidationError) for a file that cannot be imported at all.
    """
    report_progress: ProgressFn = progress or (lambda _done, _total, _label: None)
    if store.read_only and not dry_run:
        raise WorkspaceError("This workspace is open read-only; nothing was imported.")
    report_progress(0, 1, "Reading the file")
    parsed = parse_clients(data, preset=preset, mapping=mapping)
    templates = tier_templates(store)
    anchor = _anchor(as_of)
    rhythms = 0
    if dry_run:
        with store.session() as session:
            plan = _plan(session, parsed, report_progress)
            specs = _rhythm_specs(session, templates, _tiers(plan), anchor, write=False)
            rhythms = sum(len(specs[values["tier"]]) for _r, values, _p in plan.new)
    else:
        try:
            with store.transaction() as session:
                plan = _plan(session, parsed, report_progress)
                specs = _rhythm_specs(session, templates, _tiers(plan), anchor, write=True)
                rhythms = _write(session, plan, specs, anchor, author, report_progress)
        except IntegrityError as exc:
            raise ValidationError(
                "The import conflicts with data in the workspace "
                f"({' '.join(str(exc.orig).split())}); nothing was imported."
            ) from exc
    report_progress(1, 1, "Done")
    return _report(parsed, plan, preset, dry_run, rhythms)


def _tiers(plan: _Plan) -> set[str]:
    return {values["tier"] for _r, values, _p in plan.new}


def _report(
    parsed: ParsedFile, plan: _Plan, preset: str, dry_run: bool, rhythms: int
) -> ImportReport:
    refused = sorted([*parsed.problems, *plan.refused], key=lambda p: p.line_number)
    outcomes = dict(plan.outcomes)
    for problem in refused:
        outcomes[problem.line_number] = RowOutcome(
            problem.line_number, problem.name, "refused", problem.message
        )
    ordered = [outcomes[line] for line in sorted(outcomes)]
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for outcome in ordered:
        if outcome.action in counts:
            counts[outcome.action] += 1
    layout = parsed.layout
    warnings = [f"Read as {layout.encoding} text, {layout.delimiter_name}-separated."]
    warnings += list(layout.warnings)
    created = [p for p in plan.staff.values() if p.created]
    if created:
        warnings.append(
            "New staff: "
            + ", ".join(
                f"{p.name} ({', '.join(ROLE_NAMES[r] for r in sorted(p.roles))})" for p in created
            )
            + "."
        )
    for person in plan.staff.values():
        if person.new_roles:
            roles = " and ".join(ROLE_NAMES[r] for r in sorted(person.new_roles))
            warnings.append(f"{person.name} is now also a {roles}.")
    if plan.tier_changes:
        warnings.append(
            f"{plan.tier_changes} existing client(s) changed tier; their rhythms were kept: "
            f"{TIER_CHANGE_HINT}."
        )
    return ImportReport(
        dry_run=dry_run,
        preset=preset,
        encoding=layout.encoding,
        delimiter=DELIMITER_NAMES.get(layout.delimiter, layout.delimiter),
        added=counts["added"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        refused=refused,
        warnings=warnings,
        outcomes=ordered,
        staff_created=[p.name for p in created],
        rhythms_created=rhythms,
    )
