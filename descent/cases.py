"""Visible test cases: the inputs each graded function is tried on in the notebooks."""

from __future__ import annotations

from dataclasses import replace

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


def as_float32(tree: dict) -> dict:
    """The same dictionary with float32 arrays (as a network trained in float32 holds)."""
    return {k: a.astype(np.float32) for k, a in tree.items()}


def update_parameters_with_gd() -> list[Case]:
    """Two, three and one layers, with several learning rates, and float32 arrays."""
    specs = [
        ("two layers", [3, 2, 3], 1, 0.01),
        ("three layers", [4, 3, 2, 1], 2, 0.1),
        ("one layer", [2, 1], 3, 0.5),
    ]
    cases = []
    for name, dims, seed, learning_rate in specs:
        parameters, grads = layer_parameters(dims, seed)
        cases.append(Case(name, (parameters, grads, learning_rate)))
    parameters, grads = layer_parameters([2, 3, 1], 4)
    return [*cases, Case("float32", (as_float32(parameters), as_float32(grads), 0.05))]


def wavy(x: np.ndarray) -> float:
    """A smooth test function: sum of sin(3x) + x**2 over all entries."""
    return float(np.sum(np.sin(3 * x) + x**2))


def coupled(x: np.ndarray) -> float:
    """A test function whose partial derivatives depend on every entry."""
    return float(np.sum(x) ** 2 + np.prod(np.cos(x)))


def numerical_gradient() -> list[Case]:
    """A vector, a matrix, a coarse step size (where the difference formula shows) and a
    3-d array."""
    rng = np.random.RandomState(4)
    return [
        Case("vector", (wavy, rng.randn(4)), {"h": 1e-5}),
        Case("matrix", (coupled, rng.randn(2, 3)), {"h": 1e-5}),
        Case("coarse step", (wavy, rng.randn(3)), {"h": 1e-2}),
        Case("3-d array", (coupled, rng.randn(2, 1, 2)), {"h": 1e-4}),
    ]


def random_mini_batches() -> list[Case]:
    """A partial last batch, an exact split, an odd size, labels of two rows, and m smaller
    than the mini-batch size; every label is distinct."""
    specs = [  # name, rows of X, m, mini_batch_size, seed, rows of Y
        ("m=148, size 64", 2, 148, 64, 0, 1),
        ("m=12, size 4", 3, 12, 4, 1, 1),
        ("m=10, size 3", 2, 10, 3, 7, 1),
        ("Y of 2 rows, m=20, size 8", 3, 20, 8, 3, 2),
        ("m=5 < size 8", 2, 5, 8, 4, 2),
    ]
    cases = []
    for name, n, m, size, seed, rows in specs:
        rng = np.random.RandomState(100 + seed)
        X, Y = rng.randn(n, m), rng.rand(rows, m)
        cases.append(Case(name, (X, Y), {"mini_batch_size": size, "seed": seed}))
    return cases


def optimizer_state(parameters: dict, seed: int, scale: float = 0.1) -> tuple[dict, dict]:
    """Nonzero optimizer state: first moments ``v`` and positive second moments ``s``."""
    rng = np.random.RandomState(seed)
    v = {f"d{k}": scale * rng.randn(*a.shape) for k, a in parameters.items()}
    s = {f"d{k}": (scale * rng.randn(*a.shape)) ** 2 for k, a in parameters.items()}
    return v, s


def initialize_velocity() -> list[Case]:
    """Zero states for two, three and one layers, and for float32 parameters."""
    dims = [("two layers", [3, 2, 3]), ("three layers", [4, 3, 2, 1]), ("one layer", [2, 1])]
    found = [Case(name, (layer_parameters(d, seed)[0],)) for seed, (name, d) in enumerate(dims)]
    return [*found, Case("float32", (as_float32(layer_parameters([2, 3, 1], 5)[0]),))]


def initialize_adam() -> list[Case]:
    """The same shapes as :func:`initialize_velocity`."""
    return initialize_velocity()


