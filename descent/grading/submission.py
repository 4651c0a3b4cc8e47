"""Read a submitted notebook, tell which exercise set it is, and pick the cells to run.

Nothing here trusts the file: only regular files are read (not symbolic links, FIFOs or
devices), sizes and nesting are bounded, and any failure becomes a problem line.
"""

from __future__ import annotations

import ast
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from descent import notebooks as nbs
from descent.grading.assignment import Assignment

MAX_BYTES = 20 * 2**20  # a notebook larger than this is not read
MAX_CELLS = 2000
MAX_CELL_CHARS = 200_000  # a code cell longer than this is not run


@dataclass
class Submission:
    """A submission as the grader sees it; ``problems`` explain anything that went wrong."""

    path: Path
    name: str = ""  # how reports call it: its path relative to the folder given
    exercise_set: str = ""
    cells: list[tuple[str, str]] = field(default_factory=list)  # (cell id, code) to run
    defined: set[str] = field(default_factory=set)  # graded functions some cell defines
    problems: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.name = self.name or os.fsdecode(self.path.stem)


@dataclass
class Notebook:
    """The parts of a notebook the grader uses, each of a checked type."""

    metadata: dict
    cells: list[dict]  # {"id": str, "cell_type": str, "source": str}


def read_bytes(path: Path) -> bytes:
    """The content of a regular file; raise ValueError for anything else or a file too large."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        if os.path.islink(path):
            raise ValueError("it is a symbolic link, not a file (links are not read)") from None
        raise ValueError(f"it cannot be opened ({error.strerror})") from None
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError("it is not a regular file (a FIFO, device or folder is not read)")
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"the file is larger than {MAX_BYTES // 2**20} MiB")
    return data


def _text(source) -> str | None:
    """A cell's source as one string (notebooks store a string or a list of lines)."""
    if isinstance(source, str):
        return source
    if isinstance(source, list) and all(isinstance(line, str) for line in source):
        return "".join(source)
    return None


def _parse(data: bytes, problems: list[str]) -> Notebook:
    """The notebook in ``data``, or raise ValueError with a message for the learner."""
    if not data.strip():
        raise ValueError("the file is empty")
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"the file is not valid JSON ({str(error)[:200]})") from None
    except (RecursionError, MemoryError):
        raise ValueError("the file is JSON nested too deeply to read") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells"), list):
        raise ValueError("the file is JSON but not a Jupyter notebook (no list of cells)")
    if len(raw["cells"]) > MAX_CELLS:
        raise ValueError(f"the notebook has more than {MAX_CELLS} cells")
    cells = []
    for index, cell in enumerate(raw["cells"]):
        if not isinstance(cell, dict):
            problems.append(f"cell {index + 1} is not a notebook cell: it was skipped")
            continue
        cell_id = cell.get("id") if isinstance(cell.get("id"), str) else f"cell-{index}"
        source = _text(cell.get("source", ""))
        if source is None:
            problems.append(f"cell {cell_id[:80]}'s source is not text: it was skipped")
            continue
        kind = cell.get("cell_type") if isinstance(cell.get("cell_type"), str) else "unknown"
        cells.append({"id": cell_id[:200], "cell_type": kind[:40], "source": source})
    metadata = raw.get("metadata") if isinstance(raw.get("metadata"), dict) else {}
    return Notebook(metadata, cells)


def identify(nb, path: Path, assignments: dict[str, Assignment]) -> str:
    """The exercise set: from the metadata, else the file name, else the functions defined."""
    ours = nb.metadata.get(nbs.META_KEY)
    declared = ours.get("exercise_set") if isinstance(ours, dict) else None
    if isinstance(declared, str) and declared in assignments:
        return declared
    named = [name for name in assignments if name in os.fsdecode(path.stem)]
    if len(named) == 1:
        return named[0]
    sources = "\n".join(c["source"] for c in nb.cells)
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
    for cell in nb.cells:
        cell_id, source = cell["id"], cell["source"]
        if cell["cell_type"] != "code":
            for name in wanted:
                if f"def {name}(" in source:
                    submission.problems.append(
                        f"{name} is defined in a {cell['cell_type']} cell ({cell_id}), "
                        "which does not run: change it back to a code cell"
                    )
            continue
        code = _strip_magics(source)
        graded = cell_id in wanted or any(f"def {n}(" in code for n in wanted)
        try:
            if len(code) > MAX_CELL_CHARS:
                raise ValueError(f"it is longer than {MAX_CELL_CHARS} characters")
            tree = ast.parse(code)
        except SyntaxError as error:
            if graded:
                submission.problems.append(
                    f"cell {cell_id} has a syntax error: {error.msg} (line {error.lineno})"
                )
            continue
        except (ValueError, MemoryError, RecursionError) as error:
            why = str(error) if isinstance(error, ValueError) else "it is nested too deeply"
            submission.problems.append(f"cell {cell_id} cannot be read as Python ({why})")
            continue
        defined = _defines(tree) & wanted
        if defined or cell_id in assignment.setup_ids or _only_definitions(tree):
            submission.cells.append((cell_id, code))
            submission.defined |= defined


def read_submission(
    path: Path,
    assignments: dict[str, Assignment],
    expected_set: str | None = None,
    name: str = "",
) -> Submission:
    """Read and identify one submission; never raises for a bad file, never writes to it."""
    submission = Submission(path, name)
    try:
        nb = _parse(read_bytes(path), submission.problems)
        found = identify(nb, path, assignments)
        if not found:
            submission.problems.append("this notebook is none of the course's exercise sets")
        elif expected_set and found != expected_set:
            submission.problems.append(f"this is exercise set '{found}', not '{expected_set}'")
            submission.exercise_set = expected_set
        else:
            submission.exercise_set = found
            select_cells(nb, assignments[found], submission)
    except ValueError as error:
        submission.problems.append(f"cannot grade {submission.name}: {error}")
    except Exception as error:  # noqa: BLE001 - MemoryError, RecursionError, ...
        submission.problems.append(
            f"cannot grade {submission.name}: reading it failed ({type(error).__name__})"
        )
        submission.cells.clear()
    return submission
