"""Hidden test inputs for every graded function (instructors only; never released).

The grader computes their expected outputs from the reference solutions at grading time,
so only the inputs live here. They vary what the visible cases hold fixed: layer counts
L = 1..4 and shapes, float32 inputs, several Adam steps with t > 1, gradients small enough
that epsilon's place matters, m not divisible by the mini-batch size, other weight decays,
and schedules of other lengths, probed inside the warm-up, at its boundary and after the end.
Their seeds (1000 and up) differ from every seed of the visible cases, so no hidden input
repeats a visible one.
"""

import numpy as np

from descent import cases
from descent.model import Case

LAYERS = {1: [3, 2], 2: [5, 1, 4], 3: [2, 6, 3, 1], 4: [4, 4, 3, 2, 2]}


def _zeros(parameters):
    return {f"d{k}": np.zeros_like(a) for k, a in parameters.items()}


def update_parameters_with_gd():
    found = []
    for L, dims in LAYERS.items():
        parameters, grads = cases.layer_parameters(dims, 1100 + L)
        found.append(Case(f"L={L}", (parameters, grads, 0.05 * L)))
    parameters, grads = cases.layer_parameters(LAYERS[3], 1110)
    found.append(Case("float32", (cases.as_float32(parameters), cases.as_float32(grads), 0.1)))
    return found


def numerical_gradient():
    rng = np.random.RandomState(1120)
    return [
        Case("3-d array", (cases.coupled, rng.randn(2, 2, 2)), {"h": 1e-5}),
        Case("scalar-like", (cases.wavy, rng.randn(1)), {"h": 1e-4}),
        Case("default h", (cases.wavy, rng.randn(5)), {}),
    ]


def random_mini_batches():
    found = []
    for name, n, m, size, seed in [
        ("m=50, size 16", 3, 50, 16, 5),
        ("m<size", 2, 7, 64, 2),
        ("size 1", 1, 5, 1, 9),
        ("m=129, size 32", 4, 129, 32, 0),
    ]:
        rng = np.random.RandomState(1200 + m)
        X, Y = rng.randn(n, m), rng.rand(2, m)
        found.append(Case(name, (X, Y), {"mini_batch_size": size, "seed": seed}))
    return found


def initialize_velocity():
    found = [Case(f"L={L}", (cases.layer_parameters(d, 1300 + L)[0],)) for L, d in LAYERS.items()]
    found.append(Case("float32", (cases.as_float32(cases.layer_parameters(LAYERS[2], 1310)[0]),)))
    return found


def initialize_adam():
    return initialize_velocity()


def update_parameters_with_momentum():
    found = []
    for L, dims in LAYERS.items():
        parameters, grads = cases.layer_parameters(dims, 1400 + L)
        v = cases.optimizer_state(parameters, 1400 + L)[0]
        found.append(Case(f"L={L}", (parameters, grads, v, [0.0, 0.5, 0.9, 0.99][L - 1], 0.03)))
    parameters, grads = cases.layer_parameters(LAYERS[2], 1410)
    found.append(
        Case(
            "float32",
            (
                cases.as_float32(parameters),
                cases.as_float32(grads),
                cases.as_float32(_zeros(parameters)),
                0.9,
                0.1,
            ),
        )
    )
    return found


def update_parameters_with_rmsprop():
    found = []
    for L, dims in LAYERS.items():
        parameters, grads = cases.layer_parameters(dims, 1500 + L)
        s = cases.optimizer_state(parameters, 1500 + L)[1]
        found.append(Case(f"L={L}", (parameters, grads, s), {"learning_rate": 0.005 * L}))
    parameters, grads = cases.layer_parameters(LAYERS[3], 1510)
    s = cases.optimizer_state(parameters, 1510)[1]
    tiny = (parameters, cases.tiny_gradients(grads, 1e-10), {k: 1e-20 * a for k, a in s.items()})
    found.append(Case("tiny gradients", tiny, {"rho": 0.8}))
    return found


def update_parameters_with_adam():
    found = []
    for L, t in zip(LAYERS, [5, 17, 100, 1000], strict=True):
        parameters, grads = cases.layer_parameters(LAYERS[L], 1600 + L)
        v, s = cases.optimizer_state(parameters, 1600 + L)
        found.append(
            Case(
                f"L={L}, t={t}",
                (parameters, grads, v, s, t),
                {"learning_rate": 0.02, "beta1": 0.8, "beta2": 0.99},
            )
        )
    parameters, grads = cases.layer_parameters(LAYERS[2], 1610)
    v, s = cases.optimizer_state(parameters, 1610)
    small = ({k: 1e-10 * a for k, a in v.items()}, {k: 1e-20 * a for k, a in s.items()})
    found.append(
        Case("tiny gradients, t=4", (parameters, cases.tiny_gradients(grads, 1e-10), *small, 4))
    )
    parameters, grads = cases.layer_parameters(LAYERS[3], 1620)
    v, s = cases.optimizer_state(parameters, 1620)
    found.append(
        Case(
            "float32, t=3",
            (
                cases.as_float32(parameters),
                cases.as_float32(grads),
                cases.as_float32(v),
                cases.as_float32(s),
                3,
            ),
        )
    )
    return found


