"""The chapter 5 figures: the sweep marks divergence, paths mark where they leave, frames."""

import re

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from descent import plotting, surfaces

matplotlib.use("Agg")


def test_animation_draws_stride_steps_per_frame():
    path = np.linspace([-5.0, 2.0], [0.0, 0.0], 11)  # 10 steps
    html = plotting.animation(surfaces.quadratic(), {"run": path}, alt="a test animation", stride=5)
    frames = re.findall(r"data:image/jpeg;base64,", html.data)
    assert len(frames) == 3  # after 0, 5 and 10 steps


def test_marked_trajectories_cross_the_last_point_inside_the_window():
    valley = surfaces.quadratic()  # window x in [-5.5, 5.5], y in [-3, 3]
    path = np.array([[0.0, 1.0], [0.0, -2.0], [0.0, 4.0], [0.0, -8.0]])
    ax = plotting.marked_trajectories(
        valley, {"GD: diverged at step 2": path}, ax=plt.subplots()[1]
    )
    cross = ax.get_lines()[-1]
    assert cross.get_marker() == "X" and (cross.get_xdata()[0], cross.get_ydata()[0]) == (0.0, -2.0)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["GD: diverged at step 2"]


def test_sweep_circles_each_best_rate_and_crosses_every_diverged_run():
    rates = np.array([0.1, 0.2, 0.4])
    finals = {"a": np.array([1.0, 0.1, np.inf]), "b": np.array([0.5, np.inf, np.inf])}
    ax = plotting.sweep(rates, finals, ax=plt.subplots()[1])
    lines = {line.get_label(): line for line in ax.get_lines()}
    np.testing.assert_array_equal(lines["a"].get_ydata(), [1.0, 0.1, np.nan])  # no inf drawn
    circles = [line for line in ax.get_lines() if line.get_markersize() == 11]
    assert [(c.get_xdata()[0], c.get_ydata()[0]) for c in circles] == [(0.2, 0.1), (0.1, 0.5)]
    crosses = [
        line for line in ax.get_lines() if line.get_marker() == "x" and len(line.get_xdata())
    ]
    assert [list(c.get_xdata()) for c in crosses] == [[0.4], [0.2, 0.4]]
    heights = [c.get_ydata()[0] for c in crosses]
    assert 1.0 < heights[0] < heights[1] < ax.get_ylim()[1]  # above the curves, one row each
    assert "diverged" in lines
    plt.close("all")
