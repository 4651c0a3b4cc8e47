"""Grade a batch of submissions: read and identify, run each in its sandbox, score, report.

No submission can stop the batch: whatever goes wrong while one is read, run, judged or
reported becomes a problem line on that submission (and a score of zero where it applies).
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from descent.grading import (
    feedback,
    identity,
    late,
    overrides,
    report,
    runner,
    sandbox,
    score,
    warmup,
)
from descent.grading.assignment import Assignment, load_assignments
from descent.grading.progress import Progress
from descent.grading.submission import Submission, read_submission, sets_in
from descent.model import Graded

MAX_DEPTH = 32  # folders below a given folder that are searched for notebooks


class SetMismatch(ValueError):
    """The batch's exercise set cannot be told without ``--set``."""


def collect(paths: list[Path]) -> list[tuple[Path, str]]:
    """The files to grade, with their names: named files as given (named by their stem), and
    every notebook inside named folders (named by their path relative to that folder)."""
    found = []
    for path in paths:
        if path.is_dir() and not path.is_symlink():
            found += _notebooks_in(path)
        else:
            found.append((path, os.fsdecode(path.stem)))
    return found


def _notebooks_in(folder: Path) -> list[tuple[Path, str]]:
    """Every ``*.ipynb`` below ``folder`` (symbolic links to folders are not followed)."""
    found, stack = [], [(folder, 0)]
    while stack:
        current, depth = stack.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue
        for entry in entries:
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                if depth < MAX_DEPTH and entry.name != ".ipynb_checkpoints":
                    stack.append((path, depth + 1))
            elif entry.name.endswith(".ipynb"):
                name = os.fsdecode(path.relative_to(folder).with_suffix(""))
                found.append((path, name))
    return sorted(found, key=lambda item: item[1].encode("utf-8", "surrogateescape"))


def choose_set(files: list[tuple[Path, str]], assignments: dict[str, Assignment]) -> str:
    """The one exercise set the submissions declare; refuse to guess when they disagree."""
    seen = Counter(read_submission(p, assignments, name=n).exercise_set for p, n in files)
    seen.pop("", None)
    if len(seen) == 1:
        return next(iter(seen))
    if not seen:
        raise SetMismatch("no submission is one of the course's exercise sets: pass --set NAME")
    listing = ", ".join(f"{name} ({count})" for name, count in seen.most_common())
    raise SetMismatch(
        f"the submissions are of different exercise sets: {listing}. Grade each set on its "
        "own with --set NAME (a submission of another set then scores zero, with a message)"
    )


