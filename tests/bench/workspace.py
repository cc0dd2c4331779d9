"""The large demo workspace the benchmarks share, built once per day and schema (cached)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from vcio_desk.services.demo import build_demo
from vcio_desk.store import open_store
from vcio_desk.store.migrate import SCHEMA_HEAD

CACHE_DIR = Path(__file__).parent / ".cache"
LARGE = {"clients": 500, "years": 5, "seed": 7}


def large_workspace(as_of: dt.date) -> Path:
    """Path to the cached large workspace for ``as_of``; builds it when missing."""
    name = f"large-c{LARGE['clients']}-y{LARGE['years']}-s{LARGE['seed']}-{as_of}-{SCHEMA_HEAD}"
    path = CACHE_DIR / f"{name}.sqlite3"
    done = path.with_suffix(".complete")
    if not done.exists():
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        for stale in CACHE_DIR.glob("large-*"):
            stale.unlink()
        with open_store(path) as store:
            build_demo(store, as_of=as_of, force=True, **LARGE)
        done.touch()
    return path
