"""Learning-rate sweeps: the best rate of a grid, and final cost against the rate."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def best(rates, finals) -> tuple[float, float]:
    """The rate of the grid with the lowest final cost, and that cost."""
    k = int(np.argmin(finals))
    return float(rates[k]), float(finals[k])


def plot(ax, rates, finals: dict[str, np.ndarray], start: float, title: str = ""):
    """Final cost against learning rate (log-log), one line per entry of ``finals``.

    The best rate of each line is circled. A run that ends above ``start``, the cost it
    started from, has diverged: it is drawn as a cross above ``start``, each line's crosses
    at their own height so that none hides another, and the legend gets a "diverged" entry.
    """
    ax = ax or plt.gca()
    rates = np.asarray(rates)
    top = 10 * start
    any_diverged = False
    for i, (label, final) in enumerate(finals.items()):
        final = np.asarray(final)
        ok = final <= start
        (line,) = ax.plot(rates[ok], final[ok], "-o", markersize=3, label=label)
        k = int(np.argmin(final))
        ax.plot(rates[k], final[k], "o", color=line.get_color(), markersize=11, mfc="none", mew=2)
        if not ok.all():
            any_diverged = True
            height = np.full((~ok).sum(), top / 1.6**i)
            ax.plot(rates[~ok], height, "x", color=line.get_color(), mew=2)
    if any_diverged:
        ax.plot([], [], "x", color="gray", mew=2, label="diverged")
    ax.set(xscale="log", yscale="log", xlabel="learning rate α", title=title)
    ax.set_ylim(top=30 * start)
    return ax
