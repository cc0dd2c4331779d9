"""Meeting packs: gather a meeting's :class:`PackData`, render it, write it; many at once.

The one place the GUI and the CLI call for packs. The work lives in small modules:

- :mod:`.pack_assembly` gathers the data from the services that own each rule
  (with :mod:`.pack_review`, :mod:`.pack_rhythms`, :mod:`.pack_register`, :mod:`.pack_points`);
- :mod:`.pack_files` renders through ``reports.pack`` and writes atomically;
- :mod:`.pack_batch` finds the meeting a person means and writes the next N days' packs.

A meeting type chooses the sections and their order (``MeetingType.pack_sections``);
one ``PackData`` serves both editions, the renderer leaving out of the client edition
what it must not show.
"""

from __future__ import annotations

from vcio_desk.reports.pack_data import DEFAULT_SECTIONS, Edition, PackData, PackSection

from .pack_assembly import assemble_pack, sections_of
from .pack_batch import (
    BatchReport,
    PackFailure,
    PackTarget,
    find_subject,
    meeting_for,
    meetings_in_next_days,
    write_packs,
)
from .pack_files import PackResult, pack_bytes, pack_file_name, paper_of, write_pack

__all__ = [
    "DEFAULT_SECTIONS",
    "BatchReport",
    "Edition",
    "PackData",
    "PackFailure",
    "PackResult",
    "PackSection",
    "PackTarget",
    "assemble_pack",
    "find_subject",
    "meeting_for",
    "meetings_in_next_days",
    "pack_bytes",
    "pack_file_name",
    "paper_of",
    "sections_of",
    "write_pack",
    "write_packs",
]
