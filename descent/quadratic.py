"""The quadratic model f(x) = x^T A x / 2: rates of gradient methods, preconditioning, noise.

On a quadratic, gradient descent, the heavy ball and Nesterov act on each eigen-direction of A
separately, so their rate is read off a 1x1 (gradient descent) or 2x2 (heavy ball, Nesterov)
iteration matrix per eigenvalue. This module gives those matrices and rates and measures rates
from simulated iterates (chapter 4), gives preconditioned condition numbers and full-matrix
Adagrad (chapter 5), and the noise floor and the bounds of SGD with noisy gradients
(chapter 2).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Exact gradients: iteration matrices and rates


def gd_best(mu: float, L: float) -> tuple[float, float]:
    """Gradient descent's best constant rate 2/(mu + L) and its factor (kappa-1)/(kappa+1)."""
    kappa = L / mu
    return 2 / (mu + L), (kappa - 1) / (kappa + 1)


def heavy_ball_matrix(lam: float, learning_rate: float, beta: float) -> np.ndarray:
    """Heavy ball along an eigen-direction: (e_{k+1}, e_k) = M (e_k, e_{k-1}).

    From x_{k+1} = x_k - learning_rate * lam * x_k + beta (x_k - x_{k-1}).
    """
    return np.array([[1 + beta - learning_rate * lam, -beta], [1.0, 0.0]])


def nesterov_matrix(lam: float, learning_rate: float, beta: float) -> np.ndarray:
    """Nesterov along an eigen-direction: (e_{k+1}, e_k) = M (e_k, e_{k-1}).

    From y_k = x_k + beta (x_k - x_{k-1}) and x_{k+1} = y_k - learning_rate * lam * y_k.
    """
    q = 1 - learning_rate * lam
    return np.array([[(1 + beta) * q, -beta * q], [1.0, 0.0]])


def spectral_radius(matrix) -> float:
    """The largest modulus of the eigenvalues of ``matrix``."""
    return float(np.max(np.abs(np.linalg.eigvals(matrix))))


def worst_radius(eigenvalues: Sequence[float], matrix, learning_rate, beta) -> float:
    """The largest spectral radius of ``matrix(lam, learning_rate, beta)`` over the eigenvalues."""
    return max(spectral_radius(matrix(lam, learning_rate, beta)) for lam in eigenvalues)


def nesterov_standard(mu: float, L: float) -> tuple[float, float, float]:
    """Nesterov's usual tuning for strongly convex f: learning_rate 1/L,
    beta = (sqrt(kappa) - 1)/(sqrt(kappa) + 1), and its rate on a quadratic, 1 - 1/sqrt(kappa).
    """
    root = np.sqrt(L / mu)
    return 1 / L, (root - 1) / (root + 1), 1 - 1 / root


def nesterov_best(mu: float, L: float) -> tuple[float, float, float]:
    """Nesterov's best tuning on a quadratic with curvatures in [mu, L] (Lessard et al. 2016):
    learning_rate 4/(3L + mu), beta = (sqrt(3 kappa + 1) - 2)/(sqrt(3 kappa + 1) + 2), and its
    rate 1 - 2/sqrt(3 kappa + 1).
    """
    root = np.sqrt(3 * L / mu + 1)
    return 4 / (3 * L + mu), (root - 2) / (root + 2), 1 - 2 / root


def largest_root(trace, det):
    """The largest modulus of the roots of z^2 - trace z + det, elementwise: the spectral
    radius of a 2x2 iteration matrix with that trace and determinant."""
    disc = np.sqrt(np.asarray(trace, dtype=complex) ** 2 - 4 * np.asarray(det, dtype=complex))
    return np.maximum(np.abs(trace + disc), np.abs(trace - disc)) / 2


def critical_beta(lam: float, learning_rate: float) -> float:
    """The heavy ball's critical beta along an eigen-direction, (1 - sqrt(learning_rate lam))^2,
    where its two roots coincide: above it (up to (1 + sqrt(learning_rate lam))^2) the roots are
    complex with modulus sqrt(beta), below it they are real."""
    return (1 - np.sqrt(learning_rate * lam)) ** 2


def random_quadratic(eigenvalues: Sequence[float], seed: int = 0) -> np.ndarray:
    """A symmetric matrix Q diag(eigenvalues) Q^T with a random orthogonal Q."""
    d = len(eigenvalues)
    Q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((d, d)))
    return Q @ np.diag(eigenvalues) @ Q.T


