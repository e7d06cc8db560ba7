# One-command set-up: `make book` builds the site, `make test` runs every test.
# Both create .venv and install what they need on a fresh machine.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
JB := $(VENV)/bin/jupyter-book
PORT ?= 8000
SITE := _build/html
BUNDLE := _static/vega-bundle.js
NOTEBOOKS := $(sort $(wildcard chapters/*.ipynb))

.PHONY: help book test refresh serve bench stats chromium clean venv learner handouts

help:
	@echo "make book     build the site into $(SITE) (creates .venv on first use)"
	@echo "make test     run every test: data, notebooks (nbval), site in a real browser, Binder env"
	@echo "make serve    view the built site at http://127.0.0.1:$(PORT)/"
	@echo "make refresh  sync chapters with text/*.md and re-execute them (deterministic)"
	@echo "make learner  write exercise notebooks without solutions to _build/learner (with them: _build/instructor)"
	@echo "make stats    re-record row counts and checksums of data/ in datapackage.json"
	@echo "make bench    write bench/report.md (build, nbval and page speed figures)"
	@echo "make handouts print one PDF per teaching session to _build/handouts (after make book)"

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.requirements: requirements.txt pyproject.toml | $(PY)
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.requirements-test: requirements-test.txt $(VENV)/.requirements
	$(PIP) install --quiet -r requirements-test.txt
	@touch $@

venv: $(VENV)/.requirements

$(BUNDLE): $(VENV)/.requirements ros1alk/vega_bundle.py
	$(PY) -m ros1alk.vega_bundle $(BUNDLE)

book: $(VENV)/.requirements $(BUNDLE)
	@$(JB) build . -W -n --keep-going || { \
	  echo "Build failed. Execution reports, if any:"; \
	  cat $(SITE)/reports/*.log 2>/dev/null || true; exit 1; }
	@echo ""
	@echo "Site built: $(SITE)/index.html"
	@echo "View it with: make serve   (then open http://127.0.0.1:$(PORT)/)"

serve:
	@test -f $(SITE)/index.html || { echo "No site yet: run 'make book' first."; exit 1; }
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory $(SITE)

# Debian's chromium drives the browser tests; playwright never downloads a browser here.
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
	  echo "The site tests need Debian's chromium. Install it with: sudo apt-get install chromium"; exit 1; \
	fi

# Two workers (the machines have two cores); --dist loadfile keeps each notebook's cells in one kernel.
test: $(VENV)/.requirements-test chromium book handouts
	$(VENV)/bin/pytest -n 2 --dist loadfile

# Sync each chapter with its text pair (text/NAME.md), re-execute it without timings, write both back.
# Deterministic: a second run on an unchanged tree changes no byte (scripts/refresh.py).
refresh: $(VENV)/.requirements-test
	$(PY) scripts/refresh.py

# One black-and-white PDF per teaching session (case sheet, key charts and tables, the trial checklist),
# printed from the built site by Debian's chromium; tests/test_handouts.py checks them.
handouts: $(VENV)/.requirements-test chromium book
	$(PY) scripts/handouts.py

# Learner notebooks drop every solution; instructor notebooks keep them folded. Both are generated, never committed.
learner: $(VENV)/.requirements
	$(PY) -m ros1alk.notebooks learner _build $(NOTEBOOKS)

stats: $(VENV)/.requirements
	$(PY) -m ros1alk.datapackage --record-stats

# Lighthouse for `make bench`, exact pin, from npm into bench/ (git-ignored); it drives Debian's chromium.
LIGHTHOUSE := bench/lighthouse/node_modules/.bin/lighthouse
$(LIGHTHOUSE):
	@command -v npm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "make bench needs Node.js 18+ and npm: sudo apt-get install nodejs npm"; exit 1; fi; }
	mkdir -p bench/lighthouse
	npm install --prefix bench/lighthouse --no-audit --no-fund --save-exact lighthouse@12.2.3 >/dev/null

bench: $(VENV)/.requirements-test chromium book $(LIGHTHOUSE)
	$(PY) scripts/bench.py

clean:
	rm -rf _build $(BUNDLE)
