"""Backup figures: back up the large workspace, and restore it from a backup."""

from __future__ import annotations

import datetime as dt
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from vcio_desk.services.backups import back_up_now, restore_backup
from vcio_desk.store import open_store, resolve
from vcio_desk.store.backup import verify_backup

from .harness import Figure, median_of, timed

BUDGET_SECONDS = 10.0


def backup_and_restore(workspace: Path, as_of: dt.date, runs: int) -> list[Figure]:
    """``vcio-desk backup`` (online copy + integrity_check) and ``vcio-desk restore`` (verify,
    a before-restore backup of the current file, copy beside it, sync, rename), each run fresh."""
    del as_of  # the figures do not depend on the day; the signature matches the other groups
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        copy = folder / "workspace.sqlite3"
        shutil.copyfile(workspace, copy)
        made: list[Path] = []

        def back_up_once() -> float:
            with open_store(copy, read_only=True) as store:
                started = time.perf_counter()
                info = back_up_now(store)
                elapsed = time.perf_counter() - started
            made.append(info.path)
            return elapsed

        backup_s, backup_samples = median_of(back_up_once, runs)
        source = made[0]
        verify_s = statistics.median(timed(lambda: verify_backup(source)) for _ in range(runs))
        location = resolve(copy)

        def restore_once() -> float:
            report = restore_backup(location, source)
            assert report.safety_copy is not None
            report.safety_copy.unlink()  # keep the disk use of the benchmark flat
            return report.seconds

        restore_s, restore_samples = median_of(restore_once, runs)
    size = f"{workspace.stat().st_size / 1e6:.0f} MB"
    return [
        Figure(
            f"backup of the large workspace ({size})",
            backup_s,
            "s",
            BUDGET_SECONDS,
            backup_samples,
            note="online copy, then integrity_check of the copy",
        ),
        Figure(
            "restore of the large workspace from a backup",
            restore_s,
            "s",
            BUDGET_SECONDS,
            restore_samples,
            note=f"verify the backup {verify_s:.2f} s (median), then a before-restore backup, "
            "copy, sync and rename",
        ),
    ]
