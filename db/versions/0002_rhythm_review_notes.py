"""rhythm review notes: dismissed suggestions, remembered until the evidence changes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rhythm_review_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rhythm_id", sa.Integer(), nullable=False),
        sa.Column("evidence_key", sa.String(length=64), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["rhythm_id"],
            ["rhythms.id"],
            name=op.f("fk_rhythm_review_notes_rhythm_id_rhythms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rhythm_review_notes")),
    )
    with op.batch_alter_table("rhythm_review_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_rhythm_review_notes_rhythm_id"), ["rhythm_id"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("rhythm_review_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rhythm_review_notes_rhythm_id"))
    op.drop_table("rhythm_review_notes")
