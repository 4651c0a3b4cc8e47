"""The grader on a zoo of submissions built from the solutions.

The solution scores full marks, the stub zero, each common mistake loses points on its own
function (and on the functions that call it), and every kind of broken submission gets a
clear message without stopping the batch or changing the submitted file.
"""

import csv
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest

from descent import expected
from descent import notebooks as nbs
from descent.grading import grade, report, sandbox, score
from descent.grading.assignment import load_assignments
from descent.grading.runner import Run
from descent.grading.score import _note_dependencies
from descent.grading.submission import Submission
from descent.model import Graded, Outcome
from descent.model import TestResult as Entry
from tests.conftest import ROOT

FAST = sandbox.Limits(
    memory_bytes=2 * 2**30,
    seconds_per_test=2.0,
    seconds_per_setup=30.0,
    seconds_per_submission=60.0,
)


@pytest.fixture(scope="module")
def assignments():
    return load_assignments(ROOT)


def submission(folder: Path, name: str, exercise_set: str, edits=()) -> Path:
    """A copy of a solution notebook, with ``(cell id, old, new)`` text replacements."""
    nb = nbs.read(ROOT / "solutions" / f"{exercise_set}.ipynb")
    cells = {c.id: c for c in nb.cells}
    for cell_id, old, new in edits:
        assert old in cells[cell_id].source, (cell_id, old)
        cells[cell_id].source = cells[cell_id].source.replace(old, new)
    path = folder / f"{name}.ipynb"
    nbs.write(nb, path)
    return path


def run(paths, out, exercise_set, isolation="auto", limits=FAST):
    """Grade in the sandbox; where it cannot work, in plain processes (the course's own
    notebooks are trusted, and tests/test_hostile.py checks the refusal)."""
    results = grade.grade(
        paths,
        out,
        ROOT,
        jobs=2,
        exercise_set=exercise_set,
        isolation=isolation,
        limits=limits,
        allow_unsandboxed=True,
    )
    return {g.submission: g for g in results}


def scores(graded) -> dict[str, float]:
    return {f: graded.function_score(f)[0] for f in {t.function for t in graded.tests}}


def full(assignment) -> dict[str, float]:
    return {f: float(p) for f, p in assignment.points.items()}


SETS = ["gradient_descent", "minibatches", "optimizers", "capstone"]


@pytest.mark.parametrize("exercise_set", SETS)
def test_solution_scores_full_marks_and_stub_zero(tmp_path, assignments, exercise_set):
    solved = submission(tmp_path, "solved", exercise_set)
    stub = tmp_path / "stub.ipynb"
    stub.write_bytes((ROOT / "exercises" / f"{exercise_set}.ipynb").read_bytes())
    graded = run([solved, stub], tmp_path / "out", exercise_set)
    assert scores(graded["solved"]) == pytest.approx(full(assignments[exercise_set]))
    assert graded["stub"].score == 0
    assert all("not attempted" in t.output for t in graded["stub"].tests)


