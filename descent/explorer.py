"""The optimizer explorer: pick a surface and an optimizer, move sliders, watch the path."""

from __future__ import annotations

import inspect

import matplotlib.pyplot as plt

from descent import plotting, steps, surfaces


def hyperparameters(
    step, learning_rate: float, beta_1: float, beta_2: float, rho: float = 0.9
) -> dict:
    """The subset of the explorer's settings that ``step`` accepts (RMSprop's ``rho`` is its
    own control, default 0.9 as in Keras, not Adam's ``beta_2``)."""
    settings = {"learning_rate": learning_rate, "beta_1": beta_1, "beta_2": beta_2, "rho": rho}
    accepted = inspect.signature(step).parameters
    return {name: value for name, value in settings.items() if name in accepted}


def draw(
    surface: str,
    optimizer: str,
    learning_rate: float,
    beta_1: float,
    beta_2: float,
    num_steps: int,
    rho: float = 0.9,
    ax=None,
):
    """Draw one optimizer's path on one surface (what the explorer shows)."""
    step, where = steps.STEPS[optimizer], surfaces.all_surfaces()[surface]
    settings = hyperparameters(step, learning_rate, beta_1, beta_2, rho)
    path = surfaces.trace(where, step, num_steps=num_steps, **settings)
    ax = ax or plt.subplots(figsize=(6, 4.5))[1]
    plotting.trajectories(
        where,
        {optimizer: path},
        ax=ax,
        title=f"{optimizer} on {where.name}: final loss {where.f(path[-1]):.4g}\n"
        + ", ".join(f"{k} {v:g}" for k, v in settings.items()),
    )
    return ax


def explorer():
    """An ipywidgets panel that redraws the trajectory whenever a control changes."""
    import ipywidgets as widgets
    from IPython.display import display

    controls = {
        "surface": widgets.Dropdown(options=list(surfaces.all_surfaces()), description="surface"),
        "optimizer": widgets.Dropdown(
            options=list(steps.STEPS), value="Adam", description="optimizer"
        ),
        "learning_rate": widgets.FloatLogSlider(
            value=0.1, base=10, min=-4, max=0.5, step=0.05, description="learning rate"
        ),
        "beta_1": widgets.FloatSlider(value=0.9, min=0.0, max=0.999, step=0.01, description="β1"),
        "beta_2": widgets.FloatSlider(
            value=0.999,
            min=0.0,
            max=0.9999,
            step=0.001,
            description="β2 (Adam)",
            readout_format=".4f",
        ),
        "rho": widgets.FloatSlider(
            value=0.9, min=0.0, max=0.999, step=0.01, description="ρ (RMSprop)"
        ),
        "num_steps": widgets.IntSlider(value=100, min=10, max=500, step=10, description="steps"),
    }

    def show(**settings):
        draw(**settings)
        plt.show()

    output = widgets.interactive_output(show, controls)
    boxes = widgets.HBox(
        [widgets.VBox(list(controls.values())[:4]), widgets.VBox(list(controls.values())[4:])]
    )
    display(widgets.VBox([boxes, output]))
