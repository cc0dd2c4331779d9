#!/usr/bin/env bash
# The store and services suites again, on PostgreSQL: every workspace a test opens is a
# database on the server in $VCIO_DESK_TEST_PG (see tests/conftest.py).
#
#   VCIO_DESK_TEST_PG=postgresql+psycopg://postgres@127.0.0.1:5433/postgres scripts/test-postgres.sh
#
# Without $VCIO_DESK_TEST_PG the run is not done and says so; with VCIO_DESK_REQUIRE_PG=1
# (CI) that is an error. scripts/start-postgres.sh starts a server for it.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
if [ -z "${VCIO_DESK_TEST_PG:-}" ]; then
  echo "PostgreSQL run NOT done: VCIO_DESK_TEST_PG is not set (no server to test against;" \
       "scripts/start-postgres.sh DIR starts one and writes its URL to DIR/url)." >&2
  if [ "${VCIO_DESK_REQUIRE_PG:-0}" = "1" ]; then
    echo "VCIO_DESK_REQUIRE_PG=1: the PostgreSQL run is required." >&2
    exit 1
  fi
  exit 0
fi
if ! "$python" - <<'PY'
import os, sys
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
url = make_url(os.environ["VCIO_DESK_TEST_PG"])
if url.drivername == "postgresql":
    url = url.set(drivername="postgresql+psycopg")
try:
    create_engine(url).connect().close()
except Exception as exc:  # noqa: BLE001 - any failure: say it in one line
    reason = " ".join(str(getattr(exc, "orig", None) or exc).split())
    shown = url.render_as_string(hide_password=True)
    sys.exit(f"PostgreSQL run NOT done: cannot connect to {shown}: {reason}")
PY
then
  exit 1   # the server was asked for and is not there: that is a failure, not a skip
fi
echo "PostgreSQL run: the store and services suites against the server in VCIO_DESK_TEST_PG"
QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} "$python" -m pytest --backend=postgresql \
  tests/store tests/services "$@"
