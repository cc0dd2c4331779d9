"""pack sections: each bundled meeting type lists the sections of its printed pack

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

``meeting_types.pack_sections`` (a JSON list, in print order; empty means every section)
has been in the schema since 0001. This revision gives the four bundled meeting types
the choice and order the pack renderer now knows (lined note pages included). A type
whose list someone changed (say, through a workspace file) keeps it: only the lists as
first shipped, or empty ones, are replaced. The column itself is not rebuilt, since
SQLite would recreate the table that meetings and rhythms refer to.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

EVERYTHING = [
    "cover",
    "agenda",
    "summary",
    "actions",
    "findings",
    "roadmap",
    "budget",
    "csi",
    "rhythm",
    "notes",
    "note_pages",
    "signoff",
]
INTERNAL = ["cover", "agenda", "actions", "notes", "note_pages", "signoff"]
OLD_INTERNAL = ["cover", "agenda", "actions", "notes", "signoff"]

# key: (as shipped before this revision, as shipped from it)
BUNDLED: dict[str, tuple[list[str], list[str]]] = {
    "vcio_meeting": (
        [
            "cover",
            "agenda",
            "summary",
            "actions",
            "findings",
            "roadmap",
            "budget",
            "csi",
            "rhythm",
            "notes",
            "signoff",
        ],
        EVERYTHING,
    ),
    "alignment_review": (
        ["cover", "agenda", "summary", "actions", "findings", "csi", "rhythm", "notes", "signoff"],
        ["cover", "agenda", "summary", "findings", "actions", "notes", "note_pages", "signoff"],
    ),
    "standards_committee": (OLD_INTERNAL, INTERNAL),
    "service_delivery": (OLD_INTERNAL, INTERNAL),
}

meeting_types = sa.table(
    "meeting_types",
    sa.column("id", sa.Integer()),
    sa.column("key", sa.String(50)),
    sa.column("pack_sections", sa.JSON()),
)


def _replace(choose: dict[str, tuple[list[Any], list[str]]]) -> None:
    """Set each key's list to the second value where it still holds one of the first."""
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(meeting_types.c.id, meeting_types.c.key, meeting_types.c.pack_sections).where(
            meeting_types.c.key.in_(list(choose))
        )
    ).all()
    for row_id, key, current in rows:
        replaceable, new = choose[key]
        if current in replaceable:
            connection.execute(
                sa.update(meeting_types)
                .where(meeting_types.c.id == row_id)
                .values(pack_sections=new)
            )


def upgrade() -> None:
    _replace({key: ([old, [], None], new) for key, (old, new) in BUNDLED.items()})


def downgrade() -> None:
    _replace({key: ([new], old) for key, (old, new) in BUNDLED.items()})
