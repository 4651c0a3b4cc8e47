"""The quadratic model's rates, floors and bounds against closed forms worked out by hand."""

import numpy as np
import pytest

from descent import quadratic


def test_gd_best_is_the_textbook_rate():
    alpha, rate = quadratic.gd_best(1.0, 10.0)
    assert alpha == pytest.approx(2 / 11)
    assert rate == pytest.approx(9 / 11)


def test_heavy_ball_matrix_reproduces_the_recursion():
    # x_{k+1} = x_k - 0.1 * 2 x_k + 0.5 (x_k - x_{k-1}) from x_0 = 1, x_{-1} = 1:
    # x_1 = 0.8, x_2 = 0.8 - 0.16 + 0.5 * (0.8 - 1) = 0.54
    M = quadratic.heavy_ball_matrix(2.0, 0.1, 0.5)
    state = M @ M @ np.array([1.0, 1.0])
    np.testing.assert_allclose(state, [0.54, 0.8])


def test_nesterov_matrix_reproduces_the_recursion():
    # y = x_k + 0.5 (x_k - x_{k-1}); x_{k+1} = (1 - 0.1 * 2) y, from x_0 = 1, x_{-1} = 1:
    # x_1 = 0.8, y_1 = 0.8 + 0.5 * (-0.2) = 0.7, x_2 = 0.56
    M = quadratic.nesterov_matrix(2.0, 0.1, 0.5)
    np.testing.assert_allclose(M @ M @ np.array([1.0, 1.0]), [0.56, 0.8])


def test_complex_roots_have_modulus_sqrt_beta():
    # learning_rate * lam = 1 lies inside the complex region for every 0 < beta < 1
    for beta in [0.1, 0.5, 0.9]:
        M = quadratic.heavy_ball_matrix(1.0, 1.0, beta)
        assert quadratic.spectral_radius(M) == pytest.approx(np.sqrt(beta))


def test_critical_beta_gives_a_double_root():
    lam, alpha = 0.5, 0.08  # sqrt(0.04) = 0.2, so beta_c = 0.64 and the root is 0.8
    beta = quadratic.critical_beta(lam, alpha)
    assert beta == pytest.approx(0.64)
    roots = np.linalg.eigvals(quadratic.heavy_ball_matrix(lam, alpha, beta))
    np.testing.assert_allclose(roots, [0.8, 0.8], atol=1e-6)


def test_nesterov_standard_rate_on_kappa_100():
    alpha, beta, rate = quadratic.nesterov_standard(1.0, 100.0)
    assert (alpha, beta, rate) == pytest.approx((0.01, 9 / 11, 0.9))
    radius = quadratic.worst_radius(np.linspace(1, 100, 50), quadratic.nesterov_matrix, alpha, beta)
    assert radius == pytest.approx(0.9, abs=1e-6)


def test_nesterov_best_on_kappa_5():
    # 3 kappa + 1 = 16: learning rate 4/16, beta = (4 - 2)/(4 + 2) = 1/3, rate 1 - 2/4 = 1/2;
    # along mu = 1: z^2 - z + 1/4 = (z - 1/2)^2; along L = 5: z^2 + z/3 - 1/12, roots 1/6 and -1/2
    alpha, beta, rate = quadratic.nesterov_best(1.0, 5.0)
    assert (alpha, beta, rate) == pytest.approx((0.25, 1 / 3, 0.5))
    for lam, roots in [(1.0, [0.5, 0.5]), (5.0, [1 / 6, -0.5])]:
        eigenvalues = np.linalg.eigvals(quadratic.nesterov_matrix(lam, alpha, beta))
        np.testing.assert_allclose(np.sort(eigenvalues.real), np.sort(roots), atol=1e-6)


def test_no_nesterov_pair_beats_the_best_tuning():
    # a grid of (learning rate, beta) around the optimum, worst root over curvatures in [1, 5]
    rates, betas = np.meshgrid(np.linspace(0.05, 0.4, 141), np.linspace(0.0, 0.9, 181))
    worst = 0.0
    for lam in np.linspace(1.0, 5.0, 41):
        q = 1 - rates * lam
        worst = np.maximum(worst, quadratic.largest_root((1 + betas) * q, betas * q))
    assert worst.min() == pytest.approx(0.5, abs=2e-3) and worst.min() >= 0.5 - 1e-9


def test_largest_root_of_hand_quadratics():
    # z^2 - 3z + 2 = (z - 1)(z - 2); z^2 + 1 has roots +-i; z^2 - z + 1/4 = (z - 1/2)^2
    np.testing.assert_allclose(
        quadratic.largest_root([3.0, 0.0, 1.0], [2.0, 1.0, 0.25]), [2, 1, 0.5]
    )


