"""A corpus of typical wrong inputs to the graded functions, as learners write them.

Written independently of solutions/mistakes.py and of tests/wrong.py: each entry is
``(function, label, implementation, fragment)``, where ``fragment`` is a piece of the
diagnosis that names the real cause. benchmarks/selfcheck_messages.py measures how many
get only the generic message; tests/test_selfcheck.py checks every fragment.
"""

from __future__ import annotations

import math
import types

import numpy as np

from descent import network

# --- update_parameters_with_gd --------------------------------------------------------------


def gd_locals(parameters, grads, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        W = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]  # noqa: F841
        b = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]  # noqa: F841
    return parameters


def gd_return_in_loop(parameters, grads, learning_rate):
    parameters = dict(parameters)
    L = len(parameters) // 2
    for l in range(1, L + 1):
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads["db" + str(l)]
        return parameters


def gd_range(first, stop):
    def update_parameters_with_gd(parameters, grads, learning_rate):
        parameters = dict(parameters)
        L = len(parameters) // 2
        for l in range(first, stop(L)):
            for p in "Wb":
                parameters[p + str(l)] = (
                    parameters[p + str(l)] - learning_rate * grads["d" + p + str(l)]
                )
        return parameters

    return update_parameters_with_gd


def gd_grads_keys(parameters, grads, learning_rate):
    return {k: v - learning_rate * grads[k] for k, v in parameters.items()}


def gd_rate_squared(parameters, grads, learning_rate):
    return {k: v - learning_rate**2 * grads["d" + k] for k, v in parameters.items()}


def gd_weights_only(parameters, grads, learning_rate):
    out = dict(parameters)
    for k in parameters:
        if k.startswith("W"):
            out[k] = parameters[k] - learning_rate * grads["d" + k]
    return out


def gd_fixed_rate(parameters, grads, learning_rate):
    return {k: v - 0.01 * grads["d" + k] for k, v in parameters.items()}


# --- numerical_gradient ---------------------------------------------------------------------


def ng(combine, h_fixed=None):
    def numerical_gradient(f, x, h=1e-5):
        step = h if h_fixed is None else h_fixed
        grad = np.zeros(x.shape)
        for i in np.ndindex(x.shape):
            up, down = x.copy(), x.copy()
            up[i] += step
            down[i] -= step
            grad[i] = combine(f(up), f(down), f(x), step)
        return grad

    return numerical_gradient


def ng_not_restored(f, x, h=1e-5):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        x[i] = x[i] + h
        plus = f(x)
        x[i] = x[i] - 2 * h
        grad[i] = (plus - f(x)) / (2 * h)
    return grad


