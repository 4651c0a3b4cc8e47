"""Shared fixtures: the course checkout and the reference functions of its solutions."""

from pathlib import Path

import pytest

from descent import notebooks as nbs

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))


@pytest.fixture(scope="session")
def reference() -> dict:
    """Every graded function of every solution notebook, by name."""
    functions = {}
    for path in SOLUTIONS:
        nb = nbs.read(path)
        namespace = nbs.load_namespace(nb)
        functions |= {name: namespace[name] for name in nbs.graded_functions(nb)}
    return functions


def solution_lines(path: Path) -> list[str]:
    """The non-trivial lines inside the solution regions of a solution notebook."""
    lines = []
    for cell in nbs.read(path).cells:
        inside = False
        for line in cell.source.splitlines():
            marker = line.strip()
            if marker in (nbs.BEGIN_SOLUTION, nbs.END_SOLUTION):
                inside = marker == nbs.BEGIN_SOLUTION
            elif inside and len(marker) > 12:
                lines.append(marker)
    return lines
