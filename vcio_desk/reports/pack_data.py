"""What a meeting pack holds: gathered by ``services.packs``, laid out by ``reports.pack``.

Everything is already in the words and units a reader sees (names, not ids; local
dates and times; money as Decimal with the workspace's currency symbol beside it).
Nothing here is filtered by edition: the renderer leaves out what the client
edition must not show (internal notes, talking points, internal-only standards,
the rhythm's flag and reason), so one ``PackData`` serves both editions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Edition(StrEnum):
    CLIENT = "client"
    INTERNAL = "internal"


class PackSection(StrEnum):
    """The sections a meeting type can choose, in the order it lists them."""

    COVER = "cover"
    AGENDA = "agenda"
    SUMMARY = "summary"
    """Executive summary: score and trend, adherence, open high risks, budget, actions."""
    ACTIONS = "actions"
    """Actions from earlier meetings (carried) and raised at this one, with their status."""
    FINDINGS = "findings"
    ROADMAP = "roadmap"
    BUDGET = "budget"
    CSI = "csi"
    RHYTHM = "rhythm"
    NOTES = "notes"
    """The meeting's client-facing notes and decisions; internal notes in the internal edition."""
    NOTE_PAGES = "note_pages"
    """Lined pages for handwriting."""
    SIGNOFF = "signoff"
    """Attendance (present / absent) and sign-off lines."""


DEFAULT_SECTIONS: tuple[PackSection, ...] = tuple(PackSection)
"""Every section, in the order above: the default for a meeting type that names none."""


@dataclass(frozen=True, slots=True)
class PackPerson:
    name: str
    role: str
    """Job title for a client contact, the role for staff ("vCIO", "TAM"), or "Guest"."""
    organisation: str
    """The client's name or the MSP's."""
    present: bool | None = None


@dataclass(frozen=True, slots=True)
class AgendaLine:
    starts: dt.time | None
    """Local start of the item (the meeting's start plus the minutes before it)."""
    minutes: int
    title: str
    presenter: str
    notes: str = ""


@dataclass(frozen=True, slots=True)
class ActionLine:
    title: str
    owner: str
    due: dt.date | None
    status: str
    """"open", "done" or "cancelled"."""
    raised_at: str
    """Where it was raised ("vCIO strategic meeting 2026-06-11"), or "" when not at a meeting."""
    overdue: bool
    carried: bool
    """Raised before this meeting (True) or at it (False)."""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class ScorePoint:
    day: dt.date
    score: float | None


@dataclass(frozen=True, slots=True)
class SectionScore:
    section: str
    score: float | None
    coverage: float | None
    findings: int


@dataclass(frozen=True, slots=True)
class FindingLine:
    """A misaligned standard of the latest review (completed, else the one in progress)."""

    code: str
    section: str
    category: str
    question: str
    priority: str
    """"high", "medium" or "low"."""
    rating: str | None
    """"marginal", "vulnerable", or None when not rated yet."""
    why_it_matters: str
    how_to_align: str
    notes: str
    recommendation: str
    """The linked CSI item's title, or ""."""
    internal_only: bool


@dataclass(frozen=True, slots=True)
class ReviewFigures:
    started_on: dt.date
    completed_on: dt.date | None
    tam: str
    score: float | None
    coverage: float | None
    progress: float | None
    sections: tuple[SectionScore, ...]
    trend: tuple[ScorePoint, ...]
    """Completed reviews, oldest first (the latest included)."""


@dataclass(frozen=True, slots=True)
class QuarterCost:
    label: str
    """"FY2027 Q3"."""
    first_day: dt.date
    last_day: dt.date
    one_time: Decimal
    recurring: Decimal
    """Three months of every recurring cost running in the quarter."""
    annualised_recurring: Decimal

    @property
    def total(self) -> Decimal:
        return self.one_time + self.recurring


@dataclass(frozen=True, slots=True)
class RoadmapLine:
    title: str
    quarter: str
    """The target quarter's label, "Earlier", "Later" or "Unscheduled"."""
    status: str
    size: str
    priority: str
    one_time: Decimal
    recurring_monthly: Decimal
    kpi_progress: float | None


@dataclass(frozen=True, slots=True)
class CsiLine:
    rank: int
    title: str
    size: str
    priority: str
    status: str
    kpi_name: str
    kpi_unit: str
    kpi_baseline: Decimal | None
    kpi_target: Decimal | None
    kpi_current: Decimal | None
    kpi_progress: float | None
    target: str
    """Target quarter label or "Unscheduled"."""
    justification: str


@dataclass(frozen=True, slots=True)
class SlotLine:
    nominal: dt.date
    status: str
    """In words: "held on time", "held late", "missed", "upcoming", "booked", "due"..."""
    held: dt.date | None
    delta_days: int | None


@dataclass(frozen=True, slots=True)
class RhythmLine:
    meeting_type: str
    description: str
    """The rule in plain words ("Every 3 months on the 2nd Tuesday")."""
    tolerance_days: int
    adherence_pct: float | None
    past: tuple[SlotLine, ...]
    """The last twelve months' slots."""
    upcoming: tuple[dt.date, ...]
    """The next twelve months' slots (the meetings planned for them where booked)."""
    flag: str
    """Internal edition only."""
    reason: str
    """Internal edition only."""


@dataclass(frozen=True, slots=True)
class PackData:
    meeting_id: int
    as_of: dt.date
    msp_name: str
    msp_logo: bytes | None
    client_name: str
    """The client's name, or the internal body's (the committee's pack)."""
    client_logo: bytes | None
    meeting_type: str
    start: dt.datetime
    """Local start, zone-aware."""
    end: dt.datetime
    timezone: str
    location: str
    owner: str
    status: str
    sections: tuple[PackSection, ...]
    """The meeting type's choice and order."""
    attendees: tuple[PackPerson, ...]
    agenda: tuple[AgendaLine, ...]
    actions: tuple[ActionLine, ...]
    """Carried from earlier meetings first, then raised at this one."""
    review: ReviewFigures | None
    findings: tuple[FindingLine, ...]
    adherence_pct: float | None
    adherence_kept: int
    adherence_judged: int
    quarters: tuple[QuarterCost, ...]
    """The roadmap window: the current fiscal quarter and the next ones (4 to 8)."""
    roadmap: tuple[RoadmapLine, ...]
    unscheduled_one_time: Decimal
    unscheduled_recurring_monthly: Decimal
    csi: tuple[CsiLine, ...]
    rhythms: tuple[RhythmLine, ...]
    client_notes: str
    """Simple markup (``domain.markup``): paragraphs, lists, *emphasis*, **strong**."""
    decisions: str
    internal_notes: str
    """Internal edition only."""
    talking_points: tuple[str, ...]
    """Internal edition only: what the vCIO should raise (drift, overdue actions,
    vulnerable findings without a recommendation...)."""
    currency_symbol: str = ""
    fiscal_year_start_month: int = 1
    confidentiality: str = "Confidential: prepared for the named client only."
    warnings: tuple[str, ...] = field(default=())
    """Problems met while gathering (an unreadable logo...), reported to the user."""
