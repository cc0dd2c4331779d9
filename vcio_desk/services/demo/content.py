"""What fills a prepared meeting: agendas, checklists, attendees, actions, reviews, CSI items."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from vcio_desk import assets
from vcio_desk.domain.fiscal import fiscal_quarter

from .history import GeneratedMeeting, HistoryContext
from .people import DemoClient, DemoStaff, names

PREP_WINDOW = (dt.timedelta(days=-45), dt.timedelta(days=60))


def meeting_details(
    ctx: HistoryContext,
    clients: dict[int, DemoClient],
    body_owner_names: dict[int, str],
) -> None:
    """Agenda, prep checklist and attendees for meetings near today (where people look)."""
    types = {t["key"]: t for t in assets.template("meeting_types")["meeting_types"]}
    lo, hi = ctx.as_of + PREP_WINDOW[0], ctx.as_of + PREP_WINDOW[1]
    for meeting in ctx.meetings:
        if not lo <= meeting.day <= hi or meeting.status == "cancelled":
            continue
        template = types[meeting.type_key]
        client = clients.get(meeting.subject.client_id or -1)
        presenters = _presenters(client, meeting, body_owner_names)
        for position, item in enumerate(template["agenda"]):
            ctx.buffer.add(
                "agenda_items",
                meeting_id=meeting.id,
                position=position,
                title=item["title"],
                minutes=item["minutes"],
                presenter=presenters.get(item["presenter_role"], ""),
            )
        days_ahead = (meeting.day - ctx.as_of).days
        share = 1.0 if meeting.status == "held" else (0.7 if days_ahead <= 7 else 0.25)
        for position, label in enumerate(template["prep_checklist"]):
            ctx.buffer.add(
                "prep_items",
                meeting_id=meeting.id,
                position=position,
                label=label,
                done=ctx.rng.random() < share,
            )
        _attendees(ctx, meeting, client)


def _presenters(
    client: DemoClient | None, meeting: GeneratedMeeting, body_owner_names: dict[int, str]
) -> dict[str, str]:
    if client is None:
        return {"owner": body_owner_names.get(meeting.subject.body_id or -1, "")}
    decision_maker = next((name for _, name, dm in client.contacts if dm), "")
    return {
        "vcio": client.vcio[1],
        "tam": client.tam[1],
        "account_manager": client.account_manager[1],
        "client": decision_maker,
        "owner": meeting.subject.owner[1],
    }


def _attendees(ctx: HistoryContext, meeting: GeneratedMeeting, client: DemoClient | None) -> None:
    held = meeting.status == "held"
    ctx.buffer.add(
        "meeting_attendees",
        meeting_id=meeting.id,
        staff_id=meeting.subject.owner[0],
        name=meeting.subject.owner[1],
        present=True if held else None,
    )
    if client is None:
        return
    for contact_id, name, decision_maker in client.contacts:
        if decision_maker or ctx.rng.random() < 0.4:
            ctx.buffer.add(
                "meeting_attendees",
                meeting_id=meeting.id,
                contact_id=contact_id,
                name=name,
                present=(ctx.rng.random() < 0.9) if held else None,
            )


def action_items(ctx: HistoryContext, clients: dict[int, DemoClient]) -> None:
    """A handful of actions per client raised in its recent held meetings, some still open."""
    titles = names()["action_titles"]
    held_by_client: dict[int, list[GeneratedMeeting]] = {}
    for meeting in ctx.meetings:
        if meeting.status == "held" and meeting.subject.client_id is not None:
            held_by_client.setdefault(meeting.subject.client_id, []).append(meeting)
    for client_id, held in held_by_client.items():
        client = clients[client_id]
        recent = sorted(held, key=lambda m: m.day)[-8:]
        for _ in range(ctx.rng.randint(2, 8)):
            origin = ctx.rng.choice(recent)
            due = origin.day + dt.timedelta(days=ctx.rng.randint(14, 75))
            overdue_long = due < ctx.as_of - dt.timedelta(days=30)
            done = ctx.rng.random() < (0.85 if overdue_long else 0.3)
            by_contact = ctx.rng.random() < 0.3
            ctx.buffer.add(
                "action_items",
                client_id=client_id,
                meeting_id=origin.id,
                title=ctx.rng.choice(titles),
                owner_staff_id=None if by_contact else ctx.rng.choice([client.vcio, client.tam])[0],
                owner_contact_id=client.contacts[0][0] if by_contact else None,
                due_date=due,
                status="done" if done else "open",
                completed_on=min(due, ctx.as_of) if done else None,
            )


def reviews_and_csi(
    ctx: HistoryContext,
    clients: dict[int, DemoClient],
    staff: DemoStaff,
    library: list[dict[str, Any]],
) -> None:
    """Alignment reviews (a standards snapshot with answers) and each client's CSI register."""
    alignment_held: dict[int, list[GeneratedMeeting]] = {}
    for meeting in ctx.meetings:
        if (
            meeting.type_key == "alignment_review"
            and meeting.status == "held"
            and meeting.subject.client_id is not None
        ):
            alignment_held.setdefault(meeting.subject.client_id, []).append(meeting)
    for client_id, client in clients.items():
        held = sorted(alignment_held.get(client_id, []), key=lambda m: m.day)
        csi_ids = _csi_register(ctx, client, staff)
        if not held:
            continue
        chosen = _yearly(held)
        aligned_share = ctx.rng.uniform(0.5, 0.85)
        for number, meeting in enumerate(chosen):
            latest = number == len(chosen) - 1
            in_progress = latest and ctx.rng.random() < 0.2
            _review(
                ctx,
                client,
                meeting,
                library,
                aligned_share + 0.05 * number,
                in_progress,
                csi_ids if latest else [],
            )
    _csi_register(ctx, None, staff)


