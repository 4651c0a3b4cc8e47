"""Setup for every test path (tests, solutions, book): Fashion-MNIST in the Keras cache.

CI and this course's machines are offline; the data set lies in ../shared beside the checkout.
"""

from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent / "shared" / "data" / "fashion-mnist"


def pytest_sessionstart(session):
    if SHARED.is_dir():
        from descent import fashion

        fashion.seed_cache(SHARED)
