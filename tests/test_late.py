"""Late work: times from nbgrader, Gradescope or a CSV; the policy's penalty; raw score kept."""

import csv
import json
from datetime import UTC, datetime, timedelta

import pytest

from descent.grading import export, grade, late
from tests.conftest import ROOT
from tests.test_grading import FAST

DUE = datetime(2026, 12, 1, 23, 59, tzinfo=UTC)


def test_times_are_read_in_the_formats_found():
    assert late.parse_time("2026-12-01T23:59") == DUE
    assert late.parse_time("2026-12-02 00:59:00.000000 UTC") == DUE + timedelta(hours=1)
    assert late.parse_time("2026-12-02T00:59:00+01:00") == DUE
    with pytest.raises(late.LateError, match="not a date and time"):
        late.parse_time("tomorrow")


@pytest.mark.parametrize(
    ("hours_late", "policy", "score", "taken"),
    [
        (-1, late.Policy(DUE, per_day=10), 13.0, 0.0),
        (1, late.Policy(DUE, per_day=10), 13.0, 1.3),  # one started day: 10 % of 13
        (60, late.Policy(DUE, per_day=10), 13.0, 3.9),  # three started days
        (60, late.Policy(DUE, per_day=10, cap=20), 13.0, 2.6),
        (60, late.Policy(DUE, per_day=10), 2.0, 2.0),  # never below zero
        (2, late.Policy(DUE, per_day=10, cutoff=DUE + timedelta(hours=1)), 9.0, 9.0),
    ],
)
def test_the_policy_takes_its_share(hours_late, policy, score, taken):
    days, points = policy.penalty(DUE + timedelta(hours=hours_late), score, 13.0)
    assert points == pytest.approx(taken)
    assert days == pytest.approx(max(0, hours_late) / 24)


def test_gradescope_metadata_gives_the_time(tmp_path):
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission_metadata.json").write_text(
        json.dumps({"created_at": "2026-12-02T00:59:00.0+00:00"})
    )
    found = late.found_timestamp(tmp_path / "submission" / "a.ipynb")
    assert found == DUE + timedelta(hours=1)


def test_nbgrader_timestamps_and_a_csv_make_late_columns(tmp_path):
    solution = (ROOT / "solutions" / "minibatches.ipynb").read_bytes()
    stamps = {"ada": "2026-12-03 01:59:00.000000 UTC", "bob": "2026-12-01 20:00:00.000000 UTC"}
    for learner in ("ada", "bob", "carol"):
        folder = tmp_path / "submitted" / learner / "ps2"
        folder.mkdir(parents=True)
        (folder / "minibatches.ipynb").write_bytes(solution)
        if learner in stamps:
            (folder / "timestamp.txt").write_text(stamps[learner])
    out = tmp_path / "out"
    grade.grade(
        [tmp_path / "submitted"],
        out,
        ROOT,
        exercise_set="minibatches",
        limits=FAST,
        allow_unsandboxed=True,
        policy=late.Policy(DUE, per_day=10),
        timestamps=late.read_timestamps("student_id,timestamp\ncarol,2026-12-02T10:00\n"),
        feedback_dir=tmp_path / "feedback",
    )
    rows = {r["student_id"]: r for r in csv.DictReader((out / "grades.csv").open())}
    # ada: 26 hours late, two started days, 20 % of 3 points; carol: one day, 10 %
    assert {i: (r["total"], r["penalty"], r["adjusted_total"]) for i, r in rows.items()} == {
        "ada": ("3.00", "0.60", "2.40"),
        "bob": ("3.00", "0.00", "3.00"),
        "carol": ("3.00", "0.30", "2.70"),
    }
    assert rows["ada"]["late_days"] == "1.08"
    assert export.read_totals((out / "grades.csv").read_text())[0]["ada"] == 2.4
    text = (tmp_path / "feedback" / "ada" / "ps2" / "minibatches.md").read_text()
    assert "Submitted 1.08 days late: the late policy takes 0.60 points" in text
