# broadsheet: `make` builds every issue in issues/ into build/; `make test` runs the suite.
# Thin targets over the CLI and pytest; the virtual environment is made on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BROADSHEET := $(BIN)/broadsheet

# Every issue in issues/, and in one folder below it: a publication of its own
# with its own newsletter.yaml (the Persian and French samples).
ISSUES := $(filter-out %/newsletter.yaml,$(wildcard issues/*.yaml issues/*/*.yaml))
PDFS := $(patsubst issues/%.yaml,build/%.pdf,$(ISSUES))
PACKAGE_FILES := pyproject.toml $(shell find src layout styles -type f -not -path '*/__pycache__/*' 2>/dev/null)

.DELETE_ON_ERROR:
.PHONY: all print archive site mail test fuzz lint format clean distclean readme-image docs-images references index man bench bench-planner bench-relay corpus

all: $(PDFS)

# The same issues for the print shop (full pictures, bleed, crop marks) and for
# keeping (PDF/A-3b with the YAML attached); see docs/profiles.md.
print: $(patsubst build/%.pdf,build/%-print.pdf,$(PDFS))
archive: $(patsubst build/%.pdf,build/%-archive.pdf,$(PDFS))

# The web edition of every issue: build/site/<slug>/index.html with its stylesheet,
# fonts, pictures and the PDF it links (built first), a folder to put on a web
# server as it is (docs/editions.md); the plain-text edition, build/<slug>.txt;
# then the archive's index of them all, build/site/index.html, and its Atom feed.
# Rewritten each time: a warm page takes a tenth of a second, and a picture or
# font it reads is then never missed.
site: $(PDFS) $(STAMP)
	$(BROADSHEET) build $(ISSUES) --edition web --edition text --quiet
	$(BROADSHEET) archive --quiet

# Every issue built, and an index of them: build/newsletter.pdf and build/index.html
# (number, date, page 1, contents, each linking to its PDF), and build/site/ (the
# same for any screen, and feed.xml, an Atom feed of the issues). The manual page,
# broadsheet(1), generated from the command line's definitions.
index: $(STAMP)
	$(BROADSHEET) archive --quiet

man: $(STAMP)
	$(BROADSHEET) man -o build/broadsheet.1

# Sends build/$(ISSUE).pdf (ISSUE is the slug: 2026-10, or fr/2026-12 for the
# publication in issues/fr/) to the subscribers in $(TO), built first when stale;
# with DRY=DIR, writes each message to DIR as an .eml instead (docs/mail.md).
mail: $(if $(ISSUE),build/$(ISSUE).pdf)
	@test -n "$(ISSUE)" -a -n "$(TO)" || { echo "usage: make mail ISSUE=2026-10 TO=subscribers.csv [DRY=build/outbox]" >&2; exit 2; }
	$(BROADSHEET) mail issues/$(ISSUE).yaml --to $(TO) $(if $(DRY),--dry-run $(DRY))

# Two steps, so that editing a source file never needs the network. The
# dependencies (and the build backend) are installed once per change of
# pyproject.toml, each built in its own isolated environment as pip does by
# default (dkimpy ships only a source archive). The package itself is then
# installed as a wheel (not editable), so the suite tests exactly what users
# get, bundled theme included; it is rebuilt offline, with the backend already
# in the environment, whenever a source changes.
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet
DEPS_STAMP := $(VENV)/.dependencies