def schedule_lr_decay():
    return [
        Case("epoch 999", (0.2, 999, 0.5)),
        Case("epoch 1000", (0.2, 1000, 0.5)),
        Case("interval 1", (0.01, 7, 0.1), {"time_interval": 1}),
        Case("interval 300", (1.0, 905, 2.0), {"time_interval": 300}),
    ]


def update_parameters_with_adamw():
    found = []
    for L, t in zip(LAYERS, [4, 30, 200, 2000], strict=True):
        parameters, grads = cases.layer_parameters(LAYERS[L], 1700 + L)
        v, s = cases.optimizer_state(parameters, 1700 + L)
        settings = {"learning_rate": 0.03, "beta1": 0.85, "beta2": 0.995}
        found.append(
            Case(
                f"L={L}, t={t}",
                (parameters, grads, v, s, t),
                settings | {"weight_decay": [0.05, 0.3, 1.0, 0.02][L - 1]},
            )
        )
    parameters, grads = cases.layer_parameters(LAYERS[3], 1710)
    v, s = cases.optimizer_state(parameters, 1710)
    small = ({k: 1e-10 * a for k, a in v.items()}, {k: 1e-20 * a for k, a in s.items()})
    tiny = (parameters, cases.tiny_gradients(grads, 1e-10), *small, 6)
    found.append(Case("tiny gradients, t=6", tiny, {"weight_decay": 0.2}))
    parameters, grads = cases.layer_parameters(LAYERS[2], 1720)
    v, s = (cases.as_float32(d) for d in cases.optimizer_state(parameters, 1720))
    float32 = (cases.as_float32(parameters), cases.as_float32(grads), v, s, 1)
    found.append(Case("float32, t=1", float32, {"learning_rate": 0.02, "weight_decay": 0.4}))
    return found


def warmup_cosine_lr():
    return [
        Case("step 0, long warm-up", (0, 3e-4, 1000, 10000)),
        Case("warm-up", (250, 3e-4, 1000, 10000), {"final_lr": 3e-5}),
        Case("warm-up's last step", (999, 3e-4, 1000, 10000)),
        Case("peak", (1000, 3e-4, 1000, 10000), {"final_lr": 3e-5}),
        Case("decay", (2500, 3e-4, 1000, 10000)),
        Case("late decay", (9000, 0.05, 40, 9500), {"final_lr": 0.001}),
        Case("after the end", (12000, 3e-4, 1000, 10000), {"final_lr": 3e-5}),
        Case("one warm-up step", (1, 1.0, 1, 8)),
        Case("no warm-up, mid-decay", (7, 0.2, 0, 12), {"final_lr": 0.02}),
        Case("no warm-up, first update", (0, 0.2, 0, 12), {"final_lr": 0.02}),
    ]


def model():
    from descent.data import moons

    X, Y = moons(m=37, seed=7)
    common = {"num_epochs": 3, "print_cost": False}
    return [
        Case(
            "gd, L=1", (X, Y, [2, 1], "gd"), {"learning_rate": 0.3, "mini_batch_size": 10, **common}
        ),
        Case(
            "momentum, L=3",
            (X, Y, [2, 4, 3, 1], "momentum"),
            {"learning_rate": 0.05, "beta": 0.5, "mini_batch_size": 8, **common},
        ),
        Case(
            "adam, L=4",
            (X, Y, [2, 3, 3, 2, 1], "adam"),
            {"learning_rate": 0.02, "mini_batch_size": 16, **common},
        ),
        Case(
            "adam with decay",
            (X, Y, [2, 5, 1], "adam"),
            {
                "learning_rate": 0.05,
                "mini_batch_size": 37,
                "decay": cases.inverse_time_decay,
                "decay_rate": 2.0,
                **common,
                "num_epochs": 5,
            },
        ),
    ]


def MyAdam():  # noqa: N802 - named after the graded class
    specs = [  # name, shapes, steps, seed, gradient scale, settings
        ("4-d kernel and a scalar", [(3, 3, 2, 4), ()], 4, 1200, 1.0, {}),
        ("t up to 200", [(6, 2)], 200, 1201, 1.0, {"learning_rate": 0.003}),
        (
            "large steps, beta_2 0.9",
            [(5,)],
            20,
            1202,
            3.0,
            {"learning_rate": 0.1, "beta_1": 0.5, "beta_2": 0.9, "epsilon": 1e-3},
        ),
        ("tiny gradients, 60 steps", [(4, 4)], 60, 1203, 1e-7, {"learning_rate": 0.002}),
    ]
    return cases.optimizer_cases(specs)


HIDDEN = {name: globals()[name] for name in cases.VISIBLE}  # one per visible function


def hidden(function: str) -> list[Case]:
    """The hidden cases of a graded function."""
    return HIDDEN[function]()