def log_error_norms(
    A: np.ndarray,
    x0: Sequence[float],
    learning_rate: float,
    beta: float = 0.0,
    nesterov: bool = False,
    num_steps: int = 100,
) -> np.ndarray:
    """log ||x_k|| for k = 0..num_steps of heavy ball (beta = 0: gradient descent) or Nesterov
    on f = x^T A x / 2, whose minimum is 0.

    The iteration is linear, so both iterates are rescaled to norm 1 after each step and the
    logarithm of the scale is accumulated: long runs neither underflow nor overflow.
    """
    x = np.asarray(x0, dtype=float)
    x_prev, log_scale, logs = x.copy(), np.log(np.linalg.norm(x)), []
    x, x_prev = x / np.exp(log_scale), x_prev / np.exp(log_scale)
    logs.append(log_scale)
    for _ in range(num_steps):
        if nesterov:
            y = x + beta * (x - x_prev)  # look-ahead point
            x_new = y - learning_rate * (A @ y)
        else:
            x_new = x - learning_rate * (A @ x) + beta * (x - x_prev)
        x_prev, x = x, x_new
        norm = np.linalg.norm(x)
        x, x_prev, log_scale = x / norm, x_prev / norm, log_scale + np.log(norm)
        logs.append(log_scale)
    return np.array(logs)


def measured_rate(logs: np.ndarray, first: int) -> float:
    """The mean factor per step by which the error norm shrank from step ``first`` to the end."""
    return float(np.exp((logs[-1] - logs[first]) / (len(logs) - 1 - first)))


# Preconditioning


def preconditioned_condition(A: np.ndarray, D: np.ndarray) -> float:
    """The condition number of D^(-1/2) A D^(-1/2) for a diagonal preconditioner D (a vector)."""
    scale = 1 / np.sqrt(np.asarray(D, dtype=float))
    eigenvalues = np.linalg.eigvalsh(scale[:, None] * A * scale[None, :])
    return float(eigenvalues[-1] / eigenvalues[0])


def full_adagrad(x, g, state, learning_rate, epsilon=1e-8):
    """Full-matrix Adagrad (Duchi et al. 2011): x <- x - learning_rate (G^(1/2) + eps I)^-1 g,
    with G the sum of the outer products g g^T of all gradients so far."""
    G = np.outer(g, g) if state is None else state + np.outer(g, g)  # sum of g g^T
    w, V = np.linalg.eigh(G)
    root = V @ np.diag(np.sqrt(np.clip(w, 0, None))) @ V.T  # matrix square root of G
    step = np.linalg.solve(root + epsilon * np.eye(len(x)), g)
    return x - learning_rate * step, G


# Noisy gradients


def sgd_floor(lam, learning_rate: float, sigma: float):
    """Stationary variance of x <- (1 - learning_rate lam) x - learning_rate sigma xi, xi ~ N(0, 1):
    learning_rate sigma^2 / (lam (2 - learning_rate lam)), for 0 < learning_rate lam < 2."""
    lam = np.asarray(lam, dtype=float)
    return learning_rate * sigma**2 / (lam * (2 - learning_rate * lam))


def noisy_sgd(
    eigenvalues: Sequence[float],
    x0: Sequence[float],
    sigma,
    learning_rates: Sequence[float],
    num_runs: int,
    seed: int,
) -> np.ndarray:
    """Mean excess cost per eigen-direction, lam x^2 / 2, over ``num_runs`` runs of SGD on
    f = sum(lam x^2) / 2, each gradient the exact one plus independent N(0, sigma^2) noise per
    coordinate; step k uses ``learning_rates[k]`` and ``sigma`` (or ``sigma[k]``, e.g. a batch
    growing as the noise shrinks). Returns shape (len(learning_rates) + 1, len(eigenvalues));
    its row sums are the mean costs f(x_k)."""
    rng = np.random.default_rng(seed)
    lam = np.asarray(eigenvalues, dtype=float)[:, None]
    sigmas = np.broadcast_to(np.asarray(sigma, dtype=float), (len(learning_rates),))
    x = np.repeat(np.asarray(x0, dtype=float)[:, None], num_runs, axis=1)  # a run per column
    costs = [np.mean(0.5 * lam * x**2, axis=1)]
    for rate, sigma_k in zip(learning_rates, sigmas, strict=True):
        g = lam * x + sigma_k * rng.standard_normal(x.shape)  # exact gradient plus noise
        x = x - rate * g
        costs.append(np.mean(0.5 * lam * x**2, axis=1))
    return np.array(costs)


def bottou_fixed(learning_rate: float, L: float, M: float, c: float) -> float:
    """Bottou, Curtis & Nocedal (2018), Theorem 4.6 for unbiased gradients of variance at most M
    (their mu = M_G = 1): the limit alpha L M / (2 c) of the bound on E[F(w_k) - F*] for SGD with
    a fixed step alpha <= 1/L on an L-smooth, c-strongly convex F."""
    return learning_rate * L * M / (2 * c)


def bottou_diminishing(
    beta: float, gamma: float, L: float, M: float, c: float, gap1: float
) -> float:
    """Bottou, Curtis & Nocedal (2018), Theorem 4.7 for unbiased gradients (their mu = M_G = 1):
    nu in E[F(w_k) - F*] <= nu / (gamma + k) for steps alpha_k = beta / (gamma + k),
    k = 1, 2, ..., with beta > 1/c and alpha_1 <= 1/L; ``gap1`` = F(w_1) - F*."""
    return max(beta**2 * L * M / (2 * (beta * c - 1)), (gamma + 1) * gap1)
