"""A folder holding each learner's notebooks is graded set by set in one command, and a
notebook holding several sets (as DLS's does) is graded against each of them."""

import csv

import nbformat

from descent import notebooks as nbs
from descent.__main__ import main
from tests.conftest import ROOT


def _both_sets() -> nbformat.NotebookNode:
    """One notebook with the gradient-descent and the mini-batch solutions, one after the
    other (declared as gradient descent, as one file can only declare one set)."""
    nb = nbs.read(ROOT / "solutions" / "gradient_descent.ipynb")
    for cell in nbs.read(ROOT / "solutions" / "minibatches.ipynb").cells:
        cell.id = f"mb-{cell.id}"
        nb.cells.append(cell)
    return nb


def test_every_set_of_every_learner_in_one_command(tmp_path):
    folder = tmp_path / "in"
    for learner in ("ada", "bob", "carol"):
        (folder / learner).mkdir(parents=True)
    for name in ("gradient_descent", "minibatches"):
        source = (ROOT / "solutions" / f"{name}.ipynb").read_bytes()
        (folder / "ada" / f"{name}.ipynb").write_bytes(source)
    nbs.write(_both_sets(), folder / "bob" / "dls.ipynb")
    stub = (ROOT / "exercises" / "minibatches.ipynb").read_bytes()
    (folder / "carol" / "minibatches.ipynb").write_bytes(stub)
    out = tmp_path / "out"
    main(
        ["--root", str(ROOT), "grade", str(folder), "--set", "all", "--out", str(out)]
        + ["--allow-unsandboxed", "--feedback", str(tmp_path / "feedback")]
    )
    rows = list(csv.reader((out / "course.csv").open()))
    assert rows == [
        ["student_id", "name", "gradient_descent", "minibatches", "total", "max_total"],
        ["ada", "", "4.00", "3.00", "7.00", "7.00"],
        ["bob", "", "4.00", "3.00", "7.00", "7.00"],
        ["carol", "", "", "0.00", "0.00", "7.00"],
    ]
    assert (tmp_path / "feedback" / "minibatches" / "bob" / "dls.html").is_file()
    assert (tmp_path / "feedback" / "gradient_descent" / "bob" / "dls.html").is_file()
    by_id = {
        r["student_id"]: r for r in csv.DictReader((out / "minibatches" / "grades.csv").open())
    }
    assert by_id["bob"]["problems"] == ""
