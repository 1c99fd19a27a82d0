# Quick start: `make booklet` then `make test`. Both set everything up and are fast when
# nothing changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSDEPS := $(VENV)/.sysdeps
BROWSER := $(VENV)/.browser

.PHONY: booklet test check expected bench clean

# Bytecode first: an editable install has none, and where PYTHONDONTWRITEBYTECODE is set Python
# never writes it, so every build would compile booklet's modules again (quick when up to date).
booklet: $(STAMP)
	@$(BIN)/python -m compileall -q booklet
	$(BIN)/booklet build

test: $(STAMP) $(BROWSER)
	$(BIN)/python -m pytest -q

check: $(STAMP)
	$(BIN)/booklet check

# Regenerate the committed expected HTML files the layout tests compare against.
expected: $(STAMP)
	$(BIN)/python -m tests.regenerate

$(SYSDEPS): tools/sysdeps.sh
	sh tools/sysdeps.sh
	@mkdir -p $(VENV) && touch $@

# Chromium for the HTML edition's browser test; skipped (not failed) where it cannot be installed.
$(BROWSER): tools/sysdeps.sh
	sh tools/sysdeps.sh browser || echo "Chromium not installed: the browser test will be skipped."
	@mkdir -p $(VENV) && touch $@

$(STAMP): pyproject.toml $(SYSDEPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf dist .booklet-cache
