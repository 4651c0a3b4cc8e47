"""``python -m descent race``: the full race, run by instructors from the solutions.

The race's optimizers include the solution's ``MyAdam``, loaded from
solutions/capstone.ipynb. ``--only`` runs some of them and merges the results into the
output folder, so that a long race can be run in parts (one optimizer per command).
"""

from __future__ import annotations

import os
import time
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


def run_tuned(root: Path, out: Path | None, only: list[str], budget) -> list[Path]:
    """Run the tuned race (or the optimizers in ``only``, merged into ``out``): per optimizer
    a sweep of its learning rate on held-out images, then full runs at the chosen and at the
    default rate. Write them to ``out`` (by default book/results/race-gpu-tuned or
    race-cpu-tuned): sweep.json and .csv, tuned/ and defaults/ in the race's format, and the
    sweep's figure. Print each part's measured time."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import matplotlib

    matplotlib.use("Agg")
    from descent import fashion, race, results, tuning
    from descent.plotting import sweep_figure

    everyone = tuning.contenders()
    unknown = set(only) - set(everyone)
    if unknown:
        raise SystemExit(f"unknown optimizers {sorted(unknown)}; known: {list(everyone)}")
    gpu = race.accelerator()
    deterministic = race.seed_everything(0)
    data = fashion.load()
    pool = min(budget.train_size, len(data[0][0]))
    validation = len(tuning.split(pool, 0)[1])
    size = race.RunSize("tuned", budget.epochs, pool - validation)
    info = race.describe_run(size, gpu, 0, deterministic)
    info |= {"validation_size": validation, "sweep_epochs": budget.sweep_epochs}
    out = out or root / "book" / "results" / ("race-gpu-tuned" if gpu else "race-cpu-tuned")
    print(
        f"sweeps of {budget.sweep_epochs} epochs, full runs of {budget.epochs} epochs, on "
        f"{size.train_size} images ({validation} held out), device {gpu or 'CPU'}",
        flush=True,
    )
    order = list(everyone)
    for name, make in everyone.items():
        if only and name not in only:
            continue
        print(f"{name}: sweep from the default rate {tuning.default_rate(make):g}", flush=True)
        started = time.perf_counter()
        record, tuned, defaults = tuning.tune(make, data, budget, seed=0, report=_flush_print)
        record["part_seconds"] = time.perf_counter() - started
        results.save_sweeps({name: record}, info, out, merge=True, order=order)
        results.save({name: tuned}, info, out / "tuned", merge=True, order=order)
        results.save({name: defaults}, info, out / "defaults", merge=True, order=order)
        print(
            f"{name}: chose {record['chosen_rate']:.2e}; test accuracy after "
            f"{budget.epochs} epochs {tuned['test_accuracy'][-1]:.4f} tuned, "
            f"{defaults['test_accuracy'][-1]:.4f} at the default; part took "
            f"{record['part_seconds']:.0f} s (sweep {record['sweep_seconds']:.0f} s, "
            f"full runs {record['full_seconds']:.0f} s)",
            flush=True,
        )
    _, sweeps = results.load_sweeps(out)
    sweep_figure(sweeps).savefig(out / "sweep.png", dpi=100)
    defaults, tuned = (results.load(out / part)[1] for part in ("defaults", "tuned"))
    print(results.versus(defaults, tuned, sweeps))
    return [
        out / "sweep.json",
        out / "sweep.csv",
        out / "sweep.png",
        out / "tuned",
        out / "defaults",
    ]


def _flush_print(line: str) -> None:
    print(line, flush=True)
