"""The capstone: MyAdam against Keras' Adam on two backends, the race's parts, the benchmark."""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from descent import race, results, selfcheck
from descent.grading.assignment import load_assignments
from descent.model import CORRECT
from tests import wrong
from tests.conftest import ROOT

AGREEMENT = """
import json
import keras
from descent import fashion
from descent import notebooks as nbs
from descent.keras_check import agreement
from tests import wrong

mine = nbs.load_namespace(nbs.read("solutions/capstone.ipynb"))["MyAdam"]
broken = wrong.keras_adam("no_bias_correction")
(x, y), _ = fashion.load(download=False)
print(json.dumps({
    "backend": keras.backend.backend(),
    "mine": agreement(mine(), keras.optimizers.Adam(), x, y, steps=100),
    "broken": agreement(broken(), keras.optimizers.Adam(), x, y, steps=100),
}))
"""


@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_my_adam_trains_like_keras_adam(backend):
    env = os.environ | {"KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        [sys.executable, "-c", AGREEMENT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["backend"] == backend
    assert found["mine"] < 1e-5  # the notebook's claim: weights agree to 1e-5 after 100 steps
    assert found["broken"] > 1e-5  # and the check can fail


def test_keras_adam_passes_every_visible_and_hidden_check_of_my_adam():
    """Keras' Adam passes the hidden cases too (the solution follows its adam.py closely, so
    this mainly tests the cases and their driver; the next test is the independent one)."""
    expectation = load_assignments(ROOT)["capstone"].expectation("MyAdam")
    result = selfcheck.judge(keras.optimizers.Adam, expectation)
    assert result.status == CORRECT
    assert result.total_cases == len(expectation.cases) > 3


def test_an_adam_written_another_way_passes_the_check():
    mine = wrong.keras_adam("none")  # no mistake: moments as beta * m + (1 - beta) * g
    mine.__name__ = "MyAdam"
    assert selfcheck.diagnose(mine).status == CORRECT


def test_run_size_follows_the_device_and_the_environment():
    assert race.run_size("", {}) == race.SIZES["quick"]
    assert race.run_size("NVIDIA H100 80GB HBM3", {}) == race.SIZES["full"]
    assert race.run_size("", {"DESCENT_RUN": "full", "DESCENT_EPOCHS": "5"}) == race.RunSize(
        "full", 5, 60_000
    )
    assert race.run_size("", {"DESCENT_TRAIN_SIZE": "999999"}).train_size == 60_000
    with pytest.raises(ValueError, match="DESCENT_RUN"):
        race.run_size("", {"DESCENT_RUN": "huge"})


def tiny_data(n=320, seed=0):
    rng = np.random.default_rng(seed)
    x, y = rng.random((n, 28, 28), dtype=np.float32), rng.integers(0, 10, n)
    return (x, y), (x[:64], y[:64])


def test_every_optimizer_starts_alike_and_sees_the_same_order():
    same = {"a": keras.optimizers.SGD, "b": keras.optimizers.SGD}
    histories = race.run(same, tiny_data(), race.RunSize("quick", 2, 320), seed=3)
    for metric in results.METRICS[:-1]:  # all but the wall time
        assert histories["a"][metric] == histories["b"][metric]
    other = race.run(same, tiny_data(), race.RunSize("quick", 2, 320), seed=4)
    assert other["a"]["train_loss"] != histories["a"]["train_loss"]


def history(offset: float, epochs: int = 3) -> dict:
    return {m: [offset + e / 10 for e in range(epochs)] for m in results.METRICS}


def test_results_are_saved_as_json_and_csv_and_merged_in_parts(tmp_path):
    info = {"epochs": 3, "device": "test"}
    order = ["SGD", "Adam"]
    results.save({"Adam": history(0.5)}, info, tmp_path, order=order)
    results.save({"SGD": history(0.0)}, info, tmp_path, merge=True, order=order)
    loaded_info, loaded = results.load(tmp_path)
    assert loaded_info == info and list(loaded) == ["SGD", "Adam"]
    assert loaded["Adam"] == history(0.5)
    rows = (tmp_path / "results.csv").read_text().splitlines()
    assert rows[0] == "optimizer,epoch," + ",".join(results.METRICS)
    assert len(rows) == 1 + 2 * 3 and rows[-1].startswith("Adam,3,0.700000,")
    with pytest.raises(ValueError, match="other epochs"):
        results.save({"RMSprop": history(0.0, 4)}, {"epochs": 4}, tmp_path, merge=True)
    with pytest.raises(ValueError, match="other device"):
        results.save({"RMSprop": history(0.0)}, {"epochs": 3, "device": "GPU"}, tmp_path, True)


def test_summary_reports_the_best_epoch_and_leaves_out_the_compiling_epoch():
    h = history(0.0, 4)
    h["test_accuracy"] = [0.5, 0.9, 0.7, 0.8]
    h["seconds"] = [10.0, 1.0, 2.0, 3.0]
    (name, loss, final, best, epoch, seconds), *_ = results.summary({"SGD": h})
    assert (final, best, epoch, seconds) == (0.8, 0.9, 2, 2.0)


def test_benchmark_script_runs_and_prints_its_ratios():
    """Runs the benchmark on a small slice; the timings themselves are not checked."""
    done = subprocess.run(
        [sys.executable, "benchmarks/capstone_speed.py", "--epochs", "1", "--train-size", "2048"],
        cwd=ROOT,
        env=os.environ | {"TF_CPP_MIN_LOG_LEVEL": "3"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for expected in ("plain model.fit", "speed-up of the race", "FLOP floor", "op determinism"):
        assert expected in done.stdout
    assert done.stdout.count(" examples/s ") == 2


def test_the_books_full_runs_are_complete():
    """Every run stored for the race chapter holds all contenders for all its epochs."""
    stored = sorted((ROOT / "book" / "results").glob("race-*/results.json"))
    assert stored, "the race chapter needs a stored full run"
    assert {p.parent.name for p in stored} <= {"race-gpu", "race-cpu"}  # what the page reads
    for path in stored:
        info, histories = results.load(path.parent)
        assert info["mode"] == "full" and info["train_size"] == 60_000
        assert {"device", "date", "keras", "backend", "batch_size"} <= set(info)
        assert list(histories) == list(race.contenders(None))
        for history in histories.values():
            assert all(len(history[m]) == info["epochs"] for m in results.METRICS)
        assert (path.parent / "results.csv").is_file() and (path.parent / "race.png").is_file()
