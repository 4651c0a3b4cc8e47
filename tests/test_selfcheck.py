"""The self-check: each diagnosis is triggered by a deliberately wrong implementation.

The wrong implementations here are written independently of the instructors' table in
solutions/mistakes.py, the way a learner might write them.
"""

import math

import numpy as np
import pytest

from descent import expected, selfcheck
from descent.model import CORRECT, NOT_ATTEMPTED, WRONG
from tests import wrong
from tests.conftest import SOLUTIONS, solution_lines


def message(function: str, key: str) -> str:
    """The recorded diagnosis message of one mistake."""
    return next(m.message for m in expected.load_all()[function].mistakes if m.key == key)


def assert_diagnosis(fn, diagnosis: str):
    result = selfcheck.diagnose(fn)
    assert result.status == WRONG
    assert result.diagnosis == diagnosis
    return result


@pytest.fixture(scope="module")
def wrong_table(reference) -> dict:
    return wrong.table(reference)


RECORDED = [(f, m.key) for f, e in expected.load_all().items() for m in e.mistakes]


@pytest.mark.parametrize("function, key", RECORDED, ids=[f"{f}-{k}" for f, k in RECORDED])
def test_each_recorded_mistake_is_named(wrong_table, function, key):
    implementation = wrong_table[function][key]
    implementation.__name__ = function
    assert_diagnosis(implementation, message(function, key))


def test_every_wrong_implementation_is_a_recorded_mistake(wrong_table):
    assert sorted(RECORDED) == sorted((f, k) for f, table in wrong_table.items() for k in table)


def test_numerical_gradient_that_forgets_to_restore_x():
    def numerical_gradient(f, x, h=1e-5):
        grad = np.zeros(x.shape)
        for i in np.ndindex(x.shape):
            x[i] += h
            up = f(x)
            x[i] -= 2 * h
            grad[i] = (up - f(x)) / (2 * h)
        return grad

    result = assert_diagnosis(numerical_gradient, selfcheck.INPLACE.format(name="x"))
    assert result.case == "vector"


def test_gd_in_place_update_is_reported_with_the_array_it_changed():
    def update_parameters_with_gd(parameters, grads, learning_rate):
        for key in parameters:
            parameters[key] -= learning_rate * grads["d" + key]
        return parameters

    assert_diagnosis(update_parameters_with_gd, selfcheck.INPLACE.format(name="parameters['W1']"))


def test_momentum_that_scales_the_velocity_in_place():
    def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
        for key in parameters:
            v["d" + key] *= beta
            v["d" + key] += (1 - beta) * grads["d" + key]
            parameters[key] = parameters[key] - learning_rate * v["d" + key]
        return parameters, v

    assert_diagnosis(update_parameters_with_momentum, selfcheck.INPLACE.format(name="v['dW1']"))


def test_adam_states_that_share_a_dictionary():
    def initialize_adam(parameters):
        v = {"d" + k: np.zeros_like(a) for k, a in parameters.items()}
        return v, v

    result = selfcheck.diagnose(initialize_adam)
    assert result.status == WRONG and result.diagnosis.startswith("v and s share")


def test_adam_called_with_t_zero_is_explained(reference):
    adam = reference["update_parameters_with_adam"]

    def update_parameters_with_adam(parameters, grads, v, s, t, **kwargs):
        return adam(parameters, grads, v, s, t - 1, **kwargs)  # treats t as starting at 0

    assert "t is 0" in selfcheck.diagnose(update_parameters_with_adam).diagnosis


# --- random_mini_batches (diagnosed from relations, no recorded outputs) -----------------


def batches_maker(
    shuffle=lambda X, Y, m, seed: (X[:, p := np.random.permutation(m)], Y[:, p]),
    count=lambda m, size: math.ceil(m / size),
    by_rows=False,
):
    def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
        np.random.seed(seed)
        m = X.shape[1]
        sX, sY = shuffle(X, Y, m, seed)
        cut = [
            slice(k * mini_batch_size, (k + 1) * mini_batch_size)
            for k in range(count(m, mini_batch_size))
        ]
        if by_rows:
            return [(sX[s], sY[s]) for s in cut]
        return [(sX[:, s], sY[:, s]) for s in cut]

    return random_mini_batches


def two_permutations(X, Y, m, seed):
    return X[:, np.random.permutation(m)], Y[:, np.random.permutation(m)]


def with_replacement(X, Y, m, seed):
    idx = np.random.randint(0, m, m)
    return X[:, idx], Y[:, idx]


def other_generator(X, Y, m, seed):
    p = np.random.default_rng(seed).permutation(m)
    return X[:, p], Y[:, p]


