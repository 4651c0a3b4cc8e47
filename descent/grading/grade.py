"""Grade a batch of submissions: read and identify, run each in its sandbox, score, report."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from descent.grading import report, runner, sandbox, score
from descent.grading.assignment import Assignment, load_assignments
from descent.grading.submission import Submission, read_submission
from descent.model import Graded


def collect(paths: list[Path]) -> list[Path]:
    """The files to grade: named files as given, and every notebook inside named folders."""
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        else:
            found.append(path)
    return found


def grade_submission(
    submission: Submission, assignments: dict[str, Assignment], kind: str, limits: sandbox.Limits
) -> Graded:
    """Grade one submission that has already been read."""
    assignment = assignments.get(submission.exercise_set)
    if assignment is None or not submission.cells:
        return score.zero(assignment, submission, kind)
    run = runner.run_tests(submission.cells, assignment.tests, kind, limits)
    return score.score(assignment, submission, run, kind)


def grade(
    paths: list[Path],
    out: Path,
    course: Path = Path("."),
    jobs: int = 2,
    exercise_set: str | None = None,
    isolation: str = "auto",
    limits: sandbox.Limits | None = None,
) -> list[Graded]:
    """Grade every submission under ``paths`` and write the reports into ``out``."""
    started, limits = time.monotonic(), limits or sandbox.Limits()
    kind = sandbox.isolation(isolation)
    assignments = load_assignments(course)
    files = collect(paths)
    if not exercise_set:
        seen = Counter(read_submission(p, assignments).exercise_set for p in files)
        seen.pop("", None)
        exercise_set = seen.most_common(1)[0][0] if seen else next(iter(assignments))
    assignment = assignments[exercise_set]
    for function in assignment.functions:  # compute reference outputs once, before threads
        assignment.expectation(function)
    submissions = [read_submission(p, assignments, exercise_set) for p in files]
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = list(
            pool.map(lambda s: grade_submission(s, assignments, kind, limits), submissions)
        )
    label = sandbox.BWRAP if kind == "bwrap" else sandbox.PROCESS
    report.write(out, results, assignment.functions, label, time.monotonic() - started)
    return results
