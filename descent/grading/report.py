"""Write grades: grades.csv, one Gradescope results.json per submission, a short summary.

Every file is written to a temporary name and renamed into place, so a crash never leaves a
half-written file behind. Names and messages may come from learners: every text is escaped
(invalid UTF-8, control characters, spreadsheet formulas) before it lands in a report.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
from pathlib import Path

from descent.model import Graded


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` all at once (temporary file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def clean(text: str) -> str:
    """``text`` as valid UTF-8: lone surrogates (from undecodable names too) as escapes."""
    return str(text).encode("utf-8", "backslashreplace").decode("utf-8")


def one_line(text: str) -> str:
    """``text`` on one line: newlines and other control characters escaped."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in clean(text))


def short(name: str, limit: int = 80) -> str:
    """A name shortened to ``limit`` characters, with a stable hash of the whole."""
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return f"{name[: limit - 11]}~{digest}"


def display(name: str) -> str:
    """How a submission's name is shown: one line, at most 80 characters."""
    return short(one_line(name))


def display_line(text: str) -> str:
    """A line of the summary: one line, at most 200 characters."""
    return short(one_line(text), 200)


def csv_cell(text: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    text = one_line(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def gradescope(graded: Graded, hidden_visibility: str | None = None) -> dict:
    """The Gradescope autograder results of one submission (hidden tests shown as
    ``hidden_visibility`` says, when given), its score after any late penalty."""
    lines = [
        f"Exercise set: {graded.exercise_set or 'unknown'}",
        f"Score: {graded.score:.2f} / {graded.max_score:.2f}",
    ]
    lines += [f"Problem: {one_line(p)}" for p in graded.problems]
    lines += [f"Instructor: {one_line(n)}" for n in graded.notes]
    if graded.penalty:
        lines.append(f"Late: {graded.late_days:.2f} days, {graded.penalty:.2f} points taken")
    return {
        "score": round(graded.adjusted, 4),
        "output": clean("\n".join(lines)),
        "tests": [
            {
                "name": clean(t.name),
                "score": round(t.score, 4),
                "max_score": round(t.max_score, 4),
                "output": clean(t.output),
                "visibility": (
                    hidden_visibility
                    if hidden_visibility and t.visibility != "visible"
                    else t.visibility
                ),
            }
            for t in graded.tests
        ],
        "extra_data": {"isolation": graded.isolation, "seconds": round(graded.seconds, 2)},
    }


def grades_csv(results: list[Graded], functions: list[str], late: bool = False) -> str:
    """One row per submission, one column per graded function, then the total; with
    ``late``, also the days late, the penalty and the adjusted total (the raw one kept)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    header = ["student_id", "name", "path", "exercise_set", *functions, "total", "max_total"]
    extra = ["late_days", "penalty", "adjusted_total"] if late else []
    writer.writerow([*header, *extra, "sandboxed", "problems"])
    for graded in results:
        scores = [f"{graded.function_score(f)[0]:.2f}" for f in functions]
        writer.writerow(
            [
                csv_cell(graded.student_id or graded.submission),
                csv_cell(graded.learner),
                csv_cell(graded.submission),
                csv_cell(graded.exercise_set),
                *scores,
                f"{graded.score:.2f}",
                f"{graded.max_score:.2f}",
                *(
                    [f"{graded.late_days:.2f}", f"{graded.penalty:.2f}", f"{graded.adjusted:.2f}"]
                    if late
                    else []
                ),
                "yes" if graded.isolation == "bwrap" else "NO (plain process)",
                csv_cell(" | ".join(graded.problems))[:2000],
            ]
        )
    return buffer.getvalue()


def course_csv(graded: dict[str, list[Graded]], assignments: dict) -> str:
    """One row per learner: the (adjusted) total of each exercise set, the course total."""
    learners: dict[str, dict] = {}
    for name, results in graded.items():
        for g in results:
            row = learners.setdefault(g.student_id, {"name": g.learner})
            row[name] = g.adjusted
    sets = list(graded)
    most = sum(sum(assignments[name].points.values()) for name in sets)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student_id", "name", *sets, "total", "max_total"])
    for student_id, row in sorted(learners.items()):
        cells = [f"{row[n]:.2f}" if n in row else "" for n in sets]
        total = sum(row.get(n, 0.0) for n in sets)
        writer.writerow(
            [csv_cell(student_id), csv_cell(row["name"]), *cells, f"{total:.2f}", f"{most:.2f}"]
        )
    return buffer.getvalue()


class MergeError(ValueError):
    """A regrade whose columns differ from those of the grades it would merge into."""


def check_merge(out: Path, functions: list[str], late: bool) -> None:
    """Refuse, before grading, to merge into a ``grades.csv`` with other columns."""
    path = out / "grades.csv"
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as file:
            header = next(csv.reader(file), [])
        wanted = next(csv.reader(io.StringIO(grades_csv([], functions, late))))
        if header != wanted:
            raise MergeError(
                f"{path} has other columns than this batch would write (another exercise set, "
                "or late columns with and without --due): merge into another folder"
            )


def merged(path: Path, table: str) -> str:
    """The rows of ``path`` with those of the same learners replaced by ``table``'s, in
    their place; new learners at the end."""
    with path.open(encoding="utf-8", newline="") as file:
        old = list(csv.reader(file))
    new = list(csv.reader(io.StringIO(table)))
    fresh = {row[0]: row for row in new[1:]}
    rows = [fresh.pop(row[0], row) for row in old[1:]]
    rows += [row for row in new[1:] if row[0] in fresh]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([new[0], *rows])
    return buffer.getvalue()


def summary(results: list[Graded], isolation: str, seconds: float, notes: list[str] = ()) -> str:
    """A short human-readable report of the batch, with ``notes`` (the roster's) at the end."""
    lines = [f"Graded {len(results)} submission(s) in {seconds:.1f} s; isolation: {isolation}.", ""]
    for graded in results:
        flag = f"  [{len(graded.problems)} problem(s)]" if graded.problems else ""
        name = display(graded.submission)
        lines.append(f"{name:40s} {graded.score:6.2f} / {graded.max_score:.2f}{flag}")
    if results:
        scores = sorted(g.score for g in results)
        lines += [
            "",
            f"median {scores[len(scores) // 2]:.2f}, min {scores[0]:.2f}, max {scores[-1]:.2f}",
        ]
    if notes:
        lines += ["", *(display_line(n) for n in notes)]
    return "\n".join(lines) + "\n"


def unique_names(results: list[Graded]) -> list[str]:
    """File names for the per-submission results, one per submission and never shared: the
    learner's id (else the submission's relative path) with unsafe characters replaced, plus
    a hash where that changed it, plus a number where two still coincide."""
    taken: set[str] = set()
    names = []
    for graded in results:
        own = graded.student_id or graded.submission
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", own).lstrip(".") or "submission"
        if safe != own or len(safe) > 100:
            digest = hashlib.sha256(own.encode("utf-8", "surrogateescape"))
            safe = f"{safe[:100]}-{digest.hexdigest()[:8]}"
        names.append(unused(safe, taken))
    return names


def unused(base: str, taken: set[str]) -> str:
    """``base``, or ``base~2``, ``base~3``, ...: the first name not in ``taken`` (compared
    without case, as some file systems do), which it then joins."""
    name, number = base, 1
    while name.lower() in taken:
        number += 1
        name = f"{base}~{number}"
    taken.add(name.lower())
    return name


def write(
    out: Path,
    results: list[Graded],
    functions: list[str],
    isolation: str,
    seconds: float,
    notes: list[str] = (),
    late: bool = False,
    merge: bool = False,
) -> None:
    """Write every output of a grading batch into ``out``; with ``merge``, these learners'
    rows replace theirs in the ``grades.csv`` already there, and the other rows stay."""
    for name, graded in zip(unique_names(results), results, strict=True):
        atomic_write(
            out / "results" / f"{name}.json",
            json.dumps(gradescope(graded), indent=1, ensure_ascii=False) + "\n",
        )
    table = grades_csv(results, functions, late)
    if merge and (out / "grades.csv").is_file():
        table = merged(out / "grades.csv", table)
    atomic_write(out / "grades.csv", table)
    atomic_write(out / "summary.txt", summary(results, isolation, seconds, notes))
