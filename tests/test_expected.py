"""Recorded check data and "Expected output" blocks agree with the solution notebooks."""

import pytest

from descent import authoring, expected
from descent import notebooks as nbs
from tests.conftest import ROOT, SOLUTIONS


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_recorded_expectations_are_up_to_date(path):
    nb = nbs.read(path)
    stored = (expected.EXPECTED_DIR / f"{nbs.exercise_set(nb)}.json").read_text()
    mistakes = authoring.load_mistakes(ROOT / "solutions" / "mistakes.py")
    assert stored == authoring.record_set(nb, mistakes), "stale check data: run `make sync`"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_expected_blocks_show_the_stored_outputs(path):
    nb = nbs.read(path)
    by_id = {c.id: c for c in nb.cells}
    blocks = nbs.cells_with_role(nb, nbs.ROLE_EXPECTED)
    assert len(blocks) == len(nbs.graded_functions(nb))
    for block in blocks:
        shown = nbs.stream_text(by_id[nbs.cell_meta(block)["of"]])
        assert shown.strip(), f"{block.id}: the test cell it shows has no stored output"
        assert block.source == authoring.expected_block(shown)


def test_every_graded_function_has_visible_cases_and_expectations():
    graded = {name for path in SOLUTIONS for name in nbs.graded_functions(nbs.read(path))}
    assert graded == set(expected.load_all())
