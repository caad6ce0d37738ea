# corridor — every setup step lives here, so a clean clone needs only `make demo` / `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SHARED ?= $(abspath ../shared)
DEMO_DB ?= $(abspath .demo/corridor.db)

.PHONY: demo test lint bench clean postgres browser pdf-libs workbench screenshots compiled

$(VENV)/.installed: pyproject.toml setup.py | pdf-libs
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip 'setuptools>=77'
	$(PY) -m pip install --quiet -e '.[dev,postgres]'
	touch $@

# The matching hot path runs compiled (setup.py: Cython builds it from its plain Python
# source, which stays the one source). This rebuilds what changed since the last build, so
# an edited module never runs as a stale binary; with nothing changed it is a no-op. The
# other modules are byte-compiled, as pip does for an installed package: where Python
# writes no bytecode of its own (PYTHONDONTWRITEBYTECODE), each command would otherwise
# compile them again (a hundredth of a second of every `corridor match`).
compiled: $(VENV)/.installed
	$(PY) setup.py -q build_ext --inplace
	$(PY) -m compileall -q src/corridor

# The mirror's releases whose files carry no date, dated as its README gives them (the 2021
# OFAC set: added to watchman 2021-07-07; the 2024 sdn.csv: fetched 2024-05-03), so that
# as-of screening picks the release in force on a trade's date.
DEMO_DATES := --list-date ofac=2021-07-07 --list-date ofac_sdn_2024=2024-05-03

demo: $(VENV)/.installed compiled
	@mkdir -p .demo
	CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor lists update --from $(SHARED)/data/lists $(DEMO_DATES)
	CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor lists status
	@echo "== The SDN list from its 2021 release to its 2024 release (headline and a few rows):"
	CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor lists diff us_ofac_sdn --limit 5 | head -12
	CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor lists history us_ofac_sdn
	CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor lists sample --limit 1
	@echo "== The Kazakh AFM list: no real file is available offline. TEST ENTRIES (NOT official data),"
	@echo "== written to the AFM's XML shape (tests/fixtures/kz), are loaded as kz_afmrk_sanctions."
	CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor lists update --from tests/fixtures/kz
	@echo "== Screening the eight example trades (examples/) against the newest releases. Da Group 22 is"
	@echo "== now found on the real 2024 SDN file. Two 2024 designations are in no file here:"
	@echo "== KBR-Tekhnologii and the vessel PORT OLYA-4 (OFAC, June 2024) and Da Group 22's EU listing"
	@echo "== (no EU file): TEST ENTRIES (NOT official data) stand in for them, loaded as the datasets"
	@echo "== fixture_us_sanctions / fixture_eu_sanctions (tests/fixtures/screening); their findings say TEST ENTRY."
	CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor lists load-ftm fixture_us_sanctions tests/fixtures/screening/kz_designations_us.ftm.json
	CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor lists load-ftm fixture_eu_sanctions tests/fixtures/screening/kz_designations_eu.ftm.json
	CORRIDOR_DB=$(DEMO_DB) CORRIDOR_SHARED=$(SHARED) $(VENV)/bin/corridor screen examples/*.yaml --policy tests/fixtures/screening/fixture_lists.policy.yaml --html .demo/reports
	@echo "Printable HTML reports: .demo/reports/"

test: $(VENV)/.installed compiled postgres browser
	CORRIDOR_SHARED=$(SHARED) $(PY) -m pytest

# The store, case and audit tests also run on a throw-away PostgreSQL cluster that the test
# fixture starts (tests/conftest.py); this installs Debian's server package when initdb is
# neither on the PATH nor under /usr/lib/postgresql. CORRIDOR_TEST_POSTGRES=skip leaves those
# tests out (they are never skipped silently: without the binaries they fail).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
postgres:
	@if [ "$$CORRIDOR_TEST_POSTGRES" = skip ]; then \
		echo "PostgreSQL tests left out (CORRIDOR_TEST_POSTGRES=skip)"; \
	elif command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		true; \
	else \
		echo "installing Debian's postgresql package for the tests"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			postgresql >/dev/null; \
	fi

# The workbench's browser tests (tests/web/test_browser.py) drive Debian's headless Chromium
# through its chromedriver, both from apt: nothing downloads a browser build of its own.
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then \
		true; \
	else \
		echo "installing Debian's chromium and chromium-driver packages for the browser tests"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			chromium chromium-driver fonts-dejavu-core >/dev/null; \
	fi

# WeasyPrint (the workbench's PDF reports) needs Pango; installed from Debian when missing.
pdf-libs:
	@if ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then \
		true; \
	else \
		echo "installing Debian's Pango libraries for WeasyPrint"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
			libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null; \
	fi

# The analyst workbench on http://127.0.0.1:8000/ over the demo lists, with the demo users
# demo-analyst, demo-approver and demo-admin (password $(DEMO_PASSWORD), for a laptop only).
# Runs in the foreground until Ctrl-C; `make demo` starts no server.
DEMO_PASSWORD ?= corridor-demo
WORKBENCH_PORT ?= 8000
workbench: $(VENV)/.installed compiled
	@mkdir -p .demo
	CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor lists update --from $(SHARED)/data/lists $(DEMO_DATES)
	CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor lists update --from tests/fixtures/kz
	printf '%s\n' '$(DEMO_PASSWORD)' | CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor users seed-demo --password-stdin
	@echo "== Workbench: http://127.0.0.1:$(WORKBENCH_PORT)/ui/ (log in as demo-analyst or demo-approver, password $(DEMO_PASSWORD))"
	CORRIDOR_DB=$(DEMO_DB) CORRIDOR_SHARED=$(SHARED) $(VENV)/bin/corridor serve --port $(WORKBENCH_PORT)

# The PNGs under docs/screenshots/, taken by the browser tests at laptop width (1366 px).
screenshots: $(VENV)/.installed compiled browser
	CORRIDOR_SCREENSHOTS=1 CORRIDOR_SHARED=$(SHARED) $(PY) -m pytest tests/web/test_browser.py

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests benchmarks setup.py
	$(VENV)/bin/ruff format --check src tests benchmarks setup.py
	$(VENV)/bin/lint-imports --no-cache

# every benchmark; each writes its own section of docs/benchmarks.md (http_load installs
# Debian's wrk, the load generator, when it is missing; the matching one also
# creates benchmarks/.peer-venv for the nomenklatura peers; add PEERS_BATCH=--peers-batch
# to score them on the batch slice too, ~20 min more)
bench: $(VENV)/.installed compiled
	$(PY) -c "import faker" 2>/dev/null || $(PY) -m pip install --quiet -e '.[dev,bench]'
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/import_lists.py
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/eval_matching.py --shared $(SHARED) $(PEERS_BATCH)
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/robustness_matching.py --doc
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/scale_matching.py
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/profile_matching.py --db benchmarks/out/eval.db
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/index_share.py --db benchmarks/out/eval.db
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/screen_trade.py
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/all_lists.py
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/http_load.py
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/batch_throughput.py

clean:
	rm -rf $(VENV) .demo .pytest_cache build
	find src -name '*.so' -delete
