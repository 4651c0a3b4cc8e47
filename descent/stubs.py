"""Generate the learners' exercise notebooks from the solution notebooks."""

from __future__ import annotations

import copy
from pathlib import Path

from descent import notebooks as nbs


def stub_source(source: str, where: str = "cell") -> str:
    """Replace every solution region of ``source`` by a hint and ``raise NotImplementedError``."""
    out: list[str] = []
    region: list[str] | None = None
    indent = ""
    for line in source.splitlines():
        marker = line.strip()
        if marker == nbs.BEGIN_SOLUTION:
            if region is not None:
                raise ValueError(f"{where}: nested {nbs.BEGIN_SOLUTION}")
            region, indent = [], line[: len(line) - len(line.lstrip())]
        elif marker == nbs.END_SOLUTION:
            if region is None:
                raise ValueError(f"{where}: {nbs.END_SOLUTION} without {nbs.BEGIN_SOLUTION}")
            n = sum(1 for r in region if r.strip())
            out += [
                indent + nbs.STUB_HINT.format(n=n, s="" if n == 1 else "s"),
                indent + nbs.STUB_RAISE,
            ]
            region = None
        elif region is not None:
            region.append(line)
        else:
            out.append(line)
    if region is not None:
        raise ValueError(f"{where}: {nbs.BEGIN_SOLUTION} without {nbs.END_SOLUTION}")
    return "\n".join(out)


def make_stub(solution):
    """The exercise notebook for one solution notebook: regions stubbed, outputs cleared."""
    nb = copy.deepcopy(solution)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.source = stub_source(cell.source, where=f"cell {cell.id}")
            cell.outputs = []
            cell.execution_count = None
    return nb


def release_stubs(solutions: Path, exercises: Path) -> list[Path]:
    """Write one exercise notebook per solution notebook; return the paths written."""
    exercises.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(solutions.glob("*.ipynb")):
        target = exercises / path.name
        nbs.write(make_stub(nbs.read(path)), target)
        written.append(target)
    return written
