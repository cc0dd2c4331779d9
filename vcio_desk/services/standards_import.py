"""Library import and export: upsert standards by code, in one transaction, with a report.

Rules
    * A record whose code matches a standard (ignoring case) updates the fields the
      file gives; an empty cell keeps what is there. Otherwise the standard is added
      (priority medium, every tier and not internal-only unless the file says).
    * The section is found by its key, else by its name (ignoring case), else added;
      the category by its name within the section, else added. A record that would
      go into an archived section or category, or edit an archived standard without
      restoring it (``Archived: no``), is refused with the reason.
    * An ``Archived`` value archives or restores the standard.
    * Refused records are reported and skipped; everything else is written in one
      transaction, each change in the change log with the reason and author given.
      A file that cannot be read changes nothing. ``dry_run`` reports and writes
      nothing (and works on a read-only workspace).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from vcio_desk.domain.errors import ValidationError
from vcio_desk.interop.standards_io import (
    LibraryRecord,
    library_csv,
    library_json,
    parse_library,
)
from vcio_desk.store import Store
from vcio_desk.store import models as m

from . import standards_changes as changes
from .standards_changes import require_reason, require_writable
from .standards_library import library_tree
from .standards_log import FieldChange
from .standards_sections import insert_category, insert_section, key_from_name

ExportFormat = Literal["csv", "json"]
OPTIONAL = ("why_it_matters", "how_to_align", "priority", "internal_only", "tiers")


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    where: str
    code: str
    action: str
    """``added``, ``updated``, ``unchanged`` or ``refused``."""
    detail: str = ""


@dataclass(frozen=True)
class LibraryImportReport:
    dry_run: bool
    kind: str
    encoding: str
    outcomes: list[ImportOutcome]
    sections_added: list[str] = field(default_factory=list)
    categories_added: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def refused(self) -> list[ImportOutcome]:
        return [o for o in self.outcomes if o.action == "refused"]


def report_summary(report: LibraryImportReport) -> str:
    """Counts, new sections and categories, and warnings (the refusals are listed apart)."""
    counts = (
        f"{report.count('added')} added, {report.count('updated')} updated, "
        f"{report.count('unchanged')} unchanged, {report.count('refused')} refused"
    )
    if report.dry_run:
        lines = [f"Check of {len(report.outcomes)} standards (nothing was written): {counts}."]
    else:
        lines = [f"Imported {len(report.outcomes)} standards: {counts}."]
    if report.sections_added:
        lines.append("New sections: " + ", ".join(report.sections_added) + ".")
    if report.categories_added:
        lines.append("New categories: " + ", ".join(report.categories_added) + ".")
    lines += [f"- {w}" for w in report.warnings]
    return "\n".join(lines)


def report_text(report: LibraryImportReport) -> str:
    """The whole report for people: the summary, then every refused record and why."""
    lines = [report_summary(report)]
    refused = report.refused
    if refused:
        lines.append("Refused (nothing was imported from these):")
        lines += [f"  {o.where} ({o.code or 'no code'}): {o.detail}" for o in refused]
    return "\n".join(lines)


# -- export --------------------------------------------------------------------------------------


def export_library(store: Store, fmt: ExportFormat, *, include_archived: bool = True) -> bytes:
    """The library as CSV (one row per standard) or JSON (nested, the bundled format)."""
    tree = library_tree(store, include_archived=include_archived)
    if fmt == "csv":
        return library_csv(
            {
                "code": s.code,
                "section_key": s.section_key,
                "section": s.section,
                "category": s.category,
                "question": s.question,
                "why_it_matters": s.why_it_matters,
                "how_to_align": s.how_to_align,
                "priority": s.priority.value,
                "tiers": s.tiers,
                "internal_only": s.internal_only,
                "archived": s.archived,
            }
            for s in tree.standards()
        )
    if fmt != "json":
        raise ValidationError(f"Export the library as csv or json, not {fmt!r}.")
    sections = []
    for section in tree.sections:
        categories = []
        for category in section.categories:
            standards = []
            for s in category.standards:
                item: dict[str, Any] = {
                    "code": s.code,
                    "question": s.question,
                    "why_it_matters": s.why_it_matters,
                    "how_to_align": s.how_to_align,
                    "priority": s.priority.value,
                    "internal_only": s.internal_only,
                    "tiers": list(s.tiers),
                }
                if s.archived:
                    item["archived"] = True
                standards.append(item)
            entry: dict[str, Any] = {"name": category.name, "standards": standards}
            if category.archived:
                entry["archived"] = True
            categories.append(entry)
        entry = {"key": section.key, "name": section.name, "categories": categories}
        if section.archived:
            entry["archived"] = True
        sections.append(entry)
    return library_json(sections)


# -- import --------------------------------------------------------------------------------------


@dataclass
class _Place:
    id: int
    """Negative for a section or category the import will add."""
    name: str
    archived: bool = False
    key: str = ""
    section_id: int = 0


@dataclass
class _Plan:
    sections: list[_Place]
    categories: list[_Place]
    standards: dict[str, dict[str, Any]]
    """Code (case-folded) -> the standard's current values (and its id)."""
    new_sections: list[_Place] = field(default_factory=list)
    new_categories: list[_Place] = field(default_factory=list)
    steps: list[tuple[LibraryRecord, int | None, dict[str, Any], bool | None]] = field(
        default_factory=list
    )
    """(record, standard id or None for new, fields to write, archive/restore or None)."""
    outcomes: list[ImportOutcome] = field(default_factory=list)


