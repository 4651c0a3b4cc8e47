"""Learning-rate sweeps: each method at its own tuned rate (chapters 2, 3 and 5).

A run *diverges* when its last point is not finite or lies outside the surface's window
widened by the window's own size on every side: such a run is going away, not converging.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from descent.surfaces import Surface, trace


def escape_step(surface: Surface, path: np.ndarray) -> int | None:
    """The first step at which ``path`` is not finite or far outside the window, else None."""
    (x0, x1), (y0, y1) = surface.xlim, surface.ylim
    w, h = x1 - x0, y1 - y0
    with np.errstate(invalid="ignore"):
        inside = (
            np.all(np.isfinite(path), axis=1)
            & (x0 - w <= path[:, 0])
            & (path[:, 0] <= x1 + w)
            & (y0 - h <= path[:, 1])
            & (path[:, 1] <= y1 + h)
        )
    return None if inside[-1] else int(np.argmin(inside[: len(path)]))


def gap(surface: Surface, path: np.ndarray) -> float:
    """How far above the global minimum the run ends: f(last) - f(minimum); inf if diverged."""
    if escape_step(surface, path) is not None:
        return np.inf
    return float(surface.f(path[-1]) - surface.f(np.array(surface.minimum)))


def sweep(surface: Surface, step: Callable, rates, num_steps: int, **hparams) -> np.ndarray:
    """The final gap of ``step`` on ``surface`` after ``num_steps``, at each learning rate."""
    with np.errstate(over="ignore", invalid="ignore"):  # diverging runs are expected
        return np.array(
            [
                gap(surface, trace(surface, step, num_steps=num_steps, learning_rate=r, **hparams))
                for r in rates
            ]
        )


def label(name: str, surface: Surface, path: np.ndarray) -> str:
    """A legend entry: the name, and where the run diverged if it did."""
    escaped = escape_step(surface, path)
    return name if escaped is None else f"{name}: diverged at step {escaped}"


def describe(surface: Surface, paths: dict[str, np.ndarray]) -> str:
    """One sentence for alt text: who ends lowest, and who diverged (and when)."""
    gaps = {name: gap(surface, path) for name, path in paths.items()}
    finite = {name: g for name, g in gaps.items() if np.isfinite(g)}
    parts = [
        f"{name} ends {g:.2g} above the minimum"
        for name, g in sorted(finite.items(), key=lambda kv: kv[1])
    ]
    parts += [
        f"{name} diverges at step {escape_step(surface, path)}"
        for name, path in paths.items()
        if not np.isfinite(gaps[name])
    ]
    return "; ".join(parts) + "."


def best(rates, finals) -> tuple[float, float]:
    """The rate of the grid with the lowest final cost, and that cost."""
    k = int(np.argmin(finals))
    return float(rates[k]), float(finals[k])


def diverged_above(final, start: float) -> np.ndarray:
    """``final`` with every run that ends above ``start``, the cost it started from, set to
    inf: such a run has diverged (the convention of :func:`descent.plotting.sweep`)."""
    final = np.asarray(final, dtype=float)
    return np.where(final <= start, final, np.inf)
