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


class Build:
    """A website build with warnings as errors, running in the background. With ``cache``, it
    shares that execution cache (see share_execution_cache)."""

    def __init__(self, source: Path, out: Path, *options: str, cache: Path | None = None):
        if cache is not None:
            share_execution_cache(out, cache)
        out.mkdir(parents=True, exist_ok=True)
        self.out, self.log = out, out.with_name(f"{out.name}-build.log")
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                [str(JUPYTER_BOOK), "build", str(source), "--path-output", str(out)]
                + ["-W", "-n", "--keep-going", *options],
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def html(self, timeout: float = 900) -> Path:
        """Wait for the build to succeed; return its HTML folder."""
        try:
            returncode = self.process.wait(timeout)
        finally:
            self.stop()
        assert returncode == 0, self.log.read_text()[-6000:]
        return self.out / "_build" / "html"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def build_book(source: Path, out: Path, *options: str, cache: Path | None = None) -> Path:
    """Build a website with warnings as errors; return its HTML folder."""
    return Build(source, out, *options, cache=cache).html()


@pytest.fixture(scope="session")
def execution_cache(tmp_path_factory) -> Path:
    """The execution cache of the builds of this checkout's website, shared within a session:
    the student and the instructor editions run the same chapters in the same folder."""
    return tmp_path_factory.mktemp("jupyter_cache")


def student_site(tmp_path_factory, execution_cache) -> Build:
    """The student website of this checkout (``make book``)."""
    return Build(ROOT, tmp_path_factory.mktemp("site"), cache=execution_cache)


def student_edition_site(tmp_path_factory, execution_cache) -> Build:
    """The student edition (``python -m descent release``) building its own website with its
    own execution cache: its chapters run in the edition, with the edition's files only."""
    from descent import release

    edition = release.release(ROOT, tmp_path_factory.mktemp("release") / "student")
    return Build(edition, edition)


BUILDS = {"site": student_site, "release_site": student_edition_site}


def waits_for_a_build(item) -> bool:
    return not BUILDS.keys().isdisjoint(getattr(item, "fixturenames", ()))


def pytest_collection_modifyitems(items):
    """The tests that read a built website run last: it builds meanwhile (background_builds)."""
    items.sort(key=waits_for_a_build)  # stable: the order is kept within both groups


@pytest.fixture(scope="session", autouse=True)
def background_builds(request, tmp_path_factory, execution_cache) -> dict:
    """The websites that this session's tests read, each started as the session starts: the
    builds run beside the tests that need none, on the second core."""
    needed = {name for item in request.session.items for name in getattr(item, "fixturenames", ())}
    builds = {
        name: start(tmp_path_factory, execution_cache)
        for name, start in BUILDS.items()
        if name in needed
    }
    yield builds
    for build in builds.values():
        build.stop()


@pytest.fixture(scope="session")
def site(background_builds) -> Path:
    """The student website, built once per test session."""
    return background_builds["site"].html()


@pytest.fixture(scope="session")
def release_site(background_builds) -> Path:
    """The website of the student edition, built in the edition (``_build/html``)."""
    return background_builds["release_site"].html()


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
