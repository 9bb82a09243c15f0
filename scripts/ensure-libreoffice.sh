#!/usr/bin/env bash
# The print tests convert every generated .docx and .xlsx with LibreOffice (headless) and read the PDF with
# poppler; "Times New Roman" maps to Liberation Serif (fonts-liberation2 has the Vietnamese letters).
set -euo pipefail
if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui \
    fonts-liberation2 poppler-utils >/dev/null
fi
