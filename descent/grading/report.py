"""Write grades: grades.csv, one Gradescope results.json per submission, a short summary.

Every file is written to a temporary name and renamed into place, so a crash never leaves a
half-written file behind.
"""

from __future__ import annotations

import csv
import io
import json
import os
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


def gradescope(graded: Graded) -> dict:
    """The Gradescope autograder results of one submission."""
    lines = [
        f"Exercise set: {graded.exercise_set or 'unknown'}",
        f"Score: {graded.score:.2f} / {graded.max_score:.2f}",
    ]
    lines += [f"Problem: {p}" for p in graded.problems]
    return {
        "score": round(graded.score, 4),
        "output": "\n".join(lines),
        "tests": [
            {
                "name": t.name,
                "score": round(t.score, 4),
                "max_score": round(t.max_score, 4),
                "output": t.output,
                "visibility": t.visibility,
            }
            for t in graded.tests
        ],
        "extra_data": {"isolation": graded.isolation, "seconds": round(graded.seconds, 2)},
    }


def grades_csv(results: list[Graded], functions: list[str]) -> str:
    """One row per submission, one column per graded function, then the total."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["submission", "exercise_set", *functions, "total", "max_total", "problems"])
    for graded in results:
        scores = [f"{graded.function_score(f)[0]:.2f}" for f in functions]
        writer.writerow(
            [
                graded.submission,
                graded.exercise_set,
                *scores,
                f"{graded.score:.2f}",
                f"{graded.max_score:.2f}",
                " | ".join(graded.problems),
            ]
        )
    return buffer.getvalue()


def summary(results: list[Graded], isolation: str, seconds: float) -> str:
    """A short human-readable report of the batch."""
    lines = [f"Graded {len(results)} submission(s) in {seconds:.1f} s; isolation: {isolation}.", ""]
    for graded in results:
        flag = f"  [{len(graded.problems)} problem(s)]" if graded.problems else ""
        lines.append(f"{graded.submission:40s} {graded.score:6.2f} / {graded.max_score:.2f}{flag}")
    if results:
        scores = sorted(g.score for g in results)
        lines += [
            "",
            f"median {scores[len(scores) // 2]:.2f}, min {scores[0]:.2f}, max {scores[-1]:.2f}",
        ]
    return "\n".join(lines) + "\n"


def unique_names(results: list[Graded]) -> list[str]:
    """File names for the per-submission results, made unique where submissions share one."""
    seen: dict[str, int] = {}
    names = []
    for graded in results:
        count = seen.get(graded.submission, 0)
        seen[graded.submission] = count + 1
        names.append(graded.submission + (f"-{count + 1}" if count else ""))
    return names


def write(
    out: Path, results: list[Graded], functions: list[str], isolation: str, seconds: float
) -> None:
    """Write every output of a grading batch into ``out``."""
    for name, graded in zip(unique_names(results), results, strict=True):
        atomic_write(
            out / "results" / f"{name}.json",
            json.dumps(gradescope(graded), indent=1, ensure_ascii=False) + "\n",
        )
    atomic_write(out / "grades.csv", grades_csv(results, functions))
    atomic_write(out / "summary.txt", summary(results, isolation, seconds))
