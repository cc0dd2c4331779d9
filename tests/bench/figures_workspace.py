"""Workspace file figures: export the large workspace, import it into a new, empty workspace."""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from vcio_desk.services.workspace_transfer import (
    apply_document,
    export_workspace,
    load_workspace_file,
)
from vcio_desk.store import open_store

from .harness import Figure, median_of, timed

BUDGET_SECONDS = 10.0


def workspace_transfer(workspace: Path, as_of: dt.date, runs: int) -> list[Figure]:
    """Export (read-only, as ``vcio-desk export workspace`` does) and import, each run fresh."""
    del as_of  # the figures do not depend on the day; the signature matches the other groups
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        copy = folder / "copy.sqlite3"
        shutil.copyfile(workspace, copy)
        exported = folder / "workspace.json"
        with open_store(copy, read_only=True) as store:
            exported_s, export_samples = median_of(
                lambda: timed(lambda: export_workspace(store, exported)), runs
            )
            report = export_workspace(store, exported)
        checks: list[float] = []
        writes: list[float] = []

        def import_once() -> float:
            fresh = folder / "fresh.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{fresh}{suffix}").unlink(missing_ok=True)
            with open_store(fresh) as store:
                started = time.perf_counter()
                document = load_workspace_file(exported)
                checked = time.perf_counter()
                apply_document(store, document, source=exported)
                done = time.perf_counter()
            checks.append(checked - started)
            writes.append(done - checked)
            return done - started

        imported_s, import_samples = median_of(import_once, runs)
    size = f"{report.total_rows:,} rows, {report.size_bytes / 1e6:.0f} MB"
    return [
        Figure(f"workspace export ({size})", exported_s, "s", BUDGET_SECONDS, export_samples),
        Figure(
            "workspace import into an empty workspace",
            imported_s,
            "s",
            BUDGET_SECONDS,
            import_samples,
            note=f"check the file {statistics.median(checks):.2f} s, "
            f"write {statistics.median(writes):.2f} s (medians)",
        ),
    ]
