"""Finding the meeting a pack is for, and writing the packs of the next N days in one go.

``meeting_for`` turns what a person types ("acme dental", "next") into a meeting id
with errors that help (close names are listed). ``write_packs`` writes one file per
meeting, each whole or not at all: one failing pack is reported and the batch goes on;
the progress callback may raise to cancel (the packs written so far stay).
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from vcio_desk.atomic import WriteError, write_atomically
from vcio_desk.domain.errors import ValidationError, VcioDeskError
from vcio_desk.domain.vocab import MeetingStatus
from vcio_desk.reports.pack_data import Edition
from vcio_desk.store import Store
from vcio_desk.store import models as m

from .dashboard import upcoming_meetings
from .meeting_common import zone_or_utc
from .pack_files import edition_of, pack_bytes, pack_file_name, paper_of

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
PLANNED = (MeetingStatus.PROPOSED, MeetingStatus.CONFIRMED)
MAX_DAYS = 366
CLOSE_NAMES = 5


@dataclass(frozen=True, slots=True)
class PackTarget:
    meeting_id: int
    subject: str
    meeting_type: str
    start: dt.datetime
    """Local start, aware."""
    file_name: str

    @property
    def label(self) -> str:
        return f"{self.subject} – {self.meeting_type} {self.start.date().isoformat()}"


@dataclass(frozen=True, slots=True)
class PackFailure:
    target: PackTarget
    reason: str
    """One sentence: why this pack was not written."""

    @property
    def label(self) -> str:
        return self.target.label


@dataclass(frozen=True, slots=True)
class BatchReport:
    out_dir: Path
    written: tuple[Path, ...]
    failed: tuple[PackFailure, ...]
    warnings: tuple[str, ...]
    """One line per distinct warning: "file name: what", or "all 12 packs: what"."""

    @property
    def total(self) -> int:
        return len(self.written) + len(self.failed)

    @property
    def ok(self) -> bool:
        return not self.failed


# -- which meeting -------------------------------------------------------------------------------


def _subjects(store: Store) -> list[tuple[str, str, int]]:
    """(name, kind, id) of every client, then every internal body."""
    with store.session() as session:
        clients = session.execute(select(m.Client.name, m.Client.id)).all()
        bodies = session.execute(select(m.InternalBody.name, m.InternalBody.id)).all()
    return [(n, "client", i) for n, i in clients] + [(n, "internal", i) for n, i in bodies]


def find_subject(store: Store, name: str) -> tuple[str, str, int]:
    """The client (or internal body) called ``name``: exactly, else the only one whose name
    matches ignoring case; a clear error listing close names otherwise."""
    wanted = " ".join(name.split())
    if not wanted:
        raise ValidationError("Give the client's name.")
    subjects = _subjects(store)
    exact = [s for s in subjects if s[0] == name or " ".join(s[0].split()) == wanted]
    if len(exact) == 1:
        return exact[0]
    folded = [s for s in subjects if " ".join(s[0].split()).casefold() == wanted.casefold()]
    if len(folded) == 1:
        return folded[0]
    if folded:
        names = "; ".join(sorted(s[0] for s in folded))
        raise ValidationError(f"Several clients are called {wanted!r} ignoring case: {names}.")
    names = [s[0] for s in subjects]
    close = [n for n in names if wanted.casefold() in n.casefold()]
    lowered = {n.casefold(): n for n in names}
    close += [
        lowered[n]
        for n in difflib.get_close_matches(wanted.casefold(), list(lowered), n=CLOSE_NAMES)
        if lowered[n] not in close
    ]
    hint = f" Did you mean: {'; '.join(close[:CLOSE_NAMES])}?" if close else ""
    raise ValidationError(f"There is no client called {wanted!r} in this workspace.{hint}")


def meeting_for(store: Store, client_name: str, meeting: int | str, as_of: dt.date) -> int:
    """The id of ``meeting`` (an id, or "next": the next proposed or confirmed meeting on or
    after ``as_of``) of the client (or internal body) called ``client_name``."""
    name, kind, subject_id = find_subject(store, client_name)
    subject = m.Meeting.client_id if kind == "client" else m.Meeting.internal_body_id
    text = str(meeting).strip().casefold()
    if text == "next":
        # A local day on or after as_of starts no earlier than a day before it in UTC.
        earliest = dt.datetime.combine(as_of - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        with store.session() as session:
            rows = session.execute(
                select(m.Meeting.id, m.Meeting.scheduled_start, m.Meeting.timezone)
                .where(
                    subject == subject_id,
                    m.Meeting.status.in_(PLANNED),
                    m.Meeting.scheduled_start >= earliest,
                )
                .order_by(m.Meeting.scheduled_start, m.Meeting.id)
                .limit(50)
            ).all()
        for row in rows:
            if row.scheduled_start.astimezone(zone_or_utc(row.timezone)).date() >= as_of:
                return int(row.id)
        raise ValidationError(
            f"{name} has no proposed or confirmed meeting on or after {as_of.isoformat()}."
        )
    if not text.isdigit():
        raise ValidationError(f"Give a meeting's number or 'next', not {meeting!r}.")
    meeting_id = int(text)
    with store.session() as session:
        owner = session.execute(
            select(m.Meeting.client_id, m.Meeting.internal_body_id).where(
                m.Meeting.id == meeting_id
            )
        ).one_or_none()
    if owner is None:
        raise ValidationError(f"There is no meeting {meeting_id} in this workspace.")
    if (owner.client_id if kind == "client" else owner.internal_body_id) != subject_id:
        raise ValidationError(f"Meeting {meeting_id} is not a meeting of {name}.")
    return meeting_id


def meetings_in_next_days(
    store: Store, as_of: dt.date, days: int, edition: Edition | str = Edition.CLIENT
) -> list[PackTarget]:
    """Proposed and confirmed meetings whose local day is in [as_of, as_of + days), by start,
    each with a file name unique in one folder (ignoring case)."""
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"Give the number of days as 1 to {MAX_DAYS}, not {days!r}.")
    edition = edition_of(edition)
    taken: set[str] = set()
    targets = []
    for meeting in upcoming_meetings(store, as_of, days=days):
        if meeting.status not in PLANNED:
            continue
        name = unique_name(
            pack_file_name(meeting.start, meeting.subject, meeting.meeting_type, edition), taken
        )
        targets.append(
            PackTarget(
                meeting.meeting_id, meeting.subject, meeting.meeting_type, meeting.start, name
            )
        )
    return targets


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or "name (2).pdf", "(3)"... when a file of that name (any case) is taken."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{stem} ({n}){dot}{suffix}"
    taken.add(candidate.casefold())
    return candidate


# -- the batch -----------------------------------------------------------------------------------


def _folder(out_dir: Path) -> Path:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise WriteError(
            f"{out_dir} is a file, not a folder; choose a folder for the packs."
        ) from None
    except OSError as exc:
        reason = (exc.strerror or str(exc)).rstrip(".").lower()
        raise WriteError(
            f"Cannot create the folder {out_dir}: {reason}.", errno_value=exc.errno
        ) from None
    if not out_dir.is_dir():
        raise WriteError(f"{out_dir} is a file, not a folder; choose a folder for the packs.")
    return out_dir


def write_packs(
    store: Store,
    as_of: dt.date,
    days: int,
    out_dir: Path | str,
    edition: Edition | str = Edition.CLIENT,
    paper: str | None = None,
    *,
    progress: Progress | None = None,
) -> BatchReport:
    """One pack per meeting of the next ``days`` days in ``out_dir`` (created if missing).

    ``progress(done, total, label)`` is called before each pack and at the end; it may
    raise to cancel (the exception propagates; packs already written stay, each whole).
    """
    report = progress or (lambda _done, _total, _label: None)
    edition = edition_of(edition)
    size = paper_of(store, paper)
    targets = meetings_in_next_days(store, as_of, days, edition)
    folder = _folder(Path(out_dir))
    written: list[Path] = []
    failed: list[PackFailure] = []
    warned: dict[str, list[str]] = {}
    for done, target in enumerate(targets):
        report(done, len(targets), target.label)
        try:
            result = pack_bytes(store, target.meeting_id, edition, size, as_of)
            path = folder / target.file_name
            write_atomically(path, result.pdf, follow_link=False)  # a name we made up
        except VcioDeskError as err:
            failed.append(PackFailure(target, err.user_message))
            continue
        except Exception:  # one broken pack must not stop the others; the log has the details
            log.exception("pack of meeting %s failed", target.meeting_id)
            failed.append(
                PackFailure(target, "an unexpected error occurred; details are in the log")
            )
            continue
        written.append(path)
        for text in result.warnings:
            warned.setdefault(text, []).append(target.file_name)
    report(len(targets), len(targets), "Done")
    return BatchReport(folder, tuple(written), tuple(failed), _grouped(warned, len(written)))


def _grouped(warned: dict[str, list[str]], written: int) -> tuple[str, ...]:
    """One line per warning: "file: text", or "all 12 packs: text" / "3 packs: text"."""
    lines = []
    for text, files in warned.items():
        if len(files) == 1:
            lines.append(f"{files[0]}: {text}")
        elif len(files) == written:
            lines.append(f"all {written} packs: {text}")
        else:
            lines.append(f"{len(files)} packs: {text}")
    return tuple(lines)
