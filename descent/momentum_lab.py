"""Momentum's three forms, Polyak's tuning and noisy gradients: the experiments of chapter 4."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from descent.surfaces import Surface


def heavy_ball(x, g, state, learning_rate, momentum=0.9):
    """Heavy-ball form (Keras' SGD): u <- momentum u + learning_rate g; x <- x - u."""
    u = np.zeros_like(x) if state is None else state
    u = momentum * u + learning_rate * g  # velocity, learning rate inside
    return x - u, u


def torch_momentum(x, g, state, learning_rate, momentum=0.9):
    """PyTorch's SGD(momentum=...): b <- momentum b + g; x <- x - learning_rate b."""
    b = np.zeros_like(x) if state is None else state
    b = momentum * b + g  # a discounted sum of gradients, without the factor (1 - momentum)
    return x - learning_rate * b, b


def trace_with_schedule(
    surface: Surface, step: Callable, learning_rates: Sequence[float], **hparams
) -> np.ndarray:
    """Like :func:`descent.surfaces.trace`, but step t uses ``learning_rates[t]``."""
    x, state = np.asarray(surface.start, dtype=float), None
    path = [x]
    for rate in learning_rates:
        x, state = step(x, surface.grad(x), state, learning_rate=rate, **hparams)
        path.append(x)
    return np.array(path)


def polyak(mu: float, L: float) -> tuple[float, float, float]:
    """Polyak's heavy-ball tuning for a quadratic whose curvatures lie in [mu, L].

    Returns (learning_rate, momentum, rate): the heavy-ball step, beta, and the factor by
    which the error shrinks per step, sqrt(beta) = (sqrt(kappa) - 1) / (sqrt(kappa) + 1).
    """
    kappa = L / mu
    learning_rate = 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2
    momentum = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    return learning_rate, momentum, np.sqrt(momentum)


def contraction(path: np.ndarray, minimum, first: int = 0) -> float:
    """The mean factor per step by which the distance to ``minimum`` shrank after step ``first``."""
    distance = np.linalg.norm(path - np.asarray(minimum), axis=1)
    return float((distance[-1] / distance[first]) ** (1 / (len(distance) - 1 - first)))


def final_costs(
    surface: Surface,
    step: Callable,
    learning_rates: Sequence[float],
    num_steps: int,
    window: int = 1,
    blow_up: float = 1e3,
    **hparams,
) -> np.ndarray:
    """For each learning rate, the highest cost over the last ``window`` of ``num_steps`` steps.

    A window keeps a path that still swings from scoring by landing near the minimum by
    chance. A run whose cost overflows or exceeds ``blow_up`` times its starting cost has
    diverged: its entry is inf.
    """
    start = np.asarray(surface.start, dtype=float)
    costs = []
    for rate in learning_rates:
        x, state, last = start, None, []
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(num_steps):
                x, state = step(x, surface.grad(x), state, learning_rate=rate, **hparams)
                last = (last + [surface.f(x)])[-window:]
        worst = np.max(last)  # nan if the run overflowed
        costs.append(worst if worst <= blow_up * surface.f(start) else np.inf)
    return np.array(costs)


def noisy_costs(
    curvatures: Sequence[float],
    step: Callable,
    noise: float,
    start: Sequence[float],
    num_steps: int,
    num_runs: int,
    seed: int,
    **hparams,
) -> np.ndarray:
    """Mean cost per step over ``num_runs`` runs on f = sum(h x^2) / 2 with noisy gradients.

    Each gradient is the exact one plus independent normal noise of standard deviation
    ``noise`` in every coordinate, as a mini-batch gradient would be.
    """
    rng = np.random.default_rng(seed)
    h = np.asarray(curvatures, dtype=float)[:, None]
    x = np.repeat(np.asarray(start, dtype=float)[:, None], num_runs, axis=1)  # one run per column
    state, costs = None, [np.mean(0.5 * np.sum(h * x**2, axis=0))]
    for _ in range(num_steps):
        g = h * x + noise * rng.standard_normal(x.shape)  # exact gradient plus noise
        x, state = step(x, g, state, **hparams)
        costs.append(np.mean(0.5 * np.sum(h * x**2, axis=0)))
    return np.array(costs)


def noise_floor(curvatures: Sequence[float], learning_rate: float, beta: float, noise: float):
    """The mean cost at which EMA momentum settles on f = sum(h x^2) / 2 with gradient noise.

    In heavy-ball form (step a = learning_rate (1 - beta)) each coordinate follows
    x <- (1 + beta - a h) x - beta x_prev - a * noise * xi, an AR(2) process whose stationary
    variance is (1 + beta) a noise^2 / ((1 - beta) h (2 (1 + beta) - a h)).
    """
    h = np.asarray(curvatures, dtype=float)
    a = learning_rate * (1 - beta)
    variance = (1 + beta) * a * noise**2 / ((1 - beta) * h * (2 * (1 + beta) - a * h))
    return float(np.sum(0.5 * h * variance))
