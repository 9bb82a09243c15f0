#!/usr/bin/env bash
# Browser tests drive Debian's chromium (Playwright's own browser downloads do not work here).
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-liberation2 >/dev/null
fi
