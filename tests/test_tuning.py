"""The tuned race: the validation split, the sweep's grid and choice, its stored parts."""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from descent import race, results, tuning
from descent.tuning import Trial
from tests.conftest import ROOT


def test_the_split_is_disjoint_complete_and_seeded():
    train, validation = tuning.split(60_000, seed=0)
    assert len(validation) == 10_000 and len(train) == 50_000
    assert not set(train) & set(validation)
    assert np.array_equal(np.sort(np.concatenate([train, validation])), np.arange(60_000))
    again, _ = tuning.split(60_000, seed=0)
    other, _ = tuning.split(60_000, seed=1)
    assert np.array_equal(again, train) and not np.array_equal(other, train)
    # not the last 10,000 images, nor any other block: drawn from the whole set
    assert validation.min() < 1_000 and validation.max() > 59_000


def trial(step: int, accuracy: float, loss: float = 0.5, diverged: bool = False) -> Trial:
    return Trial(step, tuning.rate(0.001, step), loss, accuracy, diverged, 1.0)


def test_the_grid_has_two_rates_per_decade_around_the_default():
    assert [round(tuning.rate(0.01, k), 8) for k in (-2, 0, 2)] == [0.001, 0.01, 0.1]
    assert tuning.rate(0.001, 1) == pytest.approx(0.0031623, rel=1e-4)


def test_the_best_trial_has_the_highest_accuracy_and_never_diverged():
    trials = [trial(-1, 0.80), trial(0, 0.85, loss=0.40), trial(1, 0.85, loss=0.39)]
    assert tuning.best(trials).step == 1  # a tie in accuracy goes to the lower loss
    assert tuning.best([*trials, trial(2, 0.90, diverged=True)]).step == 1
    assert tuning.best([trial(0, 0.9, diverged=True)]) is None


def test_a_run_diverged_when_its_loss_is_not_a_number_or_above_chance():
    assert tuning.diverged(float("nan"), 0.5) and tuning.diverged(0.5, float("inf"))
    assert tuning.diverged(0.5, 2.31) and not tuning.diverged(0.5, 2.30)


def test_the_grid_grows_at_the_edge_where_the_best_rate_lies():
    grid = [trial(k, 0.8 + 0.01 * k) for k in range(-2, 3)]  # best at the top edge
    assert tuning.next_step(grid) == 3
    grid = [trial(k, 0.8 - 0.01 * k) for k in range(-2, 3)]  # best at the bottom edge
    assert tuning.next_step(grid) == -3
    grid = [trial(k, 0.8 - 0.01 * abs(k)) for k in range(-2, 3)]  # best inside
    assert tuning.next_step(grid) is None
    top_diverged = [trial(k, 0.8 + 0.01 * k) for k in range(-2, 2)] + [trial(2, 0.1, 9, True)]
    assert tuning.next_step(top_diverged) is None  # the best has a tried rate above it
    assert tuning.next_step([trial(k, 0.1, 9, True) for k in range(-2, 3)]) is None


def test_the_sweep_extends_until_the_best_is_inside_or_the_extensions_run_out():
    def peaked_at(peak):
        return lambda step: trial(step, 0.9 - 0.01 * abs(step - peak))

    assert [t.step for t in tuning.sweep(peaked_at(0))] == [-2, -1, 0, 1, 2]
    assert [t.step for t in tuning.sweep(peaked_at(4))] == list(range(-2, 6))
    assert [t.step for t in tuning.sweep(peaked_at(-3))] == list(range(-4, 3))
    assert [t.step for t in tuning.sweep(peaked_at(10), most=2)] == list(range(-2, 5))


def test_every_contender_starts_at_keras_default_and_takes_a_given_rate():
    makers = tuning.contenders()
    assert list(makers) == [
        "SGD",
        "SGD + momentum 0.9",
        "RMSprop",
        "Adagrad",
        "Adam",
        "AdamW",
        "Lion",
        "Muon",
    ]
    defaults = {name: tuning.default_rate(make) for name, make in makers.items()}
    assert defaults["SGD"] == defaults["SGD + momentum 0.9"] == 0.01
    assert {defaults[n] for n in makers if not n.startswith("SGD")} == {0.001}
    for name, make in makers.items():
        rate = make(learning_rate=0.0123).get_config()["learning_rate"]
        assert rate == pytest.approx(0.0123), name
    assert makers["SGD + momentum 0.9"]().get_config()["momentum"] == pytest.approx(0.9)


