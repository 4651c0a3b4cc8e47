"""Typical wrong implementations of the graded functions (instructors only).

Their outputs on the visible cases are recorded next to the expected outputs, so that the
learner's self-check can name a mistake without shipping any implementation.
:func:`table` maps each graded function to entries ``(key, message, wrong_function)``;
messages complete "Diagnosis: ...". Wrong training loops are built on the reference
helpers, so that only the loop is wrong.
"""

import numpy as np

from descent import network


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


def _layers(parameters):
    return [f"{p}{l}" for l in range(1, len(parameters) // 2 + 1) for p in "Wb"]


def _momentum(kind: str):
    def wrong(parameters, grads, v, beta, learning_rate):
        parameters, v = dict(parameters), dict(v)
        for k in _layers(parameters):
            d, old = f"d{k}", v[f"d{k}"]
            if kind == "beta_swapped":
                v[d] = (1 - beta) * old + beta * grads[d]
            elif kind == "no_one_minus_beta":
                v[d] = beta * old + grads[d]
            elif kind == "heavy_ball":
                v[d] = beta * old + learning_rate * grads[d]
            elif kind == "shared_state":
                source = v[d.replace("db", "dW")]
                v[d] = beta * source + (1 - beta) * grads[d]
            else:
                v[d] = beta * old + (1 - beta) * grads[d]
            step = old if kind == "update_before_velocity" else v[d]
            parameters[k] = parameters[k] - (1 if kind == "heavy_ball" else learning_rate) * step
        return parameters, v

    return wrong


def _rmsprop(kind: str):
    def wrong(parameters, grads, s, learning_rate=0.01, rho=0.9, epsilon=1e-8):
        parameters, s = dict(parameters), dict(s)
        for k in _layers(parameters):
            d, g = f"d{k}", grads[f"d{k}"]
            if kind == "rho_swapped":
                s[d] = (1 - rho) * s[d] + rho * g**2
            else:
                s[d] = rho * s[d] + (1 - rho) * (g if kind == "squared_forgotten" else g**2)
            if kind == "epsilon_inside":
                denominator = np.sqrt(s[d] + epsilon)
            elif kind == "sqrt_forgotten":
                denominator = s[d] + epsilon
            else:
                denominator = np.sqrt(s[d]) + epsilon
            parameters[k] = parameters[k] - learning_rate * g / denominator
        return parameters, s

    return wrong


def _adam_step(kind, w, g, v, s, t, learning_rate, beta1, beta2, epsilon):
    """One wrong Adam step on one array: the new (w, v, s)."""
    if kind == "beta_swapped":
        v_new = (1 - beta1) * v + beta1 * g
    else:
        v_new = beta1 * v + (1 - beta1) * g
    beta2 = beta1 if kind == "beta1_for_both" else beta2
    s_new = beta2 * s + (1 - beta2) * (g if kind == "squared_forgotten" else g**2)
    m, r = (v, s) if kind == "update_before_moments" else (v_new, s_new)
    power = t + 1 if kind == "t_off_by_one" else t
    if kind == "no_bias_correction":
        m_hat, r_hat = m, r
    elif kind == "correction_without_t":
        m_hat, r_hat = m / (1 - beta1), r / (1 - beta2)
    elif kind == "beta_times_t":
        m_hat, r_hat = m / (1 - beta1 * t), r / (1 - beta2 * t)
    elif kind == "s_uncorrected":
        m_hat, r_hat = m / (1 - beta1**t), r
    else:
        m_hat, r_hat = m / (1 - beta1**power), r / (1 - beta2**power)
    if kind == "epsilon_inside":
        w = w - learning_rate * m_hat / np.sqrt(r_hat + epsilon)
    elif kind == "epsilon_on_parameter":
        w = w - learning_rate * m_hat / np.sqrt(r_hat) + epsilon
    elif kind == "sqrt_forgotten":
        w = w - learning_rate * m_hat / (r_hat + epsilon)
    else:
        w = w - learning_rate * m_hat / (np.sqrt(r_hat) + epsilon)
    if kind == "corrected_stored":
        v_new, s_new = v_new / (1 - beta1**t), s_new / (1 - beta2**t)
    return w, v_new, s_new


def _adam(kind: str):
    def wrong(parameters, grads, v, s, t, learning_rate=0.01, beta1=0.9, beta2=0.999, epsilon=1e-8):
        parameters, v, s = dict(parameters), dict(v), dict(s)
        for k in _layers(parameters):
            d = f"d{k}"
            parameters[k], v[d], s[d] = _adam_step(
                kind, parameters[k], grads[d], v[d], s[d], t, learning_rate, beta1, beta2, epsilon
            )
        return parameters, v, s

    return wrong


def _schedule(kind: str):
    def wrong(learning_rate0, epoch_num, decay_rate, time_interval=1000):
        if kind == "multiplied":
            return learning_rate0 * (1 + decay_rate * (epoch_num // time_interval))
        steps = {"no_floor": epoch_num / time_interval, "interval_ignored": epoch_num}[kind]
        return learning_rate0 / (1 + decay_rate * steps)

    return wrong


def _adamw(kind: str):
    """AdamW with one wrong decay; ``kind`` names where the decay went."""

    def wrong(
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
        parameters, v, s = dict(parameters), dict(v), dict(s)
        for k in _layers(parameters):
            d, w = f"d{k}", parameters[k]
            if kind in ADAM_KINDS:  # Adam's part wrong, the decay right
                moved, v[d], s[d] = _adam_step(
                    kind, w, grads[d], v[d], s[d], t, learning_rate, beta1, beta2, epsilon
                )
                decay = learning_rate * weight_decay * w if k.startswith("W") else 0.0
                parameters[k] = moved - decay
                continue
            decayed = k.startswith("W") or kind == "biases_decayed"
            rate = weight_decay if decayed and kind != "no_decay" else 0.0
            g = grads[d] + rate * w if kind == "l2_penalty" else grads[d]
            v[d] = beta1 * v[d] + (1 - beta1) * g
            s[d] = beta2 * s[d] + (1 - beta2) * g**2
            denominator = np.sqrt(s[d] / (1 - beta2**t)) + epsilon
            adam = v[d] / (1 - beta1**t) / denominator
            if kind in ("l2_penalty", "no_decay"):
                parameters[k] = w - learning_rate * adam
            elif kind == "decay_divided":
                parameters[k] = w - learning_rate * (v[d] / (1 - beta1**t) + rate * w) / denominator
            elif kind == "decay_without_learning_rate":
                parameters[k] = w - learning_rate * adam - rate * w
            elif kind == "decay_after_step":
                moved = w - learning_rate * adam
                parameters[k] = moved - learning_rate * rate * moved
            else:
                parameters[k] = w - learning_rate * (adam + rate * w)
        return parameters, v, s

    return wrong


def _warmup_cosine(kind: str):
    """Warm-up then cosine decay, with one mistake named by ``kind``."""

    def wrong(step, base_lr, warmup_steps, total_steps, final_lr=0.0):
        if kind == "warmup_one_ahead" and step < warmup_steps:
            return base_lr * (step + 1) / warmup_steps
        if kind == "warmup_from_final_lr" and step < warmup_steps:
            return final_lr + (base_lr - final_lr) * step / warmup_steps
        if kind == "integer_division_warmup" and step < warmup_steps:
            return base_lr * (step // warmup_steps)
        if step < warmup_steps:
            return base_lr * step / warmup_steps
        start, length = warmup_steps, total_steps - warmup_steps
        if kind == "cosine_over_whole_run":
            start, length = 0, total_steps
        if kind == "decay_steps_after_warmup":
            length = total_steps
        progress = (step - start) / length
        if kind == "integer_division_decay":
            progress = (step - start) // length
        if kind != "no_clamp":
            progress = min(progress, 1.0)
        angle = 180 * progress if kind == "degrees" else np.pi * progress
        low = {"final_lr_ignored": 0.0, "final_lr_as_fraction": final_lr * base_lr}.get(
            kind, final_lr
        )
        return low + (base_lr - low) * 0.5 * (1 + np.cos(angle))

    return wrong


def _model(reference: dict, kind: str):
    """A training loop with one mistake, built on the reference update functions."""

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
        learning_rate0, t, costs = learning_rate, 0, []
        v = reference["initialize_velocity"](parameters)
        if optimizer == "adam":
            v, s = reference["initialize_adam"](parameters)
        for epoch in range(num_epochs):
            seed = 0 if kind == "same_shuffle" else epoch
            t += 1 if kind == "t_per_epoch" else 0
            if kind == "state_reset":
                v = reference["initialize_velocity"](parameters)
                if optimizer == "adam":
                    v, s = reference["initialize_adam"](parameters)
            if kind == "decay_at_start" and decay is not None:
                learning_rate = decay(learning_rate0, epoch, decay_rate)
            for batch_X, batch_Y in network.shuffled_batches(X, Y, mini_batch_size, seed):
                AL, caches = network.forward_propagation(batch_X, parameters)
                grads = network.backward_propagation(AL, batch_Y, caches, parameters)
                if optimizer == "adam":
                    t += 1 if kind not in ("t_from_zero", "t_per_epoch") else 0
                    parameters, v, s = reference["update_parameters_with_adam"](
                        parameters, grads, v, s, t, learning_rate, beta1, beta2, epsilon
                    )
                    t += 1 if kind == "t_from_zero" else 0
                else:
                    b = beta if optimizer == "momentum" or kind == "gd_momentum" else 0.0
                    parameters, v = reference["update_parameters_with_momentum"](
                        parameters, grads, v, b, learning_rate
                    )
            if decay is not None and kind != "decay_at_start":
                base = learning_rate if kind == "decay_compounded" else learning_rate0
                learning_rate = decay(base, epoch, decay_rate)
            costs.append(network.compute_cost(network.forward_propagation(X, parameters)[0], Y))
        return parameters, costs

    return model


def _wrong_adam(reference_class, mistake: str):
    """The reference Keras optimizer with one thing wrong in its step (``mistake``)."""
    from keras import ops

    class MyAdam(reference_class):
        def update_step(self, gradient, variable, learning_rate):
            dtype = variable.dtype
            lr, g = ops.cast(learning_rate, dtype), ops.cast(gradient, dtype)
            i = self._get_variable_index(variable)
            taken = self.iterations  # steps already taken: t should be taken + 1
            t = ops.cast(taken if mistake == "t_from_zero" else taken + 1, dtype)
            b1, b2 = ops.cast(self.beta_1, dtype), ops.cast(self.beta_2, dtype)
            m0, v0 = self.first_moments[i], self.second_moments[i]
            m = m0 + (g - m0) * (1 - self.beta_1)
            v = v0 + (ops.square(g) - v0) * (1 - self.beta_2)
            if mistake != "moments_not_stored":
                self.assign(self.first_moments[i], m)
                self.assign(self.second_moments[i], v)
            c1, c2 = 1 - ops.power(b1, t), 1 - ops.power(b2, t)
            if mistake == "algorithm1_form":
                step = lr * (m / c1) / (ops.sqrt(v / c2) + self.epsilon)
            elif mistake == "epsilon_inside":
                step = lr * ops.sqrt(c2) / c1 * m / ops.sqrt(v + self.epsilon)
            elif mistake == "no_bias_correction":
                step = lr * m / (ops.sqrt(v) + self.epsilon)
            else:
                step = lr * ops.sqrt(c2) / c1 * m / (ops.sqrt(v) + self.epsilon)
            self.assign_sub(variable, step)

    return MyAdam


def _config_forgets(reference_class):
    """The reference Keras optimizer whose get_config leaves out its own settings."""
    import keras

    class MyAdam(reference_class):
        def get_config(self):
            return keras.optimizers.Optimizer.get_config(self)

    return MyAdam


def _my_adam(reference_class) -> list:
    wrong = [
        (
            "algorithm1_form",
            "it computes Algorithm 1 of Kingma & Ba (epsilon added to the root of the "
            "bias-corrected second moment): that is Adam, but not Keras' form, and the two "
            "differ when gradients are tiny. Put both corrections into the step size, "
            "alpha_t = alpha * sqrt(1 - beta_2^t) / (1 - beta_1^t), and add epsilon to "
            "sqrt(v) of the uncorrected v",
        ),
        (
            "epsilon_inside",
            "epsilon is inside the square root: divide by ops.sqrt(v) + epsilon",
        ),
        (
            "no_bias_correction",
            "the bias corrections are missing: the step size must be "
            "alpha * sqrt(1 - beta_2^t) / (1 - beta_1^t)",
        ),
        (
            "t_from_zero",
            "t is 0 at the first step, so 1 - beta_1^t is 0: self.iterations counts the "
            "steps already taken, so t = self.iterations + 1",
        ),
        (
            "moments_not_stored",
            "the moments never change between steps: store them with self.assign(m, ...); "
            "a Python assignment only names a new tensor",
        ),
    ]
    return [(key, message, _wrong_adam(reference_class, key)) for key, message in wrong] + [
        (
            "config_forgets_settings",
            "get_config leaves out beta_1, beta_2 and epsilon, so the optimizer rebuilt "
            "by from_config (as Keras does when it loads a model) has the default settings",
            _config_forgets(reference_class),
        )
    ]


def table(reference: dict) -> dict:
    """Typical mistakes per graded function; ``reference`` holds the solution functions."""
    found = {"MyAdam": _my_adam(reference["MyAdam"])} if "MyAdam" in reference else {}
    return (
        found
        | MISTAKES
        | {
            "model": [
                (
                    "t_from_zero",
                    "t was still 0 at the first Adam update: increment t before "
                    "calling update_parameters_with_adam",
                    _model(reference, "t_from_zero"),
                ),
                (
                    "t_per_epoch",
                    "t counts epochs instead of updates: increment it once per "
                    "mini-batch, right before each Adam update",
                    _model(reference, "t_per_epoch"),
                ),
                (
                    "same_shuffle",
                    "every epoch uses the same shuffle: pass a seed that changes with the epoch",
                    _model(reference, "same_shuffle"),
                ),
                (
                    "state_reset",
                    "the optimizer's state (v, s) starts from zero again every epoch: "
                    "initialize it once, before the loop over epochs",
                    _model(reference, "state_reset"),
                ),
                (
                    "decay_at_start",
                    "the decayed rate was used during the epoch it is computed for: call "
                    "decay at the end of each epoch, after its mini-batches",
                    _model(reference, "decay_at_start"),
                ),
                (
                    "gd_momentum",
                    "optimizer 'gd' ran with momentum: plain gradient descent uses beta = 0 "
                    "(or update_parameters_with_gd), only 'momentum' uses beta",
                    _model(reference, "gd_momentum"),
                ),
                (
                    "decay_compounded",
                    "the decay is applied to the already decayed rate: compute it "
                    "from learning_rate0 each epoch",
                    _model(reference, "decay_compounded"),
                ),
            ],
        }
    )


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
    "update_parameters_with_momentum": [
        (
            "beta_swapped",
            "beta and 1 - beta are swapped: the old velocity is weighted by beta, "
            "the new gradient by 1 - beta",
            _momentum("beta_swapped"),
        ),
        (
            "no_one_minus_beta",
            "the gradient is not multiplied by (1 - beta): the EMA form is "
            "v = beta v + (1 - beta) dW",
            _momentum("no_one_minus_beta"),
        ),
        (
            "heavy_ball",
            "this is the heavy-ball form v = beta v + alpha dW, W -= v; the exercise "
            "asks for the EMA form, where alpha multiplies v",
            _momentum("heavy_ball"),
        ),
        (
            "update_before_velocity",
            "the parameters moved with the old velocity: update v first, then use the new v",
            _momentum("update_before_velocity"),
        ),
        (
            "shared_state",
            "b's velocity was computed from W's velocity: each parameter needs "
            "its own entry (v['dW1'] for W1, v['db1'] for b1)",
            _momentum("shared_state"),
        ),
    ],
    "update_parameters_with_rmsprop": [
        (
            "squared_forgotten",
            "the average uses the gradient, not its square",
            _rmsprop("squared_forgotten"),
        ),
        (
            "rho_swapped",
            "rho and 1 - rho are swapped: the old average is weighted by rho",
            _rmsprop("rho_swapped"),
        ),
        (
            "epsilon_inside",
            "epsilon is inside the square root: the course divides by sqrt(s) + epsilon",
            _rmsprop("epsilon_inside"),
        ),
        (
            "sqrt_forgotten",
            "the step divides by s, not by its square root",
            _rmsprop("sqrt_forgotten"),
        ),
    ],
    "update_parameters_with_adam": [
        (
            "no_bias_correction",
            "the bias correction is missing: divide v by 1 - beta1^t and s "
            "by 1 - beta2^t before the step",
            _adam("no_bias_correction"),
        ),
        (
            "t_off_by_one",
            "the bias correction uses the wrong power: with t starting at 1, "
            "divide by 1 - beta^t, not 1 - beta^(t+1)",
            _adam("t_off_by_one"),
        ),
        (
            "beta_swapped",
            "beta1 and 1 - beta1 are swapped in the first moment",
            _adam("beta_swapped"),
        ),
        (
            "squared_forgotten",
            "the second moment averages the gradient, not its square",
            _adam("squared_forgotten"),
        ),
        (
            "epsilon_inside",
            "epsilon is inside the square root: Kingma & Ba divide by "
            "sqrt(s_corrected) + epsilon (the difference shows for tiny gradients)",
            _adam("epsilon_inside"),
        ),
        (
            "epsilon_on_parameter",
            "epsilon was added to the parameter instead of the denominator",
            _adam("epsilon_on_parameter"),
        ),
        (
            "sqrt_forgotten",
            "the step divides by s_corrected, not by its square root",
            _adam("sqrt_forgotten"),
        ),
        (
            "corrected_stored",
            "the bias-corrected moments were stored in v and s: keep the "
            "uncorrected averages as the state",
            _adam("corrected_stored"),
        ),
        (
            "correction_without_t",
            "the bias correction leaves out t: divide by 1 - beta1^t and 1 - beta2^t "
            "(powers of beta), not by 1 - beta1 and 1 - beta2",
            _adam("correction_without_t"),
        ),
        (
            "beta_times_t",
            "the bias correction multiplies beta by t: it is 1 - beta^t, a power of beta",
            _adam("beta_times_t"),
        ),
        (
            "beta1_for_both",
            "the second moment uses beta1: s averages the squared gradients with beta2 "
            "(and its correction is 1 - beta2^t)",
            _adam("beta1_for_both"),
        ),
        (
            "s_uncorrected",
            "the step divides by the root of the uncorrected s: correct s too, "
            "s_corrected = s / (1 - beta2^t), and divide by sqrt(s_corrected) + epsilon",
            _adam("s_uncorrected"),
        ),
        (
            "update_before_moments",
            "the parameters moved with the old moments: update v and s first",
            _adam("update_before_moments"),
        ),
    ],
    "update_parameters_with_adamw": [
        (
            "l2_penalty",
            "the decay was added to the gradient (an L2 penalty, dW + lambda W), so it went "
            "into v and s and was divided by sqrt(s_corrected) + epsilon: that is Adam with L2 "
            "regularization, not AdamW. Keep v and s for the gradient alone and add "
            "weight_decay * W to Adam's step, outside the division",
            _adamw("l2_penalty"),
        ),
        (
            "decay_divided",
            "the decay was divided by sqrt(s_corrected) + epsilon: the decoupled decay stays "
            "outside Adam's division, W = W - alpha * (v_corrected / (sqrt(s_corrected) + "
            "epsilon) + weight_decay * W)",
            _adamw("decay_divided"),
        ),
        (
            "biases_decayed",
            "the biases were decayed too: this exercise decays only the weights W (as Keras "
            "does after exclude_from_weight_decay for the biases); each b takes Adam's plain "
            "step",
            _adamw("biases_decayed"),
        ),
        (
            "decay_without_learning_rate",
            "the decay is not multiplied by the learning rate (W - weight_decay * W): that is "
            "Loshchilov & Hutter's Algorithm 2, where lambda is not scaled by alpha; this "
            "exercise follows Keras and PyTorch, W = W - alpha * (Adam's step + weight_decay * W)",
            _adamw("decay_without_learning_rate"),
        ),
        (
            "decay_after_step",
            "the decay shrank the already updated W: decay W as it was before the step (Keras "
            "and PyTorch shrink W first, then take Adam's step computed from the gradient), "
            "W = W - alpha * (Adam's step + weight_decay * W) with the old W",
            _adamw("decay_after_step"),
        ),
        (
            "no_decay",
            "the weights were not decayed: this is Adam's step alone; add weight_decay * W to "
            "the step of every W",
            _adamw("no_decay"),
        ),
    ],
    "warmup_cosine_lr": [
        (
            "warmup_one_ahead",
            "the warm-up is one step ahead (base_lr * (step + 1) / warmup_steps): step counts "
            "the updates already taken, from 0, so the rate at step 0 is 0 and it reaches "
            "base_lr at step = warmup_steps: base_lr * step / warmup_steps",
            _warmup_cosine("warmup_one_ahead"),
        ),
        (
            "cosine_over_whole_run",
            "the cosine runs over the whole run (step / total_steps), so after the warm-up the "
            "rate drops below base_lr at once: the decay starts after the warm-up, progress = "
            "(step - warmup_steps) / (total_steps - warmup_steps)",
            _warmup_cosine("cosine_over_whole_run"),
        ),
        (
            "warmup_from_final_lr",
            "the warm-up starts at final_lr: it rises from 0 (whatever final_lr is) to "
            "base_lr, base_lr * step / warmup_steps; final_lr is only where the cosine ends",
            _warmup_cosine("warmup_from_final_lr"),
        ),
        (
            "decay_steps_after_warmup",
            "the cosine reaches final_lr only at warmup_steps + total_steps (as if "
            "total_steps, like Keras' decay_steps, counted the updates after the warm-up): "
            "here total_steps counts the whole run, so the cosine spans total_steps - "
            "warmup_steps updates and ends at update total_steps",
            _warmup_cosine("decay_steps_after_warmup"),
        ),
        (
            "integer_division_warmup",
            "the rate is 0 all through the warm-up: step // warmup_steps is integer division "
            "(0 until the warm-up ends); use true division, base_lr * step / warmup_steps",
            _warmup_cosine("integer_division_warmup"),
        ),
        (
            "integer_division_decay",
            "the rate stays at base_lr until total_steps, then drops to final_lr at once: the "
            "progress uses integer division (//), which is 0 until the end; use true division, "
            "(step - warmup_steps) / (total_steps - warmup_steps)",
            _warmup_cosine("integer_division_decay"),
        ),
        (
            "degrees",
            "the cosine's argument is in degrees (180 * progress): np.cos and math.cos take "
            "radians, so use np.pi * progress",
            _warmup_cosine("degrees"),
        ),
        (
            "no_clamp",
            "after total_steps the rate rises again: the cosine goes on past pi; cap the "
            "progress at 1 (min(step, total_steps)) so that the rate stays at final_lr",
            _warmup_cosine("no_clamp"),
        ),
        (
            "final_lr_ignored",
            "the rate decays to 0, not to final_lr: the cosine spans base_lr - final_lr, "
            "final_lr + (base_lr - final_lr) * (1 + cos(pi * progress)) / 2",
            _warmup_cosine("final_lr_ignored"),
        ),
        (
            "final_lr_as_fraction",
            "final_lr was used as a fraction of base_lr (as Keras' alpha is): here final_lr "
            "is the final rate itself",
            _warmup_cosine("final_lr_as_fraction"),
        ),
    ],
    "schedule_lr_decay": [
        (
            "no_floor",
            "the rate decays continuously: use floor(epoch_num / time_interval) so "
            "that it drops only at the end of each interval",
            _schedule("no_floor"),
        ),
        (
            "interval_ignored",
            "time_interval is ignored: the rate should drop once per interval, not once per epoch",
            _schedule("interval_ignored"),
        ),
        (
            "multiplied",
            "the rate grows: divide learning_rate0 by 1 + decay_rate * floor(epoch_num / "
            "time_interval), do not multiply",
            _schedule("multiplied"),
        ),
    ],
}

# AdamW written on a wrong Adam: each of Adam's mistakes, with the decay right.
ADAM_KINDS = {key for key, _, _ in MISTAKES["update_parameters_with_adam"]}
MISTAKES["update_parameters_with_adamw"] += [
    (key, f"in Adam's part of the step, {message}", _adamw(key))
    for key, message, _ in MISTAKES["update_parameters_with_adam"]
]
