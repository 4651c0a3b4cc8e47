"""Mini-batch gradient descent on the line-fitting problem of chapters 2 and 3.

The runs are vectorised over shuffling seeds and learning rates, so that a chapter can sweep
the learning rate and average over shuffles in a fraction of a second. Seed ``s`` shuffles
every epoch with ``np.random.default_rng(s).permutation(m)``, as the chapters' own loops do.
"""

from __future__ import annotations

import numpy as np


def curvature(X: np.ndarray) -> np.ndarray:
    """Hessian of :func:`descent.data.mse_cost` in (w, b): [[mean x², mean x], [mean x, 1]]."""
    return np.array([[np.mean(X**2), np.mean(X)], [np.mean(X), 1.0]])


def minimum(X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """The least-squares line (w*, b*), from the normal equations."""
    return np.linalg.solve(curvature(X), [np.mean(X * Y), np.mean(Y)])


def excess_cost(w, b, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """J(w, b) - J(w*, b*) for arrays of w and b, exact for the quadratic cost."""
    w_star, b_star = minimum(X, Y)
    dw, db = np.asarray(w) - w_star, np.asarray(b) - b_star
    (hww, hwb), (_, hbb) = curvature(X)
    return 0.5 * (hww * dw**2 + 2 * hwb * dw * db + hbb * db**2)


def run(
    X: np.ndarray,
    Y: np.ndarray,
    batch_size: int,
    learning_rates,
    epochs: int,
    seeds=(0,),
    every: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Mini-batch gradient descent from (w, b) = (0, 0), one run per seed and learning rate.

    Each epoch shuffles the examples and steps once per consecutive slice of ``batch_size``
    columns (the last slice may be smaller). Returns w and b at the start and after every
    ``every``-th update, each of shape (records, len(seeds), len(learning_rates)).
    Diverging runs become inf or nan.
    """
    x, y = X[0], Y[0]
    m = x.size
    rates = np.asarray(learning_rates, dtype=float)
    rngs = [np.random.default_rng(seed) for seed in seeds]
    w = np.zeros((len(rngs), rates.size))
    b = np.zeros_like(w)
    ws, bs, updates = [w], [b], 0
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs):
            order = np.array([rng.permutation(m) for rng in rngs])
            for start in range(0, m, batch_size):
                xb = x[order[:, start : start + batch_size]][:, None, :]
                yb = y[order[:, start : start + batch_size]][:, None, :]
                residual = w[..., None] * xb + b[..., None] - yb
                w = w - rates * np.mean(residual * xb, axis=-1)
                b = b - rates * np.mean(residual, axis=-1)
                updates += 1
                if updates % every == 0:
                    ws.append(w)
                    bs.append(b)
    return np.array(ws), np.array(bs)


def mean_excess(
    X: np.ndarray,
    Y: np.ndarray,
    batch_size: int,
    learning_rates,
    epochs: int,
    seeds=(0,),
    every: int = 1,
) -> np.ndarray:
    """Excess cost along :func:`run`'s records, averaged over seeds; inf once a run diverged.

    Shape (records, len(learning_rates)).
    """
    w, b = run(X, Y, batch_size, learning_rates, epochs, seeds, every)
    with np.errstate(over="ignore", invalid="ignore"):
        excess = excess_cost(w, b, X, Y)
    return np.where(np.isfinite(excess), excess, np.inf).mean(axis=1)