$(DEPS_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip 'hatchling>=1.21'
	$(PIP) install '.[test]'
	touch $@

$(STAMP): $(DEPS_STAMP) $(PACKAGE_FILES)
	$(PIP) install --no-build-isolation --no-deps --force-reinstall .
	touch $@

# Each PDF depends on what its last build read (YAML, newsletter.yaml, images,
# templates, stylesheets, fonts), recorded by --depfile in build/<slug>.d.
# Strict except for fit: a warning (an ignored stylesheet rule, a refused file,
# a photo without alt text, a check of the finished PDF) stops the build at its
# file and line; the copy-fit report (a stranded headline, a hole at a page
# foot, a page count off its target) is printed with the page count, and the
# PDF is still written.
build/%.pdf: issues/%.yaml $(STAMP)
	@mkdir -p $(@D)
	$(BROADSHEET) build $< -o $@ --depfile build/$*.d --strict-except-fit

build/%-print.pdf: issues/%.yaml $(STAMP)
	@mkdir -p $(@D)
	$(BROADSHEET) build $< -o $@ --depfile build/$*-print.d --quiet --profile print

build/%-archive.pdf: issues/%.yaml $(STAMP)
	@mkdir -p $(@D)
	$(BROADSHEET) build $< -o $@ --depfile build/$*-archive.d --quiet --profile archive

-include $(wildcard build/*.d build/*/*.d)

# The suite runs on every core, each test file on one worker (its module's builds are made
# once); the slowest tests are listed at the end, so that a run that grows shows where.
test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/python -m pytest -n auto --dist loadfile --durations=20

# The benchmark (benchmarks/): broadsheet against raw WeasyPrint, Typst and Chromium
# on synthetic 4-, 40- and 160-page issues; rewrites docs/performance.md. About 13
# minutes on 2 cores (BENCH_QUICK=1: a short smoke run). Not part of `make test`.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(PIP) install '.[bench]'
	touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks

# The page planner's cost: builds against WeasyPrint alone on the final HTML,
# synthetic issues and corpus issues that needed a plan (benchmarks/planner.py).
bench-planner: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.planner $(BENCH_ARGS)

# `broadsheet mail --relay` through a private Postfix on loopback (benchmarks/relay_rate.py;
# needs root and Debian's postfix): 10,000 copies of a one-page issue, the rate they are handed
# to the relay and the time until all are in its Maildir; writes build/bench/relay.json.
bench-relay: $(STAMP)
	$(BIN)/python -m benchmarks.relay_rate $(BENCH_ARGS)

# The page planner's corpus (tests/corpus/): 64 generated issues, every kind in every
# theme and size, English, French and Persian, built through the real pipeline into
# build/corpus/ with report.json and a contact sheet of the first 20; prints each
# issue's page fill and copy-fit findings against the targets. Several minutes on
# 2 cores; exits 0 whatever the targets say. CORPUS_ARGS='--cases 6 --only fa' and the like.
corpus: $(STAMP)
	$(BIN)/python -m tests.corpus.run --sheet build/corpus/sheet.png $(CORPUS_ARGS)

# A longer property-based run of the loader, the Markdown stage and every
# command's arguments, environment and input files (twenty times the examples,
# a fresh seed each time); not part of `make test` or CI.
fuzz: $(STAMP)
	BROADSHEET_FUZZ=1 $(BIN)/python -m pytest tests/property/test_loader_and_markdown.py tests/property/test_commands.py -q

# Rewrites tests/visual/references/ from what the package renders now; the visual
# tests only ever compare against them. Run it after a deliberate change to the
# layout, a theme or a sample issue, look at the pictures, and commit them.
references: $(STAMP)
	BROADSHEET_UPDATE_REFERENCES=1 $(BIN)/python -m pytest tests/visual -q

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

format: $(STAMP)
	$(BIN)/ruff format src tests
	$(BIN)/ruff check --fix src tests

# The pictures in README.md and docs/themes.md, made from the October sample in
# each theme (the modern one in a scratch copy of issues/ that picks the theme).
PAGE_PNG = import pypdfium2 as p, sys; d = p.PdfDocument(sys.argv[1]); \
  [d[i].render(scale=float(sys.argv[3]) / 72).to_pil().quantize(colors=192).save(f"{sys.argv[2]}-{i + 1}.png", optimize=True) for i in range(min(len(d), 2))]
docs-images: readme-image
readme-image: build/2026-10.pdf
	rm -rf build/modern && mkdir -p build/modern && cp -r issues build/modern/
	sed -i '1i theme: modern' build/modern/issues/newsletter.yaml
	cd build/modern && ../../$(BROADSHEET) build issues/2026-10.yaml --quiet
	$(BIN)/python -c '$(PAGE_PNG)' build/2026-10.pdf docs/classic 40
	$(BIN)/python -c '$(PAGE_PNG)' build/modern/build/2026-10.pdf docs/modern 40
	$(BIN)/python -c "import pypdfium2 as p; p.PdfDocument('build/2026-10.pdf')[0].render(scale=80/72).to_pil().quantize(colors=192).save('docs/page-1.png', optimize=True)"

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV)
