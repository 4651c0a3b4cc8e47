"""Refresh everything derived from the solution notebooks: outputs, expected blocks, stubs."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import yaml
from nbclient import NotebookClient

from descent import expected, stubs
from descent import notebooks as nbs

EXPECTED_HEADING = "**Expected output**"
INSTALL = """# Installs the course package where it is missing (Colab, Binder, a fresh Jupyter).
import importlib.util
import os

RELEASE = "{requirement}"
if importlib.util.find_spec("descent") is None:
    package = os.environ.get("DESCENT_PACKAGE", RELEASE)  # a local path works too
    %pip install --quiet "$package"
"""


def execute(nb, cwd: Path, timeout: int = 600):
    """Run every cell of ``nb`` in a fresh kernel of the current environment."""
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute()
    nb.metadata.pop("widgets", None)  # no widget state: the static site shows figures instead
    return nb


def expected_block(text: str) -> str:
    """The markdown of an "Expected output" block showing ``text``."""
    return f"{EXPECTED_HEADING}\n\n```text\n{text.rstrip()}\n```"


def fill_expected(nb) -> None:
    """Set each expected-output block to the stored output of the cell it names."""
    by_id = {c.id: c for c in nb.cells}
    for cell in nbs.cells_with_role(nb, nbs.ROLE_EXPECTED):
        cell.source = expected_block(nbs.stream_text(by_id[nbs.cell_meta(cell)["of"]]))


def requirement(root: Path) -> str:
    """The pip requirement of this release of the course package, from the student edition's
    repository (``repository.url`` in _config.yml) at the tag of the package's version."""
    url = yaml.safe_load((root / "_config.yml").read_text())["repository"]["url"]
    version = tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]
    return f"descent @ git+{url}@v{version}"


def fill_install(nb, root: Path) -> None:
    """Write the install cell of a notebook from the course's configuration."""
    for cell in nbs.cells_with_role(nb, nbs.ROLE_INSTALL):
        cell.source = INSTALL.format(requirement=requirement(root)).rstrip("\n")


def load_mistakes(path: Path):
    """The ``table(reference)`` function of the instructors' mistakes module."""
    spec = importlib.util.spec_from_file_location("course_mistakes", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.table


def record_set(nb, mistakes) -> str:
    """The expected-results file of one solution notebook, as text."""
    namespace = nbs.load_namespace(nb)
    points = nbs.graded_functions(nb)
    functions = {name: namespace[name] for name in points}
    return expected.dumps(expected.record(functions, mistakes(namespace), nbs.hints(nb), points))


def sync(root: Path, run: bool = True) -> list[Path]:
    """Execute solutions, fill expected blocks, record check data and write stubs."""
    solutions = root / "solutions"
    mistakes = load_mistakes(solutions / "mistakes.py")
    written = []
    for path in sorted(solutions.glob("*.ipynb")):
        nb = nbs.read(path)
        target = expected.EXPECTED_DIR / f"{nbs.exercise_set(nb)}.json"
        target.write_text(record_set(nb, mistakes))  # the executed check cells read it
        fill_install(nb, root)
        if run:
            execute(nb, cwd=solutions)
        fill_expected(nb)
        nbs.write(nb, path)
        written += [target, path]
    for path in sorted((root / "book").glob("*.ipynb")):  # notebook pages of the book
        nb = nbs.read(path)
        fill_install(nb, root)
        if run:
            execute(nb, cwd=path.parent)
        nbs.write(nb, path)
        written.append(path)
    return written + stubs.release_stubs(solutions, root / "exercises")
