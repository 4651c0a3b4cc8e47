"""Work done once per batch so that every submission's child starts fast.

A child starts with an empty home folder and may not write the course package, so on its
own it would compile the package's modules from source and rebuild matplotlib's font list
(about 0.4 s) every time. The grader does both once: it compiles the package to bytecode and
builds a font list that each child then sees read-only (:mod:`descent.grading.sandbox`).
"""

from __future__ import annotations

import atexit
import compileall
import functools
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import descent

CONFIG = ".matplotlib"  # matplotlib's folder inside a child's home


def compile_package() -> None:
    """Write the course package's bytecode where it is missing or stale (quietly: a package
    the grader may not write is simply left as it is)."""
    compileall.compile_dir(Path(descent.__file__).resolve().parent, quiet=2)


@functools.cache
def font_list() -> Path | None:
    """Matplotlib's font list, built once in a folder every sandbox user may read (removed
    when the grader exits); None where matplotlib is not installed or the build fails."""
    if importlib.util.find_spec("matplotlib") is None:
        return None
    folder = Path(tempfile.mkdtemp(prefix=".descent-fonts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    folder.chmod(0o755)
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": str(folder)}
    subprocess.run(
        [sys.executable, "-I", "-c", "import matplotlib.font_manager"],
        env=environment | {"MPLCONFIGDIR": str(folder), "MPLBACKEND": "Agg"},
        capture_output=True,
        timeout=300,
        check=False,
    )
    found = sorted(folder.glob("fontlist-*.json"))
    if not found:
        return None
    found[0].chmod(0o644)
    return found[0]


def prepare() -> None:
    """Everything above, before a batch starts."""
    compile_package()
    font_list()
