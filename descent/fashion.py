"""Fashion-MNIST for the capstone, loaded the Keras way.

``keras.datasets.fashion_mnist.load_data()`` looks in ``$KERAS_HOME/datasets/fashion-mnist/``
(read when Keras is imported) and downloads only the files that are missing. Machines without
internet seed that folder from a local copy of the four original files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

FILES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)


def cache_dir() -> Path:
    """Where Keras looks for the files (its home was fixed when Keras was imported)."""
    from keras.src.backend.config import keras_home

    return Path(keras_home()).expanduser() / "datasets" / "fashion-mnist"


def missing() -> list[str]:
    """The files that are not in the cache yet."""
    return [name for name in FILES if not (cache_dir() / name).is_file()]


def seed_cache(source: Path) -> Path:
    """Copy the four files from ``source`` into the Keras cache, keeping files already there."""
    target = cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name in missing():
        shutil.copyfile(source / name, target / name)
    return target


def load(download: bool = True):
    """``(x_train, y_train), (x_test, y_test)``, pixels scaled to [0, 1] as float32.

    Raises RuntimeError with the folder and the file names when the data cannot be had.
    """
    import keras

    absent = missing()
    message = (
        f"Fashion-MNIST is not in {cache_dir()}: put the four files {', '.join(FILES)} "
        "there (e.g. from the course's shared data folder), or connect to the internet"
    )
    if absent and not download:
        raise RuntimeError(message)
    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    except Exception as error:  # no network: urllib and Keras raise several kinds
        raise RuntimeError(f"{message} ({type(error).__name__}: {error})") from None
    return (x_train.astype("float32") / 255, y_train), (x_test.astype("float32") / 255, y_test)
