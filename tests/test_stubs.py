"""The stub generator: golden output, round trip, and no solution code in exercises."""

import shutil

import pytest

from descent import notebooks as nbs
from descent import selfcheck, stubs
from descent.model import CORRECT, NOT_ATTEMPTED
from tests.conftest import ROOT, SOLUTIONS, solution_lines

GOLDEN = ROOT / "tests" / "golden"


def test_stub_source_keeps_indentation_and_counts_lines():
    source = (
        "def f(x):\n    ### BEGIN SOLUTION\n    y = x + 1\n\n    return y\n    ### END SOLUTION\n"
    )
    assert stubs.stub_source(source) == (
        "def f(x):\n    # YOUR CODE HERE (about 2 lines)\n    raise NotImplementedError()"
    )


@pytest.mark.parametrize(
    "source, problem",
    [
        ("### BEGIN SOLUTION\nx = 1\n", "without ### END"),
        ("x = 1\n### END SOLUTION\n", "without ### BEGIN"),
        ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION\n", "nested"),
    ],
)
def test_unbalanced_markers_are_reported_with_the_cell(source, problem):
    with pytest.raises(ValueError, match=f"cell c7: .*{problem}"):
        stubs.stub_source(source, where="cell c7")


def test_generator_matches_golden_output(tmp_path):
    shutil.copy(GOLDEN / "solution.ipynb", tmp_path / "demo.ipynb")
    [written] = stubs.release_stubs(tmp_path, tmp_path / "out")
    assert written.read_text() == (GOLDEN / "exercise.ipynb").read_text()


def test_committed_exercises_are_exactly_what_the_generator_writes(tmp_path):
    written = stubs.release_stubs(ROOT / "solutions", tmp_path)
    assert sorted(p.name for p in written) == sorted(
        p.name for p in (ROOT / "exercises").glob("*.ipynb")
    )
    for path in written:
        assert path.read_text() == (ROOT / "exercises" / path.name).read_text(), (
            f"exercises/{path.name} is stale or hand-edited: run `make sync`"
        )


def test_cli_release_stubs_writes_the_exercises(tmp_path):
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    from descent.__main__ import main

    main(["--root", str(tmp_path), "release-stubs"])
    assert sorted(p.name for p in (tmp_path / "exercises").glob("*.ipynb")) == [
        p.name for p in SOLUTIONS
    ]


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_exercises_hold_no_solution_line_and_no_output(path):
    exercise = (ROOT / "exercises" / path.name).read_text()
    lines = solution_lines(path)
    assert lines, "a solution notebook without solution regions"
    leaked = [line for line in lines if line in exercise]
    assert not leaked, f"solution code in exercises/{path.name}: {leaked}"
    nb = nbs.read(ROOT / "exercises" / path.name)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_stubs_are_not_attempted_and_solutions_pass(path):
    stub_namespace = nbs.load_namespace(stubs.make_stub(nbs.read(path)))
    solution_namespace = nbs.load_namespace(nbs.read(path))
    for name in nbs.graded_functions(nbs.read(path)):
        assert selfcheck.diagnose(stub_namespace[name]).status == NOT_ATTEMPTED
        assert selfcheck.diagnose(solution_namespace[name]).status == CORRECT


def test_graded_cells_have_stable_ids_and_points():
    for path in SOLUTIONS:
        nb = nbs.read(path)
        graded = nbs.graded_functions(nb)
        assert graded and all(isinstance(p, int) and p > 0 for p in graded.values())
        for name in graded:
            cell = next(c for c in nb.cells if c.id == name)
            defines = f"def {name}(" in cell.source or f"class {name}(" in cell.source
            assert defines and nbs.BEGIN_SOLUTION in cell.source


@pytest.mark.parametrize("name", ["gradient_descent", "minibatches", "optimizers"])
def test_run_all_of_an_untouched_exercise_notebook_says_not_attempted(name):
    """Run All goes to the end without a traceback: test cells and cells that use a graded
    function print "not attempted yet", and progress() lists every function."""
    from nbclient import NotebookClient

    nb = nbs.read(ROOT / "exercises" / f"{name}.ipynb")
    client = NotebookClient(nb, timeout=120, kernel_name="python3")
    client.execute(cwd=str(ROOT / "exercises"))  # raises on the first cell that fails
    text = {c.id: nbs.stream_text(c) for c in nb.cells if c.cell_type == "code"}
    for function in nbs.graded_functions(nb):
        assert "not attempted yet" in text[f"{function}-test"]
        assert "not attempted yet" in text[f"{function}-check"]
        assert f"… {function}: not attempted yet" in text["progress"]
    assert text["progress"].splitlines()[-1].startswith("Total: 0 of ")
