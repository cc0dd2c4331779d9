#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on loopback for the test suite's PostgreSQL run.
#
#   scripts/start-postgres.sh DIR [PORT]
#
# Installs Debian's `postgresql` package when the server programs are missing (as root),
# makes a new cluster in DIR/data (trust authentication, user `postgres`, UTF-8, fsync off:
# the data is thrown away), starts it on 127.0.0.1 at PORT (default: the first free port
# from 5433) and writes the suite's URL to DIR/url, e.g.
#   postgresql+psycopg://postgres@127.0.0.1:5433/postgres
# Stop it with scripts/stop-postgres.sh DIR.
set -euo pipefail
dir=${1:?usage: start-postgres.sh DIR [PORT]}
port=${2:-}

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

bin=$(find_bin)
if [ -z "$bin" ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "PostgreSQL is not installed. Run: sudo apt-get install -y postgresql" >&2
    exit 1
  fi
  echo "Installing PostgreSQL from Debian's packages..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  bin=$(find_bin)
fi

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -z "$port" ]; then
  for candidate in $(seq 5433 5499); do
    if ! port_in_use "$candidate"; then port=$candidate; break; fi
  done
fi
[ -n "$port" ] || { echo "No free port between 5433 and 5499." >&2; exit 1; }

mkdir -p "$dir"
# initdb and the server refuse to run as root: as root they run as the `postgres` user
# (which Debian's package creates).
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" postgres
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi
"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
  --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
url="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
echo "$url" >"$dir/url"
echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') running at $url (data in $dir)" >&2
