"""Gradescope's entry point: grade the one notebook in /autograder/submission.

A ``run_autograder`` script only needs ``python -m descent --root COURSE gradescope``; the
results land in /autograder/results/results.json.
"""

from __future__ import annotations

import json
from pathlib import Path

from descent.grading import grade, report


def run_autograder(course: Path, submission: Path, results: Path) -> Path:
    """Grade the submitted notebook(s) and write results.json; return its path."""
    notebooks = grade.collect([submission])
    target = results / "results.json"
    if not notebooks:
        report.atomic_write(
            target,
            json.dumps({"score": 0, "output": "No .ipynb file was submitted.", "tests": []}) + "\n",
        )
        return target
    scratch = results / "descent"
    graded = grade.grade(notebooks[:1], scratch, course, jobs=1)
    report.atomic_write(target, json.dumps(report.gradescope(graded[0]), indent=1) + "\n")
    return target
