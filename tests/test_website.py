"""The website builds with warnings as errors and shows chapters, figures, math, stubs only."""

import html as html_lib
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from descent import notebooks as nbs
from tests.conftest import ROOT, SOLUTIONS, share_execution_cache, solution_lines


def toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]


def test_every_page_of_the_table_of_contents_is_built(site):
    for name in toc_files():
        assert (site / f"{name}.html").is_file(), name


CHAPTERS = ["gradient_descent", "sgd", "minibatch", "momentum", "adaptive", "together", "schedules"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapters_have_figures_with_alt_text_and_math(site, chapter):
    html = (site / "book" / f"{chapter}.html").read_text()
    images = re.findall(r'<img alt="([^"]*)"[^>]*src="([^"]+)"', html)
    assert len(images) >= 2
    for alt, src in images:
        assert len(alt) > 20, f"missing alt text for {src}"
        assert (site / "book" / src).resolve().is_file(), src
    assert html.count('class="math notranslate nohighlight"') >= 3
    assert "mathjax" in html.lower()
    assert "What to remember" in html


@pytest.mark.parametrize("chapter", ["momentum", "adaptive"])
def test_animations_play_without_a_kernel(site, chapter):
    html = (site / "book" / f"{chapter}.html").read_text()
    player = re.search(r'<img src="([^"]+)"[^>]* alt="([^"]+)" id="_anim_img', html)
    assert player and len(player.group(2)) > 20, "animation without alt text"
    assert "data:image" not in html  # the frames are files (book/_ext/animations.py)
    frames = re.findall(r'frames\[\d+\] = "(\.\./_images/animation-\w+\.jpeg)"', html)
    assert len(frames) >= 20 and player.group(1) == frames[-1]  # the poster: the last frame
    assert all((site / "book" / frame).resolve().is_file() for frame in frames)
    assert "Animation(" in html  # matplotlib's JavaScript player


def test_explorer_page_shows_a_static_figure(site):
    page = site / "book" / "explorer.html"
    assert re.search(r'<img alt="[^"]{20,}"', page.read_text())
    assert "explorer()" in visible_text(page)


def test_exercise_pages_show_stubs(site):
    for path in SOLUTIONS:
        html = (site / "exercises" / f"{path.stem}.html").read_text()
        assert "YOUR CODE HERE" in html and "Expected output" in html


def visible_text(file: Path) -> str:
    """A file's text as a reader sees it: tags removed and entities decoded for HTML."""
    text = file.read_text(errors="ignore")
    if file.suffix == ".ipynb":
        return "\n".join(cell["source"] for cell in nbs.read(file).cells)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", text)) if file.suffix == ".html" else text


def test_no_solution_code_or_hidden_input_anywhere_in_the_site(site):
    from descent.grading.assignment import load_assignments
    from tests.test_grading import hidden_numbers

    control = "L = len(parameters) // 2  # number of layers"  # stub code the search must find
    assert control in visible_text(site / "exercises" / "gradient_descent.html")
    secrets = [line for path in SOLUTIONS for line in solution_lines(path)]
    secrets += sorted(hidden_numbers(load_assignments(ROOT)))
    for file in site.rglob("*"):
        if file.suffix in {".html", ".js", ".txt", ".ipynb", ".md", ".json"}:
            text = visible_text(file)
            leaked = [secret for secret in secrets if secret in text]
            assert not leaked, f"{file.relative_to(site)} leaks: {leaked[:2]}"


def test_bibliography_lists_the_cited_sources(site):
    html = (site / "book" / "bibliography.html").read_text()
    for author in ["Cauchy", "Robbins", "Bottou", "Keskar"]:
        assert author in html


def test_launch_buttons_only_on_notebook_pages_and_only_for_exercises(site):
    for page in site.rglob("*.html"):
        links = re.findall(r'href="(https://(?:colab|mybinder)[^"]+)"', page.read_text())
        relative = page.relative_to(site).as_posix()
        if relative.startswith("exercises/"):
            assert links and all(f"exercises/{page.stem}.ipynb" in link for link in links)
        elif relative != "book/explorer.html":
            assert not links, relative


def test_instructor_edition_shows_each_solution_after_its_exercise(tmp_path, site, execution_cache):
    from descent import site as instructor

    share_execution_cache(tmp_path, execution_cache)  # the chapters ran for the student site
    html = instructor.build_instructor_site(ROOT, tmp_path)
    for path in SOLUTIONS:
        page = html / "solutions" / f"{path.stem}.html"
        assert any(line in visible_text(page) for line in solution_lines(path))
        exercise = (html / "exercises" / f"{path.stem}.html").read_text()
        following = re.search(r'<a class="right-next"\s+href="([^"]+)"', exercise)
        assert following and following.group(1).endswith(f"solutions/{path.stem}.html")
    assert "instructor edition" in (html / "book" / "intro.html").read_text()


def test_landing_page_links_every_page_and_names_the_student_repository(site):
    html = (site / "book" / "intro.html").read_text()
    article = html[html.index("<article") : html.index("</article>")]
    links = {href.split("#")[0] for href in re.findall(r'href="([^"]+)"', article)}
    for name in toc_files()[1:]:
        assert os.path.relpath(f"{name}.html", "book") in links, name
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert f'href="{url}"' in article


def test_make_book_keeps_the_execution_cache_and_only_make_clean_removes_it():
    def commands(target: str) -> str:
        dry = ["make", "--dry-run", "--old-file", ".venv/.installed", target]
        return subprocess.run(dry, cwd=ROOT, capture_output=True, text=True, check=True).stdout

    book = commands("book")
    assert "jupyter-book build . " in book and "rm " not in book
    assert "rm -rf _build" in commands("clean")
