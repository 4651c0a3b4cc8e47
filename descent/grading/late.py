"""Late work: when each learner submitted, and the penalty the course's policy takes.

Timestamps come from an explicit CSV (``student_id,timestamp``), else nbgrader's
``timestamp.txt`` beside the notebook, else Gradescope's ``submission_metadata.json``
(``created_at``). A time without a zone is read as UTC. The raw score is always kept; the
penalty is a share of the maximum per started day late, at most ``cap`` percent, and
everything after ``cutoff`` scores zero.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from descent.grading.submission import read_bytes


class LateError(ValueError):
    """A due date, cut-off or timestamp that cannot be read."""


def parse_time(text: str) -> datetime:
    """An ISO 8601 time (``2026-12-01T23:59``, nbgrader's ``2026-12-01 23:59:00.1 UTC``)."""
    text = text.strip()
    if text.endswith(" UTC") or text.endswith("Z"):
        text = text.removesuffix(" UTC").removesuffix("Z") + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise LateError(f"not a date and time: {text[:60]!r} (use 2026-12-01T23:59)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Policy:
    due: datetime
    per_day: float = 0.0  # percent of the maximum taken per started day late
    cap: float = 100.0  # the most percent taken
    cutoff: datetime | None = None  # after this, the score is zero

    def penalty(self, submitted: datetime | None, score: float, most: float) -> tuple[float, float]:
        """(days late, points taken) for a submission of ``score`` out of ``most``."""
        if submitted is None or submitted <= self.due:
            return 0.0, 0.0
        days = (submitted - self.due).total_seconds() / 86400
        if self.cutoff is not None and submitted > self.cutoff:
            return days, score
        share = min(self.cap, self.per_day * math.ceil(days)) / 100
        return days, min(score, share * most)


def read_timestamps(text: str) -> dict[str, datetime]:
    """Times by learner id from a CSV with ``student_id`` and ``timestamp`` columns."""
    rows = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if not rows.fieldnames or not {"student_id", "timestamp"} <= set(rows.fieldnames):
        raise LateError("the timestamps file needs the columns student_id and timestamp")
    return {row["student_id"].strip(): parse_time(row["timestamp"]) for row in rows}


def found_timestamp(notebook: Path) -> datetime | None:
    """The time nbgrader (``timestamp.txt``) or Gradescope (``submission_metadata.json`` one
    folder up) recorded for the submission holding ``notebook``; None when there is none."""
    for path, read in (
        (notebook.parent / "timestamp.txt", lambda data: data.decode("utf-8")),
        (
            notebook.parent.parent / "submission_metadata.json",
            lambda data: json.loads(data)["created_at"],
        ),
    ):
        if path.is_file() and not path.is_symlink():
            try:
                return parse_time(read(read_bytes(path)))
            except (ValueError, KeyError, TypeError, UnicodeDecodeError):
                return None
    return None
