# Two commands do all set-up on a fresh machine (Python 3.11):
#   make demo   creates .venv, installs, scans the bundled demo portfolio, writes reports/ and sbom/
#   make test   creates .venv, installs, installs PostgreSQL and Chromium if missing, runs every check
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: venv demo test lint typecheck unit system-deps docs sbom bench clean licenses

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade "pip>=24"
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev,dask]'
	@touch $(STAMP)

venv: $(STAMP)

# PostgreSQL (store tests) and Chromium (report tests) come from Debian's packages; a Korean
# font so that the report's screenshots (tests/_artifacts/) show Hangul.
system-deps:
	@need=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || need="$$need postgresql"; \
	test -x /usr/bin/chromium || need="$$need chromium"; \
	fc-list :lang=ko 2>/dev/null | grep -q . || need="$$need fonts-noto-cjk"; \
	if [ -n "$$need" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$need"; apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$need >/dev/null; \
	  else echo "missing system packages:$$need (sudo apt-get install$$need); their tests will be skipped"; fi; \
	fi

lint: venv
	$(BIN)/ruff check oscheck tests benchmarks
	$(BIN)/lint-imports --no-cache

typecheck: venv
	$(BIN)/mypy

unit: venv system-deps
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup -q

test: lint typecheck unit

docs: venv
	$(BIN)/oscheck rules --format markdown > docs/rules.md

# policies/licenses.yaml from scancode's license data, the SPDX list and the curated overrides.
licenses: venv
	$(BIN)/python tools/gen_licenses.py

# oscheck's own SBOMs, produced by oscheck (dogfooding): files with their detected licenses,
# dependencies at the versions installed in .venv with the licenses of their metadata (offline),
# dated by the last commit so that the same checkout gives the same bytes (docs/sbom.md).
SBOM_FLAGS = --python-env $(VENV) --offline -q
sbom: venv
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct) $(BIN)/python -m oscheck sbom . $(SBOM_FLAGS) --format spdx-json -o sbom/oscheck.spdx.json
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct) $(BIN)/python -m oscheck sbom . $(SBOM_FLAGS) --format cyclonedx-json -o sbom/oscheck.cdx.json

# The demo portfolio: repositories built from fixture trees, scanned by `oscheck batch` into a
# SQLite store, then the report site of the store, all under reports/demo/ (committed).
# One worker, so that scan ids follow the portfolio's order and the site is the same on every
# machine; the as-of day is the portfolio's (tests/test_report_demo.py keeps it current).
DEMO_AS_OF = 2026-06-15
demo: venv
	$(BIN)/python examples/portfolio/build_demo.py --jobs 1
	OSCHECK_TODAY=$(DEMO_AS_OF) $(BIN)/python -m oscheck report --db examples/portfolio/_build/demo.sqlite3 --out reports/demo --as-of $(DEMO_AS_OF)

bench: venv
	@echo "see benchmarks/README.md"

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build *.egg-info
