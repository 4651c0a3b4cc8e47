"""Plots shared by the chapters and the exercises: contours, trajectories, cost curves."""

from __future__ import annotations

import re

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
    ax.legend(loc="best", fontsize="small")
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


def sweep(
    rates,
    finals: dict[str, np.ndarray],
    ax=None,
    title: str = "",
    xlabel: str = "learning rate α",
    ylabel: str = "final cost",
):
    """Final cost against the learning rate, one line per method or setting (log-log).

    An open circle marks each line's best rate. A diverged run (cost ``inf``) is drawn as a
    cross above the curves, one row per line in its colour, so that no run disappears from
    the figure; a "diverged" legend entry explains the crosses. The caller adds the legend.
    """
    ax = ax or plt.gca()
    rates = np.asarray(rates)
    finite = np.concatenate([np.asarray(f)[np.isfinite(f)] for f in finals.values()])
    top = 30 * finite.max() if finite.size else 1.0
    any_diverged = False
    for row, (label, final) in enumerate(finals.items()):
        final = np.asarray(final, dtype=float)
        diverged = ~np.isfinite(final)
        (line,) = ax.plot(rates, np.where(diverged, np.nan, final), "-o", markersize=3, label=label)
        if not diverged.all():
            k = int(np.argmin(final))
            ax.plot(
                rates[k], final[k], "o", color=line.get_color(), markersize=11, mfc="none", mew=2
            )
        if diverged.any():
            any_diverged = True
            height = np.full(diverged.sum(), top * 4.0**row)
            ax.plot(rates[diverged], height, "x", color=line.get_color(), mew=2)
    if any_diverged:
        ax.plot([], [], "x", color="gray", mew=2, label="diverged")
    ax.set(xscale="log", yscale="log", xlabel=xlabel, ylabel=ylabel, title=title)
    ax.set_ylim(top=top * 4.0 ** (len(finals) + 0.5))
    return ax


def animation(
    surface: Surface,
    paths: dict[str, np.ndarray],
    alt: str,
    title: str = "",
    interval: int = 120,
    figsize=(5.5, 4),
    dpi: int = 72,
    stride: int = 1,
):
    """An animation of optimizers moving over ``surface``, as HTML that plays without a kernel.

    The frames and a JavaScript player are embedded in the HTML, so a notebook shows it on its
    own; the website moves the frames into image files that load when the reader plays it
    (book/_ext/animations.py). ``alt`` describes it for readers who cannot see it. Each frame
    adds ``stride`` steps to every path.
    """
    from IPython.display import HTML
    from matplotlib.animation import FuncAnimation

    fig, ax = plt.subplots(figsize=figsize, dpi=dpi)
    contour(surface, ax)
    ax.set_title(title or surface.name)
    lines = [ax.plot([], [], marker="o", markersize=2.5, linewidth=1.2, label=k)[0] for k in paths]
    ax.legend(loc="upper right", fontsize="small")
    frames = -(-max(len(p) - 1 for p in paths.values()) // stride) + 1

    def draw(frame):
        for line, path in zip(lines, paths.values(), strict=True):
            shown = path[: frame * stride + 1]
            line.set_data(shown[:, 0], shown[:, 1])
        return lines

    anim = FuncAnimation(fig, draw, frames=frames, interval=interval, blit=True)
    with plt.rc_context({"animation.frame_format": "jpeg"}):  # a third of the size of PNG
        html = anim.to_jshtml(default_mode="once")
    plt.close(fig)
    alt_text = alt.replace('"', "&quot;")
    html = html.replace('<img id="_anim_img', f'<img alt="{alt_text}" id="_anim_img', 1)
    # The player links Font Awesome 4 from a CDN for its button icons; the book's theme
    # already ships Font Awesome, so the page works offline without that link.
    return HTML(re.sub(r'<link rel="stylesheet"[^>]*font-awesome[^>]*>', "", html))


def decision_boundary(
    predict, X: np.ndarray, Y: np.ndarray, ax=None, title: str = "", resolution: int = 300
):
    """Shade the two classes a classifier predicts over the plane, with the data on top.

    ``predict`` maps points in columns, shape (2, n), to labels 0/1 of shape (1, n).
    """
    ax = ax or plt.gca()
    x0 = np.linspace(X[0].min() - 0.5, X[0].max() + 0.5, resolution)
    x1 = np.linspace(X[1].min() - 0.5, X[1].max() + 0.5, resolution)
    G0, G1 = np.meshgrid(x0, x1)
    labels = predict(np.vstack([G0.ravel(), G1.ravel()])).reshape(G0.shape)
    ax.contourf(G0, G1, labels, levels=[-0.5, 0.5, 1.5], colors=["#f4c7a1", "#a8c8e8"])
    for label, colour, marker in [(0, "#c0504d", "o"), (1, "#2f5f98", "s")]:
        chosen = Y[0] == label
        ax.scatter(
            X[0, chosen], X[1, chosen], s=12, c=colour, marker=marker, label=f"class {label}"
        )
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title=title)
    return ax


def race_figure(histories: dict, title: str = "", dashed=("MyAdam",)):
    """The race as the report plotted it: training loss, training accuracy, test accuracy and
    cumulative training time, each against the epoch; one line per optimizer (those named in
    ``dashed`` dashed, so that a copy of another optimizer does not hide it). The panels are
    stacked and the legend sits below them, so that the figure reads on a phone."""
    panels = [
        ("train_loss", "training loss", False),
        ("train_accuracy", "training accuracy", False),
        ("test_accuracy", "test accuracy", False),
        ("seconds", "cumulative\ntraining time (s)", True),
    ]
    with plt.rc_context({"font.size": 13}):
        fig, axes = plt.subplots(4, 1, figsize=(6.5, 12), sharex=True)
        for ax, (metric, label, cumulative) in zip(axes, panels, strict=True):
            for name, history in histories.items():
                values = np.cumsum(history[metric]) if cumulative else history[metric]
                style = "--" if name in dashed else "-"
                ax.plot(np.arange(1, len(values) + 1), values, style, label=name, linewidth=1.3)
            ax.set(ylabel=label)
        axes[-1].set(xlabel="epoch")
        fig.suptitle(title)
        fig.legend(*axes[0].get_legend_handles_labels(), loc="lower center", ncol=2)
        fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig


def marked_trajectories(surface: Surface, paths: dict[str, np.ndarray], ax=None, title=""):
    """Like :func:`trajectories`, with a cross where a diverging run leaves the window.

    The keys of ``paths`` are the legend entries (say there which runs diverged).
    """
    ax = contour(surface, ax)
    for label, path in paths.items():
        (line,) = ax.plot(
            path[:, 0], path[:, 1], marker="o", markersize=2.5, linewidth=1.2, label=label
        )
        with np.errstate(invalid="ignore"):
            inside = (
                (surface.xlim[0] <= path[:, 0])
                & (path[:, 0] <= surface.xlim[1])
                & (surface.ylim[0] <= path[:, 1])
                & (path[:, 1] <= surface.ylim[1])
            )
        if not inside[-1]:
            last = path[np.nonzero(inside)[0].max()] if inside.any() else path[0]
            ax.plot(*last, "X", color=line.get_color(), markersize=12, markeredgecolor="black")
    ax.set_title(title or surface.name)
    ax.legend(loc="best", fontsize="small")
    return ax