def test_muon_orthogonalises_only_the_hidden_layers_kernel():
    muon = tuning.contenders()["Muon"]()
    paths = {v.path.split("/", 1)[1]: muon._should_use_adamw(v) for v in race.build_model().weights}
    assert paths == {
        "hidden/kernel": False,
        "hidden/bias": True,
        "output/kernel": True,
        "output/bias": True,
    }


def test_the_sweep_sees_only_the_validation_part_and_the_full_runs_the_test_set(monkeypatch):
    """``tune`` with training replaced by a recorder: what each run trains on and reads."""
    seen = []

    def fake_train(model, data, orders):
        (x, _), (x_read, _) = data
        seen.append((float(model.optimizer.learning_rate), x.shape[0], x_read[0, 0, 0]))
        good = 1.0 - abs(np.log10(float(model.optimizer.learning_rate)) + 2.5)  # peak at 10^-2.5
        ones = [1.0] * len(orders)
        return {
            "train_loss": ones,
            "train_accuracy": ones,
            "test_loss": [1 - good] * len(orders),
            "test_accuracy": [good] * len(orders),
            "seconds": ones,
        }

    monkeypatch.setattr(race, "train", fake_train)
    x = np.zeros((600, 28, 28), "float32")
    test = (np.full((50, 28, 28), 7.0, "float32"), np.zeros(50, int))
    budget = tuning.Budget(sweep_epochs=1, epochs=3, train_size=600)
    record, tuned, default = tuning.tune(
        keras.optimizers.Adam, ((x, np.zeros(600, int)), test), budget, report=lambda line: None
    )
    assert record["chosen_rate"] == pytest.approx(10**-2.5)
    sweep, repeats, full = seen[:5], seen[5:-2], seen[-2:]
    assert len(record["trials"]) == 5 and len(seen) == 5 + 4 + 2
    assert all(n == 500 and read == 0.0 for _, n, read in sweep + repeats)  # validation: zeros
    assert [rate for rate, _, _ in repeats] == pytest.approx([10**-2.5] * 2 + [0.001] * 2)
    assert record["repeats"]["chosen"] == pytest.approx([1.0, 1.0])  # the fake's peak
    assert record["repeats"]["default"] == pytest.approx([0.5, 0.5])
    assert all(n == 500 and read == 7.0 for _, n, read in full)  # test: sevens
    assert [rate for rate, _, _ in full] == pytest.approx([10**-2.5, 0.001])
    assert len(tuned["test_accuracy"]) == len(default["test_accuracy"]) == 3


def sweep_record(chosen: float) -> dict:
    trials = [
        {
            "step": k,
            "learning_rate": tuning.rate(0.001, k),
            "val_loss": 0.5,
            "val_accuracy": 0.8,
            "diverged": False,
            "seconds": 1.0,
        }
        for k in (-1, 0, 1)
    ]
    return {"default_rate": 0.001, "chosen_rate": chosen, "trials": trials}


def test_sweeps_are_saved_as_json_and_csv_and_merged_in_parts(tmp_path):
    info = {"sweep_epochs": 2, "device": "test"}
    order = ["SGD", "Adam"]
    results.save_sweeps({"Adam": sweep_record(0.001)}, info, tmp_path, order=order)
    results.save_sweeps({"SGD": sweep_record(tuning.rate(0.001, 1))}, info, tmp_path, True, order)
    loaded_info, loaded = results.load_sweeps(tmp_path)
    assert loaded_info == info and list(loaded) == order
    assert loaded["Adam"] == sweep_record(0.001)
    rows = (tmp_path / "sweep.csv").read_text().splitlines()
    assert rows[0] == "optimizer,learning_rate,val_loss,val_accuracy,diverged,seconds,chosen"
    assert len(rows) == 1 + 2 * 3
    assert rows[3] == "SGD,0.00316228,0.500000,0.800000,False,1.000,True"
    assert rows[5] == "Adam,0.001,0.500000,0.800000,False,1.000,True"
    with pytest.raises(ValueError, match="other sweep_epochs"):
        results.save_sweeps({"Lion": sweep_record(0.001)}, {"sweep_epochs": 3}, tmp_path, True)