def shard_of(items: list, index: int, count: int) -> list:
    """The ``index``-th (from 1) of ``count`` contiguous, nearly equal parts of ``items``:
    every shard sees the same sorted batch, so the parts, joined in order, are the batch."""
    if not 1 <= index <= count:
        raise ValueError(f"shard {index}/{count}: the index runs from 1 to {count}")
    return items[len(items) * (index - 1) // count : len(items) * index // count]


def grade_submission(
    submission: Submission, assignment: Assignment, kind: str, limits: sandbox.Limits
) -> Graded:
    """Grade one submission, already read, as ``assignment``; never raises."""
    try:
        if submission.exercise_set != assignment.name or not submission.cells:
            return score.zero(assignment, submission, kind)
        run = runner.run_tests(submission.cells, assignment.tests, kind, limits)
        return score.score(assignment, submission, run, kind)
    except Exception as error:  # noqa: BLE001 - one submission must not stop the batch
        submission.problems.append(
            f"the grader failed on this submission ({type(error).__name__}); it scores 0: "
            "please tell the instructor"
        )
        return score.zero(assignment, submission, kind)


def grade(
    paths: list[Path],
    out: Path,
    course: Path = Path("."),
    jobs: int = 2,
    exercise_set: str | None = None,
    isolation: str = "auto",
    limits: sandbox.Limits | None = None,
    allow_unsandboxed: bool = False,
    layout: str = "auto",
    id_pattern: str | None = None,
    roster: dict[str, identity.Learner] | None = None,
    feedback_dir: Path | None = None,
    policy: late.Policy | None = None,
    timestamps: dict | None = None,
    changes: list[overrides.Override] = (),
    merge: bool = False,
    shard: tuple[int, int] | None = None,
    only: set[Path] | None = None,
) -> list[Graded]:
    """Grade every submission under ``paths`` and write the reports into ``out``.

    Each submission's learner id comes from ``layout`` or ``id_pattern`` (see
    :mod:`identity`); two submissions of one id stop the batch before anything is graded.
    With ``feedback_dir``, each learner's feedback goes there too (see :mod:`feedback`); with
    a late ``policy``, each submission's time comes from ``timestamps`` (by id) or from the
    files beside it (see :mod:`late`)."""
    started, limits = time.monotonic(), limits or sandbox.Limits()
    files = [f for f in collect(paths) if only is None or f[0] in only]
    ids = identity.student_ids([name for _, name in files], layout, id_pattern)
    identity.refuse_duplicates(ids, [name for _, name in files])
    kind = sandbox.isolation(isolation, allow_unsandboxed)
    if kind == "process":
        print(
            f"WARNING: descent grade runs these submissions UNSANDBOXED: {sandbox.PROCESS}",
            file=sys.stderr,
        )
    warmup.prepare()
    sandbox.check_package(kind, limits)
    assignments = load_assignments(course)
    exercise_set = exercise_set or choose_set(files, assignments)
    assignment = assignments[exercise_set]
    everyone = ids
    if shard is not None:
        files, ids = shard_of(files, *shard), shard_of(ids, *shard)
    overrides.check(list(changes), assignment.points)
    if merge:
        report.check_merge(out, assignment.functions, policy is not None)
    for function in assignment.functions:  # compute reference outputs once, before threads
        assignment.expectation(function)
    submissions = [read_submission(p, assignments, exercise_set, name) for p, name in files]
    if kind == "process":
        sandbox.adopt_orphans()
    progress = Progress(len(submissions))

    def one(submission: Submission) -> Graded:
        graded = grade_submission(submission, assignment, kind, limits)
        progress.step()
        return graded

    try:
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            results = list(pool.map(one, submissions))
    finally:
        progress.close()
        if kind == "process":  # nothing of a submission may outlive the batch
            sandbox.kill_orphans()
            sandbox.release_orphans()
    roster = roster or {}
    for graded, student_id, (path, _) in zip(results, ids, files, strict=True):
        graded.student_id = student_id
        graded.learner = roster[student_id].name if student_id in roster else ""
        overrides.apply(graded, list(changes))
        if policy is not None:
            submitted = (timestamps or {}).get(student_id) or late.found_timestamp(path)
            graded.late_days, graded.penalty = policy.penalty(
                submitted, graded.score, graded.max_score
            )
    label = sandbox.BWRAP if kind == "bwrap" else sandbox.PROCESS
    notes = identity.roster_lines(roster, everyone) if roster else []
    seconds = time.monotonic() - started
    report.write(
        out, results, assignment.functions, label, seconds, notes, policy is not None, merge
    )
    if feedback_dir is not None:
        feedback.write(feedback_dir, results)
    return results


def grade_course(paths: list[Path], out: Path, course: Path = Path("."), **options) -> dict:
    """Grade every exercise set found under ``paths``, each into ``out/<set>/`` (a notebook
    holding several sets is graded against each), and write ``out/course.csv``: one row per
    learner, the total of each set and the course total. ``options`` go to :func:`grade`;
    feedback goes into a folder per set, and each set takes the overrides of its functions."""
    assignments = load_assignments(course)
    members: dict[str, set[Path]] = {name: set() for name in assignments}
    for path, _ in collect(paths):
        for name in sets_in(path, assignments):
            members[name].add(path)
    feedback_dir, changes = options.pop("feedback_dir", None), options.pop("changes", ())
    graded = {}
    for name, chosen in members.items():
        if chosen:
            graded[name] = grade(
                paths,
                out / name,
                course,
                exercise_set=name,
                only=chosen,
                feedback_dir=feedback_dir / name if feedback_dir else None,
                changes=[c for c in changes if c.function in assignments[name].points],
                **options,
            )
    report.atomic_write(out / "course.csv", report.course_csv(graded, assignments))
    return graded
