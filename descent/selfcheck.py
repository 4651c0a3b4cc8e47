"""The learner's self-check: run the visible cases and diagnose the most likely mistake."""

from __future__ import annotations

import copy
import inspect
from dataclasses import replace

import numpy as np

from descent import expected, relations, values
from descent.model import CORRECT, NOT_ATTEMPTED, WRONG, Case, Expectation, Outcome, Result

GENERIC = "the result differs from the expected one"
INPLACE = (
    "it changed the caller's {name} in place: inputs must hold their original values "
    "on return, so compute new arrays (x = x - ..., not x -= ...) or restore what you changed"
)


def _named_inputs(fn, case: Case, args: tuple, kwargs: dict) -> dict:
    """The inputs by parameter name (positional names when the signature does not fit)."""
    try:
        return dict(inspect.signature(fn).bind(*args, **kwargs).arguments)
    except TypeError:
        return {f"argument {i + 1}": a for i, a in enumerate(args)} | kwargs


def call(fn, case: Case):
    """Run ``fn`` on a copy of the case; return its result and the inputs it changed in place."""
    args, kwargs = copy.deepcopy((case.args, case.kwargs))
    fn = case.bind(fn)
    before = [
        (path, a, a.copy())
        for name, v in _named_inputs(fn, case, args, kwargs).items()
        for path, a in values.arrays(v, name)
    ]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # diagnosed later
        result = fn(*args, **kwargs)
    changed = [path for path, a, old in before if not np.array_equal(a, old, equal_nan=True)]
    return result, changed


def run(fn, case: Case) -> Outcome:
    """Call ``fn`` on one case, turning any exception into an :class:`Outcome`."""
    try:
        output, changed = call(fn, case)
    except NotImplementedError:
        return Outcome(not_attempted=True)
    except Exception as error:  # the learner's code may raise anything
        return Outcome(error=f"{type(error).__name__}: {error}")
    return Outcome(output=output, changed=tuple(changed))


def _mistake(exp: Expectation, index: int, got) -> str | None:
    """The message of the recorded mistake whose output matches ``got`` on this case."""
    for mistake in exp.mistakes:
        if values.difference(got, mistake.outputs[index]) is None:
            return mistake.message
    return None


def verdict(exp: Expectation, i: int, outcome: Outcome) -> Result | None:
    """Judge the outcome of case ``i``; None when it is right."""
    case, want, total = exp.cases[i], exp.outputs[i], len(exp.cases)

    def wrong(diagnosis: str, detail: str = "") -> Result:
        return Result(exp.function, WRONG, diagnosis, case.name, detail, total_cases=total)

    if outcome.not_attempted:
        return Result(exp.function, NOT_ATTEMPTED, total_cases=total)
    if outcome.failure:
        return wrong(outcome.failure)
    if outcome.error:
        return wrong(f"it raised {outcome.error}")
    got = outcome.output
    if got is None and want is not None:
        return wrong("it returned None: did you forget the return statement?")
    if outcome.changed:
        return wrong(INPLACE.format(name=outcome.changed[0]))
    hidden = relations.audit(exp.function, case, got)
    if hidden:
        return wrong(hidden)
    detail = values.difference(got, want)
    if detail is None:
        return None
    diagnosis = _mistake(exp, i, got) or relations.diagnose(exp.function, case, got)
    return wrong(diagnosis or GENERIC, detail)


def summarize(exp: Expectation, outcomes: list[Outcome]) -> Result:
    """One result for all cases: the first failure that has a specific diagnosis, if any."""
    verdicts = [verdict(exp, i, o) for i, o in enumerate(outcomes)]
    failures = [v for v in verdicts if v is not None]
    passed = len(verdicts) - len(failures)
    if not failures:
        return Result(exp.function, CORRECT, passed_cases=passed, total_cases=len(verdicts))
    if any(f.status == NOT_ATTEMPTED for f in failures):
        return Result(exp.function, NOT_ATTEMPTED, total_cases=len(verdicts))
    chosen = next((f for f in failures if f.diagnosis != GENERIC), failures[0])
    return replace(chosen, passed_cases=passed)


def judge(fn, exp: Expectation) -> Result:
    """Check ``fn`` on every case of an expectation."""
    return summarize(exp, [run(fn, case) for case in exp.cases])


def diagnose(fn) -> Result:
    """Check a learner's function (found by its name) on its visible cases."""
    exp = expected.load_all().get(fn.__name__)
    if exp is None:
        known = ", ".join(sorted(expected.load_all()))
        raise KeyError(f"check() knows no graded function named {fn.__name__!r} (known: {known})")
    return judge(fn, exp)


def describe(result: Result) -> str:
    """A short report for the learner."""
    name = result.function
    if result.status == NOT_ATTEMPTED:
        return f"… {name}: not attempted yet (it still raises NotImplementedError)."
    if result.status == CORRECT:
        return f"✓ {name} passes all {result.total_cases} visible checks."
    lines = [
        f"✗ {name} is not right yet (case '{result.case}').",
        f"  Diagnosis: {result.diagnosis}.",
    ]
    if result.detail:
        lines.append(f"  First difference: {result.detail} (tolerance rtol={values.RTOL:g}).")
    return "\n".join(lines)


def check(fn) -> None:
    """Print whether ``fn`` passes its visible checks, and if not, the most likely mistake."""
    print(describe(diagnose(fn)))
