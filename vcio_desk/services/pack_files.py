"""A meeting's pack as PDF bytes and as a file: gather, render, write whole or not at all.

The renderer (``reports.pack``) and reportlab are imported on first use, so the app
and the CLI start without them. The file name says what the pack is, in words a
person finds in a folder ("2026-12-01 Acme Dental - vCIO strategic meeting
(client).pdf"), made safe for every common file system.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path

from vcio_desk.atomic import safe_file_name, write_atomically
from vcio_desk.domain.errors import ValidationError
from vcio_desk.reports.pack_data import Edition, PackData
from vcio_desk.store import Store

from .pack_assembly import assemble_pack
from .settings import read_settings

log = logging.getLogger(__name__)

PAPERS = {"a4": "A4", "letter": "Letter", "us letter": "Letter"}
PDF_SUFFIX = ".pdf"
FOLDER_ENDINGS = tuple({"/", os.sep})
SUBJECT_BYTES = 110
TYPE_BYTES = 90
"""With the date, the edition and room for " (2)", a name stays well under 255 bytes."""


@dataclass(frozen=True, slots=True)
class PackResult:
    pdf: bytes
    pages: int
    warnings: tuple[str, ...]
    """Problems met while gathering or rendering (a corrupt logo, missing glyphs...)."""
    file_name: str
    """A safe name for the file ("2026-12-01 Acme Dental - vCIO strategic meeting (client).pdf")."""
    path: Path | None = None
    """Where it was written (``write_pack``), else None."""
    title: str = ""
    """What the pack is for, in words: "Acme Dental – vCIO strategic meeting, 2026-12-01 14:00"."""
    paper: str = ""
    """"A4" or "Letter"."""


def edition_of(value: Edition | str) -> Edition:
    try:
        return Edition(str(value).strip().casefold())
    except ValueError:
        raise ValidationError(
            f"A pack comes in a client or an internal edition, not {value!r}."
        ) from None


def paper_of(store: Store, paper: str | None) -> str:
    """``"A4"`` or ``"Letter"``: the one asked for, else the workspace's paper size setting."""
    if paper is None or not str(paper).strip():
        setting = str(read_settings(store).get("paper_size") or "")
        return PAPERS.get(setting.strip().casefold(), "A4")
    name = PAPERS.get(str(paper).strip().casefold())
    if name is None:
        raise ValidationError(f"Packs print on A4 or Letter paper, not {paper!r}.")
    return name


def _cut(text: str, max_bytes: int) -> str:
    """``text`` on one line, shortened with "…" to at most ``max_bytes`` of UTF-8."""
    text = " ".join(text.split())
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    while text and len(text.encode("utf-8")) > max_bytes - len("…".encode()):
        text = text[:-1]
    return text.rstrip(" .-") + "…"


def pack_file_name(
    start: dt.datetime | dt.date, subject: str, meeting_type: str, edition: Edition | str
) -> str:
    """ "2026-12-01 Acme Dental - vCIO strategic meeting (client).pdf", safe in any folder.

    Long names are shortened so the date and the edition always survive (255 bytes in all).
    """
    day = start.date() if isinstance(start, dt.datetime) else start
    stem = (
        f"{day.isoformat()} {_cut(subject, SUBJECT_BYTES)} - {_cut(meeting_type, TYPE_BYTES)} "
        f"({edition_of(edition).value})"
    )
    return safe_file_name(stem, PDF_SUFFIX)


def file_name_of(data: PackData, edition: Edition | str) -> str:
    return pack_file_name(data.start, data.client_name, data.meeting_type, edition)


def render(
    data: PackData, edition: Edition | str, paper: str, *, deterministic: bool = False
) -> PackResult:
    """Lay ``data`` out as a PDF (the renderer never sees the store)."""
    from vcio_desk.reports.pack import render_pack

    edition = edition_of(edition)
    rendered = render_pack(data, edition, paper, deterministic=deterministic)
    warnings = tuple(dict.fromkeys((*data.warnings, *rendered.warnings)))
    title = f"{data.client_name} – {data.meeting_type}, {data.start:%Y-%m-%d %H:%M}"
    return PackResult(
        rendered.pdf,
        rendered.pages,
        warnings,
        file_name_of(data, edition),
        title=title,
        paper=paper,
    )


def pack_bytes(
    store: Store,
    meeting_id: int,
    edition: Edition | str,
    paper: str | None,
    as_of: dt.date,
    *,
    deterministic: bool = False,
) -> PackResult:
    """The meeting's pack as PDF bytes (``paper`` None: the workspace's setting)."""
    edition = edition_of(edition)
    size = paper_of(store, paper)
    data = assemble_pack(store, meeting_id, as_of)
    return render(data, edition, size, deterministic=deterministic)


def write_pack(
    store: Store,
    meeting_id: int,
    edition: Edition | str,
    paper: str | None,
    as_of: dt.date,
    path: Path | str,
    *,
    deterministic: bool = False,
) -> PackResult:
    """Render the pack and write it to ``path`` whole or not at all.

    ``path`` may be a folder (or end with a separator): the pack is then written inside
    it under its own name.
    Raises :class:`vcio_desk.atomic.WriteError` (unwritable folder, full disk...) with
    the destination left as it was.
    """
    result = pack_bytes(store, meeting_id, edition, paper, as_of, deterministic=deterministic)
    target = Path(path)
    named_by_us = os.path.isdir(target) or str(path).endswith(FOLDER_ENDINGS)  # isdir: no OSError
    if named_by_us:
        target = target / result.file_name
    write_atomically(target, result.pdf, follow_link=not named_by_us)
    log.info("pack of meeting %s written (%d pages)", meeting_id, result.pages)  # no path
    return replace(result, path=target)
