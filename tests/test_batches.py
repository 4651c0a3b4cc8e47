"""The vectorised mini-batch runs of chapters 2 and 3 against plain loops."""

import warnings

import numpy as np
import pytest

from descent import batches, sweeps
from descent.data import linear_regression, mse_cost, mse_grad

X, Y = linear_regression(m=20, seed=1)


def plain_run(batch_size, rate, epochs, seed):
    """Mini-batch gradient descent written as the chapters write it, one run at a time."""
    rng, theta, path = np.random.default_rng(seed), np.zeros(2), [np.zeros(2)]
    for _ in range(epochs):
        order = rng.permutation(X.shape[1])
        for start in range(0, X.shape[1], batch_size):
            batch = order[start : start + batch_size]
            theta = theta - rate * mse_grad(theta, X[:, batch], Y[:, batch])
            path.append(theta)
    return np.array(path)


@pytest.mark.parametrize("batch_size", [1, 3, 20])  # 3 leaves a last batch of 2
def test_run_matches_a_plain_loop_for_every_seed_and_rate(batch_size):
    rates, seeds = [0.01, 0.3], [0, 5]
    w, b = batches.run(X, Y, batch_size, rates, epochs=3, seeds=seeds)
    assert w.shape == (3 * -(-20 // batch_size) + 1, 2, 2)
    for i, seed in enumerate(seeds):
        for j, rate in enumerate(rates):
            path = plain_run(batch_size, rate, 3, seed)
            np.testing.assert_allclose(w[:, i, j], path[:, 0], rtol=1e-12, atol=1e-14)
            np.testing.assert_allclose(b[:, i, j], path[:, 1], rtol=1e-12, atol=1e-14)


def test_every_keeps_the_start_and_every_kth_update():
    w_all, _ = batches.run(X, Y, 1, [0.1], epochs=2, seeds=[3])
    w_some, _ = batches.run(X, Y, 1, [0.1], epochs=2, seeds=[3], every=8)
    np.testing.assert_array_equal(w_some[:, 0, 0], w_all[::8, 0, 0])


def test_minimum_and_excess_cost_agree_with_least_squares():
    design = np.vstack([X, np.ones_like(X)]).T
    w_star, b_star = np.linalg.lstsq(design, Y[0], rcond=None)[0]
    np.testing.assert_allclose(batches.minimum(X, Y), [w_star, b_star], rtol=1e-12)
    star = mse_cost(np.array([w_star, b_star]), X, Y)
    for w, b in [(0.0, 0.0), (1.5, -2.0), (w_star + 1e-3, b_star)]:
        want = mse_cost(np.array([w, b]), X, Y) - star
        assert batches.excess_cost(w, b, X, Y) == pytest.approx(want, rel=1e-9, abs=1e-15)


def test_curvature_is_the_hessian_of_the_cost():
    h, theta, hessian = 1e-4, np.array([0.3, -0.7]), batches.curvature(X)
    for i, e in enumerate(np.eye(2) * h):
        column = (mse_grad(theta + e, X, Y) - mse_grad(theta - e, X, Y)) / (2 * h)
        np.testing.assert_allclose(hessian[:, i], column, rtol=1e-8)


def test_mean_excess_averages_seeds_and_marks_divergence_as_inf_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        excess = batches.mean_excess(X, Y, 20, [0.1, 100.0], epochs=400, seeds=[0, 1])
    assert np.isfinite(excess[:, 0]).all() and excess[-1, 1] == np.inf
    w, b = batches.run(X, Y, 1, [0.1], epochs=1, seeds=[0, 1])
    mean = batches.mean_excess(X, Y, 1, [0.1], epochs=1, seeds=[0, 1])[:, 0]
    separate = [batches.excess_cost(w[:, i, 0], b[:, i, 0], X, Y) for i in range(2)]
    np.testing.assert_allclose(mean, np.mean(separate, axis=0), rtol=1e-12)


def test_best_picks_the_lowest_final_cost():
    assert sweeps.best([0.1, 0.2, 0.4], [3.0, 1.0, 2.0]) == (0.2, 1.0)
