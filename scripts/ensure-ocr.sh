#!/usr/bin/env bash
# Text inside scans (core.ocr): OCRmyPDF with Tesseract's Vietnamese data, from Debian's packages. The app runs
# without them (a scan stays searchable only by its title); `make run` and `make test` install them.
set -euo pipefail
if ! command -v ocrmypdf >/dev/null || ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx vie; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ocrmypdf tesseract-ocr tesseract-ocr-vie >/dev/null
fi
