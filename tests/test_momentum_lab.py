"""The three forms of momentum, Polyak's tuning and the noisy-gradient experiment (chapter 4)."""

import numpy as np
import pytest

from descent import momentum_lab, steps, surfaces

VALLEY = surfaces.quadratic(0.2, 10.0)


def test_heavy_ball_two_steps_by_hand():
    # f = x^2 / 2 from x = 1, rate 0.1, beta 0.9: u = 0.1, x = 0.9; u = 0.09 + 0.09, x = 0.72.
    x, u = momentum_lab.heavy_ball(np.array([1.0]), np.array([1.0]), None, 0.1, momentum=0.9)
    assert x == pytest.approx([0.9]) and u == pytest.approx([0.1])
    x, u = momentum_lab.heavy_ball(x, x, u, 0.1, momentum=0.9)
    assert x == pytest.approx([0.72]) and u == pytest.approx([0.18])


def test_torch_form_sums_gradients_without_one_minus_beta():
    x, b = momentum_lab.torch_momentum(np.array([1.0]), np.array([1.0]), None, 0.1, momentum=0.9)
    x, b = momentum_lab.torch_momentum(x, np.array([2.0]), b, 0.1, momentum=0.9)
    assert b == pytest.approx([2.9]) and x == pytest.approx([1.0 - 0.1 * 1.0 - 0.1 * 2.9])


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9])
def test_the_three_forms_agree_at_a_constant_rate(beta):
    alpha = 0.4
    ema = surfaces.trace(VALLEY, steps.momentum, learning_rate=alpha, beta_1=beta, num_steps=40)
    for step in (momentum_lab.heavy_ball, momentum_lab.torch_momentum):
        other = surfaces.trace(
            VALLEY, step, learning_rate=alpha * (1 - beta), momentum=beta, num_steps=40
        )
        np.testing.assert_allclose(other, ema, rtol=1e-12, atol=1e-12)


def test_under_a_schedule_only_the_heavy_ball_form_departs():
    rates = [0.5 * 0.5 ** (t // 10) for t in range(40)]
    heavy_rates = [r * 0.1 for r in rates]
    ema = momentum_lab.trace_with_schedule(VALLEY, steps.momentum, rates, beta_1=0.9)
    torch = momentum_lab.trace_with_schedule(
        VALLEY, momentum_lab.torch_momentum, heavy_rates, momentum=0.9
    )
    heavy = momentum_lab.trace_with_schedule(
        VALLEY, momentum_lab.heavy_ball, heavy_rates, momentum=0.9
    )
    np.testing.assert_allclose(torch, ema, atol=1e-12)
    assert np.abs(heavy - ema).max() > 0.1
    np.testing.assert_allclose(heavy[:11], ema[:11], atol=1e-12)  # same until the rate drops


def spectral_radius(rate, beta, h):
    """Largest |eigenvalue| of the heavy-ball map (x, x_prev) -> (x_next, x) for curvature h."""
    return max(abs(np.linalg.eigvals([[1 + beta - rate * h, -beta], [1.0, 0.0]])))


def test_polyak_tuning_is_the_best_pair_for_the_extreme_curvatures():
    mu, L = 0.2, 10.0
    rate, beta, contraction = momentum_lab.polyak(mu, L)
    assert (rate, beta) == pytest.approx((0.3070209, 0.5658068))
    worst = max(spectral_radius(rate, beta, h) for h in np.linspace(mu, L, 50))
    assert worst == pytest.approx(contraction, abs=1e-6)  # double roots: eigvals to ~1e-8
    for r, b in [
        (rate * 1.05, beta),
        (rate * 0.95, beta),
        (rate, beta + 0.03),
        (rate, beta - 0.03),
    ]:
        assert max(spectral_radius(r, b, h) for h in (mu, L)) > contraction + 1e-3


def test_polyak_without_ill_conditioning_is_newton():
    rate, beta, contraction = momentum_lab.polyak(4.0, 4.0)
    assert (rate, beta, contraction) == pytest.approx((0.25, 0.0, 0.0))


def test_contraction_of_gradient_descent_at_its_best_rate():
    path = surfaces.trace(VALLEY, steps.gd, learning_rate=2 / 10.2, num_steps=100)
    assert momentum_lab.contraction(path, VALLEY.minimum) == pytest.approx(49 / 51, rel=1e-12)
    assert momentum_lab.contraction(path, VALLEY.minimum, first=50) == pytest.approx(49 / 51)


def test_final_costs_closed_form_and_divergence():
    bowl = surfaces.quadratic(1.0, 1.0)  # gradient descent at rate a multiplies x by 1 - a
    costs = momentum_lab.final_costs(bowl, steps.gd, [0.5, 1.5, 2.5], num_steps=12, window=3)
    start_cost = 0.5 * (25 + 4)
    assert costs[0] == pytest.approx(start_cost * 0.25**10)  # worst of steps 10-12: step 10
    assert costs[1] == pytest.approx(start_cost * 0.25**10)  # |1 - 1.5| = 0.5 as well
    assert np.isinf(costs[2])  # |1 - 2.5| = 1.5: the cost grows 1.5^24 > 1000 times


def test_final_costs_marks_a_run_that_overflows():
    costs = momentum_lab.final_costs(VALLEY, steps.gd, [5.0], num_steps=400)
    assert np.isinf(costs[0])


def test_noise_floor_without_momentum_is_that_of_an_ar1_process():
    h, alpha, noise = np.array([0.2, 10.0]), 0.15, 2.0
    # x <- (1 - alpha h) x - alpha noise xi has variance alpha^2 noise^2 / (1 - (1 - alpha h)^2)
    variance = alpha**2 * noise**2 / (1 - (1 - alpha * h) ** 2)
    expected = np.sum(0.5 * h * variance)
    assert momentum_lab.noise_floor(h, alpha, 0.0, noise) == pytest.approx(expected)


@pytest.mark.parametrize("beta", [0.0, 0.9])
def test_simulated_noise_floor_matches_the_formula(beta):
    curvatures = (0.2, 10.0)
    costs = momentum_lab.noisy_costs(
        curvatures,
        steps.momentum,
        1.0,
        (0.0, 0.0),
        2000,
        200,
        seed=1,
        learning_rate=0.18,
        beta_1=beta,
    )
    floor = momentum_lab.noise_floor(curvatures, 0.18, beta, 1.0)
    assert costs[0] == 0.0
    assert costs[500:].mean() == pytest.approx(floor, rel=0.05)
