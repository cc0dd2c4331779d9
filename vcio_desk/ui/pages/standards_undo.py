"""Undo and redo in the standards library: add, edit, archive and restore, taken back.

Every step writes through the services with a reason ("Undo: …" / "Redo: …"), so
the change log shows undos like any other change. The page remembers, per standard,
the ``updated_at`` its own last write left (``versions``), and every step writes only
over that version: a standard changed elsewhere meanwhile is reported ("changed
elsewhere — reload the library"), never overwritten, and the step leaves the stack.

Adding and editing happen in the standard dialog, so those steps are pushed already
done (their first ``redo`` does nothing); archive and restore are done by their first
``redo``, as are renaming, archiving and restoring a section or category
(:class:`PlaceCommand`).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from vcio_desk.domain.errors import VcioDeskError
from vcio_desk.services import standards_sections as sections
from vcio_desk.services.standards_changes import EDITABLE
from vcio_desk.services.standards_library import StandardView, edit_standard, get_standard
from vcio_desk.services.undo_support import (
    check_place,
    place_state,
    set_standard_archived_checked,
    standard_version,
)
from vcio_desk.store import Store
from vcio_desk.ui.workers import GENERIC_FAILURE

log = logging.getLogger(__name__)


class LibraryHost(Protocol):
    """What the steps need from the Standards page."""

    store: Store
    versions: dict[int, dt.datetime]
    """Per standard, the ``updated_at`` this page's own last write left."""

    def author(self) -> str: ...

    def report(self, message: str) -> None: ...

    def after_library_step(self, standard_id: int | None) -> None: ...


def standard_fields(view: StandardView) -> dict[str, Any]:
    """The editable fields of a standard, as ``edit_standard`` takes them."""
    values: dict[str, Any] = {name: getattr(view, name) for name in EDITABLE}
    values["priority"] = view.priority.value
    values["tiers"] = list(view.tiers)
    return values


class LibraryCommand(QUndoCommand):
    """Common ground: the standard, the version last written, failures reported."""

    def __init__(self, host: LibraryHost, text: str, standard_id: int, code: str) -> None:
        super().__init__(text)
        self._host = host
        self.standard_id = standard_id
        self._code = code

    @property
    def _version(self) -> dt.datetime | None:
        return self._host.versions.get(self.standard_id)

    @_version.setter
    def _version(self, value: dt.datetime | None) -> None:
        if value is not None:
            self._host.versions[self.standard_id] = value

    def _run(self, step: Any) -> bool:
        try:
            step()
        except Exception as exc:  # reported, never raised into Qt
            if isinstance(exc, VcioDeskError):
                message = exc.user_message
            else:
                log.error("library change failed", exc_info=exc)
                message = GENERIC_FAILURE
            self.setObsolete(True)
            self._host.report(message)
            return False
        self._host.after_library_step(self.standard_id)
        return True

    def _set_archived(self, archived: bool, reason: str) -> dt.datetime:
        """Archive or restore the standard, checked against the version last written."""
        assert self._version is not None
        return set_standard_archived_checked(
            self._host.store,
            self.standard_id,
            archived,
            expected_updated_at=self._version,
            reason=reason,
            author=self._host.author(),
        )


class ArchiveCommand(LibraryCommand):
    """Archive (``archived`` True) or restore a standard; undo does the opposite."""

    def __init__(
        self, host: LibraryHost, standard_id: int, code: str, archived: bool, reason: str
    ) -> None:
        verb = "Archive" if archived else "Restore"
        super().__init__(host, f"{verb} {code}", standard_id, code)
        self._archived = archived
        self._reason = reason
        self._first = True

    def redo(self) -> None:
        store = self._host.store

        def step() -> None:
            if self._first:
                self._version = standard_version(store, self.standard_id)
            reason = self._reason if self._first else f"Redo: {self._reason}"
            self._version = self._set_archived(self._archived, reason)

        self._run(step)
        self._first = False

    def undo(self) -> None:
        def step() -> None:
            self._version = self._set_archived(not self._archived, self._undo)

        self._run(step)

    @property
    def _undo(self) -> str:
        return f"Undo: {self._reason}"


