"""Write the student edition: everything learners need, and nothing of the instructors'.

It holds the chapters, the generated exercise notebooks, the course package and the build
files. It leaves out solutions/ (solution notebooks, typical mistakes, hidden tests), the
test suite and the instructors' make targets. The edition is a git repository, committed on
the branch the launch buttons open and tagged ``vX.Y.Z`` (the package's version), the tag
that every notebook's install cell pins; ``binder/`` tells Binder what to install.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import yaml

SHIPPED = [
    "book",
    "_static",
    "exercises",
    "descent",
    "_config.yml",
    "_toc.yml",
    "references.bib",
    "pyproject.toml",
    "requirements.txt",
    "constraints.txt",
    ".gitignore",
]
INSTRUCTOR_TARGETS = (
    "test:",
    "test-numpy1:",
    "$(VENV1)/.installed:",
    "sandbox:",
    "sync:",
    "book-instructor:",
)

README = """# descent: optimization for deep learning (student edition, v{version})

An open course on optimization for deep learning: chapters in `book/`, exercise notebooks in
`exercises/`, and the course package `descent/` that the notebooks import.

## Run the exercises

- **In the browser, nothing to install:** [open them on Binder]({binder}) (JupyterLab with
  everything installed; it takes a few minutes to start), or open a notebook on Colab, for
  instance [Exercises 1]({colab}). Each notebook's first cell installs the course package
  (`{requirement}`) where it is missing.
- **On your machine,** with Python 3.11 and `make`:

  ```bash
  git clone {url} && cd {name}
  make book       # set up .venv and build the website into _build/html
  make notebook   # start JupyterLab on the exercises
  ```

  Without `make`: `pip install -r binder/requirements.txt`, then `jupyter lab exercises`.

In each exercise notebook, write your code where it says `# YOUR CODE HERE`, run the test
cell, compare with the "Expected output", and run `check(your_function)`. Save your work
under a new name, or in your own fork: a later version of the course replaces these files.
"""

# What the notebooks import, installed by Binder with the course's pinned versions.
BINDER_PACKAGES = ["numpy", "matplotlib", "scikit-learn", "ipywidgets", "tensorflow", "jupyterlab"]


def student_makefile(text: str) -> str:
    """The Makefile without the targets that need solutions/ or tests/."""
    blocks = text.split("\n\n")
    kept = [
        b
        for b in blocks
        if not b.lstrip().startswith(INSTRUCTOR_TARGETS) and not b.startswith("VENV1")
    ]
    text = (
        "\n\n".join(kept)
        .replace(" test test-numpy1 sandbox", "")
        .replace(" book-instructor", "")
        .replace(" sync", "")
    )
    return text.replace(" $(VENV1)", "").replace(
        "`make book` and `make test` work", "`make book` works"
    )


def version(root: Path) -> str:
    """The course package's version, as in pyproject.toml."""
    return tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]


def binder_requirements(root: Path) -> str:
    """Binder's requirements: the notebooks' packages at the course's pins, then the course."""
    pins = dict(
        re.match(r"([A-Za-z0-9_.-]+)==(\S+)", line).groups()
        for line in (root / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    pins = {name.lower(): pin for name, pin in pins.items()}
    lines = [f"{name}=={pins[name]}" for name in BINDER_PACKAGES]
    return (
        "# Installed by Binder (mybinder.org) before it opens the repository.\n"
        + "\n".join([*lines, "."])
        + "\n"
    )


def readme(root: Path) -> str:
    """The learners' README, with links built from ``repository`` in _config.yml."""
    repository = yaml.safe_load((root / "_config.yml").read_text())["repository"]
    url, branch = repository["url"].rstrip("/"), repository["branch"]
    slug = url.removeprefix("https://github.com/")
    tag = f"v{version(root)}"
    return README.format(
        version=version(root),
        url=url,
        name=slug.rsplit("/", 1)[-1],
        binder=f"https://mybinder.org/v2/gh/{slug}/{tag}?urlpath=lab/tree/exercises",
        colab=f"https://colab.research.google.com/github/{slug}/blob/{branch}/exercises/"
        "gradient_descent.ipynb",
        requirement=f"descent @ git+{url}@{tag}",
    )


def commit_and_tag(out: Path, branch: str, tag: str) -> None:
    """Commit everything in ``out`` on ``branch`` and tag it (a new repository if needed)."""

    def git(*args: str) -> None:
        author = ["-c", "user.name=descent release", "-c", "user.email=release@descent.invalid"]
        subprocess.run(["git", "-C", str(out), *author, *args], check=True, capture_output=True)

    if not (out / ".git").exists():
        git("init", "--quiet", "--initial-branch", branch)
    git("add", "--all")
    git("commit", "--quiet", "--allow-empty", "--message", f"Student edition {tag}")
    git("tag", "--annotate", tag, "--message", f"Student edition {tag}")


def tagged(out: Path, tag: str) -> bool:
    """Whether ``out`` is a git repository that already has ``tag``."""
    verify = ["git", "-C", str(out), "rev-parse", "--quiet", "--verify", f"refs/tags/{tag}"]
    return (out / ".git").exists() and subprocess.run(verify, capture_output=True).returncode == 0


def clear(out: Path) -> None:
    """Empty ``out`` except for its git history (a previous release)."""
    for path in out.iterdir():
        if path.name != ".git":
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


def release(root: Path, out: Path) -> Path:
    """Write the student edition of the course at ``root`` into ``out``, commit and tag it.

    ``out`` is created, or replaced if present; when it is a previous release's repository,
    its history is kept and the new edition is committed on top of it.
    """
    if out.resolve() in (root.resolve(), *root.resolve().parents):
        raise ValueError(f"{out} would overwrite the course itself: choose another folder")
    tag = f"v{version(root)}"
    if tagged(out, tag):
        raise ValueError(f"{out} already has {tag}: raise the version in pyproject.toml first")
    if (out / ".git").exists():
        clear(out)
    elif out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info")
    for name in SHIPPED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=ignore)
        else:
            shutil.copy2(source, out / name)
    (out / "Makefile").write_text(student_makefile((root / "Makefile").read_text()))
    (out / "README.md").write_text(readme(root))
    (out / "binder").mkdir()
    (out / "binder" / "requirements.txt").write_text(binder_requirements(root))
    (out / "binder" / "runtime.txt").write_text("python-3.11\n")
    branch = yaml.safe_load((root / "_config.yml").read_text())["repository"]["branch"]
    commit_and_tag(out, branch, tag)
    return out
