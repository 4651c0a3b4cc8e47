"""Plots shared by the chapters and the exercises: contours, trajectories, cost curves."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from descent.surfaces import Surface


def contour(surface: Surface, ax=None, resolution: int = 200):
    """Draw the surface's level sets and its minimiser; return the axes."""
    ax = ax or plt.gca()
    xs = np.linspace(*surface.xlim, resolution)
    ys = np.linspace(*surface.ylim, resolution)
    X, Y = np.meshgrid(xs, ys)
    Z = np.vectorize(lambda x, y: surface.f(np.array([x, y])))(X, Y)
    if surface.log_levels:
        levels = np.geomspace(max(Z.min(), 1e-3), Z.max(), 20)
    else:
        levels = (
            Z.min() + (Z.max() - Z.min()) * np.linspace(0, 1, 20)[1:] ** 2
        )  # denser near the minimum
    ax.contour(X, Y, Z, levels=levels, cmap="viridis", linewidths=0.8)
    ax.plot(*surface.minimum, marker="*", color="black", markersize=12, linestyle="none")
    ax.set(xlim=surface.xlim, ylim=surface.ylim, xlabel="$x_1$", ylabel="$x_2$")
    return ax


def trajectories(surface: Surface, paths: dict[str, np.ndarray], ax=None, title: str = ""):
    """Contours of ``surface`` with one labelled trajectory per entry of ``paths``."""
    ax = contour(surface, ax)
    for label, path in paths.items():
        ax.plot(path[:, 0], path[:, 1], marker="o", markersize=2.5, linewidth=1.2, label=label)
    ax.set_title(title or surface.name)
    ax.legend(loc="upper right", fontsize="small")
    return ax


def cost_curves(
    curves: dict[str, np.ndarray], ax=None, xlabel: str = "step", log: bool = True, title: str = ""
):
    """One labelled cost curve per entry of ``curves`` (log scale by default)."""
    ax = ax or plt.gca()
    for label, costs in curves.items():
        ax.plot(np.arange(len(costs)), costs, label=label)
    if log:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel="cost", title=title)
    ax.legend(fontsize="small")
    return ax
