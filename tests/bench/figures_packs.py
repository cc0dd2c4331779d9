"""Meeting pack figures: one typical pack, its overhead over plain reportlab, and 100 packs.

Packs come from the large workspace through the real service
(``services.packs.assemble_pack``) for the meetings of the next 30 days. The typical
pack is the one whose page count is nearest to ten. Its render time is compared with
the same flowables (``reports.pack.pack_flowables``) built by a plain reportlab
``SimpleDocTemplate`` in the same run, so the figure measures what the pack adds
(page templates, header and footer, numbering, bookmarks, the contents page) and not
the machine. The batch gathers and renders 100 packs one after the other in this
process and follows the peak resident memory, which must level off.
"""

from __future__ import annotations

import datetime as dt
import io
import resource
import statistics
import time
from pathlib import Path

from .harness import Figure

TYPICAL_PAGES = 10
BATCH = 100
DAYS = 30


def _peak_rss_mb() -> float:
    """The process's peak resident set so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _plain_build(data: object, edition: object, paper: str) -> float:
    """Seconds to build the pack's flowables with a bare SimpleDocTemplate."""
    from reportlab.platypus import SimpleDocTemplate

    from vcio_desk.reports.document import BOTTOM_MARGIN, TOP_MARGIN_LATER
    from vcio_desk.reports.pack import pack_flowables
    from vcio_desk.reports.theme import PAGE_MARGIN, page_size

    started = time.perf_counter()
    story = pack_flowables(data, edition, paper)  # type: ignore[arg-type]
    doc = SimpleDocTemplate(
        io.BytesIO(),
        pagesize=page_size(paper),
        leftMargin=PAGE_MARGIN,
        rightMargin=PAGE_MARGIN,
        topMargin=TOP_MARGIN_LATER,
        bottomMargin=BOTTOM_MARGIN,
    )
    doc.build(story)
    return time.perf_counter() - started


def packs(workspace: Path, as_of: dt.date, runs: int) -> list[Figure]:
    from vcio_desk.reports.pack import render_pack
    from vcio_desk.reports.pack_data import Edition
    from vcio_desk.services.packs import assemble_pack, meetings_in_next_days
    from vcio_desk.store import open_store

    edition, paper = Edition.CLIENT, "A4"
    with open_store(workspace, read_only=True) as store:
        targets = meetings_in_next_days(store, as_of, DAYS)[:BATCH]
        datas = [assemble_pack(store, t.meeting_id, as_of) for t in targets[:20]]
        sized = [
            (abs(render_pack(d, edition, paper).pages - TYPICAL_PAGES), i)
            for i, d in enumerate(datas)
        ]
        typical = datas[min(sized)[1]]
        pages = render_pack(typical, edition, paper).pages

        render_times: list[float] = []
        ratios: list[float] = []
        for _ in range(runs):
            started = time.perf_counter()
            render_pack(typical, edition, paper)
            rendered = time.perf_counter() - started
            plain = _plain_build(typical, edition, paper)
            render_times.append(rendered)
            ratios.append(rendered / plain)

        rss_before = _peak_rss_mb()
        rss_marks: list[float] = []
        batch_pages = 0
        started = time.perf_counter()
        for index, target in enumerate(targets, start=1):
            data = assemble_pack(store, target.meeting_id, as_of)
            batch_pages += render_pack(data, edition, paper).pages
            if index in (10, len(targets)):
                rss_marks.append(_peak_rss_mb())
        batch = time.perf_counter() - started

    growth = rss_marks[-1] - rss_marks[0] if len(rss_marks) == 2 else 0.0
    return [
        Figure(
            f"Pack PDF, typical ({pages} pages)",
            statistics.median(render_times),
            "s",
            0.5,
            render_times,
            "render_pack, client edition, A4, data gathered beforehand",
        ),
        Figure(
            "Pack render vs plain SimpleDocTemplate, same flowables",
            statistics.median(ratios),
            "x",
            1.5,
            ratios,
            "render_pack time / (pack_flowables + SimpleDocTemplate.build) in the same run",
        ),
        Figure(
            f"{len(targets)} packs, gather + render",
            batch,
            "s",
            40.0 * len(targets) / BATCH,
            [batch],
            f"one pass, one process; {batch_pages} pages; meetings of the next {DAYS} days",
        ),
        Figure(
            f"Peak memory growth, pack 10 to {len(targets)}",
            growth,
            "MB",
            10.0,
            rss_marks,
            f"peak RSS {rss_before:.0f} MB before the batch, "
            + ", ".join(f"{mark:.0f} MB" for mark in rss_marks)
            + " after pack 10 and the last: flat when the batch holds nothing between packs",
        ),
    ]
