"""Record the expected results of the visible cases from a solution notebook, and load them."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

import numpy as np

from descent import cases, values
from descent.model import Case, Expectation, Mistake

EXPECTED_DIR = Path(__file__).parent / "expected"


def run_case(fn, case: Case):
    """Call ``fn`` on a private copy of the case's inputs (NaN from mistakes is expected)."""
    args, kwargs = copy.deepcopy((case.args, case.kwargs))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return case.bind(fn)(*args, **kwargs)


def record(functions: dict, mistakes: dict) -> dict:
    """JSON-ready expected outputs (and typical mistakes' outputs) for each graded function.

    ``functions`` maps names to reference implementations; ``mistakes`` maps names to
    lists of ``(key, message, wrong_implementation)``.
    """
    data = {}
    for name, fn in functions.items():
        visible = cases.visible(name)
        data[name] = {
            "outputs": [values.encode(run_case(fn, c)) for c in visible],
            "mistakes": [
                {
                    "key": key,
                    "message": message,
                    "outputs": [values.encode(run_case(wrong, c)) for c in visible],
                }
                for key, message, wrong in mistakes.get(name, [])
            ],
        }
    return data


def dumps(data: dict) -> str:
    """The stored text of recorded data (stable key order, one trailing newline)."""
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


@cache
def load_all() -> dict[str, Expectation]:
    """Every recorded expectation shipped with the package, by function name."""
    found = {}
    for path in sorted(EXPECTED_DIR.glob("*.json")):
        for name, entry in json.loads(path.read_text()).items():
            found[name] = Expectation(
                function=name,
                cases=tuple(cases.visible(name)),
                outputs=tuple(values.decode(o) for o in entry["outputs"]),
                mistakes=tuple(
                    Mistake(m["key"], m["message"], tuple(values.decode(o) for o in m["outputs"]))
                    for m in entry["mistakes"]
                ),
            )
    return found
