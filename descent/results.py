"""Results of the optimizer race: save and load them, and summarize them as tables."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

METRICS = ("train_loss", "train_accuracy", "test_loss", "test_accuracy", "seconds")


SAME_RUN = ("epochs", "train_size", "batch_size", "seed", "device", "backend", "keras")


def _merged(stored: tuple[dict, dict], new: dict, info: dict, same, what: str) -> dict:
    """The ``stored`` (info, entries) of a run in parts, updated with ``new``; refused when
    the stored part was run with other ``same`` settings than ``info``."""
    earlier_info, earlier = stored
    differ = [k for k in same if earlier_info.get(k) != info.get(k)]
    if differ:
        raise ValueError(f"{what} with other {', '.join(differ)}")
    return earlier | new


def _in_order(entries: dict, order) -> dict:
    """``entries`` by optimizer, in the order ``order`` names them (others last)."""
    rank = {name: i for i, name in enumerate(order)}
    return dict(sorted(entries.items(), key=lambda item: rank.get(item[0], len(rank))))


def save(histories: dict, info: dict, folder: Path, merge: bool = False, order=()) -> Path:
    """Write results.json (run description and histories) and results.csv (one row per
    optimizer and epoch) into ``folder``; return the folder. With ``merge``, the histories
    of optimizers run earlier into the same folder are kept (a race run in parts), provided
    that they were run the same way; ``order`` lists the optimizers' names in race order."""
    folder.mkdir(parents=True, exist_ok=True)
    if merge and (folder / "results.json").is_file():
        histories = _merged(load(folder), histories, info, SAME_RUN, f"{folder} holds a run")
    histories = _in_order(histories, order)
    (folder / "results.json").write_text(
        json.dumps({"run": info, "histories": histories}, indent=1) + "\n"
    )
    rows = ["optimizer,epoch," + ",".join(METRICS)]
    for name, history in histories.items():
        for epoch, values in enumerate(zip(*(history[m] for m in METRICS), strict=True), start=1):
            rows.append(f"{name},{epoch}," + ",".join(f"{v:.6f}" for v in values))
    (folder / "results.csv").write_text("\n".join(rows) + "\n")
    return folder


def load(folder: Path) -> tuple[dict, dict]:
    """The run description and histories that :func:`save` wrote."""
    stored = json.loads((Path(folder) / "results.json").read_text())
    return stored["run"], stored["histories"]


def seconds_per_epoch(history: dict) -> float:
    """Mean training seconds per epoch, the first (compiling) epoch left out when possible."""
    return float(np.mean(history["seconds"][1:] or history["seconds"]))


def summary(histories: dict) -> list[tuple]:
    """Per optimizer: final train loss, final and best test accuracy (with its epoch), and
    seconds per epoch."""
    rows = []
    for name, h in histories.items():
        best = int(np.argmax(h["test_accuracy"]))
        rows.append(
            (
                name,
                h["train_loss"][-1],
                h["test_accuracy"][-1],
                h["test_accuracy"][best],
                best + 1,
                seconds_per_epoch(h),
            )
        )
    return rows


def table(histories: dict) -> str:
    """The summary as fixed-width text."""
    lines = [
        f"{'optimizer':20s} {'train loss':>10s} {'test acc':>9s} {'best acc':>9s} "
        f"{'at epoch':>8s} {'s/epoch':>8s}"
    ]
    for name, loss, final, best, epoch, seconds in summary(histories):
        lines.append(f"{name:20s} {loss:10.4f} {final:9.4f} {best:9.4f} {epoch:8d} {seconds:8.2f}")
    return "\n".join(lines)


def jitter(values: list[float], first: int, last: int) -> float:
    """How much a curve jumps from epoch to epoch: the standard deviation of its changes
    between epochs ``first`` and ``last`` (1-based, inclusive)."""
    return float(np.std(np.diff(values[first - 1 : last])))


