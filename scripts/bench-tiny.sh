#!/usr/bin/env bash
# Every PostgreSQL benchmark at the tiny scale (seconds), so that none can silently break (`make test` runs it
# inside scripts/with-postgres.sh). The full scales stay on demand: make bench-members, bench-meetings, …
# (The load test needs the demo province in an empty database: scripts/test-all.sh runs it in a cluster of its own.)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
for cmd in "bench/run.py --scale tiny --repeat 2" \
           "bench/members.py --scale tiny --members 3000 --import-rows 300 --repeat 2" \
           "bench/meetings.py --scale tiny --repeat 2" \
           "bench/dossiers.py --scale tiny --repeat 2" \
           "bench/evaluations.py --scale tiny --repeat 2" \
           "bench/admission.py --scale tiny --repeat 2" \
           "bench/inspection.py --scale tiny --repeat 2" \
           "bench/documents.py --scale tiny --docs 3000 --repeat 2" \
           "bench/stats.py --scale tiny --members 3000 --repeat 2" \
           "bench/dues.py --scale tiny --members 3000 --repeat 2" \
           "bench/restructure.py --scale tiny --rollback-first"; do
  log=$(mktemp)
  if $PY $cmd >"$log" 2>&1; then
    echo "ok   $cmd"
  else
    echo "FAIL $cmd"; tail -30 "$log"; rm -f "$log"; exit 1
  fi
  rm -f "$log"
done
