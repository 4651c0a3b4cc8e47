"""Comparisons report the first difference, with a tolerance; encoding round-trips."""

import json

import numpy as np
import pytest

from descent import values
from descent.display import fmt


def test_encode_decode_round_trip():
    value = {
        "W1": np.arange(6.0).reshape(2, 3),
        "pairs": [(np.ones(2), 3)],
        "rate": np.float64(0.5),
    }
    back = values.decode(json.loads(json.dumps(values.encode(value))))
    assert values.difference(back, values.decode(values.encode(value))) is None
    assert back["W1"].dtype == np.float64 and back["rate"] == 0.5


@pytest.mark.parametrize(
    "got, want, text",
    [
        (np.zeros((3, 2)), np.zeros((2, 3)), "result has shape (3, 2), expected (2, 3)"),
        ({"a": 1.0}, {"a": 1.0, "b": 2.0}, "result has keys ['a'], expected ['a', 'b']"),
        ([1.0], (1.0, 2.0), "result has length 1, expected 2"),
        (
            np.array([[1.0, 2.0], [3.0, 4.5]]),
            np.array([[1.0, 2.0], [3.0, 4.0]]),
            "result[1, 1] is 4.5, expected 4",
        ),
        (
            {"W": np.array([1.0, 2.0])},
            {"W": np.array([1.0, 2.1])},
            "result['W'][1] is 2, expected 2.1",
        ),
        ("text", np.zeros(2), "result should be an array of shape (2,), got str"),
        (None, {"a": 1.0}, "result should be a dict, got NoneType"),
    ],
)
def test_difference_names_the_first_mismatch(got, want, text):
    assert values.difference(got, want) == text


def test_tolerance_is_relative_with_a_small_absolute_floor():
    want = np.array([1e6, 1.0, 0.0])
    assert (
        values.difference(want * (1 + 0.5 * values.RTOL) + [0, 0, 0.5 * values.ATOL], want) is None
    )
    assert values.difference(want * (1 + 10 * values.RTOL), want) is not None
    assert values.difference(np.array([0.0, 0.0, 1e-6]), np.zeros(3)) is not None


def test_fixed_format_printing_is_independent_of_numpy_scalar_repr():
    assert fmt(np.float64(0.1)) == "0.10000000"
    assert fmt({"b": np.array([[1.0], [-0.5]])}) == "b =\n[[ 1.00000000]\n [-0.50000000]]"
