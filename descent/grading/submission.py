"""Read a submitted notebook, tell which exercise set it is, and pick the cells to run.

Nothing here trusts the file: only regular files are read (not symbolic links, FIFOs or
devices), sizes and nesting are bounded, and any failure becomes a problem line.
"""

from __future__ import annotations

import ast
import json
import os
import re
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
    defined_in: dict[str, str] = field(default_factory=dict)  # name -> first cell binding it
    skipped: dict[str, str] = field(default_factory=dict)  # cell id -> why it was not run
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


BODY_MAGICS = ("time", "timeit", "capture", "prun", "memit")  # cell magics whose body is Python
MAGIC_LINE = re.compile(r"(\s*)(?:[%!]|\?+[\w.]+\s*$|[\w.]+\?+\s*$)")
MAGIC_VALUE = re.compile(r"(\s*)([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=)\s*[%!]")


def neutralise(source: str) -> tuple[str | None, str]:
    """The cell as plain Python: IPython magics, shell escapes (``!pip install``) and help
    lines (``np?``) become no-ops, a ``%%time`` line is dropped; every other line is kept.
    Returns (code, "") or, for a cell magic whose body is not Python, (None, why)."""
    try:
        ast.parse(source)
        return source, ""  # already Python: nothing is touched (a '%' inside a string stays)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        pass
    lines = source.split("\n")
    first = lines[0].strip()
    if first.startswith("%%"):
        magic = first[2:].split()[0] if first[2:].split() else ""
        if magic not in BODY_MAGICS:
            return None, f"it is a %%{magic} cell, not Python"
        lines[0] = "# " + lines[0]
    kept = []
    for line in lines:
        if value := MAGIC_VALUE.match(line):
            kept.append(f"{value.group(1)}{value.group(2)} None  # {line.strip()}")
        elif MAGIC_LINE.match(line):
            kept.append(f"{MAGIC_LINE.match(line).group(1)}pass  # {line.strip()}")
        else:
            kept.append(line)
    return "\n".join(kept), ""


def _defines(tree: ast.Module) -> set[str]:
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


DEFINITIONS = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
DOES_NOTHING = (ast.Pass,)


def _bound(tree: ast.Module) -> set[str]:
    """The names a cell binds at its top level (imports, definitions, assignments)."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, DEFINITIONS):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


def _bound_by_text(source: str) -> set[str]:
    """The names a cell that cannot be parsed seems to bind, read from its text."""
    found = re.findall(
        r"^(?:def|class)\s+(\w+)|^(\w+)\s*=[^=]|\bimport\s+(\w+)|\bas\s+(\w+)", source, re.MULTILINE
    )
    return {name for group in found for name in group if name}


def _docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)


def _only_definitions(tree: ast.Module) -> bool:
    """True for helper cells: imports, definitions and assignments, nothing that runs work."""
    kinds = (*DEFINITIONS, ast.Assign, ast.AnnAssign, *DOES_NOTHING)
    return all(isinstance(n, kinds) or _docstring(n) for n in tree.body)


def _definitions_of(tree: ast.Module, code: str) -> str:
    """Only the imports, functions and classes of a cell, as code (the rest is left out)."""
    lines = code.split("\n")
    parts = []
    for node in tree.body:
        if isinstance(node, DEFINITIONS):
            start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
            parts.append("\n".join(lines[start - 1 : node.end_lineno]))
    return "\n".join(parts)


def _skip(submission: Submission, cell_id: str, names: set[str], why: str) -> None:
    submission.skipped[cell_id] = why
    for name in names:
        submission.defined_in.setdefault(name, cell_id)


def select_cells(nb, assignment: Assignment, submission: Submission) -> None:
    """Choose the code cells to run: setup, graded, and helper cells, in notebook order; of
    any other cell, its imports, functions and classes. Cells not run are noted with why."""
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
        try:
            if len(source) > MAX_CELL_CHARS:
                raise ValueError(f"it is longer than {MAX_CELL_CHARS} characters")
            code, why = neutralise(source)
            if code is None:
                raise SyntaxError(why)
            tree = ast.parse(code)
        except SyntaxError as error:
            line = f" (line {error.lineno})" if error.lineno else ""
            why = f"{error.msg}{line}" if error.lineno else str(error.msg or error)
            _skip(submission, cell_id, _bound_by_text(source), why)
            submission.problems.append(f"cell {cell_id} was not run: {why}")
            continue
        except (ValueError, MemoryError, RecursionError) as error:
            why = str(error) if isinstance(error, ValueError) else "it is nested too deeply"
            submission.problems.append(f"cell {cell_id} cannot be read as Python ({why})")
            continue
        defined = _defines(tree) & wanted
        helper = _only_definitions(tree) and cell_id not in assignment.demo_ids
        if defined or cell_id in assignment.setup_ids or helper:
            submission.cells.append((cell_id, code))
            submission.defined |= defined
            for name in _bound(tree):
                submission.defined_in.setdefault(name, cell_id)
            continue
        definitions = _definitions_of(tree, code)
        if definitions:
            submission.cells.append((cell_id, definitions))
        why = "it runs work, not only definitions (only its imports, functions and classes ran)"
        if cell_id in assignment.demo_ids:
            why = "it is one of the course's example cells (only its definitions ran)"
        _skip(submission, cell_id, _bound(tree) - _bound(ast.parse(definitions)), why)


def defines(nb, assignment: Assignment) -> bool:
    """Whether a code cell of ``nb`` defines one of ``assignment``'s graded functions."""
    code = "\n".join(c["source"] for c in nb.cells if c["cell_type"] == "code")
    return any(f"def {f}(" in code or f"class {f}(" in code for f in assignment.functions)


def sets_in(path: Path, assignments: dict[str, Assignment]) -> list[str]:
    """The exercise sets a notebook declares or defines graded functions of (a notebook may
    hold several); none when it cannot be read."""
    try:
        nb = _parse(read_bytes(path), [])
        declared = identify(nb, path, assignments)
    except Exception:  # noqa: BLE001 - unreadable: graded (and refused) under --set only
        return []
    return [n for n, a in assignments.items() if n == declared or defines(nb, a)]


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
        elif expected_set and found != expected_set and not defines(nb, assignments[expected_set]):
            submission.problems.append(f"this is exercise set '{found}', not '{expected_set}'")
            submission.exercise_set = expected_set
        else:  # its own set, or the set asked for, some of whose functions it defines
            submission.exercise_set = expected_set or found
            select_cells(nb, assignments[submission.exercise_set], submission)
    except ValueError as error:
        submission.problems.append(f"cannot grade {submission.name}: {error}")
    except Exception as error:  # noqa: BLE001 - MemoryError, RecursionError, ...
        submission.problems.append(
            f"cannot grade {submission.name}: reading it failed ({type(error).__name__})"
        )
        submission.cells.clear()
    return submission
