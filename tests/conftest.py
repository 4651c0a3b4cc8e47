"""Shared fixtures: the course checkout and the reference functions of its solutions."""

import subprocess
import sys
from pathlib import Path

import pytest

from descent import notebooks as nbs

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))


JUPYTER_BOOK = Path(sys.executable).with_name("jupyter-book")


def share_execution_cache(out: Path, cache: Path) -> None:
    """Make a build under ``out`` use the execution cache ``cache`` (Jupyter Book's
    ``_build/.jupyter_cache``). The cache is keyed by each page's code, so a page runs once
    per cache; later builds of the same sources take its stored outputs."""
    cache.mkdir(parents=True, exist_ok=True)
    (out / "_build").mkdir(parents=True, exist_ok=True)
    (out / "_build" / ".jupyter_cache").symlink_to(cache, target_is_directory=True)


def build_book(source: Path, out: Path, *options: str, cache: Path | None = None) -> Path:
    """Build a website with warnings as errors; return its HTML folder. With ``cache``, the
    build shares that execution cache (see share_execution_cache)."""
    if cache is not None:
        share_execution_cache(out, cache)
    build = subprocess.run(
        [
            str(JUPYTER_BOOK),
            "build",
            str(source),
            "--path-output",
            str(out),
            "-W",
            "-n",
            "--keep-going",
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    return out / "_build" / "html"


@pytest.fixture(scope="session")
def execution_cache(tmp_path_factory) -> Path:
    """The execution cache of the builds of this checkout's website, shared within a session:
    the student and the instructor editions run the same chapters in the same folder."""
    return tmp_path_factory.mktemp("jupyter_cache")


@pytest.fixture(scope="session")
def site(tmp_path_factory, execution_cache) -> Path:
    """The student website, built once per test session."""
    return build_book(ROOT, tmp_path_factory.mktemp("site"), cache=execution_cache)


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
    """Lines that only the solution regions of a solution notebook contain.

    A line that the notebook also shows outside its solution regions (an instruction, a
    test cell) or that the course package contains (``for l in range(1, L + 1):``) is public
    and not counted; trivial lines (``return v``) are skipped.
    """
    inside, outside = [], set()
    for cell in nbs.read(path).cells:
        in_region = False
        for line in cell.source.splitlines():
            marker = line.strip()
            if marker in (nbs.BEGIN_SOLUTION, nbs.END_SOLUTION):
                in_region = marker == nbs.BEGIN_SOLUTION
            elif in_region and len(marker) > 12:
                inside.append(marker)
            else:
                outside.add(marker)
    public = " ".join(outside) + PACKAGE_SOURCE
    return [line for line in inside if line not in public]


PACKAGE_SOURCE = "".join(p.read_text() for p in sorted((ROOT / "descent").rglob("*.py")))
