# corridor — every setup step lives here, so a clean clone needs only `make demo` / `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
SHARED ?= $(abspath ../shared)
DEMO_DB ?= $(abspath .demo/corridor.db)

.PHONY: demo test lint bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(VENV)/.installed
	@mkdir -p .demo
	CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor lists update --from $(SHARED)/data/lists
	CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor lists status
	CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor lists sample --limit 1
	@echo "== Screening the eight example trades (examples/). Scenarios 4 and 6 name 2024 designations that"
	@echo "== the official list files predate, so TEST ENTRIES (NOT official data), modelled on the public 2024"
	@echo "== designations of Da Group 22, KBR-Tekhnologii and the vessel PORT OLYA-4, are loaded as the datasets"
	@echo "== fixture_us_sanctions / fixture_eu_sanctions (tests/fixtures/screening); their findings say TEST ENTRY."
	CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor lists load-ftm fixture_us_sanctions tests/fixtures/screening/kz_designations_us.ftm.json
	CORRIDOR_DB=$(DEMO_DB) $(VENV)/bin/corridor lists load-ftm fixture_eu_sanctions tests/fixtures/screening/kz_designations_eu.ftm.json
	CORRIDOR_DB=$(DEMO_DB) CORRIDOR_SHARED=$(SHARED) $(VENV)/bin/corridor screen examples/*.yaml --policy tests/fixtures/screening/fixture_lists.policy.yaml --html .demo/reports
	@echo "Printable HTML reports: .demo/reports/"

test: $(VENV)/.installed
	CORRIDOR_SHARED=$(SHARED) $(PY) -m pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/lint-imports --no-cache

# every benchmark; each writes its own section of docs/benchmarks.md (the matching one also
# creates benchmarks/.peer-venv for the nomenklatura peers; add PEERS_BATCH=--peers-batch
# to score them on the batch slice too, ~20 min more)
bench: $(VENV)/.installed
	$(PY) -c "import faker" 2>/dev/null || $(PY) -m pip install --quiet -e '.[dev,bench]'
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/import_lists.py
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/eval_matching.py --shared $(SHARED) $(PEERS_BATCH)
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/robustness_matching.py --doc
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/scale_matching.py
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/profile_matching.py --db benchmarks/out/eval.db
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/index_share.py --db benchmarks/out/eval.db
	CORRIDOR_SHARED=$(SHARED) $(PY) benchmarks/screen_trade.py

clean:
	rm -rf $(VENV) .demo .pytest_cache
