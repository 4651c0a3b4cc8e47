"""Feedback a learner can read: one HTML and one Markdown file per submission.

Each file gives the score per function, every visible test's diagnosis and first difference,
the hidden tests' diagnoses only (the grader's own words: never their inputs, expected values
or the learner's error messages) and the problems found. The files mirror the submissions'
layout inside the feedback folder, every part of each path made safe and unique.
"""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import PurePosixPath

from descent.grading import report
from descent.model import Graded


def _safe_part(part: str) -> str:
    """One path component as a plain file name: unsafe characters replaced, long ones
    shortened, a hash added wherever it changed."""
    safe = re.sub(r"[^A-Za-z0-9._ -]", "_", part).strip(" .") or "submission"
    if safe != part or len(safe) > 100:
        digest = hashlib.sha256(part.encode("utf-8", "surrogateescape")).hexdigest()[:8]
        safe = f"{safe[:100]}-{digest}"
    return safe


def paths(results: list[Graded]) -> list[str]:
    """For each submission, the path (without suffix) of its feedback, unique in the batch."""
    taken: set[str] = set()
    found = []
    for graded in results:
        parts = [_safe_part(p) for p in PurePosixPath(graded.submission).parts] or ["submission"]
        found.append(report.unused("/".join(parts), taken))
    return found


def _title(graded: Graded) -> str:
    who = graded.learner or graded.student_id or graded.submission
    return report.one_line(f"Feedback for {who}: {graded.exercise_set or 'unknown set'}")


def _late_line(graded: Graded) -> str:
    return (
        f"Submitted {graded.late_days:.2f} days late: the late policy takes "
        f"{graded.penalty:.2f} points, which leaves {graded.adjusted:.2f}."
    )


def _functions(graded: Graded) -> list[str]:
    return list(dict.fromkeys(t.function for t in graded.tests))


def markdown(graded: Graded) -> str:
    """The feedback as Markdown; every learner-influenced text sits in a code block."""

    def block(text: str) -> list[str]:
        text = report.clean(text)
        fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", text)), default=0))
        return [fence + "text", text, fence]

    lines = [f"# {_title(graded).replace('#', '')}", ""]
    lines += [f"**Total: {graded.score:.2f} / {graded.max_score:.2f}**", ""]
    if graded.penalty:
        lines += [_late_line(graded), ""]
    for function in _functions(graded):
        got, most = graded.function_score(function)
        lines += [f"## `{function}`: {got:.2f} / {most:.2f}", ""]
        for test in (t for t in graded.tests if t.function == function):
            lines += [f"- {test.score:.2f} / {test.max_score:.2f}", *block(test.name)]
            lines += [*block(test.output), ""]
    if graded.notes:
        lines += ["## From the instructor", ""]
        for note in graded.notes:
            lines += [*block(note), ""]
    if graded.problems:
        lines += ["## Problems", ""]
        for problem in graded.problems:
            lines += [*block(problem), ""]
    return "\n".join(lines) + "\n"


def page(graded: Graded) -> str:
    """The feedback as a self-contained HTML page; every text is escaped."""

    def esc(text: str) -> str:
        return html.escape(report.clean(text))

    body = [f"<h1>{esc(_title(graded))}</h1>"]
    body.append(f"<p><strong>Total: {graded.score:.2f} / {graded.max_score:.2f}</strong></p>")
    if graded.penalty:
        body.append(f"<p>{esc(_late_line(graded))}</p>")
    for function in _functions(graded):
        got, most = graded.function_score(function)
        body.append(f"<h2><code>{esc(function)}</code>: {got:.2f} / {most:.2f}</h2>")
        body.append("<table><tr><th>test</th><th>points</th><th>feedback</th></tr>")
        for test in (t for t in graded.tests if t.function == function):
            body.append(
                f"<tr><td>{esc(test.name)}</td><td>{test.score:.2f} / {test.max_score:.2f}</td>"
                f"<td><pre>{esc(test.output)}</pre></td></tr>"
            )
        body.append("</table>")
    if graded.notes:
        body.append("<h2>From the instructor</h2><ul>")
        body += [f"<li><pre>{esc(n)}</pre></li>" for n in graded.notes]
        body.append("</ul>")
    if graded.problems:
        body.append("<h2>Problems</h2><ul>")
        body += [f"<li><pre>{esc(p)}</pre></li>" for p in graded.problems]
        body.append("</ul>")
    style = (
        "body{font-family:sans-serif;max-width:60rem;margin:auto;padding:1rem}"
        "td,th{border:1px solid #ccc;padding:.3rem;vertical-align:top;text-align:left}"
        "table{border-collapse:collapse}pre{white-space:pre-wrap;margin:0}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(_title(graded))}</title><style>{style}</style></head>\n<body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def write(folder, results: list[Graded]) -> None:
    """Write ``<path>.html`` and ``<path>.md`` for every submission into ``folder``."""
    for name, graded in zip(paths(results), results, strict=True):
        report.atomic_write(folder / f"{name}.html", page(graded))
        report.atomic_write(folder / f"{name}.md", markdown(graded))
