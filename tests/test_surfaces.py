"""Surfaces, the trace runner and the data helpers, against closed forms."""

import numpy as np

from descent import surfaces
from descent.data import linear_regression, mse_cost, mse_grad


def gd_step(x, g, state, learning_rate):
    return x - learning_rate * g, state


def test_trace_of_gradient_descent_matches_the_closed_form():
    a, b, lr, steps = 1.0, 10.0, 0.05, 25
    path = surfaces.trace(surfaces.quadratic(a, b), gd_step, (3.0, -2.0), steps, learning_rate=lr)
    t = np.arange(steps + 1)
    closed = np.stack([3.0 * (1 - lr * a) ** t, -2.0 * (1 - lr * b) ** t], axis=1)
    np.testing.assert_allclose(path, closed, rtol=1e-12)


def test_trace_stops_after_divergence():
    with np.errstate(over="ignore", invalid="ignore"):
        path = surfaces.trace(
            surfaces.quadratic(1, 10), gd_step, (1.0, 1.0), 10_000, learning_rate=1.0
        )
    assert len(path) < 10_000 and not np.all(np.isfinite(path[-1]))


def test_quadratic_gradient_and_mse_gradient_match_centred_differences():
    def centred(f, x, h=1e-6):
        return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x))])

    valley = surfaces.quadratic(2.0, 7.0)
    x = np.array([0.3, -1.2])
    np.testing.assert_allclose(valley.grad(x), centred(valley.f, x), rtol=1e-7)
    X, Y = linear_regression(m=50, seed=3)
    theta = np.array([0.4, 0.7])
    np.testing.assert_allclose(
        mse_grad(theta, X, Y), centred(lambda p: mse_cost(p, X, Y), theta), rtol=1e-6
    )


def test_linear_regression_is_seeded_and_has_examples_in_columns():
    X, Y = linear_regression(m=30, seed=5)
    assert X.shape == Y.shape == (1, 30)
    np.testing.assert_array_equal(X, linear_regression(m=30, seed=5)[0])
