"""The tuned race: each optimizer at the learning rate that a sweep on held-out images chose.

The race's images are split once, with a seed, into a training part and a validation part (a
sixth). For every optimizer, a sweep trains from the race's start for a few epochs at each
rate of a log grid around Keras' default and scores it on the validation part; the grid grows
where the best rate lies at its edge. The chosen and the default rate are scored again with
other orders of the images, to show how much a score varies. Then a full run at the chosen rate
and one at the default rate train on the same part for the same epochs, and only these are read
on the test set.
"""

from __future__ import annotations

import inspect
import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial

import keras
import numpy as np

from descent import race

STEP = 10**0.5  # the grid's ratio between neighbouring rates: two rates per decade
PER_SIDE = 2  # grid points on each side of the default rate
MOST_EXTENSIONS = 4  # rates added at the edges, at most, before the sweep gives up
VALIDATION_SHARE = 1 / 6  # 10,000 of the 60,000 training images
REPEAT_SEEDS = (1, 2)  # other orders of the images, to see how much a sweep's score varies


@dataclass(frozen=True)
class Budget:
    """Epochs of each sweep run and of each full run, and the images split into training and
    validation."""

    sweep_epochs: int = 2
    epochs: int = 20
    train_size: int = 60_000


@dataclass(frozen=True)
class Trial:
    """One run of a sweep: its rate (``step`` grid steps from the default), its validation
    loss and accuracy after the sweep's epochs, whether it diverged, and its wall time."""

    step: int
    learning_rate: float
    val_loss: float
    val_accuracy: float
    diverged: bool
    seconds: float


def contenders() -> dict[str, Callable[..., keras.optimizers.Optimizer]]:
    """The tuned race's optimizers: call with no argument for Keras' default settings, or with
    ``learning_rate`` to change only that. Muon keeps the output layer out of its orthogonal
    step, as Keras' documentation asks; that layer and the biases take its AdamW step."""
    optimizers = keras.optimizers
    return {
        "SGD": optimizers.SGD,
        "SGD + momentum 0.9": partial(optimizers.SGD, momentum=0.9),
        "RMSprop": optimizers.RMSprop,
        "Adagrad": optimizers.Adagrad,
        "Adam": optimizers.Adam,
        "AdamW": optimizers.AdamW,
        "Lion": optimizers.Lion,
        "Muon": partial(optimizers.Muon, exclude_layers=["output"]),
    }


def default_rate(make: Callable[..., keras.optimizers.Optimizer]) -> float:
    """The learning rate an optimizer gets when none is given."""
    return inspect.signature(make).parameters["learning_rate"].default


def rate(default: float, step: int) -> float:
    """The grid's rate ``step`` steps above (or below, when negative) the default."""
    return default * STEP**step


