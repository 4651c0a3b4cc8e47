"""Feedback students can read: one HTML and Markdown file per learner, mirroring the
submissions' layout, with no hidden input and no solution line in any of them."""

import nbformat
import pytest

from descent import notebooks as nbs
from descent.grading import feedback, grade
from descent.model import Graded
from descent.model import TestResult as Entry
from tests.conftest import ROOT, solution_lines
from tests.test_grading import FAST, hidden_numbers

NUMPY_SETS = ["gradient_descent", "minibatches", "optimizers"]


def _echoing(exercise_set: str) -> nbformat.NotebookNode:
    """The stub, with a last cell making every graded function raise an error that quotes
    its inputs (hidden ones included)."""
    nb = nbs.read(ROOT / "exercises" / f"{exercise_set}.ipynb")
    echo = "".join(
        f"def {name}(*args, **kwargs):\n    raise ValueError(repr((args, kwargs)))\n\n"
        for name in nbs.graded_functions(nb)
    )
    nb.cells.append(nbformat.v4.new_code_cell(echo, id="echo"))
    return nb


@pytest.mark.parametrize("exercise_set", NUMPY_SETS)
def test_feedback_mirrors_the_layout_and_reveals_nothing_hidden(
    tmp_path, exercise_set, assignments
):
    folder = tmp_path / "in"
    learners = {
        "ada": nbs.read(ROOT / "solutions" / f"{exercise_set}.ipynb"),
        "bob": nbs.read(ROOT / "exercises" / f"{exercise_set}.ipynb"),
        "carol": _echoing(exercise_set),
    }
    for learner, nb in learners.items():
        (folder / learner).mkdir(parents=True)
        nbs.write(nb, folder / learner / f"{exercise_set}.ipynb")
    out = tmp_path / "feedback"
    grade.grade(
        [folder],
        tmp_path / "out",
        ROOT,
        exercise_set=exercise_set,
        limits=FAST,
        allow_unsandboxed=True,
        feedback_dir=out,
    )
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == [f"{n}/{exercise_set}.{s}" for n in learners for s in ("html", "md")]
    texts = {p: (out / p).read_text() for p in written}
    ada = texts[f"ada/{exercise_set}.md"]
    points = sum(assignments[exercise_set].points.values())
    assert f"**Total: {points:.2f} / {points:.2f}**" in ada
    carol = texts[f"carol/{exercise_set}.html"]
    assert "ValueError" in carol and "hidden test 1" in carol
    secrets = hidden_numbers({exercise_set: assignments[exercise_set]})
    secrets |= set(solution_lines(ROOT / "solutions" / f"{exercise_set}.ipynb"))
    assert secrets
    leaked = [(p, s) for p, t in texts.items() for s in secrets if s in t]
    assert not leaked


@pytest.fixture(scope="module")
def assignments():
    from descent.grading.assignment import load_assignments

    return load_assignments(ROOT)


def test_feedback_escapes_names_and_messages():
    graded = Graded(
        "x/<script>alert(1)\n",
        "minibatches",
        tests=[Entry("t", "f", 0.0, 1.0, "```\n<b>bold</b>")],
        problems=["<img src=x onerror=alert(1)>"],
    )
    page, text = feedback.page(graded), feedback.markdown(graded)
    assert "<script>" not in page and "<img" not in page and "<b>" not in page
    assert "````text\n```\n<b>bold</b>\n````" in text
    first, second = feedback.paths([graded, graded])
    assert first.startswith("x/_script_alert_1__-") and second == first + "~2"
    assert "<" not in first and "\n" not in first