class AddedCommand(LibraryCommand):
    """A standard the dialog has just added: undo archives it, redo brings it back."""

    def __init__(self, host: LibraryHost, standard_id: int) -> None:
        store = host.store
        code = get_standard(store, standard_id).code
        super().__init__(host, f"Add {code}", standard_id, code)
        self._version = standard_version(store, standard_id)
        self._applied = True

    def redo(self) -> None:
        if self._applied:  # pushed after the fact: the standard is already there
            return
        if self._run(lambda: self._set(False, f"Redo: add {self._code}")):
            self._applied = True

    def undo(self) -> None:
        if self._run(lambda: self._set(True, f"Undo: add {self._code}")):
            self._applied = False

    def _set(self, archived: bool, reason: str) -> None:
        self._version = self._set_archived(archived, reason)


class EditedCommand(LibraryCommand):
    """A standard the dialog has just changed from ``before``: undo writes ``before`` back."""

    def __init__(self, host: LibraryHost, before: StandardView) -> None:
        store = host.store
        after = get_standard(store, before.id)
        super().__init__(host, f"Edit {before.code}", before.id, after.code)
        old, new = standard_fields(before), standard_fields(after)
        changed = [name for name in EDITABLE if old[name] != new[name]]
        self._before = {name: old[name] for name in changed}
        self._after = {name: new[name] for name in changed}
        self._version = standard_version(store, before.id)
        self._applied = True
        if not changed:
            self.setObsolete(True)  # saved without a change: nothing to undo

    def redo(self) -> None:
        if self._applied:  # pushed after the fact: the dialog saved it
            return
        if self._run(lambda: self._write(self._after, f"Redo: edit {self._code}")):
            self._applied = True

    def undo(self) -> None:
        if self._run(lambda: self._write(self._before, f"Undo: edit {self._code}")):
            self._applied = False

    def _write(self, fields: dict[str, Any], reason: str) -> None:
        store = self._host.store
        edit_standard(
            store,
            self.standard_id,
            fields,
            reason=reason,
            author=self._host.author(),
            expected_updated_at=self._version,
        )
        self._version = standard_version(store, self.standard_id)


class PlaceCommand(QUndoCommand):
    """Rename, archive or restore a section or category; undo puts the name or state back.

    Each step first checks that the place is as the previous step left it (name and
    archived), so a change made elsewhere meanwhile is reported, not overwritten.
    """

    def __init__(
        self,
        host: LibraryHost,
        text: str,
        kind: str,
        place_id: int,
        reason: str,
        *,
        name: str | None = None,
        archived: bool | None = None,
    ) -> None:
        super().__init__(text)
        self._host = host
        self._kind = kind
        self._id = place_id
        self._reason = reason
        self._wanted = (name, archived)
        self._before: tuple[str, bool] | None = None
        self._after: tuple[str, bool] | None = None

    def redo(self) -> None:
        if self._before is None or self._after is None:  # the first time: the change itself
            try:
                self._before = place_state(self._host.store, self._kind, self._id)
            except Exception as exc:
                self._fail(exc)
                return
            name, archived = self._wanted
            self._after = (
                self._before[0] if name is None else name,
                self._before[1] if archived is None else archived,
            )
            if self._after == self._before:
                self.setObsolete(True)  # nothing to change: nothing to undo
                return
            self._step(None, self._after, self._reason)
        else:
            self._step(self._before, self._after, f"Redo: {self._reason}")

    def undo(self) -> None:
        if self._before is not None and self._after is not None:
            self._step(self._after, self._before, f"Undo: {self._reason}")

    def _step(self, expected: tuple[str, bool] | None, target: tuple[str, bool], why: str) -> None:
        store, author = self._host.store, self._host.author()
        try:
            if expected is not None:
                check_place(store, self._kind, self._id, expected)
            name, archived = place_state(store, self._kind, self._id)
            section = self._kind == "section"
            if target[0] != name:
                rename = sections.rename_section if section else sections.rename_category
                rename(store, self._id, target[0], reason=why, author=author)
            if target[1] != archived:
                archive = (
                    sections.set_section_archived if section else sections.set_category_archived
                )
                archive(store, self._id, target[1], reason=why, author=author)
        except Exception as exc:  # reported, never raised into Qt
            self._fail(exc)
            return
        self._host.after_library_step(None)

    def _fail(self, exc: Exception) -> None:
        if isinstance(exc, VcioDeskError):
            message = exc.user_message
        else:
            log.error("library change failed", exc_info=exc)
            message = GENERIC_FAILURE
        self.setObsolete(True)
        self._host.report(message)