def split(n: int, seed: int, share: float = VALIDATION_SHARE) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the training and validation parts of ``n`` images, drawn with ``seed``;
    each sorted, together all of them, no index in both."""
    order = np.random.default_rng(seed).permutation(n)
    held = round(n * share)
    return np.sort(order[held:]), np.sort(order[:held])


def diverged(train_loss: float, val_loss: float) -> bool:
    """Whether a run failed: a loss that is not a number, or a validation loss above ln 10,
    that of guessing every class with probability 1/10 (worse than not training at all)."""
    return not (math.isfinite(train_loss) and math.isfinite(val_loss)) or val_loss > math.log(10)


def best(trials: list[Trial]) -> Trial | None:
    """The trial with the highest validation accuracy (on a tie, the lower validation loss),
    among those that did not diverge; None when all diverged."""
    alive = [t for t in trials if not t.diverged]
    return max(alive, key=lambda t: (t.val_accuracy, -t.val_loss), default=None)


def next_step(trials: list[Trial]) -> int | None:
    """The grid step to try next: one beyond the edge where the best trial lies, or None when
    the best has a tried rate on each side (or every trial diverged)."""
    chosen = best(trials)
    steps = [t.step for t in trials]
    if chosen is None:
        return None
    if chosen.step == max(steps):
        return chosen.step + 1
    if chosen.step == min(steps):
        return chosen.step - 1
    return None


def sweep(
    score: Callable[[int], Trial], per_side: int = PER_SIDE, most: int = MOST_EXTENSIONS
) -> list[Trial]:
    """Score the grid steps -per_side … per_side, then extend the grid at an edge while the
    best lies there (``most`` times at most); the trials in order of rate."""
    trials = [score(step) for step in range(-per_side, per_side + 1)]
    for _ in range(most):
        step = next_step(trials)
        if step is None:
            break
        trials.append(score(step))
    return sorted(trials, key=lambda t: t.step)


def trial(make, step: int, start: list, data, epochs: int, seed: int) -> Trial:
    """Train from ``start`` at the grid's rate ``step`` for ``epochs`` on ``data``'s training
    part, in the race's order, and score it on ``data``'s validation part."""
    (x, y), validation = data
    learning_rate = rate(default_rate(make), step)
    started = time.perf_counter()
    keras.utils.set_random_seed(seed)
    model = race.compiled(start, make(learning_rate=learning_rate))
    # race.train evaluates on the pair it is given second: here the validation part
    history = race.train(model, ((x, y), validation), race.epoch_orders(len(x), epochs, seed))
    val_loss, val_accuracy = history["test_loss"][-1], history["test_accuracy"][-1]
    return Trial(
        step,
        learning_rate,
        val_loss,
        val_accuracy,
        diverged(history["train_loss"][-1], val_loss),
        time.perf_counter() - started,
    )


def full_run(make, learning_rate: float, start: list, data, epochs: int, seed: int) -> dict:
    """The race's run of one optimizer at ``learning_rate``: its history, epoch by epoch."""
    keras.utils.set_random_seed(seed)
    model = race.compiled(start, make(learning_rate=learning_rate))
    return race.train(model, data, race.epoch_orders(len(data[0][0]), epochs, seed))


def tune(make, data, budget: Budget, seed: int = 0, report=print) -> tuple[dict, dict, dict]:
    """One part of the tuned race: sweep ``make``'s rate, score the chosen and the default
    rate again with other orders of the images (how much the score varies), then run it in
    full at the chosen and at the default rate (once when they are the same). ``data`` is
    the race's ``((x, y), (x_test, y_test))``; its first ``budget.train_size`` images are
    split. Return the sweep's record and the tuned and default histories."""
    (x, y), test = data
    x, y = x[: budget.train_size], y[: budget.train_size]
    train_part, val_part = split(len(x), seed)
    training, validation = (x[train_part], y[train_part]), (x[val_part], y[val_part])
    keras.utils.set_random_seed(seed)
    start = race.build_model().get_weights()

    def score(step: int) -> Trial:
        done = trial(make, step, start, (training, validation), budget.sweep_epochs, seed)
        state = "diverged" if done.diverged else f"validation accuracy {done.val_accuracy:.4f}"
        report(f"  rate {done.learning_rate:.2e}: {state} ({done.seconds:.1f} s)")
        return done

    started = time.perf_counter()
    trials = sweep(score)
    chosen = best(trials)
    if chosen is None:
        raise RuntimeError("every rate of the sweep diverged")
    swept = time.perf_counter()

    def repeats(step: int) -> list[float]:
        data = (training, validation)
        runs = [trial(make, step, start, data, budget.sweep_epochs, s) for s in REPEAT_SEEDS]
        return [t.val_accuracy for t in runs]

    repeated = {"chosen": repeats(chosen.step)}
    repeated["default"] = repeated["chosen"] if chosen.step == 0 else repeats(0)
    shown = {k: " ".join(f"{a:.4f}" for a in v) for k, v in repeated.items()}
    report(f"  other orders of the images: chosen {shown['chosen']}, default {shown['default']}")
    repeated_at = time.perf_counter()
    default = default_rate(make)
    full = (training, test)
    tuned = full_run(make, chosen.learning_rate, start, full, budget.epochs, seed)
    same = chosen.step == 0
    defaults = tuned if same else full_run(make, default, start, full, budget.epochs, seed)
    record = {
        "default_rate": default,
        "chosen_rate": chosen.learning_rate,
        "chosen_step": chosen.step,
        "trials": [asdict(t) for t in trials],
        "repeat_seeds": list(REPEAT_SEEDS),
        "repeats": repeated,
        "sweep_seconds": swept - started,
        "repeat_seconds": repeated_at - swept,
        "full_seconds": time.perf_counter() - repeated_at,
        "default_run_is_tuned_run": same,
    }
    return record, tuned, defaults