def ng_returns_float(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


CENTRED = lambda up, down, here, h: (up - down) / (2 * h)  # noqa: E731

# --- random_mini_batches --------------------------------------------------------------------


def rmb_dls_reshape(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    m = X.shape[1]
    permutation = list(np.random.permutation(m))
    shuffled_X = X[:, permutation]
    shuffled_Y = Y[:, permutation].reshape((1, m))
    batches = []
    for k in range(math.ceil(m / mini_batch_size)):
        part = slice(k * mini_batch_size, (k + 1) * mini_batch_size)
        batches.append((shuffled_X[:, part], shuffled_Y[:, part]))
    return batches


def rmb_builder(shape="tuple", rows=False, count=None, size_fixed=None, seed_call=True):
    def random_mini_batches(X, Y, mini_batch_size=64, seed=0):
        if seed_call:
            np.random.seed(seed)
        size = size_fixed or mini_batch_size
        m = X.shape[1]
        p = np.random.permutation(m)
        sX, sY = X[:, p], Y[:, p]
        n = count(m, size) if count else math.ceil(m / size)
        out = []
        for k in range(n):
            part = slice(k * size, (k + 1) * size)
            bx, by = (sX[part], sY[part]) if rows else (sX[:, part], sY[:, part])
            out.append({"X": bx, "Y": by} if shape == "dict" else (bx, by))
        return out

    return random_mini_batches


def rmb_generator(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    p = np.random.permutation(X.shape[1])
    for k in range(0, X.shape[1], mini_batch_size):
        yield X[:, p[k : k + mini_batch_size]], Y[:, p[k : k + mini_batch_size]]


def rmb_y_unshuffled(X, Y, mini_batch_size=64, seed=0):
    np.random.seed(seed)
    p = np.random.permutation(X.shape[1])
    sX = X[:, p]
    return [
        (sX[:, k : k + mini_batch_size], Y[:, k : k + mini_batch_size])
        for k in range(0, X.shape[1], mini_batch_size)
    ]


# --- initialize_velocity / initialize_adam --------------------------------------------------


def zeros_keyed(key=lambda k: "d" + k, shape=lambda a: a.shape, kind=dict):
    def initialize_velocity(parameters):
        v = {key(k): np.zeros(shape(a)) for k, a in parameters.items()}
        return list(v.values()) if kind is list else v

    return initialize_velocity


def init_range_zero(parameters):
    v = {}
    for l in range(len(parameters) // 2):
        v["dW" + str(l)] = np.zeros(parameters["W" + str(l)].shape)
        v["db" + str(l)] = np.zeros(parameters["b" + str(l)].shape)
    return v


def adam_init_only_v(parameters):
    return {"d" + k: np.zeros_like(a) for k, a in parameters.items()}


def adam_init_same(parameters):
    v = {"d" + k: np.zeros_like(a) for k, a in parameters.items()}
    return v, v


def adam_init_no_d(parameters):
    return (
        {k: np.zeros_like(a) for k, a in parameters.items()},
        {k: np.zeros_like(a) for k, a in parameters.items()},
    )


# --- momentum -------------------------------------------------------------------------------


def momentum(rule="ema", skip_b=False, layers=lambda L: range(1, L + 1), out="pv", lr=None):
    def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
        P, V = dict(parameters), dict(v)
        rate = learning_rate if lr is None else lr
        for l in layers(len(parameters) // 2):
            for p in "W" if skip_b else "Wb":
                k = p + str(l)
                if rule == "ema":
                    V["d" + k] = beta * V["d" + k] + (1 - beta) * grads["d" + k]
                else:  # swapped
                    V["d" + k] = (1 - beta) * V["d" + k] + beta * grads["d" + k]
                P[k] = P[k] - rate * V["d" + k]
        return {"pv": (P, V), "vp": (V, P), "p": P}[out]

    return update_parameters_with_momentum


# --- RMSprop --------------------------------------------------------------------------------


def rmsprop(fixed=None, root=np.sqrt, inside=False, out="ps"):
    fixed = fixed or {}

    def update_parameters_with_rmsprop(
        parameters, grads, s, learning_rate=0.01, rho=0.9, epsilon=1e-8
    ):
        lr, r, eps = (
            fixed.get(n, d) for n, d in [("lr", learning_rate), ("rho", rho), ("eps", epsilon)]
        )
        P, S = dict(parameters), dict(s)
        for k in parameters:
            g = grads["d" + k]
            S["d" + k] = r * S["d" + k] + (1 - r) * g**2
            denominator = root(S["d" + k] + eps) if inside else root(S["d" + k]) + eps
            P[k] = P[k] - lr * g / denominator
        return (P, S) if out == "ps" else (S, P)

    return update_parameters_with_rmsprop


# --- Adam -----------------------------------------------------------------------------------


def adam(
    correction1=lambda b, t: 1 - b**t,
    correction2=lambda b, t: 1 - b**t,
    second_beta=None,
    divide_by_uncorrected_s=False,
    skip_b=False,
    layers=lambda L: range(1, L + 1),
    fixed_lr=None,
    out="pvs",
    t_shift=0,
    inside=False,
):
    def update_parameters_with_adam(
        parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
    ):
        P, V, S = dict(parameters), dict(v), dict(s)
        lr, tt = fixed_lr or learning_rate, t + t_shift
        b2 = beta1 if second_beta == "beta1" else beta2
        v_c, s_c = {}, {}
        for l in layers(len(parameters) // 2):
            for p in "W" if skip_b else "Wb":
                k, g = "d" + p + str(l), grads["d" + p + str(l)]
                V[k] = beta1 * V[k] + (1 - beta1) * g
                S[k] = b2 * S[k] + (1 - b2) * np.square(g)
                v_c[k] = V[k] / correction1(beta1, tt)
                s_c[k] = S[k] / correction2(b2, tt)
                denominator = S[k] if divide_by_uncorrected_s else s_c[k]
                root = np.sqrt(denominator + epsilon) if inside else np.sqrt(denominator) + epsilon
                P[p + str(l)] = P[p + str(l)] - lr * v_c[k] / root
        return {"pvs": (P, V, S), "five": (P, V, S, v_c, s_c), "vsp": (V, S, P)}[out]

    return update_parameters_with_adam


# --- schedule_lr_decay ----------------------------------------------------------------------


def schedule(rule):
    def schedule_lr_decay(learning_rate0, epoch_num, decay_rate, time_interval=1000):
        return rule(learning_rate0, epoch_num, decay_rate, time_interval)

    return schedule_lr_decay


# --- update_parameters_with_adamw -----------------------------------------------------------


def adamw(where="step", decay_b=False, t_shift=0, root_of_sum=False):
    """AdamW over the keys of parameters; ``where`` puts the decay of W: "step" (right),
    "gradient" (an L2 penalty), "inside" (divided by the root), "no_rate" (not times alpha)
    or "none"; ``root_of_sum`` puts epsilon inside the square root."""

    def update_parameters_with_adamw(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9,
                                     beta2=0.999, epsilon=1e-8, weight_decay=0.01):  # fmt: skip
        P, V, S = dict(parameters), dict(v), dict(s)
        tt = t + t_shift
        for key, w in parameters.items():
            lam = weight_decay if (key.startswith("W") or decay_b) and where != "none" else 0
            g = grads["d" + key] + (lam * w if where == "gradient" else 0)
            V["d" + key] = beta1 * v["d" + key] + (1 - beta1) * g
            S["d" + key] = beta2 * s["d" + key] + (1 - beta2) * g**2
            m = V["d" + key] / (1 - beta1**tt)
            s_hat = S["d" + key] / (1 - beta2**tt)
            root = np.sqrt(s_hat + epsilon) if root_of_sum else np.sqrt(s_hat) + epsilon
            if where == "inside":
                P[key] = w - learning_rate * (m + lam * w) / root
            elif where == "no_rate":
                P[key] = w - learning_rate * m / root - lam * w
            elif where == "step":
                P[key] = w - learning_rate * (m / root + lam * w)
            else:
                P[key] = w - learning_rate * m / root
        return P, V, S

    return update_parameters_with_adamw


# --- warmup_cosine_lr -----------------------------------------------------------------------


def warmup_cosine(
    warm_from=0, start="warmup", radians=True, cap=True, floor=True, ramp_low=False, span=None
):
    """A learner's warm-up cosine schedule; each option one way to get it wrong."""

    def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, final_lr=0.0):
        if step < warmup_steps:
            low = final_lr if ramp_low else 0.0  # a ramp up from final_lr?
            return low + (base_lr - low) * (step + warm_from) / warmup_steps
        first = warmup_steps if start == "warmup" else 0
        done = (step - first) / (span(total_steps) if span else total_steps - first)
        done = min(done, 1.0) if cap else done
        angle = math.pi * done if radians else 180 * done  # cos of degrees?
        low = final_lr if floor else 0.0
        return low + (base_lr - low) * (1 + math.cos(angle)) / 2

    return warmup_cosine_lr


def warmup_at_or_before(step, base_lr, warmup_steps, total_steps, final_lr=0.0):
    if step <= warmup_steps:  # the same rate at the peak, but 0 / 0 with no warm-up
        return base_lr * step / warmup_steps
    done = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return final_lr + (base_lr - final_lr) * (1 + math.cos(math.pi * done)) / 2


def warmup_divides_by_zero(step, base_lr, warmup_steps, total_steps, final_lr=0.0):
    ramp = min(1.0, step / warmup_steps)  # fails when there is no warm-up
    done = max(0.0, min(1.0, (step - warmup_steps) / (total_steps - warmup_steps)))
    return ramp * (final_lr + (base_lr - final_lr) * (1 + math.cos(math.pi * done)) / 2)


# --- model ----------------------------------------------------------------------------------


def model_loop(reference, mistake):
    """A training loop with one mistake, calling the (correct) reference updates."""
    adam_step = reference["update_parameters_with_adam"]
    momentum_step = reference["update_parameters_with_momentum"]

    def model(X, Y, layers_dims, optimizer, learning_rate=0.0007, mini_batch_size=64, beta=0.9,
              beta1=0.9, beta2=0.999, epsilon=1e-8, num_epochs=5000, print_cost=True, decay=None,
              decay_rate=1):  # fmt: skip
        parameters = network.initialize_parameters(layers_dims)
        rate, t, costs = learning_rate, 0, []
        v = reference["initialize_velocity"](parameters)
        s = reference["initialize_adam"](parameters)[1]
        for epoch in range(num_epochs):
            if mistake == "state_reset":
                v, s = reference["initialize_adam"](parameters)
            if mistake == "decay_at_start" and decay is not None:
                rate = decay(learning_rate, epoch, decay_rate)
            for bx, by in network.shuffled_batches(X, Y, mini_batch_size, epoch):
                out, caches = network.forward_propagation(bx, parameters)
                grads = network.backward_propagation(out, by, caches, parameters)
                if optimizer == "adam":
                    t += 1
                    parameters, v, s = adam_step(parameters, grads, v, s, t, rate, beta1, beta2,
                                                 epsilon)  # fmt: skip
                else:
                    b = beta if optimizer == "momentum" or mistake == "gd_momentum" else 0.0
                    b = 0.9 if mistake == "beta_fixed" and optimizer == "momentum" else b
                    parameters, v = momentum_step(parameters, grads, v, b, rate)
                if mistake == "cost_per_batch":
                    costs.append(network.compute_cost(out, by))
            if mistake != "decay_at_start" and decay is not None:
                rate = decay(learning_rate, epoch, decay_rate)
            if mistake != "cost_per_batch":
                costs.append(network.compute_cost(network.forward_propagation(X, parameters)[0], Y))
        return parameters, costs

    return model


def with_helper(reference, name, helper):
    """The reference ``model`` reading a different ``name`` (a learner's wrong helper)."""
    right = reference["model"]
    scope = dict(right.__globals__) | {name: helper}
    return types.FunctionType(right.__code__, scope, "model", right.__defaults__)


def model_name_error(X, Y, layers_dims, optimizer, learning_rate=0.0007, **kwargs):
    parameters = network.initialize_parameters(layers_dims)
    return parameters, [compute_costs(parameters)]  # noqa: F821 - the learner's typo


def corpus(reference: dict) -> list[tuple[str, str, object, str]]:
    """Every entry ``(function, label, implementation, fragment of the right diagnosis)``."""
    gd, mo, ad = "update_parameters_with_gd", "update_parameters_with_momentum", None
    ad = "update_parameters_with_adam"
    rm, rb = "update_parameters_with_rmsprop", "random_mini_batches"
    iv, ia, sd, ng_ = "initialize_velocity", "initialize_adam", "schedule_lr_decay", None
    ng_ = "numerical_gradient"
    aw, wc = "update_parameters_with_adamw", "warmup_cosine_lr"
    later = lambda L: range(1, L)  # noqa: E731 - the off-by-one loop
    from_zero = lambda L: range(L)  # noqa: E731
    return [
        (gd, "new values in locals", gd_locals, "unchanged"),
        (gd, "return inside the loop", gd_return_in_loop, "inside the loop"),
        (gd, "range(1, L)", gd_range(1, lambda L: L), "last layer"),
        (gd, "range(L)", gd_range(0, lambda L: L), "numbered from 1"),
        (gd, "grads keys without d", gd_grads_keys, "dW1"),
        (gd, "learning rate squared", gd_rate_squared, "differs"),  # no name for this one
        (gd, "weights only", gd_weights_only, "biases"),
        (gd, "learning rate fixed", gd_fixed_rate, "learning_rate"),
        (
            gd,
            "added",
            lambda parameters, grads, learning_rate: {
                k: a + learning_rate * grads["d" + k] for k, a in parameters.items()
            },
            "subtract",
        ),
        (ng_, "forward difference", ng(lambda u, d, x, h: (u - x) / h), "one-sided"),
        (ng_, "divided by h", ng(lambda u, d, x, h: (u - d) / h), "twice"),
        (ng_, "/ 2 * h", ng(lambda u, d, x, h: (u - d) / 2 * h), "parentheses"),
        (ng_, "x not restored", ng_not_restored, "in place"),
        (ng_, "h fixed", ng(CENTRED, h_fixed=1e-5), "h"),
        (ng_, "one number", ng_returns_float, "float"),
        (rb, "DLS reshape((1, m))", rmb_dls_reshape, "several rows"),
        (rb, "a generator", rmb_generator, "generator"),
        (rb, "list of dicts", rmb_builder(shape="dict"), "tuple"),
        (rb, "rows sliced", rmb_builder(rows=True), "slice columns"),
        (rb, "last batch dropped", rmb_builder(count=lambda m, s: m // s), "is missing"),
        (rb, "no seed", rmb_builder(seed_call=False), "np.random.seed"),
        (rb, "size fixed at 64", rmb_builder(size_fixed=64), "mini_batch_size"),
        (rb, "Y not shuffled", rmb_y_unshuffled, "permutation"),
        (iv, "keys without d", zeros_keyed(key=lambda k: k), "dW1"),
        (iv, "transposed", zeros_keyed(shape=lambda a: a.shape[::-1]), "shape"),
        (iv, "a list", zeros_keyed(kind=list), "dict"),
        (iv, "range(L)", init_range_zero, "numbered from 1"),
        (ia, "one dict", adam_init_only_v, "2 values"),
        (ia, "the same dict twice", adam_init_same, "share"),
        (ia, "keys without d", adam_init_no_d, "dW1"),
        (mo, "beta swapped", momentum(rule="swapped"), "swapped"),
        (mo, "biases skipped", momentum(skip_b=True), "biases"),
        (mo, "last layer skipped", momentum(layers=later), "last layer"),
        (mo, "parameters only", momentum(out="p"), "(parameters, v)"),
        (mo, "wrong order", momentum(out="vp"), "order"),
        (mo, "learning rate fixed", momentum(lr=0.01), "learning_rate"),
        (rm, "rho fixed", rmsprop(fixed={"rho": 0.9}), "rho"),
        (rm, "learning rate fixed", rmsprop(fixed={"lr": 0.01}), "learning_rate"),
        (rm, "epsilon inside", rmsprop(inside=True), "inside the square root"),
        (rm, "no root", rmsprop(root=lambda a: a), "square root"),
        (rm, "wrong order", rmsprop(out="sp"), "order"),
        (ad, "five values (DLS 2021)", adam(out="five"), "DLS"),
        (ad, "1 - beta1 * t", adam(lambda b, t: 1 - b * t, lambda b, t: 1 - b * t), "power"),
        (ad, "1 - beta, no t", adam(lambda b, t: 1 - b, lambda b, t: 1 - b), "beta1^t"),
        (ad, "beta1 for both moments", adam(second_beta="beta1"), "beta2"),
        (ad, "divides by the uncorrected s", adam(divide_by_uncorrected_s=True), "uncorrected s"),
        (ad, "no bias correction", adam(lambda b, t: 1, lambda b, t: 1), "bias correction"),
        (ad, "biases skipped", adam(skip_b=True), "biases"),
        (ad, "last layer skipped", adam(layers=later), "last layer"),
        (ad, "range(L)", adam(layers=from_zero), "numbered from 1"),
        (ad, "learning rate fixed", adam(fixed_lr=0.01), "learning_rate"),
        (ad, "wrong order", adam(out="vsp"), "order"),
        (ad, "epsilon inside", adam(inside=True), "inside the square root"),
        (ad, "t from 0", adam(t_shift=-1), "t is 0"),
        (aw, "L2 through the gradient", adamw(where="gradient"), "L2"),
        (aw, "decay inside the division", adamw(where="inside"), "outside"),
        (aw, "biases decayed", adamw(decay_b=True), "biases were decayed"),
        (aw, "the paper's lambda", adamw(where="no_rate"), "Loshchilov"),
        (aw, "Adam, no decay", adamw(where="none"), "not decayed"),
        (aw, "t from 0", adamw(t_shift=-1), "t is 0"),
        (wc, "step + 1", warmup_cosine(warm_from=1), "one step ahead"),
        (wc, "cosine from step 0", warmup_cosine(start=0), "whole run"),
        (wc, "cos of degrees", warmup_cosine(radians=False), "radians"),
        (wc, "no cap", warmup_cosine(cap=False), "rises again"),
        (wc, "decays to 0", warmup_cosine(floor=False), "not to final_lr"),
        (wc, "divides by warmup_steps", warmup_divides_by_zero, "no warm-up"),
        (wc, "ramp from final_lr", warmup_cosine(ramp_low=True), "from 0"),
        (wc, "Keras' decay_steps", warmup_cosine(span=lambda total: total), "decay_steps"),
        (wc, "step <= warmup_steps", warmup_at_or_before, "no warm-up"),
        (aw, "epsilon in the root", adamw(root_of_sum=True), "inside the square root"),
        (sd, "no floor", schedule(lambda a, e, d, i: a / (1 + d * e / i)), "floor"),
        (sd, "interval ignored", schedule(lambda a, e, d, i: a / (1 + d * e)), "time_interval"),
        (sd, "multiplied", schedule(lambda a, e, d, i: a * (1 + d * (e // i))), "divide"),
        (
            "model",
            "state reset every epoch",
            model_loop(reference, "state_reset"),
            "from zero again",
        ),
        ("model", "decay at the start", model_loop(reference, "decay_at_start"), "end of"),
        ("model", "cost per mini-batch", model_loop(reference, "cost_per_batch"), "per epoch"),
        ("model", "gd with momentum", model_loop(reference, "gd_momentum"), "beta"),
        ("model", "beta fixed", model_loop(reference, "beta_fixed"), "beta"),
        (
            "model",
            "right loop, wrong Adam",
            with_helper(reference, ad, adam(lambda b, t: 1, lambda b, t: 1)),
            "check(update_parameters_with_adam)",
        ),
        ("model", "a NameError", model_name_error, "NameError"),
    ]
