"""New version of a rhythm, or a new rhythm for a client, through the rhythm editor.

The dialog writes itself when OK is pressed (``services.rhythms.add_version`` or
``create_rhythm``). A refusal (a VcioDeskError) is shown as its ``user_message``
in a message box and the dialog stays open with everything typed, so nothing is
lost. Pages open it through :meth:`RhythmDialog.ask`, which tests replace (the
pytest-qt "ask() classmethod" pattern).

A new version carries the rhythm's ``row_version`` as read: if someone changed the
rhythm meanwhile (another window, a colleague on a team workspace) the save is refused
with :class:`RhythmChangedError` and the dialog offers to reload the rhythm, keeping
everything typed, so the person decides again with the new version in view.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TypeVar

from PySide6.QtCore import QDate, QLocale, QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vcio_desk.domain.errors import ValidationError, VcioDeskError
from vcio_desk.services.client_detail import ClientDetail, MeetingTypeOption
from vcio_desk.services.rhythms import (
    RhythmChangedError,
    RhythmView,
    VersionView,
    add_version,
    create_rhythm,
    get_rhythm,
    tier_templates,
)
from vcio_desk.store import Store
from vcio_desk.ui import icons
from vcio_desk.ui.formatting import format_date
from vcio_desk.ui.widgets.rhythm_editor import ERROR_COLOUR, RhythmEditor, mute, to_qdate
from vcio_desk.ui.workers import GENERIC_FAILURE

log = logging.getLogger(__name__)

T = TypeVar("T")

FALLBACK_RULE = ("FREQ=MONTHLY;INTERVAL=3", 14)
"""Rule and tolerance offered for a new rhythm when the tier template has none."""


def show_error(parent: QWidget, title: str, message: str) -> None:
    """A warning box with a person's message (never a traceback)."""
    QMessageBox.warning(parent, title, message)


def write_or_explain(parent: QWidget, title: str, write: Callable[[], T]) -> T | None:
    """Run ``write``; on failure say why in a message box and return None.

    A VcioDeskError shows its ``user_message``; anything else is a bug: it is logged
    with its traceback and the person reads one generic sentence.
    """
    try:
        return write()
    except VcioDeskError as err:
        show_error(parent, title, err.user_message)
    except Exception:
        log.exception("%s write failed", type(parent).__name__)  # titles can name a client
        show_error(parent, title, GENERIC_FAILURE)
    return None


@dataclass(frozen=True)
class RhythmRequest:
    """What the dialog is asked for: a new version of ``rhythm``, or (without one) a new
    rhythm for ``client`` with one of ``meeting_types``."""

    store: Store
    client: ClientDetail
    as_of: dt.date
    author: str = ""
    rhythm: RhythmView | None = None
    meeting_types: tuple[MeetingTypeOption, ...] = ()

    @property
    def latest(self) -> VersionView | None:
        """The version that starts last (a new one must start after it)."""
        if self.rhythm is None or not self.rhythm.versions:
            return None
        return max(self.rhythm.versions, key=lambda v: v.effective_from)


RhythmOpener = Callable[[QWidget, RhythmRequest], int | None]


