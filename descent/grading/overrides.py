"""Instructors' overrides: set a learner's points on one function, with a reason.

The file is a CSV with the columns ``student_id``, ``function``, ``points`` and ``reason``.
An override replaces the grader's points on that function (shared over its tests in
proportion to their weight), and the learner's feedback shows it with its reason.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace

from descent.model import Graded


class OverrideError(ValueError):
    """An overrides file that cannot be applied."""


@dataclass(frozen=True)
class Override:
    student_id: str
    function: str
    points: float
    reason: str


def read(text: str) -> list[Override]:
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    needed = {"student_id", "function", "points", "reason"}
    if not rows.fieldnames or not needed <= set(rows.fieldnames):
        raise OverrideError(f"the overrides file needs the columns {', '.join(sorted(needed))}")
    found = []
    for number, row in enumerate(rows, start=2):
        try:
            points = float(row["points"])
        except ValueError:
            raise OverrideError(f"line {number}: points must be a number") from None
        found.append(
            Override(
                row["student_id"].strip(), row["function"].strip(), points, row["reason"].strip()
            )
        )
    return found


def check(overrides: list[Override], points: dict[str, int]) -> None:
    """Refuse, before grading, an override of an unknown function or beyond its points."""
    for o in overrides:
        if o.function not in points:
            raise OverrideError(f"{o.student_id}: {o.function} is not a graded function here")
        if not 0 <= o.points <= points[o.function]:
            raise OverrideError(
                f"{o.student_id}: {o.points:g} points on {o.function}, which is worth "
                f"{points[o.function]}"
            )


def apply(graded: Graded, overrides: list[Override]) -> None:
    """Apply the (checked) overrides of ``graded``'s learner."""
    for override in (o for o in overrides if o.student_id == graded.student_id):
        got, most = graded.function_score(override.function)
        graded.tests = [
            replace(t, score=override.points * t.max_score / most)
            if t.function == override.function
            else t
            for t in graded.tests
        ]
        graded.notes.append(
            f"{override.function}: {override.points:.2f} / {most:.2f} points set by the "
            f"instructor (the grader gave {got:.2f}): {override.reason}"
        )
