"""Training speed of the capstone's model on this machine: a plain loop beside a fast one.

The model of the capstone (Flatten, Dense 128 ReLU, Dense 10 softmax) trains on Fashion-MNIST
with Adam at batch size 32, first as a plain ``model.fit(batch_size=32)``, then with the same
batches but ``steps_per_execution=64`` and XLA (``jit_compile=True``). Both run the same number
of epochs in one process; the script prints examples per second, their ratio, and how far each
is from the floating-point floor: about 37 GFLOP per epoch of 60,000 examples (forward and
backward), divided by the float32 matrix-product speed measured here.

    .venv/bin/python benchmarks/capstone_speed.py [--epochs 2]
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from descent import fashion  # noqa: E402

FLOP_PER_EPOCH = 37e9  # 3 x (2 x 60,000 x (784 x 128 + 128 x 10)): forward and backward
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "fashion-mnist"


def build(fast: bool) -> keras.Model:
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(),
        loss="sparse_categorical_crossentropy",
        steps_per_execution=64 if fast else 1,
        jit_compile=fast,
    )
    return model


def seconds_per_epoch(fast: bool, x, y, epochs: int) -> float:
    model = build(fast)
    model.fit(x[:2048], y[:2048], batch_size=32, epochs=1, verbose=0)  # compile, warm up
    started = time.perf_counter()
    model.fit(x, y, batch_size=32, epochs=epochs, verbose=0)
    return (time.perf_counter() - started) / epochs


def matmul_gflops(size: int = 2048, repeats: int = 10) -> float:
    """Float32 matrix-product speed of this machine through the backend, in GFLOP/s."""
    a = keras.ops.convert_to_tensor(np.random.default_rng(0).random((size, size), "float32"))
    keras.ops.matmul(a, a)
    started = time.perf_counter()
    for _ in range(repeats):
        result = keras.ops.matmul(a, a)
    np.asarray(result)
    return 2 * size**3 * repeats / (time.perf_counter() - started) / 1e9


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    if fashion.missing() and SHARED.is_dir():
        fashion.seed_cache(SHARED)
    (x, y), _ = fashion.load()
    plain = seconds_per_epoch(False, x, y, args.epochs)
    fast = seconds_per_epoch(True, x, y, args.epochs)
    floor = FLOP_PER_EPOCH / (matmul_gflops() * 1e9)
    print(f"backend {keras.backend.backend()}, batch size 32, {args.epochs} epoch(s) each")
    for label, seconds in [("plain model.fit", plain), ("steps_per_execution=64 + XLA", fast)]:
        print(
            f"{label:30s} {seconds:6.2f} s/epoch  {len(x) / seconds:9.0f} examples/s  "
            f"{seconds / floor:5.1f}x the FLOP floor"
        )
    print(f"speed-up of the fast loop: {plain / fast:.2f}x (FLOP floor {floor:.2f} s/epoch)")


if __name__ == "__main__":
    main()