def _yearly(held: list[GeneratedMeeting]) -> list[GeneratedMeeting]:
    """About one review a year, at most three, ending with the latest alignment meeting."""
    chosen = [held[-1]]
    for meeting in reversed(held[:-1]):
        if (chosen[0].day - meeting.day).days >= 330:
            chosen.insert(0, meeting)
        if len(chosen) == 3:
            break
    return chosen


def _review(
    ctx: HistoryContext,
    client: DemoClient,
    meeting: GeneratedMeeting,
    library: list[dict[str, Any]],
    aligned_share: float,
    in_progress: bool,
    csi_ids: list[int],
) -> None:
    rng = ctx.rng
    review_id = ctx.buffer.add(
        "alignment_reviews",
        client_id=client.id,
        meeting_id=meeting.id,
        tam_id=client.tam[0],
        vcio_id=client.vcio[0],
        started_on=meeting.day - dt.timedelta(days=rng.randint(3, 14)),
        completed_on=None if in_progress else meeting.day,
        status="in_progress" if in_progress else "completed",
    )
    applicable = [s for s in library if client.tier in s["tiers"]]
    answered_until = int(len(applicable) * rng.uniform(0.4, 0.8)) if in_progress else None
    for position, std in enumerate(applicable):
        answer, rating = None, None
        if answered_until is None or position < answered_until:
            roll = rng.random()
            if roll < 0.04:
                answer = "not_applicable"
            elif roll < 0.04 + min(0.97, aligned_share):
                answer = "aligned"
            else:
                answer = "misaligned"
                if not in_progress or rng.random() < 0.5:
                    vulnerable = 0.55 if std["priority"] == "high" else 0.25
                    rating = "vulnerable" if rng.random() < vulnerable else "marginal"
        link = (
            rng.choice(csi_ids)
            if rating == "vulnerable" and csi_ids and rng.random() < 0.5
            else None
        )
        ctx.buffer.add(
            "review_items",
            review_id=review_id,
            standard_id=std["id"],
            position=position,
            code=std["code"],
            section_name=std["section"],
            category_name=std["category"],
            question=std["question"],
            why_it_matters=std["why_it_matters"],
            how_to_align=std["how_to_align"],
            priority=std["priority"],
            internal_only=std["internal_only"],
            answer=answer,
            rating=rating,
            csi_item_id=link,
        )


