"""Sections and categories of the standards library: add, rename, archive, restore.

Each change is recorded in the change log like a standard's. A section or category
is archived only once nothing in use sits in it, and nothing is added to an
archived one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from vcio_desk.domain.errors import ValidationError
from vcio_desk.store import Store
from vcio_desk.store import models as m

from . import standards_changes as changes
from .standards_changes import require_reason, require_writable

NAME_MAX = 200
KEY_MAX = 50


def clean_name(name: str, what: str) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise ValidationError(f"A {what} needs a name.")
    if len(text) > NAME_MAX:
        raise ValidationError(f"A {what} name has at most {NAME_MAX} characters.")
    return text


def key_from_name(name: str, taken: Sequence[str]) -> str:
    """``"Backup & recovery"`` -> ``backup_recovery`` (``_2``, ``_3``... when taken)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")[: KEY_MAX - 4] or "section"
    used = {t.casefold() for t in taken}
    key, number = base, 2
    while key in used:
        key, number = f"{base}_{number}", number + 1
    return key


def _section(session: Session, section_id: int) -> Any:
    row = session.execute(
        select(m.StandardSection.name, m.StandardSection.key, m.StandardSection.archived).where(
            m.StandardSection.id == section_id
        )
    ).one_or_none()
    if row is None:
        raise ValidationError("That section no longer exists; reload the library.")
    return row


def _category(session: Session, category_id: int) -> Any:
    row = session.execute(
        select(
            m.StandardCategory.name,
            m.StandardCategory.section_id,
            m.StandardCategory.archived,
            m.StandardSection.name.label("section"),
        )
        .join(m.StandardSection, m.StandardSection.id == m.StandardCategory.section_id)
        .where(m.StandardCategory.id == category_id)
    ).one_or_none()
    if row is None:
        raise ValidationError("That category no longer exists; reload the library.")
    return row


def insert_section(
    session: Session, name: str, key: str | None, *, reason: str, author: str
) -> int:
    name = clean_name(name, "section")
    keys = list(session.scalars(select(m.StandardSection.key)))
    names = {n.casefold() for n in session.scalars(select(m.StandardSection.name))}
    if name.casefold() in names:
        raise ValidationError(f"There is already a section called {name!r}.")
    if key:
        key = key.strip()
        if len(key) > KEY_MAX or key.casefold() in {k.casefold() for k in keys}:
            raise ValidationError(f"The section key {key!r} is taken or longer than {KEY_MAX}.")
    key = key or key_from_name(name, keys)
    position = session.scalar(select(func.coalesce(func.max(m.StandardSection.position), -1)))
    section_id = session.execute(
        insert(m.StandardSection)
        .values(key=key, name=name, position=(position or 0) + 1)
        .returning(m.StandardSection.id)
    ).scalar_one()
    changes.record(
        session,
        action="section_add",
        changes={"section": [None, name], "key": [None, key]},
        reason=reason,
        author=author,
    )
    return section_id


def insert_category(
    session: Session, section_id: int, name: str, *, reason: str, author: str
) -> int:
    name = clean_name(name, "category")
    section = _section(session, section_id)
    if section.archived:
        raise ValidationError(f"The section {section.name} is archived; restore it first.")
    existing = session.scalars(
        select(m.StandardCategory.name).where(m.StandardCategory.section_id == section_id)
    )
    if name.casefold() in {n.casefold() for n in existing}:
        raise ValidationError(f"{section.name} already has a category called {name!r}.")
    position = session.scalar(
        select(func.coalesce(func.max(m.StandardCategory.position), -1)).where(
            m.StandardCategory.section_id == section_id
        )
    )
    category_id = session.execute(
        insert(m.StandardCategory)
        .values(section_id=section_id, name=name, position=(position or 0) + 1)
        .returning(m.StandardCategory.id)
    ).scalar_one()
    changes.record(
        session,
        action="category_add",
        changes={"category": [None, name], "section": [section.name, section.name]},
        reason=reason,
        author=author,
    )
    return category_id


def add_section(
    store: Store, name: str, *, reason: str, author: str, key: str | None = None
) -> int:
    require_writable(store)
    reason = require_reason(reason)
    with store.transaction() as session:
        return insert_section(session, name, key, reason=reason, author=author)


