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


def sensitive(fn, case: Case, output) -> list[str]:
    """The numeric arguments of a case whose change (:func:`cases.vary`) changes the output."""
    return [
        key
        for key in cases.numeric_keys(case)
        if values.difference(run_case(fn, cases.vary(case, key)), output) is not None
    ]


def record(
    functions: dict, mistakes: dict, hints: dict | None = None, points: dict | None = None
) -> dict:
    """JSON-ready expected outputs (and typical mistakes' outputs) for each graded function.

    ``functions`` maps names to reference implementations; ``mistakes`` maps names to
    lists of ``(key, message, wrong_implementation)``; ``hints`` and ``points`` come from
    the graded cells' metadata.
    """
    data = {}
    for order, (name, fn) in enumerate(functions.items()):
        visible = cases.visible(name)
        outputs = [run_case(fn, c) for c in visible]
        data[name] = {
            "outputs": [values.encode(o) for o in outputs],
            "sensitive": [sensitive(fn, c, o) for c, o in zip(visible, outputs, strict=True)],
            "hints": (hints or {}).get(name, []),
            "points": (points or {}).get(name, 0),
            "order": order,
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
                sensitive=tuple(tuple(keys) for keys in entry.get("sensitive", ())),
                hints=tuple(entry.get("hints", ())),
                points=entry.get("points", 0),
            )
    return found


def exercise_sets() -> dict[str, list[str]]:
    """The graded functions of each exercise set, in notebook order."""
    found = {}
    for path in sorted(EXPECTED_DIR.glob("*.json")):
        entries = json.loads(path.read_text())
        found[path.stem] = sorted(entries, key=lambda name: entries[name].get("order", 0))
    return found
