# Nightlight: `make help` lists what you can do.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
RASA_VENV := .venv-rasa
# Python 3.10 (Rasa 3.6 does not run on 3.11). pyenv's shim honours .python-version.
PYTHON310 ?= $(shell command -v python3.10 2>/dev/null || ls /root/.pyenv/versions/3.10*/bin/python3.10 2>/dev/null | head -n 1)
# pip's output goes to a log, shown only if the install fails.
INSTALL_LOG := .nightlight/install.log
PIP := --disable-pip-version-check -q
define quietly
	mkdir -p .nightlight; $(1) >> $(INSTALL_LOG) 2>&1 || { tail -n 60 $(INSTALL_LOG); echo "Install failed; the whole log is in $(INSTALL_LOG)"; exit 1; }
endef

.PHONY: help
help: ## list the commands
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-14s %s\n", $$1, $$2}'

.PHONY: install
install: $(VENV)/.installed $(RASA_VENV)/.installed ## create .venv (our code) and .venv-rasa (rasa==3.6.21)

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON310)" || { echo "Python 3.10 was not found. Install it (e.g. 'pyenv install 3.10') and try again."; exit 1; }
	@echo "Installing Nightlight into $(VENV) (Python 3.10)..."
	@test -x $(VENV)/bin/python || $(PYTHON310) -m venv $(VENV)
	@$(call quietly,$(VENV)/bin/python -m pip install $(PIP) --upgrade "pip>=24")
	@$(call quietly,$(VENV)/bin/python -m pip install $(PIP) -e ".[dev]")
	@touch $@

$(RASA_VENV)/.installed: requirements-rasa.txt
	@test -n "$(PYTHON310)" || { echo "Python 3.10 was not found. Install it (e.g. 'pyenv install 3.10') and try again."; exit 1; }
	@echo "Installing Rasa into $(RASA_VENV) (about a minute)..."
	@test -x $(RASA_VENV)/bin/python || $(PYTHON310) -m venv $(RASA_VENV)
	@# pip 24.1+ refuses some of Rasa 3.6's older dependencies' metadata.
	@$(call quietly,$(RASA_VENV)/bin/python -m pip install $(PIP) "pip<24.1")
	@$(call quietly,$(RASA_VENV)/bin/python -m pip install $(PIP) -r requirements-rasa.txt)
	@touch $@

.PHONY: run
run: install ## install, train if needed and start Rasa, the action server and the gateway
	@$(VENV)/bin/nightlight up

.PHONY: train
train: install ## train the Rasa model if the training data or config.yml changed
	@$(VENV)/bin/nightlight train

# The widget and console tests drive Debian's chromium through Playwright, and the production tests put Debian's
# HAProxy in front of two gateways; a fresh machine has neither. One apt-get run installs whichever is missing.
CHROMIUM := /usr/bin/chromium
HAPROXY := /usr/sbin/haproxy
$(CHROMIUM) $(HAPROXY) &:
	@echo "Installing Debian's chromium and haproxy for the tests..."
	@$(call quietly,apt-get update)
	@$(call quietly,env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core haproxy)

.PHONY: browser
browser: $(CHROMIUM) ## install Debian's chromium for the browser tests (needs root)

.PHONY: haproxy
haproxy: $(HAPROXY) ## install Debian's haproxy for the production tests (needs root)

.PHONY: test
test: install $(CHROMIUM) $(HAPROXY) ## run the whole test suite, the production one included (needs PostgreSQL and Redis running)
	@$(VENV)/bin/python -m pytest

.PHONY: safety-report
safety-report: $(VENV)/.installed ## the safety screen on its development set and, author by author, on the independent risk corpus
	@$(VENV)/bin/python tests/safety/corpus_report.py --misses
	@$(VENV)/bin/python tests/safety/report.py

.PHONY: nlu-report
nlu-report: install ## how well the model understands held-out questions, and search requests, author by author
	@$(VENV)/bin/python tests/rasa/held_out_report.py --errors
	@$(VENV)/bin/python tests/actions/request_report.py --errors

.PHONY: bench
bench: install $(HAPROXY) ## benchmarks: screen speed, directory search, turn 1 vs 50, one gateway vs two behind HAProxy
	@$(VENV)/bin/python tests/bench/screen_speed.py
	@$(VENV)/bin/python tests/bench/directory_search.py
	@$(VENV)/bin/python tests/bench/conversation_latency.py
	@$(VENV)/bin/python tests/bench/production.py

.PHONY: lint
lint: $(VENV)/.installed ## ruff and mypy on our code
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/ruff format --check .
	@$(VENV)/bin/mypy

# `clean` only removes what is made again on its own; her messages, supporter accounts and the keys are data, and
# only `reset-data` deletes them, after asking.
DATA_DIR := $(or $(NIGHTLIGHT_DATA_DIR),.nightlight)

.PHONY: clean
clean: ## remove trained models and caches (keeps the virtualenvs and all data in .nightlight/)
	rm -rf models .rasa results test-artifacts .pytest_cache .mypy_cache .ruff_cache
	find . -name __pycache__ -type d -not -path "./.venv*" -prune -exec rm -rf {} +
	@echo "Kept: $(DATA_DIR)/ (messages, supporter accounts, keys, Rasa's tracker, the directory). 'make reset-data' deletes it."

.PHONY: reset-data
reset-data: ## delete ALL local data in .nightlight/ (messages, supporter accounts, keys), after asking
	@if [ ! -d "$(DATA_DIR)" ]; then echo "Nothing to delete: $(DATA_DIR)/ does not exist."; exit 0; fi; \
	echo "This deletes everything in $(DATA_DIR)/, for good:"; \
	echo "  stored messages and replies, handoffs and their audit trail, supporter accounts and sessions,"; \
	echo "  the secret key (every widget session ends), the local API key, Rasa's tracker, the directory database."; \
	echo "  Databases elsewhere (a NIGHTLIGHT_*_URL on PostgreSQL) are not touched."; \
	if [ "$(CONFIRM)" = "yes" ]; then answer=delete; \
	elif [ -t 0 ]; then read -r -p "Type 'delete' to go on: " answer; \
	else echo "Not deleted: run it in a terminal, or with CONFIRM=yes."; exit 1; fi; \
	if [ "$$answer" = "delete" ]; then rm -rf "$(DATA_DIR)" && echo "Deleted $(DATA_DIR)/."; \
	else echo "Not deleted."; exit 1; fi
