"""The explorer: settings reach each optimizer under its own names, and the panel builds."""

import matplotlib
import numpy as np
import pytest

from descent import explorer, steps, surfaces

matplotlib.use("Agg")


def test_each_optimizer_gets_only_the_settings_it_accepts():
    assert explorer.hyperparameters(steps.gd, 0.1, 0.8, 0.95) == {"learning_rate": 0.1}
    assert explorer.hyperparameters(steps.momentum, 0.1, 0.8, 0.95) == {
        "learning_rate": 0.1,
        "beta_1": 0.8,
    }
    assert explorer.hyperparameters(steps.rmsprop, 0.1, 0.8, 0.95) == {
        "learning_rate": 0.1,
        "rho": 0.9,
    }
    assert explorer.hyperparameters(steps.rmsprop, 0.1, 0.8, 0.95, rho=0.7) == {
        "learning_rate": 0.1,
        "rho": 0.7,
    }
    assert explorer.hyperparameters(steps.adam, 0.1, 0.8, 0.95) == {
        "learning_rate": 0.1,
        "beta_1": 0.8,
        "beta_2": 0.95,
    }


@pytest.mark.parametrize("surface", list(surfaces.all_surfaces()))
@pytest.mark.parametrize("optimizer", list(steps.STEPS))
def test_draw_shows_the_path_it_computed(surface, optimizer):
    with np.errstate(over="ignore", invalid="ignore"):
        ax = explorer.draw(surface, optimizer, 0.01, 0.9, 0.999, 20)
    line = ax.get_lines()[-1]
    assert line.get_label() == optimizer and len(line.get_xdata()) >= 2
    assert "final loss" in ax.get_title()


def test_the_widget_panel_builds_and_draws(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *objects: shown.extend(objects))
    explorer.explorer()
    [panel] = shown
    controls = panel.children[0]
    assert len(controls.children[0].children) + len(controls.children[1].children) == 7


def test_rmsprop_in_the_explorer_runs_with_its_own_rho_not_beta_2():
    ax = explorer.draw("valley", "RMSprop", 0.05, 0.9, 0.999, 3, rho=0.5)
    expected = surfaces.trace(
        surfaces.quadratic(1.0, 10.0), steps.rmsprop, num_steps=3, learning_rate=0.05, rho=0.5
    )
    np.testing.assert_array_equal(ax.get_lines()[-1].get_xydata(), expected)
    assert "rho 0.5" in ax.get_title()
