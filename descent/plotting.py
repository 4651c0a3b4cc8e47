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


def sweep_figure(sweeps: dict, columns: int = 2):
    """One panel per optimizer of the tuned race: the validation accuracy after the sweep's
    epochs against the learning rate (log scale), the chosen rate starred, Keras' default
    rate dashed, and the rates that diverged crossed at the panel's foot."""
    rows = -(-len(sweeps) // columns)
    with plt.rc_context({"font.size": 13}):
        fig, axes = plt.subplots(rows, columns, figsize=(6.5, 2.6 * rows + 0.8), squeeze=False)
        for ax, (name, record) in zip(axes.flat, sweeps.items(), strict=False):
            trials = record["trials"]
            alive = [t for t in trials if not t["diverged"]]
            rates = [t["learning_rate"] for t in alive]
            accuracy = [t["val_accuracy"] for t in alive]
            ax.plot(rates, accuracy, "o-", color="C0", label="validation accuracy")
            low, high = min(accuracy), max(accuracy)
            pad = 0.08 * (high - low) + 0.002
            ax.set_ylim(low - 2.5 * pad, high + pad)
            foot = low - 1.8 * pad
            for x in (t["learning_rate"] for t in trials if t["diverged"]):
                ax.plot(x, foot, "x", color="C3", markersize=10, mew=2.5, label="diverged")
                ax.annotate(
                    "diverged",
                    (x, foot),
                    textcoords="offset points",
                    xytext=(0, 7),
                    ha="center",
                    fontsize=11,
                    color="C3",
                )
            ax.axvline(record["default_rate"], color="0.4", linestyle="--", label="Keras default")
            chosen = next(t for t in alive if t["learning_rate"] == record["chosen_rate"])
            ax.plot(
                chosen["learning_rate"],
                chosen["val_accuracy"],
                "*",
                color="C1",
                markersize=16,
                markeredgecolor="black",
                label="chosen",
            )
            ax.set_xscale("log")
            ax.set_title(f"{name}: {record['chosen_rate']:.2g}", fontsize=13)
        for ax in axes.flat[len(sweeps) :]:
            ax.set_visible(False)
        for ax in axes[:, 0]:
            ax.set_ylabel("val. accuracy")
        for ax in axes[-1]:
            ax.set_xlabel("learning rate")
        handles = {}
        for ax in axes.flat[: len(sweeps)]:
            handles |= dict(zip(*reversed(ax.get_legend_handles_labels()), strict=True))
        fig.legend(handles.values(), handles.keys(), loc="lower center", ncol=2)
        fig.tight_layout(rect=(0, 0.8 / (2.6 * rows + 0.8), 1, 1))
    return fig


def tuned_figure(defaults: dict, tuned: dict, sweeps: dict):
    """Defaults against tuned, one row per optimizer: the final test accuracy of the full run
    at Keras' default rate (open circle) and at the rate the sweep chose (filled), joined by an
    arrow; the two rates are written beside the row."""
    names = list(sweeps)[::-1]  # the first optimizer on top
    with plt.rc_context({"font.size": 13}):
        fig, ax = plt.subplots(figsize=(6.5, 0.55 * len(names) + 1.6))
        for row, name in enumerate(names):
            before = defaults[name]["test_accuracy"][-1]
            after = tuned[name]["test_accuracy"][-1]
            if abs(after - before) > 1e-4:
                ax.annotate(
                    "",
                    (after, row),
                    (before, row),
                    arrowprops={"arrowstyle": "->", "color": "0.5", "lw": 1.5},
                )
            ax.plot(before, row, "o", mfc="white", mec="C0", mew=2, ms=10, label="Keras default")
            ax.plot(after, row, "o", color="C1", ms=6, label="tuned rate")
            record = sweeps[name]
            ax.annotate(
                f"{record['default_rate']:.2g} → {record['chosen_rate']:.2g}",
                (1, row),
                xycoords=("axes fraction", "data"),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                fontsize=12,
            )
        ax.set_yticks(range(len(names)), names)
        ax.set_xlabel("test accuracy after the last epoch")
        ax.grid(axis="x", color="0.9")
        handles = dict(zip(*reversed(ax.get_legend_handles_labels()), strict=True))
        ax.legend(
            handles.values(),
            handles.keys(),
            loc="lower center",
            ncol=2,
            bbox_to_anchor=(0.5, 1.0),
            frameon=False,
        )
        fig.tight_layout()
    return fig
