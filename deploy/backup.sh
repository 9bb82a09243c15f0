#!/usr/bin/env bash
# Nightly backup with retention: 14 daily backups, and the first of each month kept for 12 months.
# DANGVU_BACKUP_DIR (default /var/backups/dangvu) should be another disk, copied off the machine afterwards.
set -euo pipefail
DIR=${DANGVU_BACKUP_DIR:-/var/backups/dangvu}
BIN=${DANGVU_BIN:-/srv/dangvu/.venv/bin}
mkdir -p "$DIR" && chmod 700 "$DIR"
NAME=$(date +%Y-%m-%d-%H%M)
"$BIN/dangvu" backup "$DIR/$NAME"
# retention: keep the newest 14, plus any taken on the 1st of a month within a year
cd "$DIR"
ls -1d 20??-??-??-???? 2>/dev/null | sort -r | tail -n +15 | while read -r old; do
  day=${old:8:2}
  if [ "$day" = "01" ] && [ "$(find "$old" -maxdepth 0 -mtime -366 | wc -l)" = "1" ]; then continue; fi
  rm -rf -- "$old"
done
