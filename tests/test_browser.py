"""The website as learners meet it: every page in headless Chromium, served on localhost.

Chromium comes from Debian (`make test` installs it where it can); Playwright drives it.
MathJax normally loads from a CDN, which this machine cannot reach: the tests serve the same
MathJax release from the npm registry's package instead, and refuse every other outside
request, so a page that needs the network shows up as an error. The accessibility audit runs
axe-core, also from the npm registry, inside each page.
"""

import functools
import http.server
import re
import shutil
import subprocess
import tarfile
import threading
import urllib.parse
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3/"
SCREENSHOTS = ROOT / "_build" / "screenshots"
DESKTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium)"
)


def toc_pages() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def npm_package(folder: Path, spec: str) -> Path:
    """A package from the npm registry, unpacked into ``folder``."""
    subprocess.run(
        [shutil.which("npm") or "npm", "pack", spec, "--silent"],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    with tarfile.open(next(folder.glob("*.tgz"))) as archive:
        archive.extractall(folder, filter="data")
    return folder / "package"


@pytest.fixture(scope="module")
def mathjax(tmp_path_factory) -> Path:
    """MathJax 3 from the npm registry, unpacked."""
    return npm_package(tmp_path_factory.mktemp("mathjax"), "mathjax@3.2.2")


@pytest.fixture(scope="module")
def axe(tmp_path_factory) -> Path:
    """axe-core, the accessibility checker, from the npm registry."""
    return npm_package(tmp_path_factory.mktemp("axe"), "axe-core@4.14.1") / "axe.min.js"


@pytest.fixture(scope="module")
def server(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


class Visit:
    """A page opened in a fresh browser context, with its errors and refused requests."""

    def __init__(self, browser, mathjax: Path, url: str, viewport=DESKTOP, dark=False):
        self.errors, self.refused = [], []
        self.context = browser.new_context(viewport=viewport)
        if dark:
            self.context.add_init_script(
                "localStorage.setItem('theme', 'dark');localStorage.setItem('mode', 'dark');"
            )
        self.context.route("**/*", functools.partial(self._route, mathjax))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.goto(url)

    def goto(self, url: str):
        """Open ``url`` in this context and wait until its math is typeset."""
        self.page.goto(url, wait_until="load")
        self.page.evaluate("window.MathJax && MathJax.startup ? MathJax.startup.promise : null")

    def _route(self, mathjax: Path, route):
        url = route.request.url
        if url.startswith("http://127.0.0.1"):
            return route.continue_()
        if url.startswith(MATHJAX_CDN):
            return route.fulfill(path=str(mathjax / url.removeprefix(MATHJAX_CDN).split("?")[0]))
        self.refused.append(url)
        return route.abort()

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, mathjax, server):
    opened = []

    def open_page(path: str, **options) -> Visit:
        """``path`` opened in a new context; ``Visit.goto`` opens more pages in it."""
        opened.append(Visit(browser, mathjax, server + path, **options))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


def test_every_page_loads_cleanly_with_working_links_images_and_navigation(visit, site):
    for name in toc_pages():
        page = visit(f"{name}.html")
        p = page.page
        assert not page.errors and not page.refused, (name, page.errors, page.refused)
        broken = p.evaluate(
            "Array.from(document.images).filter(i => i.src && "
            "(!i.complete || i.naturalWidth === 0)).map(i => i.src)"
        )
        assert not broken, (name, broken)
        for href in p.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            if href.startswith("http://127.0.0.1"):
                target = href.split("#")[0].split("?")[0].split("/", 3)[3]
                assert (site / target).exists() or (site / target / "index.html").exists(), (
                    name,
                    href,
                )
        assert p.locator(".prev-next-area a").count() >= 1, name
        page.close()


@pytest.mark.parametrize(
    "chapter", ["gradient_descent", "sgd", "minibatch", "momentum", "adaptive", "together"]
)
def test_math_is_typeset(visit, chapter):
    p = visit(f"book/{chapter}.html").page
    p.wait_for_selector("mjx-container", timeout=20_000)
    assert p.locator("mjx-container").count() > 3
    assert "$$" not in p.inner_text("article")


def frame_urls(site: Path, server: str, name: str) -> list[list[str]]:
    """The frame files of each animation of a page, as URLs, read from the built HTML."""
    html = (site / f"{name}.html").read_text()
    base = urllib.parse.urljoin(server, name)
    return [
        [urllib.parse.urljoin(base, url) for url in re.findall(r'frames\[\d+\] = "([^"]+)"', s)]
        for s in re.findall(r'<div class="animation">.*?</script>', html, re.S)
    ]


def weight(site: Path, server: str, urls) -> int:
    """Bytes of the site's files behind ``urls`` (each counted once)."""
    files = {url.removeprefix(server).split("#")[0].split("?")[0] for url in urls}
    return sum((site / file).stat().st_size for file in files)


def shown_frame(p) -> list:
    """The first animation's slider position, the image it shows, and whether that is drawn."""
    return p.eval_on_selector(
        ".animation",
        """a => { const img = a.querySelector("img");
                  return [+a.querySelector("input.anim-slider").value, img.src,
                          img.complete && img.naturalWidth > 0]; }""",
    )


def test_an_animation_shows_its_last_frame_and_loads_the_others_on_play(visit, server, site):
    session = visit("book/momentum.html")
    p = session.page
    requested = []
    p.on("request", lambda r: requested.append(r.url))
    session.goto(f"{server}book/momentum.html")
    p.wait_for_load_state("networkidle")
    [frames] = frame_urls(site, server, "book/momentum")
    assert len(frames) > 20
    assert shown_frame(p) == [len(frames) - 1, frames[-1], True]  # the poster
    assert set(frames) & set(requested) == {frames[-1]}  # and no other frame yet
    p.locator(".animation button[title='Play']").click()
    p.wait_for_timeout(1500)
    p.locator(".animation button[title='Pause']").click()
    assert set(frames) <= set(requested)
    position, image, _ = shown_frame(p)
    assert 0 < position < len(frames) - 1 and image == frames[position]  # from the start
    p.wait_for_function("document.querySelector('.animation img').complete")
    assert shown_frame(p)[2]
    p.locator(".animation input.anim-slider").focus()  # the slider, by keyboard
    p.keyboard.press("Home")
    assert shown_frame(p)[:2] == [0, frames[0]]
    p.keyboard.press("ArrowRight")
    assert shown_frame(p)[:2] == [1, frames[1]]


def test_the_poster_shows_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    p = context.new_page()
    p.goto(f"{server}book/adaptive.html", wait_until="load")
    image = p.locator(".animation img").first
    assert image.evaluate("i => i.complete && i.naturalWidth > 0")
    assert len(image.get_attribute("alt")) > 20
    context.close()


FIRST_VIEW_LIMIT = 1_500_000


def test_every_page_is_light_and_its_animations_load_on_demand(visit, server, site):
    """A page's weight: its HTML and all else it loads from the site on first view, except the
    theme's files in _static/, which every page shares (and MathJax, from its CDN). An
    animation's frames load only when the reader plays it: they are counted separately."""
    session = visit(toc_pages()[0] + ".html")
    p = session.page
    loaded = []
    p.on("requestfinished", lambda r: loaded.append(r.url))
    weights, shared = {}, set()
    for name in toc_pages() + ["search", "genindex"]:
        loaded.clear()
        session.goto(f"{server}{name}.html")
        p.wait_for_load_state("networkidle")
        theme = {url for url in loaded if url.startswith(f"{server}_static/")}
        own = {url for url in loaded if url.startswith(server)} - theme
        shared |= theme
        players = frame_urls(site, server, name)
        posters = {frames[-1] for frames in players}
        assert posters <= own, name  # the poster of each animation is part of the page,
        assert not own & ({url for frames in players for url in frames} - posters), name  # no frame
        for play in p.locator(".animation button[title='Play']").all():
            play.click()
        all_frames = {url for frames in players for url in frames}
        for _ in range(100):
            if all_frames <= set(loaded):
                break
            p.wait_for_timeout(100)
        assert all_frames <= set(loaded), name
        weights[name] = (weight(site, server, own), weight(site, server, all_frames - own))
    print(f"\nshared theme files (_static/): {weight(site, server, shared) / 1e6:.2f} MB")
    print(f"{'page':32} {'first view':>12} {'frames on play':>15}")
    for name, (first, frames) in sorted(weights.items(), key=lambda item: -item[1][0]):
        print(f"{name:32} {first / 1e6:9.2f} MB {frames / 1e6:12.2f} MB")
    heaviest = max(weights, key=lambda name: weights[name][0])
    print(f"heaviest page: {heaviest}, {weights[heaviest][0] / 1e6:.2f} MB on first view")
    assert weights[heaviest][0] <= FIRST_VIEW_LIMIT, heaviest


def test_search_finds_the_adam_chapter(visit):
    p = visit("search.html?q=bias+correction").page
    p.wait_for_selector("#search-results li a", timeout=20_000)
    hits = p.eval_on_selector_all("#search-results li a", "els => els.map(e => e.href)")
    assert any("book/adaptive.html" in h for h in hits)


def test_exercise_pages_launch_and_download_the_exercise(visit, server):
    for name in ["gradient_descent", "minibatches", "optimizers"]:
        p = visit(f"exercises/{name}.html").page
        links = p.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        launches = [h for h in links if re.match(r"https://(colab|mybinder)", h)]
        assert launches and all(f"exercises/{name}.ipynb" in h for h in launches)
        downloads = [h for h in links if h.endswith(".ipynb") and h.startswith(server)]
        assert downloads == [f"{server}_sources/exercises/{name}.ipynb"] * len(downloads)
        assert downloads and "YOUR CODE HERE" in p.request.get(downloads[0]).text()


def test_phone_menu_opens_the_chapter_list_and_a_chapter_link_navigates(visit, server):
    p = visit("book/momentum.html", viewport=PHONE).page
    menu, drawer = (
        p.locator(".bd-header-article .primary-toggle"),
        p.locator("#pst-primary-sidebar-modal"),
    )
    assert menu.is_visible() and not drawer.is_visible()
    menu.click()
    drawer.wait_for(state="visible", timeout=5_000)
    chapters = drawer.locator("nav.bd-links a.reference.internal")
    assert chapters.count() >= len(toc_pages()) - 1
    drawer.get_by_role("link", name=re.compile("^Adaptive learning rates")).click()
    p.wait_for_url(f"{server}book/adaptive.html")
    contents = p.locator(".bd-header-article .secondary-toggle")
    assert contents.is_visible()
    contents.click()
    toc = p.locator("#pst-secondary-sidebar-modal")
    toc.wait_for(state="visible", timeout=5_000)
    assert toc.get_by_role("link", name=re.compile("^Adam")).count() >= 1


def test_desktop_menu_collapses_and_restores_the_sidebar(visit):
    p = visit("book/momentum.html", viewport=DESKTOP).page
    menu, sidebar = (
        p.locator(".bd-header-article .primary-toggle"),
        p.locator("#pst-primary-sidebar"),
    )
    assert menu.is_visible() and sidebar.is_visible()
    menu.click()
    sidebar.wait_for(state="hidden", timeout=5_000)
    assert not p.locator("#pst-primary-sidebar-modal").is_visible()
    menu.click()
    sidebar.wait_for(state="visible", timeout=5_000)


UNRENDERED_TEX = re.compile(r"\\[_()\[\]{}]|\\[A-Za-z]+|\$\$")
TEXT_OUTSIDE_CODE_AND_MATH = """() => {
    const article = document.querySelector("article").cloneNode(true);
    article.querySelectorAll("pre, code, mjx-container, script, style").forEach(e => e.remove());
    return article.textContent;
}"""
MATH_PROBLEMS = r"""() => {
    if (!window.MathJax || !MathJax.startup || !MathJax.startup.document) return [];
    return Array.from(MathJax.startup.document.math)
        .map(m => [m.math, MathJax.startup.toMML(m.root)])
        .filter(([tex, mml]) => /<merror|<mtext[^>]*>[^<]*\\/.test(mml))
        .map(([tex, mml]) => tex);
}"""
WIDE_EQUATIONS_WITHOUT_CUE = """() => Array.from(document.querySelectorAll("div.math"))
  .filter(d => {
    const box = d.querySelector("mjx-container") || d;
    const cue = getComputedStyle(d, "::after").content;
    return box.scrollWidth > box.clientWidth + 1 && !/scroll/.test(cue);
}).length"""
CONTROLS_OUTSIDE_THEIR_OUTPUT = """() => Array.from(document.querySelectorAll(".animation"))
    .flatMap(a => {
        const box = (a.closest(".cell_output") || a.parentElement).getBoundingClientRect();
        return Array.from(a.querySelectorAll("button, input"))
            .filter(e => e.getBoundingClientRect().right > box.right + 1);
    }).length"""


def test_on_a_phone_every_page_fits_and_all_math_is_rendered(visit, server):
    session = visit(toc_pages()[0] + ".html", viewport=PHONE)
    p = session.page
    for name in toc_pages():
        session.goto(f"{server}{name}.html")
        overflow = p.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (name, overflow)
        tex = UNRENDERED_TEX.findall(p.evaluate(TEXT_OUTSIDE_CODE_AND_MATH))
        assert not tex, (name, tex[:5])
        assert not p.evaluate(MATH_PROBLEMS), (name, p.evaluate(MATH_PROBLEMS))
        assert p.evaluate(WIDE_EQUATIONS_WITHOUT_CUE) == 0, name
        assert p.evaluate(CONTROLS_OUTSIDE_THEIR_OUTPUT) == 0, name


def test_search_snippets_show_no_raw_tex(visit):
    p = visit("search.html?q=bias+correction").page
    p.wait_for_selector("#search-results li p.context", timeout=20_000)
    p.wait_for_function(
        "document.querySelectorAll('#search-results li').length"
        " === document.querySelectorAll('#search-results li p.context').length",
        timeout=20_000,
    )
    snippets = p.eval_on_selector_all(
        "#search-results p.context", "els => els.map(e => e.textContent)"
    )
    assert len(snippets) >= 3
    assert any("ε" in s or "β" in s for s in snippets)  # inline math kept, as plain text
    assert not [s for s in snippets if UNRENDERED_TEX.search(s)]


SERIOUS_VIOLATIONS = """() => axe.run(document, {resultTypes: ["violations"]}).then(r =>
    r.violations.filter(v => ["serious", "critical"].includes(v.impact))
        .map(v => `${v.id}: ${v.nodes.map(n => n.target.join(" ")).slice(0, 3).join(", ")}`))"""


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_axe_finds_no_serious_accessibility_problem_on_any_page(visit, server, axe, dark):
    session = visit(toc_pages()[0] + ".html", dark=dark)
    for name in toc_pages() + ["search"]:
        session.goto(f"{server}{name}.html")
        session.page.add_script_tag(path=str(axe))
        assert session.page.evaluate(SERIOUS_VIOLATIONS) == [], name


def tab_to(p, selector: str, presses: int = 400, key: str = "Tab") -> None:
    """Press Tab (or ``key``) until keyboard focus is on an element matching ``selector``."""
    for _ in range(presses):
        p.keyboard.press(key)
        if p.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reaches {selector}")


def test_keyboard_reaches_and_operates_the_animation_controls(visit):
    p = visit("book/momentum.html").page
    slider = p.locator("input.anim-slider").first
    tab_to(p, ".animation button[title='Play']")
    p.keyboard.press("Enter")
    p.wait_for_timeout(1500)
    tab_to(p, ".animation button[title='Pause']", presses=5, key="Shift+Tab")
    p.keyboard.press("Enter")
    frame = int(slider.input_value())
    assert frame > 0
    tab_to(p, ".animation button[title='First frame']", presses=5, key="Shift+Tab")
    p.keyboard.press("Enter")
    assert int(slider.input_value()) == 0


@pytest.mark.parametrize("menu", ["launch", "download"])
def test_keyboard_opens_the_launch_and_download_menus(visit, menu):
    p = visit("exercises/optimizers.html").page
    tab_to(p, f".dropdown-{menu}-buttons button.dropdown-toggle")
    p.keyboard.press("Enter")
    p.locator(f".dropdown-{menu}-buttons .dropdown-menu.show").wait_for(timeout=5_000)
    p.keyboard.press("ArrowDown")
    focused = p.evaluate("document.activeElement.getAttribute('href')") or ""
    wanted = "https://mybinder.org/" if menu == "launch" else "optimizers.ipynb"
    assert wanted in focused, focused


@pytest.mark.parametrize("viewport, label", [(DESKTOP, "desktop"), (PHONE, "phone")])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_screenshots_for_review(visit, server, viewport, label, dark):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    session = visit(toc_pages()[0] + ".html", viewport=viewport, dark=dark)
    p = session.page
    for name in toc_pages():
        session.goto(f"{server}{name}.html")
        if dark:
            assert p.evaluate("document.documentElement.dataset.theme") == "dark"
        overflow = p.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (name, label, overflow)
        shot = SCREENSHOTS / f"{name.replace('/', '-')}-{label}-{'dark' if dark else 'light'}.png"
        p.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
