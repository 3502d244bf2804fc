# datenspiegel — the two commands a new user needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DATA   ?= var
LISTEN ?= 127.0.0.1:8443
PERSONS ?= 2000
# test processes (pytest-xdist): the suite waits on servers, sockets and the database, so two
# processes on two cores finish in about half the time; TEST_WORKERS=0 runs in one process
TEST_WORKERS ?= 2

.PHONY: help venv run init test lint bench clean

help:
	@echo "make run    - set up .venv, initialise ./$(DATA) (PKI, register, demo authorities), serve over TLS"
	@echo "make test   - set up .venv and run the full test suite"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - benchmarks (figures printed and written to bench/results/)"

$(BIN)/.installed: setup.cfg pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "datenspiegel needs Python 3.11 (spyne does not import on 3.12)"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,lint]'
	@touch $@

venv: $(BIN)/.installed

$(DATA)/demo.json: | $(BIN)/.installed
	$(BIN)/datenspiegel init --data-dir $(DATA) --persons $(PERSONS)

init: $(DATA)/demo.json

# serve refuses a database behind this checkout's schema: a development directory is upgraded
# here (an operator reviews and runs `datenspiegel db upgrade`, docs/schema-upgrades.md)
run: $(BIN)/.installed $(DATA)/demo.json
	$(BIN)/datenspiegel db upgrade --data-dir $(DATA)
	$(BIN)/datenspiegel serve --data-dir $(DATA) --listen $(LISTEN)

test: $(BIN)/.installed
	$(BIN)/pytest -n $(TEST_WORKERS)

PACKAGES := service xsd wsdl transformers signing register access protocol store fixtures
TYPECHECK := build/typecheck

# mypy cannot follow setup.cfg's package_dir mapping, so it checks a symlinked view of the
# installed layout (build/typecheck/datenspiegel/<pkg> -> <pkg>/) as one package.
lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@rm -rf $(TYPECHECK) && mkdir -p $(TYPECHECK)/datenspiegel
	@for f in $(CURDIR)/datenspiegel/*.py; do ln -s $$f $(TYPECHECK)/datenspiegel/$$(basename $$f); done
	@for p in $(PACKAGES); do ln -s $(CURDIR)/$$p $(TYPECHECK)/datenspiegel/$$p; done
	@ln -s $(CURDIR)/bench $(TYPECHECK)/bench
	cd $(TYPECHECK) && $(CURDIR)/$(BIN)/mypy --config-file $(CURDIR)/pyproject.toml -p datenspiegel -p bench

bench: $(BIN)/.installed
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) $(DATA) *.egg-info
