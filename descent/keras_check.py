"""Checks of a Keras optimizer written by a learner: on given gradients, and in training."""

from __future__ import annotations

import contextlib

import numpy as np


def apply_steps(optimizer_class, weights, gradients, **hyperparameters):
    """The weights after applying each step's ``gradients`` in turn, computed in float64.

    The optimizer is made from ``hyperparameters``, then rebuilt from its ``get_config()``,
    as Keras does when it loads a saved model, so a config that forgets a setting shows.
    Float64 makes the result independent of how a correct step orders its operations.
    """
    import keras

    with _float64():
        variables = [keras.Variable(w, dtype="float64") for w in weights]
        optimizer = optimizer_class(**hyperparameters)
        optimizer = optimizer_class.from_config(optimizer.get_config())
        for step in gradients:
            optimizer.apply([keras.ops.convert_to_tensor(g, "float64") for g in step], variables)
        return [keras.ops.convert_to_numpy(v) for v in variables]


def _float64():
    """A context in which the backend computes in float64 (JAX needs to be asked)."""
    import keras

    if keras.backend.backend() == "jax":
        import jax

        return jax.enable_x64(True)
    return contextlib.nullcontext()


def agreement(optimizer, reference, x, y, steps: int = 100, seed: int = 0) -> float:
    """Train two copies of the capstone's model from the same weights on the same ``steps``
    batches of 32, one with each optimizer; return the largest weight difference."""
    import keras

    from descent.race import BATCH_SIZE, build_model

    keras.utils.set_random_seed(seed)
    start = build_model().get_weights()
    n = steps * BATCH_SIZE
    trained = []
    for opt in (optimizer, reference):
        model = build_model()
        model.set_weights(start)
        model.compile(optimizer=opt, loss="sparse_categorical_crossentropy")
        model.fit(x[:n], y[:n], batch_size=BATCH_SIZE, epochs=1, shuffle=False, verbose=0)
        trained.append(model.get_weights())
    return max(float(np.max(np.abs(a - b))) for a, b in zip(*trained, strict=True))
