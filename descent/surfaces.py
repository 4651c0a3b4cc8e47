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
    start: tuple[float, float] = (0.0, 0.0)  # a good place to start an optimizer
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
        start=(-5.0, 2.0),
    )


def rosenbrock() -> Surface:
    """Rosenbrock's banana valley f = (1 - x)^2 + 100 (y - x^2)^2, minimum at (1, 1)."""
    return Surface(
        name="Rosenbrock",
        f=lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2,
        grad=lambda p: np.array(
            [-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2), 200 * (p[1] - p[0] ** 2)]
        ),
        xlim=(-2.0, 2.0),
        ylim=(-1.0, 3.0),
        minimum=(1.0, 1.0),
        start=(-1.5, 2.5),
        log_levels=True,
    )


def mccormick() -> Surface:
    """McCormick's function sin(x + y) + (x - y)^2 - 1.5 x + 2.5 y + 1 on its usual box.

    ``minimum`` is the lowest point of the box [-1.5, 4] x [-3, 4] only: along the line
    y = x - 1 the function is sin(2x - 1) + x - 0.5, unbounded below as x decreases. Its local
    minimum near (2.59, 1.59) is that point moved by (pi, pi), where f is pi higher.
    """
    return Surface(
        name="McCormick",
        f=lambda p: np.sin(p[0] + p[1]) + (p[0] - p[1]) ** 2 - 1.5 * p[0] + 2.5 * p[1] + 1,
        grad=lambda p: np.array(
            [
                np.cos(p[0] + p[1]) + 2 * (p[0] - p[1]) - 1.5,
                np.cos(p[0] + p[1]) - 2 * (p[0] - p[1]) + 2.5,
            ]
        ),
        xlim=(-1.5, 4.0),
        ylim=(-3.0, 4.0),
        minimum=(-0.54719, -1.54719),
        start=(3.5, 3.5),
    )


def rotated(surface: Surface, degrees: float) -> Surface:
    """``surface`` turned by ``degrees`` about the origin, with its start and minimiser.

    The rotated loss at p is the original loss at R^T p, and its gradient is R times the
    original gradient there (R the rotation matrix). The window is the bounding box of the
    turned original window.
    """
    angle = np.deg2rad(degrees)
    R = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    corners = R @ np.array([[x, y] for x in surface.xlim for y in surface.ylim]).T
    return Surface(
        name=f"{surface.name}, rotated {degrees:g}°",
        f=lambda p: surface.f(R.T @ p),
        grad=lambda p: R @ surface.grad(R.T @ p),
        xlim=(float(corners[0].min()), float(corners[0].max())),
        ylim=(float(corners[1].min()), float(corners[1].max())),
        minimum=tuple(float(c) for c in R @ np.array(surface.minimum)),
        start=tuple(float(c) for c in R @ np.array(surface.start)),
        log_levels=surface.log_levels,
    )


def all_surfaces() -> dict[str, Surface]:
    """The surfaces of the visual chapters and the explorer, by short name."""
    return {
        "valley": quadratic(1.0, 10.0),
        "rotated valley": rotated(quadratic(1.0, 10.0), 45.0),
        "Rosenbrock": rosenbrock(),
        "McCormick": mccormick(),
    }


def trace(
    surface: Surface, step: Callable, start=None, num_steps: int = 50, **hparams
) -> np.ndarray:
    """Run an optimizer from ``start`` (default: the surface's); return the visited points."""
    x, state = np.asarray(surface.start if start is None else start, dtype=float), None
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
