"""Data sets generated in code: a noisy linear regression problem (chapters 2 and 3)."""

from __future__ import annotations

import numpy as np


def linear_regression(
    m: int = 200, w: float = 2.0, b: float = -1.0, noise: float = 0.5, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Examples in columns: X of shape (1, m) and Y = w X + b + noise, shape (1, m)."""
    rng = np.random.RandomState(seed)
    X = rng.uniform(-2, 2, size=(1, m))
    return X, w * X + b + noise * rng.randn(1, m)


def mse_cost(theta: np.ndarray, X: np.ndarray, Y: np.ndarray) -> float:
    """Half the mean squared error of the line theta = (w, b) on the examples in X, Y."""
    residual = theta[0] * X + theta[1] - Y
    return float(0.5 * np.mean(residual**2))


def mse_grad(theta: np.ndarray, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Gradient of :func:`mse_cost` with respect to (w, b), averaged over the given columns."""
    residual = theta[0] * X + theta[1] - Y
    return np.array([np.mean(residual * X), np.mean(residual)])


def moons(m: int = 300, noise: float = 0.2, seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half-moons (scikit-learn), examples in columns: X (2, m), Y (1, m)."""
    from sklearn.datasets import make_moons

    X, y = make_moons(n_samples=m, noise=noise, random_state=seed)
    return X.T, y.reshape(1, -1).astype(float)
