"""The student edition as one PDF: the built website printed page by page by headless Chromium.

Each page of the table of contents is opened from a local web server, its math typeset, each
animation set to its last frame with its description as a caption, and printed with the print
style of ``_static/descent.css``. The printed pages are merged in reading order behind a page
of contents, with one bookmark per page. The same pages as the website, so no solution.
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import io
import threading
from pathlib import Path

import yaml

MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3/"
CHROMIUM = "/usr/bin/chromium"
MARGIN = {"top": "15mm", "bottom": "15mm", "left": "14mm", "right": "14mm"}

# Run in each page before printing: still frames with captions, and no lazy images.
PREPARE = """() => {
    for (const slider of document.querySelectorAll("input.anim-slider")) {
        slider.value = slider.max;
        slider.dispatchEvent(new Event("input"));
    }
    for (const image of document.querySelectorAll(".animation img")) {
        const caption = document.createElement("p");
        caption.className = "descent-print-caption";
        caption.textContent = "Animation, last frame shown. " + image.alt;
        image.after(caption);
    }
    document.querySelectorAll("img[loading=lazy]").forEach(i => (i.loading = "eager"));
}"""


def toc_pages(root: Path) -> list[str]:
    """The pages of the table of contents in reading order, without suffix."""
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


@contextlib.contextmanager
def serve(folder: Path):
    """Serve ``folder`` on a free local port; yield its URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def _route_mathjax(mathjax: Path, route):
    """Serve MathJax from a local copy; let everything else through."""
    url = route.request.url
    if url.startswith(MATHJAX_CDN):
        return route.fulfill(path=str(mathjax / url.removeprefix(MATHJAX_CDN).split("?")[0]))
    return route.continue_()


def print_page(page, url: str) -> tuple[str, bytes]:
    """Open ``url``, typeset it, and print it; return its title and PDF."""
    page.goto(url, wait_until="load")
    typeset = "window.MathJax && MathJax.startup ? MathJax.startup.promise.then(() => true) : null"
    if (
        page.evaluate(typeset) is False
        or page.locator("div.math, span.math").count()
        and not (page.locator("mjx-container").count())
    ):
        raise RuntimeError(f"{url}: MathJax did not typeset (offline? pass mathjax=)")
    page.evaluate(PREPARE)
    page.wait_for_function("Array.from(document.images).every(i => i.complete)")  # the frames
    title = page.locator("article h1").first.inner_text().strip().rstrip("#").strip()
    return title, page.pdf(format="A4", print_background=True, margin=MARGIN)


def contents_page(title: str, entries: list[tuple[str, int]]) -> str:
    """The HTML of the page of contents: each title with the page (of the PDF) it starts on."""
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td class='n'>{number}</td></tr>"
        for name, number in entries
    )
    return (
        "<html><head><meta charset='utf-8'><style>"
        "body{font-family:sans-serif;font-size:12pt}h1{font-size:20pt}"
        "table{width:100%;border-collapse:collapse}td{padding:4px 0}.n{text-align:right}"
        f"</style></head><body><h1>{html.escape(title)}</h1><h2>Contents</h2>"
        f"<table>{rows}</table></body></html>"
    )


def build_pdf(root: Path, site: Path, out: Path, mathjax: Path | None = None) -> Path:
    """Print the built website ``site`` of the course at ``root`` into the PDF ``out``."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    title = yaml.safe_load((root / "_config.yml").read_text())["title"]
    printed = []
    with serve(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        if mathjax:
            page.route("**/*", functools.partial(_route_mathjax, mathjax))
        page.emulate_media(media="print")
        for name in toc_pages(root):
            printed.append(print_page(page, f"{base}{name}.html"))
        readers = [PdfReader(io.BytesIO(pdf)) for _, pdf in printed]
        starts = [2 + sum(len(r.pages) for r in readers[:i]) for i in range(len(readers))]
        names = [name for name, _ in printed]
        page.set_content(contents_page(title, list(zip(names, starts, strict=True))))
        contents = PdfReader(io.BytesIO(page.pdf(format="A4", margin=MARGIN)))
        browser.close()
    if len(contents.pages) != 1:
        raise RuntimeError("the contents no longer fit on one page: number the pages anew")
    writer = PdfWriter()
    writer.append(contents)
    for name, reader, start in zip(names, readers, starts, strict=True):
        writer.append(reader)
        writer.add_outline_item(name, start - 1)
    writer.add_metadata({"/Title": title})
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as file:
        writer.write(file)
    return out
