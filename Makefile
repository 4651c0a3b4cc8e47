# The course's commands. `make book` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

VENV1 := .venv-numpy1

.PHONY: setup book pdf book-instructor notebook test test-numpy1 sandbox sync clean

setup: $(STAMP)

$(STAMP): requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (descent)"
	touch $@

book: setup  ## build the website into _build/html (re-executes changed chapters only)
	$(BIN)/jupyter-book build . -W -n --keep-going
	cp _static/* _build/html/_static/  # Sphinx copies them only when it rewrites a page
	@echo "Website: open _build/html/index.html (or run: $(BIN)/python -m http.server -d _build/html)"
	@echo "Exercises: run 'make notebook' to start Jupyter on exercises/"

pdf: book  ## the student edition as one PDF, printed by headless Chromium: _build/pdf/descent.pdf
	$(BIN)/python -m descent pdf --site _build/html --out _build/pdf/descent.pdf \
	  $(if $(MATHJAX),--mathjax $(MATHJAX))  # offline: MATHJAX=folder of npm's mathjax@3

book-instructor: setup  ## the website with every solution after its exercise (instructors only)
	$(BIN)/python -m descent instructor-site --out _build/instructor
	@echo "Instructor website: open _build/instructor/_build/html/index.html"

notebook: setup  ## start Jupyter on the exercise notebooks
	$(BIN)/jupyter lab exercises

test: setup sandbox  ## lint, unit tests, nbval, grader, release, website, NumPy 1.x outputs
	$(BIN)/ruff check .
	$(MAKE) --jobs=2 --output-sync=target test-suite test-numpy1  # two cores: both at once
.PHONY: test-suite
test-suite:  # the main suite; each report shows when its run ends (or run this alone)
	$(BIN)/python -m pytest tests solutions book --nbval --nbval-current-env

$(VENV1)/.installed: requirements-numpy1.txt pyproject.toml
	$(PYTHON) -m venv $(VENV1)
	$(VENV1)/bin/python -m pip install --quiet --upgrade pip
	$(VENV1)/bin/python -m pip install --quiet -r requirements-numpy1.txt
	$(VENV1)/bin/python -m pip install --quiet --no-deps -e .
	touch $@

test-numpy1: $(VENV1)/.installed  ## the solution notebooks' stored outputs, under NumPy 1.26
	$(VENV1)/bin/python -m pytest solutions book --nbval --nbval-current-env

sandbox:  ## Debian packages the tests use, installed when missing (as root, with apt-get)
	@{ command -v bwrap && command -v chromium; } >/dev/null || { [ "$$(id -u)" = 0 ] \
	  && command -v apt-get >/dev/null && (apt-get update -qq \
	  && apt-get install -y -qq bubblewrap chromium chromium-driver) >/dev/null 2>&1; } \
	  || echo "bubblewrap or chromium unavailable: sandbox and browser tests skipped (descent grade refuses to run without --allow-unsandboxed)"

sync: setup  ## after editing a solution notebook: re-run it, refresh expected outputs and stubs
	$(BIN)/python -m descent sync

clean:  ## remove the builds, the execution cache and the virtual environments
	rm -rf _build $(VENV) $(VENV1)
