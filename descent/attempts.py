"""Where a learner stands: each graded function of a notebook, its status and its points."""

from __future__ import annotations

import contextlib
import sys
import types

from descent import expected, selfcheck
from descent.model import CORRECT, NOT_ATTEMPTED


def _points(n: int) -> str:
    return f"{n} point{'s' * (n != 1)}"


def _exercise_set(scope: dict) -> str | None:
    """The exercise set whose graded functions the caller's namespace defines most of."""
    counts = {
        name: sum(f in scope for f in functions)
        for name, functions in expected.exercise_sets().items()
    }
    best = max(counts, key=counts.get, default=None)
    return best if best and counts[best] else None


def progress(exercise_set: str | None = None) -> None:
    """Print one line per graded function of this notebook (not attempted, ✗ or ✓ on the
    visible checks) with its points, and the total."""
    caller = sys._getframe(1)
    scope = caller.f_globals | caller.f_locals
    exercise_set = exercise_set or _exercise_set(scope)
    if exercise_set not in expected.exercise_sets():
        print("progress() found no graded function here: run the notebook's cells first.")
        return
    earned = possible = 0
    for name in expected.exercise_sets()[exercise_set]:
        points = expected.load_all()[name].points
        possible += points
        fn = scope.get(name)
        if fn is None:
            print(f"… {name}: not defined yet (run its cell) — {_points(points)}")
            continue
        result = selfcheck.diagnose(fn, selfcheck.TIME_LIMIT)
        if result.status == CORRECT:
            earned += points
            print(f"✓ {name}: passes its {result.total_cases} visible checks — {_points(points)}")
        elif result.status == NOT_ATTEMPTED:
            print(f"… {name}: not attempted yet — {_points(points)}")
        else:
            print(
                f"✗ {name}: {result.passed_cases} of {result.total_cases} visible checks pass "
                f"— 0 of {_points(points)} (check({name}) says why)"
            )
    print(
        f"Total: {earned} of {_points(possible)} on the visible checks "
        "(the grade also uses hidden tests of the same kinds)."
    )


def attempted(fn) -> bool:
    """Whether a graded function has been written (its stub's raise line is gone)."""
    code = getattr(fn, "__code__", None)
    stack = [code] if code else [f.__code__ for f in vars(fn).values() if hasattr(f, "__code__")]
    while stack:
        code = stack.pop()
        if "NotImplementedError" in code.co_names:
            return False
        stack += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    return True


class attempt(contextlib.AbstractContextManager):  # noqa: N801 - used like a function
    """Run a notebook cell that needs graded functions; while one is not written yet, print
    a friendly line instead of a NotImplementedError traceback (so "Run All" goes on)."""

    def __init__(self, *functions):
        self.functions = functions

    def __exit__(self, kind, error, traceback) -> bool:
        waiting = [getattr(f, "__name__", "?") for f in self.functions if not attempted(f)]
        if kind is NotImplementedError:
            while traceback.tb_next:  # the function that raised it
                traceback = traceback.tb_next
            waiting = [traceback.tb_frame.f_code.co_name]
        if kind is not None and waiting:
            print(f"… {', '.join(waiting)}: not attempted yet (this cell runs once it is written).")
            return True
        return False
