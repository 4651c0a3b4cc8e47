"""The capstone's optimizer race: one model, one start, one data order, several optimizers.

The model is the one of Rehnfeldt & Hutter (2024): Flatten, Dense(128, ReLU), Dense(10, softmax)
with sparse categorical cross-entropy on Fashion-MNIST scaled to [0, 1], batch size 32. Every
optimizer starts from the same weights and sees the examples in the same order. Training is
fast without changing the experiment: ``steps_per_execution`` runs 625 batches per call into the
backend, XLA compiles the step where Keras allows it, and no Python runs between batches.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import keras
import numpy as np

from descent.results import METRICS

BATCH_SIZE = 32
STEPS_PER_EXECUTION = 625  # a third of an epoch of 60,000 images per call


@dataclass(frozen=True)
class RunSize:
    """How much to train: the full experiment on a GPU, a quick one on a CPU."""

    mode: str
    epochs: int
    train_size: int


SIZES = {"full": RunSize("full", 350, 60_000), "quick": RunSize("quick", 3, 12_000)}


def accelerator() -> str:
    """The name of the GPU the backend will use, or "" when it has none."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        details = tf.config.experimental.get_device_details(gpus[0]) if gpus else {}
        return details.get("device_name", "GPU") if gpus else ""
    if backend == "jax":
        import jax

        return next((d.device_kind for d in jax.devices() if d.platform == "gpu"), "")
    if backend == "torch":
        import torch

        return torch.cuda.get_device_name(0) if torch.cuda.is_available() else ""
    return ""


def run_size(gpu: str, environ=os.environ) -> RunSize:
    """Full on a GPU, quick otherwise; DESCENT_RUN, DESCENT_EPOCHS and DESCENT_TRAIN_SIZE
    override the mode, the number of epochs and the number of training examples."""
    mode = environ.get("DESCENT_RUN") or ("full" if gpu else "quick")
    if mode not in SIZES:
        raise ValueError(f"DESCENT_RUN must be one of {sorted(SIZES)}, not {mode!r}")
    size = SIZES[mode]
    epochs = int(environ.get("DESCENT_EPOCHS", size.epochs))
    train_size = min(int(environ.get("DESCENT_TRAIN_SIZE", size.train_size)), 60_000)
    return RunSize(mode, epochs, train_size)


def seed_everything(seed: int, environ=os.environ) -> bool:
    """Seed Python, NumPy and the backend. With DESCENT_DETERMINISTIC=1 on TensorFlow, also
    ask for deterministic ops (Keras then turns XLA off, which slows the race down). Return
    whether it did."""
    keras.utils.set_random_seed(seed)
    if environ.get("DESCENT_DETERMINISTIC") == "1" and keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()
        return True
    return False


def build_model() -> keras.Model:
    """Flatten → Dense(128, ReLU) "hidden" → Dense(10, softmax) "output", for 28 × 28 images."""
    return keras.Sequential(
        [
            keras.Input((28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(128, activation="relu", name="hidden"),
            keras.layers.Dense(10, activation="softmax", name="output"),
        ]
    )


def xla_allowed() -> bool:
    """Whether to compile with XLA: on TensorFlow and JAX, unless TensorFlow's op determinism
    is on (Keras refuses the two together). Keras' own "auto" leaves XLA off on a CPU."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        from tensorflow.python.framework.config import is_op_determinism_enabled

        return not is_op_determinism_enabled()
    return backend == "jax"


def compiled(weights: list, optimizer, fast: bool = True) -> keras.Model:
    """A fresh model holding ``weights``, compiled with ``optimizer`` (fast: 625 steps per
    call, and XLA where allowed; otherwise one step per call, as a plain loop runs)."""
    model = build_model()
    model.set_weights(weights)
    model.compile(
        optimizer=optimizer,
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=STEPS_PER_EXECUTION if fast else 1,
        jit_compile=fast and xla_allowed(),
    )
    return model


def epoch_orders(n: int, epochs: int, seed: int) -> list[np.ndarray]:
    """One shuffled order of the ``n`` training examples per epoch, the same for everyone."""
    rng = np.random.default_rng(seed)
    return [rng.permutation(n) for _ in range(epochs)]


def train(model: keras.Model, data, orders: list[np.ndarray]) -> dict[str, list[float]]:
    """Train one epoch per order; record the epoch's running training loss and accuracy (as
    ``fit`` reports them), the test loss and accuracy, and the wall time of training."""
    (x, y), (x_test, y_test) = data
    history = {metric: [] for metric in METRICS}
    for order in orders:
        xs, ys = x[order], y[order]
        started = time.perf_counter()
        logs = model.fit(xs, ys, batch_size=BATCH_SIZE, epochs=1, shuffle=False, verbose=0)
        history["seconds"].append(time.perf_counter() - started)
        test = model.evaluate(x_test, y_test, batch_size=1000, verbose=0, return_dict=True)
        history["train_loss"].append(float(logs.history["loss"][0]))
        history["train_accuracy"].append(float(logs.history["accuracy"][0]))
        history["test_loss"].append(float(test["loss"]))
        history["test_accuracy"].append(float(test["accuracy"]))
    return history


def contenders(mine) -> dict[str, Callable[[], keras.optimizers.Optimizer]]:
    """The race's optimizers, at Keras' default settings unless named, and ``mine``."""
    return {
        "SGD": keras.optimizers.SGD,
        "SGD + momentum 0.9": lambda: keras.optimizers.SGD(momentum=0.9),
        "RMSprop": keras.optimizers.RMSprop,
        "Adagrad": keras.optimizers.Adagrad,
        "Adam": keras.optimizers.Adam,
        "AdamW": keras.optimizers.AdamW,
        "MyAdam": mine,
    }


def settings(optimizer: keras.optimizers.Optimizer) -> str:
    """The settings of an optimizer that the race depends on, from its config."""
    config = optimizer.get_config()
    keys = ["learning_rate", "momentum", "rho", "beta_1", "beta_2", "epsilon", "weight_decay"]
    keys += ["initial_accumulator_value"]
    shown = [k for k in keys if isinstance(config.get(k), int | float) and config[k] != 0]
    return ", ".join(f"{k} {config[k]:g}" for k in shown)


def run(
    optimizers: dict[str, Callable[[], keras.optimizers.Optimizer]],
    data,
    size: RunSize,
    seed: int = 0,
    report: Callable[[str, dict], None] | None = None,
) -> dict[str, dict[str, list[float]]]:
    """Race ``optimizers`` (name → factory) from the same start on the same data order."""
    (x, y), test = data
    x, y = x[: size.train_size], y[: size.train_size]
    keras.utils.set_random_seed(seed)
    start = build_model().get_weights()
    orders = epoch_orders(len(x), size.epochs, seed)
    histories = {}
    for name, make in optimizers.items():
        keras.utils.set_random_seed(seed)
        histories[name] = train(compiled(start, make()), ((x, y), test), orders)
        if report:
            report(name, histories[name])
    return histories


def cpu_name() -> str:
    """The processor's model name where Linux tells it, else its architecture."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text().splitlines() if cpuinfo.is_file() else []
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.machine()


def describe_run(size: RunSize, gpu: str, seed: int, deterministic: bool = False) -> dict:
    """What a results file says about how it was made."""
    return {
        **asdict(size),
        "device": gpu or f"CPU ({cpu_name()}, {os.cpu_count()} cores)",
        "backend": keras.backend.backend(),
        "keras": keras.__version__,
        "batch_size": BATCH_SIZE,
        "seed": seed,
        "op_determinism": deterministic,
        "xla": xla_allowed(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
    }
