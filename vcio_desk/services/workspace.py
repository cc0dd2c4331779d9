"""What a workspace is and holds: the figures ``vcio-desk info`` and the first-run screen use."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from vcio_desk.store import Store
from vcio_desk.store import models as m

from .settings import read_settings

COUNTED = (
    ("clients", m.Client),
    ("contacts", m.Contact),
    ("staff", m.Staff),
    ("internal bodies", m.InternalBody),
    ("rhythms", m.Rhythm),
    ("rhythm versions", m.RhythmVersion),
    ("meetings", m.Meeting),
    ("action items", m.ActionItem),
    ("standards", m.Standard),
    ("alignment reviews", m.AlignmentReview),
    ("CSI items", m.CsiItem),
)


@dataclass(frozen=True)
class WorkspaceSummary:
    location: str
    backup_dir: str | None
    schema_revision: str | None
    head_revision: str
    kind: str
    counts: dict[str, int]

    @property
    def has_clients(self) -> bool:
        return self.counts.get("clients", 0) > 0


def summarize(store: Store) -> WorkspaceSummary:
    from vcio_desk.store.migrate import head_revision

    with store.session() as session:
        counts = {
            label: session.scalar(select(func.count()).select_from(model)) or 0
            for label, model in COUNTED
        }
    settings = read_settings(store)
    backup_dir = store.location.backup_dir
    return WorkspaceSummary(
        location=store.location.display,
        backup_dir=str(backup_dir) if backup_dir else None,
        schema_revision=store.schema_revision,
        head_revision=head_revision(),
        kind=str(settings.get("workspace_kind", "user")),
        counts=counts,
    )


def holds_user_data(store: Store) -> bool:
    """True when the workspace has clients and was not made by the demo generator."""
    summary = summarize(store)
    return summary.has_clients and summary.kind != "demo"
