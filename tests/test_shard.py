"""Sharding: the parts of a batch, graded apart and merged, equal one run byte for byte."""

import json

import pytest

from descent.__main__ import main
from descent.grading.grade import shard_of
from tests.conftest import ROOT


@pytest.mark.parametrize("size", [0, 1, 5, 12])
@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_shards_cover_the_batch_once_in_order(size, count):
    items = list(range(size))
    assert sum((shard_of(items, i, count) for i in range(1, count + 1)), []) == items


def _without_times(path):
    result = json.loads(path.read_text())
    result["extra_data"].pop("seconds")
    return result


def test_shards_merged_equal_a_single_run(tmp_path):
    folder = tmp_path / "in"
    for i, source in enumerate(["solutions", "exercises", "solutions", "solutions", "exercises"]):
        (folder / f"learner{i}").mkdir(parents=True)
        notebook = (ROOT / source / "minibatches.ipynb").read_bytes()
        (folder / f"learner{i}" / "minibatches.ipynb").write_bytes(notebook)
    common = ["--root", str(ROOT), "grade", str(folder), "--set", "minibatches"]
    common += ["--allow-unsandboxed"]
    main([*common, "--out", str(tmp_path / "single")])
    for i in (1, 2):
        main([*common, "--out", str(tmp_path / f"part{i}"), "--shard", f"{i}/2"])
    main(["merge", str(tmp_path / "part1"), str(tmp_path / "part2"), "--out", str(tmp_path / "m")])
    single, merged = tmp_path / "single", tmp_path / "m"
    assert (merged / "grades.csv").read_bytes() == (single / "grades.csv").read_bytes()
    names = sorted(p.name for p in (single / "results").iterdir())
    assert names == sorted(p.name for p in (merged / "results").iterdir()) and len(names) == 5
    for name in names:
        assert _without_times(merged / "results" / name) == _without_times(
            single / "results" / name
        )
    with pytest.raises(SystemExit, match="expected I/N"):
        main([*common, "--out", str(tmp_path / "x"), "--shard", "3/2"])
