"""The main window: navigation on the left, one page at a time on the right.

Everything the window needs is passed in (the open store, the workspace
settings, a clock); nothing is reached through globals, so tests build as many
windows as they like on temporary workspaces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from PySide6.QtCore import QByteArray, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QKeySequence,
    QPaintEvent,
    QUndoGroup,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from vcio_desk import __version__
from vcio_desk.store import Store
from vcio_desk.ui import first_run, icons
from vcio_desk.ui.pages.clients_page import ClientsPage
from vcio_desk.ui.pages.registry import PAGE_FACTORIES, LazyPage
from vcio_desk.ui.preferences import MAIN_GEOMETRY, MAIN_PAGE, MAIN_STATE, ui_settings
from vcio_desk.ui.workers import Operation


class PageSpec(NamedTuple):
    key: str
    title: str


PAGES: tuple[PageSpec, ...] = (
    PageSpec("dashboard", "Dashboard"),
    PageSpec("year", "Year"),
    PageSpec("clients", "Clients"),
    PageSpec("rhythms", "Rhythms"),
    PageSpec("standards", "Standards"),
    PageSpec("settings", "Settings"),
)
DEFAULT_PAGE = "clients"
DEFAULT_SIZE = QSize(1280, 800)


def workspace_title(store: Store) -> str:
    """The file name of a SQLite workspace, or its URL (without password) otherwise."""
    path = store.location.path
    return path.name if path is not None else store.location.display


class MainWindow(QMainWindow):
    """Top-level window over one open workspace."""

    first_painted = Signal()
    """Emitted once, right after the window's first paint (start-up work waits for it)."""
    meeting_changed = Signal(int)
    """A meeting page wrote something of this meeting (pages showing meetings may refresh)."""
    closed = Signal()
    """The window accepted a close (an automatic backup is taken then, if due)."""

    def __init__(
        self,
        store: Store,
        settings: dict[str, Any],
        as_of_provider: Callable[[], dt.date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.workspace_settings = settings
        self.as_of_provider = as_of_provider
        self._painted = False
        self.setObjectName("main_window")
        self.setWindowTitle(f"vcio_desk — {workspace_title(store)}")

        self.clients_page = ClientsPage(store, as_of_provider)
        self.clients_page.demo_requested.connect(self.fill_with_demo)
        self.clients_page.client_activated.connect(self.open_client)
        self.client_pages: dict[int, QWidget] = {}
        """Open client pages by client id, each in its own window."""
        self.meeting_pages: dict[int, QWidget] = {}
        """Open meeting pages by meeting id, each in its own window."""
        self.msp_register: QWidget | None = None
        """The MSP's own improvement register, when open."""
        self.workspace_session: Any = None
        """The app's ``ui.app.WorkspaceSession`` over this window (restores backups), if any."""
        self.transfer_askers: Any = None
        """The workspace export/import questions (``dialogs.workspace_transfer.Askers``);
        None asks with the standard dialogs. Tests put their answers here."""
        self.undo_group = QUndoGroup(self)
        """The undo stacks of the pages here; Edit → Undo acts on the page in view."""
        self.pages = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setSpacing(2)
        self.nav.setFrameShape(QListWidget.Shape.NoFrame)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setStyleSheet(
            "QListWidget#navigation { padding: 6px; }"
            "QListWidget#navigation::item { padding-left: 6px; border-radius: 4px; }"
            "QListWidget#navigation::item:selected {"
            " background: palette(highlight); color: palette(highlighted-text); }"
        )
        for spec in PAGES:
            self.pages.addWidget(self._make_page(spec))
            item = QListWidgetItem(icons.icon(spec.key), spec.title)
            item.setSizeHint(QSize(0, 36))
            self.nav.addItem(item)
        width = max(self.nav.fontMetrics().horizontalAdvance(s.title) for s in PAGES)
        self.nav.setFixedWidth(width + 22 + 64)  # text, icon, padding and gaps

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.page_actions = self._build_menus()
        self.nav.currentRowChanged.connect(self._on_nav_changed)
        self.workspace_label = QLabel(store.location.display)
        self.workspace_label.setContentsMargins(6, 0, 6, 0)
        self.workspace_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.workspace_label.setToolTip("Where this workspace is stored")
        self.statusBar().addPermanentWidget(self.workspace_label)
        self.show_page(DEFAULT_PAGE)

    # -- pages -------------------------------------------------------------------------------

    def _make_page(self, spec: PageSpec) -> QWidget:
        if spec.key == "clients":
            return self.clients_page
        factory = PAGE_FACTORIES[spec.key]
        return LazyPage(lambda: self._adopt_undo(spec.key, factory(self)))

    def _adopt_undo(self, key: str, page: QWidget) -> QWidget:
        """A page with an ``undo_stack`` joins the Edit menu; its own buttons keep working,
        without shortcuts (two actions on one key would cancel each other out)."""
        stack = getattr(page, "undo_stack", None)
        if isinstance(stack, QUndoStack):
            self.undo_group.addStack(stack)
            for name in ("undo_action", "redo_action"):
                action = getattr(page, name, None)
                if isinstance(action, QAction):
                    action.setShortcuts([])
            if key == self.current_page_key():
                self.undo_group.setActiveStack(stack)
        return page

    def page_undo_stack(self, key: str) -> QUndoStack | None:
        """The undo stack of a page that has been built (None: none, or not built yet)."""
        holder = self.pages.widget(self.page_keys().index(key))
        if isinstance(holder, LazyPage) and not holder.is_built:
            return None
        stack = getattr(self.page(key), "undo_stack", None)
        return stack if isinstance(stack, QUndoStack) else None

    def page(self, key: str) -> QWidget:
        """The page for ``key``, built now if it has not been shown yet."""
        holder = self.pages.widget(self.page_keys().index(key))
        return holder.page() if isinstance(holder, LazyPage) else holder

    def page_keys(self) -> list[str]:
        return [spec.key for spec in PAGES]

    def current_page_key(self) -> str:
        return PAGES[self.pages.currentIndex()].key

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow(self.page_keys().index(key))

    def _on_nav_changed(self, row: int) -> None:
        if 0 <= row < len(PAGES):
            self.pages.setCurrentIndex(row)
            self.page_actions[row].setChecked(True)
            self.undo_group.setActiveStack(self.page_undo_stack(PAGES[row].key))

    def fill_with_demo(self) -> None:
        """Fill this (empty) workspace with the demo, then show its clients."""
        first_run.start_demo(self)

    def import_clients(self) -> QWidget:
        """File → Import clients…: the import dialog over this window."""
        from vcio_desk.ui.dialogs.import_clients import open_import_dialog  # loaded on demand

        return open_import_dialog(self)

    def open_client(self, client_id: int) -> QWidget:
        """Show the client's page in its own window (one per client; raised if already open).

        Several clients can sit side by side; Esc or Ctrl+W closes one and returns to the list.
        """
        from vcio_desk.ui.pages.client_page import ClientPage  # loaded when first needed

        page = self.client_pages.get(client_id)
        if page is None:
            page = ClientPage(self.store, client_id, self.as_of_provider, self)
            page.setWindowFlag(Qt.WindowType.Window)
            page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            page.client_changed.connect(lambda _id: self.clients_page.reload())
            page.meeting_activated.connect(self.open_meeting)
            self.meeting_changed.connect(page.meetings_changed)
            pages = self.client_pages
            page.destroyed.connect(lambda _obj=None, cid=client_id: pages.pop(cid, None))
            self.client_pages[client_id] = page
            page.reload()
            page.resize(QSize(1100, 780).boundedTo(self.size().expandedTo(QSize(900, 640))))
        page.show()
        page.raise_()
        page.activateWindow()
        return page

    def open_meeting(self, meeting_id: int) -> QWidget:
        """Show the meeting's page in its own window (one per meeting; raised if already open).

        Esc or Ctrl+W closes it; what was typed is saved first.
        """
        from vcio_desk.ui.pages.meeting_page import MeetingPage  # loaded when first needed

        page = self.meeting_pages.get(meeting_id)
        if page is None:
            page = MeetingPage(self.store, meeting_id, self.as_of_provider, self)
            page.setWindowFlag(Qt.WindowType.Window)
            page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            page.meeting_changed.connect(self.meeting_changed)
            pages = self.meeting_pages
            page.destroyed.connect(lambda _obj=None, mid=meeting_id: pages.pop(mid, None))
            self.meeting_pages[meeting_id] = page
            page.reload()
            page.resize(QSize(1180, 800).boundedTo(self.size().expandedTo(QSize(960, 680))))
        page.show()
        page.raise_()
        page.activateWindow()
        return page

    def open_msp_register(self) -> QWidget:
        """The MSP's own improvement register in its own window (one; raised if open)."""
        from vcio_desk.ui.pages.client_tabs.csi_tab import CsiTab  # loaded when first needed

        if self.msp_register is None:
            register = CsiTab(self.store, None, self.as_of_provider, parent=self)
            register.setWindowFlag(Qt.WindowType.Window)
            register.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            register.setWindowTitle(f"Our improvement register — {workspace_title(self.store)}")
            register.destroyed.connect(lambda _obj=None: setattr(self, "msp_register", None))
            register.resize(QSize(1180, 760).boundedTo(self.size().expandedTo(QSize(900, 640))))
            register.reload()
            self.msp_register = register
        self.msp_register.show()
        self.msp_register.raise_()
        self.msp_register.activateWindow()
        return self.msp_register

    def open_pack_batch(self) -> QWidget:
        """File → Packs for the next N days…: the batch dialog (not modal; one per window)."""
        from vcio_desk.ui.dialogs.pack_batch_dialog import open_pack_batch  # loaded on demand

        return open_pack_batch(self)

    def export_workspace(self) -> None:
        """File → Export workspace…: everything in one JSON file (docs/workspace-format.md)."""
        from vcio_desk.ui.dialogs.workspace_transfer import export_workspace

        export_workspace(self, self.store, askers=self.transfer_askers)

    def import_workspace(self) -> bool:
        """File → Import workspace…: the open windows close first (they save what was typed),
        then every page shows the imported content."""
        from vcio_desk.ui.dialogs.workspace_transfer import import_workspace

        for window in [*self.meeting_pages.values(), *self.client_pages.values()]:
            if not window.close():
                return False
        if self.msp_register is not None:
            self.msp_register.close()
        if not import_workspace(self, self.store, askers=self.transfer_askers):
            return False
        self._reload_pages()
        return True

    def _reload_pages(self) -> None:
        """Every built page reads the workspace again (after an import replaced it)."""
        from vcio_desk.services.settings import read_settings

        self.workspace_settings.update(read_settings(self.store))
        self.clients_page.reload()
        for index in range(self.pages.count()):
            holder = self.pages.widget(index)
            if isinstance(holder, LazyPage) and holder.is_built:
                page = holder.page()
                for name in ("reload", "refresh"):
                    method = getattr(page, name, None)
                    if callable(method):
                        method()
                        break

    # -- menus -------------------------------------------------------------------------------

    def _build_menus(self) -> list[QAction]:
        file_menu = self.menuBar().addMenu("&File")
        import_action = file_menu.addAction(icons.icon("import"), "&Import clients…")
        import_action.setObjectName("import_clients_action")
        import_action.setShortcut(QKeySequence("Ctrl+I"))
        import_action.triggered.connect(self.import_clients)
        file_menu.addSeparator()
        packs = file_menu.addAction("&Packs for the next N days…")
        packs.setObjectName("pack_batch_action")
        packs.setToolTip("One meeting pack per upcoming meeting, written into a folder")
        packs.triggered.connect(self.open_pack_batch)
        file_menu.addSeparator()
        export_ws = file_menu.addAction("&Export workspace…")
        export_ws.setObjectName("export_workspace_action")
        export_ws.triggered.connect(self.export_workspace)
        import_ws = file_menu.addAction("Import &workspace…")
        import_ws.setObjectName("import_workspace_action")
        import_ws.triggered.connect(self.import_workspace)
        import_ws.setEnabled(not self.store.read_only)
        file_menu.addSeparator()
        register = file_menu.addAction(icons.icon("year"), "Our &improvement register…")
        register.setObjectName("msp_register_action")
        register.setToolTip("The MSP's own CSI register, roadmap and budget")
        register.triggered.connect(self.open_msp_register)
        file_menu.addSeparator()
        quit_action = file_menu.addAction("&Quit")
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)

        self._build_edit_menu()
        view_menu = self.menuBar().addMenu("&View")
        group = QActionGroup(self)
        group.setExclusive(True)
        actions = []
        for number, spec in enumerate(PAGES, start=1):
            action = view_menu.addAction(icons.icon(spec.key), spec.title)
            action.setCheckable(True)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, key=spec.key: self.show_page(key))
            group.addAction(action)
            actions.append(action)

        help_menu = self.menuBar().addMenu("&Help")
        about = help_menu.addAction("&About vcio_desk")
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)
        return actions

    def _build_edit_menu(self) -> None:
        """Edit → Undo / Redo of the page in view (its text says what would be undone)."""
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.setObjectName("edit_menu")
        self.undo_menu_action = self.undo_group.createUndoAction(self, "&Undo")
        self.undo_menu_action.setObjectName("undo_menu_action")
        self.undo_menu_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_menu_action = self.undo_group.createRedoAction(self, "&Redo")
        self.redo_menu_action.setObjectName("redo_menu_action")
        self.redo_menu_action.setShortcuts(QKeySequence.StandardKey.Redo)
        edit_menu.addAction(self.undo_menu_action)
        edit_menu.addAction(self.redo_menu_action)
        self.edit_menu = edit_menu

    def about_text(self) -> str:
        return (
            f"vcio_desk {__version__}\n\n"
            "The offline desk where an MSP's vCIO plans every client's year of meetings, "
            "prepares each one and prints the pack.\n\n"
            f"Workspace: {self.store.location.display}"
        )

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About vcio_desk")
        box.setIconPixmap(icons.icon("app").pixmap(QSize(64, 64)))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(self.about_text())
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.exec()

    # -- layout persistence ------------------------------------------------------------------

    def restore_layout(self) -> None:
        """Size, position, dock/toolbar state and page of the last session (or defaults)."""
        settings = ui_settings()
        geometry = settings.value(MAIN_GEOMETRY)
        if not isinstance(geometry, QByteArray | bytes) or not self.restoreGeometry(geometry):
            self._default_geometry()
        state = settings.value(MAIN_STATE)
        if isinstance(state, QByteArray | bytes):
            self.restoreState(state)
        page = settings.value(MAIN_PAGE, DEFAULT_PAGE)
        self.show_page(page if page in self.page_keys() else DEFAULT_PAGE)

    def save_layout(self) -> None:
        settings = ui_settings()
        settings.setValue(MAIN_GEOMETRY, self.saveGeometry())
        settings.setValue(MAIN_STATE, self.saveState())
        settings.setValue(MAIN_PAGE, self.current_page_key())
        settings.sync()

    def _default_geometry(self) -> None:
        screen = self.screen() or QApplication.primaryScreen()
        size = DEFAULT_SIZE
        if screen is not None:
            available = screen.availableGeometry()
            size = size.boundedTo(available.size() * 0.9)
            self.resize(size)
            frame = self.frameGeometry()
            frame.moveCenter(available.center())
            self.move(frame.topLeft())
        else:
            self.resize(size)

    # -- events ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        for page in list(self.meeting_pages.values()):
            if not page.close():  # it saves what was typed; it stays open if it could not
                event.ignore()
                return
        for operation in self.findChildren(Operation):
            operation.cancel()  # the app waits for the pool before it closes the store
        self.clients_page.save_state()
        self.save_layout()
        super().closeEvent(event)
        self.closed.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()
