"""Changing the standards library, one recorded change at a time (``standards_log`` reads them).

Every write to a standard goes through these session-level functions, so each one
leaves a :class:`~vcio_desk.store.models.StandardChange` with who, when, why, the
fields changed (``{field: [old, new]}``) and, when the committee decided it, the
decision. The library page, the import and the committee all build on them.

Field values in the log are JSON-friendly: priority as its word, tiers as a list,
and a standard's category as its readable path ``"Section › Category"``. Section
and category records name their subject under ``section`` / ``category`` even when
that name did not change, so the log can always say what they were about.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from vcio_desk.domain.errors import ValidationError, WorkspaceError
from vcio_desk.domain.vocab import Priority, Tier
from vcio_desk.store import Store
from vcio_desk.store import models as m

CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
CODE_MAX = 30
TEXT_FIELDS = ("question", "why_it_matters", "how_to_align")
EDITABLE = ("code", *TEXT_FIELDS, "priority", "internal_only", "tiers", "category_id")
"""What an edit may change on a standard (archiving is its own action)."""
ALL_TIERS = tuple(t.value for t in Tier)
PATH_SEPARATOR = " › "


def require_writable(store: Store) -> None:
    if store.read_only:
        raise WorkspaceError("The workspace is open read-only; the library cannot be changed.")


def require_reason(reason: str) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise ValidationError("Say why: every change to the library is recorded with a reason.")
    return text


def clean_tiers(value: Any) -> list[str]:
    """A non-empty list of known tiers in tier order (``"A, C"`` and ``["c", "a"]`` work)."""
    items = re.split(r"[\s,;/|]+", value) if isinstance(value, str) else list(value or ())
    wanted = {str(t).strip().upper() for t in items if str(t).strip()}
    unknown = sorted(wanted - set(ALL_TIERS))
    if unknown:
        raise ValidationError(
            f"Unknown tier {', '.join(unknown)}; use {', '.join(ALL_TIERS)} (one or more)."
        )
    if not wanted:
        raise ValidationError("A standard applies to at least one tier.")
    return [t for t in ALL_TIERS if t in wanted]


def clean_code(value: Any) -> str:
    code = str(value or "").strip()
    if not code:
        raise ValidationError("A standard needs a code, such as BKP-010.")
    if len(code) > CODE_MAX or not CODE_PATTERN.fullmatch(code):
        raise ValidationError(
            f"The code {code!r} is not usable: up to {CODE_MAX} letters, digits, dots, "
            "dashes or underscores, starting with a letter or digit."
        )
    return code


def clean_fields(raw: Mapping[str, Any], *, complete: bool) -> dict[str, Any]:
    """Validated, normalised standard fields; ``complete`` asks for everything a new one needs."""
    unknown = sorted(set(raw) - set(EDITABLE))
    if unknown:
        raise ValidationError(f"A standard has no field {', '.join(unknown)}.")
    fields: dict[str, Any] = {}
    for name, value in raw.items():
        if name == "code":
            fields[name] = clean_code(value)
        elif name in TEXT_FIELDS:
            fields[name] = str(value or "").strip()
        elif name == "priority":
            try:
                fields[name] = Priority(str(value).strip().lower()).value
            except ValueError:
                raise ValidationError(
                    f"Priority {value!r} is not one of high, medium, low."
                ) from None
        elif name == "internal_only":
            fields[name] = bool(value)
        elif name == "tiers":
            fields[name] = clean_tiers(value)
        else:
            fields[name] = int(value)
    if "question" in fields and not fields["question"]:
        raise ValidationError("A standard needs its yes/no question.")
    if complete:
        missing = [f for f in ("code", "question", "category_id") if f not in fields]
        if missing:
            raise ValidationError(f"A new standard needs {', '.join(missing)}.")
        fields.setdefault("why_it_matters", "")
        fields.setdefault("how_to_align", "")
        fields.setdefault("priority", Priority.MEDIUM.value)
        fields.setdefault("internal_only", False)
        fields.setdefault("tiers", list(ALL_TIERS))
    return fields


def record(
    session: Session,
    *,
    action: str,
    changes: Mapping[str, list[Any]],
    reason: str,
    author: str,
    standard_id: int | None = None,
    decision_id: int | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Write one change-log entry and return its id."""
    values: dict[str, Any] = {
        "standard_id": standard_id,
        "decision_id": decision_id,
        "author": author,
        "reason": require_reason(reason),
        "action": action,
        "changes": dict(changes),
    }
    if now is not None:
        values["changed_at"] = now
    return session.execute(
        insert(m.StandardChange).values(**values).returning(m.StandardChange.id)
    ).scalar_one()


# -- standards -----------------------------------------------------------------------------------


def category_path(session: Session, category_id: int) -> tuple[str, bool]:
    """``("Section › Category", archived)`` of a category (archived when it or its section is)."""
    row = session.execute(
        select(
            m.StandardSection.name,
            m.StandardCategory.name,
            m.StandardCategory.archived,
            m.StandardSection.archived,
        )
        .join(m.StandardSection, m.StandardSection.id == m.StandardCategory.section_id)
        .where(m.StandardCategory.id == category_id)
    ).one_or_none()
    if row is None:
        raise ValidationError("That category no longer exists; reload the library.")
    return f"{row[0]}{PATH_SEPARATOR}{row[1]}", bool(row[2] or row[3])


