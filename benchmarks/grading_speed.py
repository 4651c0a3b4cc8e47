"""How fast the grader works: submissions graded per minute, beside a bare notebook run.

Builds a batch of submissions from one solution notebook (solutions, stubs and wrong
variants), grades it with ``descent.grading`` (isolation on, two workers), then executes the
same notebooks top to bottom with nbclient, two at a time, as ``jupyter nbconvert --execute``
or an nbgrader autograde run would. Prints both rates and their ratio.

    .venv/bin/python benchmarks/grading_speed.py [--set gradient_descent] [--count 50]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from nbclient import NotebookClient

from descent import notebooks as nbs
from descent.grading import grade, sandbox

ROOT = Path(__file__).resolve().parents[1]


def make_batch(folder: Path, exercise_set: str, count: int) -> list[Path]:
    """``count`` submissions: mostly solutions, every fifth a stub, every seventh a typo."""
    solution = nbs.read(ROOT / "solutions" / f"{exercise_set}.ipynb")
    stub = nbs.read(ROOT / "exercises" / f"{exercise_set}.ipynb")
    paths = []
    for i in range(count):
        path = folder / f"learner{i:03d}_{exercise_set}.ipynb"
        nbs.write(stub if i % 5 == 4 else solution, path)
        if i % 7 == 6:  # a sign error wherever the set has one to make
            path.write_text(path.read_text().replace(" - learning_rate", " + learning_rate"))
        paths.append(path)
    return paths


def bare_run(paths: list[Path], jobs: int) -> None:
    """Execute every notebook top to bottom, errors allowed, like nbconvert --execute."""

    def execute(path: Path) -> None:
        nb = nbs.read(path)
        NotebookClient(
            nb,
            timeout=600,
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(execute, paths))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="exercise_set", default="gradient_descent")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    kind = sandbox.isolation("auto", allow_unsandboxed=True)  # the course's own notebooks
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        paths = make_batch(folder, args.exercise_set, args.count)
        started = time.perf_counter()
        grade.grade(
            paths,
            folder / "out",
            ROOT,
            jobs=args.jobs,
            exercise_set=args.exercise_set,
            allow_unsandboxed=True,
        )
        graded = time.perf_counter() - started
        started = time.perf_counter()
        bare_run(paths, args.jobs)
        bare = time.perf_counter() - started
    rate, bare_rate = args.count / graded * 60, args.count / bare * 60
    print(
        f"exercise set {args.exercise_set}, {args.count} submissions, {args.jobs} workers, "
        f"isolation: {kind}"
    )
    print(f"grader (all visible + hidden tests): {graded:7.1f} s  {rate:7.1f} submissions/min")
    print(f"bare notebook execution (nbclient):  {bare:7.1f} s  {bare_rate:7.1f} submissions/min")
    print(f"ratio grader / bare: {rate / bare_rate:.2f}")


if __name__ == "__main__":
    main()
