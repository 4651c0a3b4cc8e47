"""Trustworthy runs: the child imports the grader's own package, progress only on a terminal,
and no TensorFlow (nor its log lines) when no capstone is graded."""

import io
import os
import subprocess
import sys

import pytest

from descent.grading import grade, sandbox
from descent.grading.progress import Progress
from tests.conftest import ROOT
from tests.test_grading import FAST


def test_another_descent_in_the_child_stops_the_batch(tmp_path, monkeypatch):
    other = tmp_path / "elsewhere"
    (other / "descent").mkdir(parents=True)
    (other / "descent" / "__init__.py").write_text("# an old install\n")
    (tmp_path / "a.ipynb").write_bytes((ROOT / "solutions" / "minibatches.ipynb").read_bytes())
    monkeypatch.setattr(sandbox, "_package_parent", lambda: str(other))
    with pytest.raises(sandbox.WrongPackage, match=f"the child found {other}/descent"):
        grade.grade(
            [tmp_path / "a.ipynb"],
            tmp_path / "out",
            ROOT,
            exercise_set="minibatches",
            isolation="process",
            limits=FAST,
        )
    assert not (tmp_path / "out").exists()


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_shows_counts_and_time_left_only_on_a_terminal():
    quiet, shown = io.StringIO(), Terminal()
    for stream in (quiet, shown):
        progress = Progress(2, stream, every=0.0)
        progress.step()
        progress.step()
        progress.close()
    assert quiet.getvalue() == ""
    assert "graded 1/2 (50%), about 0:00 left" in shown.getvalue()
    assert shown.getvalue().rstrip().endswith("graded 2/2 (100%), about 0:00 left")


def test_a_numpy_set_is_graded_without_tensorflow_and_quietly(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ada.ipynb").write_bytes(
        (ROOT / "solutions" / "minibatches.ipynb").read_bytes()
    )
    code = (
        "import sys; from descent.__main__ import main; "
        "main(sys.argv[1:]); print('tensorflow' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "--root", str(ROOT), "grade", str(tmp_path / "in")]
        + ["--out", str(tmp_path / "out"), "--set", "minibatches", "--allow-unsandboxed"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.rstrip().endswith("False")
    assert done.stderr == ""


def _grade_cli(tmp_path, *options):
    from descent.__main__ import main

    (tmp_path / "in").mkdir(exist_ok=True)
    (tmp_path / "in" / "ada.ipynb").write_bytes(
        (ROOT / "solutions" / "minibatches.ipynb").read_bytes()
    )
    main(
        ["--root", str(ROOT), "grade", str(tmp_path / "in"), "--out", str(tmp_path / "out")]
        + ["--set", "minibatches", *options]
    )
    return (tmp_path / "out" / "grades.csv").read_text()


def test_unsandboxed_grading_warns_and_marks_every_row(tmp_path, capsys):
    rows = _grade_cli(tmp_path, "--isolation", "process").splitlines()
    assert "WARNING: descent grade runs these submissions UNSANDBOXED" in capsys.readouterr().err
    header, row = rows[0].split(","), rows[1].split(",")
    assert row[header.index("sandboxed")] == "NO (plain process)"


def test_require_sandbox_refuses_every_way_around_it(tmp_path, monkeypatch):
    for options in (["--isolation", "process"], ["--allow-unsandboxed"]):
        with pytest.raises(SystemExit, match="--require-sandbox refuses"):
            _grade_cli(tmp_path, "--require-sandbox", *options)
    monkeypatch.setattr(sandbox, "bwrap_works", lambda: False)
    with pytest.raises(SystemExit, match="Refusing to run submissions unsandboxed"):
        _grade_cli(tmp_path, "--require-sandbox")
    assert not (tmp_path / "out").exists()