def ask_reload(parent: QWidget, title: str, message: str) -> bool:
    """Changed elsewhere: True when the person chooses to reload the rhythm."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    reload_button = box.addButton("&Reload", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(reload_button)
    try:
        box.exec()
        return box.clickedButton() is reload_button
    finally:
        box.deleteLater()


ReloadAsker = Callable[[QWidget, str, str], bool]


def save_or_offer_reload(
    dialog: QWidget, title: str, write: Callable[[], int], ask: ReloadAsker
) -> tuple[int | None, bool]:
    """(saved id or None, True when the rhythm changed elsewhere and should be reloaded).

    Any other refusal is explained as :func:`write_or_explain` does."""
    stale: list[str] = []

    def attempt() -> int | None:
        try:
            return write()
        except RhythmChangedError as err:
            stale.append(err.user_message)
            return None

    saved = write_or_explain(dialog, title, attempt)
    return saved, bool(stale) and ask(dialog, title, stale[0])


def save_rhythm_edit(
    store: Store,
    editor: RhythmEditor,
    *,
    rhythm_id: int | None,
    meeting_type_key: str | None,
    effective_from: dt.date,
    reason: str,
    author: str,
    expected_version: int | None = None,
    **subject: int | None,
) -> int:
    """What the editor holds, saved: a new version of ``rhythm_id`` from ``effective_from``
    (refused with RhythmChangedError if the rhythm is no longer at ``expected_version``),
    or (no rhythm) a new rhythm of ``meeting_type_key`` for ``subject`` (``client_id``, or
    ``internal_body_id`` and ``owner_id``). Client and internal rhythm dialogs share it."""
    if rhythm_id is not None:
        return add_version(
            store,
            rhythm_id,
            rule=editor.rule(),
            anchor=editor.anchor(),
            tolerance_days=editor.tolerance_days(),
            effective_from=effective_from,
            reason=reason,
            author=author,
            expected_version=expected_version,
        )
    if meeting_type_key is None:
        raise ValidationError("Choose the meeting type of the new rhythm.")
    return create_rhythm(
        store,
        meeting_type_key=meeting_type_key,
        rule=editor.rule(),
        anchor=editor.anchor(),
        tolerance_days=editor.tolerance_days(),
        reason=reason or "New rhythm",
        author=author,
        **subject,
    )


class RhythmDialog(QDialog):
    """The rhythm editor plus what a change needs: effective date and reason, or a type."""

    ask_reload: ReloadAsker = staticmethod(ask_reload)
    """Replaceable (tests): asked when the rhythm changed elsewhere before the save."""

    def __init__(
        self,
        request: RhythmRequest,
        parent: QWidget | None = None,
        *,
        locale: QLocale | None = None,
    ) -> None:
        super().__init__(parent)
        self.request = request
        self.result_id: int | None = None
        self._locale = locale or QLocale()
        self._prefilled: tuple[str, int] | None = None
        client = request.client
        rhythm = request.rhythm
        self.setObjectName("rhythm_dialog")

        self.editor = RhythmEditor(
            request.as_of, client.fiscal_year_start_month, locale=self._locale
        )
        self.type_combo = QComboBox()
        self.effective_edit = QDateEdit()
        self.effective_edit.setCalendarPopup(True)
        self.effective_edit.setDateRange(QDate(1990, 1, 1), QDate(2199, 12, 31))
        self.reason_edit = QLineEdit()
        self.reason_edit.setClearButtonEnabled(True)
        self.reason_edit.setMaxLength(500)
        self.reason_edit.setMinimumWidth(360)

        heading = QLabel()
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        heading.setFont(font)
        heading.setTextFormat(Qt.TextFormat.PlainText)
        self.intro_label = QLabel()
        self.intro_label.setWordWrap(True)
        self.intro_label.setTextFormat(Qt.TextFormat.PlainText)

        form = self.editor.form
        if rhythm is not None:
            self.setWindowTitle(f"New version — {rhythm.meeting_type}")
            heading.setText(f"{rhythm.meeting_type} · {client.name}")
            self.intro_label.setText(self._current_text(rhythm))
            latest = request.latest
            first_allowed = latest.effective_from + dt.timedelta(days=1) if latest else None
            default = max(request.as_of, first_allowed) if first_allowed else request.as_of
            self.effective_edit.setDate(to_qdate(default))
            self.effective_edit.setToolTip(
                "Slots from this date on follow the new version; earlier slots keep theirs."
            )
            self.reason_edit.setPlaceholderText(
                "Why the rhythm changes, e.g. “Client asked for monthly reviews during the move”"
            )
            form.insertRow(0, "Takes effect &from:", self.effective_edit)
            form.insertRow(1, "Rea&son:", self.reason_edit)
            self.editor.set_preview_from(default)
            current = rhythm.current(request.as_of) or latest
            if current is not None:
                self.editor.set_rhythm(current.rule, current.anchor, current.tolerance_days)
            ok_text = "Save new version"
        else:
            self.setWindowTitle(f"Add rhythm — {client.name}")
            heading.setText(f"New rhythm · {client.name}")
            self.intro_label.setText(
                "The rhythm's first version takes effect on its anchor date. It starts from "
                f"the tier {client.tier} template for the meeting type; change it as you need."
            )
            for option in request.meeting_types:
                self.type_combo.addItem(option.name, option.key)
            self.reason_edit.setPlaceholderText("New rhythm")
            form.insertRow(0, "Meeting t&ype:", self.type_combo)
            form.insertRow(1, "Rea&son:", self.reason_edit)
            self.type_combo.currentIndexChanged.connect(self._on_type_changed)
            self._on_type_changed()
            ok_text = "Add rhythm"
        self.editor.flush()

        self.issue_icon = QLabel()
        self.issue_icon.setPixmap(icons.icon("warning").pixmap(QSize(20, 20)))
        self.issue_label = QLabel()
        self.issue_label.setObjectName("dialog_issue")
        self.issue_label.setWordWrap(True)
        self.issue_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.issue_row = QWidget()
        issue_layout = QHBoxLayout(self.issue_row)
        issue_layout.setContentsMargins(0, 0, 0, 0)
        issue_layout.addWidget(self.issue_icon, 0, Qt.AlignmentFlag.AlignTop)
        issue_layout.addWidget(self.issue_label, 1)
        self.note_label = QLabel()
        self.note_label.setObjectName("dialog_note")
        mute(self.note_label)
        self.note_label.setWordWrap(True)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert isinstance(ok, QPushButton)
        self.ok_button = ok
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.intro_label)
        layout.addSpacing(6)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.issue_row)
        layout.addWidget(self.note_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

        self.editor.evaluated.connect(self._update_state)
        self.effective_edit.dateChanged.connect(self._on_effective_changed)
        self.reason_edit.textChanged.connect(self._update_state)
        if request.store.read_only:
            self.ok_button.setToolTip("The workspace is open read-only.")
        self._update_state()

    # -- reading ----------------------------------------------------------------------------

    def effective_from(self) -> dt.date:
        return self.effective_edit.date().toPython()

    def meeting_type_key(self) -> str | None:
        return self.type_combo.currentData()

    def problems(self) -> tuple[str, str]:
        """(error, note): what is wrong with the dialog's own fields, and what is missing."""
        if self.request.rhythm is not None:
            latest = self.request.latest
            if latest is not None and self.effective_from() <= latest.effective_from:
                when = format_date(latest.effective_from, self._locale)
                return (
                    f"A new version must take effect after {when}, when the latest version "
                    "starts; history is never rewritten.",
                    "",
                )
            if not self.reason_edit.text().strip():
                return "", "Say why the rhythm changes: a new version needs a reason."
        elif self.meeting_type_key() is None:
            return "This client already has a rhythm for every meeting type.", ""
        return "", ""

    def can_save(self) -> bool:
        error, note = self.problems()
        return (
            self.editor.is_valid() and not error and not note and not self.request.store.read_only
        )

    # -- actions ----------------------------------------------------------------------------

    def accept(self) -> None:
        """Save, then close; on a refusal say why and stay open with the input intact."""
        self.editor.flush()
        self._update_state()
        if not self.can_save():
            return
        saved, stale = save_or_offer_reload(
            self, self.windowTitle(), self._write, type(self).ask_reload
        )
        if stale:
            self.reload()
        if saved is None:
            return
        self.result_id = saved
        super().accept()

    def reload(self) -> None:
        """Read the rhythm afresh (changed elsewhere); what was typed here stays."""
        rhythm = self.request.rhythm
        if rhythm is None:
            return
        fresh = write_or_explain(
            self, self.windowTitle(), lambda: get_rhythm(self.request.store, rhythm.id)
        )
        if fresh is None:
            return
        self.request = replace(self.request, rhythm=fresh)
        self.intro_label.setText(self._current_text(fresh))
        self._update_state()

    def _write(self) -> int:
        request = self.request
        rhythm = request.rhythm
        return save_rhythm_edit(
            request.store,
            self.editor,
            rhythm_id=rhythm.id if rhythm is not None else None,
            meeting_type_key=self.meeting_type_key(),
            effective_from=self.effective_from(),
            reason=self.reason_edit.text().strip(),
            author=request.author,
            expected_version=rhythm.row_version if rhythm is not None else None,
            client_id=request.client.id,
        )

    @classmethod
    def ask(cls, parent: QWidget, request: RhythmRequest) -> int | None:
        """Show the dialog modally; the id of the version or rhythm saved, None if cancelled."""
        dialog = cls(request, parent)
        try:
            dialog.exec()
            return dialog.result_id
        finally:
            dialog.deleteLater()

    # -- internals --------------------------------------------------------------------------

    def _current_text(self, rhythm: RhythmView) -> str:
        current = rhythm.current(self.request.as_of)
        lines = [
            "A new version applies from its effective date; slots before it keep the "
            "version that was in force then."
        ]
        if current is not None:
            since = format_date(current.effective_from, self._locale)
            lines.append(
                f"In force: {current.description}, ±{current.tolerance_days} days, since {since}."
            )
        latest = self.request.latest
        if latest is not None and current is not None and latest.id != current.id:
            starts = format_date(latest.effective_from, self._locale)
            lines.append(f"Scheduled: {latest.description} from {starts}.")
        return "\n".join(lines)

    def _template_for(self, key: str | None) -> tuple[str, int]:
        try:
            for item in tier_templates(self.request.store)["tiers"][self.request.client.tier]:
                if item["meeting_type"] == key:
                    return str(item["rrule"]), int(item["tolerance_days"])
        except (KeyError, TypeError, ValueError):  # an edited template without this tier
            pass
        return FALLBACK_RULE

    def _on_type_changed(self) -> None:
        untouched = self._prefilled is None or self._prefilled == (
            self.editor.rule(),
            self.editor.tolerance_days(),
        )
        if untouched:  # never overwrite what the person changed
            rule, tolerance = self._template_for(self.meeting_type_key())
            self.editor.set_rhythm(rule, self.editor.anchor(), tolerance)
            self._prefilled = (self.editor.rule(), tolerance)

    def _on_effective_changed(self) -> None:
        self.editor.set_preview_from(self.effective_from())
        self._update_state()

    def _update_state(self) -> None:
        error, note = self.problems()
        self.issue_label.setText(error)
        self.issue_row.setVisible(bool(error))
        self.note_label.setText(note)
        self.note_label.setVisible(bool(note))
        self.ok_button.setEnabled(self.can_save())
