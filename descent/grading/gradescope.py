"""Gradescope's entry point: grade the one notebook in /autograder/submission.

A ``run_autograder`` script only needs ``python -m descent --root COURSE gradescope --set NAME``;
the results land in /autograder/results/results.json. The exercise set is the assignment's,
from that configuration: a file that claims another set scores zero, with a message.
"""

from __future__ import annotations

import json
from pathlib import Path

from descent.grading import grade, report, sandbox


def _refuse(target: Path, message: str) -> Path:
    report.atomic_write(target, json.dumps({"score": 0, "output": message, "tests": []}) + "\n")
    return target


def run_autograder(
    course: Path,
    submission: Path,
    results: Path,
    exercise_set: str | None = None,
    allow_unsandboxed: bool = False,
) -> Path:
    """Grade the submitted notebook against ``exercise_set``; write results.json, return it."""
    target = results / "results.json"
    if not exercise_set:
        return _refuse(
            target,
            "The autograder is not configured: run_autograder must pass --set NAME "
            "(the assignment's exercise set). Please tell the instructor.",
        )
    notebooks = grade.collect([submission])
    if not notebooks:
        return _refuse(target, "No .ipynb file was submitted.")
    try:
        graded = grade.grade(
            [notebooks[0][0]],
            results / "descent",
            course,
            jobs=1,
            exercise_set=exercise_set,
            allow_unsandboxed=allow_unsandboxed,
        )
    except sandbox.Unsandboxed as error:
        return _refuse(target, f"The autograder cannot grade safely here: {error}.")
    report.atomic_write(target, json.dumps(report.gradescope(graded[0]), indent=1) + "\n")
    return target
