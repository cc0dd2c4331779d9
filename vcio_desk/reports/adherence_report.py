"""The printed adherence report: how well meeting rhythms were kept over the last 12 months.

``render_adherence_report(data)`` lays out an :class:`AdherenceReportData` (gathered by
``services.adherence_report``) and returns PDF bytes. Sections, each a bookmark:
Overview (headline figures, flag counts, monthly trend), Summary by owner, Summary by
tier, Standards committee, Exceptions (every rhythm not ok, most severe first) and
Clients (adherence and flag per rhythm type).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from .charts import horizontal_bars, monthly_trend
from .layout import (
    FlagLabel,
    Heading,
    PageFurniture,
    build_pdf,
    column_widths,
    data_table,
    flag_counts,
    section,
    summary_tiles,
    text_cell,
)
from .theme import (
    FLAG_ORDER,
    FONT,
    FONT_BOLD,
    PAGE_MARGIN,
    PALETTE,
    TABLE_PADDING_X,
    Styles,
    escape_text,
    flag_chip,
    flag_label,
    hex_colour,
    page_size,
    paper_name,
    stylesheet,
    table_style,
)

__all__ = [
    "REPORT_TITLE",
    "AdherenceReportData",
    "ClientRow",
    "CommitteeLine",
    "ExceptionRow",
    "GroupFigure",
    "RhythmCell",
    "RhythmType",
    "TrendPoint",
    "render_adherence_report",
]

REPORT_TITLE = "Meeting rhythm adherence"
NO_RHYTHMS = "No rhythms yet"
DASH = "—"


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class GroupFigure:
    """Adherence of a group of rhythms (an owner, a tier, everything)."""

    label: str
    kept: int
    """Past slots in the window whose meeting was held on time."""
    judged: int
    """Past slots in the window (on time, early, late, overdue or missed)."""
    flags: Mapping[str, int] = field(default_factory=dict)
    """How many of the group's rhythms carry each flag."""

    @property
    def pct(self) -> float | None:
        return None if self.judged == 0 else 100.0 * self.kept / self.judged

    @property
    def rhythms(self) -> int:
        return sum(self.flags.values())


@dataclass(frozen=True)
class TrendPoint:
    month: dt.date
    """First day of the month."""
    kept: int
    judged: int

    @property
    def pct(self) -> float | None:
        return None if self.judged == 0 else 100.0 * self.kept / self.judged


@dataclass(frozen=True)
class ExceptionRow:
    """A rhythm whose flag is not ``ok``, with the reason a person can read."""

    flag: str
    subject: str
    subject_kind: str
    meeting_type: str
    owner: str
    reason: str
    tier: str | None = None


@dataclass(frozen=True)
class RhythmType:
    """A column of the client table: one client meeting type."""

    key: str
    label: str


@dataclass(frozen=True)
class RhythmCell:
    flag: str
    pct: float | None


@dataclass(frozen=True)
class ClientRow:
    name: str
    tier: str | None
    vcio: str
    account_manager: str
    cells: Mapping[str, RhythmCell] = field(default_factory=dict)
    """By rhythm type key; a type the client has no rhythm for is absent."""


@dataclass(frozen=True)
class CommitteeLine:
    """The standards committee's own rhythm, measured like any client's."""

    subject: str
    meeting_type: str
    owner: str
    flag: str
    reason: str
    pct: float | None
    last_held: dt.date | None
    next_due: dt.date | None


@dataclass(frozen=True)
class AdherenceReportData:
    msp_name: str
    as_of: dt.date
    paper: str
    """"A4" or "Letter"."""
    overall: GroupFigure
    by_owner: Sequence[GroupFigure]
    by_tier: Sequence[GroupFigure]
    """Client tiers ("Tier A" …)."""
    by_kind: Sequence[GroupFigure]
    """"Clients" and "Internal"."""
    trend: Sequence[TrendPoint]
    """The last twelve months, oldest first."""
    exceptions: Sequence[ExceptionRow]
    """Ranked: most severe flag first, then the longest overdue."""
    rhythm_types: Sequence[RhythmType]
    clients: Sequence[ClientRow]
    committee: Sequence[CommitteeLine]
    window_days: int = 365


# --------------------------------------------------------------------------- formatting


def _pct(value: float | None, *, decimals: int = 1) -> str:
    return DASH if value is None else f"{value:.{decimals}f}%"


def _count(value: int) -> str:
    return f"{value:,}"


def _zero_dash(value: int) -> str:
    return "–" if value == 0 else f"{value:,}"


def _fit(texts: Sequence[str], font: str, size: float) -> float:
    """The width of a column whose cells hold ``texts`` on one line, padding included."""
    return max(stringWidth(text, font, size) for text in texts) + 2 * TABLE_PADDING_X + 1


