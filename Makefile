# plut — two commands for a newcomer:
#   make run    set up and start the app on the embedded database (SQLite) at http://127.0.0.1:8000
#   make test   set up and run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test lint install install-dev browser pdf-libs vendor messages clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

install: $(VENV)/.installed

run: install pdf-libs
	$(BIN)/plut demo
	$(BIN)/plut serve

# Debian's chromium drives the browser tests (Playwright with executablePath; no browser download);
# Pango and HarfBuzz are what WeasyPrint needs to write PDFs; DejaVu is the PDFs' font.
PDF_PACKAGES = libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core
APT_PACKAGES = chromium $(PDF_PACKAGES)
pdf-libs:
	@{ ldconfig -p | grep -q libpangoft2 && ldconfig -p | grep -q libharfbuzz-subset; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES); \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES); fi; }

browser:
	@{ command -v chromium >/dev/null 2>&1 && ldconfig -p | grep -q libpangoft2 && ldconfig -p | grep -q libharfbuzz-subset; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES); fi; }

test: install browser
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run

# Maintainers only (needs Node.js): refresh the vendored front-end assets from the npm registry.
vendor:
	cd assets && npm ci && ./vendor.sh

# Maintainers only: refresh the translation catalogues (needs GNU gettext).
messages:
	cd plut && ../$(BIN)/django-admin makemessages -l id -l en --ignore 'static/*' && ../$(BIN)/django-admin compilemessages

clean:
	rm -rf $(VENV) var

# Import benchmarks (benchmarks/README.md): make bench BENCH_ARGS="--quick" for a few-minute check.
bench: install
	$(BIN)/python -m benchmarks.imports $(BENCH_ARGS)
