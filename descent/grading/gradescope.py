"""Gradescope's entry point: grade the notebooks in /autograder/submission.

A ``run_autograder`` script only needs ``python -m descent --root COURSE gradescope --set NAME``;
the results land in /autograder/results/results.json. The exercise set is the assignment's,
from that configuration: a file that claims another set scores zero, with a message.
"""

from __future__ import annotations

import json
import re
import shlex
import zipfile
from pathlib import Path

from descent.grading import grade, late, report, sandbox


def _refuse(target: Path, message: str) -> Path:
    report.atomic_write(target, json.dumps({"score": 0, "output": message, "tests": []}) + "\n")
    return target


def _policy(metadata_path: Path, per_day: float, cap: float) -> late.Policy | None:
    """The late policy, due at the assignment's due date from Gradescope's metadata."""
    if per_day <= 0 or not metadata_path.is_file():
        return None
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
        return late.Policy(late.parse_time(metadata["assignment"]["due_date"]), per_day, cap)
    except (ValueError, KeyError, TypeError):
        return None


def run_autograder(
    course: Path,
    submission: Path,
    results: Path,
    exercise_set: str | None = None,
    allow_unsandboxed: bool = False,
    hidden_visibility: str = "after_due_date",
    late_per_day: float = 0.0,
    late_cap: float = 100.0,
) -> Path:
    """Grade every notebook submitted against ``exercise_set`` and write results.json (the
    best-scoring notebook counts; the output lists them all); return its path."""
    target = results / "results.json"
    if not exercise_set:
        return _refuse(
            target,
            "The autograder is not configured: run_autograder must pass --set NAME "
            "(the assignment's exercise set). Please tell the instructor.",
        )
    if not grade.collect([submission]):
        return _refuse(target, "No .ipynb file was submitted.")
    metadata = submission.parent / "submission_metadata.json"
    try:
        graded = grade.grade(
            [submission],
            results / "descent",
            course,
            jobs=1,
            exercise_set=exercise_set,
            allow_unsandboxed=allow_unsandboxed,
            id_pattern=r"(?P<id>.+)",  # each notebook is its own row
            policy=_policy(metadata, late_per_day, late_cap),
        )
    except sandbox.Unsandboxed as error:
        return _refuse(target, f"The autograder cannot grade safely here: {error}.")
    best = max(graded, key=lambda g: g.adjusted)
    result = report.gradescope(best, hidden_visibility)
    if len(graded) > 1:
        listing = "; ".join(f"{report.display(g.submission)}: {g.adjusted:.2f}" for g in graded)
        result["output"] = report.clean(
            f"Graded {len(graded)} notebooks ({listing}); the best counts: "
            f"{report.display(best.submission)}.\n" + result["output"]
        )
    report.atomic_write(target, json.dumps(result, indent=1) + "\n")
    return target


GRADER_PACKAGES = ("numpy", "matplotlib", "scikit-learn", "nbformat")  # what grading imports
SETUP = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image. AUTOGRADER and
# PYTHON3 may name another tree and interpreter (the course's tests run it in a simulated one).
set -euo pipefail
AUTOGRADER="${AUTOGRADER:-/autograder}"
PYTHON3="${PYTHON3:-python3}"
if ! command -v bwrap >/dev/null || ! "$PYTHON3" -m venv --help >/dev/null 2>&1; then
    apt-get update
    apt-get install -y --no-install-recommends bubblewrap python3 python3-venv
fi
"$PYTHON3" -m venv "$AUTOGRADER/venv"
cd "$AUTOGRADER/source"
if [ -d wheels ]; then  # offline: the wheels packed into the zip
    "$AUTOGRADER/venv/bin/pip" install --no-index --find-links wheels -r requirements-grader.txt
else
    "$AUTOGRADER/venv/bin/pip" install -r requirements-grader.txt
fi
"""
RUN = """#!/usr/bin/env bash
# Gradescope runs this for every submission; AUTOGRADER and DESCENT_PYTHON are for tests.
set -euo pipefail
AUTOGRADER="${{AUTOGRADER:-/autograder}}"
PYTHON="${{DESCENT_PYTHON:-$AUTOGRADER/venv/bin/python}}"
cd "$AUTOGRADER/source"
exec "$PYTHON" -m descent --root "$AUTOGRADER/source" gradescope {options} \\
    --submission "$AUTOGRADER/submission" --results "$AUTOGRADER/results"
"""


def _pinned(course: Path, exercise_set: str) -> str:
    """The pinned requirements of grading ``exercise_set``, from the course's requirements."""
    wanted = GRADER_PACKAGES + (("tensorflow",) if exercise_set == "capstone" else ())
    lines = (course / "requirements.txt").read_text().splitlines()
    pins = [line.split("#")[0].strip() for line in lines]
    return "\n".join(p for p in pins if re.split(r"[=<>~ ]", p)[0] in wanted) + "\n"


def _course_files(course: Path):
    """The course files the autograder needs: the package, the solutions, the pins."""
    for folder, pattern in (("descent", "**/*.py"), ("descent", "expected/*.json")):
        yield from sorted((course / folder).glob(pattern))
    for name in ("hidden_cases.py", "mistakes.py"):
        yield course / "solutions" / name
    yield from sorted((course / "solutions").glob("*.ipynb"))
    for name in ("pyproject.toml", "README.md", "requirements.txt", "constraints.txt"):
        yield course / name


def package(
    course: Path,
    out: Path,
    exercise_set: str,
    hidden_visibility: str = "after_due_date",
    late_per_day: float = 0.0,
    late_cap: float = 100.0,
    wheels: Path | None = None,
) -> Path:
    """Write Gradescope's autograder zip: setup.sh, run_autograder, the course package,
    solutions and hidden cases, the pinned requirements (and ``wheels``, for offline setup)."""
    options = shlex.join(
        ["--set", exercise_set, "--hidden-visibility", hidden_visibility]
        + ["--late-per-day", f"{late_per_day:g}", "--late-cap", f"{late_cap:g}"]
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("setup.sh", SETUP), ("run_autograder", RUN.format(options=options))):
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o100755 << 16
            archive.writestr(info, text)
        archive.writestr("requirements-grader.txt", _pinned(course, exercise_set))
        for path in _course_files(course):
            if "__pycache__" not in path.parts:
                archive.write(path, path.relative_to(course).as_posix())
        for wheel in sorted(wheels.glob("*.whl")) if wheels else []:
            archive.write(wheel, f"wheels/{wheel.name}")
    return out
