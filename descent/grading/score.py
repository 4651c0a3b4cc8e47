"""Turn what a submission's code returned into points and feedback, using the reference.

Feedback reuses the self-check's diagnoses. For hidden tests it names the mistake but never
the inputs, the expected values or the learner's error message (which may quote inputs).
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from descent import cases, delegation, selfcheck, values
from descent.grading.assignment import Assignment, Test
from descent.grading.runner import Run
from descent.grading.submission import Submission
from descent.model import NOT_ATTEMPTED, Graded, Outcome, TestResult

HIDDEN_VISIBILITY = "after_due_date"  # Gradescope shows hidden tests' results after the due date
NOT_DEFINED = re.compile(r"NameError: name '(\w+)' is not defined")


def _cause(name: str, submission: Submission, run: Run) -> str:
    """Why ``name`` was not defined when the tests ran: the cell that should have defined it
    failed or was not run, or no cell defines it."""
    cell = submission.defined_in.get(name)
    if cell in run.cell_errors:
        return f"cell {cell}, which defines it, failed ({run.cell_errors[cell]})"
    if cell in submission.skipped:
        return f"cell {cell} defines it but was not run: {submission.skipped[cell]}"
    if cell:
        return f"cell {cell} defines it only inside a branch or after a failure"
    return "no code cell of the notebook defines it (a missing import or definition?)"


def _missing(function: str, submission: Submission, run: Run) -> Outcome:
    return Outcome(
        error=f"NameError: {function} is not defined: {_cause(function, submission, run)}"
    )


def _undefined_names(graded: Graded, submission: Submission, run: Run, hidden: set) -> None:
    """A problem line for every name the visible tests or the cells found undefined (not the
    hidden tests: the learner's code could name a name after a hidden input)."""
    visible = [o for key, o in run.outcomes.items() if key not in hidden]
    errors = [o.error for o in visible if o.error] + list(run.cell_errors.values())
    names = sorted({n for e in errors for n in NOT_DEFINED.findall(e)})
    for name in names:
        graded.problems.append(
            f"{name} is not defined when your code runs: {_cause(name, submission, run)}"
        )


def feedback(test: Test, verdict, public: frozenset[str] = frozenset()) -> str:
    """The learner's message for one test. A hidden test's diagnosis is shown only if it is
    ``public``: a recorded mistake's message or one the visible tests already showed. Any
    other diagnosis may quote the result (a dict's keys, a number), which the learner's code
    could have built from the hidden inputs."""
    if verdict is None:
        return "✓ passed"
    if verdict.status == NOT_ATTEMPTED:
        return "… not attempted yet (it still raises NotImplementedError)"
    diagnosis = verdict.diagnosis
    if test.hidden:
        if diagnosis not in public:
            kinds = sorted(
                p for p in cases.properties(test.function, test.case) if "given" not in p
            )
            on = f" on a case {', '.join(kinds)}" if kinds else ""
            what = "raised an error" if diagnosis.startswith("it raised ") else "is wrong"
            diagnosis = f"it {what}{on} (details are not shown for hidden tests)"
        return f"✗ {diagnosis}"
    detail = f" First difference: {verdict.detail}." if verdict.detail else ""
    return f"✗ {diagnosis}.{detail}"


def _delegates(function: str, submission: Submission) -> str | None:
    """The message when the cell defining ``function`` hands its work to an optimizer."""
    code = "\n".join(source for _, source in submission.cells)
    own = [s for _, s in submission.cells if f"def {function}(" in s or f"class {function}(" in s]
    return next((d for s in own if (d := delegation.in_source(s, function, code))), None)


def _with_changes(assignment: Assignment, test: Test, outcome: Outcome, after) -> Outcome:
    """The outcome, with the inputs the call changed in place. ``after`` holds the input
    arrays as the child sent them back after the call, in the order of ``values.arrays``;
    the comparison with the inputs is made here, not in the learner's process."""
    case = test.case
    fn = case.bind(assignment.reference[test.function])
    names = list(selfcheck._named_inputs(fn, case.args, case.kwargs))
    labelled = [
        (names[i] if i < len(names) else f"argument {i + 1}", value)
        for i, value in enumerate(case.args)
    ] + list(case.kwargs.items())
    before = [pair for name, value in labelled for pair in values.arrays(value, name)]
    if not isinstance(after, tuple) or len(after) != len(before):
        after = (None,) * len(before)
    changed = tuple(path for (path, a), b in zip(before, after, strict=True) if not _same(a, b))
    return replace(outcome, changed=changed)


def _same(before: np.ndarray, after) -> bool:
    return (
        isinstance(after, np.ndarray)
        and after.shape == before.shape
        and np.array_equal(after.astype(float), before.astype(float), equal_nan=True)
    )


def _judge(exp, i: int, outcome: Outcome):
    """The self-check's verdict; a result it cannot judge is wrong, with a message."""
    try:
        return selfcheck.verdict(exp, i, outcome)
    except Exception as error:  # noqa: BLE001 - a result no comparison was made for
        failure = f"the result could not be judged ({type(error).__name__})"
        return selfcheck.verdict(exp, i, Outcome(failure=failure))


def _name(test: Test, hidden_number: int) -> str:
    label = f"hidden test {hidden_number}" if test.hidden else test.case.name
    return f"{test.function}: {label}"


def score(assignment: Assignment, submission: Submission, run: Run, isolation: str) -> Graded:
    """Points and feedback for every test of every graded function."""
    graded = Graded(
        submission.name,
        assignment.name,
        problems=list(submission.problems),
        isolation=isolation,
        seconds=run.seconds,
    )
    for function, points in assignment.points.items():
        tests = [t for t in assignment.tests if t.function == function]
        exp = assignment.expectation(function)
        share = points / len(tests)
        if function not in submission.defined:
            graded.problems.append(f"no code cell defines {function}(...): it scores 0")
        handed = _delegates(function, submission)
        if handed:
            graded.problems.append(f"{function} scores 0: {handed}")
        hidden_number, public = 0, {m.message for m in exp.mistakes}
        for i, test in enumerate(tests):  # visible tests first: their diagnoses are public
            hidden_number += test.hidden
            outcome = run.outcomes.get(test.key)
            if outcome is None or test.key in run.missing:
                outcome = _missing(function, submission, run)
            elif test.key in run.inputs:
                outcome = _with_changes(assignment, test, outcome, run.inputs[test.key])
            verdict = _judge(exp, i, outcome)
            if verdict is not None and not test.hidden:
                public.add(verdict.diagnosis)
            graded.tests.append(
                TestResult(
                    _name(test, hidden_number),
                    function,
                    share if verdict is None and not handed else 0.0,
                    share,
                    f"✗ {handed}" if handed else feedback(test, verdict, frozenset(public)),
                    HIDDEN_VISIBILITY if test.hidden else "visible",
                )
            )
    for cell, error in run.cell_errors.items():
        graded.problems.append(f"cell {cell} raised {error}")
    hidden = {t.key for t in assignment.tests if t.hidden}
    _undefined_names(graded, submission, run, hidden)
    _note_dependencies(assignment, graded, submission)
    return graded


def _note_dependencies(assignment: Assignment, graded: Graded, submission: Submission) -> None:
    """Tell learners when a function failed because a graded function that their own code
    calls is wrong (not when the failure is a NameError: that has a cause of its own)."""
    failing = {t.function for t in graded.tests if t.score < t.max_score}
    for i, test in enumerate(graded.tests):
        own = " ".join(s for _, s in submission.cells if f"def {test.function}(" in s)
        culprits = [g for g in assignment.functions if g != test.function and f"{g}(" in own]
        culprits = [g for g in culprits if g in failing]
        if test.score < test.max_score and culprits and "NameError" not in test.output:
            note = (
                f" Note: your {test.function} calls {', '.join(culprits)}, which does not "
                "pass its own tests yet: fix that first."
            )
            graded.tests[i] = replace(test, output=test.output + note)


def zero(assignment: Assignment | None, submission: Submission, isolation: str) -> Graded:
    """The grade of a submission that cannot be run at all: every function scores 0."""
    graded = Graded(
        submission.name,
        submission.exercise_set or (assignment.name if assignment else ""),
        problems=list(submission.problems),
        isolation=isolation,
    )
    reason = "; ".join(submission.problems) or "the submission could not be run"
    for function, points in (assignment.points if assignment else {}).items():
        graded.tests.append(TestResult(function, function, 0.0, points, f"✗ {reason}"))
    return graded