def add_category(store: Store, section_id: int, name: str, *, reason: str, author: str) -> int:
    require_writable(store)
    reason = require_reason(reason)
    with store.transaction() as session:
        return insert_category(session, section_id, name, reason=reason, author=author)


def rename_section(store: Store, section_id: int, name: str, *, reason: str, author: str) -> bool:
    """False when the name is unchanged (nothing recorded)."""
    require_writable(store)
    reason = require_reason(reason)
    name = clean_name(name, "section")
    with store.transaction() as session:
        section = _section(session, section_id)
        if section.name == name:
            return False
        others = session.scalars(
            select(m.StandardSection.name).where(m.StandardSection.id != section_id)
        )
        if name.casefold() in {n.casefold() for n in others}:
            raise ValidationError(f"There is already a section called {name!r}.")
        session.execute(
            update(m.StandardSection).where(m.StandardSection.id == section_id).values(name=name)
        )
        changes.record(
            session,
            action="section_edit",
            changes={"section": [section.name, name]},
            reason=reason,
            author=author,
        )
    return True


def rename_category(store: Store, category_id: int, name: str, *, reason: str, author: str) -> bool:
    """False when the name is unchanged (nothing recorded)."""
    require_writable(store)
    reason = require_reason(reason)
    name = clean_name(name, "category")
    with store.transaction() as session:
        category = _category(session, category_id)
        if category.name == name:
            return False
        others = session.scalars(
            select(m.StandardCategory.name).where(
                m.StandardCategory.section_id == category.section_id,
                m.StandardCategory.id != category_id,
            )
        )
        if name.casefold() in {n.casefold() for n in others}:
            raise ValidationError(f"{category.section} already has a category called {name!r}.")
        session.execute(
            update(m.StandardCategory).where(m.StandardCategory.id == category_id).values(name=name)
        )
        changes.record(
            session,
            action="category_edit",
            changes={"category": [category.name, name], "section": [category.section] * 2},
            reason=reason,
            author=author,
        )
    return True


def set_section_archived(
    store: Store, section_id: int, archived: bool, *, reason: str, author: str
) -> None:
    """Archive a section with no categories in use (or restore one)."""
    require_writable(store)
    reason = require_reason(reason)
    with store.transaction() as session:
        section = _section(session, section_id)
        if section.archived == archived:
            raise ValidationError(f"The section {section.name} is already {_state(archived)}.")
        if archived:
            in_use = session.scalar(
                select(func.count()).where(
                    m.StandardCategory.section_id == section_id, ~m.StandardCategory.archived
                )
            )
            if in_use:
                raise ValidationError(
                    f"{section.name} still has {in_use} categories in use; "
                    "archive or move them first."
                )
        session.execute(
            update(m.StandardSection)
            .where(m.StandardSection.id == section_id)
            .values(archived=archived)
        )
        changes.record(
            session,
            action="section_archive" if archived else "section_restore",
            changes={"section": [section.name] * 2, "archived": [not archived, archived]},
            reason=reason,
            author=author,
        )


def set_category_archived(
    store: Store, category_id: int, archived: bool, *, reason: str, author: str
) -> None:
    """Archive a category with no standards in use (or restore one in a section in use)."""
    require_writable(store)
    reason = require_reason(reason)
    with store.transaction() as session:
        category = _category(session, category_id)
        if category.archived == archived:
            raise ValidationError(f"The category {category.name} is already {_state(archived)}.")
        if archived:
            in_use = session.scalar(
                select(func.count()).where(
                    m.Standard.category_id == category_id, ~m.Standard.archived
                )
            )
            if in_use:
                raise ValidationError(
                    f"{category.name} still has {in_use} standards in use; "
                    "archive or move them first."
                )
        elif _section(session, category.section_id).archived:
            raise ValidationError(f"The section {category.section} is archived; restore it first.")
        session.execute(
            update(m.StandardCategory)
            .where(m.StandardCategory.id == category_id)
            .values(archived=archived)
        )
        changes.record(
            session,
            action="category_archive" if archived else "category_restore",
            changes={
                "category": [category.name] * 2,
                "section": [category.section] * 2,
                "archived": [not archived, archived],
            },
            reason=reason,
            author=author,
        )


def _state(archived: bool) -> str:
    return "archived" if archived else "in use (not archived)"
