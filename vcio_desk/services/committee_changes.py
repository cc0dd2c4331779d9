"""Library changes a committee proposal carries, and applying them when it is accepted.

Stored as JSON in ``CommitteeDecision.proposed_changes``::

    {"action": "add", "code": "BKP-010", "section": "backup", "category": "Backup coverage",
     "fields": {"question": "...", "priority": "high", "tiers": ["A", "B"]}}
    {"action": "edit", "code": "BKP-001", "fields": {"priority": "high"}}
    {"action": "archive", "code": "BKP-001"}      {"action": "restore", "code": "BKP-001"}

An edit may also carry ``section`` and ``category`` to move the standard. Applying
goes through ``services.standards_changes``, so every change is logged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vcio_desk.domain.errors import ValidationError
from vcio_desk.store import models as m

from . import standards_changes as changes
from .standards_changes import clean_fields
from .standards_log import FIELD_LABELS, value_text

ACTIONS = ("add", "edit", "archive", "restore")
PROPOSAL_FIELDS = ("code", "question", "why_it_matters", "how_to_align", "priority",
                   "internal_only", "tiers")  # fmt: skip


@dataclass(frozen=True, slots=True)
class ProposedChange:
    """One library change a proposal carries (stored as JSON in ``proposed_changes``)."""

    action: str
    code: str
    fields: Mapping[str, Any]
    section: str | None = None
    """Section key: where an added standard goes (or an edited one moves to)."""
    category: str | None = None
    """Category name within ``section``."""

    @classmethod
    def from_json(cls, raw: Any, number: int = 1) -> ProposedChange:
        """A checked change; ValidationError names the change by its number."""
        where = f"Proposed change {number}"
        if not isinstance(raw, Mapping):
            raise ValidationError(f"{where} is not a change.")
        action = raw.get("action")
        if action not in ACTIONS:
            raise ValidationError(f"{where}: the action must be one of {', '.join(ACTIONS)}.")
        try:
            code = changes.clean_code(raw.get("code"))
            fields = dict(raw.get("fields") or {})
            unknown = sorted(set(fields) - set(PROPOSAL_FIELDS))
            if unknown:
                raise ValidationError(f"a standard has no field {', '.join(unknown)}.")
            fields = clean_fields(fields, complete=False)
        except ValidationError as err:
            raise ValidationError(f"{where}: {err.user_message}") from err
        section, category = raw.get("section"), raw.get("category")
        if (section is None) != (category is None):
            raise ValidationError(f"{where}: give both the section and the category, or neither.")
        if action == "add" and (section is None or not fields.get("question")):
            raise ValidationError(
                f"{where}: a new standard needs its section, category and question."
            )
        if action == "edit" and not fields and section is None:
            raise ValidationError(f"{where}: say which fields of {code} change.")
        if action in ("archive", "restore") and (fields or section is not None):
            raise ValidationError(f"{where}: archiving or restoring changes no fields.")
        return cls(action, code, fields, section, category)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"action": self.action, "code": self.code}
        if self.section is not None:
            data["section"], data["category"] = self.section, self.category
        if self.fields:
            data["fields"] = dict(self.fields)
        return data

    def describe(self) -> str:
        """One line for people: "Edit BKP-001: Priority → high"."""
        where = f" to {self.category}" if self.section is not None else ""
        if self.action == "add":
            return f"Add {self.code}{where}: {value_text(self.fields.get('question'))}"
        if self.action == "edit":
            parts = [f"{FIELD_LABELS.get(k, k)} → {_short(v)}" for k, v in self.fields.items()]
            if where:
                parts.append(f"move{where}")
            return f"Edit {self.code}: " + "; ".join(parts)
        return f"{self.action.capitalize()} {self.code}"


def _short(value: Any, width: int = 50) -> str:
    text = value_text(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def parse_changes(raw: Sequence[Any]) -> tuple[ProposedChange, ...]:
    return tuple(ProposedChange.from_json(item, n) for n, item in enumerate(raw, start=1))


def find_standard(session: Session, code: str) -> Any:
    return session.execute(
        select(m.Standard.id, m.Standard.code, m.Standard.archived).where(
            func.lower(m.Standard.code) == code.lower()
        )
    ).first()


def _category_id(session: Session, section_key: str, category: str) -> int:
    row = session.execute(
        select(m.StandardCategory.id, m.StandardCategory.archived, m.StandardSection.archived)
        .join(m.StandardSection, m.StandardSection.id == m.StandardCategory.section_id)
        .where(
            func.lower(m.StandardSection.key) == section_key.lower(),
            func.lower(m.StandardCategory.name) == category.lower(),
        )
    ).first()
    if row is None:
        raise ValidationError(f"there is no category {category!r} in the section {section_key!r}")
    if row[1] or row[2]:
        raise ValidationError(f"the category {category!r} is archived")
    return int(row[0])


def apply_change(
    session: Session,
    item: ProposedChange,
    number: int,
    *,
    reason: str,
    author: str,
    decision_id: int | None = None,
) -> None:
    try:
        found = find_standard(session, item.code)
        if item.action == "add":
            if found is not None:
                raise ValidationError(f"there is already a standard {found.code}")
            fields = dict(item.fields, code=item.code)
            fields["category_id"] = _category_id(session, item.section or "", item.category or "")
            changes.insert_standard(
                session, fields, reason=reason, author=author, decision_id=decision_id
            )
            return
        if found is None:
            raise ValidationError(f"there is no standard {item.code} in the library")
        if item.action == "edit":
            if found.archived:
                raise ValidationError(f"{found.code} is archived")
            fields = dict(item.fields)
            if item.section is not None:
                fields["category_id"] = _category_id(session, item.section, item.category or "")
            changes.update_standard(
                session, found.id, fields, reason=reason, author=author, decision_id=decision_id
            )
        else:
            changes.set_archived(
                session,
                found.id,
                item.action == "archive",
                reason=reason,
                author=author,
                decision_id=decision_id,
            )
    except ValidationError as err:
        text = err.user_message.rstrip(".")
        raise ValidationError(
            f"Change {number} ({item.describe()}) no longer applies: {text}. "
            "Nothing was changed; edit the proposal, or record it as rejected."
        ) from err
