"""Two-dimensional loss surfaces, the optimizer step contract, and the trace runner.

Every optimizer in the visual chapters is a function ``step(x, g, state, **hparams)`` that
takes the current point ``x`` (shape (2,)), the gradient ``g`` there and its own ``state``
(``None`` on the first call) and returns ``(new_x, new_state)``. Nothing is read from globals,
so one runner (:func:`trace`) and one plotter serve every optimizer. Introduced in chapter 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Surface:
    """A loss f(x, y) with its gradient, a plotting window and its minimiser."""

    name: str
    f: Callable[[np.ndarray], float]
    grad: Callable[[np.ndarray], np.ndarray]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    minimum: tuple[float, float]
    log_levels: bool = False  # contour levels spaced geometrically (steep valleys)


def quadratic(a: float = 1.0, b: float = 10.0) -> Surface:
    """The valley f = (a x^2 + b y^2) / 2; its condition number is b / a."""
    return Surface(
        name=f"quadratic (condition number {b / a:g})",
        f=lambda p: 0.5 * (a * p[0] ** 2 + b * p[1] ** 2),
        grad=lambda p: np.array([a * p[0], b * p[1]]),
        xlim=(-5.5, 5.5),
        ylim=(-3.0, 3.0),
        minimum=(0.0, 0.0),
    )


def trace(surface: Surface, step: Callable, start, num_steps: int, **hparams) -> np.ndarray:
    """Run an optimizer from ``start``; return the visited points, shape (num_steps + 1, 2)."""
    x, state = np.asarray(start, dtype=float), None
    path = [x]
    for _ in range(num_steps):
        x, state = step(x, surface.grad(x), state, **hparams)
        path.append(x)
        if not np.all(np.isfinite(x)):
            break  # diverged; keep what was visited
    return np.array(path)


def losses(surface: Surface, path: np.ndarray) -> np.ndarray:
    """The loss at every point of a path."""
    return np.array([surface.f(p) for p in path])