def _code_owner(session: Session, code: str) -> tuple[int, str] | None:
    found = session.execute(
        select(m.Standard.id, m.Standard.code).where(func.lower(m.Standard.code) == code.lower())
    ).first()
    return (found[0], found[1]) if found else None


def current_values(session: Session, standard_id: int) -> dict[str, Any]:
    """A standard's editable fields, ``archived`` and ``updated_at`` as stored."""
    row = (
        session.execute(
            select(
                m.Standard.code,
                m.Standard.question,
                m.Standard.why_it_matters,
                m.Standard.how_to_align,
                m.Standard.priority,
                m.Standard.internal_only,
                m.Standard.tiers,
                m.Standard.category_id,
                m.Standard.archived,
                m.Standard.updated_at,
            ).where(m.Standard.id == standard_id)
        )
        .mappings()
        .one_or_none()
    )
    if row is None:
        raise ValidationError("That standard no longer exists; reload the library.")
    values = dict(row)
    values["priority"] = str(values["priority"])
    values["tiers"] = clean_tiers(values["tiers"] or ALL_TIERS)
    return values


def insert_standard(
    session: Session,
    fields: Mapping[str, Any],
    *,
    reason: str,
    author: str,
    decision_id: int | None = None,
) -> int:
    """Add a standard (validated) at the end of its category; recorded as ``add``."""
    values = clean_fields(fields, complete=True)
    taken = _code_owner(session, values["code"])
    if taken is not None:
        raise ValidationError(f"There is already a standard {taken[1]}; codes are unique.")
    path, archived = category_path(session, values["category_id"])
    if archived:
        raise ValidationError(f"{path} is archived; restore it before adding standards to it.")
    last = session.scalar(
        select(m.Standard.position)
        .where(m.Standard.category_id == values["category_id"])
        .order_by(m.Standard.position.desc())
        .limit(1)
    )
    standard_id = session.execute(
        insert(m.Standard)
        .values(**values, position=(last + 1) if last is not None else 0)
        .returning(m.Standard.id)
    ).scalar_one()
    changes: dict[str, list[Any]] = {
        ("category" if k == "category_id" else k): [None, path if k == "category_id" else v]
        for k, v in values.items()
    }
    record(
        session,
        action="add",
        changes=changes,
        reason=reason,
        author=author,
        standard_id=standard_id,
        decision_id=decision_id,
    )
    return standard_id


def update_standard(
    session: Session,
    standard_id: int,
    fields: Mapping[str, Any],
    *,
    reason: str,
    author: str,
    decision_id: int | None = None,
    expected_updated_at: dt.datetime | None = None,
) -> dict[str, list[Any]]:
    """Apply the fields that differ; record them as ``edit``. Empty result: nothing changed.

    ``expected_updated_at`` (what the editor was showing) refuses an edit made over a
    change saved elsewhere meanwhile.
    """
    wanted = clean_fields(fields, complete=False)
    current = current_values(session, standard_id)
    if expected_updated_at is not None and current["updated_at"] != expected_updated_at:
        raise ValidationError(
            f"{current['code']} was changed elsewhere since you opened it; "
            "reload the library and make your change again."
        )
    changed = {k: v for k, v in wanted.items() if current[k] != v}
    if not changed:
        return {}
    if current["archived"]:
        raise ValidationError(f"{current['code']} is archived; restore it before editing it.")
    if "code" in changed:
        taken = _code_owner(session, changed["code"])
        if taken is not None and taken[0] != standard_id:
            raise ValidationError(f"There is already a standard {taken[1]}; codes are unique.")
    log: dict[str, list[Any]] = {}
    for name, value in changed.items():
        if name == "category_id":
            new_path, archived = category_path(session, value)
            if archived:
                raise ValidationError(f"{new_path} is archived; a standard cannot move there.")
            log["category"] = [category_path(session, current[name])[0], new_path]
        else:
            log[name] = [current[name], value]
    session.execute(update(m.Standard).where(m.Standard.id == standard_id).values(**changed))
    record(
        session,
        action="edit",
        changes=log,
        reason=reason,
        author=author,
        standard_id=standard_id,
        decision_id=decision_id,
    )
    return log


def set_archived(
    session: Session,
    standard_id: int,
    archived: bool,
    *,
    reason: str,
    author: str,
    decision_id: int | None = None,
) -> None:
    """Archive (or restore) a standard: it leaves (or rejoins) new reviews; history stays."""
    current = current_values(session, standard_id)
    code = current["code"]
    if current["archived"] == archived:
        state = "archived" if archived else "in use (not archived)"
        raise ValidationError(f"{code} is already {state}.")
    if not archived:
        path, path_archived = category_path(session, current["category_id"])
        if path_archived:
            raise ValidationError(f"{code} is in {path}, which is archived; restore that first.")
    session.execute(
        update(m.Standard).where(m.Standard.id == standard_id).values(archived=archived)
    )
    record(
        session,
        action="archive" if archived else "restore",
        changes={"archived": [not archived, archived]},
        reason=reason,
        author=author,
        standard_id=standard_id,
        decision_id=decision_id,
    )
