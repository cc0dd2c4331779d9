"""A tab that builds its content the first time it is shown and reloads it when stale.

A client's page has seven tabs; building and loading all of them on open would cost
the sum of their queries. This holder keeps the page's open to the tab in view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget


class ClientTab(Protocol):
    """What every client tab offers the page."""

    def reload(self) -> None: ...


class LazyTab(QWidget):
    """Holds one tab's place; builds it on first show, reloads it on show once invalidated."""

    def __init__(self, key: str, build: Callable[[], QWidget], parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"tab_{key}")
        self._build = build
        self._content: QWidget | None = None
        self._stale = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        return self._content is not None

    def content(self) -> QWidget:
        """The tab's widget, built (not loaded) now if needed."""
        if self._content is None:
            self._content = self._build()
            self.layout().addWidget(self._content)
        return self._content

    def load(self) -> QWidget:
        """Build if needed and reload the data."""
        content = self.content()
        self._stale = False
        reload = getattr(content, "reload", None)
        if callable(reload):
            reload()
        return content

    def invalidate(self) -> None:
        """Reload now if in view, else the next time it is shown."""
        self._stale = True
        if self.is_built and self.isVisible():
            self.load()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.load()
        super().showEvent(event)
