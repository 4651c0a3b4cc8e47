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


def test_rotated_valley_is_the_valley_seen_from_turned_axes():
    valley, turned = (
        surfaces.quadratic(1.0, 10.0),
        surfaces.rotated(surfaces.quadratic(1.0, 10.0), 45),
    )
    c = np.sqrt(0.5)
    # the steep direction (0, 1) of the valley becomes the diagonal (-c, c): f = b/2 there
    assert np.isclose(turned.f(np.array([-c, c])), 5.0) and np.isclose(
        turned.f(np.array([c, c])), 0.5
    )
    np.testing.assert_allclose(turned.grad(np.array([-c, c])), 10.0 * np.array([-c, c]), atol=1e-12)
    np.testing.assert_allclose(turned.start, (-5 * c - 2 * c, -5 * c + 2 * c))
    assert turned.minimum == (0.0, 0.0) and np.isclose(
        turned.f(np.array(turned.start)), valley.f(np.array(valley.start))
    )
    assert np.allclose(turned.xlim, (-8.5 * c, 8.5 * c)) and np.allclose(turned.ylim, turned.xlim)


def test_gradient_descent_on_the_rotated_valley_follows_the_turned_closed_form():
    lr, n, c = 0.05, 20, np.sqrt(0.5)
    turned = surfaces.rotated(surfaces.quadratic(1.0, 10.0), 45)
    path = surfaces.trace(turned, gd_step, num_steps=n, learning_rate=lr)
    t = np.arange(n + 1)[:, None]
    along_flat, along_steep = -5.0 * (1 - lr) ** t, 2.0 * (1 - 10 * lr) ** t
    np.testing.assert_allclose(path, along_flat * [c, c] + along_steep * [-c, c], atol=1e-12)
