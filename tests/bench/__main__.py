"""``python -m tests.bench``: measure every figure against its budget and write JSON.

Options: ``--runs N`` (default 5), ``--only SUBSTRING`` to pick figures,
``--json PATH`` (default tests/bench/results/latest.json), ``--as-of YYYY-MM-DD``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from . import figures_backup as backup
from . import figures_client as client
from . import figures_foundation as foundation
from . import figures_gui as gui
from . import figures_packs as packs_figures
from . import figures_reviews as reviews
from . import figures_schedule as schedule
from . import figures_workspace as transfer
from .harness import DEFAULT_RUNS, Figure, print_table, write_json
from .workspace import large_workspace

RESULTS = Path(__file__).parent / "results" / "latest.json"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench")
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS)
    parser.add_argument("--only", default="")
    parser.add_argument("--json", type=Path, default=RESULTS)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    options = parser.parse_args()
    runs = max(5, options.runs)

    print(f"Preparing the large workspace (cached in {large_workspace.__module__})...")
    workspace = large_workspace(options.as_of)
    groups = {
        "build": lambda: [foundation.large_build(options.as_of, runs)],
        "start": lambda: foundation.cold_start(workspace, runs),
        "memory": lambda: [foundation.peak_memory(workspace, runs)],
        "slots": lambda: schedule.slot_expansion(workspace, options.as_of, runs),
        "schedule": lambda: schedule.year_schedule(workspace, options.as_of, runs),
        "drift": lambda: schedule.drift_all(workspace, options.as_of, runs),
        "year": lambda: gui.year_page(workspace, options.as_of, runs),
        "rhythmspage": lambda: gui.rhythms_page(workspace, options.as_of, runs),
        "dashboard": lambda: gui.dashboard_page(workspace, options.as_of, runs),
        "report": lambda: gui.adherence_report(workspace, options.as_of, runs),
        "reviews": lambda: reviews.review_answer(workspace, options.as_of, runs),
        "workspace": lambda: transfer.workspace_transfer(workspace, options.as_of, runs),
        "packs": lambda: packs_figures.packs(workspace, options.as_of, runs),
        "clientpage": lambda: client.client_page(workspace, options.as_of, runs),
        "backup": lambda: backup.backup_and_restore(workspace, options.as_of, runs),
    }
    figures: list[Figure] = []
    for name, measure in groups.items():
        if options.only and options.only not in name:
            continue
        print(f"measuring {name}...", flush=True)
        figures.extend(measure())
    print()
    print_table(figures)
    write_json(figures, options.json)
    print(f"\nresults written to {options.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
