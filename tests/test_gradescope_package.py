"""Gradescope, complete: the autograder zip, unpacked into a simulated /autograder tree,
grades every submitted notebook, hides hidden tests until the due date and applies lateness."""

import json
import os
import subprocess
import sys
import zipfile

from descent.__main__ import main
from tests.conftest import ROOT


def _package(archive, *options):
    main(
        ["--root", str(ROOT), "gradescope-package", str(archive), "--set", "minibatches"]
        + ["--late-per-day", "10", *options]
    )


def _wheels(archive, folder):
    """The wheels of the zip's pinned requirements, fetched as an instructor would for an
    offline setup (``pip download``)."""
    with zipfile.ZipFile(archive) as zipped:
        (folder / "pins.txt").write_bytes(zipped.read("requirements-grader.txt"))
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--only-binary", ":all:"]
        + ["-r", str(folder / "pins.txt"), "-d", str(folder / "wheels")],
        check=True,
        timeout=600,
    )
    return folder / "wheels"


def test_the_autograder_zip_grades_a_submission_in_a_simulated_autograder(tmp_path):
    """setup.sh builds a fresh environment from the wheels in the zip, offline, and
    run_autograder grades with it, not with this checkout's environment."""
    archive = tmp_path / "autograder.zip"
    _package(archive)
    _package(archive, "--wheels", str(_wheels(archive, tmp_path)))
    tree = tmp_path / "autograder"
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        zipped.extractall(tree / "source")
    assert {"setup.sh", "run_autograder", "solutions/hidden_cases.py"} <= set(names)
    assert "descent/grading/harness.py" in names and "solutions/minibatches.ipynb" in names
    assert not any("__pycache__" in n for n in names)
    pins = (tree / "source" / "requirements-grader.txt").read_text()
    assert "numpy==" in pins and "tensorflow" not in pins
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env |= {"AUTOGRADER": str(tree), "PYTHON3": sys.executable, "PIP_NO_INDEX": "1"}
    subprocess.run(["bash", str(tree / "source" / "setup.sh")], check=True, env=env, timeout=600)
    assert (tree / "venv" / "bin" / "python").exists()
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
    subprocess.run(
        ["bash", str(tree / "source" / "run_autograder")], check=True, env=env, timeout=300
    )
    result = json.loads((tree / "results" / "results.json").read_text())
    assert result["score"] == 2.7, result["output"]  # 3 points, a day late at 10 % of max
    assert "Graded 2 notebooks (draft: 0.00; mine: 2.70)" in result["output"]
    assert "Late: 0.42 days, 0.30 points taken" in result["output"]
    hidden = [t for t in result["tests"] if "hidden test" in t["name"]]
    assert hidden and {t["visibility"] for t in hidden} == {"after_due_date"}
    assert {t["visibility"] for t in result["tests"] if t not in hidden} == {"visible"}
