"""The optimizer playground on the website: the course's numbers, usable by keyboard and phone.

The playground (_static/playground.js) reimplements the course's surfaces and optimizer steps
in JavaScript. Here headless Chromium runs its pure API and the test compares every path with
the course's Python over 200 steps; then the tests use it as a reader would.
"""
# ruff: noqa: F811 (the fixtures of tests/test_browser.py are imported, then requested)

import inspect

import numpy as np
import pytest

from descent import momentum_lab, steps, surfaces
from tests.test_browser import (  # noqa: F401 (fixtures)
    CHROMIUM,
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    SERIOUS_VIOLATIONS,
    Visit,
    axe,
    browser,
    mathjax,
    server,
    visit,
)

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium)"
)

PAGES = {"book/momentum": "polyak", "book/adaptive": "rotated-adam", "book/explorer": "gd-limit"}


PYTHON_STEPS = {
    "gradient descent": steps.gd,
    "momentum": steps.momentum,
    "heavy ball": momentum_lab.heavy_ball,
    "Nesterov": steps.nesterov,
    "Adagrad": steps.adagrad,
    "RMSprop": steps.rmsprop,
    "Adam": steps.adam,
    "AdamW": steps.adamw,  # Keras' convention, as book/adaptive.md writes it
}
# Settings away from the defaults, and an epsilon large enough that its place matters.
SHARED = {
    "beta_1": 0.8,
    "momentum": 0.7,
    "beta_2": 0.99,
    "rho": 0.85,
    "epsilon": 1e-2,
    "weight_decay": 0.05,
}
SURFACES = {  # the playground's description of each surface, and the course's
    "valley": ({"name": "valley", "kappa": 10}, surfaces.quadratic(1.0, 10.0)),
    "rotated valley": (
        {"name": "valley", "kappa": 50, "rotation": 30},
        surfaces.rotated(surfaces.quadratic(0.2, 10.0), 30.0),
    ),
    "Rosenbrock": ({"name": "Rosenbrock"}, surfaces.rosenbrock()),
    "McCormick": ({"name": "McCormick"}, surfaces.mccormick()),
}
# A stable learning rate for each optimizer on each surface, in the order of PYTHON_STEPS.
# On the rotated valley RMSprop gets a small rate: near the minimum its step is nearly
# alpha * sign(g), which magnifies a difference in the last bit of the gradient (NumPy's
# matrix product may round a * b + c once, with a fused multiply-add, and JavaScript twice)
# until the paths part; at 0.01 it stays far from the minimum for the 200 steps.
RATES = {
    "valley": [0.05, 0.05, 0.05, 0.05, 1.0, 0.2, 0.2, 0.2],
    "rotated valley": [0.05, 0.05, 0.05, 0.05, 1.0, 0.01, 0.2, 0.2],
    "Rosenbrock": [1e-3, 2e-3, 5e-4, 2e-3, 0.3, 0.01, 0.05, 0.05],
    "McCormick": [0.05, 0.05, 0.05, 0.05, 0.2, 0.2, 0.2, 0.2],
}


def python_path(surface, optimizer: str, settings: dict, start, num_steps: int) -> np.ndarray:
    step = PYTHON_STEPS[optimizer]
    accepted = inspect.signature(step).parameters
    if "adam_hparams" in accepted:  # AdamW passes Adam's settings on
        accepted = {**inspect.signature(steps.adam).parameters, **accepted}
    hparams = {k: v for k, v in settings.items() if k in accepted}
    return surfaces.trace(surface, step, start=start, num_steps=num_steps, **hparams)


@pytest.fixture(scope="module")
def page(browser, mathjax, server):
    """The explorer page, open once for the API checks."""
    session = Visit(browser, mathjax, server + "book/explorer.html")
    session.page.wait_for_function("window.descentPlayground !== undefined")
    yield session.page
    session.close()


