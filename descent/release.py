"""Write the student edition: everything learners need, and nothing of the instructors'.

It holds the chapters, the generated exercise notebooks, the course package and the build
files. It leaves out solutions/ (solution notebooks, typical mistakes, hidden tests), the
test suite and the instructors' make targets.
"""

from __future__ import annotations

import shutil
from pathlib import Path

SHIPPED = [
    "book",
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

README = """# descent: optimization for deep learning (student edition)

An open course on optimization for deep learning: chapters in `book/`, exercise notebooks in
`exercises/`, and the course package `descent/` that the notebooks import.

With Python 3.11 and `make`:

```bash
make book       # set up .venv and build the website into _build/html
make notebook   # start JupyterLab on the exercises
```

In each exercise notebook, write your code where it says `# YOUR CODE HERE`, run the test
cell, compare with the "Expected output", and run `check(your_function)`.
"""


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


def release(root: Path, out: Path) -> Path:
    """Write the student edition of the course at ``root`` into ``out`` (replaced if present)."""
    if out.resolve() in (root.resolve(), *root.resolve().parents):
        raise ValueError(f"{out} would overwrite the course itself: choose another folder")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info")
    for name in SHIPPED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=ignore)
        else:
            shutil.copy2(source, out / name)
    (out / "Makefile").write_text(student_makefile((root / "Makefile").read_text()))
    (out / "README.md").write_text(README)
    return out
