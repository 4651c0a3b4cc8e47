"""Gradescope, complete: the autograder zip, unpacked into a simulated /autograder tree,
grades every submitted notebook, hides hidden tests until the due date and applies lateness."""

import json
import os
import subprocess
import sys
import zipfile

from descent.__main__ import main
from tests.conftest import ROOT


def test_the_autograder_zip_grades_a_submission_in_a_simulated_autograder(tmp_path):
    archive = tmp_path / "autograder.zip"
    main(
        ["--root", str(ROOT), "gradescope-package", str(archive), "--set", "minibatches"]
        + ["--late-per-day", "10"]
    )
    tree = tmp_path / "autograder"
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        zipped.extractall(tree / "source")
    assert {"setup.sh", "run_autograder", "solutions/hidden_cases.py"} <= set(names)
    assert "descent/grading/harness.py" in names and "solutions/minibatches.ipynb" in names
    assert not any("__pycache__" in n for n in names)
    pins = (tree / "source" / "requirements-grader.txt").read_text()
    assert "numpy==" in pins and "tensorflow" not in pins
    subprocess.run(["bash", "-n", str(tree / "source" / "setup.sh")], check=True)
    (tree / "submission").mkdir()
    (tree / "results").mkdir()
    (tree / "submission" / "mine.ipynb").write_bytes(
        (ROOT / "solutions" / "minibatches.ipynb").read_bytes()
    )
    (tree / "submission" / "draft.ipynb").write_bytes(
        (ROOT / "exercises" / "minibatches.ipynb").read_bytes()
    )
    metadata = {
        "created_at": "2026-12-02T10:00:00.0+00:00",
        "assignment": {"due_date": "2026-12-01T23:59:00.0+00:00"},
    }
    (tree / "submission_metadata.json").write_text(json.dumps(metadata))
    env = {**os.environ, "AUTOGRADER": str(tree), "DESCENT_PYTHON": sys.executable}
    env.pop("PYTHONPATH", None)  # the package comes from the zip, not from this checkout
    subprocess.run(
        ["bash", str(tree / "source" / "run_autograder")], check=True, env=env, timeout=300
    )
    result = json.loads((tree / "results" / "results.json").read_text())
    assert result["score"] == 2.7  # 3 points, one day late at 10 % of the maximum
    assert "Graded 2 notebooks (draft: 0.00; mine: 2.70)" in result["output"]
    assert "Late: 0.42 days, 0.30 points taken" in result["output"]
    hidden = [t for t in result["tests"] if "hidden test" in t["name"]]
    assert hidden and {t["visibility"] for t in hidden} == {"after_due_date"}
    assert {t["visibility"] for t in result["tests"] if t not in hidden} == {"visible"}