def test_the_surfaces_are_the_courses(page):
    rng = np.random.default_rng(0)
    for spec, surface in SURFACES.values():
        points = rng.uniform(-3, 3, size=(50, 2)).tolist()
        js = page.evaluate(
            """([spec, points]) => { const s = descentPlayground.surface(spec);
            return {f: points.map(s.f), grad: points.map(s.grad), xlim: s.xlim, ylim: s.ylim,
                    minimum: s.minimum, start: s.start}; }""",
            [spec, points],
        )
        np.testing.assert_allclose(js["f"], [surface.f(np.array(p)) for p in points], rtol=1e-12)
        np.testing.assert_allclose(
            js["grad"], [surface.grad(np.array(p)) for p in points], rtol=1e-12, atol=1e-15
        )
        for key in ("xlim", "ylim", "minimum", "start"):
            np.testing.assert_allclose(js[key], getattr(surface, key), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("where", list(SURFACES))
def test_every_optimizer_takes_the_same_200_steps_as_the_courses_python(page, where):
    spec, surface = SURFACES[where]
    start = [surface.start[0] + 0.3, surface.start[1] - 0.2]  # not only the default start
    assert page.evaluate("descentPlayground.optimizers") == list(PYTHON_STEPS)
    for optimizer, rate in zip(PYTHON_STEPS, RATES[where], strict=True):
        settings = {**SHARED, "learning_rate": rate}
        expected = python_path(surface, optimizer, settings, start, 200)
        js = np.array(
            page.evaluate(
                "args => descentPlayground.run(...args)", [spec, optimizer, settings, start, 200]
            )
        )
        assert expected.shape == js.shape == (201, 2), (where, optimizer)
        assert np.all(np.isfinite(expected)), (where, optimizer)
        scale = np.linalg.norm(expected, axis=1)
        error = np.linalg.norm(js - expected, axis=1)
        assert np.all(error <= 1e-12 * scale), (where, optimizer, (error / scale).max())


def playground(p):
    root = p.locator(".descent-playground").first
    root.scroll_into_view_if_needed()
    return root


def row(root, optimizer: str):
    return root.locator(f"tr[data-optimizer='{optimizer}']")


def load(root, preset: str):
    root.get_by_label("Experiment").select_option(preset)
    root.get_by_role("button", name="Load").click()


@pytest.mark.parametrize("name", list(PAGES))
def test_each_chapter_embeds_a_working_playground_with_a_fallback(visit, site, name):
    html = (site / f"{name}.html").read_text()
    assert f'<div class="descent-playground" data-preset="{PAGES[name]}">' in html
    assert "<noscript>" in html.split("descent-playground", 1)[1].split("</div>", 1)[0]
    p = visit(f"{name}.html").page
    root = playground(p)
    assert root.get_by_label("Experiment").input_value() == PAGES[name]
    assert root.locator("tbody tr").count() >= 1
    assert root.locator("noscript").count() == 0


def test_raising_the_learning_rate_past_2_over_L_makes_gradient_descent_diverge(visit):
    p = visit("book/explorer.html").page
    root = playground(p)
    load(root, "gd-limit")
    gd = row(root, "gradient descent")
    assert gd.locator(".pg-state").inner_text() == "did not diverge"
    before = float(gd.locator(".pg-final").inner_text())
    assert before < 1e-3
    slider = root.get_by_label("α for gradient descent (log-scale slider)")
    slider.focus()
    for _ in range(5):  # log10(alpha) up by 0.05: from 0.19 to 0.214, past 2 / 10
        p.keyboard.press("ArrowRight")
    rate = float(root.get_by_label("α for gradient descent", exact=True).input_value())
    assert 0.2 < rate < 0.22
    assert gd.locator(".pg-state").inner_text().startswith("diverged at step")
    assert gd.locator(".pg-final").inner_text() == "—"
    assert "Diverged: gradient descent" in root.locator(".pg-status").inner_text()
    assert "diverges" in root.locator("canvas.pg-contour").get_attribute("aria-label")


PAIR = ("Adam", "momentum")


def test_the_rotation_preset_changes_adam_and_not_momentum(visit):
    p = visit("book/adaptive.html").page
    root = playground(p)
    load(root, "rotated-adam")
    rotation = root.get_by_label("rotation in degrees (valley)", exact=True)
    assert rotation.input_value() == "45"
    names = [t.strip("■ \xa0") for t in root.locator("tbody th").all_inner_texts()]
    assert sorted(names) == ["Adam", "momentum"]

    def finals():
        return {n: float(row(root, n).locator(".pg-final").inner_text()) for n in PAIR}

    turned = finals()
    rotation.fill("0")
    aligned = finals()
    # book/adaptive.md's sweep at alpha = 0.1 (condition number 1000): Adam 1.6e-13 aligned,
    # 1.0e-1 rotated
    assert 0.05 < turned["Adam"] < 0.2 and aligned["Adam"] < 1e-10
    assert aligned["momentum"] == pytest.approx(turned["momentum"], rel=1e-2)


def test_a_click_on_the_contour_plot_moves_the_start(visit):
    p = visit("book/momentum.html").page
    root = playground(p)
    load(root, "gd-limit")  # the valley of condition number 10: x in [-5.5, 5.5], y in [-3, 3]
    canvas = root.locator("canvas.pg-contour")
    box = canvas.bounding_box()
    left, right, top, bottom = 44, 16, 28, 30  # the plot's margins inside the canvas
    wanted = (2.0, -1.0)
    x = left + (wanted[0] + 5.5) / 11 * (box["width"] - left - right)
    y = top + (1 - (wanted[1] + 3) / 6) * (box["height"] - top - bottom)
    canvas.click(position={"x": x, "y": y})
    start = [float(root.get_by_label(f"start {c}", exact=True).input_value()) for c in "xy"]
    assert start == pytest.approx(wanted, abs=0.05)
    assert f"from ({start[0]:g}, {start[1]:g})" in root.locator(".pg-status").inner_text()
    root.get_by_role("button", name="Surface's own start").click()
    assert root.get_by_label("start x", exact=True).input_value() == "-5"


def test_nothing_moves_by_itself(visit):
    session = visit("book/momentum.html")
    p = session.page
    p.emulate_media(reduced_motion="reduce")
    canvas = playground(p).locator("canvas.pg-contour")
    first = canvas.evaluate("c => c.toDataURL()")
    p.wait_for_timeout(700)
    assert canvas.evaluate("c => c.toDataURL()") == first


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_after_use_the_playground_has_no_serious_accessibility_problem(visit, axe, dark):
    p = visit("book/explorer.html", dark=dark).page
    load(playground(p), "polyak")
    p.add_script_tag(path=str(axe))
    assert p.evaluate(SERIOUS_VIOLATIONS) == []


def test_on_a_phone_the_controls_stack_under_the_plots_and_nothing_overflows(visit):
    p = visit("book/momentum.html", viewport=PHONE).page
    root = playground(p)
    plots = root.locator(".pg-plots").bounding_box()
    controls = root.locator(".pg-controls").bounding_box()
    assert controls["y"] >= plots["y"] + plots["height"]
    assert root.evaluate("r => r.scrollWidth - r.clientWidth") <= 1
    assert p.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1


def test_the_playground_is_small(site):
    size = sum((site / "_static" / f).stat().st_size for f in ("playground.js", "playground.css"))
    assert size <= 150_000


@pytest.mark.parametrize("viewport, label", [(DESKTOP, "desktop"), (PHONE, "phone")])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_playground_screenshots_for_review(visit, viewport, label, dark):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    p = visit("book/adaptive.html", viewport=viewport, dark=dark).page
    p.set_viewport_size({"width": viewport["width"], "height": 3200})  # the whole playground
    shot = SCREENSHOTS / f"playground-{label}-{'dark' if dark else 'light'}.png"
    playground(p).screenshot(
        path=str(shot), style=".bd-header-article, .skip-link {visibility: hidden}"
    )
    assert shot.stat().st_size > 10_000
