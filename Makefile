# The two commands a fresh machine needs (Debian, Python 3.11, pip):
#   make lab    set up .venv and open the course in JupyterLab
#   make test   set up .venv and run every test
#   make lint   ruff (lint and format) and mypy, as CI runs them
#   make test-compat   the tests, doctests, homework checks and notebooks at the lowest versions pyproject.toml allows
#   make test-browser  every chapter in JupyterLab in headless Chromium, every widget moved (needs /usr/bin/chromium)
#   make slides        offline reveal.js decks of every chapter in build/slides/ (the public decks: no solutions)
#   make plan          the lecture plan of every deck (tools/lecture_plan.py: estimated minutes, limit 50)
#   make slides-lecturer  the same with the solutions, in build/slides-lecturer/ (never for students)
#   make test-slides   the slide lint: every slide of every deck at 1280x800 in headless Chromium
#   make site   the course as a static website in build/site/ (Jupyter Book 1, stored outputs, offline; no solutions)
#   make site-lecturer  the same with the solutions, in build/site-lecturer/ (never for students)
#   make release   the student release in build/release/ (BRANCH=name also commits it to that branch)
#   make test-site  build it, then load every page in headless Chromium: links, images, maths, axe-core audit
# Everything is installed into .venv from pyproject.toml, pinned by constraints.txt.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# Optional dependency groups of pyproject.toml installed into .venv (tests/test_environment.py checks
# that this names every group, so a new one cannot be forgotten here).
EXTRAS := lab,test,lint
# `browser` (Playwright: 165 MB installed with its node driver, and no browser: the browser test drives
# Debian's chromium) and `site` (Jupyter Book 1 and Sphinx) are installed only by `make test-browser`,
# `make bench-widgets`, `make site` and `make test-site`; `make lock` pins all.
ALL_EXTRAS := $(EXTRAS),browser,site
BROWSER_STAMP := $(VENV)/.installed-browser
LINT_PATHS := mle_lib tests tools benchmarks browser_tests grading_tests
# The browser test drives Debian's Chromium (Playwright's own browser download does not work here).
CHROMIUM := /usr/bin/chromium
# Front-end assets of the slide decks and the site (reveal.js, MathJax 2 and 3, require.js, jQuery, axe-core),
# installed at build time from the npm registry, exactly as web/package-lock.json pins them; never committed.
WEB_STAMP := web/node_modules/.installed

# One BLAS thread: on small machines OpenBLAS's threads stall the small matrix calls these notebooks
# make, and a fixed thread count keeps summation order (and so the stored outputs) the same.
export OPENBLAS_NUM_THREADS ?= 1
export OMP_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

# JupyterLab refuses to start as root without --allow-root; with no display there is no
# browser to open, so print the URL instead.
LAB_FLAGS := --notebook-dir=. --LabApp.default_url=/lab/tree/notebooks --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT)
ifeq ($(shell id -u),0)
LAB_FLAGS += --allow-root
endif
ifeq ($(strip $(DISPLAY)),)
LAB_FLAGS += --no-browser
endif

.PHONY: help install lab test test-fast test-compat check-chromium test-browser slides plan slides-lecturer test-slides site \
	site-lecturer test-site lint notebooks student release variants variants-check variant bench bench-widgets web-assets lock clean

