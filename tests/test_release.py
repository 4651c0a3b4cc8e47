"""The student edition holds no solution, no hidden test and builds its own website."""

import re
from pathlib import Path

import pytest

from descent import notebooks as nbs
from descent import release
from descent.grading.assignment import load_assignments
from tests.conftest import ROOT, SOLUTIONS, solution_lines
from tests.test_grading import hidden_numbers


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> Path:
    return release.release(ROOT, tmp_path_factory.mktemp("release") / "student")


def texts(folder: Path):
    for path in folder.rglob("*"):
        if path.is_file():
            yield path, path.read_text(errors="ignore")


def test_release_leaves_out_the_instructors_files(edition):
    assert not (edition / "solutions").exists() and not (edition / "tests").exists()
    assert {p.name for p in (edition / "exercises").glob("*.ipynb")} == {p.name for p in SOLUTIONS}
    for path in (edition / "exercises").glob("*.ipynb"):
        assert all(not c.get("outputs") for c in nbs.read(path).cells if c.cell_type == "code")
    make = (edition / "Makefile").read_text()
    assert "book:" in make and "test:" not in make and "solutions" not in make


def test_no_solution_line_or_hidden_input_anywhere_in_the_release(edition):
    lines = [line for path in SOLUTIONS for line in solution_lines(path)]
    hidden_source = [
        line.strip()
        for line in (ROOT / "solutions" / "hidden_cases.py").read_text().splitlines()
        if len(line.strip()) > 30 and re.search(r"\d", line) and "#" not in line
    ]
    numbers = hidden_numbers(load_assignments(ROOT))
    assert lines and hidden_source and numbers
    for path, text in texts(edition):
        found = [x for x in lines + hidden_source + sorted(numbers) if x in text]
        assert not found, f"{path.relative_to(edition)}: {found[:3]}"


def test_release_refuses_to_overwrite_the_course():
    with pytest.raises(ValueError, match="overwrite the course"):
        release.release(ROOT, ROOT)


def test_the_release_builds_its_website_with_exercise_buttons_only(release_site):
    links = []
    for page in release_site.rglob("*.html"):
        links += re.findall(r'href="(https://(?:colab|mybinder)[^"]+)"', page.read_text())
    assert links, "no launch buttons"
    notebooks = ("exercises/", "book/explorer.ipynb")  # the launchable pages
    assert all(any(n in link for n in notebooks) and "solutions" not in link for link in links)
    downloads = list((release_site / "_sources" / "exercises").glob("*.ipynb"))
    assert len(downloads) == len(SOLUTIONS)
    assert all("YOUR CODE HERE" in p.read_text() for p in downloads)
    assert not (release_site / "_sources" / "solutions").exists()
