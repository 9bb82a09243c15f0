#!/usr/bin/env bash
# Everything `make test` runs: SQLite (with the browser tests), then PostgreSQL. Fails if any part fails.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
bash scripts/ensure-chromium.sh || exit 1
bash scripts/ensure-libreoffice.sh || exit 1
bash scripts/ensure-ocr.sh || exit 1
status=0
echo "== Lint (ruff)"
$BIN/ruff check src tests bench scripts || status=1
echo "== Benchmarks at a tiny scale (each must still run and meet its bar)"
$BIN/python bench/uploads.py --mb 40 --repeat 2 || status=1
$BIN/python bench/weight.py || status=1
bash scripts/with-postgres.sh bash scripts/bench-tiny.sh || status=1
bash scripts/with-postgres.sh $BIN/python bench/load.py --users 3 --seconds 5 --bar-ms 5000 || status=1
echo "== SQLite: unit, integration and browser tests"
$BIN/pytest -q -p no:cacheprovider || status=1
echo "== PostgreSQL: unit and integration tests"
DANGVU_PG_REPLICA=1 bash scripts/with-postgres.sh $BIN/pytest -q -p no:cacheprovider -m "not browser" || status=1
exit $status