def update_parameters_with_momentum() -> list[Case]:
    """A running velocity, a zero velocity (first step), beta = 0.5, and float32 arrays."""
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
    parameters, grads = layer_parameters([2, 3, 1], 14)
    v = as_float32(optimizer_state(parameters, 14)[0])
    return [*cases, Case("float32", (as_float32(parameters), as_float32(grads), v, 0.9, 0.1))]


def tiny_gradients(grads: dict, scale: float = 1e-9) -> dict:
    """Gradients so small that where epsilon sits changes the step."""
    return {k: scale * g for k, g in grads.items()}


def update_parameters_with_rmsprop() -> list[Case]:
    """A running average, a first step, tiny gradients (epsilon placement), and other
    hyperparameters."""
    cases = []
    for name, dims, seed, tiny in [
        ("two layers, running", [3, 2, 3], 21, False),
        ("three layers, first step", [4, 3, 2, 1], 22, False),
        ("tiny gradients, one layer", [3, 1], 23, True),
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
    parameters, grads = layer_parameters([3, 4, 2, 2], 24)
    s = optimizer_state(parameters, 24)[1]
    settings = {"learning_rate": 0.05, "rho": 0.8, "epsilon": 1e-4}
    return [
        *cases,
        Case("rho 0.8, learning rate 0.05, epsilon 1e-4", (parameters, grads, s), settings),
    ]


def update_parameters_with_adam() -> list[Case]:
    """Step t = 2 with running moments, the first step t = 1, tiny gradients at t = 3,
    other hyperparameters at t = 7, and float32 arrays at t = 3."""
    cases = []
    for name, dims, seed, t in [
        ("two layers, t = 2", [3, 2, 3], 31, 2),
        ("three layers, t = 1", [4, 3, 2, 1], 32, 1),
        ("tiny gradients, one layer, t = 3", [3, 1], 33, 3),
    ]:
        parameters, grads = layer_parameters(dims, seed)
        v, s = optimizer_state(parameters, seed)
        if t == 1:
            v, s = ({k: np.zeros_like(a) for k, a in d.items()} for d in (v, s))
        if t == 3:
            grads = tiny_gradients(grads)
            v, s = {k: 1e-9 * a for k, a in v.items()}, {k: 1e-18 * a for k, a in s.items()}
        cases.append(Case(name, (parameters, grads, v, s, t), {"learning_rate": 0.01}))
    parameters, grads = layer_parameters([3, 4, 2, 2], 34)
    v, s = optimizer_state(parameters, 34)
    settings = {"learning_rate": 0.05, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-4}
    cases.append(Case("other hyperparameters, t = 7", (parameters, grads, v, s, 7), settings))
    parameters, grads = layer_parameters([2, 3, 1], 35)
    v, s = (as_float32(d) for d in optimizer_state(parameters, 35))
    float32 = (as_float32(parameters), as_float32(grads), v, s, 3)
    return [*cases, Case("float32, t = 3", float32, {"learning_rate": 0.01})]


def update_parameters_with_adamw() -> list[Case]:
    """Adam's cases with weight decay: step t = 2 with running moments, the first step t = 1,
    tiny gradients at t = 3, other hyperparameters at t = 7, and float32 arrays at t = 3."""
    cases = []
    for name, dims, seed, t, weight_decay in [
        ("two layers, t = 2", [3, 2, 3], 51, 2, 0.1),
        ("three layers, t = 1", [4, 3, 2, 1], 52, 1, 0.5),
        ("tiny gradients, one layer, t = 3", [3, 1], 53, 3, 0.1),
    ]:
        parameters, grads = layer_parameters(dims, seed)
        v, s = optimizer_state(parameters, seed)
        if t == 1:
            v, s = ({k: np.zeros_like(a) for k, a in d.items()} for d in (v, s))
        if t == 3:
            grads = tiny_gradients(grads)
            v, s = {k: 1e-9 * a for k, a in v.items()}, {k: 1e-18 * a for k, a in s.items()}
        settings = {"learning_rate": 0.01, "weight_decay": weight_decay}
        cases.append(Case(name, (parameters, grads, v, s, t), settings))
    parameters, grads = layer_parameters([3, 4, 2, 2], 54)
    v, s = optimizer_state(parameters, 54)
    settings = {
        "learning_rate": 0.05,
        "beta1": 0.8,
        "beta2": 0.99,
        "epsilon": 1e-4,
        "weight_decay": 0.2,
    }
    cases.append(Case("other hyperparameters, t = 7", (parameters, grads, v, s, 7), settings))
    parameters, grads = layer_parameters([2, 3, 1], 55)
    v, s = (as_float32(d) for d in optimizer_state(parameters, 55))
    float32 = (as_float32(parameters), as_float32(grads), v, s, 3)
    return [*cases, Case("float32, t = 3", float32, {"learning_rate": 0.01, "weight_decay": 0.1})]


def schedule_lr_decay() -> list[Case]:
    """Before the first interval ends, after two and a half intervals, a short interval."""
    return [
        Case("epoch 0", (0.5, 0, 0.3)),
        Case("epoch 2500", (0.5, 2500, 0.3)),
        Case("epoch 47, interval 10", (0.1, 47, 1.0), {"time_interval": 10}),
    ]


def warmup_cosine_lr() -> list[Case]:
    """The first update, inside the warm-up (also with a final rate), its last step and the
    step after it, the middle and the end of the decay, a final rate, the steps after
    total_steps, and no warm-up (from its first update)."""
    return [
        Case("step 0", (0, 0.1, 10, 100)),
        Case("step 4 of the warm-up", (4, 0.1, 10, 100)),
        Case("step 6 of the warm-up, final_lr 0.01", (6, 0.1, 10, 100), {"final_lr": 0.01}),
        Case("step 9, the warm-up's last", (9, 0.1, 10, 100)),
        Case("step 10, the peak", (10, 0.1, 10, 100)),
        Case("step 55, mid-decay", (55, 0.1, 10, 100)),
        Case("step 70, final_lr 0.01", (70, 0.1, 10, 100), {"final_lr": 0.01}),
        Case("step 100, the end", (100, 0.1, 10, 100), {"final_lr": 0.01}),
        Case("step 150, after the end", (150, 0.1, 10, 100), {"final_lr": 0.01}),
        Case("step 0, no warm-up", (0, 0.5, 0, 50)),
        Case("step 20, no warm-up", (20, 0.5, 0, 50)),
    ]


def inverse_time_decay(learning_rate0: float, epoch_num: int, decay_rate: float) -> float:
    """The schedule the visible cases of ``model`` use: decay after every epoch."""
    return learning_rate0 / (1 + decay_rate * epoch_num)


def model() -> list[Case]:
    """Five short runs on a small two-moons set: mini-batch GD, momentum, Adam with decay,
    then momentum and Adam with other hyperparameters."""
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
        Case(
            "momentum, beta 0.5",
            (X, Y, [2, 3, 2, 1], "momentum"),
            {"learning_rate": 0.2, "beta": 0.5, **common},
        ),
        Case(
            "adam, other hyperparameters",
            (X, Y, [2, 3, 1], "adam"),
            {"learning_rate": 0.05, "beta1": 0.8, "beta2": 0.99, "epsilon": 1e-4, **common},
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
        update_parameters_with_adamw,
        warmup_cosine_lr,
    )
}


