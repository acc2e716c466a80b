#!/usr/bin/env bash
# Navet beside a peer: the same load on Navet's pages and on Indico's (a widely used Python
# meeting platform), in one run, so the figures can be read as ratios (see bench/README.md).
#
# Navet: a throwaway PostgreSQL database with the demo and 200 extra meetings in the demo
# network (bench/peer_data.py), served by gunicorn with 2 workers, measured with wrk (1 thread,
# 4 connections, 15 s) as the peer's script measures Indico. The peer: shared/perf/indico's
# script, if present beside the repository (or at NAVET_PEER_SCRIPT); without it, Navet alone.
# Needs PostgreSQL, Redis (for the peer) and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${NAVET_PEER_PORT:-8002}
pg=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
db=navet_bench_peer
peer_script=${NAVET_PEER_SCRIPT:-../shared/perf/indico/setup_and_measure.sh}
work=$(mktemp -d)
server=""

cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is needed (Debian package wrk)" >&2; exit 1; }
psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
export DATABASE_URL=$pg/$db NAVET_DATA_DIR=$work NAVET_SECRET_KEY=bench-only
export NAVET_ALLOWED_HOSTS=127.0.0.1
mapfile -t paths < <(.venv/bin/python -m bench.peer_data)

.venv/bin/gunicorn -w 2 -b "127.0.0.1:$port" --chdir "$PWD" --pythonpath src \
  config.wsgi:application >"$work/gunicorn.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port${paths[0]}" && break; sleep 0.2; done

measure() {  # name, path: one warm-up request, then wrk; prints requests/s, p50 and p99
  curl -sf -o /dev/null "http://127.0.0.1:$port$2"
  echo "== Navet $1 $2"
  wrk -t1 -c4 -d15s --latency "http://127.0.0.1:$port$2" | grep -E "Requests/sec|50%|99%|Non-2xx"
}
measure "meeting list (221 past meetings, 50 a page)" "${paths[0]}"
measure "meeting page" "${paths[1]}"
measure "indicator comparison (demo data)" "${paths[2]}"
kill "$server"; wait "$server" 2>/dev/null || true; server=""

if [ -f "$peer_script" ]; then
  echo
  bash "$peer_script"
else
  echo "(no peer: $peer_script not found)"
fi
