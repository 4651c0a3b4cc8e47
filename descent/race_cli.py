"""``python -m descent race``: the full race, run by instructors from the solutions.

The race's optimizers include the solution's ``MyAdam``, loaded from
solutions/capstone.ipynb. ``--only`` runs some of them and merges the results into the
output folder, so that a long race can be run in parts (one optimizer per command).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path


def run(root: Path, out: Path | None, only: list[str], epochs: int | None, train_size: int | None):
    """Run the race (or the optimizers in ``only``) and write results and figure to ``out``
    (by default book/results/race-gpu or race-cpu, after the device)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import matplotlib

    matplotlib.use("Agg")
    from descent import fashion, race, results
    from descent import notebooks as nbs
    from descent.plotting import race_figure

    solution = root / "solutions" / "capstone.ipynb"
    if not solution.is_file():
        raise SystemExit(f"{solution} is missing: the race needs the instructors' edition")
    mine = nbs.load_namespace(nbs.read(solution))["MyAdam"]
    everyone = race.contenders(mine)
    unknown = set(only) - set(everyone)
    if unknown:
        raise SystemExit(f"unknown optimizers {sorted(unknown)}; known: {list(everyone)}")
    gpu = race.accelerator()
    size = race.run_size(gpu, os.environ | {"DESCENT_RUN": "full"})
    size = replace(size, epochs=epochs or size.epochs, train_size=train_size or size.train_size)
    deterministic = race.seed_everything(0)
    chosen = {name: make for name, make in everyone.items() if not only or name in only}
    print(f"{size.epochs} epochs on {size.train_size} images, device {gpu or 'CPU'}", flush=True)

    def progress(name, history):
        print(f"{name}: test accuracy {history['test_accuracy'][-1]:.4f}", flush=True)

    histories = race.run(chosen, fashion.load(), size, seed=0, report=progress)
    info = race.describe_run(size, gpu, 0, deterministic)
    out = out or root / "book" / "results" / ("race-gpu" if gpu else "race-cpu")
    results.save(histories, info, out, merge=bool(only), order=list(everyone))
    _, merged = results.load(out)
    race_figure(merged, title=f"{size.epochs} epochs on {info['device']}").savefig(
        out / "race.png", dpi=100
    )
    print(results.table(merged))
    return [out / "results.json", out / "results.csv", out / "race.png"]
