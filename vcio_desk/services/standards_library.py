"""The standards library: read it as a tree, search it, and change it with a recorded reason.

Standards are archived, never deleted, so past reviews and the change log stay
readable. Every change here is written with ``services.standards_changes`` and
therefore lands in the change log with who, when and why. Sections and categories
are changed through ``services.standards_sections``; files come and go through
``services.standards_import``; the log is read with ``services.standards_log``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from vcio_desk.domain.errors import ValidationError
from vcio_desk.domain.vocab import Priority
from vcio_desk.store import Store
from vcio_desk.store import models as m

from . import standards_changes as changes
from .standards_changes import ALL_TIERS, PATH_SEPARATOR, require_reason, require_writable

NAME_MAX = 200
KEY_MAX = 50


@dataclass(frozen=True, slots=True)
class StandardView:
    id: int
    code: str
    question: str
    why_it_matters: str
    how_to_align: str
    priority: Priority
    internal_only: bool
    tiers: tuple[str, ...]
    archived: bool
    category_id: int
    category: str
    section_id: int
    section: str
    section_key: str
    position: int
    updated_at: dt.datetime
    search_text: str
    """Code, question, guidance, section and category, case-folded: what search looks in."""

    @property
    def path(self) -> str:
        return f"{self.section}{PATH_SEPARATOR}{self.category}"


@dataclass(frozen=True, slots=True)
class CategoryNode:
    id: int
    section_id: int
    name: str
    archived: bool
    standards: tuple[StandardView, ...]


@dataclass(frozen=True, slots=True)
class SectionNode:
    id: int
    key: str
    name: str
    archived: bool
    categories: tuple[CategoryNode, ...]

    @property
    def standards(self) -> list[StandardView]:
        return [s for c in self.categories for s in c.standards]


@dataclass(frozen=True)
class LibraryTree:
    sections: tuple[SectionNode, ...]
    include_archived: bool

    def standards(self) -> list[StandardView]:
        """Every standard in library order (section, category, position)."""
        return [s for section in self.sections for s in section.standards]

    def categories(self) -> list[tuple[SectionNode, CategoryNode]]:
        return [(s, c) for s in self.sections for c in s.categories]


def search_standards(standards: Iterable[StandardView], query: str) -> list[StandardView]:
    """Standards whose code or text holds every word of ``query`` (any case, any order)."""
    words = query.casefold().split()
    if not words:
        return list(standards)
    return [s for s in standards if all(w in s.search_text for w in words)]


def library_tree(store: Store, *, include_archived: bool = False) -> LibraryTree:
    """Sections → categories → standards in library order; archived ones only on request."""
    with store.session() as session:
        sections = session.execute(
            select(
                m.StandardSection.id,
                m.StandardSection.key,
                m.StandardSection.name,
                m.StandardSection.archived,
            ).order_by(m.StandardSection.position, m.StandardSection.id)
        ).all()
        categories = session.execute(
            select(
                m.StandardCategory.id,
                m.StandardCategory.section_id,
                m.StandardCategory.name,
                m.StandardCategory.archived,
            ).order_by(m.StandardCategory.position, m.StandardCategory.id)
        ).all()
        rows = session.execute(
            select(
                m.Standard.id,
                m.Standard.code,
                m.Standard.question,
                m.Standard.why_it_matters,
                m.Standard.how_to_align,
                m.Standard.priority,
                m.Standard.internal_only,
                m.Standard.tiers,
                m.Standard.archived,
                m.Standard.category_id,
                m.Standard.position,
                m.Standard.updated_at,
            ).order_by(m.Standard.position, m.Standard.id)
        ).all()
    section_rows = {s.id: s for s in sections if include_archived or not s.archived}
    category_rows = {
        c.id: c
        for c in categories
        if c.section_id in section_rows and (include_archived or not c.archived)
    }
    by_category: dict[int, list[StandardView]] = {c: [] for c in category_rows}
    for row in rows:
        category = category_rows.get(row.category_id)
        if category is None or (row.archived and not include_archived):
            continue
        section = section_rows[category.section_id]
        by_category[row.category_id].append(_view(row, category, section))
    nodes = []
    for section in section_rows.values():
        nodes.append(
            SectionNode(
                section.id,
                section.key,
                section.name,
                section.archived,
                tuple(
                    CategoryNode(c.id, c.section_id, c.name, c.archived, tuple(by_category[c.id]))
                    for c in category_rows.values()
                    if c.section_id == section.id
                ),
            )
        )
    return LibraryTree(tuple(nodes), include_archived)


def _view(row: Any, category: Any, section: Any) -> StandardView:
    parts = (row.code, row.question, row.why_it_matters, row.how_to_align)
    text = " ".join([*(p or "" for p in parts), section.name, category.name])
    return StandardView(
        id=row.id,
        code=row.code,
        question=row.question,
        why_it_matters=row.why_it_matters or "",
        how_to_align=row.how_to_align or "",
        priority=Priority(row.priority),
        internal_only=bool(row.internal_only),
        tiers=tuple(t for t in ALL_TIERS if t in (row.tiers or ())),
        archived=bool(row.archived),
        category_id=category.id,
        category=category.name,
        section_id=section.id,
        section=section.name,
        section_key=section.key,
        position=row.position,
        updated_at=row.updated_at,
        search_text=text.casefold(),
    )


def search_library(
    store: Store, query: str, *, include_archived: bool = False
) -> list[StandardView]:
    return search_standards(
        library_tree(store, include_archived=include_archived).standards(), query
    )


def get_standard(store: Store, standard_id: int) -> StandardView:
    for standard in library_tree(store, include_archived=True).standards():
        if standard.id == standard_id:
            return standard
    raise ValidationError("That standard no longer exists; reload the library.")


# -- standards -----------------------------------------------------------------------------------


def add_standard(store: Store, fields: Mapping[str, Any], *, reason: str, author: str) -> int:
    """A new standard (code, category_id and question required) at the end of its category."""
    require_writable(store)
    reason = require_reason(reason)
    with store.transaction() as session:
        return changes.insert_standard(session, fields, reason=reason, author=author)


def edit_standard(
    store: Store,
    standard_id: int,
    fields: Mapping[str, Any],
    *,
    reason: str,
    author: str,
    expected_updated_at: dt.datetime | None = None,
) -> dict[str, list[Any]]:
    """Change some of a standard's fields; returns ``{field: [old, new]}`` (empty: no change)."""
    require_writable(store)
    reason = require_reason(reason)
    with store.transaction() as session:
        return changes.update_standard(
            session,
            standard_id,
            fields,
            reason=reason,
            author=author,
            expected_updated_at=expected_updated_at,
        )


def archive_standard(store: Store, standard_id: int, *, reason: str, author: str) -> None:
    """Take a standard out of use: new reviews leave it out; past ones keep their snapshot."""
    require_writable(store)
    reason = require_reason(reason)
    with store.transaction() as session:
        changes.set_archived(session, standard_id, True, reason=reason, author=author)


def restore_standard(store: Store, standard_id: int, *, reason: str, author: str) -> None:
    require_writable(store)
    reason = require_reason(reason)
    with store.transaction() as session:
        changes.set_archived(session, standard_id, False, reason=reason, author=author)