MISTAKES = [  # exercise set, function, (cell, old, new), functions allowed to lose points too
    (
        "gradient_descent",
        "update_parameters_with_gd",
        ("update_parameters_with_gd", "] - learning_rate * grads", "] + learning_rate * grads"),
        [],
    ),
    ("gradient_descent", "numerical_gradient", ("numerical_gradient", "/ (2 * h)", "/ h"), []),
    (
        "minibatches",
        "random_mini_batches",
        ("random_mini_batches", "math.ceil(m / mini_batch_size)", "m // mini_batch_size"),
        [],
    ),
    (
        "optimizers",
        "initialize_velocity",
        (
            "initialize_velocity",
            'zeros_like(parameters[f"b{l}"])',
            'zeros_like(parameters[f"W{l}"])',
        ),
        ["model"],
    ),
    (
        "optimizers",
        "update_parameters_with_momentum",
        ("update_parameters_with_momentum", "(1 - beta) * grads", "beta * grads"),
        ["model"],
    ),
    (
        "optimizers",
        "update_parameters_with_rmsprop",
        (
            "update_parameters_with_rmsprop",
            '(np.sqrt(s[f"d{p}{l}"]) + epsilon)',
            'np.sqrt(s[f"d{p}{l}"] + epsilon)',
        ),
        [],
    ),
    (
        "optimizers",
        "initialize_adam",
        (
            "initialize_adam",
            's[f"d{p}{l}"] = np.zeros_like(parameters[f"{p}{l}"])',
            's[f"d{p}{l}"] = v[f"d{p}{l}"]',
        ),
        ["model"],
    ),
    (
        "optimizers",
        "update_parameters_with_adam",
        ("update_parameters_with_adam", "v[key] / (1 - beta1**t)", "v[key]"),
        ["model"],
    ),
    (
        "optimizers",
        "schedule_lr_decay",
        ("schedule_lr_decay", "(epoch_num // time_interval)", "(epoch_num / time_interval)"),
        [],
    ),
    ("optimizers", "model", ("model", "seed=epoch)", "seed=0)"), []),
    (
        "optimizers",
        "update_parameters_with_adamw",
        (
            "update_parameters_with_adamw",
            'weight_decay * parameters[f"W{l}"]',
            'weight_decay * parameters[f"W{l}"] / (np.sqrt(s_corrected) + epsilon)',
        ),
        [],
    ),
    (
        "optimizers",
        "warmup_cosine_lr",
        (
            "warmup_cosine_lr",
            "base_lr * step / warmup_steps",
            "base_lr * (step + 1) / warmup_steps",
        ),
        [],
    ),
    (
        "capstone",
        "MyAdam",
        ("MyAdam", "ops.sqrt(v) + self.epsilon", "ops.sqrt(v + self.epsilon)"),
        [],
    ),
]


@pytest.mark.parametrize("exercise_set", SETS)
def test_each_mistake_loses_points_on_its_function_only(tmp_path, assignments, exercise_set):
    chosen = [m for m in MISTAKES if m[0] == exercise_set]
    paths = [
        submission(tmp_path, function, exercise_set, [edit]) for _, function, edit, _ in chosen
    ]
    graded = run(paths, tmp_path / "out", exercise_set)
    points = full(assignments[exercise_set])
    for _, function, _, callers in chosen:
        got = scores(graded[function])
        assert got[function] < points[function], function
        for other in points:
            if other != function and other not in callers:
                assert got[other] == pytest.approx(points[other]), (function, other)
        for caller in callers:
            notes = [
                t.output
                for t in graded[function].tests
                if t.function == caller and t.score < t.max_score
            ]
            assert all(f"calls {function}" in note for note in notes)


NEW_IN_SET = ("update_parameters_with_adamw", "warmup_cosine_lr")


def test_a_notebook_from_before_the_new_exercises_keeps_its_points(tmp_path, assignments):
    """A learner's notebook of the optimizers set as it was before AdamW and the warm-up
    cosine schedule were added (their cells, and the loop that uses them, left out)."""
    nb = nbs.read(ROOT / "solutions" / "optimizers.ipynb")
    later = ("update_parameters_with_adamw", "warmup", "adamw-")
    nb.cells = [c for c in nb.cells if not c.id.startswith(later)]
    nbs.write(nb, tmp_path / "before.ipynb")
    graded = run([tmp_path / "before.ipynb"], tmp_path / "out", "optimizers")["before"]
    points = full(assignments["optimizers"])
    assert scores(graded) == pytest.approx(
        {f: 0.0 if f in NEW_IN_SET else p for f, p in points.items()}
    )
    assert graded.score == pytest.approx(sum(points.values()) - 4.0)  # 13 of 17
    assert all(any(f"defines {f}(" in p for p in graded.problems) for f in NEW_IN_SET)