def overfitting(histories: dict, windows=((2, 21), (51, 100), (301, 350))) -> str:
    """Per optimizer: the epoch of lowest test loss, that loss, the final test loss, the final
    gap between test and training loss, and the jitter of the test accuracy in each window of
    epochs (first and last, 1-based)."""
    heads = "".join(f" {f'jitter {a}-{b}':>15s}" for a, b in windows)
    lines = [
        f"{'optimizer':20s} {'best epoch':>10s} {'min test':>9s} {'final':>7s} {'gap':>7s}{heads}"
    ]
    for name, h in histories.items():
        best = int(np.argmin(h["test_loss"]))
        jitters = "".join(f" {jitter(h['test_accuracy'], a, b):15.4f}" for a, b in windows)
        lines.append(
            f"{name:20s} {best + 1:10d} {h['test_loss'][best]:9.4f} {h['test_loss'][-1]:7.4f} "
            f"{h['test_loss'][-1] - h['train_loss'][-1]:7.3f}{jitters}"
        )
    return "\n".join(lines)


SAME_SWEEP = ("sweep_epochs", "train_size", "validation_size", "seed", "device", "backend")


def save_sweeps(sweeps: dict, info: dict, folder: Path, merge: bool = False, order=()) -> Path:
    """Write sweep.json (run description and, per optimizer, its sweep's record) and sweep.csv
    (one row per optimizer and rate tried) into ``folder``; merge with the sweeps stored there
    as :func:`save` merges histories."""
    folder.mkdir(parents=True, exist_ok=True)
    if merge and (folder / "sweep.json").is_file():
        sweeps = _merged(load_sweeps(folder), sweeps, info, SAME_SWEEP, f"{folder} holds a sweep")
    sweeps = _in_order(sweeps, order)
    (folder / "sweep.json").write_text(json.dumps({"run": info, "sweeps": sweeps}, indent=1) + "\n")
    columns = ("learning_rate", "val_loss", "val_accuracy", "diverged", "seconds")
    rows = ["optimizer," + ",".join(columns) + ",chosen"]
    for name, record in sweeps.items():
        for trial in record["trials"]:
            chosen = trial["learning_rate"] == record["chosen_rate"]
            values = [f"{trial['learning_rate']:.6g}"]
            values += [f"{trial[c]:.6f}" for c in ("val_loss", "val_accuracy")]
            values += [str(trial["diverged"]), f"{trial['seconds']:.3f}", str(chosen)]
            rows.append(f"{name}," + ",".join(values))
    (folder / "sweep.csv").write_text("\n".join(rows) + "\n")
    return folder


def load_sweeps(folder: Path) -> tuple[dict, dict]:
    """The run description and sweeps that :func:`save_sweeps` wrote."""
    stored = json.loads((Path(folder) / "sweep.json").read_text())
    return stored["run"], stored["sweeps"]


def ranks(histories: dict) -> dict[str, int]:
    """Each optimizer's place (1 = best) by its test accuracy after the last epoch."""
    final = sorted(histories, key=lambda name: -histories[name]["test_accuracy"][-1])
    return {name: final.index(name) + 1 for name in histories}


def versus(defaults: dict, tuned: dict, sweeps: dict) -> str:
    """Defaults against tuned as fixed-width text: per optimizer, both learning rates, and for
    each run its rank, final and best test accuracy; the tuned run's seconds per epoch."""
    lines = [
        f"{'':20s} {'learning rate':>19s} {'at the default':>24s} {'tuned':>24s}",
        f"{'optimizer':20s} {'default':>9s} {'chosen':>9s} "
        + f"{'rank':>4s} {'final':>9s} {'best':>9s} " * 2
        + f"{'s/epoch':>7s}",
    ]
    before, after = ranks(defaults), ranks(tuned)
    for name, record in sweeps.items():
        row = f"{name:20s} {record['default_rate']:9.2g} {record['chosen_rate']:9.2g} "
        for rank, h in ((before[name], defaults[name]), (after[name], tuned[name])):
            row += f"{rank:4d} {h['test_accuracy'][-1]:9.4f} {max(h['test_accuracy']):9.4f} "
        lines.append(row + f"{seconds_per_epoch(tuned[name]):7.2f}")
    return "\n".join(lines)
