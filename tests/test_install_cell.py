"""A notebook opened with nothing else installed sets itself up through its install cell.

The test makes a fresh virtual environment with only what the notebook imports besides the
course package, then runs an exercise notebook there. The install cell must install the
package (from this checkout, through DESCENT_PACKAGE, as no network reaches the release's
repository here) so that every later cell works: the self-checks answer "not attempted yet".
"""

import os
import subprocess
import sys
import textwrap

from tests.conftest import ROOT

REQUIREMENTS = [
    "numpy",
    "matplotlib",
    "scikit-learn",
    "ipykernel",
    "nbclient",
    "nbformat",
    "setuptools",
]

RUN = textwrap.dedent("""
    import sys
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(sys.argv[1], as_version=4)
    NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=600).execute()
    nbformat.write(nb, sys.argv[2])
""")


def fresh_environment(venv, upgrade_pip: bool = False) -> str:
    """A new virtual environment with what the notebooks import besides the course package
    (pinned by constraints.txt); its Python."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    if upgrade_pip:  # the pip bundled with Python 3.11 (23.x) rejects file URLs without a host
        subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    install = [
        "-m",
        "pip",
        "install",
        "--quiet",
        *REQUIREMENTS,
        "-c",
        str(ROOT / "constraints.txt"),
    ]
    subprocess.run([python, *install], check=True, capture_output=True)
    return python


def test_exercise_notebook_installs_the_package_where_it_is_missing(tmp_path):
    python = fresh_environment(tmp_path / "venv")
    missing = subprocess.run([python, "-c", "import descent"], capture_output=True, cwd=tmp_path)
    assert missing.returncode != 0, "the fresh environment must not have the course package"
    out = tmp_path / "ran.ipynb"
    env = os.environ | {
        "DESCENT_PACKAGE": str(ROOT),
        "PATH": f"{tmp_path / 'venv' / 'bin'}:{os.environ['PATH']}",
    }
    subprocess.run(
        [python, "-c", RUN, str(ROOT / "exercises" / "gradient_descent.ipynb"), str(out)],
        check=True,
        env=env,
        cwd=tmp_path,
        timeout=900,
    )
    import nbformat

    cells = {c.id: c for c in nbformat.read(out, as_version=4).cells}
    errors = [
        o for cid in ("install", "setup") for o in cells[cid].outputs if o.output_type == "error"
    ]
    assert not errors
    for name in ("update_parameters_with_gd", "numerical_gradient"):
        printed = "".join(o.get("text", "") for o in cells[f"{name}-check"].outputs)
        assert "not attempted yet" in printed