def test_partial_credit_for_epsilon_inside_the_root(tmp_path, assignments):
    edit = (
        "update_parameters_with_rmsprop",
        '(np.sqrt(s[f"d{p}{l}"]) + epsilon)',
        'np.sqrt(s[f"d{p}{l}"] + epsilon)',
    )
    graded = run(
        [submission(tmp_path, "eps", "optimizers", [edit])], tmp_path / "out", "optimizers"
    )["eps"]
    rms = [t for t in graded.tests if t.function == "update_parameters_with_rmsprop"]
    failed = [t for t in rms if t.score == 0]
    assert 0 < len(failed) < len(rms)  # only the tiny-gradient tests fail
    assert all(
        "epsilon is inside the square root" in t.output for t in failed if "hidden" not in t.name
    )


def test_hard_coded_visible_output_scores_only_that_visible_test(tmp_path, assignments):
    want = json.loads((expected.EXPECTED_DIR / "gradient_descent.json").read_text())
    first = json.dumps(want["update_parameters_with_gd"]["outputs"][0])
    body = (
        "    from descent import values\n    import json\n"
        f"    return values.decode(json.loads({first!r}))\n"
    )
    edit = ("update_parameters_with_gd", "    L = len(parameters) // 2", body + "    L = 0")
    graded = run(
        [submission(tmp_path, "cheat", "gradient_descent", [edit])],
        tmp_path / "out",
        "gradient_descent",
    )["cheat"]
    gd = [t for t in graded.tests if t.function == "update_parameters_with_gd"]
    assert [t.score > 0 for t in gd] == [True] + [False] * (len(gd) - 1)


BAD = {  # name -> (edits to the gradient_descent solution, expected gd score, message)
    "raises_at_import": (
        [
            (
                "update_parameters_with_gd",
                "def update_parameters_with_gd",
                "raise RuntimeError('boom')\ndef update_parameters_with_gd",
            )
        ],
        0.0,
        "RuntimeError: boom",
    ),
    "loops_forever": (
        [
            (
                "update_parameters_with_gd",
                '    """Take one',
                '    while True:\n        pass\n    """Take one',
            )
        ],
        0.0,
        "time-out",
    ),
    "calls_sys_exit": (
        [
            (
                "update_parameters_with_gd",
                "    L = len(parameters) // 2",
                "    import sys\n    sys.exit(3)",
            )
        ],
        0.0,
        "SystemExit",
    ),
    "calls_os_exit": (
        [
            (
                "update_parameters_with_gd",
                "    L = len(parameters) // 2",
                "    import os\n    os._exit(3)",
            )
        ],
        0.0,
        "exited with code 3",
    ),
    "segfaults": (
        [
            (
                "update_parameters_with_gd",
                "    L = len(parameters) // 2",
                "    import ctypes\n    ctypes.string_at(0)",
            )
        ],
        0.0,
        "crashed (SIGSEGV)",
    ),
    "allocates": (
        [
            (
                "update_parameters_with_gd",
                "    L = len(parameters) // 2",
                "    hog = [np.ones(10**8) for _ in range(100)]",
            )
        ],
        0.0,
        "MemoryError",
    ),
    "prints_megabytes": (
        [
            (
                "update_parameters_with_gd",
                "    L = len(parameters) // 2",
                "    print('x' * 5_000_000)\n    L = len(parameters) // 2",
            )
        ],
        2.0,
        "",
    ),
    "forks": (
        [
            (
                "update_parameters_with_gd",
                "    L = len(parameters) // 2",
                "    import os, time\n    if os.fork() == 0:\n        time.sleep(600)\n"
                "    L = len(parameters) // 2",
            )
        ],
        2.0,
        "",
    ),
    "markdown_cell": ([], 0.0, "markdown cell"),
}


