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


def optimizer_state(parameters: dict, seed: int, scale: float = 0.1) -> tuple[dict, dict]:
    """Nonzero optimizer state: first moments ``v`` and positive second moments ``s``."""
    rng = np.random.RandomState(seed)
    v = {f"d{k}": scale * rng.randn(*a.shape) for k, a in parameters.items()}
    s = {f"d{k}": (scale * rng.randn(*a.shape)) ** 2 for k, a in parameters.items()}
    return v, s


def initialize_velocity() -> list[Case]:
    """Zero states for two, three and one layers."""
    dims = [("two layers", [3, 2, 3]), ("three layers", [4, 3, 2, 1]), ("one layer", [2, 1])]
    return [Case(name, (layer_parameters(d, seed)[0],)) for seed, (name, d) in enumerate(dims)]


def initialize_adam() -> list[Case]:
    """The same shapes as :func:`initialize_velocity`."""
    return initialize_velocity()


def update_parameters_with_momentum() -> list[Case]:
    """A running velocity, a zero velocity (first step), and beta = 0.5."""
    specs = [
        ("two layers, running", [3, 2, 3], 11, 0.9, 0.01, True),
        ("three layers, first step", [4, 3, 2, 1], 12, 0.8, 0.1, False),
        ("one layer, beta 0.5", [2, 1], 13, 0.5, 0.05, True),
    ]
    cases = []
    for name, dims, seed, beta, learning_rate, running in specs:
        parameters, grads = layer_parameters(dims, seed)
        v = (
            optimizer_state(parameters, seed)[0]
            if running
            else {f"d{k}": np.zeros_like(a) for k, a in parameters.items()}
        )
        cases.append(Case(name, (parameters, grads, v, beta, learning_rate)))
    return cases


def tiny_gradients(grads: dict, scale: float = 1e-9) -> dict:
    """Gradients so small that where epsilon sits changes the step."""
    return {k: scale * g for k, g in grads.items()}


def update_parameters_with_rmsprop() -> list[Case]:
    """A running average, a first step, and tiny gradients (epsilon placement)."""
    cases = []
    for name, dims, seed, tiny in [
        ("two layers, running", [3, 2, 3], 21, False),
        ("three layers, first step", [4, 3, 2, 1], 22, False),
        ("tiny gradients", [2, 2, 1], 23, True),
    ]:
        parameters, grads = layer_parameters(dims, seed)
        s = optimizer_state(parameters, seed)[1]
        if name.endswith("first step"):
            s = {k: np.zeros_like(a) for k, a in s.items()}
        if tiny:
            grads, s = tiny_gradients(grads), {k: 1e-18 * a for k, a in s.items()}
        cases.append(
            Case(name, (parameters, grads, s), {"learning_rate": 0.01, "rho": 0.9, "epsilon": 1e-8})
        )
    return cases


def update_parameters_with_adam() -> list[Case]:
    """Step t = 2 with running moments, the first step t = 1, and tiny gradients at t = 3."""
    cases = []
    for name, dims, seed, t in [
        ("two layers, t = 2", [3, 2, 3], 31, 2),
        ("three layers, t = 1", [4, 3, 2, 1], 32, 1),
        ("tiny gradients, t = 3", [2, 2, 1], 33, 3),
    ]:
        parameters, grads = layer_parameters(dims, seed)
        v, s = optimizer_state(parameters, seed)
        if t == 1:
            v, s = ({k: np.zeros_like(a) for k, a in d.items()} for d in (v, s))
        if t == 3:
            grads = tiny_gradients(grads)
            v, s = {k: 1e-9 * a for k, a in v.items()}, {k: 1e-18 * a for k, a in s.items()}
        cases.append(Case(name, (parameters, grads, v, s, t), {"learning_rate": 0.01}))
    return cases


def schedule_lr_decay() -> list[Case]:
    """Before the first interval ends, after two and a half intervals, a short interval."""
    return [
        Case("epoch 0", (0.5, 0, 0.3)),
        Case("epoch 2500", (0.5, 2500, 0.3)),
        Case("epoch 47, interval 10", (0.1, 47, 1.0), {"time_interval": 10}),
    ]


def inverse_time_decay(learning_rate0: float, epoch_num: int, decay_rate: float) -> float:
    """The schedule the visible cases of ``model`` use: decay after every epoch."""
    return learning_rate0 / (1 + decay_rate * epoch_num)


def model() -> list[Case]:
    """Three short runs on a small two-moons set: mini-batch GD, momentum, Adam with decay."""
    from descent.data import moons

    X, Y = moons(m=40, seed=1)
    common = {"mini_batch_size": 16, "num_epochs": 3, "print_cost": False}
    return [
        Case("gd", (X, Y, [2, 3, 1], "gd"), {"learning_rate": 0.1, **common}),
        Case("momentum", (X, Y, [2, 3, 1], "momentum"), {"learning_rate": 0.1, **common}),
        Case(
            "adam with decay",
            (X, Y, [2, 4, 2, 1], "adam"),
            {
                "learning_rate": 0.01,
                "decay": inverse_time_decay,
                "decay_rate": 0.5,
                **common,
                "num_epochs": 4,
            },
        ),
    ]


def gradient_steps(shapes: list, steps: int, seed: int, scale: float = 1.0):
    """Small starting weights of the given shapes, and ``steps`` rounds of gradients for them."""
    rng = np.random.RandomState(seed)
    weights = [0.01 * rng.randn(*shape) for shape in shapes]
    gradients = [[scale * rng.randn(*shape) for shape in shapes] for _ in range(steps)]
    return weights, gradients


def optimizer_cases(specs: list) -> list[Case]:
    """Cases for a Keras optimizer class from ``(name, shapes, steps, seed, gradient scale,
    settings)``: the class is run on the gradients by :func:`keras_check.apply_steps`."""
    from descent.keras_check import apply_steps

    return [
        Case(name, gradient_steps(shapes, steps, seed, scale), settings, driver=apply_steps)
        for name, shapes, steps, seed, scale, settings in specs
    ]


def my_adam() -> list[Case]:
    """The capstone's Keras optimizer on given gradients: default settings for three steps,
    other settings for ten, and gradients so small that where epsilon sits shows."""
    return optimizer_cases(
        [
            ("defaults, 3 steps", [(4, 3), (3,)], 3, 41, 1.0, {}),
            (
                "other settings, 10 steps",
                [(2, 5), (5,), (5, 1)],
                10,
                42,
                1.0,
                {"learning_rate": 0.01, "beta_1": 0.8, "beta_2": 0.99, "epsilon": 1e-6},
            ),
            ("tiny gradients, 5 steps", [(3, 2)], 5, 43, 1e-6, {"learning_rate": 0.01}),
        ]
    )


VISIBLE = {"MyAdam": my_adam} | {
    f.__name__: f
    for f in (
        update_parameters_with_gd,
        numerical_gradient,
        random_mini_batches,
        initialize_velocity,
        update_parameters_with_momentum,
        update_parameters_with_rmsprop,
        initialize_adam,
        update_parameters_with_adam,
        schedule_lr_decay,
        model,
    )
}


def visible(function: str) -> list[Case]:
    """The visible cases of a graded function, built afresh (callers may change them)."""
    if function not in VISIBLE:
        raise KeyError(f"no visible cases for {function!r}; known: {sorted(VISIBLE)}")
    return VISIBLE[function]()