def test_the_tuned_race_command_runs_a_tiny_part_end_to_end(tmp_path):
    """One optimizer on 600 images: sweep, both full runs, stored files and figure."""
    done = subprocess.run(
        [sys.executable, "-m", "descent", "race", "--tuned", "--only", "SGD"]
        + ["--train-size", "600", "--epochs", "2", "--sweep-epochs", "1", "--out", str(tmp_path)],
        cwd=ROOT,
        # op determinism turns XLA off: compiling each short run is then twice as fast
        env=os.environ | {"TF_CPP_MIN_LOG_LEVEL": "3", "DESCENT_DETERMINISTIC": "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "on 500 images (100 held out)" in done.stdout and "part took" in done.stdout
    rows = [line.split() for line in done.stdout.splitlines()]
    assert any(row[:2] == ["SGD", "0.01"] and len(row) == 10 for row in rows)  # the table
    info, sweeps = results.load_sweeps(tmp_path)
    assert (info["train_size"], info["validation_size"], info["sweep_epochs"]) == (500, 100, 1)
    record = sweeps["SGD"]
    assert record["default_rate"] == 0.01 and len(record["trials"]) >= 5
    best = max(record["trials"], key=lambda t: (t["val_accuracy"], -t["val_loss"]))
    assert record["chosen_rate"] == best["learning_rate"]
    for part in ("tuned", "defaults"):
        run, histories = results.load(tmp_path / part)
        assert run["epochs"] == 2 and list(histories) == ["SGD"]
        assert len(histories["SGD"]["test_accuracy"]) == 2
    stored = json.loads((tmp_path / "sweep.json").read_text())
    assert stored["sweeps"]["SGD"]["part_seconds"] > 0
    assert (tmp_path / "sweep.png").is_file()


def test_the_books_tuned_race_is_complete_and_follows_its_protocol():
    """Every tuned race stored for the book: all contenders, a sweep whose choice is the best
    trial with a tried rate on each side, and both full runs for all their epochs."""
    stored = sorted((ROOT / "book" / "results").glob("race-*-tuned/sweep.json"))
    assert stored, "the tuned race chapter needs a stored run"
    assert {p.parent.name for p in stored} <= {
        "race-gpu-tuned",
        "race-cpu-tuned",
        "race-h200-tuned",
    }
    for path in stored:
        info, sweeps = results.load_sweeps(path.parent)
        assert list(sweeps) == list(tuning.contenders())
        assert (info["train_size"], info["validation_size"]) == (50_000, 10_000)
        runs = {part: results.load(path.parent / part) for part in ("tuned", "defaults")}
        for run, histories in runs.values():
            assert run["epochs"] == info["epochs"] and list(histories) == list(sweeps)
            for history in histories.values():
                assert all(len(history[m]) == info["epochs"] for m in results.METRICS)
        for name, record in sweeps.items():
            trials = [Trial(**t) for t in record["trials"]]
            steps = [t.step for t in trials]
            assert steps == list(range(min(steps), max(steps) + 1)) and min(steps) <= -2 < 2 <= max(
                steps
            )
            alive = [t for t in trials if not t.diverged]
            chosen = max(alive, key=lambda t: (t.val_accuracy, -t.val_loss))
            assert chosen.learning_rate == record["chosen_rate"], name
            assert min(steps) < chosen.step < max(steps), name
            if chosen.step == 0:
                assert runs["tuned"][1][name] == runs["defaults"][1][name]
        assert (path.parent / "sweep.png").is_file() and (path.parent / "sweep.csv").is_file()


def test_the_sweep_figure_marks_the_chosen_and_the_diverged_rates():
    import matplotlib

    matplotlib.use("Agg")
    from descent.plotting import sweep_figure

    record = sweep_record(tuning.rate(0.001, 0))
    record["trials"][-1] |= {"diverged": True, "val_loss": float("nan"), "val_accuracy": 0.1}
    fig = sweep_figure({"Adam": record, "Lion": sweep_record(tuning.rate(0.001, -1))})
    ax = fig.axes[0]
    labels = [text.get_text() for text in fig.legends[0].get_texts()]
    assert set(labels) == {"validation accuracy", "Keras default", "chosen", "diverged"}
    assert [t.get_text() for t in ax.texts] == ["diverged"]  # annotated in Adam's panel only
    assert not fig.axes[1].texts
    low, _ = ax.get_ylim()
    assert low > 0.5  # the diverged run's accuracy of 0.1 does not squash the scale