def visible(function: str) -> list[Case]:
    """The visible cases of a graded function, built afresh (callers may change them)."""
    if function not in VISIBLE:
        raise KeyError(f"no visible cases for {function!r}; known: {sorted(VISIBLE)}")
    return VISIBLE[function]()


# --- what kind of input a case is, and a one-line summary of it ----------------------------


def perturbed(value):
    """Another value of a numeric argument, to see whether a function uses it (else None)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value + 1 if isinstance(value, int) else (value * 0.5 if value else 0.5)


def numeric_keys(case: Case) -> list[str]:
    """The arguments :func:`vary` can change: positions ("0", "1", ...) and keyword names."""
    positions = [str(i) for i, a in enumerate(case.args) if perturbed(a) is not None]
    return positions + [k for k, a in case.kwargs.items() if perturbed(a) is not None]


def vary(case: Case, key: str) -> Case:
    """The same case with one numeric argument changed (see :func:`perturbed`)."""
    if key.isdigit():
        args = list(case.args)
        args[int(key)] = perturbed(args[int(key)])
        return replace(case, args=tuple(args))
    return replace(case, kwargs=case.kwargs | {key: perturbed(case.kwargs[key])})


def _layers(value) -> int | None:
    """The number of layers of a dict keyed W1, b1, ... (or dW1, db1, ...), else None."""
    if not isinstance(value, dict) or not value:
        return None
    count = sum(str(k).lstrip("d").startswith("W") for k in value)
    return count or None


def properties(function: str, case: Case) -> set[str]:
    """The kinds of input a case exercises, as phrases ("with Y of several rows").

    Values and sizes are not kinds: a hidden case may use any; a kind of input that some
    hidden case exercises must be exercised by a visible case too (tests/test_selfcheck.py).
    """
    found = {f"with {name} given" for name in case.kwargs}
    arrays = [a for arg in case.args for a in (arg.values() if isinstance(arg, dict) else [arg])]
    if any(getattr(a, "dtype", None) == np.float32 for a in arrays):
        found.add("with float32 arrays")
    layers = {_layers(a) for a in case.args} - {None}
    if any(L > 2 for L in layers):
        found.add("with more than two layers")
    if 1 in layers:
        found.add("with one layer")
    if function.startswith("update_parameters_with_adam") and case.args[4] > 1:
        found.add("with t > 1")
    if function == "warmup_cosine_lr":
        step, _, warmup_steps, total_steps = case.args
        found |= {"during the warm-up"} if step < warmup_steps else set()
        if step < warmup_steps and case.kwargs.get("final_lr", 0.0) != 0.0:
            found.add("during the warm-up, with a final_lr")
        found |= {"with no warm-up"} if warmup_steps == 0 else set()
        found |= {"after total_steps"} if step > total_steps else set()
    if function == "random_mini_batches":
        X, Y = case.args
        m, size = X.shape[1], case.kwargs.get("mini_batch_size", 64)
        found |= {"with Y of several rows"} if Y.shape[0] > 1 else set()
        found |= {"with m smaller than mini_batch_size"} if m < size else set()
        found |= {"with a last, smaller mini-batch"} if m % size else set()
    if function == "model":
        found.add(f"with optimizer {case.args[3]!r}")
        found |= {"with more than two layers"} if len(case.args[2]) > 3 else set()
    if function == "MyAdam":
        weights, gradients = case.args
        found |= {"over several steps"} if len(gradients) > 1 else set()
    return found


def _brief(name: str, value) -> str:
    if isinstance(value, np.ndarray):
        return f"{name} {value.shape}"
    if (L := _layers(value)) is not None:
        dims = [value[k].shape for k in value if str(k).lstrip("d").startswith("W")]
        sizes = "→".join(str(n) for n in [dims[0][1], *(d[0] for d in dims)])
        return f"{name}: {L} layer{'s' * (L > 1)} ({sizes})"
    if callable(value):
        return f"{name}={getattr(value, '__name__', type(value).__name__)}"
    if isinstance(value, float):
        return f"{name}={value:g}"
    if isinstance(value, list | tuple) and all(isinstance(a, np.ndarray) for a in value):
        return f"{name}: {len(value)} arrays"
    if isinstance(value, list | tuple) and value and isinstance(value[0], list | tuple):
        return f"{name}: {len(value)} steps"
    return f"{name}={value!r}"


def summary(named: dict) -> str:
    """The inputs of a case in one line: shapes, layer sizes and hyperparameters."""
    return ", ".join(_brief(name, value) for name, value in named.items())
