"""Regrades merge into the results by id, leaving the others as they were; the instructor's
overrides replace a function's points and show in the feedback with their reason."""

import csv

import pytest

from descent.grading import grade, overrides, report
from tests.conftest import ROOT
from tests.test_grading import FAST

SOLUTION = (ROOT / "solutions" / "minibatches.ipynb").read_bytes()
STUB = (ROOT / "exercises" / "minibatches.ipynb").read_bytes()
OVERRIDES = "student_id,function,points,reason\nada,random_mini_batches,2.5,shuffled by hand\n"


def batch(folder, out, merge=False, changes=(), feedback_dir=None):
    return grade.grade(
        [folder],
        out,
        ROOT,
        exercise_set="minibatches",
        limits=FAST,
        allow_unsandboxed=True,
        merge=merge,
        changes=list(changes),
        feedback_dir=feedback_dir,
    )


def test_a_regrade_merges_by_id_and_applies_overrides(tmp_path):
    first, again, out = tmp_path / "first", tmp_path / "again", tmp_path / "out"
    first.mkdir()
    again.mkdir()
    (first / "ada.ipynb").write_bytes(STUB)
    (first / "bob.ipynb").write_bytes(SOLUTION)
    batch(first, out)
    rows = (out / "grades.csv").read_text().splitlines()
    bob_report = (out / "results" / "bob.json").read_bytes()
    (again / "ada.ipynb").write_bytes(SOLUTION)
    batch(again, out, True, overrides.read(OVERRIDES), tmp_path / "feedback")
    merged = (out / "grades.csv").read_text().splitlines()
    assert merged[0] == rows[0] and merged[2] == rows[2]  # bob's row as it was
    ada = next(csv.DictReader(merged))
    assert (ada["student_id"], ada["total"]) == ("ada", "2.50")
    assert (out / "results" / "bob.json").read_bytes() == bob_report
    text = (tmp_path / "feedback" / "ada.md").read_text()
    assert "## From the instructor" in text
    assert (
        "random_mini_batches: 2.50 / 3.00 points set by the instructor (the grader gave 3.00): "
        "shuffled by hand" in text
    )


def test_bad_overrides_and_merges_are_refused_before_grading(tmp_path):
    (tmp_path / "ada.ipynb").write_bytes(SOLUTION)
    for text, message in [
        ("student_id,function,points,reason\nada,nothing,1,x\n", "not a graded function"),
        ("student_id,function,points,reason\nada,random_mini_batches,4,x\n", "worth 3"),
    ]:
        with pytest.raises(overrides.OverrideError, match=message):
            batch(tmp_path, tmp_path / "out", changes=overrides.read(text))
    with pytest.raises(overrides.OverrideError, match="columns"):
        overrides.read("id,points\n1,2\n")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "grades.csv").write_text("student_id,name,path,other\n")
    with pytest.raises(report.MergeError, match="other columns"):
        batch(tmp_path, tmp_path / "out", merge=True)
    assert not (tmp_path / "out" / "results").exists()
