"""`make pdf`: the student edition as one PDF, printed from the website by headless Chromium."""

import re
import subprocess
import sys

import pytest
from pypdf import PdfReader

from descent import notebooks as nbs
from tests.conftest import ROOT, SOLUTIONS, solution_lines
from tests.test_browser import CHROMIUM, npm_package, toc_pages

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium)"
)


def page_title(name: str) -> str:
    """The title of a page of the table of contents, read from its source."""
    source = ROOT / f"{name}.md"
    if source.exists():
        text = source.read_text()
    else:
        text = "\n".join(c.source for c in nbs.read(ROOT / f"{name}.ipynb").cells)
    return re.search(r"^# (.+)$", text, re.M).group(1).strip()


@pytest.fixture(scope="module")
def pdf(site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    mathjax = npm_package(folder, "mathjax@3.2.2")
    out = folder / "descent.pdf"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "descent",
            "--root",
            str(ROOT),
            "pdf",
            "--site",
            str(site),
            "--out",
            str(out),
            "--mathjax",
            str(mathjax),
        ],
        check=True,
        cwd=ROOT,
        timeout=600,
    )
    return PdfReader(out)


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_holds_every_chapter_in_order_behind_its_contents(pdf):
    titles = [page_title(name) for name in toc_pages()]
    assert len(pdf.pages) >= 2 * len(titles)
    contents = normalized(pdf.pages[0].extract_text())
    assert "Contents" in contents
    positions = [contents.find(title) for title in titles]
    assert -1 not in positions and positions == sorted(positions), titles
    outline = [(item.title, pdf.get_destination_page_number(item)) for item in pdf.outline]
    assert [title for title, _ in outline] == titles
    starts = [start for _, start in outline]
    assert starts == sorted(set(starts)) and starts[0] == 1
    for title, start in outline:
        assert title in normalized(pdf.pages[start].extract_text()), title


def test_the_pdf_shows_math_and_animation_stills_and_no_solution(pdf):
    text = normalized(" ".join(page.extract_text() for page in pdf.pages))
    assert not re.search(r"\\\(|\\\[|\\begin\{|\$\$", text)  # math left as TeX
    assert text.count("Animation, last frame shown.") >= 2
    assert "YOUR CODE HERE" in text
    leaked = [line for path in SOLUTIONS for line in solution_lines(path) if line in text]
    assert not leaked, leaked[:3]
