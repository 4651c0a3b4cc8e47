"""The learner's self-check: run the visible cases and diagnose the most likely mistake."""

from __future__ import annotations

import contextlib
import copy
import functools
import inspect
import io
import re
import signal
import sys
import threading
from dataclasses import replace

import numpy as np

from descent import cases, delegation, expected, relations, values
from descent.model import CORRECT, NOT_ATTEMPTED, WRONG, Case, Expectation, Outcome, Result

GENERIC = "the result differs from the expected one"
INPLACE = (
    "it changed the caller's {name} in place: inputs must hold their original values "
    "on return, so compute new arrays (x = x - ..., not x -= ...) or restore what you changed"
)
TIME_LIMIT = 5.0  # seconds per call of the learner's function; change it or pass time_limit=
# How a diagnosis was found, most telling first: the self-check reports the best one.
STRUCTURE, LAYERS, HELPER, MISTAKE, RELATION, PROBE, WEAK, UNNAMED = range(8)


class TimedOut(BaseException):
    """Raised inside a call that ran past its time limit (a BaseException, so that the
    learner's ``except Exception`` does not swallow it)."""


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Interrupt the block after ``seconds`` with :class:`TimedOut` (main thread, POSIX)."""
    usable = (
        seconds
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def interrupt(signum, frame):
        raise TimedOut()

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _named_inputs(fn, args: tuple, kwargs: dict) -> dict:
    """The inputs by parameter name (positional names when the signature does not fit)."""
    try:
        return dict(inspect.signature(fn).bind(*args, **kwargs).arguments)
    except (TypeError, ValueError):
        return {f"argument {i + 1}": a for i, a in enumerate(args)} | kwargs


def call(fn, case: Case):
    """Run ``fn`` on a copy of the case; return its result and the inputs it changed in place."""
    args, kwargs = copy.deepcopy((case.args, case.kwargs))
    fn = case.bind(fn)
    before = [
        (path, a, a.copy())
        for name, v in _named_inputs(fn, args, kwargs).items()
        for path, a in values.arrays(v, name)
    ]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # diagnosed later
        result = fn(*args, **kwargs)
    changed = [path for path, a, old in before if not np.array_equal(a, old, equal_nan=True)]
    return result, changed


def _error(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def run(fn, case: Case, limit: float | None = None) -> Outcome:
    """Call ``fn`` on one case, turning any exception into an :class:`Outcome`."""
    try:
        with time_limit(limit):
            output, changed = call(fn, case)
    except NotImplementedError:
        return Outcome(not_attempted=True)
    except TimedOut:
        return Outcome(failure=f"it took longer than {limit:g} s — an endless loop?")
    except SystemExit as error:  # exit() inside the function must not end the kernel
        return Outcome(error=f"SystemExit: {error.code}")
    except RecursionError:
        return Outcome(error="RecursionError: the function calls itself without end")
    except Exception as error:  # the learner's code may raise anything
        return Outcome(error=_error(error))
    return Outcome(output=output, changed=tuple(changed))


def _mistake(exp: Expectation, index: int, got) -> str | None:
    """The message of the recorded mistake whose output matches ``got`` on this case."""
    for mistake in exp.mistakes:
        if values.difference(got, mistake.outputs[index]) is None:
            return mistake.message
    return None


def _assess(exp: Expectation, i: int, outcome: Outcome) -> tuple[Result | None, int]:
    """Judge the outcome of case ``i``: a result (None when right) and how it was found."""
    case, want, total = exp.cases[i], exp.outputs[i], len(exp.cases)

    def wrong(rank: int, diagnosis: str, detail: str = "") -> tuple[Result, int]:
        return Result(exp.function, WRONG, diagnosis, case.name, detail, total_cases=total), rank

    if outcome.not_attempted:
        return Result(exp.function, NOT_ATTEMPTED, total_cases=total), STRUCTURE
    if outcome.failure:
        return wrong(STRUCTURE, outcome.failure)
    if outcome.error:
        return wrong(STRUCTURE, relations.explain_error(exp.function, case, outcome.error))
    got = outcome.output
    if got is None and want is not None:
        return wrong(STRUCTURE, "it returned None: did you forget the return statement?")
    if outcome.changed:
        return wrong(STRUCTURE, INPLACE.format(name=outcome.changed[0]))
    detail = values.difference(got, want)
    shape = relations.structure(exp.function, case, got, want)
    if shape:
        return wrong(STRUCTURE, shape, detail or "")
    hidden = relations.audit(exp.function, case, got)
    if hidden:
        return wrong(STRUCTURE, hidden)
    if detail is None:
        return None, UNNAMED
    layers = relations.layers(exp.function, case, got, want)
    if layers and not isinstance(layers, relations.Weak):
        return wrong(LAYERS, layers, detail)
    if early := relations.early(exp.function, case, got):
        return wrong(LAYERS, early, detail)
    mistake = _mistake(exp, i, got)
    if mistake:
        return wrong(MISTAKE, mistake, detail)
    other = relations.diagnose(exp.function, case, got)
    if other:
        return wrong(RELATION, other, detail)
    return wrong(WEAK, layers, detail) if layers else wrong(UNNAMED, GENERIC, detail)


def verdict(exp: Expectation, i: int, outcome: Outcome) -> Result | None:
    """Judge the outcome of case ``i``; None when it is right."""
    try:
        return _assess(exp, i, outcome)[0]
    except Exception as error:  # a result too odd to reason about must not crash the check
        return Result(
            exp.function,
            WRONG,
            f"its result could not be compared with the expected one ({_error(error)})",
            exp.cases[i].name,
            total_cases=len(exp.cases),
        )


def _best_mistake(exp: Expectation, outcomes: list[Outcome]) -> tuple[int, str] | None:
    """The recorded mistake that explains the most cases, and the first case it explains."""
    best, most = None, 0
    for mistake in exp.mistakes:
        hits = [
            i
            for i, o in enumerate(outcomes)
            if o.output is not None
            and values.difference(o.output, exp.outputs[i]) is not None
            and values.difference(o.output, mistake.outputs[i]) is None
        ]
        if len(hits) > most:
            best, most = (hits[0], mistake.message), len(hits)
    return best


def summarize(exp: Expectation, outcomes: list[Outcome]) -> tuple[Result, int]:
    """One result for all cases: the failure with the most telling diagnosis, and its rank."""
    assessed = []
    for i, o in enumerate(outcomes):
        try:
            assessed.append(_assess(exp, i, o))
        except Exception:  # noqa: BLE001 - reported through verdict's message
            assessed.append((verdict(exp, i, o), STRUCTURE))
    failures = [(r, rank) for r, rank in assessed if r is not None]
    total, passed = len(assessed), len(assessed) - len(failures)
    if not failures:
        return Result(exp.function, CORRECT, passed_cases=passed, total_cases=total), UNNAMED
    if any(r.status == NOT_ATTEMPTED for r, _ in failures):
        return Result(exp.function, NOT_ATTEMPTED, total_cases=total), STRUCTURE
    chosen, rank = min(failures, key=lambda f: f[1])  # the first of the best rank
    if rank == MISTAKE and (best := _best_mistake(exp, outcomes)):
        i, message = best
        chosen = next(r for r, _ in failures if r.case == exp.cases[i].name)
        chosen = replace(chosen, diagnosis=message)
    return replace(chosen, passed_cases=passed), rank


def _probe(fn, exp: Expectation, result: Result, limit) -> str | None:
    """Name an argument whose value the function ignores (a hard-coded hyperparameter)."""
    index = next(i for i, c in enumerate(exp.cases) if c.name == result.case)
    case = exp.cases[index]
    base = run(fn, case, limit)
    names = list(_named_inputs(case.bind(fn), case.args, case.kwargs))
    for key in exp.sensitive[index] if exp.sensitive else ():
        name = names[int(key)] if key.isdigit() and int(key) < len(names) else key
        outcome = run(fn, cases.vary(case, key), limit)
        if outcome.output is not None and values.identical(outcome.output, base.output):
            return (
                f"the result does not change when {name} changes: use the argument {name} "
                "instead of a fixed number"
            )
    return None


def _helpers(fn, function: str) -> list:
    """The other graded functions that ``fn`` calls, as the learner defined them."""
    scope = getattr(fn, "__globals__", {})
    code = getattr(fn, "__code__", None)
    names = delegation.names_used(code) if code else set()
    known = expected.load_all()
    return [
        scope[n] for n in sorted(names) if n != function and n in known and callable(scope.get(n))
    ]


def judge(fn, exp: Expectation, limit: float | None = None, helpers: bool = True) -> Result:
    """Check ``fn`` on every case of an expectation (and, when it fails, the graded
    functions it calls, if ``helpers``)."""
    with contextlib.redirect_stdout(io.StringIO()):  # the learner's prints, once per case
        outcomes: list[Outcome] = []
        for case in exp.cases:  # after one time-out, the others would time out too
            timed_out = outcomes and outcomes[-1].failure
            outcomes.append(outcomes[-1] if timed_out else run(fn, case, limit))
        result, rank = summarize(exp, outcomes)
        if result.status == NOT_ATTEMPTED:
            return result
        handed = delegation.delegates(fn)
        if handed:
            return replace(result, status=WRONG, diagnosis=handed, case="", detail="")
        if result.status != WRONG or rank == STRUCTURE:
            return result
        for helper in _helpers(fn, exp.function) if helpers else ():
            name = getattr(helper, "__name__", "")
            own = expected.load_all().get(name)
            if own and judge(helper, own, limit, helpers=False).status != CORRECT:
                return replace(
                    result,
                    diagnosis=f"it calls {name}, which does not pass its own visible checks "
                    f"yet: fix that first (check({name}))",
                )
        if rank >= PROBE and (ignored := _probe(fn, exp, result, limit)):
            return replace(result, diagnosis=ignored)
    return result


def _explained(fn, exp: Expectation, result: Result) -> Result:
    """Add the inputs of the reported case and a line that reproduces it."""
    if result.status != WRONG or not result.case:
        return result
    index = next(i for i, c in enumerate(exp.cases) if c.name == result.case)
    case = exp.cases[index]
    name = exp.function
    named = _named_inputs(case.bind(fn), case.args, case.kwargs)
    target = f"case.bind({name})" if case.driver else name
    return replace(
        result,
        inputs=cases.summary(named),
        reproduce=f'case = cases.visible("{name}")[{index}]; {target}(*case.args, **case.kwargs)',
    )


def diagnose(fn, limit: float | None = None) -> Result:
    """Check a learner's function (found by its name) on its visible cases."""
    exp = expected.load_all().get(fn.__name__)
    if exp is None:
        known = ", ".join(sorted(expected.load_all()))
        raise KeyError(f"check() knows no graded function named {fn.__name__!r} (known: {known})")
    return _explained(fn, exp, judge(fn, exp, limit))


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def describe(result: Result) -> str:
    """A short report for the learner."""
    name = result.function
    if result.status == NOT_ATTEMPTED:
        return f"… {name}: not attempted yet (it still raises NotImplementedError)."
    if result.status == CORRECT:
        return f"✓ {name} passes all {result.total_cases} visible checks."
    where = f" (case '{result.case}')" if result.case else ""
    lines = [
        f"✗ {name} is not right yet{where}: "
        f"{result.passed_cases} of {result.total_cases} visible checks pass.",
        f"  Diagnosis: {_sentence(result.diagnosis)}",
    ]
    if result.inputs:
        lines.append(f"  Inputs: {result.inputs}.")
    if result.detail:
        numeric = re.search(r" is [-+]?(\d|nan|inf)", result.detail)
        tolerance = f" (tolerance rtol={values.RTOL:g})" if numeric else ""
        lines.append(f"  First difference: {result.detail}{tolerance}.")
    if result.reproduce:
        lines.append(f"  To reproduce: {result.reproduce}")
    return "\n".join(lines)


