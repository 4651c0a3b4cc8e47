"""Chapter 7's schedules and AdamW step against closed forms and Keras.

The schedules must equal Keras' schedule objects at every step of a run, and values written
out by hand at chosen steps. The AdamW step must take the first step that follows from its
definition by hand, and the same steps as ``keras.optimizers.AdamW`` over a run.
"""

import os

import numpy as np
import pytest

from descent import schedules, steps

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras  # noqa: E402

S = keras.optimizers.schedules
K = np.arange(0, 1200)  # steps 0..1199, past the end of every decay below

RATE = np.float64(0.3)  # a NumPy float: Keras computes the schedule in its dtype
PAIRS = {  # our formula, and the Keras schedule that should equal it
    "step": (
        lambda k: schedules.step_decay(k, 0.3, 0.5, 200),
        S.ExponentialDecay(RATE, decay_steps=200, decay_rate=0.5, staircase=True),
    ),
    "exponential": (
        lambda k: schedules.exponential(k, 0.3, 0.01, 1000),
        S.ExponentialDecay(RATE, decay_steps=1000, decay_rate=np.float64(0.01)),
    ),
    "1/t": (
        lambda k: schedules.inverse_time(k, 0.3, 9.0, 1000),
        S.InverseTimeDecay(RATE, decay_steps=1000, decay_rate=9.0),
    ),
    "cosine": (
        lambda k: schedules.cosine(k, 0.3, 1000, final=0.003),
        S.CosineDecay(RATE, decay_steps=1000, alpha=0.01),
    ),
    "warm-up + cosine": (
        lambda k: schedules.warmup_cosine(k, 0.3, 100, 900, final=0.003),
        S.CosineDecay(
            np.float64(0), decay_steps=900, alpha=0.01, warmup_target=RATE, warmup_steps=100
        ),
    ),
    "warm-up from a nonzero start": (
        lambda k: schedules.warmup_cosine(k, 0.3, 100, 900, start=0.05),
        S.CosineDecay(np.float64(0.05), decay_steps=900, warmup_target=RATE, warmup_steps=100),
    ),
}


@pytest.fixture
def float64():
    keras.config.set_floatx("float64")
    yield
    keras.config.set_floatx("float32")


@pytest.mark.parametrize("name", list(PAIRS))
def test_each_schedule_equals_its_keras_object_at_every_step(name):
    ours, theirs = PAIRS[name]
    keras_values = np.array([float(theirs(k)) for k in K])
    np.testing.assert_allclose(ours(K), keras_values, rtol=1e-12, atol=0)


def test_schedules_take_the_values_written_out_by_hand():
    assert schedules.step_decay([0, 199, 200, 599, 600], 0.3, 0.5, 200).tolist() == [
        0.3,
        0.3,
        0.15,
        0.075,
        0.0375,
    ]
    assert schedules.exponential(500, 0.3, 0.01, 1000) == pytest.approx(0.03)  # 0.3 * 0.1
    assert schedules.inverse_time(1000, 0.3, 9.0, 1000) == pytest.approx(0.03)
    assert schedules.cosine([0, 500, 1000, 5000], 0.3, 1000, final=0.1).tolist() == pytest.approx(
        [0.3, 0.2, 0.1, 0.1]
    )
    values = schedules.warmup_cosine([0, 50, 99, 100, 550, 1000, 2000], 0.2, 100, 900)
    assert values.tolist() == pytest.approx([0.0, 0.1, 0.198, 0.2, 0.1, 0.0, 0.0], abs=1e-15)


def adamw_first_step(x, g, learning_rate, weight_decay, epsilon):
    """By hand: after one step m_hat = g and v_hat = g**2, whatever beta_1 and beta_2."""
    return x - learning_rate * (g / (np.abs(g) + epsilon) + weight_decay * x)


def test_adamw_first_step_is_the_sign_step_plus_decay_of_the_old_point():
    rng = np.random.default_rng(0)
    x, g = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    moved, (m, v, t) = steps.adamw(x, g, None, 0.01, weight_decay=0.5, epsilon=1e-8)
    np.testing.assert_allclose(moved, adamw_first_step(x, g, 0.01, 0.5, 1e-8), rtol=1e-14)
    assert t == 1
    without, _ = steps.adamw(x, g, None, 0.01, weight_decay=0.0)
    np.testing.assert_allclose(without, steps.adam(x, g, None, 0.01)[0], rtol=0, atol=0)


def test_adamw_takes_keras_adamw_steps_over_a_run(float64):
    """A quadratic pulls each entry towards a target; 100 steps, float64, epsilon negligible."""
    rng = np.random.default_rng(1)
    start, target = rng.standard_normal((4, 3)), rng.standard_normal((4, 3)) * 3
    curvature = 10 ** rng.uniform(-1, 1, (4, 3))
    beta_1, beta_2, rate, decay = 0.875, 1 - 2**-10, 0.01, 0.25  # exact in float32

    x, state = start.copy(), None
    for _ in range(100):
        x, state = steps.adamw(
            x,
            curvature * (x - target),
            state,
            rate,
            weight_decay=decay,
            beta_1=beta_1,
            beta_2=beta_2,
            epsilon=1e-12,
        )

    variable = keras.Variable(start, dtype="float64")
    optimizer = keras.optimizers.AdamW(
        learning_rate=rate, weight_decay=decay, beta_1=beta_1, beta_2=beta_2, epsilon=1e-12
    )
    for _ in range(100):
        optimizer.apply([curvature * (variable.numpy() - target)], [variable])
    np.testing.assert_allclose(x, variable.numpy(), rtol=1e-9)
    # and the decay matters: without it the run ends elsewhere
    plain, state = start.copy(), None
    for _ in range(100):
        plain, state = steps.adam(plain, curvature * (plain - target), state, rate)
    assert np.max(np.abs(plain - x)) > 1e-3
