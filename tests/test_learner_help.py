"""What learners see: a ✓ that predicts the grade, no crash or hang, a named mistake, what
ran, hints, progress, and no solving by delegation."""

from __future__ import annotations

import functools
import inspect
import signal
import time
import types

import numpy as np
import pytest

from descent import attempts, cases, delegation, expected, hints, selfcheck, steps
from descent.grading import score
from descent.grading.assignment import Test
from descent.grading.submission import Submission
from descent.model import CORRECT, NOT_ATTEMPTED, WRONG, Result
from tests import corpus
from tests.conftest import ROOT, SOLUTIONS, solution_lines

FUNCTIONS = [f for f in cases.VISIBLE if f != "MyAdam"]  # MyAdam needs Keras: test_capstone

# --- 1. ✓ predicts the grade -----------------------------------------------------------------

REQUIRED = {  # kinds of input the visible cases must exercise (besides every hyperparameter)
    "update_parameters_with_gd": {"with more than two layers", "with one layer"},
    "random_mini_batches": {"with Y of several rows", "with m smaller than mini_batch_size"},
    "update_parameters_with_adam": {"with t > 1", "with more than two layers"},
    "model": {"with more than two layers", "with optimizer 'adam'"},
    "update_parameters_with_adamw": {"with t > 1", "with more than two layers"},
    "warmup_cosine_lr": {
        "during the warm-up",
        "during the warm-up, with a final_lr",
        "after total_steps",
        "with no warm-up",
    },
}


@pytest.fixture(scope="module")
def hidden_module():
    from descent.grading.assignment import load_module

    return load_module(ROOT / "solutions" / "hidden_cases.py", "hidden_cases_for_test")


def _signature(function: str, reference: dict) -> inspect.Signature:
    target = reference[function]
    return inspect.signature(target.__init__ if isinstance(target, type) else target)


@pytest.mark.parametrize("function", list(cases.VISIBLE))
def test_visible_cases_exercise_every_argument_and_every_kind(function, reference, hidden_module):
    """The rule, for instructors: every argument of every graded function takes a value
    other than its default in at least one visible case (hyperparameters, the learning
    rate, the sizes), and the visible cases exercise every kind of input the hidden cases
    do (Y of several rows, m smaller than the mini-batch size, more than two layers, t > 1,
    each optimizer); the hidden cases only add new values and sizes. Then a function that
    passes the visible checks cannot fail a hidden test for a reason no visible check shows.
    """
    visible = cases.visible(function)
    signature = _signature(function, reference)
    settings = {"learning_rate", "beta_1", "beta_2", "epsilon"}  # the Keras class's own
    for name, parameter in signature.parameters.items():
        if parameter.default is inspect.Parameter.empty or name in ("self", "name", "kwargs"):
            continue
        if function == "MyAdam" and name not in settings:
            continue
        given = [
            c.kwargs.get(name, parameter.default)
            if c.driver
            else signature.bind(*c.args, **c.kwargs).arguments.get(name, parameter.default)
            for c in visible
        ]
        assert any(v is not parameter.default and v != parameter.default for v in given), (
            f"no visible case of {function} sets {name}"
        )
    kinds = set().union(*(cases.properties(function, c) for c in visible))
    assert REQUIRED.get(function, set()) <= kinds
    for case in hidden_module.hidden(function):
        new = cases.properties(function, case) - kinds
        assert not new, f"hidden case {case.name!r} of {function} is a new kind: {new}"


def test_hidden_errors_name_the_kind_of_case_not_its_inputs():
    case = cases.visible("random_mini_batches")[4]
    test = Test("k", "random_mini_batches", case, hidden=True)
    verdict = Result(
        "random_mini_batches", WRONG, "it raised ValueError: cannot reshape array of size 10"
    )
    text = score.feedback(test, verdict)
    assert "with Y of several rows" in text and "with m smaller than mini_batch_size" in text
    assert "size 10" not in text and "details are not shown" in text
    assert "ValueError" not in text  # the learner's code chooses an exception's name


def test_hidden_tests_show_only_diagnoses_that_cannot_carry_hidden_inputs():
    case = cases.visible("update_parameters_with_gd")[0]
    test = Test("k", "update_parameters_with_gd", case, hidden=True)
    keys = "its dict has the wrong keys (extra 0.4213)"
    forged = Result("update_parameters_with_gd", WRONG, keys)
    text = score.feedback(test, forged)
    assert "0.4213" not in text and "is wrong" in text and "details are not shown" in text
    public = frozenset({"the last layer was not updated"})
    shown = Result("update_parameters_with_gd", WRONG, "the last layer was not updated")
    assert score.feedback(test, shown, public) == "✗ the last layer was not updated"


# --- 2. never crashes, never hangs -----------------------------------------------------------


def gd(parameters, grads, learning_rate):
    return {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}


def test_check_accepts_a_function_or_its_name(capsys):
    update_parameters_with_gd = gd
    update_parameters_with_gd.__name__ = "update_parameters_with_gd"
    selfcheck.check("update_parameters_with_gd")
    selfcheck.check(update_parameters_with_gd)
    assert capsys.readouterr().out.count("✓ update_parameters_with_gd passes") == 2


