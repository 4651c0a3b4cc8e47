"""Who each submission belongs to: the learner's id from the layout, and the class roster.

Layouts understood (paths relative to the folder given to ``descent grade``):

- a folder per learner: ``<id>/<notebook>.ipynb``, or nbgrader's
  ``submitted/<id>/<assignment>/<notebook>.ipynb`` (also given as the ``submitted`` folder);
- a flat folder of files: the id is the file's name without ``.ipynb``;
- Canvas downloads: ``<name>_<id>_<subid>_<file>`` (late ones ``<name>_LATE_<id>_...``);
- Moodle downloads: ``<Full Name>_<id>_assignsubmission_file_/<file>``;
- any other: ``--id-pattern REGEX`` with a named group ``id``, searched in the relative path.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import PurePosixPath

PRESETS = {
    "canvas": r"(?:^|/)(?P<name>[^/_]+)_(?:LATE_)?(?P<id>\d+)_(?P<subid>\d+)_[^/]+$",
    "moodle": r"(?:^|/)(?P<name>[^/]+?)_(?P<id>\d+)_assign(?:submission|feedback)_[a-z]+_?/",
}
NBGRADER_FOLDERS = ("submitted", "autograded")  # nbgrader's folders above the learners'
ID_COLUMNS = ("student_id", "id", "sis user id", "identifier", "username", "login id", "idnumber")
NAME_COLUMNS = ("name", "student", "full name")
EMAIL_COLUMNS = ("email", "email address")


class IdentityError(ValueError):
    """The learners cannot be told apart: the batch stops before grading."""


class DuplicateIds(IdentityError):
    """Two submissions belong to the same learner: grading them would lose one."""


class BadPattern(IdentityError):
    """``--id-pattern`` is not a regular expression with a group named ``id``."""


def compile_pattern(layout: str = "auto", id_pattern: str | None = None) -> re.Pattern | None:
    """The pattern that finds ids in relative paths; None for the folder/file layout."""
    if id_pattern:
        try:
            pattern = re.compile(id_pattern)
        except re.error as error:
            raise BadPattern(f"--id-pattern is not a regular expression ({error})") from None
        if "id" not in pattern.groupindex:
            raise BadPattern("--id-pattern needs a named group for the id: (?P<id>...)")
        return pattern
    return re.compile(PRESETS[layout]) if layout in PRESETS else None


def detect(names: list[str]) -> str:
    """The LMS download whose pattern every name matches; else the folder/file layout."""
    for layout, pattern in PRESETS.items():
        if names and all(re.search(pattern, n) for n in names):
            return layout
    return "folder"


def from_layout(name: str) -> str:
    """The id of a submission named by its relative path (folder per learner, or file)."""
    parts = PurePosixPath(name).parts
    if len(parts) > 1 and parts[0] in NBGRADER_FOLDERS:
        parts = parts[1:]
    return parts[0] if len(parts) > 1 else PurePosixPath(name).name


def student_ids(names: list[str], layout: str = "auto", id_pattern: str | None = None):
    """The id of each submission (by relative path without ``.ipynb``), in order."""
    if layout == "auto" and not id_pattern:
        layout = detect(names)
    pattern = compile_pattern(layout, id_pattern)
    ids = []
    for name in names:
        found = pattern.search(name) if pattern else None
        ids.append(found.group("id") if found and found.group("id") else from_layout(name))
    return ids


def refuse_duplicates(ids: list[str], names: list[str]) -> None:
    """Raise DuplicateIds listing every id that more than one submission has."""
    paths = defaultdict(list)
    for student_id, name in zip(ids, names, strict=True):
        paths[student_id].append(name)
    twice = {i: p for i, p in paths.items() if len(p) > 1}
    if twice:
        listing = "; ".join(f"{i}: {', '.join(p)}" for i, p in sorted(twice.items())[:20])
        raise DuplicateIds(
            f"{len(twice)} learner id(s) have more than one submission ({listing}). Keep one "
            "notebook per learner (or grade one exercise set at a time), or give "
            "--id-pattern / --layout so that each id is found"
        )


@dataclass(frozen=True)
class Learner:
    student_id: str
    name: str = ""
    email: str = ""


def _column(header: list[str], choices: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((lowered.index(c) for c in choices if c in lowered), None)


def read_roster(text: str) -> dict[str, Learner]:
    """Learners by id from a roster CSV (id, name, email: the columns an LMS exports).

    Moodle's "Participant 1234" identifiers are read as 1234; a name may also come from
    "First name" and "Last name" columns."""
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows:
        return {}
    header, lowered = rows[0], [h.strip().lower() for h in rows[0]]
    id_at = _column(header, ID_COLUMNS)
    if id_at is None:
        raise IdentityError(f"the roster has no id column (one of: {', '.join(ID_COLUMNS)})")
    name_at, email_at = _column(header, NAME_COLUMNS), _column(header, EMAIL_COLUMNS)
    first = lowered.index("first name") if "first name" in lowered else None
    last = lowered.index("last name") if "last name" in lowered else None
    learners = {}
    for row in rows[1:]:
        cell = row + [""] * (len(header) - len(row))
        student_id = re.sub(r"^Participant\s+", "", cell[id_at].strip())
        if not student_id:
            continue
        name = cell[name_at].strip() if name_at is not None else ""
        if not name and first is not None and last is not None:
            name = f"{cell[first].strip()} {cell[last].strip()}".strip()
        email = cell[email_at].strip() if email_at is not None else ""
        learners[student_id] = Learner(student_id, name, email)
    return learners


def roster_lines(roster: dict[str, Learner], ids: list[str]) -> list[str]:
    """Lines for the summary: learners with no submission, submissions with no learner."""
    lines = []
    missing = [learner for i, learner in roster.items() if i not in set(ids)]
    if missing:
        lines.append(f"No submission from {len(missing)} learner(s) of the roster:")
        lines += [f"  {m.student_id}  {m.name}" for m in missing]
    strangers = [i for i in ids if i not in roster]
    if strangers:
        lines.append(f"{len(strangers)} submission(s) from ids not on the roster:")
        lines += [f"  {i}" for i in strangers]
    return lines
