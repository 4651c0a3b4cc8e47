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


def test_sweep_curves_put_diverged_rates_on_the_top_line_and_dot_the_tuned_rate():
    rates = np.array([0.1, 0.2, 0.3])
    ax = plotting.sweep_curves(rates, {"GD": np.array([1e-2, 1e-4, np.inf])}, ax=plt.subplots()[1])
    top = ax.get_lines()[-1].get_ydata()[0]  # the grey line marking divergence
    crosses, dot = ax.get_lines()[1], ax.get_lines()[2]
    np.testing.assert_array_equal(crosses.get_xdata(), [0.3])
    assert crosses.get_ydata()[0] == top == 0.1
    assert dot.get_xdata()[0] == 0.2 and dot.get_ydata()[0] == 1e-4


def test_marked_trajectories_cross_the_last_point_inside_the_window():
    valley = surfaces.quadratic()  # window x in [-5.5, 5.5], y in [-3, 3]
    path = np.array([[0.0, 1.0], [0.0, -2.0], [0.0, 4.0], [0.0, -8.0]])
    ax = plotting.marked_trajectories(
        valley, {"GD: diverged at step 2": path}, ax=plt.subplots()[1]
    )
    cross = ax.get_lines()[-1]
    assert cross.get_marker() == "X" and (cross.get_xdata()[0], cross.get_ydata()[0]) == (0.0, -2.0)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["GD: diverged at step 2"]
