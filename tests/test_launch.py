"""The launch path: the student edition is a tagged git repository that a notebook installs from.

Offline, the release goes into a temporary folder; a fresh virtual environment then runs an
exercise notebook of that release, whose install cell installs the course package from the
repository at the tag it pins (the published URL swapped for the folder's ``file://`` URL).
"""

import json
import os
import subprocess

import nbformat
import yaml

from descent import release
from tests.conftest import ROOT
from tests.test_install_cell import RUN, fresh_environment


def git(repo, *args) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def test_a_released_notebook_installs_the_package_from_the_tagged_repository(tmp_path):
    edition = release.release(ROOT, tmp_path / "student")
    tag = f"v{release.version(ROOT)}"
    assert git(edition, "status", "--porcelain") == ""  # everything committed
    assert git(edition, "branch", "--show-current") == "main"
    assert (edition / "binder" / "requirements.txt").read_text().splitlines()[-1] == "."
    assert "Binder" in (edition / "README.md").read_text()

    notebook = edition / "exercises" / "gradient_descent.ipynb"
    install = next(c for c in nbformat.read(notebook, as_version=4).cells if c.id == "install")
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    pinned = f"descent @ git+{url}@{tag}"
    assert pinned in install.source
    python = fresh_environment(tmp_path / "venv", upgrade_pip=True)
    env = os.environ | {
        "DESCENT_PACKAGE": pinned.replace(url, f"file://{edition}"),
        "PATH": f"{tmp_path / 'venv' / 'bin'}:{os.environ['PATH']}",
    }
    env.pop("PYTHONPATH", None)  # the package must come from the repository, not this checkout
    out = tmp_path / "ran.ipynb"
    subprocess.run(
        [python, "-c", RUN, str(notebook), str(out)], check=True, env=env, cwd=tmp_path, timeout=900
    )

    cells = {c.id: c for c in nbformat.read(out, as_version=4).cells}
    assert not [
        o for i in ("install", "setup") for o in cells[i].outputs if o.output_type == "error"
    ]
    printed = "".join(o.get("text", "") for o in cells["update_parameters_with_gd-check"].outputs)
    assert "not attempted yet" in printed
    origin = subprocess.run(
        [
            python,
            "-c",
            "import importlib.metadata as m;"
            "print(m.distribution('descent').read_text('direct_url.json'))",
        ],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    vcs = json.loads(origin.stdout)["vcs_info"]
    assert vcs["requested_revision"] == tag
    assert vcs["commit_id"] == git(edition, "rev-parse", f"{tag}^{{commit}}")
