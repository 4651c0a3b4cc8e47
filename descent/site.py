"""The instructor edition of the website: each exercise followed by its solution.

The student site is the default (``make book``). This builds the same sources with a table of
contents and configuration derived from the student ones, so the two never drift apart.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml


def instructor_toc(toc: dict) -> dict:
    """The table of contents with ``solutions/X`` right after every ``exercises/X``."""
    for part in toc["parts"]:
        chapters = []
        for entry in part["chapters"]:
            chapters.append(entry)
            if entry["file"].startswith("exercises/"):
                chapters.append({"file": "solutions/" + entry["file"].split("/", 1)[1]})
        part["chapters"] = chapters
    return toc


def instructor_config(config: dict, root: Path) -> dict:
    """The configuration with the solutions included and relative paths made absolute."""
    config["title"] += " (instructor edition)"
    config["exclude_patterns"] = [p for p in config["exclude_patterns"] if "solutions" not in p]
    config["bibtex_bibfiles"] = [str(root / f) for f in config["bibtex_bibfiles"]]
    extensions = config["sphinx"]["local_extensions"]
    config["sphinx"]["local_extensions"] = {k: str(root / v) for k, v in extensions.items()}
    return config


def build_instructor_site(root: Path, out: Path) -> Path:
    """Build the instructor edition under ``out``; return the folder of its HTML."""
    settings = out / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    toc = instructor_toc(yaml.safe_load((root / "_toc.yml").read_text()))
    config = instructor_config(yaml.safe_load((root / "_config.yml").read_text()), root)
    (settings / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False))
    (settings / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    subprocess.run(
        [
            str(jupyter_book),
            "build",
            str(root),
            "--toc",
            str(settings / "_toc.yml"),
            "--config",
            str(settings / "_config.yml"),
            "--path-output",
            str(out),
            "-W",
            "-n",
            "--keep-going",
        ],
        check=True,
    )
    return out / "_build" / "html"