def _sentence(parts: Sequence[str]) -> str:
    text = "; ".join(parts)
    return f"{text[:1].upper()}{text[1:]}."


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _month_label(month: dt.date, first: bool) -> str:
    name = _MONTHS[month.month - 1]  # not strftime: the GUI sets a locale, the report is English
    return f"{name}\n{month.year}" if first or month.month == 1 else name


class _Report:
    """Builds the story for one report; small methods, one per section."""

    def __init__(self, data: AdherenceReportData) -> None:
        self.data = data
        self.paper = paper_name(data.paper)
        self.styles: Styles = stylesheet()
        self.width = page_size(self.paper)[0] - 2 * PAGE_MARGIN

    # ---- helpers
    def p(self, markup: str, style: Any = None) -> Paragraph:
        return Paragraph(markup, style or self.styles.body)

    def window_text(self) -> str:
        start = self.data.as_of - dt.timedelta(days=self.data.window_days - 1)
        return f"{start.isoformat()} to {self.data.as_of.isoformat()}"

    # ---- story
    def story(self) -> list[Flowable]:
        story = self.overview()
        if self.data.overall.rhythms == 0:
            return story
        story += self.by_owner()
        story += self.by_tier()
        story += self.committee()
        story += self.exceptions()
        story += self.clients()
        return story

    def overview(self) -> list[Flowable]:
        d, s = self.data, self.styles
        story: list[Flowable] = [
            Heading(REPORT_TITLE, s.title, outline_title="Overview"),
            self.p(
                f"{escape_text(d.msp_name)} · as of {d.as_of.isoformat()} · "
                f"the twelve months {self.window_text()}",
                s.subtitle,
            ),
            Spacer(1, 3 * mm),
        ]
        if d.overall.rhythms == 0:
            story += [
                self.p(f"<b>{NO_RHYTHMS}.</b>", s.h2),
                self.p(
                    "This workspace has no active meeting rhythms to measure. Add clients "
                    "and their rhythms (or internal bodies such as the standards committee), "
                    "hold some meetings, and print this report again.",
                ),
            ]
            return story
        overall = d.overall
        clients = next((f.rhythms for f in d.by_kind if f.label == "Clients"), 0)
        internal = overall.rhythms - clients
        story += [
            summary_tiles(
                [
                    (
                        _pct(overall.pct),
                        f"<b>Overall adherence</b><br/>{_count(overall.kept)} of "
                        f"{_count(overall.judged)} past meetings on time",
                    ),
                    (
                        _count(overall.rhythms),
                        f"<b>Rhythms measured</b><br/>{_count(clients)} client · "
                        f"{_count(internal)} internal",
                    ),
                    (
                        _count(len(d.exceptions)),
                        "<b>Exceptions</b><br/>rhythms flagged other than ok",
                    ),
                    (_count(len(d.clients)), "<b>Clients</b><br/>with at least one rhythm"),
                ],
                self.width,
                s,
            ),
            Spacer(1, 4 * mm),
            flag_counts(overall.flags, self.width, s),
            Spacer(1, 2 * mm),
            self.p(
                "Adherence is the share of past meeting slots in the window whose meeting "
                "was held on time (within the rhythm's tolerance). Upcoming and currently "
                "due slots are not judged. Each rhythm carries one flag, the most severe "
                "that applies: broken, overdue, drifting, unbooked or ok.",
                s.note,
            ),
            Heading("Adherence by month", s.h2, level=1),
            monthly_trend(
                [(_month_label(point.month, i == 0), point.pct) for i, point in enumerate(d.trend)],
                self.width,
            ),
            self.p(
                "Each bar is the share of that month's past slots held on time; "
                "“–” marks a month with no judged slots.",
                s.note,
            ),
        ]
        return story

    # ---- group tables
    def group_table(self, first_header: str, rows: Sequence[GroupFigure], total: GroupFigure):
        s = self.styles
        figures = [*rows, total]
        size = s.td.fontSize
        on_time = [f"{_count(f.kept)} of {_count(f.judged)}" for f in figures]
        fixed = [
            _fit([*on_time, "Held on", "time"], FONT_BOLD, size),
            _fit(["Adherence", "100.0%"], FONT_BOLD, size),
        ]
        fixed += [
            _fit(
                [flag_label(flag), *(_count(f.flags.get(flag, 0)) for f in figures)],
                FONT_BOLD,
                size,
            )
            for flag in FLAG_ORDER
        ]
        widths = [max(self.width - sum(fixed), self.width * 0.25), *fixed]
        header: list[Any] = [
            self.p(first_header, s.th),
            self.p("Held on time", s.th_right),
            self.p("Adherence", s.th_right),
        ]
        header += [self.p(flag_chip(flag, line_break=True), s.th_right) for flag in FLAG_ORDER]
        body: list[list[Any]] = [header]
        for figure, held in zip(figures, on_time, strict=True):
            label: Any = (
                figure.label if figure is total else text_cell(figure.label, widths[0], s.td)
            )
            body.append(
                [
                    label,
                    held,
                    _pct(figure.pct),
                    *(_zero_dash(figure.flags.get(flag, 0)) for flag in FLAG_ORDER),
                ]
            )
        style = table_style(right_columns=tuple(range(1, len(widths))), total_row=True)
        return data_table(body, widths, style)

    def by_owner(self) -> list[Flowable]:
        d, s = self.data, self.styles
        total = GroupFigure("All owners", d.overall.kept, d.overall.judged, d.overall.flags)
        ranked = sorted(
            d.by_owner, key=lambda f: (f.pct is None, -(f.pct or 0), f.label.casefold())
        )
        story: list[Flowable] = [
            *section("Summary by owner", s),
            self.p(
                "The owner is the client's vCIO for vCIO meetings, the TAM for alignment "
                "reviews, and the rhythm's owner for internal rhythms. Flag columns count "
                "rhythms.",
                s.note,
            ),
            self.group_table("Owner", d.by_owner, total),
            Heading("Adherence by owner, highest first", s.h2, level=1),
        ]
        charts = horizontal_bars([(f.label, f.pct) for f in ranked], self.width)
        story += charts
        return story

    def by_tier(self) -> list[Flowable]:
        d, s = self.data, self.styles
        internal = [f for f in d.by_kind if f.label == "Internal"]
        rows = [*d.by_tier, *internal]
        total = GroupFigure("All rhythms", d.overall.kept, d.overall.judged, d.overall.flags)
        story: list[Flowable] = [
            *section("Summary by tier", s, min_space=80 * mm),
            self.p(
                "Client rhythms by the client's service tier; internal rhythms (standards "
                "committee, service delivery) are shown on their own line.",
                s.note,
            ),
            self.group_table("Tier", rows, total),
            Spacer(1, 4 * mm),
        ]
        charts = horizontal_bars([(f.label, f.pct) for f in rows], self.width, bar_pitch=15)
        if charts:
            story.append(KeepTogether(charts))
        return story

    # ---- committee
    def committee(self) -> list[Flowable]:
        d, s = self.data, self.styles
        story: list[Flowable] = [*section("Standards committee", s, min_space=45 * mm)]
        if not d.committee:
            story.append(self.p("No standards committee rhythm is set up in this workspace."))
            return story
        rows: list[list[Any]] = []
        muted = hex_colour(PALETTE.muted)
        for line in d.committee:
            facts = [f"adherence {_pct(line.pct)} over the last twelve months"]
            facts.append(
                f"last held {line.last_held.isoformat()}" if line.last_held else "never held"
            )
            if line.next_due:
                facts.append(f"next due {line.next_due.isoformat()}")
            owner = f", owned by {escape_text(line.owner)}" if line.owner else ""
            rows.append(
                [
                    self.p(flag_chip(line.flag, bold=True), s.td),
                    self.p(
                        f"<b>{escape_text(line.subject)}</b> — {escape_text(line.meeting_type)}"
                        f"{owner}<br/>{_sentence(facts)}<br/>"
                        f"<font color='{muted}'>{escape_text(line.reason)}</font>",
                        s.td,
                    ),
                ]
            )
        style = TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, s.base_size),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, -1), PALETTE.zebra),
                ("LINEBEFORE", (0, 0), (0, -1), 2.5, PALETTE.accent),
                ("LINEBELOW", (0, 0), (-1, -2), 0.4, PALETTE.rule),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
            ]
        )
        chip_width = _fit([flag_label(line.flag) for line in d.committee], FONT_BOLD, 8) + 16
        widths = [chip_width, self.width - chip_width]
        story.append(Table(rows, colWidths=widths, style=style, hAlign="LEFT"))
        story.append(
            self.p(
                "The committee's own meetings are measured like any client's rhythm; "
                "a committee that drifts is a standards library that drifts.",
                s.note,
            )
        )
        return story

    # ---- exceptions
    def exceptions(self) -> list[Flowable]:
        d, s = self.data, self.styles
        story: list[Flowable] = [*section("Exceptions", s)]
        if not d.exceptions:
            story.append(self.p("No exceptions: every rhythm is on track (flag ok)."))
            return story
        story.append(
            self.p(
                f"{_count(len(d.exceptions))} rhythms whose flag is not ok, most severe "
                "first, then the longest overdue.",
                s.note,
            )
        )
        size = s.td.fontSize
        flags = [FlagLabel(item.flag, size=size, bold=True) for item in d.exceptions]
        flag_width = max(f.width for f in flags) + 2 * TABLE_PADDING_X
        widths = [flag_width, *column_widths([25, 19, 17, 39], self.width - flag_width)]
        header = [self.p(text, s.th) for text in ("Flag", "Subject", "Meeting type", "Owner")]
        header.append(self.p("Reason", s.th))
        rows: list[list[Any]] = [header]
        for item, flag in zip(d.exceptions, flags, strict=True):
            if item.subject_kind != "client":
                note = "internal"
            else:
                note = (item.tier or "").replace(" ", "\u00a0")
            subject = escape_text(item.subject)
            if note:
                subject += (
                    f" <font color='{hex_colour(PALETTE.muted)}'>({escape_text(note)})</font>"
                )
            rows.append(
                [
                    flag,
                    self.p(subject, s.td),
                    text_cell(item.meeting_type, widths[2], s.td),
                    text_cell(item.owner or DASH, widths[3], s.td),
                    text_cell(item.reason, widths[4], s.td),
                ]
            )
        story.append(data_table(rows, widths, table_style()))
        return story

    # ---- clients
    def clients(self) -> list[Flowable]:
        d, s = self.data, self.styles
        story: list[Flowable] = [*section("Clients", s)]
        if not d.clients:
            story.append(self.p("No clients with rhythms yet."))
            return story
        story.append(
            self.p(
                "Each client's adherence over the last twelve months and current flag, per "
                "rhythm type. “—” means the client has no rhythm of that type, or no past "
                "slot to judge yet.",
                s.note,
            )
        )
        types = list(d.rhythm_types)
        size = s.td.fontSize
        pad = 2 * TABLE_PADDING_X
        figure_width = stringWidth("100%", FONT_BOLD, size)
        widest = max(
            FlagLabel(flag, figure="100%", size=size, figure_width=figure_width).width
            for flag in FLAG_ORDER
        )
        stacked = len(types) * (widest + pad) > self.width * 0.42
        if stacked:
            widest = max(
                FlagLabel(flag, figure="100%", size=size, stacked=True).width for flag in FLAG_ORDER
            )
        type_width = max(widest + pad, self.width * 0.09)
        tier_width = _fit(["Tier"], FONT_BOLD, size)
        rest = self.width - tier_width - type_width * len(types)
        # People columns as wide as their longest name (up to 30 % each); clients get the rest.
        vcio_width, manager_width = (
            min(rest * 0.3, _fit(names | {"vCIO"}, FONT, size))
            for names in (
                {c.vcio for c in d.clients},
                {c.account_manager for c in d.clients},
            )
        )
        name_width = rest - vcio_width - manager_width
        widths = [name_width, tier_width, vcio_width, manager_width, *[type_width] * len(types)]
        header: list[Any] = [
            self.p("Client", s.th),
            self.p("Tier", s.th),
            self.p("vCIO", s.th),
            self.p("Account manager", s.th),
        ]
        header += [self.p(escape_text(t.label), s.th) for t in types]
        rows: list[list[Any]] = [header]
        for client in d.clients:
            row: list[Any] = [
                text_cell(client.name, name_width, s.td),
                text_cell(client.tier or DASH, tier_width, s.td),
                text_cell(client.vcio or DASH, vcio_width, s.td),
                text_cell(client.account_manager or DASH, manager_width, s.td),
            ]
            for rhythm_type in types:
                cell = client.cells.get(rhythm_type.key)
                if cell is None:
                    row.append(DASH)
                else:
                    figure = _pct(cell.pct, decimals=0)
                    row.append(
                        FlagLabel(
                            cell.flag,
                            figure=figure,
                            size=size,
                            stacked=stacked,
                            figure_width=figure_width,
                        )
                    )
            rows.append(row)
        story.append(data_table(rows, widths, table_style(center_columns=(1,))))
        return story


def render_adherence_report(data: AdherenceReportData, *, deterministic: bool = False) -> bytes:
    """The adherence report as PDF bytes (A4 or Letter, from ``data.paper``).

    ``deterministic=True`` fixes the creation date and document ID, so the same data
    gives the same bytes.
    """
    report = _Report(data)
    furniture = PageFurniture(
        msp_name=data.msp_name or "Your MSP",
        title=REPORT_TITLE,
        as_of=f"As of {data.as_of.isoformat()}",
    )
    return build_pdf(
        report.story(),
        furniture=furniture,
        paper=report.paper,
        subject="Adherence of client and internal meeting rhythms over the last twelve months",
        deterministic=deterministic,
    )
