"""Gather the adherence report's data from the store, then hand it to the renderer.

``adherence_report_data`` reads once (drift for every rhythm, the adherence summary, a few
names) and returns a plain :class:`AdherenceReportData`; ``write_adherence_report``
renders it and writes the PDF atomically.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import aliased

from vcio_desk.atomic import write_atomically
from vcio_desk.domain.drift import ADHERENCE_DAYS, Flag
from vcio_desk.domain.vocab import BodyKind, MeetingKind
from vcio_desk.reports.adherence_report import (
    AdherenceReportData,
    ClientRow,
    CommitteeLine,
    ExceptionRow,
    GroupFigure,
    RhythmCell,
    RhythmType,
    TrendPoint,
    render_adherence_report,
)
from vcio_desk.reports.theme import paper_name
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .adherence import AdherenceFigure, summarize_adherence
from .drift import RhythmDrift, assess_all
from .drift_report import ranked
from .settings import read_settings

__all__ = ["adherence_report_data", "write_adherence_report"]

DEFAULT_MSP_NAME = "Your MSP"


def _group(figure: AdherenceFigure) -> GroupFigure:
    return GroupFigure(figure.label, figure.kept, figure.judged, dict(figure.flags))


def _exception(item: RhythmDrift) -> ExceptionRow:
    return ExceptionRow(
        flag=item.assessment.flag.value,
        subject=item.subject,
        subject_kind=item.subject_kind,
        meeting_type=item.meeting_type,
        owner=item.owner,
        reason=item.assessment.reason,
        tier=f"Tier {item.tier}" if item.tier else None,
    )


def adherence_report_data(
    store: Store, as_of: dt.date, paper: str | None = None
) -> AdherenceReportData:
    """Everything the adherence report prints, as of ``as_of``.

    ``paper`` ("A4" or "Letter", any case) overrides the workspace's paper size setting.
    """
    if paper and not paper_name(paper, default=""):
        raise ValueError(f"unknown paper size {paper!r}: use A4 or Letter")
    report = assess_all(store, as_of)
    summary = summarize_adherence(report)
    settings = read_settings(store)
    vcio, manager = aliased(m.Staff), aliased(m.Staff)
    with store.session() as session:
        people = {
            row.id: (row.vcio or "", row.manager or "")
            for row in session.execute(
                select(m.Client.id, vcio.name.label("vcio"), manager.name.label("manager"))
                .outerjoin(vcio, vcio.id == m.Client.vcio_id)
                .outerjoin(manager, manager.id == m.Client.account_manager_id)
            )
        }
        type_rows = session.execute(
            select(m.MeetingType.key, m.MeetingType.name)
            .where(m.MeetingType.kind != MeetingKind.INTERNAL)
            .order_by(m.MeetingType.id)
        ).all()
        committees = set(
            session.scalars(
                select(m.InternalBody.id).where(m.InternalBody.kind == BodyKind.STANDARDS_COMMITTEE)
            )
        )

    client_rhythms: dict[int, list[RhythmDrift]] = defaultdict(list)
    for item in report.rhythms:
        if item.subject_kind == "client":
            client_rhythms[item.subject_id].append(item)
    used_types = {item.meeting_type_key for items in client_rhythms.values() for item in items}
    rhythm_types = [RhythmType(key, name) for key, name in type_rows if key in used_types]
    clients = []
    for client_id, items in client_rhythms.items():
        first = items[0]
        vcio_name, manager_name = people.get(client_id, ("", ""))
        clients.append(
            ClientRow(
                name=first.subject,
                tier=first.tier,
                vcio=vcio_name,
                account_manager=manager_name or first.account_manager,
                cells={
                    item.meeting_type_key: RhythmCell(
                        item.assessment.flag.value, item.assessment.adherence_pct
                    )
                    for item in items
                },
            )
        )
    clients.sort(key=lambda row: (row.name.casefold(), row.name))
    committee = [
        CommitteeLine(
            subject=item.subject,
            meeting_type=item.meeting_type,
            owner=item.owner,
            flag=item.assessment.flag.value,
            reason=item.assessment.reason,
            pct=item.assessment.adherence_pct,
            last_held=item.assessment.last_held,
            next_due=item.assessment.next_due,
        )
        for item in report.rhythms
        if item.subject_kind == "internal" and item.subject_id in committees
    ]
    exceptions = [
        _exception(item) for item in ranked(report.rhythms) if item.assessment.flag is not Flag.OK
    ]
    msp_name = settings.get("msp_name")
    return AdherenceReportData(
        msp_name=msp_name if isinstance(msp_name, str) and msp_name.strip() else DEFAULT_MSP_NAME,
        as_of=as_of,
        paper=paper_name(paper if paper else settings.get("paper_size")),
        overall=_group(summary.overall),
        by_owner=[_group(f) for f in summary.by_owner],
        by_tier=[_group(f) for f in summary.by_tier],
        by_kind=[_group(f) for f in summary.by_kind],
        trend=[TrendPoint(p.month, p.kept, p.judged) for p in summary.trend],
        exceptions=exceptions,
        rhythm_types=rhythm_types,
        clients=clients,
        committee=committee,
        window_days=ADHERENCE_DAYS,
    )


def write_adherence_report(
    store: Store, path: Path | str, as_of: dt.date, paper: str | None = None
) -> Path:
    """Render the adherence report and write it to ``path`` whole or not at all.

    Raises :class:`vcio_desk.atomic.WriteError` when the file cannot be written; the
    destination is then left as it was.
    """
    data = adherence_report_data(store, as_of, paper)
    target = Path(path)
    write_atomically(target, render_adherence_report(data))
    return target
