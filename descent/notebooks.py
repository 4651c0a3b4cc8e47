"""Read, write and query course notebooks: markers, cell roles and graded cells."""

from __future__ import annotations

from pathlib import Path

import nbformat

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
STUB_HINT = "# YOUR CODE HERE (about {n} line{s})"
STUB_RAISE = "raise NotImplementedError()"

META_KEY = "descent"  # cell and notebook metadata namespace
ROLE_SETUP = "setup"  # imports that graded cells need
ROLE_GRADED = "graded"  # defines one graded function; carries points
ROLE_EXPECTED = "expected"  # markdown block showing another cell's output
ROLE_INSTALL = "install"  # installs the course package where it is missing (Colab, Binder)


def read(path: str | Path) -> nbformat.NotebookNode:
    """Read a notebook as nbformat 4."""
    return nbformat.read(str(path), as_version=4)


def write(nb: nbformat.NotebookNode, path: str | Path) -> None:
    """Validate and write a notebook in the course's stable, diff-friendly form."""
    nbformat.validate(nb)
    text = nbformat.writes(nb, version=4)
    Path(path).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def cell_meta(cell) -> dict:
    """The course's metadata of a cell (empty dict when none)."""
    return cell.get("metadata", {}).get(META_KEY, {})


def cells_with_role(nb, role: str) -> list:
    """The cells whose course metadata names ``role``."""
    return [c for c in nb.cells if cell_meta(c).get("role") == role]


def exercise_set(nb) -> str:
    """The exercise-set name a notebook declares in its metadata."""
    return nb.metadata[META_KEY]["exercise_set"]


def graded_functions(nb) -> dict[str, int]:
    """Map each graded function (the cell id) to its points."""
    return {c.id: cell_meta(c)["points"] for c in cells_with_role(nb, ROLE_GRADED)}


def hints(nb) -> dict[str, list[str]]:
    """Map each graded function to its hints, from the graded cell's metadata."""
    return {c.id: list(cell_meta(c).get("hints", [])) for c in cells_with_role(nb, ROLE_GRADED)}


def load_namespace(nb) -> dict:
    """Execute a notebook's setup and graded cells; return the resulting namespace."""
    namespace: dict = {}
    for cell in nb.cells:
        if cell_meta(cell).get("role") in (ROLE_SETUP, ROLE_GRADED):
            exec(compile(cell.source, f"<cell {cell.id}>", "exec"), namespace)
    return namespace


def stream_text(cell) -> str:
    """The text a code cell printed (stdout streams), as stored."""
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.output_type == "stream")
