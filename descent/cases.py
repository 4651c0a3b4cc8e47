"""Visible test cases: the inputs each graded function is tried on in the notebooks."""

from __future__ import annotations

import numpy as np

from descent.model import Case


def layer_parameters(layer_dims: list[int], seed: int) -> tuple[dict, dict]:
    """Random ``parameters`` (W1, b1, ...) and matching ``grads`` (dW1, db1, ...)."""
    rng = np.random.RandomState(seed)
    parameters, grads = {}, {}
    for l in range(1, len(layer_dims)):
        shape_w, shape_b = (layer_dims[l], layer_dims[l - 1]), (layer_dims[l], 1)
        parameters[f"W{l}"] = rng.randn(*shape_w)
        parameters[f"b{l}"] = rng.randn(*shape_b)
        grads[f"dW{l}"] = rng.randn(*shape_w)
        grads[f"db{l}"] = rng.randn(*shape_b)
    return parameters, grads


def update_parameters_with_gd() -> list[Case]:
    """Two, three and one layers, with several learning rates."""
    specs = [
        ("two layers", [3, 2, 3], 1, 0.01),
        ("three layers", [4, 3, 2, 1], 2, 0.1),
        ("one layer", [2, 1], 3, 0.5),
    ]
    cases = []
    for name, dims, seed, learning_rate in specs:
        parameters, grads = layer_parameters(dims, seed)
        cases.append(Case(name, (parameters, grads, learning_rate)))
    return cases


def wavy(x: np.ndarray) -> float:
    """A smooth test function: sum of sin(3x) + x**2 over all entries."""
    return float(np.sum(np.sin(3 * x) + x**2))


def coupled(x: np.ndarray) -> float:
    """A test function whose partial derivatives depend on every entry."""
    return float(np.sum(x) ** 2 + np.prod(np.cos(x)))


def numerical_gradient() -> list[Case]:
    """A vector, a matrix and a coarse step size (where the difference formula shows)."""
    rng = np.random.RandomState(4)
    return [
        Case("vector", (wavy, rng.randn(4)), {"h": 1e-5}),
        Case("matrix", (coupled, rng.randn(2, 3)), {"h": 1e-5}),
        Case("coarse step", (wavy, rng.randn(3)), {"h": 1e-2}),
    ]


def random_mini_batches() -> list[Case]:
    """A partial last batch, an exact split, and an odd size; every label is distinct."""
    specs = [
        ("m=148, size 64", 2, 148, 64, 0),
        ("m=12, size 4", 3, 12, 4, 1),
        ("m=10, size 3", 2, 10, 3, 7),
    ]
    cases = []
    for name, n, m, size, seed in specs:
        rng = np.random.RandomState(100 + seed)
        X, Y = rng.randn(n, m), rng.rand(1, m)
        cases.append(Case(name, (X, Y), {"mini_batch_size": size, "seed": seed}))
    return cases


VISIBLE = {
    f.__name__: f for f in (update_parameters_with_gd, numerical_gradient, random_mini_batches)
}


def visible(function: str) -> list[Case]:
    """The visible cases of a graded function, built afresh (callers may change them)."""
    if function not in VISIBLE:
        raise KeyError(f"no visible cases for {function!r}; known: {sorted(VISIBLE)}")
    return VISIBLE[function]()