@pytest.mark.parametrize(
    "argument, fragment",
    [
        (lambda parameters, grads, learning_rate: parameters, "not a lambda"),
        (functools.partial(gd, learning_rate=0.1), "not a functools.partial"),
        (({}, {}), "not a tuple (the result of a call?)"),
        (None, "not a NoneType"),
        ("update_parameters_with_adamm", "knows no graded function named"),
        ("update_parameters_with_adam", "is not defined yet"),
        (print, "knows no graded function named 'print'"),
    ],
)
def test_check_explains_what_it_cannot_check_in_one_line(capsys, argument, fragment):
    selfcheck.check(argument)
    out = capsys.readouterr().out
    assert fragment in out and out.count("\n") == 1


def test_an_endless_loop_is_stopped_and_reported(capsys):
    def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
        while True:
            pass

    handler = signal.getsignal(signal.SIGALRM)
    start = time.perf_counter()
    selfcheck.check(schedule_lr_decay, time_limit=0.2)
    assert time.perf_counter() - start < 3
    assert "took longer than 0.2 s — an endless loop?" in capsys.readouterr().out
    assert signal.getsignal(signal.SIGALRM) is handler  # the kernel is left as it was


def test_prints_are_not_repeated_and_exit_is_caught(capsys):
    def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
        print("debugging")
        raise SystemExit(3)

    selfcheck.check(schedule_lr_decay)
    out = capsys.readouterr().out
    assert "debugging" not in out and "it raised SystemExit: 3" in out


ODD = [
    None,
    0,
    1.5,
    np.float64(0.1),
    np.int64(3),
    True,
    "text",
    b"bytes",
    [],
    (),
    {},
    {1: 2, "W1": np.zeros(2)},  # mixed key types
    [[1.0, 2.0], [3.0]],  # ragged nested lists
    [[[1.0]]],
    np.array([1 + 2j, 3j]),
    np.array([object(), None], dtype=object),
    np.array(["a", "b"]),
    np.zeros((0,)),
    np.full((2, 3), np.nan),
    np.full((2, 3), np.inf),
    (x for x in range(3)),
    iter([1, 2]),
    range(3),
    {"a", "b"},
    object(),
    ValueError("returned, not raised"),
    print,
    ({"W1": "x"}, {"dW1": None}),
    ({}, {}, {}, {}, {}),
    [(np.zeros((2, 2)),)],
    [{"X": np.zeros((2, 2))}],
]


def odd_function(function: str, value):
    """A function with the graded function's name that returns ``value``."""

    def graded(*args, **kwargs):
        return copy_of(value)

    graded.__name__ = function
    return graded


def copy_of(value):
    if isinstance(value, types.GeneratorType) or type(value).__name__.endswith("iterator"):
        return iter([1, 2, 3])
    return value


@pytest.mark.parametrize("function", FUNCTIONS)
def test_fuzz_no_exception_escapes_and_nothing_odd_passes(function, capsys):
    assert len(ODD) * len(FUNCTIONS) >= 100
    for value in ODD:
        result = selfcheck.diagnose(odd_function(function, value), limit=2)
        assert result.status == WRONG, (function, value)
        assert result.diagnosis, (function, value)
        selfcheck.describe(result)  # formats without error


# --- 3. names the mistake --------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_results(reference):
    found = []
    for function, label, fn, fragment in corpus.corpus(reference):
        fn.__name__ = function
        found.append((label, fragment, selfcheck.diagnose(fn, limit=5)))
    return found


def test_generic_message_share_on_the_corpus_is_at_most_15_percent(corpus_results):
    generic = [label for label, _, r in corpus_results if r.diagnosis == selfcheck.GENERIC]
    assert len(generic) <= 0.15 * len(corpus_results), generic


def test_each_corpus_mistake_is_wrong_and_named_by_its_cause(corpus_results):
    missed = [
        (label, r.status, r.diagnosis)
        for label, fragment, r in corpus_results
        if r.status != WRONG or fragment not in r.diagnosis
    ]
    assert not missed


# --- 4. shows what ran -----------------------------------------------------------------------


def test_structure_errors_have_no_tolerance_and_no_doubled_punctuation():
    def update_parameters_with_adam(parameters, grads, v, s, t, **kwargs):
        return parameters, v, s, v, s

    text = selfcheck.describe(selfcheck.diagnose(update_parameters_with_adam))
    assert "DLS" in text and "tolerance" not in text
    assert "?." not in text and ": ." not in text

    def update_parameters_with_gd(parameters, grads, learning_rate):
        raise AssertionError()  # a failed bare assert, as the learner sees it

    text = selfcheck.describe(selfcheck.diagnose(update_parameters_with_gd))
    assert "it raised AssertionError." in text


def test_tolerance_is_shown_only_beside_a_numeric_difference():
    def update_parameters_with_gd(parameters, grads, learning_rate):
        return dict.fromkeys(parameters)

    text = selfcheck.describe(selfcheck.diagnose(update_parameters_with_gd))
    assert "is None, expected an array" in text and "tolerance" not in text