help:
	@echo "make lab        set up .venv and open the course in JupyterLab"
	@echo "make test       set up .venv and run every test (unit, property, doctest, nbval, environment)"
	@echo "make test-fast  the same without the notebooks"
	@echo "make test-compat  the lowest versions pyproject.toml allows (uv, in build/compat-venv): tests, doctests,"
	@echo "               homework checks, every notebook run top to bottom (outputs not compared)"
	@echo "make test-browser  every chapter in JupyterLab + headless Chromium; every widget moved (screenshots in build/screenshots/)"
	@echo "make slides    offline reveal.js decks from the stored outputs, one per lecture part (build/slides/index.html);"
	@echo "               the public edition: exercises as questions, no solution, no check output"
	@echo "make plan      the lecture plan: per deck, slides, widgets, predictions, coding stops and minutes (limit 50)"
	@echo "make slides-lecturer  the same decks with the solutions (build/slides-lecturer/): never publish these"
	@echo "make test-slides  build the decks, then check every slide in headless Chromium at 1280x800: height,"
	@echo "                images, typeset maths, no request off this machine, no console error (screenshots in build/slides-screenshots/)"
	@echo "make site       the course as a website in build/site/ (stored outputs, never re-executed; warnings are errors;"
	@echo "                the public edition, no solutions)"
	@echo "make site-lecturer  the same website with the solutions (build/site-lecturer/): never publish it"
	@echo "make test-site  make site, then every page in headless Chromium: links, anchors, images, maths, requests, axe-core"
	@echo "make lint       ruff check, ruff format --check ($(LINT_PATHS)) and mypy (mle_lib tools browser_tests benchmarks)"
	@echo "make notebooks  re-execute every notebook in place (fresh kernel, top to bottom)"
	@echo "make student    regenerate the student edition (student/) from the chapters"
	@echo "make release    the student release in build/release/ (student edition, library, packaging; no solutions);"
	@echo "                BRANCH=name also commits it as that branch's tip (for nbgitpuller and Binder links);"
	@echo "                COURSE_KEY=term-key sets the term's key of the students' variants"
	@echo "make variants ROSTER=roster.csv  every student's variant and reference answer (build/variants/manifest.json)"
	@echo "make variants-check  every variant solved by its reference, none degenerate, collision rates (500 students)"
	@echo "make variant STUDENT=id  one student's data and answers (office hours)"
	@echo "make bench      EM speed: mle_lib vs scikit-learn, side by side"
	@echo "make bench-widgets  per widget, the time from a move in the browser to the new figure"
	@echo "make lock       regenerate constraints.txt from a fresh resolve of pyproject.toml"
	@echo "make lms LMS=canvas|moodle GRADEBOOK=export.csv ROSTER=roster.csv ASSIGNMENT=\"Chapter 2\" [OVERWRITE=1]"
	@echo "               fill one assignment column of the LMS's gradebook export from build/grades/ (a new CSV there)"
	@echo "make free-text  the free-text answers, one page per exercise, and manual-points.csv (build/grades/)"
	@echo "make grade SUBMISSIONS=folder [ROSTER=roster.csv]  grade every <student-id>.ipynb, each in a fresh kernel in a"
	@echo "               sandbox (bubblewrap); build/grades/: grades.csv, summary.csv, free_text.csv, feedback/ (GRADING.md)"
	@echo "make grade-selftest  grade notebooks/ (all correct) and student/ (all unanswered) under the same limits"
	@echo "make test-grade  hostile submissions against the grader, and the same cheats against an in-kernel judge"
	@echo "make bench-grade [N=500]  grade N chapter-2 submissions with every core: submissions per minute"
	@echo "make check-bwrap  is bubblewrap there (the grader's sandbox)? says how to install it"

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[$(EXTRAS)]'
	touch $(STAMP)

install: $(STAMP)