def _load(session: Session) -> _Plan:
    sections = [
        _Place(i, n, a, k)
        for i, k, n, a in session.execute(
            select(
                m.StandardSection.id,
                m.StandardSection.key,
                m.StandardSection.name,
                m.StandardSection.archived,
            )
        )
    ]
    categories = [
        _Place(i, n, a, section_id=s)
        for i, s, n, a in session.execute(
            select(
                m.StandardCategory.id,
                m.StandardCategory.section_id,
                m.StandardCategory.name,
                m.StandardCategory.archived,
            )
        )
    ]
    standards = {}
    query = select(
        m.Standard.id,
        m.Standard.code,
        m.Standard.category_id,
        m.Standard.archived,
        *(getattr(m.Standard, name) for name in ("question", *OPTIONAL)),
    )
    for row in session.execute(query).mappings():
        values = dict(row)
        values["priority"] = str(values["priority"])
        values["tiers"] = changes.clean_tiers(values["tiers"] or changes.ALL_TIERS)
        standards[values["code"].casefold()] = values
    return _Plan(sections, categories, standards)


def _find(places: Iterable[_Place], name: str) -> _Place | None:
    return next((p for p in places if p.name.casefold() == name.casefold()), None)


def _place(plan: _Plan, record: LibraryRecord) -> tuple[_Place, _Place, list[_Place]]:
    """The record's section and category (existing or new); ValueError when archived."""
    sections = plan.sections + plan.new_sections
    section = None
    if record.section_key:
        key = record.section_key.casefold()
        section = next((s for s in sections if s.key.casefold() == key), None)
    section = section or _find(sections, record.section)
    created: list[_Place] = []
    if section is None:
        keys = [s.key for s in sections]
        key = record.section_key if record.section_key else key_from_name(record.section, keys)
        section = _Place(-len(plan.new_sections) - 1, record.section, key=key)
        created.append(section)
    if section.archived:
        raise ValueError(f"the section {section.name} is archived")
    categories = [c for c in plan.categories + plan.new_categories if c.section_id == section.id]
    category = _find(categories, record.category)
    if category is None:
        category = _Place(-len(plan.new_categories) - 1, record.category, section_id=section.id)
        created.append(category)
    if category.archived:
        raise ValueError(f"the category {section.name} › {category.name} is archived")
    return section, category, created