def bad_submissions(folder: Path) -> dict[str, Path]:
    paths = {
        name: submission(folder, name, "gradient_descent", edits)
        for name, (edits, _, _) in BAD.items()
    }
    nb = nbs.read(paths["markdown_cell"])
    cell = next(c for c in nb.cells if c.id == "update_parameters_with_gd")
    cell.cell_type = "markdown"
    for key in ("outputs", "execution_count"):
        cell.pop(key)
    nbs.write(nb, paths["markdown_cell"])
    (folder / "not_json.ipynb").write_text("{ this is not json")
    (folder / "not_notebook.ipynb").write_text('{"hello": [1, 2, 3]}')
    (folder / "empty.ipynb").write_bytes(b"")
    paths |= {p.stem: p for p in folder.glob("not_*.ipynb")} | {"empty": folder / "empty.ipynb"}
    paths["wrong_set"] = submission(folder, "wrong_set", "minibatches")
    return paths


def digest(paths) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


ISOLATIONS = [
    pytest.param(
        "bwrap",
        marks=pytest.mark.skipif(
            not sandbox.bwrap_works(), reason="bubblewrap is not installed here"
        ),
    ),
    "process",
]


@pytest.mark.parametrize("isolation", ISOLATIONS)
def test_bad_submissions_get_clear_messages_and_change_nothing(tmp_path, assignments, isolation):
    folder = tmp_path / "in"
    folder.mkdir()
    paths = bad_submissions(folder)
    before = digest(paths.values())
    graded = run([folder], tmp_path / "out", "gradient_descent", isolation=isolation)
    assert digest(paths.values()) == before
    assert set(graded) == set(paths)  # the batch went on past every bad file
    for name, (_, gd_score, message) in BAD.items():
        got = scores(graded[name])
        assert got["update_parameters_with_gd"] == pytest.approx(gd_score), name
        assert got["numerical_gradient"] == pytest.approx(2.0), name  # the other function is fine
        text = " ".join([t.output for t in graded[name].tests] + graded[name].problems)
        assert message in text, (name, text[:300])
    for name, message in [
        ("not_json", "not valid JSON"),
        ("not_notebook", "not a Jupyter"),
        ("empty", "empty"),
        ("wrong_set", "not 'gradient_descent'"),
    ]:
        assert graded[name].score == 0 and message in " ".join(graded[name].problems), name


@pytest.mark.skipif(not sandbox.bwrap_works(), reason="bubblewrap is not installed here")
def test_sandbox_hides_the_solutions_and_keeps_writes_inside(tmp_path, assignments):
    secret, outside = ROOT / "solutions" / "hidden_cases.py", ROOT / "pwned.txt"
    probe = (
        f"    try:\n        open({str(secret)!r}).read()\n        raise SystemExit('read it')\n"
        "    except OSError:\n        pass\n"
        f"    for target in ({str(outside)!r}, '/tmp/descent-pwned'):\n"
        "        try:\n            open(target, 'w').write('x')\n"
        "        except OSError:\n            pass\n"
        "    L = len(parameters) // 2"
    )
    edit = ("update_parameters_with_gd", "    L = len(parameters) // 2", probe)
    graded = run(
        [submission(tmp_path, "snoop", "gradient_descent", [edit])],
        tmp_path / "out",
        "gradient_descent",
        isolation="bwrap",
    )["snoop"]
    assert scores(graded)["update_parameters_with_gd"] == pytest.approx(2.0)
    assert not outside.exists() and not Path("/tmp/descent-pwned").exists()
    assert graded.isolation == "bwrap"


def hidden_numbers(assignments) -> set[str]:
    """Distinctive numbers from the hidden inputs, as they would be printed."""
    found = set()
    for assignment in assignments.values():
        for test in assignment.tests:
            if test.hidden:
                for array in _arrays(test.case.args):
                    found |= {f"{x:.8f}" for x in np.ravel(array)[:3] if abs(x) > 1e-3}
    return found


