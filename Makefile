# Two commands do all set-up on a fresh Debian machine:
#   make render   install what is needed, then render the Alibaba brief
#   make test     install what is needed, then lint, type-check and run every test
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
COMPANY ?= alibaba

.PHONY: setup render test lint docs readme-picture clean golden bench

setup: $(STAMP)

$(STAMP): pyproject.toml scripts/setup-system.sh
	bash scripts/setup-system.sh
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

render: setup
	$(BIN)/thesis render $(COMPANY)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q

# Regenerate docs/inputs.md and docs/thesis.schema.json from the models (tests/test_docs.py fails when they are stale).
docs: setup
	$(BIN)/python -m thesis.inputs.reference

# Regenerate tests/golden/ (the small company's HTML and snapshot, the Alibaba diff) after a deliberate output change.
golden: setup
	$(BIN)/python -m tests.regenerate

# Time renders, checks and a 100-company universe on this machine; writes docs/performance.md (see bench/README.md).
bench: setup
	bash scripts/setup-system.sh pandoc
	$(BIN)/python bench/run.py

readme-picture: setup
	$(BIN)/python scripts/readme_picture.py

clean:
	rm -rf build $(VENV)
