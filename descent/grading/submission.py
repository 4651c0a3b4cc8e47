"""Read a submitted notebook, tell which exercise set it is, and pick the cells to run."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from descent import notebooks as nbs
from descent.grading.assignment import Assignment

MAX_BYTES = 20 * 2**20  # a notebook larger than this is not read


@dataclass
class Submission:
    """A submission as the grader sees it; ``problems`` explain anything that went wrong."""

    path: Path
    exercise_set: str = ""
    cells: list[tuple[str, str]] = field(default_factory=list)  # (cell id, code) to run
    defined: set[str] = field(default_factory=set)  # graded functions some cell defines
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.stem


def _parse(data: bytes):
    """The notebook in ``data``, or raise ValueError with a message for the learner."""
    if not data.strip():
        raise ValueError("the file is empty")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"the file is not valid JSON ({error})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        raise ValueError("the file is JSON but not a Jupyter notebook (no list of cells)")
    try:
        return nbformat.reads(json.dumps(raw), as_version=4)
    except Exception as error:  # nbformat raises several kinds for malformed notebooks
        raise ValueError(f"the file is not a readable notebook ({error})") from None


def identify(nb, path: Path, assignments: dict[str, Assignment]) -> str:
    """The exercise set: from the metadata, else the file name, else the functions defined."""
    declared = nb.get("metadata", {}).get(nbs.META_KEY, {}).get("exercise_set")
    if declared in assignments:
        return declared
    named = [name for name in assignments if name in path.stem]
    if len(named) == 1:
        return named[0]
    sources = "\n".join(c.get("source", "") for c in nb.cells)
    overlap = {
        name: sum(f"def {f}(" in sources for f in a.functions) for name, a in assignments.items()
    }
    best = max(overlap, key=overlap.get, default="")
    return best if overlap.get(best) else ""


def _strip_magics(source: str) -> str:
    """IPython magics and shell escapes are not Python: turn them into no-ops."""
    return "\n".join(
        "pass  # " + line if line.lstrip()[:1] in ("%", "!") else line
        for line in source.splitlines()
    )


def _defines(tree: ast.Module) -> set[str]:
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def _only_definitions(tree: ast.Module) -> bool:
    """True for helper cells: imports, definitions and assignments, nothing that runs work."""
    kinds = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign)
    return all(isinstance(n, kinds) for n in tree.body)


def select_cells(nb, assignment: Assignment, submission: Submission) -> None:
    """Choose the code cells to run: setup, graded, and helper cells, in notebook order."""
    wanted = set(assignment.functions)
    for index, cell in enumerate(nb.cells):
        cell_id, source = cell.get("id", f"cell-{index}"), cell.get("source", "")
        if cell.get("cell_type") != "code":
            for name in wanted:
                if f"def {name}(" in source:
                    submission.problems.append(
                        f"{name} is defined in a {cell.get('cell_type')} cell ({cell_id}), "
                        "which does not run: change it back to a code cell"
                    )
            continue
        code = _strip_magics(source)
        try:
            tree = ast.parse(code)
        except SyntaxError as error:
            if cell_id in wanted or any(f"def {n}(" in code for n in wanted):
                submission.problems.append(
                    f"cell {cell_id} has a syntax error: {error.msg} (line {error.lineno})"
                )
            continue
        defined = _defines(tree) & wanted
        if defined or cell_id in assignment.setup_ids or _only_definitions(tree):
            submission.cells.append((cell_id, code))
            submission.defined |= defined


def read_submission(
    path: Path, assignments: dict[str, Assignment], expected_set: str | None = None
) -> Submission:
    """Read and identify one submission; never raises for a bad file, never writes to it."""
    submission = Submission(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ValueError(f"the file is larger than {MAX_BYTES // 2**20} MiB")
        nb = _parse(path.read_bytes())
    except (OSError, ValueError) as error:
        submission.problems.append(f"cannot grade {path.name}: {error}")
        return submission
    found = identify(nb, path, assignments)
    if not found:
        submission.problems.append("this notebook is none of the course's exercise sets")
        return submission
    if expected_set and found != expected_set:
        submission.problems.append(f"this is exercise set '{found}', not '{expected_set}'")
        submission.exercise_set = expected_set
        return submission
    submission.exercise_set = found
    select_cells(nb, assignments[found], submission)
    return submission