def _plan_record(plan: _Plan, record: LibraryRecord) -> None:
    try:
        section, category, created = _place(plan, record)
    except ValueError as exc:
        plan.outcomes.append(ImportOutcome(record.where, record.code, "refused", str(exc)))
        return
    given = {k: getattr(record, k) for k in OPTIONAL if getattr(record, k) is not None}
    if "tiers" in given:
        given["tiers"] = list(given["tiers"])
    path = f"{section.name} › {category.name}"
    current = plan.standards.get(record.code.casefold())
    if current is None:
        fields = {"code": record.code, "question": record.question, **given}
        plan.steps.append((record, None, fields | {"category_id": category.id}, record.archived))
        detail = f"new in {path}" + (", archived" if record.archived else "")
        outcome = ImportOutcome(record.where, record.code, "added", detail)
    else:
        wanted = {"question": record.question, **given}
        diff = {k: v for k, v in wanted.items() if current[k] != v}
        texts = [FieldChange(k, current[k], v).text(30) for k, v in diff.items()]
        if category.id != current["category_id"]:
            diff["category_id"] = category.id
            texts.append(f"Category: → {path}")
        archive = record.archived if record.archived not in (None, current["archived"]) else None
        if diff and current["archived"] and archive is not False:
            plan.outcomes.append(
                ImportOutcome(
                    record.where,
                    record.code,
                    "refused",
                    f"{current['code']} is archived; say Archived: no to restore and update it",
                )
            )
            return
        if archive is not None:
            texts.insert(0, "archived" if archive else "restored")
        if not diff and archive is None:
            plan.outcomes.append(ImportOutcome(record.where, record.code, "unchanged"))
            return
        plan.steps.append((record, current["id"], diff, archive))
        outcome = ImportOutcome(record.where, record.code, "updated", "; ".join(texts))
    for place in created:
        (plan.new_categories if place.section_id else plan.new_sections).append(place)
    plan.outcomes.append(outcome)


def _apply(session: Session, plan: _Plan, reason: str, author: str) -> None:
    ids: dict[int, int] = {}
    for section in plan.new_sections:
        ids[section.id] = insert_section(
            session, section.name, section.key, reason=reason, author=author
        )
    category_ids: dict[int, int] = {}
    for category in plan.new_categories:
        section_id = ids.get(category.section_id, category.section_id)
        category_ids[category.id] = insert_category(
            session, section_id, category.name, reason=reason, author=author
        )
    for record, standard_id, fields, archive in plan.steps:
        if "category_id" in fields:
            fields["category_id"] = category_ids.get(fields["category_id"], fields["category_id"])
        try:
            if standard_id is None:
                standard_id = changes.insert_standard(session, fields, reason=reason, author=author)
            else:
                if archive is False:  # restore first: an archived standard is not edited
                    changes.set_archived(session, standard_id, False, reason=reason, author=author)
                    archive = None
                if fields:
                    changes.update_standard(
                        session, standard_id, fields, reason=reason, author=author
                    )
            if archive is not None:
                changes.set_archived(session, standard_id, archive, reason=reason, author=author)
        except ValidationError as err:  # the plan checks everything; this names the record
            raise ValidationError(
                f"{record.where} ({record.code}): {err.user_message} Nothing was imported."
            ) from err


def import_library(
    store: Store, data: bytes, *, reason: str, author: str, dry_run: bool = False
) -> LibraryImportReport:
    """Upsert the file's standards by code (see the module docstring); the per-record report."""
    parsed = parse_library(data)
    if not dry_run:
        require_writable(store)
        reason = require_reason(reason)
    with store.session() if dry_run else store.transaction() as session:
        plan = _load(session)
        problems = {p.where: p for p in parsed.problems}
        records = {r.where: r for r in parsed.records}
        for where in parsed.order:
            if where in problems:
                problem = problems[where]
                plan.outcomes.append(ImportOutcome(where, problem.code, "refused", problem.message))
            else:
                _plan_record(plan, records[where])
        if not dry_run:
            _apply(session, plan, reason, author)
    return LibraryImportReport(
        dry_run=dry_run,
        kind=parsed.kind,
        encoding=parsed.encoding,
        outcomes=plan.outcomes,
        sections_added=[s.name for s in plan.new_sections],
        categories_added=[f"{_section_name(plan, c)} › {c.name}" for c in plan.new_categories],
        warnings=list(parsed.warnings),
    )


def _section_name(plan: _Plan, category: _Place) -> str:
    section = next(
        (s for s in plan.sections + plan.new_sections if s.id == category.section_id), None
    )
    return section.name if section else "?"
