# vnsearch — `make demo` serves the bundled sample; `make test` runs the test suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INDEX ?= $(CURDIR)/var/demo-index
HOST ?= 127.0.0.1
PORT ?= 8000
SHARED ?= $(CURDIR)/../shared

.PHONY: setup demo test bench eval clean

$(BIN)/vnsearch: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	@# The install log is kept: tests/test_packaging.py fails on any setuptools warning in it.
	$(BIN)/pip install -e '.[test]' > $(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@grep -v '^WARNING: Location' $(VENV)/install.log | grep -i -A3 'warning' || true
	@touch $@

setup: $(BIN)/vnsearch

demo: setup
	$(BIN)/vnsearch index --rebuild --index $(INDEX)
	$(BIN)/vnsearch search "nghị quyết trung ương 4" --index $(INDEX) --limit 3
	$(BIN)/vnsearch serve --index $(INDEX) --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The search benchmark indexes 20k VNTC articles (about 9 minutes); BENCH_ARGS= for all 84k.
BENCH_ARGS ?= --limit 20000
bench: setup
	$(BIN)/python bench/search_speed.py --shared $(SHARED) $(BENCH_ARGS)
	$(BIN)/python bench/index_speed.py --shared $(SHARED)

eval: setup
	$(BIN)/python bench/eval.py --shared $(SHARED)

clean:
	rm -rf $(VENV) var build *.egg-info
