#!/usr/bin/env bash
# Stop the server scripts/start-postgres.sh DIR started, and remove DIR.
set -euo pipefail
dir=${1:?usage: stop-postgres.sh DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -n "$bin" ] && [ -f "$dir/data/postmaster.pid" ]; then
  as_owner=()
  [ "$(id -u)" -eq 0 ] && as_owner=(runuser -u postgres --)
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
fi
rm -rf "$dir"
