# Dangvu — `make run` serves the app with demo data; `make test` runs everything. `make help` lists targets.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DOCS ?= 200000
SCALE ?= small

.PHONY: help run worker static test test-sqlite test-postgres test-browser install assets messages lint bench bench-members bench-meetings bench-dossiers bench-evaluations bench-admission bench-inspection bench-documents bench-stats bench-dues bench-restructure bench-uploads bench-weight bench-load screenshot clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

node_modules/.package-lock.json: package.json package-lock.json
	command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)
	npm ci --no-audit --no-fund --loglevel=error

build/bootstrap.min.css: node_modules/.package-lock.json purgecss.config.cjs scripts/trim-css.sh $(shell find src/dangvu -name '*.html' -o -name '*.js' -path '*static*')
	bash scripts/trim-css.sh

assets: node_modules/.package-lock.json build/bootstrap.min.css ## Bootstrap from the npm registry, its CSS trimmed to what is used (served by the app, no CDN)

messages: $(STAMP) ## compile the translation catalogues
	command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext)
	cd src/dangvu && ../../$(BIN)/dangvu compilemessages -v 0

static: $(STAMP) assets ## collect static files: hashed names, gzip and brotli copies (served with a long cache)
	$(BIN)/dangvu collectstatic --noinput -v 0

install: $(STAMP) assets messages ## create .venv and install everything the app needs

run: install static ## migrate, load demo data into an empty database, print a login, serve on 127.0.0.1:8000 (with the job worker)
	bash scripts/ensure-ocr.sh || echo "OCR (ocrmypdf, tesseract-ocr-vie) not installed: scans stay searchable by their titles only"
	$(BIN)/dangvu migrate --no-input -v 0
	$(BIN)/dangvu seed_demo --if-empty
	$(BIN)/dangvu ensure_admin
	$(BIN)/dangvu worker -v 0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
	$(BIN)/gunicorn dangvu.wsgi --bind 127.0.0.1:8000 --workers 3 --access-logfile -

worker: install ## the background job worker alone (make run starts one)
	$(BIN)/dangvu worker

test: install ## the whole suite: SQLite, PostgreSQL (throwaway cluster) and the browser
	bash scripts/test-all.sh

test-sqlite: install ## unit and integration tests on SQLite only (LibreOffice for the print tests, OCR for scans)
	bash scripts/ensure-libreoffice.sh
	bash scripts/ensure-ocr.sh
	$(BIN)/pytest -q -m "not browser"

test-browser: install ## browser tests (Debian chromium)
	bash scripts/ensure-chromium.sh
	$(BIN)/pytest -q -m browser

test-postgres: install ## the suite on a throwaway PostgreSQL cluster
	bash scripts/with-postgres.sh $(BIN)/pytest -q -m "not browser"

lint: install ## ruff
	$(BIN)/ruff check src tests bench

bench: install ## benchmarks on PostgreSQL (SCALE=small|province|national)
	bash scripts/with-postgres.sh $(BIN)/python bench/run.py --scale $(SCALE)

MEMBERS ?= 1000000
IMPORT_ROWS ?= 100000
bench-members: install ## member benchmarks on PostgreSQL (MEMBERS=1000000 IMPORT_ROWS=100000)
	bash scripts/with-postgres.sh $(BIN)/python bench/members.py --members $(MEMBERS) --import-rows $(IMPORT_ROWS)

bench-meetings: install ## meeting dashboard benchmark on PostgreSQL (250,000 cells, ~3 million meetings)
	bash scripts/with-postgres.sh $(BIN)/python bench/meetings.py

bench-stats: install ## statistics benchmark on PostgreSQL (MEMBERS=1000000; 5500000 for the national export)
	bash scripts/with-postgres.sh $(BIN)/python bench/stats.py --members $(MEMBERS)

bench-dues: install ## dues benchmark on PostgreSQL (MEMBERS=1000000: a month's books of the 200,000-member branch)
	bash scripts/with-postgres.sh $(BIN)/python bench/dues.py --members $(MEMBERS)

bench-dossiers: install ## dossier completeness benchmark on PostgreSQL (250,000 cells, ~5 million dossiers)
	bash scripts/with-postgres.sh $(BIN)/python bench/dossiers.py

bench-admission: install ## admission pipeline benchmark on PostgreSQL (250,000 cells; 20,000 open cases in one province)
	bash scripts/with-postgres.sh $(BIN)/python bench/admission.py

bench-inspection: install ## inspection and discipline overview benchmark on PostgreSQL (250,000 cells; three years of a 10,000-organisation province)
	bash scripts/with-postgres.sh $(BIN)/python bench/inspection.py

bench-documents: install ## registers search benchmark on PostgreSQL (a province of 7,500 cells; DOCS=200000 documents; bar 200 ms)
	bash scripts/with-postgres.sh $(BIN)/python bench/documents.py --docs $(DOCS)

bench-restructure: install ## the 2025 reorganisation as one decision: two provinces (20,000 organisations, 500,000 members, a year of work) merged through plan_merge, timed per phase
	bash scripts/with-postgres.sh bash -c 'cd bench && ../$(BIN)/python restructure.py'

bench-evaluations: install ## evaluation rollup benchmark on PostgreSQL (250,000 cells, ~400,000 members, ~1 million reviews)
	bash scripts/with-postgres.sh $(BIN)/python bench/evaluations.py

USERS ?= 20
SECONDS ?= 60
bench-load: install ## a committee's day: USERS secretaries for SECONDS against gunicorn + PostgreSQL (bar: 0 errors, p95 < 500 ms)
	bash scripts/with-postgres.sh $(BIN)/python bench/load.py --users $(USERS) --seconds $(SECONDS)

MB ?= 400
bench-uploads: install ## hostile uploads: a .docx bomb (MB=400) and a PDF with JavaScript, refused within the bar
	$(BIN)/python bench/uploads.py --mb $(MB)

bench-weight: install ## page weight and time on an emulated 3G link (DEMO=1 for the demo province's pages)
	bash scripts/ensure-chromium.sh
	$(BIN)/python bench/weight.py $(if $(DEMO),--demo,) --time-bar

screenshot: install ## regenerate docs/screenshot-tree.png from the demo data
	$(BIN)/python scripts/screenshot.py

clean: ## remove the venv and local data
	rm -rf $(VENV) var node_modules
