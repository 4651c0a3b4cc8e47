"""LMS exports: a sample Canvas gradebook export and a Moodle grading worksheet go through
``descent export`` and come back with the grades, every other cell as it was."""

import csv
import io

import pytest

from descent.__main__ import main
from descent.grading import export

GRADES = (
    "student_id,name,path,exercise_set,f,total,max_total,problems\n"
    "1001,Lovelace Ada,a,minibatches,3.00,3.00,3.00,\n"
    "1002,,b,minibatches,1.50,1.50,3.00,\n"
    "2001,,c,minibatches,2.25,2.25,3.00,\n"
)
CANVAS = (
    "\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,Quiz 1 (77),Current Score\n"
    "    Points Possible,,,,,10.00,(read only)\n"
    '"Lovelace, Ada",1001,s1,ada,A,9.00,90\n'
    '"Babbage, Charles",1002,s2,cb,A,,\n'
    '"Hopper, Grace",1003,s3,gh,B,7.00,70\n'
)
MOODLE = (
    "Identifier,Full name,Email address,Status,Grade,Maximum Grade,Grade can be changed,"
    "Last modified (submission),Last modified (grade),Feedback comments\n"
    "Participant 2001,Ada Lovelace,a@x.org,Submitted for grading,,3.00,Yes,"
    '"Monday, 1 December 2026, 10:00 AM",-,\n'
    "Participant 2002,Grace Hopper,g@x.org,No submission,,3.00,Yes,-,-,\n"
)


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_canvas_import_round_trips_the_roster(tmp_path):
    (tmp_path / "grades.csv").write_text(GRADES)
    (tmp_path / "export.csv").write_text(CANVAS, encoding="utf-8")
    main(
        ["export", "canvas", str(tmp_path / "grades.csv"), "--roster", str(tmp_path / "export.csv")]
        + ["--out", str(tmp_path / "import.csv"), "--assignment", "Optimizers (descent)"]
    )
    got = table((tmp_path / "import.csv").read_text(encoding="utf-8"))
    assert got == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Optimizers (descent)"],
        ["    Points Possible", "", "", "", "", "3.00"],
        ["Lovelace, Ada", "1001", "s1", "ada", "A", "3.00"],
        ["Babbage, Charles", "1002", "s2", "cb", "A", "1.50"],
        ["Hopper, Grace", "1003", "s3", "gh", "B", ""],
    ]


def test_moodle_worksheet_round_trips_with_its_grade_column_filled(tmp_path):
    totals, _ = export.read_totals(GRADES)
    got = table(export.moodle(MOODLE, totals))
    sent = table(MOODLE)
    assert got[0] == sent[0]
    grade = sent[0].index("Grade")
    assert [row[grade] for row in got[1:]] == ["2.25", ""]
    for before, after in zip(sent[1:], got[1:], strict=True):
        assert before[:grade] + before[grade + 1 :] == after[:grade] + after[grade + 1 :]


def test_a_roster_of_the_wrong_kind_is_refused():
    with pytest.raises(export.ExportError, match="not a Canvas gradebook export"):
        export.canvas(MOODLE, {}, "x", 3.0)
    with pytest.raises(export.ExportError, match="not a Moodle grading worksheet"):
        export.moodle(CANVAS, {})
