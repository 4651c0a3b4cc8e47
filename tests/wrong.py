"""Learner-style wrong implementations, one per recorded mistake.

Written independently of the instructors' table in solutions/mistakes.py (different code,
same mistake), so that the self-check is tested on code it has not seen.
"""

import math

import numpy as np

from descent import network
from tests import corpus

# --- update_parameters_with_gd --------------------------------------------------------------


def gd_added(parameters, grads, learning_rate):
    return {k: v + learning_rate * grads["d" + k] for k, v in parameters.items()}


def gd_no_rate(parameters, grads, learning_rate):
    return {k: v - grads["d" + k] for k, v in parameters.items()}


def gd_weights_only(parameters, grads, learning_rate):
    return {
        k: v - learning_rate * grads["d" + k] if k[0] == "W" else v for k, v in parameters.items()
    }


def gd_off_by_one(parameters, grads, learning_rate):
    parameters = dict(parameters)
    for l in range(1, len(parameters) // 2):
        for p in "Wb":
            parameters[f"{p}{l}"] = parameters[f"{p}{l}"] - learning_rate * grads[f"d{p}{l}"]
    return parameters


# --- numerical_gradient ------------------------------------------------------------------


def ng_formula(combine):
    def numerical_gradient(f, x, h=1e-5):
        grad = np.zeros(x.shape)
        for i in np.ndindex(x.shape):
            up, down = x.copy(), x.copy()
            up[i] += h
            down[i] -= h
            grad[i] = combine(f(up), f(down), f(x), h)
        return grad

    return numerical_gradient


# --- momentum -----------------------------------------------------------------------------


def momentum_rule(velocity, move=lambda p, v_old, v_new, lr: p - lr * v_new):
    """A per-key momentum update built from a (possibly wrong) velocity and move rule."""

    def update_parameters_with_momentum(parameters, grads, v, beta, learning_rate):
        new_p, new_v = {}, {}
        for name in parameters:
            g = "d" + name
            new_v[g] = velocity(v[g], grads[g], beta, learning_rate)
            new_p[name] = move(parameters[name], v[g], new_v[g], learning_rate)
        return new_p, new_v

    return update_parameters_with_momentum


MOMENTUM = {
    "beta_swapped": momentum_rule(lambda v, g, b, lr: b * g + (1 - b) * v),
    "no_one_minus_beta": momentum_rule(lambda v, g, b, lr: b * v + g),
    "heavy_ball": momentum_rule(
        lambda v, g, b, lr: b * v + lr * g, move=lambda p, v_old, v_new, lr: p - v_new
    ),
    "update_before_velocity": momentum_rule(
        lambda v, g, b, lr: b * v + (1 - b) * g, move=lambda p, v_old, v_new, lr: p - lr * v_old
    ),
    "shared_state": None,  # below: a loop that reads W's fresh velocity for b
}


def momentum_shared_state(parameters, grads, v, beta, learning_rate):
    L = len(parameters) // 2
    for l in range(1, L + 1):
        v["dW" + str(l)] = beta * v["dW" + str(l)] + (1 - beta) * grads["dW" + str(l)]
        v["db" + str(l)] = beta * v["dW" + str(l)] + (1 - beta) * grads["db" + str(l)]
        parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * v["dW" + str(l)]
        parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * v["db" + str(l)]
    return parameters, v


MOMENTUM["shared_state"] = momentum_shared_state


# --- RMSprop --------------------------------------------------------------------------------


def rmsprop_rule(average, step):
    def update_parameters_with_rmsprop(
        parameters, grads, s, learning_rate=0.01, rho=0.9, epsilon=1e-8
    ):
        new_p, new_s = {}, {}
        for name in parameters:
            g = grads["d" + name]
            new_s["d" + name] = average(s["d" + name], g, rho)
            new_p[name] = parameters[name] - learning_rate * step(g, new_s["d" + name], epsilon)
        return new_p, new_s

    return update_parameters_with_rmsprop


def _avg(s, g, rho):
    return rho * s + (1 - rho) * np.square(g)


def _div(g, s, eps):
    return g / (np.sqrt(s) + eps)


RMSPROP = {
    "squared_forgotten": rmsprop_rule(lambda s, g, rho: rho * s + (1 - rho) * g, _div),
    "rho_swapped": rmsprop_rule(lambda s, g, rho: (1 - rho) * s + rho * g * g, _div),
    "epsilon_inside": rmsprop_rule(_avg, lambda g, s, eps: g / np.sqrt(s + eps)),
    "sqrt_forgotten": rmsprop_rule(_avg, lambda g, s, eps: g / (s + eps)),
}


# --- Adam ------------------------------------------------------------------------------------


def adam_rule(mistake):
    """An Adam update written learner-style, with one named mistake."""

    def update_parameters_with_adam(
        parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8
    ):
        P, V, S = dict(parameters), dict(v), dict(s)
        for name in parameters:
            k, g = "d" + name, grads["d" + name]
            old_v, old_s = V[k], S[k]
            if mistake == "beta_swapped":
                V[k] = beta1 * g + (1 - beta1) * old_v
            else:
                V[k] = beta1 * old_v + (1 - beta1) * g
            S[k] = beta2 * old_s + (1 - beta2) * (g if mistake == "squared_forgotten" else g * g)
            first, second = (old_v, old_s) if mistake == "update_before_moments" else (V[k], S[k])
            tt = t + 1 if mistake == "t_off_by_one" else t
            if mistake != "no_bias_correction":
                first, second = first / (1 - beta1**tt), second / (1 - beta2**tt)
            if mistake == "epsilon_inside":
                P[name] = P[name] - learning_rate * first / np.sqrt(second + epsilon)
            elif mistake == "epsilon_on_parameter":
                P[name] = P[name] - learning_rate * first / np.sqrt(second) + epsilon
            elif mistake == "sqrt_forgotten":
                P[name] = P[name] - learning_rate * first / (second + epsilon)
            else:
                P[name] = P[name] - learning_rate * first / (np.sqrt(second) + epsilon)
            if mistake == "corrected_stored":
                V[k], S[k] = first, second
        return P, V, S

    return update_parameters_with_adam


ADAM_KEYS = [
    "no_bias_correction",
    "t_off_by_one",
    "beta_swapped",
    "squared_forgotten",
    "epsilon_inside",
    "epsilon_on_parameter",
    "sqrt_forgotten",
    "corrected_stored",
    "update_before_moments",
]
ADAM = {key: adam_rule(key) for key in ADAM_KEYS} | {
    "correction_without_t": corpus.adam(lambda b, t: 1 - b, lambda b, t: 1 - b),
    "beta_times_t": corpus.adam(lambda b, t: 1 - b * t, lambda b, t: 1 - b * t),
    "beta1_for_both": corpus.adam(second_beta="beta1"),
    "s_uncorrected": corpus.adam(divide_by_uncorrected_s=True),
}


# --- AdamW -----------------------------------------------------------------------------------


def adamw_rule(mistake):
    """An AdamW update written learner-style, one parameter at a time, with one mistake."""

    def update_parameters_with_adamw(
        parameters,
        grads,
        v,
        s,
        t,
        learning_rate=0.01,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-8,
        weight_decay=0.01,
    ):
        P, V, S = {}, {}, {}
        for name, w in parameters.items():
            k = "d" + name
            decay = weight_decay if name[0] == "W" or mistake == "biases_decayed" else 0.0
            if mistake == "no_decay":
                decay = 0.0
            g = grads[k] + decay * w if mistake == "l2_penalty" else grads[k]
            V[k] = beta1 * v[k] + (1 - beta1) * g
            S[k] = beta2 * s[k] + (1 - beta2) * np.square(g)
            m_hat, s_hat = V[k] / (1 - beta1**t), S[k] / (1 - beta2**t)
            root = np.sqrt(s_hat) + epsilon
            if mistake == "l2_penalty":
                decay = 0.0  # already inside the gradient
            if mistake == "decay_divided":
                P[name] = w - learning_rate * (m_hat + decay * w) / root
            elif mistake == "decay_without_learning_rate":
                P[name] = (1 - decay) * w - learning_rate * m_hat / root
            elif mistake == "decay_after_step":
                P[name] = (w - learning_rate * m_hat / root) * (1 - learning_rate * decay)
            else:
                P[name] = w * (1 - learning_rate * decay) - learning_rate * m_hat / root
        return P, V, S

    return update_parameters_with_adamw


ADAMW_KEYS = [
    "l2_penalty",
    "decay_divided",
    "biases_decayed",
    "decay_without_learning_rate",
    "decay_after_step",
    "no_decay",
]


def adamw_on(adam):
    """AdamW written as a call of the learner's (wrong) Adam, then the decay of each W."""

    def update_parameters_with_adamw(
        parameters,
        grads,
        v,
        s,
        t,
        learning_rate=0.01,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-8,
        weight_decay=0.01,
    ):
        moved, v, s = adam(parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon)
        decayed = {
            k: moved[k] - learning_rate * weight_decay * w if k.startswith("W") else moved[k]
            for k, w in parameters.items()
        }
        return decayed, v, s

    return update_parameters_with_adamw


# --- warmup_cosine_lr ------------------------------------------------------------------------


def warmup_then(cosine, warm=lambda step, base, n: base * step / n):
    """A warm-up cosine schedule from a (possibly wrong) warm-up and decay rule."""

    def warmup_cosine_lr(step, base_lr, warmup_steps, total_steps, final_lr=0.0):
        if step < warmup_steps:
            return warm(step, base_lr, warmup_steps)
        return cosine(step, base_lr, warmup_steps, total_steps, final_lr)

    return warmup_cosine_lr


def _cosine(fraction, angle=math.pi, floor=lambda base, final: final):
    def rule(step, base, warm, total, final):
        low = floor(base, final)
        return low + (base - low) * (1 + math.cos(angle * fraction(step, warm, total))) / 2

    return rule


def _after_warmup(step, warm, total):
    return min(1.0, (step - warm) / (total - warm))


WARMUP_COSINE = {
    "warmup_one_ahead": warmup_then(
        _cosine(_after_warmup), warm=lambda step, base, n: base * (step + 1) / n
    ),
    "cosine_over_whole_run": warmup_then(_cosine(lambda k, w, n: min(k, n) / n)),
    "degrees": warmup_then(_cosine(_after_warmup, angle=180)),
    "no_clamp": warmup_then(_cosine(lambda k, w, n: (k - w) / (n - w))),
    "final_lr_ignored": warmup_then(_cosine(_after_warmup, floor=lambda base, final: 0.0)),
    "final_lr_as_fraction": warmup_then(
        _cosine(_after_warmup, floor=lambda base, final: final * base)
    ),
    "decay_steps_after_warmup": warmup_then(
        _cosine(lambda k, w, n: min(1.0, (k - w) / n))  # Keras' decay_steps = total_steps
    ),
    "integer_division_warmup": warmup_then(
        _cosine(_after_warmup), warm=lambda step, base, n: base * (step // n)
    ),
    "integer_division_decay": warmup_then(_cosine(lambda k, w, n: min(1, (k - w) // (n - w)))),
}


def warmup_from_final(step, base_lr, warmup_steps, total_steps, final_lr=0.0):
    """Rises from final_lr (not 0) to base_lr, then the right cosine."""
    if step < warmup_steps:
        return final_lr + (base_lr - final_lr) * step / warmup_steps
    fraction = _after_warmup(step, warmup_steps, total_steps)
    return final_lr + (base_lr - final_lr) * (1 + math.cos(math.pi * fraction)) / 2


WARMUP_COSINE["warmup_from_final_lr"] = warmup_from_final


# --- schedule_lr_decay ---------------------------------------------------------------------


def schedule_without_floor(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 / (1 + decay_rate * epoch_num / time_interval)


def schedule_per_epoch(learning_rate0, epoch_num, decay_rate, time_interval=1000):
    return learning_rate0 * 1 / (1 + decay_rate * epoch_num)


# --- model ------------------------------------------------------------------------------------


def model_rule(mistake, reference):
    """A training loop with one mistake, calling the (correct) reference updates."""

    def model(
        X,
        Y,
        layers_dims,
        optimizer,
        learning_rate=0.0007,
        mini_batch_size=64,
        beta=0.9,
        beta1=0.9,
        beta2=0.999,
        epsilon=1e-8,
        num_epochs=5000,
        print_cost=True,
        decay=None,
        decay_rate=1,
    ):
        parameters = network.initialize_parameters(layers_dims)
        rate, step, costs = learning_rate, 0, []
        v, s = reference["initialize_adam"](parameters)
        for epoch in range(num_epochs):
            if mistake == "t_per_epoch":
                step = epoch + 1
            seed = 0 if mistake == "same_shuffle" else epoch
            for bx, by in network.shuffled_batches(X, Y, mini_batch_size, seed):
                out, caches = network.forward_propagation(bx, parameters)
                grads = network.backward_propagation(out, by, caches, parameters)
                if optimizer == "adam":
                    if mistake not in ("t_from_zero", "t_per_epoch"):
                        step = step + 1
                    parameters, v, s = reference["update_parameters_with_adam"](
                        parameters, grads, v, s, step, rate, beta1, beta2, epsilon
                    )
                    if mistake == "t_from_zero":
                        step = step + 1
                else:
                    parameters, v = reference["update_parameters_with_momentum"](
                        parameters, grads, v, beta if optimizer == "momentum" else 0, rate
                    )
            if decay:
                rate = decay(
                    rate if mistake == "decay_compounded" else learning_rate, epoch, decay_rate
                )
            costs.append(network.compute_cost(network.forward_propagation(X, parameters)[0], Y))
        return parameters, costs

    return model


MODEL_KEYS = ["t_from_zero", "t_per_epoch", "same_shuffle", "decay_compounded"]

# --- MyAdam (the capstone's Keras optimizer) --------------------------------------------------


def keras_adam(mistake: str):
    """A learner's Keras optimizer, written from scratch, with one mistake."""
    import keras
    from keras import ops

    class MyAdam(keras.optimizers.Optimizer):
        def __init__(
            self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, name="mine", **kw
        ):
            super().__init__(learning_rate=learning_rate, name=name, **kw)
            self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon

        def build(self, var_list):
            if self.built:
                return
            super().build(var_list)
            self.ms = [self.add_variable_from_reference(w, "m") for w in var_list]
            self.vs = [self.add_variable_from_reference(w, "v") for w in var_list]

        def update_step(self, gradient, variable, learning_rate):
            dtype = variable.dtype
            g = ops.cast(gradient, dtype)
            k = self._get_variable_index(variable)
            t = ops.cast(
                self.iterations if mistake == "t_from_zero" else self.iterations + 1, dtype
            )
            b1, b2 = self.beta_1, self.beta_2
            m = b1 * self.ms[k] + (1 - b1) * g
            v = b2 * self.vs[k] + (1 - b2) * g * g
            if mistake != "moments_not_stored":
                self.ms[k].assign(m)
                self.vs[k].assign(v)
            first = 1 - ops.power(ops.cast(self.beta_1, dtype), t)
            second = 1 - ops.power(ops.cast(self.beta_2, dtype), t)
            lr = ops.cast(learning_rate, dtype)
            if mistake == "algorithm1_form":
                change = lr * (m / first) / (ops.sqrt(v / second) + self.epsilon)
            elif mistake == "epsilon_inside":
                change = lr * ops.sqrt(second) / first * m / ops.sqrt(v + self.epsilon)
            elif mistake == "no_bias_correction":
                change = lr * m / (ops.sqrt(v) + self.epsilon)
            else:
                change = lr * ops.sqrt(second) / first * m / (ops.sqrt(v) + self.epsilon)
            variable.assign(variable - change)

        def get_config(self):
            config = super().get_config()
            if mistake != "config_forgets_settings":
                config |= {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
            return config

    return MyAdam


ADAM_CLASS_KEYS = [
    "algorithm1_form",
    "epsilon_inside",
    "no_bias_correction",
    "t_from_zero",
    "moments_not_stored",
    "config_forgets_settings",
]


def table(reference: dict) -> dict:
    """Every wrong implementation, by graded function and mistake key."""
    return {
        "update_parameters_with_gd": {
            "added_gradient": gd_added,
            "no_learning_rate": gd_no_rate,
            "biases_unchanged": gd_weights_only,
            "last_layer_skipped": gd_off_by_one,
        },
        "numerical_gradient": {
            "forward_difference": ng_formula(lambda up, down, here, h: (up - here) / h),
            "divided_by_h": ng_formula(lambda up, down, here, h: (up - down) / h),
            "precedence": ng_formula(lambda up, down, here, h: (up - down) / 2 * h),
        },
        "update_parameters_with_momentum": MOMENTUM,
        "update_parameters_with_rmsprop": RMSPROP,
        "update_parameters_with_adam": ADAM,
        "update_parameters_with_adamw": {key: adamw_rule(key) for key in ADAMW_KEYS}
        | {key: adamw_on(adam) for key, adam in ADAM.items()},
        "warmup_cosine_lr": WARMUP_COSINE,
        "schedule_lr_decay": {
            "no_floor": schedule_without_floor,
            "interval_ignored": schedule_per_epoch,
            "multiplied": corpus.schedule(lambda a, e, d, i: a * (1 + d * (e // i))),
        },
        "model": {key: model_rule(key, reference) for key in MODEL_KEYS}
        | {
            key: corpus.model_loop(reference, key)
            for key in ("state_reset", "decay_at_start", "gd_momentum")
        },
        "MyAdam": {key: keras_adam(key) for key in ADAM_CLASS_KEYS},
    }
