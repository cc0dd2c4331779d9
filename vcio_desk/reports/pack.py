"""The meeting pack: :class:`~.pack_data.PackData` + edition + paper in, PDF bytes out.

``render_pack`` lays out the sections the meeting type chose, in its order, and returns
a :class:`RenderedPack` (the bytes, the page count, and warnings for the user: a logo
that could not be read, characters no installed font can draw). The parts live in
small modules, one or two sections each:

- :mod:`.pack_front`: cover, agenda, lined note pages, attendance and sign-off;
- :mod:`.pack_summary`: executive summary, actions;
- :mod:`.pack_review`: alignment findings, CSI register;
- :mod:`.pack_money`: roadmap, budget;
- :mod:`.pack_rhythm`: meeting rhythm, notes and decisions;
- :mod:`.pack_document`: pages, header and footer, the contents page.

The client edition never contains internal notes, talking points, internal-only
standards or a rhythm's flag and reason: they are simply not laid out.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable, LayoutError, PageBreak

from vcio_desk.domain.errors import ValidationError

from .document import numbered_canvas
from .layout import Heading
from .pack_base import PackContext
from .pack_data import DEFAULT_SECTIONS, Edition, PackData, PackSection
from .pack_document import CONTENTS_AFTER, CONTENTS_TITLE, ContentsMarker, PackDocument
from .pack_front import agenda, cover, note_pages, signoff
from .pack_money import budget, roadmap
from .pack_review import csi, findings
from .pack_rhythm import notes, notes_flowables, rhythm
from .pack_summary import actions, summary, talking_points
from .theme import PAGE_SIZES

__all__ = [
    "CONTENTS_AFTER",
    "CONTENTS_TITLE",
    "INTERNAL_BRIEFING",
    "RenderedPack",
    "pack_flowables",
    "render_pack",
]

INTERNAL_BRIEFING = "Internal briefing"
"""The internal edition's extra section when the meeting type prints neither the summary
nor the notes (where talking points and internal notes otherwise go)."""


@dataclass(frozen=True, slots=True)
class RenderedPack:
    pdf: bytes
    pages: int
    warnings: tuple[str, ...]
    """For the user: unreadable logos, characters printed as a placeholder."""


def _paper(paper: str) -> str:
    for name in PAGE_SIZES:
        if str(paper).strip().casefold() == name.casefold():
            return name
    raise ValidationError(f"Packs print on A4 or Letter paper, not {paper!r}.")


def _edition(edition: Edition | str) -> Edition:
    try:
        return Edition(str(edition).strip().casefold())
    except ValueError:
        raise ValidationError(
            f"A pack comes in a client or an internal edition, not {edition!r}."
        ) from None


def _sections(data: PackData) -> list[PackSection]:
    chosen = [PackSection(section) for section in data.sections]
    return list(dict.fromkeys(chosen)) or list(DEFAULT_SECTIONS)


def _briefing(ctx: PackContext, *, points: bool, internal_notes: bool) -> list[Flowable]:
    """Talking points and internal notes when no chosen section carries them."""
    story: list[Flowable] = [Heading(INTERNAL_BRIEFING, ctx.styles.h1)]
    if points:
        story += talking_points(ctx)
    if internal_notes:
        body = notes_flowables(ctx, ctx.data.internal_notes) or [ctx.empty("No internal notes.")]
        story += ctx.internal_box("Internal notes", body)
    return [PageBreak(), *story]


def _story(ctx: PackContext) -> list[Flowable]:
    sections = _sections(ctx.data)
    internal = ctx.internal
    points_in = next((s for s in (PackSection.SUMMARY, PackSection.NOTES) if s in sections), None)
    builders: dict[PackSection, Callable[[], list[Flowable]]] = {
        PackSection.COVER: lambda: cover(ctx),
        PackSection.AGENDA: lambda: agenda(ctx),
        PackSection.SUMMARY: lambda: summary(
            ctx, with_talking_points=internal and points_in is PackSection.SUMMARY
        ),
        PackSection.ACTIONS: lambda: actions(ctx),
        PackSection.FINDINGS: lambda: findings(ctx),
        PackSection.ROADMAP: lambda: roadmap(ctx),
        PackSection.BUDGET: lambda: budget(ctx),
        PackSection.CSI: lambda: csi(ctx),
        PackSection.RHYTHM: lambda: rhythm(ctx),
        PackSection.NOTES: lambda: notes(
            ctx,
            with_internal_notes=internal,
            with_talking_points=internal and points_in is PackSection.NOTES,
        ),
        PackSection.NOTE_PAGES: lambda: note_pages(ctx),
        PackSection.SIGNOFF: lambda: signoff(ctx),
    }
    story: list[Flowable] = []
    if PackSection.COVER not in sections:
        story += [ContentsMarker(), PageBreak()]
    for section in sections:
        story += builders[section]()
        if section is PackSection.COVER:
            story += [ContentsMarker(), PageBreak()]
    if internal and (points_in is None or PackSection.NOTES not in sections):
        story += _briefing(
            ctx, points=points_in is None, internal_notes=PackSection.NOTES not in sections
        )
    return _tidy(story)


def _tidy(story: list[Flowable]) -> list[Flowable]:
    """No page break straight after another (a blank page), none at the very end."""
    out: list[Flowable] = []
    for flowable in story:
        if isinstance(flowable, PageBreak) and out and isinstance(out[-1], PageBreak):
            continue
        out.append(flowable)
    while out and isinstance(out[-1], PageBreak):
        out.pop()
    return out


def pack_flowables(data: PackData, edition: Edition | str, paper: str) -> list[Flowable]:
    """The pack's flowables, for building them into another document (benchmarks).

    Flowables are used up by a build: call this once per document.
    """
    return _story(PackContext(data, _edition(edition), _paper(paper)))


def render_pack(
    data: PackData, edition: Edition, paper: str, *, deterministic: bool = False
) -> RenderedPack:
    """The pack as PDF bytes, ``paper`` "A4" or "Letter".

    ``deterministic=True`` fixes the creation date and document ID, so the same data
    renders to the same bytes. Raises :class:`ValidationError` for an unknown edition
    or paper size. Text too long to lay out (a single name or title longer than a
    page in its column) is shortened, with a warning, rather than failing the pack.
    """
    edition, paper = _edition(edition), _paper(paper)
    try:
        return _render(data, edition, paper, deterministic=deterministic)
    except LayoutError:
        shortened = _shortened(data, SHORTENED)
        rendered = _render(shortened, edition, paper, deterministic=deterministic)
        warning = (
            f"Some texts were too long to lay out and were shortened to {SHORTENED:,} "
            "characters; the notes and decisions are printed whole."
        )
        return dataclasses.replace(rendered, warnings=(*rendered.warnings, warning))


def _render(data: PackData, edition: Edition, paper: str, *, deterministic: bool) -> RenderedPack:
    ctx = PackContext(data, edition, paper)
    story = _story(ctx)
    buffer = io.BytesIO()
    doc = PackDocument(buffer, ctx, deterministic=deterministic)
    doc.build(story, canvasmaker=numbered_canvas(doc.draw_page_number, planner=doc.plan))
    warnings = tuple(dict.fromkeys((*ctx.warnings, *ctx.glyphs.warnings())))
    return RenderedPack(buffer.getvalue(), doc.page_count, warnings)


SHORTENED = 1000
"""Characters kept of each text but the notes when a pack cannot be laid out whole."""
_WHOLE = {"client_notes", "decisions", "internal_notes"}


def _shortened(value: Any, limit: int) -> Any:
    """``value`` with every text (but the notes) cut to ``limit`` characters and "…"."""
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit].rstrip() + "…"
    if isinstance(value, tuple):
        return tuple(_shortened(item, limit) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: _shortened(getattr(value, f.name), limit)
            for f in dataclasses.fields(value)
            if f.name not in _WHOLE and not isinstance(getattr(value, f.name), bytes | None)
        }
        return dataclasses.replace(value, **changes)
    return value
