"""Meeting packs built by hand for the renderer's tests and benchmark.

- :func:`rich_pack`: a realistic vCIO strategic meeting with every section filled
  (about ten pages), with unique marker strings in everything the client edition
  must leave out;
- :func:`empty_pack`: a meeting with nothing gathered yet (no review, no actions...);
- :func:`hostile_pack`: markup characters, very long names and notes, Polish, Greek,
  Cyrillic and CJK text, and logos that are not images.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw

from vcio_desk.reports.pack_data import (
    DEFAULT_SECTIONS,
    ActionLine,
    AgendaLine,
    CsiLine,
    FindingLine,
    PackData,
    PackPerson,
    QuarterCost,
    ReviewFigures,
    RhythmLine,
    RoadmapLine,
    ScorePoint,
    SectionScore,
    SlotLine,
)

from .pack_fixture_rows import (
    AGENDA,
    CARRIED,
    CSI,
    FINDINGS,
    HOW,
    PEOPLE,
    QUARTERS,
    RAISED,
    ROADMAP,
    SECTION_SCORES,
    WHY,
    rows,
)

ZONE = ZoneInfo("Europe/Warsaw")
AS_OF = dt.date(2026, 11, 20)

# Unique strings that only the internal edition may print. Each has markup in it too.
INTERNAL_NOTE = "QZX-internal-note <font color=red>keep quiet</font> & co"
TALKING_POINT = "QZX-talking-point: raise the <b>overdue</b> backup test"
INTERNAL_STANDARD = "QZX-internal-standard: is the MSP's <i>admin</i> tool patched?"
FLAG_REASON = "QZX-flag-reason: last two meetings held 20 days late"
INTERNAL_MARKERS = (
    "QZX-internal-note",
    "QZX-talking-point",
    "QZX-internal-standard",
    "QZX-flag-reason",
)

CLIENT_NOTE_MARKER = "ClientNoteMarker"
INTERNAL_LIST = "- Margin on the firewall deal is thin\n- Finance prefers quarterly invoices"
"""Printed in both editions (the client-facing notes)."""


def logo_png(colour: str = "#1F6FB2", text_colour: str = "white", size=(360, 120)) -> bytes:
    """A small logo: a coloured rounded panel with a white mark, as PNG bytes."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=18, fill=colour)
    draw.ellipse((20, 20, 100, 100), fill=text_colour)
    draw.rectangle((120, 45, 330, 75), fill=text_colour)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def logo_jpeg() -> bytes:
    image = Image.new("RGB", (300, 300), "#2E7D32")
    ImageDraw.Draw(image).polygon([(150, 20), (280, 280), (20, 280)], fill="#F2C94C")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _day(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _number(text: str) -> Decimal | None:
    return Decimal(text) if text else None


def _people() -> tuple[PackPerson, ...]:
    present = {"yes": True, "no": False, "": None}
    return tuple(
        PackPerson(name, role, organisation, present[flag])
        for name, role, organisation, flag in rows(PEOPLE)
    )


def _agenda(start: dt.datetime) -> tuple[AgendaLine, ...]:
    lines, minutes = [], 0
    for length, title, presenter, notes in rows(AGENDA):
        starts = (start + dt.timedelta(minutes=minutes)).time()
        lines.append(AgendaLine(starts, int(length), title, presenter, notes))
        minutes += int(length)
    return tuple(lines)


def _actions() -> tuple[ActionLine, ...]:
    earlier = "vCIO strategic meeting 12 Aug 2026"
    return tuple(
        ActionLine(
            title,
            owner,
            _day(due),
            status,
            earlier if carried else "",
            late == "yes",
            carried,
            notes,
        )
        for table, carried in ((CARRIED, True), (RAISED, False))
        for title, owner, due, status, late, notes in rows(table)
    )


def _review() -> ReviewFigures:
    trend = ((2025, 5, 6, 54.0), (2025, 11, 4, 61.5), (2026, 5, 5, 66.0), (2026, 11, 3, 71.4))
    return ReviewFigures(
        started_on=dt.date(2026, 10, 20),
        completed_on=dt.date(2026, 11, 3),
        tam="Sam Okafor",
        score=71.4,
        coverage=92.0,
        progress=100.0,
        sections=tuple(
            SectionScore(name, float(score) if score else None, float(cover), int(count))
            for name, score, cover, count in rows(SECTION_SCORES)
        ),
        trend=tuple(ScorePoint(dt.date(y, m, d), score) for y, m, d, score in trend),
    )


def _findings() -> tuple[FindingLine, ...]:
    return tuple(
        FindingLine(
            code=code,
            section=section,
            category=category,
            question=question.format(internal=INTERNAL_STANDARD),
            priority=priority,
            rating=rating or None,
            why_it_matters=WHY.get(section, ""),
            how_to_align=HOW,
            notes="Seen on 3 of 12 servers during the review." if code == "SEC-01" else "",
            recommendation=recommendation,
            internal_only=question == "{internal}",
        )
        for code, section, category, question, priority, rating, recommendation in rows(FINDINGS)
    )


def _quarters() -> tuple[QuarterCost, ...]:
    return tuple(
        QuarterCost(label, _day(a), _day(b), Decimal(one), Decimal(rec), Decimal(rec) * 4)
        for label, a, b, one, rec in rows(QUARTERS)
    )


def _roadmap() -> tuple[RoadmapLine, ...]:
    return tuple(
        RoadmapLine(t, q, st, sz, pr, Decimal(one), Decimal(mo), float(kpi) if kpi else None)
        for t, q, st, sz, pr, one, mo, kpi in rows(ROADMAP)
    )


def _csi() -> tuple[CsiLine, ...]:
    return tuple(
        CsiLine(
            rank=rank,
            title=title,
            size=size,
            priority=priority,
            status=status,
            kpi_name=name,
            kpi_unit=unit,
            kpi_baseline=_number(baseline),
            kpi_target=_number(target),
            kpi_current=_number(current),
            kpi_progress=float(progress) if progress else None,
            target=quarter,
            justification=why,
        )
        for rank, (
            title,
            size,
            priority,
            status,
            name,
            unit,
            baseline,
            target,
            current,
            progress,
            quarter,
            why,
        ) in enumerate(rows(CSI), start=1)
    )


def _rhythms() -> tuple[RhythmLine, ...]:
    quarterly_past = (
        SlotLine(dt.date(2026, 2, 10), "held on time", dt.date(2026, 2, 12), 2),
        SlotLine(dt.date(2026, 5, 12), "held late", dt.date(2026, 6, 2), 21),
        SlotLine(dt.date(2026, 8, 11), "held late", dt.date(2026, 8, 31), 20),
        SlotLine(dt.date(2026, 11, 10), "booked", None, None),
    )
    monthly_past = tuple(
        SlotLine(
            dt.date(2025 + (m + 11) // 12, (m + 11) % 12 + 1, 6),
            "missed" if m in (3, 7) else "held on time",
            None if m in (3, 7) else dt.date(2025 + (m + 11) // 12, (m + 11) % 12 + 1, 7),
            None if m in (3, 7) else 1,
        )
        for m in range(1, 12)
    )
    return (
        RhythmLine(
            meeting_type="vCIO strategic meeting",
            description="Every 3 months on the 2nd Tuesday",
            tolerance_days=7,
            adherence_pct=33.3,
            past=quarterly_past,
            upcoming=(
                dt.date(2027, 2, 9),
                dt.date(2027, 5, 11),
                dt.date(2027, 8, 10),
                dt.date(2027, 11, 9),
            ),
            flag="drifting",
            reason=FLAG_REASON,
        ),
        RhythmLine(
            meeting_type="Technology alignment review",
            description="Every month on the 6th",
            tolerance_days=3,
            adherence_pct=81.8,
            past=monthly_past,
            upcoming=tuple(
                dt.date(2026 + (m + 11) // 12, (m + 11) % 12 + 1, 6) for m in range(12, 24)
            ),
            flag="ok",
            reason="QZX-flag-reason-2: on rhythm",
        ),
    )


CLIENT_NOTES = f"""The meeting opened with a review of last quarter. {CLIENT_NOTE_MARKER}

**Backups** are the main worry: the restore test is *overdue* and must happen before Christmas.

- Firewall replacement agreed for FY2027 Q2
- Laptop refresh moved to FY2028 Q1, subject to the budget
- Phone system: wait for the third quote

1. Dana sends the budget summary
2. Grzegorz confirms the laptop numbers"""

DECISIONS = """- **Approved**: firewall and switch replacement (one-time 14,500.00 PLN).
- Restore tests every quarter, results reported at each meeting.
- Security awareness training becomes mandatory for new staff."""


def rich_pack(**changes: object) -> PackData:
    """A filled vCIO strategic meeting, about ten pages in either edition."""
    start = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZONE)
    data = PackData(
        meeting_id=4711,
        as_of=AS_OF,
        msp_name="BrightPath IT",
        msp_logo=logo_png(),
        client_name="Łódź Freight Sp. z o.o.",
        client_logo=logo_jpeg(),
        meeting_type="vCIO strategic meeting",
        start=start,
        end=start + dt.timedelta(minutes=105),
        timezone="Europe/Warsaw",
        location="Client HQ, boardroom 2, ul. Piotrkowska 104, 90-001 Łódź",
        owner="Dana Whitfield",
        status="confirmed",
        sections=DEFAULT_SECTIONS,
        attendees=_people(),
        agenda=_agenda(start),
        actions=_actions(),
        review=_review(),
        findings=_findings(),
        adherence_pct=66.7,
        adherence_kept=10,
        adherence_judged=15,
        quarters=_quarters(),
        roadmap=_roadmap(),
        unscheduled_one_time=Decimal("4000"),
        unscheduled_recurring_monthly=Decimal("60"),
        csi=_csi(),
        rhythms=_rhythms(),
        client_notes=CLIENT_NOTES,
        decisions=DECISIONS,
        internal_notes=f"{INTERNAL_NOTE}\n\n{INTERNAL_LIST}",
        talking_points=(
            TALKING_POINT,
            "Two actions are overdue: the restore test and the phone system decision.",
            "BCK-02 is vulnerable and has a recommendation: ask for approval today.",
        ),
        currency_symbol="zł",
        fiscal_year_start_month=10,
    )
    return dataclasses.replace(data, **changes) if changes else data


def empty_pack(**changes: object) -> PackData:
    """A meeting with nothing gathered yet: every section must say so."""
    start = dt.datetime(2026, 12, 1, 14, 0, tzinfo=ZONE)
    data = PackData(
        meeting_id=1,
        as_of=AS_OF,
        msp_name="BrightPath IT",
        msp_logo=None,
        client_name="New Client Ltd",
        client_logo=None,
        meeting_type="Onboarding meeting",
        start=start,
        end=start + dt.timedelta(hours=1),
        timezone="Europe/Warsaw",
        location="",
        owner="",
        status="proposed",
        sections=DEFAULT_SECTIONS,
        attendees=(),
        agenda=(),
        actions=(),
        review=None,
        findings=(),
        adherence_pct=None,
        adherence_kept=0,
        adherence_judged=0,
        quarters=(),
        roadmap=(),
        unscheduled_one_time=Decimal(0),
        unscheduled_recurring_monthly=Decimal(0),
        csi=(),
        rhythms=(),
        client_notes="",
        decisions="",
        internal_notes="",
        talking_points=(),
        currency_symbol="€",
    )
    return dataclasses.replace(data, **changes) if changes else data


# --------------------------------------------------------------------------- hostile

MARKUP = "<font color=red>R&D</font> <b>bold?</b> a <b & c > d"
LONG_NAME = "Przedsiębiorstwo Wielobranżowe " + "Bardzo-Długa-Nazwa-Firmy " * 14 + "Sp. z o.o."
LONG_NOTE = " ".join(
    f"Paragraph sentence {n}: the quarterly review showed that the restore process works but "
    "takes longer than agreed, and the team wants a written plan."
    for n in range(120)
)
POLISH = "Zażółć gęślą jaźń Łódź"
GREEK = "Αθήνα Ελληνικά"
CYRILLIC = "Москва Привет"
CJK = "東京中文"


def hostile_pack(**changes: object) -> PackData:
    """Every bad input at once, on top of the rich pack."""
    base = rich_pack()
    people = (
        PackPerson(MARKUP, "<script>alert(1)</script>", "R&D <Ltd>", True),
        PackPerson(LONG_NAME, "Director", POLISH, None),
        PackPerson(GREEK, CYRILLIC, f"{CJK} Co.", False),
        *base.attendees,
    )
    findings = (
        dataclasses.replace(base.findings[0], question=f"{MARKUP} {CJK}?", notes=LONG_NOTE),
        *base.findings[1:],
    )
    actions = (
        dataclasses.replace(base.actions[0], title=f"{MARKUP} {LONG_NAME}", owner=CYRILLIC),
        *base.actions[1:],
    )
    data = dataclasses.replace(
        base,
        msp_name=f"MSP {MARKUP}",
        msp_logo=b"this is not an image at all",
        client_name=f"{LONG_NAME} {MARKUP}",
        client_logo=b"\x89PNG\r\n\x1a\n broken",
        meeting_type=f"Review <i>{GREEK}</i> & {CYRILLIC}",
        location=f"{POLISH} {CJK} <br/> & more",
        attendees=people,
        findings=findings,
        actions=actions,
        client_notes=f"{MARKUP}\n\n**{POLISH}** *{GREEK}* {CYRILLIC} {CJK}\n\n{LONG_NOTE}",
        decisions="- <font color=red>decided</font> & done\n- 1 < 2 > 0",
    )
    return dataclasses.replace(data, **changes) if changes else data
