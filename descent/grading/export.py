"""Grades in the files an LMS imports, filled in from the LMS's own roster export.

- Canvas: the gradebook export (Gradebook > Export), whose first columns are ``Student``,
  ``ID``, ``SIS User ID``, ``SIS Login ID`` and ``Section``, possibly followed by a
  ``Points Possible`` row. The import file keeps those columns and rows and adds one column
  for the assignment (``Name`` creates it on import, ``Name (1234)`` updates assignment 1234).
- Moodle: the assignment's grading worksheet (Assignment > Download grading worksheet), with
  ``Identifier`` (``Participant 1234``) and ``Grade`` columns: the ``Grade`` column is
  filled in and every other cell is written back unchanged.

Learners without a grade keep an empty cell (the LMS then leaves them as they are).
"""

from __future__ import annotations

import csv
import io
import re

CANVAS_IDENTITY = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


class ExportError(ValueError):
    """The roster export is not the LMS file that was expected."""


def read_totals(grades_csv: str) -> tuple[dict[str, float], float]:
    """The total of each learner in a ``grades.csv`` written by ``descent grade`` (after
    the late penalty, if one was applied), and the most points there are."""
    rows = list(csv.DictReader(io.StringIO(grades_csv)))
    column = "adjusted_total" if rows and "adjusted_total" in rows[0] else "total"
    totals = {row["student_id"].lstrip("'"): float(row[column]) for row in rows}
    return totals, max((float(row["max_total"]) for row in rows), default=0.0)


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def _write(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def canvas(export: str, totals: dict[str, float], assignment: str, points: float) -> str:
    """The Canvas gradebook import: the export's identity columns and one assignment column
    with each learner's total (learners are matched by Canvas's ``ID``)."""
    rows = _rows(export)
    if not rows or rows[0][: len(CANVAS_IDENTITY)] != CANVAS_IDENTITY:
        raise ExportError(
            f"not a Canvas gradebook export: its first columns must be {', '.join(CANVAS_IDENTITY)}"
        )
    width = len(CANVAS_IDENTITY)
    out = [[*CANVAS_IDENTITY, assignment]]
    for row in rows[1:]:
        row = (row + [""] * width)[:width]
        if row[0].strip() == "Points Possible":
            out.append([*row, f"{points:.2f}"])
        elif row[0].strip() or row[1].strip():
            total = totals.get(row[1].strip())
            out.append([*row, "" if total is None else f"{total:.2f}"])
    return _write(out)


def moodle(worksheet: str, totals: dict[str, float]) -> str:
    """The Moodle grading worksheet with its ``Grade`` column filled in."""
    rows = _rows(worksheet)
    header = rows[0] if rows else []
    if "Identifier" not in header or "Grade" not in header:
        raise ExportError("not a Moodle grading worksheet: it has no Identifier and Grade columns")
    at, grade_at = header.index("Identifier"), header.index("Grade")
    out = [header]
    for row in rows[1:]:
        row = row + [""] * (len(header) - len(row))
        student_id = re.sub(r"^Participant\s+", "", row[at].strip())
        if student_id in totals:
            row[grade_at] = f"{totals[student_id]:.2f}"
        out.append(row)
    return _write(out)