_failed: dict[str, int] = {}  # failed check() calls in a row, by function


def resolve(fn, scope: dict):
    """The graded function ``fn`` names, or a one-line message saying why it cannot be."""
    known = expected.load_all()
    listing = ", ".join(sorted(known))
    if isinstance(fn, str):
        if fn not in known:
            return None, f"check() knows no graded function named {fn!r} (known: {listing})."
        if fn not in scope:
            return None, f"{fn} is not defined yet: run the cell that defines it, then check again."
        fn = scope[fn]
    if isinstance(fn, functools.partial):
        return None, "check() needs the function itself, not a functools.partial of it."
    if not callable(fn):
        return None, (
            f"check() needs a function, not a {type(fn).__name__} (the result of a call?): "
            "write check(name) with no parentheses after the name."
        )
    name = getattr(fn, "__name__", None)
    if name == "<lambda>":
        return None, "check() needs the graded function defined with def, not a lambda."
    if name not in known:
        return None, f"check() knows no graded function named {name!r} (known: {listing})."
    return fn, ""


def check(fn, time_limit: float | None = None) -> None:
    """Print whether ``fn`` (a graded function, or its name) passes its visible checks, and
    if not, the most likely mistake. Each call may take ``time_limit`` seconds (TIME_LIMIT)."""
    caller = sys._getframe(1)
    fn, problem = resolve(fn, caller.f_globals | caller.f_locals)
    if problem:
        print(problem)
        return
    result = diagnose(fn, TIME_LIMIT if time_limit is None else time_limit)
    name = result.function
    _failed[name] = _failed.get(name, 0) + 1 if result.status == WRONG else 0
    text = describe(result)
    if _failed[name] >= 2:
        text += f"\n  Stuck? Each hint goes one step further: try hint({name})"
    print(text)
