"""Typical wrong implementations of the graded functions (instructors only).

Their outputs on the visible cases are recorded next to the expected outputs, so that the
learner's self-check can name a mistake without shipping any implementation. Each entry is
``(key, message, wrong_function)``; messages complete "Diagnosis: ...".
"""

import numpy as np


def _gd(sign: float, use_rate: bool = True, update_b: bool = True, last: int = 0):
    def wrong(parameters, grads, learning_rate):
        parameters = dict(parameters)
        rate = learning_rate if use_rate else 1.0
        for l in range(1, len(parameters) // 2 + 1 - last):
            parameters[f"W{l}"] = parameters[f"W{l}"] + sign * rate * grads[f"dW{l}"]
            if update_b:
                parameters[f"b{l}"] = parameters[f"b{l}"] + sign * rate * grads[f"db{l}"]
        return parameters

    return wrong


def _difference(forward: bool = False, scale=lambda diff, h: diff / (2 * h)):
    def wrong(f, x, h=1e-5):
        grad = np.zeros_like(x, dtype=float)
        for i in np.ndindex(x.shape):
            step = np.zeros_like(x, dtype=float)
            step[i] = h
            low = f(x) if forward else f(x - step)
            grad[i] = scale(f(x + step) - low, h)
        return grad

    return wrong


MISTAKES = {
    "update_parameters_with_gd": [
        (
            "added_gradient",
            "looks like you added the gradient instead of subtracting it; "
            "gradient descent moves against the gradient",
            _gd(+1.0),
        ),
        (
            "no_learning_rate",
            "the step ignores the learning rate: scale each gradient by learning_rate",
            _gd(-1.0, use_rate=False),
        ),
        (
            "biases_unchanged",
            "the biases b did not change: update every b as well as every W",
            _gd(-1.0, update_b=False),
        ),
        (
            "last_layer_skipped",
            "the last layer was not updated: the loop must visit layers 1 to L inclusive",
            _gd(-1.0, last=1),
        ),
    ],
    "numerical_gradient": [
        (
            "forward_difference",
            "this is the one-sided difference (f(x+h) - f(x)) / h; the "
            "centred difference uses f(x+h) and f(x-h)",
            _difference(forward=True, scale=lambda d, h: d / h),
        ),
        (
            "divided_by_h",
            "the result is twice too large: the two points are 2h apart",
            _difference(scale=lambda d, h: d / h),
        ),
        (
            "precedence",
            "the result is far too small: `/ 2 * h` divides by 2 and then "
            "multiplies by h; put 2 * h in parentheses",
            _difference(scale=lambda d, h: d / 2 * h),
        ),
    ],
}
