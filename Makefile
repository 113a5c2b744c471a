# The two commands a newcomer needs are in README.md; these targets back them.
PYTHON ?= python3

.PHONY: install browser virtuoso lint test run

install:  ## the package, its pinned English model and the test tools
	$(PYTHON) -m pip install -q -e ".[test]"

browser:  ## Debian's Chromium for the page tests (no browser download from the test tool)
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the page tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "warning: could not install chromium; browser tests will be skipped"; }

virtuoso:  ## Debian's Virtuoso 7 for the second remote store's tests (tests/remote, tests/api)
	@command -v virtuoso-t >/dev/null 2>&1 || { \
	  echo "installing Debian's virtuoso-opensource for the remote-store tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource >/dev/null) \
	  || echo "warning: could not install virtuoso-opensource; Virtuoso tests will be skipped"; }

lint:  ## style, formatting and types: all three must be clean
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy

test: install browser virtuoso lint  ## install, lint, run every test
	$(PYTHON) -m pytest

run:  ## ingest data/ into the default store and serve it on 127.0.0.1:8000
	$(PYTHON) -m pip install -q -e . && edukg serve
