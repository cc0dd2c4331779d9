"""Pages not built yet: each says what it will hold, so the navigation is honest."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from vcio_desk.ui.widgets.message_panel import MessagePanel

PLANNED: dict[str, str] = {
    "dashboard": (
        "Your next two weeks of meetings with their prep state, the drift list ranked by "
        "severity with a reason for every flag, and adherence by owner and tier."
    ),
    "year": (
        "A wall planner of clients across twelve months: every slot's meeting with its state, "
        "filters by owner and tier, capacity per owner, and “Generate year” with a preview "
        "of what changes."
    ),
    "rhythms": (
        "Rhythms whose cadence no longer fits, with the evidence (interval ratio, adherence) "
        "and a one-step new version with a reason; every rhythm's version history."
    ),
    "standards": (
        "The standards library by section and category, archived rather than deleted, with "
        "the standards committee's meetings, decisions and change log."
    ),
    "settings": (
        "Your MSP's name and logo, paper size, holidays region, tier defaults, where the "
        "workspace lives, and its backups."
    ),
}


class PlaceholderPage(QWidget):
    """A page that is planned but not built: its title and what it will show."""

    def __init__(self, key: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"page_{key}")
        self.panel = MessagePanel(
            key,
            title,
            f"{PLANNED[key]}\n\nThis page is not built yet.",
            parent=self,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