$(BROWSER_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[$(ALL_EXTRAS)]'
	touch $(BROWSER_STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab $(LAB_FLAGS)

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest tests mle_lib

# The lowest versions pyproject.toml allows (issue 19), in their own environment: uv (from PyPI, into a tool venv)
# resolves pyproject.toml with --resolution lowest-direct, i.e. every requirement that pyproject names at the
# oldest release its range allows and what those need at their newest. (--resolution lowest, everything at
# its oldest, is not installable: nbval's `coverage` would be 3.0 of 2009, whose sdist does not build on
# Python 3.) tools/compat_versions.py prints what was installed and fails if a runtime dependency is above
# its bound. Then the library's tests, doctests and homework checks, and every notebook top to bottom
# (--nbval-lax: outputs are not compared, last digits may move). The tests of the build tools (site, decks,
# editions, leak search, grader, LMS, repository and environment files) run at the lock only (make test).
# ipykernel 6.19's debugger warns of frozen modules at every kernel start: PYDEVD_DISABLE_FILE_VALIDATION=1.
COMPAT_VENV  ?= build/compat-venv
COMPAT_TOOLS := build/compat-tools
UV_VERSION   := 0.13.9
COMPAT_SKIP  := test_environment test_repository test_chapter_template test_leaks test_editions test_make_slides \
	test_lms test_grading
test-compat:
	rm -rf $(COMPAT_VENV)
	test -x $(COMPAT_TOOLS)/bin/uv || { $(PYTHON) -m venv $(COMPAT_TOOLS) && \
	  $(COMPAT_TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION); }
	$(COMPAT_TOOLS)/bin/uv venv --no-config --quiet --python "$$($(PYTHON) -c 'import sys; print(sys.executable)')" \
	  $(COMPAT_VENV)
	$(COMPAT_TOOLS)/bin/uv pip compile --no-config --quiet --resolution lowest-direct --python $(COMPAT_VENV)/bin/python \
	  --extra lab --extra test --no-header --no-annotate pyproject.toml --output-file $(COMPAT_VENV)/requirements.txt
	$(COMPAT_TOOLS)/bin/uv pip install --no-config --quiet --python $(COMPAT_VENV)/bin/python \
	  -r $(COMPAT_VENV)/requirements.txt
	$(COMPAT_TOOLS)/bin/uv pip install --no-config --quiet --python $(COMPAT_VENV)/bin/python --no-deps -e .
	$(COMPAT_VENV)/bin/python tools/compat_versions.py
	PYDEVD_DISABLE_FILE_VALIDATION=1 $(COMPAT_VENV)/bin/python -m pytest -p no:cacheprovider -o addopts="" -ra \
	  --strict-markers --doctest-modules --nbval-lax --nbval-current-env --nbval-cell-timeout=120 \
	  $(addprefix --ignore=tests/,$(addsuffix .py,$(COMPAT_SKIP))) tests mle_lib notebooks

# The fixtures of browser_tests/conftest.py start .venv's JupyterLab (fresh HOME, free port, fixed token,
# --allow-root as root) and stop it by its PID. The files are named: the folder also holds the negative
# controls' notebooks, which the addopts' --nbval would otherwise collect.
check-chromium:
	@test -x $(CHROMIUM) || { echo "$(CHROMIUM) is missing: install Debian's Chromium with 'apt-get install -y chromium'" \
	  "(Playwright's own browser download does not work on these machines)"; exit 1; }

test-browser: $(BROWSER_STAMP) check-chromium
	$(BIN)/python -m pytest -p no:cacheprovider browser_tests/test_widgets.py browser_tests/test_negative_controls.py \
	  browser_tests/test_student_edition.py

# Slide decks: nbconvert's reveal.js export of the stored outputs (nothing executed), with reveal.js, MathJax 2,
# require.js and jQuery copied from web/node_modules into build/slides/_vendor/ (tools/make_slides.py --help).
# A full build leaves a stamp, so `make test-slides` right after `make slides` does not build twice.
SLIDES_STAMP := build/slides/.built
$(SLIDES_STAMP): $(STAMP) $(WEB_STAMP) $(wildcard notebooks/*.ipynb) tools/make_slides.py tools/editions.py \
		$(wildcard tools/slides_template/*) $(wildcard tools/static_widget*) $(wildcard mle_lib/*.py mle_lib/*/*.py)
	$(BIN)/python tools/make_slides.py
	touch $(SLIDES_STAMP)

slides: $(SLIDES_STAMP)

plan: $(STAMP)
	$(BIN)/python tools/lecture_plan.py

slides-lecturer: $(STAMP) $(WEB_STAMP)
	$(BIN)/python tools/make_slides.py --edition lecturer

# The slide lint (browser_tests/slide_lint.py) on every deck, plus its negative controls (decks that must fail).
test-slides: $(SLIDES_STAMP) $(BROWSER_STAMP) check-chromium
	$(BIN)/python -m pytest -p no:cacheprovider browser_tests/test_slide_decks.py browser_tests/test_slide_lint_controls.py \
	  tests/test_make_slides.py::test_every_asset_the_decks_name_is_copied

# mypy reads its settings (python_version, files = mle_lib tools browser_tests benchmarks) from [tool.mypy] in pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/mypy

student: $(STAMP)
	$(BIN)/python tools/make_student.py

release: $(STAMP)
	$(BIN)/python tools/make_release.py $(if $(BRANCH),--branch $(BRANCH)) $(if $(COURSE_KEY),--course-key $(COURSE_KEY))

# Every student's variant of every data exercise (mle_lib/homework/variants.py): the manifest grading reads,
# its check (a made-up class of 500 without ROSTER=), and one student's data and answers for office hours.
variants: $(STAMP)
	@test -n "$(ROSTER)" || { echo "make variants needs ROSTER=roster.csv (a CSV with a column 'student')"; exit 2; }
	$(BIN)/python tools/variants.py manifest --roster $(ROSTER) $(if $(COURSE_KEY),--key $(COURSE_KEY))

variants-check: $(STAMP)
	$(BIN)/python tools/variants.py check $(if $(ROSTER),--roster $(ROSTER)) $(if $(COURSE_KEY),--key $(COURSE_KEY))

variant: $(STAMP)
	@test -n "$(STUDENT)" || { echo "make variant needs STUDENT=id"; exit 2; }
	$(BIN)/python tools/variants.py show $(STUDENT) $(if $(COURSE_KEY),--key $(COURSE_KEY))

notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py notebooks/*.ipynb

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_gmm.py

bench-widgets: $(BROWSER_STAMP) check-chromium
	$(BIN)/python benchmarks/bench_widgets.py

$(WEB_STAMP): web/package.json web/package-lock.json
	npm ci --prefix web --no-audit --no-fund --loglevel=error
	touch $(WEB_STAMP)

web-assets: $(WEB_STAMP)

# The website: Jupyter Book 1 from site/_config.yml and site/_toc.yml (book root = the repository), the
# notebooks' stored outputs (never executed), MathJax 3 from web/node_modules; prints time, pages and size.
site: $(BROWSER_STAMP) $(WEB_STAMP)
	$(BIN)/python tools/build_site.py

site-lecturer: $(BROWSER_STAMP) $(WEB_STAMP)
	$(BIN)/python tools/build_site.py --edition lecturer

# Serves build/site on 127.0.0.1 and loads every page in headless Chromium (browser_tests/test_site.py), then
# checks that the same checks fail on broken fixture pages (browser_tests/test_site_negative_controls.py).
test-site: site check-chromium
	$(BIN)/python -m pytest -p no:cacheprovider browser_tests/test_site.py browser_tests/test_site_negative_controls.py

# After the grader (python tools/lms.py --help): fill one assignment column of the LMS's own gradebook export with
# build/grades/'s totals, written to build/grades/$(LMS)-upload.csv (the export is only read; a refusal names the
# students and writes nothing); optional MATCH=sis_id|login (Canvas), idnumber|email (Moodle), GRADES=another
# grades or totals file, MANUAL=the filled manual-points.csv, OVERWRITE=1, SKIP_UNMATCHED=1. Rosters, exports and
# grades stay out of git (.gitignore).
LMS ?= canvas
.PHONY: lms free-text check-bwrap grade grade-selftest test-grade bench-grade
lms: $(STAMP)
	@test -n "$(GRADEBOOK)" && test -n "$(ROSTER)" && test -n "$(ASSIGNMENT)" || { echo "usage: make lms" \
	  "LMS=canvas|moodle GRADEBOOK=export.csv ROSTER=roster.csv ASSIGNMENT='Chapter 2' [MATCH=...] [MANUAL=...]" \
	  "[OVERWRITE=1] [SKIP_UNMATCHED=1]"; exit 2; }
	$(BIN)/python tools/lms.py $(LMS) --gradebook "$(GRADEBOOK)" --roster "$(ROSTER)" --assignment "$(ASSIGNMENT)" \
	  $(if $(MATCH),--match $(MATCH)) $(if $(GRADES),--grades "$(GRADES)") $(if $(MANUAL),--manual "$(MANUAL)") \
	  $(if $(OVERWRITE),--overwrite) $(if $(SKIP_UNMATCHED),--skip-unmatched)

# The free-text answers of build/grades/free_text.csv: one page per exercise in build/grades/free-text/, and the
# template build/grades/manual-points.csv (an existing one keeps its rows); then `python tools/lms.py merge-manual`.
free-text: $(STAMP)
	$(BIN)/python tools/lms.py free-text

# The class grader (GRADING.md): each submission in a fresh kernel inside Debian's bubblewrap, privileges dropped
# (as root) to one uid per worker, no network, limits on memory, CPU, processes, files, time per cell and notebook;
# verdicts outside the kernel. Without a working sandbox it refuses (and says why) unless told
# --no-sandbox-i-trust-this-work (python tools/grade.py --help).
check-bwrap:
	@command -v bwrap >/dev/null || { echo "bwrap is missing: install Debian's bubblewrap with 'apt-get install -y" \
	  "bubblewrap' (the grader's sandbox; .ci/run installs it)"; exit 1; }

grade: $(STAMP) check-bwrap
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=folder [ROSTER=roster.csv]"; exit 2; }
	$(BIN)/python tools/grade.py "$(SUBMISSIONS)" $(if $(ROSTER),--roster "$(ROSTER)")

grade-selftest: $(STAMP) check-bwrap
	$(BIN)/python tools/grade.py --selftest

# Not part of `make test`: about 25 sandboxed notebooks and the in-kernel judge on the cheats (a few minutes).
test-grade: $(STAMP) check-bwrap
	$(BIN)/python -m pytest -p no:cacheprovider grading_tests

N ?= 20
bench-grade: $(STAMP) check-bwrap
	$(BIN)/python benchmarks/bench_grade.py -n $(N) $(if $(JOBS),--jobs $(JOBS))

# The ranges have no upper bounds, so a fresh lock takes the newest release of everything: after `make lock`,
# `make notebooks` and `make test` say whether the stored outputs still hold.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[$(ALL_EXTRAS)]'
	( echo "# Exact versions every test and stored notebook output was produced with."; \
	  echo "# Regenerate with 'make lock' after changing pyproject.toml."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable ) > constraints.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis *.egg-info web/node_modules
