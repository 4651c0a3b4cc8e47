"""Join the results of a batch graded in shards (``descent grade --shard i/n``).

The shards' ``grades.csv`` rows are concatenated in shard order, which is the order a single
run writes them in; their ``results`` files are copied (they are named by learner id, unique
in the whole batch); the summary lists each shard's.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from descent.grading.report import atomic_write


class MergeError(ValueError):
    """Shards that do not belong to one batch."""


def merge(shards: list[Path], out: Path) -> list[Path]:
    """Write ``out/grades.csv``, ``out/results/`` and ``out/summary.txt`` from ``shards``."""
    header, rows, summaries = None, [], []
    for shard in shards:
        lines = (shard / "grades.csv").read_text(encoding="utf-8").splitlines(keepends=True)
        if header is not None and lines[:1] != [header]:
            raise MergeError(f"{shard} has other columns than {shards[0]}: another exercise set?")
        header = lines[0]
        rows += lines[1:]
        summaries.append(f"== {shard}\n" + (shard / "summary.txt").read_text(encoding="utf-8"))
    copied: set[str] = set()
    for shard in shards:
        for path in sorted((shard / "results").glob("*.json")):
            if path.name.lower() in copied:
                raise MergeError(f"{path.name} is in two shards: they overlap")
            copied.add(path.name.lower())
            (out / "results").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, out / "results" / path.name)
    atomic_write(out / "grades.csv", (header or "") + "".join(rows))
    total = f"Merged {len(shards)} shard(s): {len(rows)} submission(s).\n\n"
    atomic_write(out / "summary.txt", total + "\n".join(summaries))
    return [out / "grades.csv", out / "summary.txt"]