def test_log_error_norms_follow_the_hand_recursions():
    # the recursions of the matrix tests above, on A = [[2]], from x_0 = 1 at rest
    heavy = quadratic.log_error_norms(np.array([[2.0]]), [1.0], 0.1, beta=0.5, num_steps=2)
    nesterov = quadratic.log_error_norms(
        np.array([[2.0]]), [1.0], 0.1, beta=0.5, nesterov=True, num_steps=2
    )
    np.testing.assert_allclose(heavy, np.log([1.0, 0.8, 0.54]))
    np.testing.assert_allclose(nesterov, np.log([1.0, 0.8, 0.56]))


def test_measured_rate_of_gradient_descent_on_a_diagonal_quadratic():
    A = np.diag([1.0, 4.0])
    logs = quadratic.log_error_norms(A, [1.0, 0.0], 0.1, num_steps=3000)
    assert quadratic.measured_rate(logs, 1000) == pytest.approx(0.9, rel=1e-12)
    assert logs[-1] == pytest.approx(3000 * np.log(0.9))  # no underflow


def test_random_quadratic_has_the_eigenvalues():
    A = quadratic.random_quadratic([1.0, 2.0, 5.0], seed=3)
    np.testing.assert_allclose(A, A.T)
    np.testing.assert_allclose(np.linalg.eigvalsh(A), [1.0, 2.0, 5.0])


def test_preconditioned_condition_of_a_rotated_valley():
    # 45 degrees: A = [[5.005, 4.995], [4.995, 5.005]], diag(A) = 5.005 I leaves kappa 1000
    c, s = np.cos(np.pi / 4), np.sin(np.pi / 4)
    R = np.array([[c, -s], [s, c]])
    A = R @ np.diag([0.01, 10.0]) @ R.T
    assert quadratic.preconditioned_condition(A, np.diag(A)) == pytest.approx(1000)
    assert quadratic.preconditioned_condition(np.diag([0.01, 10.0]), [0.01, 10.0]) == 1.0


def test_full_adagrad_first_step_has_length_learning_rate():
    x, G = quadratic.full_adagrad(np.zeros(2), np.array([3.0, 4.0]), None, learning_rate=0.5)
    # G = g g^T, G^(1/2) = g g^T / |g|, and G^(1/2) x = g is solved by x = g / |g|
    np.testing.assert_allclose(x, [-0.3, -0.4], atol=1e-8)
    np.testing.assert_allclose(G, [[9, 12], [12, 16]])


def test_sgd_floor_matches_the_geometric_series():
    lam, alpha, sigma = 2.0, 0.1, 0.5
    q = 1 - alpha * lam
    series = sum((alpha * sigma) ** 2 * q ** (2 * k) for k in range(2000))
    assert quadratic.sgd_floor(lam, alpha, sigma) == pytest.approx(series)


def test_noisy_sgd_without_noise_is_gradient_descent():
    costs = quadratic.noisy_sgd([2.0, 1.0], [1.0, 2.0], 0.0, [0.1] * 3, num_runs=4, seed=0)
    # x_k = 0.8^k and 2 * 0.9^k; costs lam x^2 / 2 = 0.64^k and 2 * 0.81^k
    np.testing.assert_allclose(costs, [[0.64**k, 2 * 0.81**k] for k in range(4)])


def test_noisy_sgd_takes_one_noise_level_per_step():
    # step 1: x = -0.5 sigma_1 xi, mean cost E[x^2] / 2 = 0.125; step 2 has no noise and
    # halves every run's x, so it divides the mean cost by exactly 4
    costs = quadratic.noisy_sgd([1.0], [0.0], [1.0, 0.0], [0.5, 0.5], num_runs=20000, seed=0)
    assert costs[0, 0] == 0.0 and costs[1, 0] == pytest.approx(0.125, rel=0.03)
    assert costs[2, 0] == pytest.approx(costs[1, 0] / 4, rel=1e-12)


def test_noisy_sgd_settles_at_the_floor():
    # floor lam v / 2 = alpha sigma^2 / (2 (2 - alpha lam)) = 0.25 / (2 * 1.5) = 1/12
    lam, alpha, sigma = 2.0, 0.25, 1.0
    costs = quadratic.noisy_sgd([lam], [0.0], sigma, [alpha] * 200, num_runs=20000, seed=0)
    assert costs[100:].mean() == pytest.approx(1 / 12, rel=0.02)


def test_bottou_bounds():
    assert quadratic.bottou_fixed(0.1, 10.0, 2.0, 1.0) == pytest.approx(1.0)
    # beta^2 L M / (2 (beta c - 1)) = 4 * 1 * 1 / (2 * 1) = 2 against (gamma + 1) gap = 3
    assert quadratic.bottou_diminishing(2.0, 2.0, 1.0, 1.0, 1.0, gap1=1.0) == 3.0
    assert quadratic.bottou_diminishing(2.0, 0.5, 1.0, 1.0, 1.0, gap1=1.0) == 2.0
