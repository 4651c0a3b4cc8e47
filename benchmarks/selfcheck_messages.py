"""How often the self-check names a mistake: the share of wrong inputs that get only the
generic message, on the corpus of typical wrong inputs in tests/corpus.py.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/selfcheck_messages.py [-v]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from descent import notebooks as nbs  # noqa: E402
from descent import selfcheck  # noqa: E402
from descent.model import CORRECT  # noqa: E402
from tests.corpus import corpus  # noqa: E402


def reference() -> dict:
    """Every graded function of the solution notebooks (as tests/conftest.py loads them)."""
    found = {}
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        nb = nbs.read(path)
        namespace = nbs.load_namespace(nb)
        found |= {name: namespace[name] for name in nbs.graded_functions(nb) if name != "MyAdam"}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="print every diagnosis")
    verbose = parser.parse_args().verbose
    entries = corpus(reference())
    generic = crashed = passed = 0
    for function, label, fn, _ in entries:
        fn.__name__ = function
        try:
            result = selfcheck.diagnose(fn)
            diagnosis = result.diagnosis or f"({result.status})"
            passed += result.status == CORRECT
        except Exception as error:  # the self-check itself failed
            diagnosis, crashed = f"CRASH {type(error).__name__}: {error}", crashed + 1
        generic += diagnosis == selfcheck.GENERIC
        if verbose:
            print(f"{function:32s} {label:28s} {diagnosis[:110]}")
    n = len(entries)
    print(
        f"{n} wrong inputs: {generic} generic ({generic / n:.0%}), "
        f"{passed} passed as correct, {crashed} crashed the self-check"
    )


if __name__ == "__main__":
    main()
