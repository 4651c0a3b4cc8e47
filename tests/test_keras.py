"""The reference momentum, RMSprop, Adam and AdamW agree with Keras' optimizers, step after
step, and the reference warm-up cosine schedule with Keras' CosineDecay.

Each run applies 150 updates to every array of a random network-shaped problem whose
gradients depend on the parameters (a random diagonal quadratic), so any difference in an
update changes every later gradient. Keras runs in float64, but it converts some Python-float
hyperparameters to float32 on the way (SGD's momentum, the base of Adam's bias-correction
powers): 0.9 becomes 0.899999976..., which alone moves the iterates by about 1e-7 after a
few dozen steps. The tests therefore use decay rates that float32 represents exactly.
"""

import os

import numpy as np
import pytest

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402

STEPS, RTOL = 150, 1e-6
BETA_1, BETA_2, RHO = 0.875, 1 - 2**-10, 0.875  # exact in float32 (see the docstring)
# Small enough that no array reaches its target within STEPS: near the target, steps of
# adaptive methods flip sign from one update to the next and amplify round-off.
ADAPTIVE_RATE = 1e-3


class Problem:
    """J = sum over arrays of 1/2 * curvature * (P - target)^2, times a gradient scale."""

    def __init__(self, seed: int, scale: float = 1.0):
        rng = np.random.default_rng(seed)
        dims = [int(d) for d in rng.integers(1, 5, size=rng.integers(2, 5))]
        self.start = {}
        for l in range(1, len(dims)):
            self.start[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
            self.start[f"b{l}"] = rng.standard_normal((dims[l], 1))
        # every target lies 1 to 3 away from its start, beyond reach of the adaptive runs
        self.target = {
            k: a + rng.choice([-1.0, 1.0], a.shape) * rng.uniform(1, 3, a.shape)
            for k, a in self.start.items()
        }
        self.curvature = {k: 10 ** rng.uniform(-1, 1, a.shape) for k, a in self.start.items()}
        self.scale = scale

    def grads(self, parameters: dict) -> dict:
        return {
            f"d{k}": self.scale * self.curvature[k] * (np.asarray(p) - self.target[k])
            for k, p in parameters.items()
        }


def run_reference(problem: Problem, update, init, **hparams) -> dict:
    """Apply a course update function for STEPS steps; ``init`` builds its state."""
    parameters, state = dict(problem.start), init(problem.start)
    for _ in range(STEPS):
        parameters, *state = update(parameters, problem.grads(parameters), *state, **hparams)
    return parameters


def run_keras(problem: Problem, optimizer) -> dict:
    """Apply a Keras optimizer to float64 copies of the start for STEPS steps."""
    variables = {k: keras.Variable(a, dtype="float64") for k, a in problem.start.items()}
    names = list(variables)
    for _ in range(STEPS):
        grads = problem.grads({k: v.numpy() for k, v in variables.items()})
        optimizer.apply([grads[f"d{k}"] for k in names], [variables[k] for k in names])
    return {k: v.numpy() for k, v in variables.items()}


def assert_agree(ours: dict, theirs: dict, rtol: float = RTOL):
    for k in ours:
        np.testing.assert_allclose(ours[k], theirs[k], rtol=rtol, atol=0, err_msg=k)


def max_relative_difference(ours: dict, theirs: dict) -> float:
    return max(float(np.max(np.abs(ours[k] - theirs[k]) / np.abs(theirs[k]))) for k in ours)


@pytest.fixture(autouse=True)
def float64():
    keras.config.set_floatx("float64")
    yield
    keras.config.set_floatx("float32")


def zeros(parameters):
    return ({f"d{k}": np.zeros_like(a) for k, a in parameters.items()},)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_momentum_equals_keras_sgd_with_the_heavy_ball_learning_rate(reference, seed):
    problem, alpha, beta = Problem(seed), 0.05, BETA_1
    ours = run_reference(
        problem, reference["update_parameters_with_momentum"], zeros, beta=beta, learning_rate=alpha
    )
    # EMA form v = beta v + (1 - beta) g, W -= alpha v  ==  heavy ball with alpha (1 - beta)
    theirs = run_keras(
        problem, keras.optimizers.SGD(learning_rate=alpha * (1 - beta), momentum=beta)
    )
    assert_agree(ours, theirs)
    wrong_mapping = run_keras(problem, keras.optimizers.SGD(learning_rate=alpha, momentum=beta))
    assert max_relative_difference(ours, wrong_mapping) > 1e-2


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rmsprop_agrees_with_keras_when_epsilon_is_negligible(reference, seed):
    problem = Problem(seed)
    ours = run_reference(
        problem,
        reference["update_parameters_with_rmsprop"],
        zeros,
        learning_rate=ADAPTIVE_RATE,
        rho=RHO,
        epsilon=1e-8,
    )
    theirs = run_keras(
        problem, keras.optimizers.RMSprop(learning_rate=ADAPTIVE_RATE, rho=RHO, epsilon=1e-8)
    )
    assert_agree(ours, theirs)


def test_rmsprop_epsilon_conventions_differ_for_tiny_gradients_and_agree_without_it(reference):
    problem = Problem(3, scale=1e-7)  # gradients far below sqrt(epsilon) = 1e-4
    update = reference["update_parameters_with_rmsprop"]

    def ours(epsilon):
        return run_reference(
            problem, update, zeros, learning_rate=ADAPTIVE_RATE, rho=RHO, epsilon=epsilon
        )

    def theirs(epsilon):
        return run_keras(
            problem, keras.optimizers.RMSprop(learning_rate=ADAPTIVE_RATE, rho=RHO, epsilon=epsilon)
        )

    assert max_relative_difference(ours(1e-8), theirs(1e-8)) > 1e-2  # inside vs outside the root
    assert_agree(ours(0.0), theirs(0.0))  # the same rule once epsilon is out of the way


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_adam_agrees_with_keras_when_epsilon_is_negligible(reference, seed):
    problem = Problem(seed)
    update = reference["update_parameters_with_adam"]
    ours = _adam(problem, update, lambda t: 1e-8)
    theirs = run_keras(
        problem,
        keras.optimizers.Adam(
            learning_rate=ADAPTIVE_RATE, beta_1=BETA_1, beta_2=BETA_2, epsilon=1e-8
        ),
    )
    assert_agree(ours, theirs)


def _adam(problem, update, epsilon_at):
    """Run the reference Adam with a step-dependent epsilon."""
    parameters = dict(problem.start)
    (v,), (s,) = zeros(parameters), zeros(parameters)
    for t in range(1, STEPS + 1):
        parameters, v, s = update(
            parameters,
            problem.grads(parameters),
            v,
            s,
            t,
            learning_rate=ADAPTIVE_RATE,
            beta1=BETA_1,
            beta2=BETA_2,
            epsilon=epsilon_at(t),
        )
    return parameters


def test_adam_forms_differ_for_tiny_gradients_until_epsilon_is_mapped(reference):
    problem, eps_hat = Problem(4, scale=1e-9), 1e-8
    update = reference["update_parameters_with_adam"]
    theirs = run_keras(
        problem,
        keras.optimizers.Adam(
            learning_rate=ADAPTIVE_RATE, beta_1=BETA_1, beta_2=BETA_2, epsilon=eps_hat
        ),
    )
    same_epsilon = _adam(problem, update, lambda t: eps_hat)
    assert max_relative_difference(same_epsilon, theirs) > 1e-3
    # Keras applies eps_hat to the uncorrected moment: the paper's form with
    # epsilon_t = eps_hat / sqrt(1 - beta_2^t) takes exactly the same steps.
    mapped = _adam(problem, update, lambda t: eps_hat / np.sqrt(1 - BETA_2**t))
    assert_agree(mapped, theirs)


# --- AdamW and the warm-up cosine schedule ------------------------------------------------------
# Keras casts weight_decay through float32 as well (0.1 becomes 0.100000001...), so the decay
# used here is exact in float32. With Keras' epsilon mapped onto the paper's form (above), the
# two take the same steps up to round-off, hence the tighter tolerance.
WEIGHT_DECAY, EXACT = 0.125, 1e-12


def _adamw(problem, update, rate_at, weight_decay=WEIGHT_DECAY, eps_hat=1e-8):
    """Run the reference AdamW; update t gets rate ``rate_at(t)`` and Keras' epsilon mapped
    to the paper's form."""
    parameters = dict(problem.start)
    (v,), (s,) = zeros(parameters), zeros(parameters)
    for t in range(1, STEPS + 1):
        parameters, v, s = update(
            parameters,
            problem.grads(parameters),
            v,
            s,
            t,
            learning_rate=rate_at(t),
            beta1=BETA_1,
            beta2=BETA_2,
            epsilon=eps_hat / np.sqrt(1 - BETA_2**t),
            weight_decay=weight_decay,
        )
    return parameters


def _keras_adamw(problem, learning_rate, decay_biases=False, eps_hat=1e-8) -> dict:
    """Keras' AdamW on named float64 copies of the start, with the biases excluded from the
    decay unless ``decay_biases``."""
    optimizer = keras.optimizers.AdamW(
        learning_rate=learning_rate,
        beta_1=BETA_1,
        beta_2=BETA_2,
        epsilon=eps_hat,
        weight_decay=WEIGHT_DECAY,
    )
    variables = {k: keras.Variable(a, dtype="float64", name=k) for k, a in problem.start.items()}
    if not decay_biases:
        optimizer.exclude_from_weight_decay(
            var_list=[v for k, v in variables.items() if k[0] == "b"]
        )
    names = list(variables)
    for _ in range(STEPS):
        grads = problem.grads({k: v.numpy() for k, v in variables.items()})
        optimizer.apply([grads[f"d{k}"] for k in names], [variables[k] for k in names])
    return {k: v.numpy() for k, v in variables.items()}


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_adamw_equals_keras_adamw_with_the_biases_excluded(reference, seed):
    problem = Problem(seed)
    update = reference["update_parameters_with_adamw"]
    ours = _adamw(problem, update, lambda t: ADAPTIVE_RATE)
    assert_agree(ours, _keras_adamw(problem, ADAPTIVE_RATE), rtol=EXACT)
    # Keras decays every variable unless told otherwise; the exercise leaves the biases alone
    everything = _keras_adamw(problem, ADAPTIVE_RATE, decay_biases=True)
    assert max_relative_difference(ours, everything) > 1e-3
    # the decay is what it adds to Adam: without it, the runs part
    adam = _adamw(problem, update, lambda t: ADAPTIVE_RATE, weight_decay=0.0)
    assert max_relative_difference(adam, ours) > 1e-3


def _cosine_decay(base_lr, warmup_steps, total_steps, final_lr):
    """Keras' CosineDecay set up as warmup_cosine_lr. NumPy float64 rates make Keras compute
    the schedule in float64 (with Python floats it computes in float32, about 1e-5 off)."""
    return keras.optimizers.schedules.CosineDecay(
        initial_learning_rate=np.float64(0.0),  # the warm-up starts at 0
        decay_steps=total_steps - warmup_steps,  # Keras counts the decay after the warm-up
        alpha=final_lr / base_lr,  # Keras' final rate is a fraction of warmup_target
        warmup_target=np.float64(base_lr),
        warmup_steps=warmup_steps,
    )


SCHEDULES = [  # base_lr, warmup_steps, total_steps, final_lr
    (0.1, 10, 100, 0.0),
    (0.1, 10, 100, 0.001),
    (3e-4, 1000, 10000, 3e-5),
    (0.5, 0, 50, 0.0),
    (1.0, 1, 8, 0.25),
]


@pytest.mark.parametrize("base_lr, warmup_steps, total_steps, final_lr", SCHEDULES)
def test_warmup_cosine_equals_keras_cosine_decay(
    reference, base_lr, warmup_steps, total_steps, final_lr
):
    schedule = _cosine_decay(base_lr, warmup_steps, total_steps, final_lr)
    steps = sorted({*range(0, total_steps + 20, max(1, total_steps // 200)), warmup_steps})
    ours = [
        reference["warmup_cosine_lr"](k, base_lr, warmup_steps, total_steps, final_lr)
        for k in steps
    ]
    theirs = [float(schedule(k)) for k in steps]
    np.testing.assert_allclose(ours, theirs, rtol=EXACT, atol=0)
    assert ours[0] == theirs[0] == (base_lr if warmup_steps == 0 else 0.0)
    assert ours[-1] == pytest.approx(final_lr, rel=EXACT)  # held after total_steps


def test_adamw_on_the_schedule_equals_keras_adamw_on_cosine_decay(reference):
    """Keras evaluates the schedule at optimizer.iterations (0 at the first update), so update
    t takes the rate of step t - 1; its decay is multiplied by that scheduled rate too."""
    problem, settings = Problem(5), (ADAPTIVE_RATE, 20, 120, 1e-4)
    schedule = reference["warmup_cosine_lr"]
    ours = _adamw(
        problem, reference["update_parameters_with_adamw"], lambda t: schedule(t - 1, *settings)
    )
    assert_agree(ours, _keras_adamw(problem, _cosine_decay(*settings)), rtol=EXACT)


def test_exclude_from_weight_decay_by_name_leaves_dense_biases_alone():
    """The exercise's text: exclude_from_weight_decay(var_names=["bias"]) gives its rule on a
    Dense layer. With zero gradients Adam's step is 0, so only the decay moves a variable."""
    layer = keras.layers.Dense(3)
    layer.build((None, 2))
    layer.bias.assign(np.ones(3))
    kernel, bias = layer.kernel.numpy().copy(), layer.bias.numpy().copy()
    optimizer = keras.optimizers.AdamW(learning_rate=0.5, weight_decay=WEIGHT_DECAY)
    optimizer.exclude_from_weight_decay(var_names=["bias"])
    optimizer.apply([np.zeros((2, 3)), np.zeros(3)], layer.trainable_variables)
    np.testing.assert_allclose(layer.kernel.numpy(), kernel * (1 - 0.5 * WEIGHT_DECAY), rtol=EXACT)
    np.testing.assert_array_equal(layer.bias.numpy(), bias)
