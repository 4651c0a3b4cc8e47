"""Training speed of the capstone's race on this machine, beside a plain Keras loop.

Both train the race's model (Flatten, Dense 128 ReLU, Dense 10 softmax) with Adam at batch
size 32 from the same weights, in one process:

- plain: ``model.fit(x, y, batch_size=32)``, one step per call, no XLA (as the report ran it);
- race: the race's training (``descent.race``), 625 steps per call and XLA.

Both record the training accuracy, as the race needs, and report the median epoch.

The script prints examples per second of both, their ratio, and how far each is from the
floating-point floor: the matrix products of an epoch of 60,000 examples, forward and backward,
take 24.5 GFLOP (the rule of thumb "backward = 2 x forward" gives 37, but the gradient with
respect to the input images is never computed), divided by the float32 matrix-product speed
measured here. It then times the race's training for every optimizer of the tuned race
(the race's and Lion and Muon), interleaved, bounds from these times the training time of the
tuned race at its budget, and last times the race with TensorFlow's op determinism on
(which makes Keras turn XLA off; it cannot be turned off again in the same process).

    .venv/bin/python benchmarks/capstone_speed.py [--epochs 2] [--train-size 60000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from descent import fashion, race, tuning  # noqa: E402

FORWARD = 2 * (784 * 128 + 128 * 10)  # FLOP per example: two matrix products
BACKWARD = 2 * FORWARD - 2 * 784 * 128  # weight gradients, and the input gradient of layer 2
FLOP_PER_EPOCH = 60_000 * (FORWARD + BACKWARD)  # 24.5e9
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "fashion-mnist"


def seconds_per_epoch(start, data, epochs: int, fast: bool, make=keras.optimizers.Adam) -> float:
    """Median seconds per epoch of training (after a first, compiling, epoch): the plain loop
    (one step per call, no XLA) or the race's (625 steps per call, XLA). Both train one epoch
    per ``fit`` call on the same shuffled orders, so only the training settings differ."""
    orders = race.epoch_orders(len(data[0][0]), epochs + 1, seed=0)
    history = race.train(race.compiled(start, make(), fast=fast), data, orders)
    return float(np.median(history["seconds"][1:]))


def matmul_gflops(size: int = 2048, repeats: int = 10) -> float:
    """Float32 matrix-product speed of this machine through the backend, in GFLOP/s."""
    a = keras.ops.convert_to_tensor(np.random.default_rng(0).random((size, size), "float32"))
    keras.ops.matmul(a, a)
    started = time.perf_counter()
    for _ in range(repeats):
        result = keras.ops.matmul(a, a)
    np.asarray(result)
    return 2 * size**3 * repeats / (time.perf_counter() - started) / 1e9


def race_on_jax(args) -> float | None:
    """The race's median seconds per epoch on Keras' JAX backend, measured by this script in
    a subprocess (a process has one backend); None when JAX is not installed."""
    command = [sys.executable, __file__, "--race-only", "--epochs", str(args.epochs)]
    command += ["--train-size", str(args.train_size)]
    env = os.environ | {"KERAS_BACKEND": "jax"}
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    return float(done.stdout.split()[-1]) if done.returncode == 0 else None


def per_optimizer(start, data, epochs: int) -> dict[str, float]:
    """Race seconds per epoch of every contender of the tuned race (the race's, with Keras'
    Adam standing in for MyAdam, and Lion and Muon), at Keras' default settings, measured in
    interleaved rounds so that a busy machine slows all of them alike."""
    models = {name: race.compiled(start, make()) for name, make in tuning.contenders().items()}
    seconds = {name: [] for name in models}
    orders = race.epoch_orders(len(data[0][0]), epochs + 1, seed=0)
    for round_, order in enumerate(orders):
        for name, model in models.items():
            spent = race.train(model, data, [order])["seconds"][0]
            if round_:  # the first round compiles
                seconds[name].append(spent)
    return {name: float(np.mean(s)) for name, s in seconds.items()}


def tuned_race_minutes(per_epoch: dict[str, float], budget: tuning.Budget) -> tuple[float, float]:
    """Least and most minutes of training in the tuned race at ``budget``, from seconds per
    epoch on 60,000 images: sweeps of the grid's rates (more when extended at an edge), one
    full run when the default rate is chosen, two otherwise. Compilation is not counted."""
    share = 1 - tuning.VALIDATION_SHARE  # the runs train on the training part only
    grid = 2 * tuning.PER_SIDE + 1
    fewest = grid * budget.sweep_epochs + budget.epochs
    most = (grid + tuning.MOST_EXTENSIONS) * budget.sweep_epochs + 2 * budget.epochs
    total = share * sum(per_epoch.values()) / 60
    return fewest * total, most * total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--train-size", type=int, default=60_000)
    parser.add_argument("--race-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if fashion.missing() and SHARED.is_dir():
        fashion.seed_cache(SHARED)
    (x, y), test = fashion.load()
    data = ((x[: args.train_size], y[: args.train_size]), test)
    n = len(data[0][0])
    keras.utils.set_random_seed(0)
    start = race.build_model().get_weights()
    if args.race_only:  # the subprocess of race_on_jax
        print(seconds_per_epoch(start, data, args.epochs, fast=True))
        return
    plain = seconds_per_epoch(start, data, args.epochs, fast=False)
    fast = seconds_per_epoch(start, data, args.epochs, fast=True)
    floor = FLOP_PER_EPOCH * n / 60_000 / (matmul_gflops() * 1e9)
    print(f"backend {keras.backend.backend()}, batch size 32, {n} examples, {args.epochs} epochs")
    for label, seconds in [("plain model.fit", plain), ("race (625 steps/call, XLA)", fast)]:
        print(
            f"{label:28s} {seconds:6.2f} s/epoch {n / seconds:9.0f} examples/s "
            f"{seconds / floor:6.1f}x the FLOP floor"
        )
    print(f"speed-up of the race over plain: {plain / fast:.2f}x (FLOP floor {floor:.3f} s/epoch)")
    jax = race_on_jax(args)
    if jax is None:
        print("race on the JAX backend: not measured (JAX is not installed)")
    else:
        print(f"race on the JAX backend: {jax:.2f} s/epoch, {n / jax:.0f} examples/s, ", end="")
        print(f"speed-up over the plain TensorFlow loop: {plain / jax:.2f}x")
    print("race seconds per epoch by optimizer (interleaved):")
    per_epoch = per_optimizer(start, data, args.epochs)
    for name, seconds in per_epoch.items():
        print(f"  {name:20s} {seconds:6.3f}")
    budget = tuning.Budget()
    least, most = tuned_race_minutes({k: v * 60_000 / n for k, v in per_epoch.items()}, budget)
    print(
        f"tuned race ({budget.sweep_epochs}-epoch sweeps, {budget.epochs}-epoch runs), training "
        f"without compilation: {least:.1f} to {most:.1f} min"
    )
    if not race.seed_everything(0, environ={"DESCENT_DETERMINISTIC": "1"}):
        print(f"op determinism: TensorFlow only, not measured on {keras.backend.backend()}")
        return
    deterministic = seconds_per_epoch(start, data, args.epochs, fast=True)
    print(
        f"race with op determinism (no XLA): {deterministic:.2f} s/epoch, "
        f"{deterministic / fast:.2f}x the time without"
    )


if __name__ == "__main__":
    main()
