"""Who each grade belongs to: ids from nbgrader, plain, Canvas and Moodle layouts, the roster."""

import csv

import pytest

from descent.grading import grade, identity
from tests.conftest import ROOT
from tests.test_grading import FAST

SOLUTION = ROOT / "solutions" / "minibatches.ipynb"
STUB = ROOT / "exercises" / "minibatches.ipynb"

LAYOUTS = {
    "nbgrader": (
        [
            "submitted/ada/ps2/minibatches",
            "submitted/bob/ps2/minibatches",
        ],
        ["ada", "bob"],
    ),
    "plain": (
        ["ada/optimizers", "bob/optimizers", "carol/work/optimizers"],
        ["ada", "bob", "carol"],
    ),
    "flat": (["ada", "bob_minibatches"], ["ada", "bob_minibatches"]),
    "canvas": (
        ["lovelaceada_1001_55501_minibatches", "babbagecharles_LATE_1002_55502_minibatches-1"],
        ["1001", "1002"],
    ),
    "moodle": (
        [
            "Ada Lovelace_2001_assignsubmission_file_/minibatches",
            "Charles Babbage_2002_assignsubmission_file_/my notebook",
        ],
        ["2001", "2002"],
    ),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_ids_come_from_the_layout(layout):
    names, ids = LAYOUTS[layout]
    assert identity.student_ids(names) == ids


def test_the_nbgrader_submitted_folder_given_itself():
    assert identity.student_ids(["ada/ps2/minibatches", "bob/ps2/minibatches"]) == ["ada", "bob"]


def test_a_preset_or_a_pattern_names_the_id():
    names = ["hw_s123-v2", "hw_s456-v1"]
    assert identity.student_ids(names, id_pattern=r"_(?P<id>s\d+)-") == ["s123", "s456"]
    assert identity.student_ids(["x_1_2_nb"], layout="canvas") == ["1"]
    with pytest.raises(identity.BadPattern, match="named group"):
        identity.student_ids(names, id_pattern=r"s\d+")


def test_duplicate_ids_are_refused_before_grading(tmp_path):
    for sub in ("ada/a", "ada/b", "bob/a"):
        (tmp_path / sub).mkdir(parents=True)
        (tmp_path / sub / "minibatches.ipynb").write_bytes(SOLUTION.read_bytes())
    with pytest.raises(identity.DuplicateIds, match="ada: ada/a/minibatches, ada/b/minibatches"):
        grade.grade([tmp_path], tmp_path / "out", ROOT, exercise_set="minibatches")
    assert not (tmp_path / "out").exists()


ROSTER = (
    "\ufeffStudent,ID,SIS User ID,Email,Section\n"
    "Lovelace Ada,1001,s1,ada@example.org,A\n"
    "Babbage Charles,1002,s2,cb@example.org,A\n"
    "Hopper Grace,1003,s3,gh@example.org,A\n"
)


def test_the_roster_reads_lms_exports():
    canvas = identity.read_roster(ROSTER)
    # "ID" comes before "SIS User ID" in the list of id columns: the Canvas user id is the
    # number in Canvas's download names
    assert canvas["1001"] == identity.Learner("1001", "Lovelace Ada", "ada@example.org")
    moodle = identity.read_roster(
        "Identifier,Full name,Email address,Status\nParticipant 2001,Ada Lovelace,a@x.org,\n"
    )
    assert moodle["2001"].name == "Ada Lovelace"
    split = identity.read_roster("username,First name,Last name\nada,Ada,Lovelace\n")
    assert split["ada"].name == "Ada Lovelace"
    with pytest.raises(identity.IdentityError, match="no id column"):
        identity.read_roster("who,what\n1,2\n")


def test_a_canvas_download_yields_one_named_row_per_learner(tmp_path):
    folder = tmp_path / "canvas"
    folder.mkdir()
    (folder / "lovelaceada_1001_55501_minibatches.ipynb").write_bytes(SOLUTION.read_bytes())
    (folder / "babbagecharles_LATE_1002_55502_minibatches-1.ipynb").write_bytes(STUB.read_bytes())
    (folder / "turingalan_1009_55509_minibatches.ipynb").write_bytes(STUB.read_bytes())
    out = tmp_path / "out"
    results = grade.grade(
        [folder],
        out,
        ROOT,
        exercise_set="minibatches",
        limits=FAST,
        allow_unsandboxed=True,
        roster=identity.read_roster(ROSTER),
    )
    assert len(results) == 3
    rows = list(csv.DictReader((out / "grades.csv").open()))
    assert list(rows[0])[:3] == ["student_id", "name", "path"]
    by_id = {r["student_id"]: r for r in rows}
    assert by_id["1001"]["name"] == "Lovelace Ada" and float(by_id["1001"]["total"]) == 3.0
    assert by_id["1002"]["name"] == "Babbage Charles" and float(by_id["1002"]["total"]) == 0.0
    assert by_id["1002"]["path"] == "babbagecharles_LATE_1002_55502_minibatches-1"
    assert by_id["1009"]["name"] == ""
    assert sorted(p.name for p in (out / "results").iterdir()) == [
        "1001.json",
        "1002.json",
        "1009.json",
    ]
    summary = (out / "summary.txt").read_text()
    assert "No submission from 1 learner(s) of the roster:\n  1003  Hopper Grace" in summary
    assert "1 submission(s) from ids not on the roster:\n  1009" in summary


def test_nbgrader_and_moodle_folders_yield_one_row_per_learner(tmp_path):
    for sub in ("submitted/ada/ps2", "submitted/bob/ps2"):
        (tmp_path / "nbgrader" / sub).mkdir(parents=True)
        (tmp_path / "nbgrader" / sub / "minibatches.ipynb").write_bytes(SOLUTION.read_bytes())
    for sub in ("Ada Lovelace_2001", "Grace Hopper_2003"):
        folder = tmp_path / "moodle" / f"{sub}_assignsubmission_file_"
        folder.mkdir(parents=True)
        (folder / "notebook.ipynb").write_bytes(SOLUTION.read_bytes())
    for layout, ids in (("nbgrader", ["ada", "bob"]), ("moodle", ["2001", "2003"])):
        out = tmp_path / f"out-{layout}"
        grade.grade(
            [tmp_path / layout],
            out,
            ROOT,
            exercise_set="minibatches",
            limits=FAST,
            allow_unsandboxed=True,
        )
        rows = list(csv.DictReader((out / "grades.csv").open()))
        assert [r["student_id"] for r in rows] == ids
        assert all(float(r["total"]) == 3.0 for r in rows)
