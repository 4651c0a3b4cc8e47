"""The website as learners meet it: every page in headless Chromium, served on localhost.

Chromium comes from Debian (`make test` installs it where it can); Playwright drives it.
MathJax normally loads from a CDN, which this machine cannot reach: the tests serve the same
MathJax release from the npm registry's package instead, and refuse every other outside
request, so a page that needs the network shows up as an error.
"""

import functools
import http.server
import re
import shutil
import subprocess
import tarfile
import threading
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3/"
SCREENSHOTS = ROOT / "_build" / "screenshots"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}
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


@pytest.fixture(scope="module")
def mathjax(tmp_path_factory) -> Path:
    """MathJax 3 from the npm registry, unpacked."""
    folder = tmp_path_factory.mktemp("mathjax")
    subprocess.run(
        [shutil.which("npm") or "npm", "pack", "mathjax@3.2.2", "--silent"],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    with tarfile.open(next(folder.glob("mathjax-*.tgz"))) as archive:
        archive.extractall(folder, filter="data")
    return folder / "package"


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
        self.page.goto(url, wait_until="load")

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


def test_animation_play_control_advances_frames(visit):
    p = visit("book/momentum.html").page
    slider = p.locator("input[id^='_anim_slider']").first
    start = int(slider.input_value())
    p.locator("button[onclick*='play_animation']").first.click()
    p.wait_for_timeout(1500)
    assert int(slider.input_value()) > start


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


@pytest.mark.parametrize("viewport, label", [(DESKTOP, "desktop"), (PHONE, "phone")])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_screenshots_for_review(visit, viewport, label, dark):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for path in ["book/intro.html", "book/momentum.html", "exercises/optimizers.html"]:
        p = visit(path, viewport=viewport, dark=dark).page
        p.wait_for_timeout(500)
        if dark:
            assert p.evaluate("document.documentElement.dataset.theme") == "dark"
        overflow = p.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (path, label, overflow)
        shot = SCREENSHOTS / f"{Path(path).stem}-{label}-{'dark' if dark else 'light'}.png"
        p.screenshot(path=str(shot))
        assert shot.stat().st_size > 10_000