def test_the_reproduce_line_runs_the_reported_case():
    def update_parameters_with_gd(parameters, grads, learning_rate):
        return {k: v - 2 * learning_rate * grads["d" + k] for k, v in parameters.items()}

    result = selfcheck.diagnose(update_parameters_with_gd)
    scope = {"cases": cases, "update_parameters_with_gd": update_parameters_with_gd}
    exec(result.reproduce, scope)
    assert scope["case"].name == result.case
    assert "3 layers (4→3→2→1)" in selfcheck.describe(result) or result.case != "three layers"


# --- 5. hints --------------------------------------------------------------------------------


@pytest.mark.parametrize("function", list(cases.VISIBLE))
def test_every_graded_function_has_graduated_hints_without_solution_code(function):
    found = expected.load_all()[function].hints
    assert len(found) >= 2
    lines = [line for path in SOLUTIONS for line in solution_lines(path)]
    assert not [line for line in lines for h in found if line in h]


def test_hint_prints_the_requested_level(capsys):
    hints.hint("update_parameters_with_adam", 2)
    out = capsys.readouterr().out
    assert out.startswith("Hint 2 of 3 for update_parameters_with_adam:")
    assert "hint(update_parameters_with_adam, 3)" in out


def test_two_failed_checks_suggest_a_hint(capsys):
    def update_parameters_with_gd(parameters, grads, learning_rate):
        return {k: v + learning_rate * grads["d" + k] for k, v in parameters.items()}

    selfcheck.check(update_parameters_with_gd)
    assert "hint(" not in capsys.readouterr().out
    selfcheck.check(update_parameters_with_gd)
    assert capsys.readouterr().out.rstrip().endswith("try hint(update_parameters_with_gd)")


# --- 6. progress -----------------------------------------------------------------------------


def test_progress_lists_each_function_with_its_status_and_points(reference, capsys):
    def initialize_velocity(parameters):
        raise NotImplementedError()

    update_parameters_with_momentum = reference["update_parameters_with_momentum"]  # noqa: F841
    update_parameters_with_adam = reference["update_parameters_with_adam"]
    model = corpus.with_helper(reference, "update_parameters_with_adam", corpus.adam(out="five"))
    assert initialize_velocity and update_parameters_with_adam and model
    attempts.progress()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "… initialize_velocity: not attempted yet — 1 point"
    assert out[1].startswith("✓ update_parameters_with_momentum: passes its 4 visible checks")
    assert out[2].startswith("… update_parameters_with_rmsprop: not defined yet")
    assert any(line.startswith("✗ model: ") for line in out)
    assert out[-1].startswith("Total: 5 of 17 points")


def test_attempt_turns_a_stub_into_a_friendly_line(capsys):
    def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
        raise NotImplementedError()

    with attempts.attempt(random_mini_batches):
        random_mini_batches(1, 2)
    assert capsys.readouterr().out.startswith("… random_mini_batches: not attempted yet")
    with pytest.raises(ZeroDivisionError), attempts.attempt(gd):
        print(1 / 0)


# --- 7. no solving by delegation -------------------------------------------------------------


def test_delegating_to_the_course_steps_is_flagged_even_when_right():
    def update_parameters_with_gd(parameters, grads, learning_rate):
        return {
            k: steps.gd(v, grads["d" + k], None, learning_rate)[0] for k, v in parameters.items()
        }

    result = selfcheck.diagnose(update_parameters_with_gd)
    assert result.status == WRONG and "descent.steps" in result.diagnosis


def test_delegating_to_a_framework_is_flagged():
    scope = {"torch": types.ModuleType("torch")}
    code = compile(
        "def update_parameters_with_gd(parameters, grads, learning_rate):\n"
        "    torch.optim.SGD\n    return parameters\n",
        "<cell>",
        "exec",
    )
    exec(code, scope)
    assert "torch" in delegation.delegates(scope["update_parameters_with_gd"])


@pytest.mark.parametrize(
    "setup, cell, flagged",
    [
        (
            "from descent import steps",
            "def update_parameters_with_gd(p, g, lr):\n    steps.gd",
            True,
        ),
        ("import tensorflow as tf", "def update_parameters_with_gd(p, g, lr):\n    tf.x", True),
        ("import numpy as np", "def update_parameters_with_gd(p, g, lr):\n    np.x", False),
        ("import tensorflow as tf", "def update_parameters_with_gd(p, g, lr):\n    p", False),
    ],
)
def test_the_grader_sees_delegation_in_the_source(setup, cell, flagged):
    submission = Submission(ROOT / "x.ipynb", cells=[("a", setup), ("b", cell)])
    assert bool(score._delegates("update_parameters_with_gd", submission)) == flagged


def test_solutions_and_stubs_are_not_flagged(reference):
    assert not [f for f, fn in reference.items() if delegation.delegates(fn)]


def test_not_attempted_stays_not_attempted(reference):
    def model(X, Y, layers_dims, optimizer, **kwargs):
        raise NotImplementedError()

    assert selfcheck.diagnose(model).status == NOT_ATTEMPTED
    assert selfcheck.diagnose(reference["model"]).status == CORRECT
