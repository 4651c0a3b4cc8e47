"""Every cell that should run, runs: IPython magics and shell lines do not drop a cell, a cell
that cannot run is listed with its reason, and "X is not defined" names the real cause."""

import ast

import nbformat
import pytest

from descent import notebooks as nbs
from descent.grading.submission import neutralise
from tests.conftest import ROOT
from tests.test_grading import run, scores, submission


@pytest.mark.parametrize(
    "source",
    [
        "%matplotlib inline\nimport numpy as np",
        "%%time\nimport numpy as np\nx = np.ones(2)",
        "if True:\n    !pip install --quiet numpy\n    import numpy as np",
        "files = !ls\nimport numpy as np",
        "a, b = %sx echo 1\nimport numpy as np",
        "np?\nimport numpy as np",
        "%load_ext autoreload\n%autoreload 2\nimport numpy as np",
    ],
)
def test_magic_lines_become_no_ops_and_the_rest_is_kept(source):
    code, why = neutralise(source)
    assert why == ""
    tree = ast.parse(code)
    assert any(isinstance(n, ast.Import) for n in ast.walk(tree))
    assert len(code.split("\n")) == len(source.split("\n"))  # line numbers are kept


def test_python_is_left_alone_and_a_foreign_cell_magic_is_named():
    text = 'rate = "5%"\nprint(f"{rate}")\n'
    assert neutralise(text) == (text, "")
    assert neutralise("%%bash\nls -l") == (None, "it is a %%bash cell, not Python")


def _with_magics(folder, name):
    """The optimizers solution with a magic line atop every code cell and a %%time cell."""
    nb = nbs.read(ROOT / "solutions" / "optimizers.ipynb")
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = "%matplotlib inline\n!pip install --quiet numpy\n" + cell.source
    nb.cells[[c.id for c in nb.cells].index("schedule_lr_decay")].source = (
        "%%time\n" + nb.cells[[c.id for c in nb.cells].index("schedule_lr_decay")].source
    )
    adam = nb.cells[[c.id for c in nb.cells].index("update_parameters_with_adam")]
    adam.source = adam.source.replace("np.sqrt(", "root_of(")
    helper = "%matplotlib inline\nfrom numpy import sqrt as root_of"  # a helper cell
    nb.cells.insert(2, nbformat.v4.new_code_cell(helper, id="helper"))
    nb.cells.append(nbformat.v4.new_code_cell("%%bash\necho hello", id="shell"))
    path = folder / f"{name}.ipynb"
    nbs.write(nb, path)
    return path


def test_a_magic_line_in_any_cell_changes_no_score(tmp_path):
    paths = [_with_magics(tmp_path, "magics"), submission(tmp_path, "plain", "optimizers")]
    graded = run(paths, tmp_path / "out", "optimizers")
    assert scores(graded["magics"]) == scores(graded["plain"])
    assert graded["magics"].score == pytest.approx(17.0)
    assert graded["magics"].problems == ["cell shell was not run: it is a %%bash cell, not Python"]


def test_not_defined_names_the_real_cause(tmp_path):
    uses = ("update_parameters_with_gd", "    L = len(parameters) // 2", "    L = LAYERS")
    variants = {
        "failed_import": [("setup", "import numpy as np", "1 / 0\nimport numpy as np")],
        "no_import": [("setup", "import numpy as np", "")],
        "work_cell": [uses, ("train-data", "X, Y =", "LAYERS = 1\nprint(LAYERS)\nX, Y =")],
    }
    paths = [submission(tmp_path, n, "gradient_descent", e) for n, e in variants.items()]
    graded = run(paths, tmp_path / "out", "gradient_descent")

    def problems(name):
        return " | ".join(graded[name].problems)

    assert (
        "np is not defined when your code runs: cell setup, which defines it, failed "
        "(ZeroDivisionError: division by zero)" in problems("failed_import")
    )
    assert (
        "np is not defined when your code runs: no code cell of the notebook defines it"
        in problems("no_import")
    )
    assert (
        "LAYERS is not defined when your code runs: cell train-data defines it but was not "
        "run: it is one of the course's example cells" in problems("work_cell")
    )
    assert scores(graded["work_cell"])["numerical_gradient"] == pytest.approx(2.0)
