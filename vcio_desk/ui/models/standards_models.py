"""The Standards page's tables: standards, change log, committee meetings and proposals.

Each is a :class:`~vcio_desk.ui.models.standards_rows.RowsModel` over the services'
dataclasses, with columns chosen for a laptop screen (the long text is in the
detail panes; cells carry one line and a tooltip).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLocale, QObject, Qt

from vcio_desk.domain.markup import parse, plain_text
from vcio_desk.domain.vocab import MeetingStatus, Priority
from vcio_desk.services.committee import CommitteeMeeting, DecisionView
from vcio_desk.services.standards_library import StandardView
from vcio_desk.services.standards_log import ChangeView
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.models.standards_rows import ColumnSpec, RowsModel, one_line

PRIORITY_ORDER = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}
STATUS_WORDS = {
    MeetingStatus.PROPOSED: "Proposed",
    MeetingStatus.CONFIRMED: "Confirmed",
    MeetingStatus.HELD: "Held",
    MeetingStatus.CANCELLED: "Cancelled",
}
DECISION_WORDS = {"proposed": "Pending", "accepted": "Accepted", "rejected": "Rejected"}


def changed_at_text(when: dt.datetime, locale: QLocale) -> str:
    """A change's instant on this computer's clock: the date and the time of day."""
    local = when.astimezone()
    return f"{format_date(local.date(), locale)} {local:%H:%M}"


def standards_model(parent: QObject | None = None) -> RowsModel[StandardView]:
    columns: list[ColumnSpec[StandardView]] = [
        ColumnSpec("Code", lambda s: s.code),
        ColumnSpec("Question", lambda s: one_line(s.question), tooltip=lambda s: s.question),
        ColumnSpec(
            "Priority",
            lambda s: s.priority.value.capitalize(),
            sort_key=lambda s: PRIORITY_ORDER[s.priority],
        ),
        ColumnSpec(
            "Tiers",
            lambda s: " ".join(s.tiers),
            align=Qt.AlignmentFlag.AlignCenter,
            tooltip=lambda s: "Applies to tier " + ", ".join(s.tiers),
        ),
        ColumnSpec(
            "Category",
            lambda s: s.category,
            sort_key=lambda s: (s.section.casefold(), s.category.casefold(), s.position),
            tooltip=lambda s: s.path,
        ),
        ColumnSpec(
            "Status",
            lambda s: "Archived" if s.archived else ("Internal only" if s.internal_only else ""),
            sort_key=lambda s: (s.archived, s.internal_only),
        ),
    ]
    model = RowsModel(columns, parent)
    model.dimmed = lambda s: s.archived
    return model


def change_log_model(
    parent: QObject | None = None, locale: QLocale | None = None
) -> RowsModel[ChangeView]:
    loc = locale or QLocale()
    columns: list[ColumnSpec[ChangeView]] = [
        ColumnSpec(
            "When",
            lambda c: changed_at_text(c.changed_at, loc),
            sort_key=lambda c: (c.changed_at, c.id),
        ),
        ColumnSpec("Who", lambda c: c.author),
        ColumnSpec("Action", lambda c: c.action_label),
        ColumnSpec("Standard", lambda c: c.subject),
        ColumnSpec("What changed", lambda c: one_line(c.summary), tooltip=lambda c: c.summary),
        ColumnSpec("Why", lambda c: one_line(c.reason), tooltip=lambda c: c.reason),
        ColumnSpec(
            "Decision",
            lambda c: one_line(c.decision_title, 80),
            tooltip=lambda c: _decision_tip(c, loc),
        ),
    ]
    return RowsModel(columns, parent)


def _decision_tip(change: ChangeView, locale: QLocale) -> str:
    if change.decision_id is None:
        return ""
    on = f" on {format_date(change.decided_on, locale)}" if change.decided_on else ""
    return f"Decided by the standards committee{on}: {change.decision_title}"


def meetings_model(
    parent: QObject | None = None, locale: QLocale | None = None
) -> RowsModel[CommitteeMeeting]:
    loc = locale or QLocale()
    columns: list[ColumnSpec[CommitteeMeeting]] = [
        ColumnSpec(
            "Date", lambda x: format_date(x.day, loc), sort_key=lambda x: (x.day, x.start, x.id)
        ),
        ColumnSpec("Status", lambda x: STATUS_WORDS.get(x.status, str(x.status))),
        ColumnSpec(
            "Decisions",
            lambda x: _decisions_text(x),
            sort_key=lambda x: len(x.decisions),
            tooltip=lambda x: "\n".join(
                f"{DECISION_WORDS.get(d.status, d.status)}: {d.title}" for d in x.decisions
            ),
        ),
        ColumnSpec(
            "Minutes",
            lambda x: (
                one_line(plain_text(parse(x.minutes)), 120)
                or ("No minutes yet" if x.status == "held" else "")
            ),
            tooltip=lambda x: x.minutes,
        ),
    ]
    model = RowsModel(columns, parent)
    model.dimmed = lambda x: x.status is MeetingStatus.CANCELLED
    return model


def _decisions_text(meeting: CommitteeMeeting) -> str:
    if not meeting.decisions:
        return ""
    accepted = sum(1 for d in meeting.decisions if d.status == "accepted")
    rejected = len(meeting.decisions) - accepted
    parts = [f"{accepted} accepted"] if accepted else []
    parts += [f"{rejected} rejected"] if rejected else []
    return ", ".join(parts)


def proposals_model(
    parent: QObject | None = None, locale: QLocale | None = None
) -> RowsModel[DecisionView]:
    loc = locale or QLocale()
    columns: list[ColumnSpec[DecisionView]] = [
        ColumnSpec("Proposal", lambda d: one_line(d.title, 120), tooltip=lambda d: d.description),
        ColumnSpec(
            "Library changes",
            lambda d: one_line("; ".join(c.describe() for c in d.changes), 120) or "None",
            sort_key=lambda d: len(d.changes),
            tooltip=lambda d: "\n".join(c.describe() for c in d.changes),
        ),
        ColumnSpec(
            "Proposed on",
            lambda d: format_date(d.created_at.astimezone().date(), loc),
            sort_key=lambda d: (d.created_at, d.id),
        ),
    ]
    return RowsModel(columns, parent)
