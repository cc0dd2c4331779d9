"""What the Library tab's Sections menu, Import and Export do (kept apart from the view).

Each function takes the tab: it reads the tree's selection, asks through the page's
replaceable prompts, calls the service and lets the page reload. Export writes on a
worker, atomically, in the folder used last time (QSettings).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths

from vcio_desk.services import standards_sections as sections
from vcio_desk.ui.pages.standards_undo import PlaceCommand
from vcio_desk.ui.preferences import ui_settings
from vcio_desk.ui.workers import ProgressFn, run_in_background

if TYPE_CHECKING:
    from vcio_desk.ui.pages.standards_library_tab import LibraryTab

EXPORT_FOLDER = "standards/export_folder"
"""QSettings key: the folder the library was last exported to."""


# -- the tree's selection ------------------------------------------------------------------------


def section_id_of(tab: LibraryTab) -> int | None:
    """The section chosen in the tree (or holding the chosen category or standard)."""
    kind, place_id = tab.selected_place()
    if kind == "section":
        return place_id
    if kind == "category" and tab.tree is not None:
        return next((s.id for s, c in tab.tree.categories() if c.id == place_id), None)
    current = tab.current_standard()
    return current.section_id if current else None


def place_name(tab: LibraryTab) -> str:
    kind, place_id = tab.selected_place()
    if tab.tree is None:
        return ""
    if kind == "category":
        return next((c.name for _s, c in tab.tree.categories() if c.id == place_id), "")
    return next((s.name for s in tab.tree.sections if s.id == place_id), "")


def place_archived(tab: LibraryTab) -> bool:
    kind, place_id = tab.selected_place()
    if tab.tree is None:
        return False
    if kind == "section":
        return any(s.archived for s in tab.tree.sections if s.id == place_id)
    return any(c.archived for _s, c in tab.tree.categories() if c.id == place_id)


# -- sections and categories ---------------------------------------------------------------------


def new_section(tab: LibraryTab) -> None:
    answer = tab.page.ask_name(tab, "New section", "A new section of the library.", "Add")
    if answer is not None:
        tab.run_service(sections.add_section, answer[0], reason=answer[1])


def new_category(tab: LibraryTab) -> None:
    section_id = section_id_of(tab)
    if section_id is None:
        tab.page.notify(tab, "Choose the section the category belongs to in the tree first.")
        return
    answer = tab.page.ask_name(tab, "New category", "A new category in the section.", "Add")
    if answer is not None:
        tab.run_service(sections.add_category, section_id, answer[0], reason=answer[1])


def rename_place(tab: LibraryTab) -> None:
    kind, place_id = tab.selected_place()
    if kind == "all":
        return
    answer = tab.page.ask_name(
        tab, f"Rename {kind}", f"A new name for the {kind}.", "Rename", place_name(tab)
    )
    if answer is not None:
        name, reason = answer
        text = f"Rename {kind} {place_name(tab)}"
        tab.page.push(PlaceCommand(tab.page, text, kind, place_id, reason, name=name))


def set_place_archived(tab: LibraryTab, archived: bool) -> None:
    kind, place_id = tab.selected_place()
    if kind == "all":
        return
    verb = "Archive" if archived else "Restore"
    reason = tab.page.ask_reason(
        tab, f"{verb} {kind}", f"{verb} the {kind} {place_name(tab)}?", verb
    )
    if reason is not None:
        text = f"{verb} {kind} {place_name(tab)}"
        tab.page.push(PlaceCommand(tab.page, text, kind, place_id, reason, archived=archived))


# -- files ---------------------------------------------------------------------------------------


def import_file(tab: LibraryTab) -> None:
    if tab.page.read_only:
        return
    report = tab.page.ask_import(tab, tab.page.store, author=tab.page.author())
    if report is not None:
        tab.page.changed()
        tab.count_label.setText(
            f"Imported: {report.count('added')} added, {report.count('updated')} updated, "
            f"{report.count('refused')} refused"
        )


def export_folder() -> Path:
    saved: Any = ui_settings().value(EXPORT_FOLDER)
    if isinstance(saved, str) and saved and Path(saved).is_dir():
        return Path(saved)
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def export_file(tab: LibraryTab) -> None:
    """Ask where (CSV or JSON by the name's ending), then write the whole library."""
    if tab.tree is None:
        return
    name = f"standards-library-{tab.page.as_of_provider().isoformat()}.csv"
    path = tab.page.ask_save_path(
        tab, "Export the standards library", export_folder() / name, "CSV (*.csv);;JSON (*.json)"
    )
    if path is None:
        return
    if path.suffix.lower() not in (".csv", ".json"):
        path = path.with_name(path.name + ".csv")
    ui_settings().setValue(EXPORT_FOLDER, str(path.parent))
    fmt = "json" if path.suffix.lower() == ".json" else "csv"
    store = tab.page.store
    tab.export_button.setEnabled(False)

    def work(_progress: ProgressFn) -> Path:
        from vcio_desk.atomic import write_atomically  # both only needed when exporting
        from vcio_desk.services.standards_import import export_library

        write_atomically(path, export_library(store, fmt))  # type: ignore[arg-type]
        return path

    def done(written: Path) -> None:
        tab.export_button.setEnabled(True)
        tab.count_label.setText(f"Saved {written.name} in {written.parent}")
        tab.exported.emit(written)

    def failed(message: str) -> None:
        tab.export_button.setEnabled(True)
        tab.page.notify(tab, message)

    run_in_background(tab, work, on_success=done, on_failure=failed)
