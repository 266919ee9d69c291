# Two commands on a fresh Debian machine:
#   make demo   install everything, then build samples/guide.pdf from the bundled samples
#   make test   install everything, then run the whole test suite
VENV ?= .venv
PY := $(VENV)/bin/python
GUIDEBOOK := $(VENV)/bin/guidebook

.PHONY: demo test test-fast setup system-deps lint bench bench-build clean pictures messages samples docs

demo: setup
	$(GUIDEBOOK) build samples/traveler.yaml --clinics samples/clinics.yaml \
		--brand samples/brand.yaml -o samples/guide.pdf --ics samples/guide.ics

test: setup
	$(PY) -m pytest

# The quick loop: planning, loading, formatting and options, no PDF rendered (seconds).
test-fast: setup
	$(PY) -m pytest -m "not slow"

# Lint, format and types; CI runs it before the tests.
lint: setup
	$(VENV)/bin/ruff check src tests benchmarks scripts
	$(VENV)/bin/ruff format --check src tests benchmarks scripts
	$(VENV)/bin/mypy

setup: $(VENV)/.installed

system-deps:
	sh scripts/install-system-deps.sh

$(VENV)/.installed: pyproject.toml scripts/install-system-deps.sh
	sh scripts/install-system-deps.sh
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,docs]'
	touch $@

clean:
	rm -rf $(VENV) build dist samples/guide.pdf samples/guide.ics

# The pictures in the README: a branded sample's pages (cover, contents, itinerary, the first
# taxi-card page and the back cover, counted from the end) and a sheet of the pocket booklet.
pictures: demo
	$(GUIDEBOOK) build samples/traveler.yaml --clinics samples/clinics.yaml \
		--brand samples/brand.yaml --format pocket --booklet -o samples/pocket-booklet.pdf
	pdftocairo -png -singlefile -r 45 -f 1 -l 1 samples/guide.pdf docs/sample-cover
	pdftocairo -png -singlefile -r 45 -f 3 -l 3 samples/guide.pdf docs/sample-itinerary
	pdftocairo -png -singlefile -r 45 -f 2 -l 2 samples/guide.pdf docs/sample-glance
	n=$$(pdfinfo samples/guide.pdf | awk '/^Pages:/ {print $$2}'); \
		pdftocairo -png -singlefile -r 45 -f $$((n - 2)) -l $$((n - 2)) samples/guide.pdf docs/sample-taxi && \
		pdftocairo -png -singlefile -r 45 -f $$n -l $$n samples/guide.pdf docs/sample-back
	pdftocairo -png -singlefile -r 30 -f 1 -l 1 samples/pocket-booklet.pdf docs/pocket-booklet

bench: setup
	$(PY) benchmarks/bench_batch.py --rows 100 --memory-rows 1000

# One cold `guidebook build` against the bare `weasyprint` command on the same HTML and CSS.
bench-build: setup
	$(PY) benchmarks/bench_build.py

# The reference documentation as a site (docs/*.md): http://127.0.0.1:8000
docs: setup
	$(VENV)/bin/mkdocs serve

# Translations: extract every message into the template, then update each language's .po file.
LANGS := ja zh_Hans zh_Hant ko
messages: setup
	$(PY) scripts/holiday_names.py
	PYTHONPATH=src $(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k _ --no-location --sort-output \
		-o src/guidebook/locale/guidebook.pot .
	for l in $(LANGS); do \
		if [ -f src/guidebook/locale/$$l/LC_MESSAGES/guidebook.po ]; then \
			$(VENV)/bin/pybabel update -i src/guidebook/locale/guidebook.pot -d src/guidebook/locale \
				-D guidebook -l $$l --no-fuzzy-matching --ignore-obsolete; \
		else \
			$(VENV)/bin/pybabel init -i src/guidebook/locale/guidebook.pot -d src/guidebook/locale \
				-D guidebook -l $$l; \
		fi; \
	done

# The sample guide in every language (Japanese, Simplified and Traditional Chinese, Korean).
samples: setup
	for l in ja zh-Hans zh-Hant ko; do \
		$(GUIDEBOOK) build samples/traveler-$$l.yaml --clinics samples/clinics.yaml \
			--brand samples/brand.yaml -o samples/guide-$$l.pdf || exit 1; \
	done
