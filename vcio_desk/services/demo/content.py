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
    rng = ctx.rng
    ideas = names()["csi_titles"]
    start_month = client.fiscal_start if client else 1
    owner = client.vcio[0] if client else staff.service_manager[0]
    ids: list[int] = []
    for rank, idea in enumerate(rng.sample(ideas, rng.randint(2, 6)), start=1):
        status = rng.choices(
            ["proposed", "approved", "in_progress", "done", "deferred"], [4, 3, 3, 2, 1]
        )[0]
        target = fiscal_quarter(ctx.as_of + dt.timedelta(days=rng.randint(0, 600)), start_month)
        baseline = Decimal(rng.randint(20, 200))
        goal = (baseline * Decimal("0.4")).quantize(Decimal("1"))
        progress = {
            "proposed": 0,
            "approved": 0,
            "in_progress": rng.randint(10, 80),
            "done": 100,
            "deferred": 0,
        }[status]
        current = baseline - (baseline - goal) * Decimal(progress) / Decimal(100)
        item_id = ctx.buffer.add(
            "csi_items",
            client_id=client.id if client else None,
            title=idea["title"],
            description=idea["description"],
            size=rng.choice(["S", "M", "M", "L"]),
            priority=rng.choice(["high", "medium", "medium", "low"]),
            rank=rank,
            kpi_name=idea["kpi_name"],
            kpi_unit=idea["kpi_unit"],
            kpi_baseline=baseline,
            kpi_target=goal,
            kpi_current=current.quantize(Decimal("1")),
            justification="Raised in the alignment review; reduces risk and support load.",
            target_fiscal_year=target.year,
            target_quarter=target.quarter,
            one_time_cost=Decimal(rng.randrange(500, 40000, 250)),
            recurring_cost_monthly=Decimal(rng.choice([0, 0, 50, 120, 300, 750, 1500])),
            status=status,
            progress_pct=progress,
            owner_id=owner,
        )
        if status != "proposed":
            ctx.buffer.add(
                "csi_changes",
                item_id=item_id,
                author=client.vcio[1] if client else staff.service_manager[1],
                changes={"status": ["proposed", status]},
                note="Agreed with the client in the vCIO meeting." if client else "",
            )
        ids.append(item_id)
    return ids


def committee_decisions(
    ctx: HistoryContext, committee_meetings: list[GeneratedMeeting], library: list[dict[str, Any]]
) -> None:
    """Some committee meetings decided a library change; the change log links back to them."""
    held = [m for m in committee_meetings if m.status == "held"][-12:]
    for meeting in held:
        if ctx.rng.random() > 0.45:
            continue
        std = ctx.rng.choice(library)
        before = ctx.rng.choice([p for p in ("high", "medium", "low") if p != std["priority"]])
        decision_id = ctx.buffer.add(
            "committee_decisions",
            meeting_id=meeting.id,
            title=f"Set the priority of {std['code']} to {std['priority']}",
            description="Reviewed against recent incidents across the client base.",
            status="decided",
            proposed_changes=[{"standard": std["code"], "priority": std["priority"]}],
            decided_on=meeting.day,
        )
        ctx.buffer.add(
            "standard_changes",
            standard_id=std["id"],
            decision_id=decision_id,
            changed_at=dt.datetime.combine(meeting.day, dt.time(12), tzinfo=dt.UTC),
            author=meeting.subject.owner[1],
            reason="Committee decision",
            action="edit",
            changes={"priority": [before, std["priority"]]},
        )