def _arrays(value):
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _arrays(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _arrays(v)


def test_reports_are_complete_and_reveal_no_hidden_input(tmp_path, assignments):
    edits = [
        ("update_parameters_with_adam", "v[key] / (1 - beta1**t)", "v[key] * 1.5"),
        ("update_parameters_with_rmsprop", "+ epsilon)", "+ epsilon + 1.0)"),
    ]
    wrong = submission(tmp_path, "wrong", "optimizers", edits)
    out = tmp_path / "out"
    run([wrong, submission(tmp_path, "right", "optimizers")], out, "optimizers")
    rows = list(csv.DictReader((out / "grades.csv").open()))
    assert [r["path"] for r in rows] == ["wrong", "right"]
    assert set(assignments["optimizers"].points) <= set(rows[0])
    assert float(rows[1]["total"]) == float(rows[1]["max_total"]) == 17.0
    result = json.loads((out / "results" / "wrong.json").read_text())
    assert {"score", "tests", "output"} <= set(result)
    assert all(
        {"name", "score", "max_score", "output", "visibility"} <= set(t) for t in result["tests"]
    )
    assert "isolation" in (out / "summary.txt").read_text()
    texts = [p.read_text() for p in out.rglob("*") if p.is_file()]
    leaked = [n for n in hidden_numbers(assignments) if any(n in t for t in texts)]
    assert not leaked
    hidden_failures = [t for t in result["tests"] if "hidden" in t["name"] and t["score"] == 0]
    assert hidden_failures and not any("First difference" in t["output"] for t in hidden_failures)
    assert not list(out.rglob(".*.json*")) and not list(out.rglob(".grades.csv*"))


def test_atomic_write_keeps_the_old_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "grades.csv"
    target.write_text("old")

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", explode)
    with pytest.raises(OSError):
        report.atomic_write(target, "new")
    assert target.read_text() == "old" and list(tmp_path.iterdir()) == [target]


def test_gradescope_entry_point(tmp_path):
    from descent.grading import gradescope

    (tmp_path / "submission").mkdir()
    submission(tmp_path / "submission", "anything", "minibatches")
    path = gradescope.run_autograder(
        ROOT, tmp_path / "submission", tmp_path / "results", "minibatches", allow_unsandboxed=True
    )
    result = json.loads(path.read_text())
    assert result["score"] == pytest.approx(3.0)
    assert all(re.match(r"random_mini_batches: ", t["name"]) for t in result["tests"])


def test_dependency_note_names_only_what_the_learners_own_code_calls(assignments):
    own_model = (
        "def model(X, Y, layers_dims, optimizer):\n    return update_parameters_with_adam(1)"
    )
    learner = Submission(Path("x.ipynb"), cells=[("model", own_model)])
    graded = Graded(
        "x",
        "optimizers",
        tests=[
            Entry("model/0", "model", 0.0, 1.0, "✗ the costs differ."),
            Entry("model/1", "model", 0.0, 1.0, "✗ it raised NameError: name 'np'."),
            Entry("adam/0", "update_parameters_with_adam", 0.0, 1.0, "✗ wrong."),
            Entry("momentum/0", "update_parameters_with_momentum", 0.0, 1.0, "✗ wrong."),
        ],
    )
    _note_dependencies(assignments["optimizers"], graded, learner)
    assert graded.tests[0].output.endswith(
        "Note: your model calls update_parameters_with_adam, which does not pass its own "
        "tests yet: fix that first."
    )
    assert "Note" not in graded.tests[1].output  # a NameError has a cause of its own


def test_undefined_names_come_from_visible_tests_only(assignments):
    assignment = assignments["gradient_descent"]
    hidden = next(t for t in assignment.tests if t.hidden)
    visible = next(t for t in assignment.tests if not t.hidden)
    learner = Submission(Path("x.ipynb"), cells=[("a", "import numpy as np")])
    run = Run(
        outcomes={
            hidden.key: Outcome(error="NameError: name 'x0_4213' is not defined"),
            visible.key: Outcome(error="NameError: name 'np' is not defined"),
        }
    )
    problems = " ".join(score.score(assignment, learner, run, "bwrap").problems)
    assert "np is not defined" in problems and "x0_4213" not in problems