def uneven_split(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    p = np.random.permutation(X.shape[1])
    parts = np.array_split(p, math.ceil(X.shape[1] / mini_batch_size))
    return [(X[:, q], Y[:, q]) for q in parts]


RELATION_CASES = [
    ("slices rows", batches_maker(by_rows=True), "wrong shape"),
    ("empty last batch", batches_maker(count=lambda m, s: m // s + 1), "empty mini-batch"),
    ("no partial batch", batches_maker(count=lambda m, s: m // s), "is missing"),
    ("uneven split", uneven_split, "should hold mini_batch_size"),
    ("with replacement", batches_maker(shuffle=with_replacement), "exactly once"),
    ("two permutations", batches_maker(shuffle=two_permutations), "different permutation"),
    ("no shuffle", batches_maker(shuffle=lambda X, Y, m, s: (X, Y)), "not shuffled"),
    ("other generator", batches_maker(shuffle=other_generator), "not in the expected order"),
]


@pytest.mark.parametrize(
    "label, wrong, fragment", RELATION_CASES, ids=[c[0] for c in RELATION_CASES]
)
def test_each_mini_batch_mistake_is_named(label, wrong, fragment):
    wrong.__name__ = "random_mini_batches"
    result = selfcheck.diagnose(wrong)
    assert result.status == WRONG
    assert fragment in result.diagnosis


def test_mini_batch_mistakes_get_distinct_diagnoses():
    diagnoses = {selfcheck.diagnose(wrong).diagnosis for _, wrong, _ in RELATION_CASES}
    assert len(diagnoses) == len(RELATION_CASES)


# --- outcomes common to all functions ----------------------------------------------------


def test_not_attempted_is_told_apart(reference):
    def update_parameters_with_gd(parameters, grads, learning_rate):
        raise NotImplementedError()

    assert selfcheck.diagnose(update_parameters_with_gd).status == NOT_ATTEMPTED


def test_solutions_pass(reference):
    for fn in reference.values():
        assert selfcheck.diagnose(fn).status == CORRECT


def test_missing_return_and_exceptions_are_explained():
    def update_parameters_with_gd(parameters, grads, learning_rate):
        parameters = {k: v - learning_rate * grads["d" + k] for k, v in parameters.items()}

    assert "forget the return" in selfcheck.diagnose(update_parameters_with_gd).diagnosis

    def numerical_gradient(f, x, h=1e-5):
        return f(x) / h + "oops"

    assert selfcheck.diagnose(numerical_gradient).diagnosis.startswith("it raised TypeError")


def test_unknown_mistake_shows_where_the_result_differs():
    def update_parameters_with_gd(parameters, grads, learning_rate):
        return {k: v - 0.5 * learning_rate * grads["d" + k] for k, v in parameters.items()}

    result = assert_diagnosis(update_parameters_with_gd, "the result differs from the expected one")
    assert result.detail.startswith("result['W1'][0, 0] is ")


def test_tolerance_accepts_round_off_but_not_real_errors(reference):
    right = reference["numerical_gradient"]

    def numerical_gradient(f, x, h=1e-5):
        return right(f, x, h) * (1 + scale)

    scale = 1e-9
    assert selfcheck.diagnose(numerical_gradient).status == CORRECT
    scale = 1e-4
    assert selfcheck.diagnose(numerical_gradient).status == WRONG


def test_report_never_prints_solution_code(capsys, wrong_table):
    lines = [line for path in SOLUTIONS for line in solution_lines(path)]
    for function, table in wrong_table.items():
        for fn in table.values():
            fn.__name__ = function
            selfcheck.check(fn)
    printed = capsys.readouterr().out
    assert "✗" in printed
    assert not [line for line in lines if line in printed]


def test_report_formats(reference, wrong_table):
    ok = selfcheck.describe(selfcheck.diagnose(reference["random_mini_batches"]))
    assert ok == "✓ random_mini_batches passes all 5 visible checks."
    added = wrong_table["update_parameters_with_gd"]["added_gradient"]
    added.__name__ = "update_parameters_with_gd"
    wrong = selfcheck.describe(selfcheck.diagnose(added))
    lines = wrong.splitlines()
    assert lines[0] == (
        "✗ update_parameters_with_gd is not right yet (case 'two layers'): "
        "0 of 4 visible checks pass."
    )
    assert lines[2] == (
        "  Inputs: parameters: 2 layers (3→2→3), grads: 2 layers (3→2→3), learning_rate=0.01."
    )
    assert lines[3].startswith("  First difference: result['W1'][0, 0] is ")
    assert lines[3].endswith(" (tolerance rtol=1e-06).")
    assert lines[4] == (
        '  To reproduce: case = cases.visible("update_parameters_with_gd")[0]; '
        "update_parameters_with_gd(*case.args, **case.kwargs)"
    )


def test_unknown_function_is_a_clear_error():
    def mystery():
        pass

    with pytest.raises(KeyError, match="knows no graded function named 'mystery'"):
        selfcheck.diagnose(mystery)
