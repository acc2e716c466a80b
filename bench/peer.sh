#!/usr/bin/env bash
# Navet beside a peer: the same load on Navet's pages and on Indico's (a widely used Python
# meeting platform), in one run, so the figures can be read as ratios (see bench/README.md).
#
# Navet: a throwaway PostgreSQL database with the demo and 200 extra meetings in the demo
# network (bench/peer_data.py), analysed as autovacuum would after a load, served by gunicorn
# with 2 workers and the Redis cache (database 2), in Swedish. Measured with wrk (1 thread,
# 4 connections, 15 s) as the peer's script measures Indico, as a visitor who is not logged
# in (as on Indico), then with 50 connections for 30 s. The peer: shared/perf/indico's script,
# if present beside the repository (or at NAVET_PEER_SCRIPT); without it, Navet alone.
# Needs PostgreSQL, Redis and wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${NAVET_PEER_PORT:-8002}
pg=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
redis=${NAVET_PEER_REDIS:-redis://127.0.0.1:6379/2}
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
redis-cli -u "$redis" ping >/dev/null || { echo "Redis is needed at $redis" >&2; exit 1; }
make -s translations  # the pages render in Swedish, as users see them
psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
export DATABASE_URL=$pg/$db NAVET_DATA_DIR=$work NAVET_SECRET_KEY=bench-only
export NAVET_ALLOWED_HOSTS=127.0.0.1 NAVET_REDIS_URL=$redis NAVET_CACHE_KEY_PREFIX=navet-peer
mapfile -t paths < <(.venv/bin/python -m bench.peer_data)
psql "$pg/$db" -qc "ANALYZE"
redis-cli -u "$redis" --scan --pattern 'navet-peer:*' | xargs -r redis-cli -u "$redis" del >/dev/null

.venv/bin/gunicorn -w 2 -b "127.0.0.1:$port" --chdir "$PWD" --pythonpath src \
  config.wsgi:application >"$work/gunicorn.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port${paths[0]}" && break; sleep 0.2; done

declare -A rate
measure() {  # key, name, path: a warm-up, then wrk; prints requests/s, p50 and p99
  # Two seconds of load first, so that both workers have loaded their templates and opened
  # their database connection (one request warms only one worker).
  wrk -t1 -c4 -d2s "http://127.0.0.1:$port$3" >/dev/null
  echo "== Navet $2 $3"
  wrk -t1 -c4 -d15s --latency "http://127.0.0.1:$port$3" >"$work/wrk.txt"
  grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors" "$work/wrk.txt"
  rate[$1]=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
}
measure list "meeting list (221 past meetings, 50 a page)" "${paths[0]}"
measure meeting "meeting page" "${paths[1]}"
measure comparison "indicator comparison (demo data)" "${paths[2]}"
for key in 0 1; do
  echo "== Navet under 50 connections for 30 s: ${paths[$key]}"
  wrk -t2 -c50 -d30s --latency "http://127.0.0.1:$port${paths[$key]}" |
    grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors|requests in"
done
kill "$server"; wait "$server" 2>/dev/null || true; server=""

if [ ! -f "$peer_script" ]; then
  echo "(no peer: $peer_script not found)"
  exit 0
fi
echo
bash "$peer_script" | tee "$work/peer.txt"
mapfile -t peer < <(awk '/Requests\/sec/ {print $2}' "$work/peer.txt")
echo
echo "Navet's requests/s as a multiple of Indico's, same run (goal: 5 × for both):"
awk -v a="${rate[list]}" -v b="${peer[0]:-0}" \
  'BEGIN {printf "  meeting list / category page   %6.1f / %6.1f = %4.2f ×\n", a, b, b ? a / b : 0}'
awk -v a="${rate[meeting]}" -v b="${peer[1]:-0}" \
  'BEGIN {printf "  meeting page / meeting page    %6.1f / %6.1f = %4.2f ×\n", a, b, b ? a / b : 0}'
