"""Base content every workspace starts with: meeting types, the standards library, settings.

The content is data in ``resources/templates``; installing it is idempotent, so it
runs on every write-open and only fills what is missing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from vcio_desk import assets
from vcio_desk.store import Store
from vcio_desk.store.models import (
    MeetingType,
    Setting,
    Standard,
    StandardCategory,
    StandardSection,
)

DEFAULT_SETTINGS: dict[str, Any] = {
    "msp_name": "Your MSP",
    "paper_size": "A4",
    "lead_days": 21,
    "holidays_country": None,
    "holidays_subdivision": None,
    "workspace_kind": "user",
    "current_user_staff_id": None,
    "msp_fiscal_year_start_month": 1,
    "currency_symbol": "",
}


def ensure_base_content(store: Store) -> None:
    """Install what a workspace needs and lacks (safe to call on every open)."""
    with store.transaction() as session:
        _ensure_settings(session)
        if session.scalar(select(func.count()).select_from(MeetingType)) == 0:
            install_meeting_types(session)
        if session.scalar(select(func.count()).select_from(StandardSection)) == 0:
            install_standards_library(session)


def _ensure_settings(session: Session) -> None:
    present = set(session.scalars(select(Setting.key)))
    defaults = dict(DEFAULT_SETTINGS)
    defaults["tier_rhythms"] = assets.template("tier_rhythms")
    missing = [{"key": k, "value": v} for k, v in defaults.items() if k not in present]
    if missing:
        session.execute(insert(Setting), missing)


def install_meeting_types(session: Session) -> None:
    rows = [
        {
            "key": item["key"],
            "name": item["name"],
            "kind": item["kind"],
            "default_duration_minutes": item["default_duration_minutes"],
            "default_start_time": item["default_start_time"],
            "agenda_template": item["agenda"],
            "prep_checklist": item["prep_checklist"],
            "pack_sections": item["pack_sections"],
        }
        for item in assets.template("meeting_types")["meeting_types"]
    ]
    session.execute(insert(MeetingType), rows)


def install_standards_library(session: Session) -> None:
    """Sections, categories and standards from the bundled library, in file order."""
    library = assets.template("standards_library")
    for s_pos, section in enumerate(library["sections"]):
        section_id = session.scalar(
            insert(StandardSection)
            .values(key=section["key"], name=section["name"], position=s_pos)
            .returning(StandardSection.id)
        )
        for c_pos, category in enumerate(section["categories"]):
            category_id = session.scalar(
                insert(StandardCategory)
                .values(section_id=section_id, name=category["name"], position=c_pos)
                .returning(StandardCategory.id)
            )
            session.execute(
                insert(Standard),
                [
                    {
                        "category_id": category_id,
                        "code": std["code"],
                        "question": std["question"],
                        "why_it_matters": std["why_it_matters"],
                        "how_to_align": std["how_to_align"],
                        "priority": std["priority"],
                        "internal_only": std["internal_only"],
                        "tiers": std["tiers"],
                        "position": pos,
                    }
                    for pos, std in enumerate(category["standards"])
                ],
            )