def _csi_register(ctx: HistoryContext, client: DemoClient | None, staff: DemoStaff) -> list[int]:
    """A register of 3–7 items over the coming quarters, with KPIs, costs and a history.

    Done items landed in the last year, work in progress lands this quarter or next,
    approved and proposed items later on (a few proposals have no quarter yet). KPIs
    move in the direction their name implies (a rate to raise, tickets to cut).
    """
    rng = ctx.rng
    ideas = names()["csi_titles"]
    start_month = client.fiscal_start if client else 1
    owner, author = client.vcio if client else staff.service_manager
    this_quarter = fiscal_quarter(ctx.as_of, start_month)
    quarters_ahead = {
        "done": (-4, -1),
        "in_progress": (0, 1),
        "approved": (1, 3),
        "proposed": (1, 6),
        "deferred": (1, 5),
    }
    path = {
        "proposed": [],
        "approved": ["approved"],
        "in_progress": ["approved", "in_progress"],
        "done": ["approved", "in_progress", "done"],
        "deferred": ["deferred"],
    }
    notes = {
        "approved": "Agreed with the client in the vCIO meeting."
        if client
        else "Agreed in the service delivery meeting.",
        "in_progress": "Work scheduled with the project team.",
        "done": "Completed and signed off.",
        "deferred": "Deferred: the budget went to a more urgent item.",
    }
    rising = (
        "compliance", "score", "success", "completion", "coverage", "protected",
        "single sign-on", "self-service", "blocked", "satisfaction", "completeness",
    )  # fmt: skip
    one_time_range = {"S": (500, 5000), "M": (3000, 15000), "L": (12000, 45000)}

    def stamp(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)

    ids: list[int] = []
    for rank, idea in enumerate(rng.sample(ideas, rng.randint(3, 7)), start=1):
        status = rng.choices(
            ["proposed", "approved", "in_progress", "done", "deferred"], [4, 3, 3, 2, 1]
        )[0]
        lo, hi = quarters_ahead[status]
        target = None
        if status != "proposed" or rng.random() > 0.25:
            target = this_quarter.shifted(rng.randint(lo, hi))
        size = rng.choice(["S", "M", "M", "L"])
        up = any(word in idea["kpi_name"].lower() for word in rising)
        if idea["kpi_unit"] == "%":
            baseline = Decimal(rng.randint(35, 70) if up else rng.randint(12, 40))
            goal = Decimal(rng.randint(90, 99)) if up else Decimal(max(2, int(baseline) // 4))
        else:
            baseline = Decimal(rng.randint(20, 200))
            goal = (baseline * Decimal("1.6" if up else "0.4")).quantize(Decimal("1"))
        progress = {
            "proposed": 0,
            "approved": 0,
            "in_progress": rng.randint(15, 75),
            "done": 100,
            "deferred": rng.choice([0, 0, 20]),
        }[status]
        kpi_now = baseline + (goal - baseline) * Decimal(progress) / Decimal(100)
        cost_lo, cost_hi = one_time_range[size]
        steps = path[status]
        created = ctx.as_of - dt.timedelta(days=rng.randint(40 + 45 * len(steps), 420))
        days = sorted(
            created + dt.timedelta(days=rng.randint(1, max(1, (ctx.as_of - created).days)))
            for _ in steps
        )
        item_id = ctx.buffer.add(
            "csi_items",
            client_id=client.id if client else None,
            title=idea["title"],
            description=idea["description"],
            size=size,
            priority=rng.choice(["high", "medium", "medium", "low"]),
            rank=rank,
            kpi_name=idea["kpi_name"],
            kpi_unit=idea["kpi_unit"],
            kpi_baseline=baseline,
            kpi_target=goal,
            kpi_current=kpi_now.quantize(Decimal("1")) if status != "proposed" else None,
            justification="Raised in the alignment review; reduces risk and support load."
            if client
            else "Raised by the service desk; saves engineer time on every client.",
            target_fiscal_year=target.year if target else None,
            target_quarter=target.quarter if target else None,
            one_time_cost=Decimal(rng.randrange(cost_lo, cost_hi, 250)),
            recurring_cost_monthly=Decimal(rng.choice([0, 0, 50, 120, 300, 750, 1500])),
            status=status,
            progress_pct=progress,
            owner_id=owner,
            created_at=stamp(created),
            updated_at=stamp(days[-1] if days else created),
            row_version=1 + len(steps),
        )
        ctx.buffer.add(
            "csi_changes",
            item_id=item_id,
            changed_at=stamp(created),
            author=author,
            changes={
                "title": [None, idea["title"]],
                "status": [None, "proposed"],
                "kpi_baseline": [None, str(baseline)],
                "kpi_target": [None, str(goal)],
            },
            note="From the alignment review." if client else "",
        )
        previous = "proposed"
        for day, step in zip(days, steps, strict=True):
            changes: dict[str, Any] = {"status": [previous, step]}
            if step == "done":
                changes["progress_pct"] = [rng.randint(60, 95), 100]
            if step == "in_progress" and status == "in_progress":
                changes["kpi_current"] = [str(baseline), str(kpi_now.quantize(Decimal("1")))]
            ctx.buffer.add(
                "csi_changes",
                item_id=item_id,
                changed_at=stamp(day),
                author=author,
                changes=changes,
                note=notes[step],
            )
            previous = step
        ids.append(item_id)
    return ids


def committee_decisions(
    ctx: HistoryContext, committee_meetings: list[GeneratedMeeting], library: list[dict[str, Any]]
) -> None:
    """Committee minutes; decisions that changed the library (the change log links back to
    them), one proposal the committee rejected, a few still waiting for its next meeting,
    and two wording fixes made outside the committee."""
    all_held = [m for m in committee_meetings if m.status == "held"]
    recent = {m.id for m in all_held[-12:]}
    rows = {row["id"]: row for row in ctx.buffer.rows["meetings"]}
    for row in rows.values():
        row.setdefault("client_notes", "")  # bulk inserts need the same keys in every row
    with_agenda = {row["meeting_id"] for row in ctx.buffer.rows["agenda_items"]}
    types = {t["key"]: t for t in assets.template("meeting_types")["meeting_types"]}
    for meeting in all_held:  # the committee keeps its agendas with its minutes
        if meeting.id in with_agenda:
            continue
        for position, item in enumerate(types[meeting.type_key]["agenda"]):
            ctx.buffer.add(
                "agenda_items",
                meeting_id=meeting.id,
                position=position,
                title=item["title"],
                minutes=item["minutes"],
                presenter=meeting.subject.owner[1] if item["presenter_role"] == "owner" else "",
            )
    rejected_at = all_held[-3].id if len(all_held) >= 3 else None
    for meeting in all_held:
        std = ctx.rng.choice(library)
        proposed_at = dt.datetime.combine(meeting.day, dt.time(9), tzinfo=dt.UTC) - dt.timedelta(
            days=10
        )
        if meeting.id == rejected_at:
            ctx.buffer.add(
                "committee_decisions",
                meeting_id=meeting.id,
                title=f"Archive {std['code']}",
                description="Proposed as covered by another standard; most clients still "
                "need it asked on its own.",
                status="rejected",
                proposed_changes=[{"action": "archive", "code": std["code"]}],
                decided_on=meeting.day,
                created_at=proposed_at,
            )
            outcome = f"*Rejected*: archiving {std['code']} (still needed on its own)."
        elif meeting.id in recent and ctx.rng.random() <= 0.45:
            before = ctx.rng.choice([p for p in ("high", "medium", "low") if p != std["priority"]])
            title = f"Set the priority of {std['code']} to {std['priority']}"
            decision_id = ctx.buffer.add(
                "committee_decisions",
                meeting_id=meeting.id,
                title=title,
                description="Reviewed against recent incidents across the client base.",
                status="accepted",
                proposed_changes=[
                    {"action": "edit", "code": std["code"], "fields": {"priority": std["priority"]}}
                ],
                decided_on=meeting.day,
                created_at=proposed_at,
            )
            ctx.buffer.add(
                "standard_changes",
                standard_id=std["id"],
                decision_id=decision_id,
                changed_at=dt.datetime.combine(meeting.day, dt.time(12), tzinfo=dt.UTC),
                author=meeting.subject.owner[1],
                reason=f"Committee decision: {title}",
                action="edit",
                changes={"priority": [before, std["priority"]]},
            )
            outcome = f"*Accepted*: {title[0].lower()}{title[1:]}."
        else:
            outcome = "No library changes this month."
        minutes = [
            outcome,
            f"- Reviewed feedback from {ctx.rng.randint(6, 24)} alignment reviews since the "
            "last meeting.",
            "- Reactive, proactive and strategic functions represented.",
            "- Proposals for next month collected from the TAMs.",
        ]
        if not rows[meeting.id]["client_notes"]:
            rows[meeting.id]["client_notes"] = "\n".join(minutes)
    if all_held:
        author = all_held[-1].subject.owner[1]
        for days, std, reason in zip(
            (45, 12),
            ctx.rng.sample(library, 2),
            ("Clarified after questions from clients", "Wording agreed with the TAMs"),
            strict=True,
        ):
            first = std["how_to_align"].split(". ")[0].rstrip(".") + "."
            ctx.buffer.add(
                "standard_changes",
                standard_id=std["id"],
                decision_id=None,
                changed_at=dt.datetime.combine(
                    ctx.as_of - dt.timedelta(days=days), dt.time(15), tzinfo=dt.UTC
                ),
                author=author,
                reason=reason,
                action="edit",
                changes={"how_to_align": [first, std["how_to_align"]]},
            )
    _pending_proposals(ctx, library)


def _pending_proposals(ctx: HistoryContext, library: list[dict[str, Any]]) -> None:
    """Three proposals for the committee's next meeting: a new standard, an edit, an archive."""
    section = assets.template("standards_library")["sections"][1]
    prefix = section["categories"][0]["standards"][0]["code"].split("-")[0]
    numbers = [int(s["code"].split("-")[1]) for s in library if s["code"].startswith(prefix + "-")]
    code = f"{prefix}-{max(numbers, default=0) + 1:03d}"
    edit, archive = ctx.rng.sample(library, 2)
    priority = ctx.rng.choice([p for p in ("high", "medium", "low") if p != edit["priority"]])
    proposals = [
        (
            f"Add {code}: phishing-resistant sign-in for administrators",
            "Raised by two TAMs after account takeover attempts at clients.",
            {
                "action": "add",
                "code": code,
                "section": section["key"],
                "category": section["categories"][0]["name"],
                "fields": {
                    "question": "Do all administrator accounts sign in with a phishing-resistant "
                    "method (FIDO2 key or passkey)?",
                    "why_it_matters": "Codes sent by text or app can be phished; administrator "
                    "accounts are what attackers want most.",
                    "how_to_align": "Enrol a FIDO2 key or passkey for every administrator and "
                    "require it through conditional access.",
                    "priority": "high",
                    "tiers": ["A", "B"],
                },
            },
        ),
        (
            f"Set the priority of {edit['code']} to {priority}",
            "Findings on this standard rarely lead to incidents at our clients.",
            {"action": "edit", "code": edit["code"], "fields": {"priority": priority}},
        ),
        (
            f"Archive {archive['code']}",
            "Superseded by the vendor's own defaults since last year.",
            {"action": "archive", "code": archive["code"]},
        ),
    ]
    for days, (title, description, change) in zip((9, 6, 2), proposals, strict=True):
        ctx.buffer.add(
            "committee_decisions",
            meeting_id=None,
            title=title,
            description=description,
            status="proposed",
            proposed_changes=[change],
            decided_on=None,
            created_at=dt.datetime.combine(
                ctx.as_of - dt.timedelta(days=days), dt.time(9), tzinfo=dt.UTC
            ),
        )
