# The course's commands. `make book` and `make test` work on a fresh machine with Python 3.11.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup book notebook test lint sync clean

setup: $(STAMP)

$(STAMP): requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (descent)"
	touch $@

book: setup  ## build the website from scratch into _build/html
	rm -rf _build
	$(BIN)/jupyter-book build . -W -n --keep-going
	@echo "Website: open _build/html/index.html (or run: $(BIN)/python -m http.server -d _build/html)"
	@echo "Exercises: run 'make notebook' to start Jupyter on exercises/"

notebook: setup  ## start Jupyter on the exercise notebooks
	$(BIN)/jupyter lab exercises

test: setup  ## lint, unit tests, nbval on the solutions, website build
	$(BIN)/ruff check .
	$(BIN)/python -m pytest tests solutions --nbval --nbval-current-env

sync: setup  ## after editing a solution notebook: re-run it, refresh expected outputs and stubs
	$(BIN)/python -m descent sync

clean:
	rm -rf _build $(VENV)
