"""The library's change log: who changed what, when, why, and which decision if any.

Entries are written by ``services.standards_changes``; this module reads them back
for people: field values as words, each entry's subject (a standard's code, or the
section or category it was about) and the committee decision behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from vcio_desk.store import Store
from vcio_desk.store import models as m

FIELD_LABELS = {
    "code": "Code",
    "question": "Question",
    "why_it_matters": "Why it matters",
    "how_to_align": "How to align",
    "priority": "Priority",
    "internal_only": "Internal only",
    "tiers": "Tiers",
    "category": "Category",
    "archived": "Archived",
    "section": "Section",
    "key": "Key",
    "name": "Name",
}
LONG_TEXT = frozenset({"question", "why_it_matters", "how_to_align"})
"""Fields whose edits the one-line summary names rather than quotes."""
ACTION_LABELS = {
    "add": "Added",
    "edit": "Edited",
    "archive": "Archived",
    "restore": "Restored",
    "section_add": "Section added",
    "section_edit": "Section edited",
    "section_archive": "Section archived",
    "section_restore": "Section restored",
    "category_add": "Category added",
    "category_edit": "Category edited",
    "category_archive": "Category archived",
    "category_restore": "Category restored",
}


def value_text(value: Any) -> str:
    """A logged value for people: tiers joined, yes/no, an em dash for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    return " ".join(str(value).split())


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field.replace("_", " ").capitalize())

    def text(self, width: int = 60) -> str:
        def short(value: Any) -> str:
            text = value_text(value)
            return text if len(text) <= width else text[: width - 1] + "…"

        if self.old is None:
            return f"{self.label}: {short(self.new)}"
        if self.field in LONG_TEXT:  # two paragraphs side by side say little: see the entry
            return f"{self.label} reworded"
        return f"{self.label}: {short(self.old)} → {short(self.new)}"


@dataclass(frozen=True, slots=True)
class ChangeView:
    id: int
    changed_at: dt.datetime
    author: str
    reason: str
    action: str
    standard_id: int | None
    code: str
    """The standard's code now ("" for section and category changes)."""
    subject: str
    """What the change was about: the code, or "Section …" / "Category …"."""
    fields: tuple[FieldChange, ...]
    decision_id: int | None
    decision_title: str
    meeting_id: int | None
    decided_on: dt.date | None

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def summary(self) -> str:
        """One line: what was added, or which fields changed from what to what."""
        if self.action.endswith("archive") or self.action.endswith("restore"):
            return ""
        if self.action.endswith("add"):
            for name in ("question", "category", "section", "name"):
                found = next((f for f in self.fields if f.field == name), None)
                if found is not None:
                    return value_text(found.new)
            return ""
        return "; ".join(f.text(40) for f in self.fields if f.old != f.new)


def _subject(action: str, code: str, changes: Mapping[str, Any]) -> str:
    for kind in ("section", "category"):
        if action.startswith(kind + "_"):
            pair = changes.get(kind) or [None, None]
            name = pair[1] if pair[1] is not None else pair[0]
            return f"{kind.capitalize()} {name}"
    if code:
        return code
    pair = changes.get("code") or [None, ""]
    return str(pair[1] or pair[0] or "")


def _pair(value: Any) -> tuple[Any, Any]:
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[0], value[1]
    return None, value


def change_log(
    store: Store,
    *,
    standard_id: int | None = None,
    decision_id: int | None = None,
    limit: int | None = None,
) -> list[ChangeView]:
    """Recorded changes, newest first; optionally one standard's or one decision's."""
    query = (
        select(
            m.StandardChange.id,
            m.StandardChange.changed_at,
            m.StandardChange.author,
            m.StandardChange.reason,
            m.StandardChange.action,
            m.StandardChange.standard_id,
            m.StandardChange.changes,
            m.StandardChange.decision_id,
            m.Standard.code,
            m.CommitteeDecision.title,
            m.CommitteeDecision.meeting_id,
            m.CommitteeDecision.decided_on,
        )
        .outerjoin(m.Standard, m.Standard.id == m.StandardChange.standard_id)
        .outerjoin(m.CommitteeDecision, m.CommitteeDecision.id == m.StandardChange.decision_id)
        .order_by(m.StandardChange.changed_at.desc(), m.StandardChange.id.desc())
    )
    if standard_id is not None:
        query = query.where(m.StandardChange.standard_id == standard_id)
    if decision_id is not None:
        query = query.where(m.StandardChange.decision_id == decision_id)
    if limit is not None:
        query = query.limit(limit)
    with store.session() as session:
        rows = session.execute(query).all()
    result = []
    for row in rows:
        changes = row.changes if isinstance(row.changes, dict) else {}
        fields = tuple(FieldChange(name, *_pair(value)) for name, value in changes.items())
        result.append(
            ChangeView(
                id=row.id,
                changed_at=row.changed_at,
                author=row.author or "",
                reason=row.reason or "",
                action=row.action,
                standard_id=row.standard_id,
                code=row.code or "",
                subject=_subject(row.action, row.code or "", changes),
                fields=fields,
                decision_id=row.decision_id,
                decision_title=row.title or "",
                meeting_id=row.meeting_id,
                decided_on=row.decided_on,
            )
        )
    return result
