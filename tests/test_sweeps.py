"""Learning-rate sweeps: final gaps against closed forms, divergence, the tuned rate."""

import numpy as np

from descent import steps, surfaces, sweeps


def test_gap_of_gradient_descent_on_the_valley_matches_the_closed_form():
    valley, lr, n = surfaces.quadratic(1.0, 10.0), 0.05, 30
    x, y = -5.0 * (1 - lr) ** n, 2.0 * (1 - 10 * lr) ** n
    [gap] = sweeps.sweep(valley, steps.gd, [lr], n)
    assert np.isclose(gap, 0.5 * (x**2 + 10 * y**2), rtol=1e-10)


def test_a_rate_beyond_the_stability_limit_diverges_and_says_when():
    valley = surfaces.quadratic(1.0, 10.0)  # gradient descent is stable for lr < 2/10
    gaps = sweeps.sweep(valley, steps.gd, [0.19, 0.21], 300)
    assert np.isfinite(gaps[0]) and gaps[1] == np.inf
    path = surfaces.trace(valley, steps.gd, num_steps=300, learning_rate=0.3)
    # |y| grows by |1 - 3| = 2 per step from 2: first beyond the widened window (|y| > 9) at 3
    assert sweeps.escape_step(valley, path) == 3
    assert sweeps.label("GD", valley, path) == "GD: diverged at step 3"
    assert "GD diverges at step 3" in sweeps.describe(valley, {"GD": path})


def test_best_is_the_rate_with_the_lowest_gap():
    assert sweeps.best([0.1, 0.2, 0.3], np.array([3.0, 1.0, np.inf]))[0] == 0.2
    assert sweeps.best([0.1, 0.2], np.array([np.inf, np.inf]))[0] == 0.1


def test_a_run_that_ends_above_its_start_has_diverged():
    final = sweeps.diverged_above([0.5, 2.0, np.nan, 1.0], start=1.0)
    np.testing.assert_array_equal(final, [0.5, np.inf, np.inf, 1.0])
