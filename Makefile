# Two commands on a fresh machine: `make demo` and `make test`.
# Everything is installed into .venv from PyPI (and Debian packages where bindep.txt says).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
COLLECTIONS := .build/collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/audiocodes/mediant
export ANSIBLE_COLLECTIONS_PATH := $(CURDIR)/$(COLLECTIONS)
export ANSIBLE_NOCOLOR := 1
# Keep pytest's workers and ansible-playbook runs off the user's ~/.ansible temp dirs clashes.
export ANSIBLE_LOCAL_TEMP := $(CURDIR)/.build/ansible-tmp

.PHONY: all venv collection demo test units simulator-tests client-tests integration molecule sanity lint typecheck changelog-lint build clean

all: test

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

# The collection as ansible-playbook finds it: a link to this checkout.
$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR) $@

collection: venv $(COLLECTION_LINK)

# One device (scripts/demo.py), then the fleet layer on the example fleet (scripts/demo_fleet.py).
demo: collection
	$(BIN)/python scripts/demo.py
	$(BIN)/python scripts/demo_fleet.py

units: venv
	$(BIN)/pytest -q -n 2 tests/unit

simulator-tests: venv
	$(BIN)/pytest -q -n 2 tests/simulator

# The REST client and the pure libraries over real HTTP: a scripted server and the simulator.
client-tests: collection
	$(BIN)/pytest -q -n 2 tests/client

integration: collection
	$(BIN)/pytest -q -n 2 tests/integration

# Every molecule scenario (extensions/molecule/<scenario>/), run from the collection as Ansible finds it.
molecule: collection
	@if ls extensions/molecule/*/molecule.yml >/dev/null 2>&1; then \
		cd $(COLLECTION_LINK) && NO_COLOR=1 PY_COLORS=0 PATH="$(CURDIR)/$(BIN):$$PATH" molecule test --all; \
	else echo "molecule: no scenarios"; fi

sanity: venv
	PATH="$(CURDIR)/$(BIN):$$PATH" scripts/sanity.sh

lint: collection
	$(BIN)/ansible-lint --profile production --offline

# Type hints of module_utils checked by mypy. Every function of the files listed is annotated
# (--disallow-untyped-defs) and they must stay clean; the others are added as their hints are
# completed (issue 9).
TYPED_MODULE_UTILS = device device_ini device_cli errors tls_context common ini cli_config ha status ini_protection cli_protection upgrade config_backup input_safety ini_schema cli_schema certificate_renewal_report rest certificates certificate_issuing certificate_checks certificate_renewal certificate_plan local_files
typecheck: collection
	@unchecked="$(filter-out $(TYPED_MODULE_UTILS),$(basename $(notdir $(wildcard plugins/module_utils/*.py))))"; \
		[ -z "$$unchecked" ] || echo "make typecheck: not checked yet (add to TYPED_MODULE_UTILS with their hints): $$unchecked"
	cd .build/collections && $(CURDIR)/$(BIN)/mypy --follow-imports=silent --ignore-missing-imports \
		--disallow-untyped-defs --disallow-incomplete-defs --warn-unused-ignores \
		--explicit-package-bases $(foreach f,$(TYPED_MODULE_UTILS),ansible_collections/audiocodes/mediant/plugins/module_utils/$(f).py)

changelog-lint: venv
	$(BIN)/antsibull-changelog lint

# The tarball users install; the build is checked by installing it and reading a module's docs.
build: venv
	rm -rf .build/dist && mkdir -p .build/dist
	$(BIN)/ansible-galaxy collection build --force --output-path .build/dist .
	$(BIN)/ansible-galaxy collection install --force -p .build/dist/installed .build/dist/audiocodes-mediant-*.tar.gz
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/.build/dist/installed $(BIN)/ansible-doc audiocodes.mediant.mediant_facts > /dev/null

test: units simulator-tests client-tests integration molecule sanity lint typecheck changelog-lint build

clean:
	rm -rf .build
