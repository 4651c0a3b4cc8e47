"""Fashion-MNIST loads the Keras way from a seeded cache, and says clearly when it cannot."""

import os
import subprocess
import sys

import numpy as np

from descent import fashion
from tests.conftest import ROOT

SHARED = ROOT.parent / "shared" / "data" / "fashion-mnist"


def test_seeded_cache_loads_with_the_published_statistics():
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    fashion.seed_cache(SHARED)
    assert not fashion.missing()
    (x_train, y_train), (x_test, y_test) = fashion.load(download=False)
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert x_train.dtype == np.float32 and 0 <= x_train.min() and x_train.max() <= 1
    assert sorted(np.unique(y_train)) == list(range(10)) == sorted(np.unique(y_test))
    # Published pixel statistics of the data set (see shared/data/fashion-mnist/README.md).
    assert abs(x_train.mean() - 0.2860) < 5e-4 and abs(x_train.std() - 0.3530) < 5e-4
    assert abs(x_test.mean() - 0.2868) < 5e-4 and abs(x_test.std() - 0.3524) < 5e-4


def test_missing_data_gives_a_clear_message(tmp_path):
    code = (
        "from descent import fashion\ntry:\n    fashion.load(download=False)\n"
        "except RuntimeError as error:\n    print(error)\n"
    )
    env = os.environ | {
        "KERAS_HOME": str(tmp_path),
        "KERAS_BACKEND": "tensorflow",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    shown = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300
    ).stdout
    assert str(tmp_path / "datasets" / "fashion-mnist") in shown
    assert all(name in shown for name in fashion.FILES)
