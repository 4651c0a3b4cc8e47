"""Optimizer steps for the visual chapters, all with one contract.

``step(x, g, state, **hparams) -> (new_x, new_state)``: ``x`` is the current point (an array
of any shape), ``g`` the gradient there, ``state`` the optimizer's memory (``None`` before the
first step). Hyperparameters use Keras' names. Chapters 1, 4, 5 and 7 derive each rule; the
graded exercises ask for the same rules over a network's ``parameters`` dictionary.
"""

from __future__ import annotations

import numpy as np


def gd(x, g, state, learning_rate):
    """Gradient descent (chapter 1): x <- x - learning_rate * g."""
    return x - learning_rate * g, state


def momentum(x, g, state, learning_rate, beta_1=0.9):
    """Momentum, EMA form (chapter 4): v <- beta v + (1 - beta) g; x <- x - learning_rate v."""
    v = np.zeros_like(x) if state is None else state
    v = beta_1 * v + (1 - beta_1) * g  # exponentially weighted average of gradients
    return x - learning_rate * v, v


def nesterov(x, g, state, learning_rate, beta_1=0.9):
    """Nesterov momentum (chapter 4), EMA form, written for the look-ahead point.

    The iterate is the look-ahead point itself (as in Keras' SGD(nesterov=True)), so the
    gradient is the ordinary gradient at x: v <- beta v + (1 - beta) g, then
    x <- x - learning_rate * (beta v + (1 - beta) g).
    """
    v = np.zeros_like(x) if state is None else state
    v = beta_1 * v + (1 - beta_1) * g  # the same average as momentum
    return x - learning_rate * (beta_1 * v + (1 - beta_1) * g), v  # step from the look-ahead


def adagrad(x, g, state, learning_rate, epsilon=1e-8):
    """Adagrad (chapter 5): divide by the root of the sum of all squared gradients."""
    s = np.zeros_like(x) if state is None else state
    s = s + g**2  # running sum of squared gradients
    return x - learning_rate * g / (np.sqrt(s) + epsilon), s


def rmsprop(x, g, state, learning_rate, rho=0.9, epsilon=1e-8):
    """RMSprop (chapter 5): divide by the root of an average of squared gradients."""
    s = np.zeros_like(x) if state is None else state
    s = rho * s + (1 - rho) * g**2  # exponentially weighted average of squared gradients
    return x - learning_rate * g / (np.sqrt(s) + epsilon), s


def adam(x, g, state, learning_rate, beta_1=0.9, beta_2=0.999, epsilon=1e-8, bias_correction=True):
    """Adam as in Kingma & Ba (2015), epsilon outside the root (chapter 5)."""
    m, v, t = (np.zeros_like(x), np.zeros_like(x), 0) if state is None else state
    t += 1  # the step counter starts at 1
    m = beta_1 * m + (1 - beta_1) * g  # first moment
    v = beta_2 * v + (1 - beta_2) * g**2  # second moment
    if bias_correction:
        m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)  # bias-corrected moments
    else:
        m_hat, v_hat = m, v
    return x - learning_rate * m_hat / (np.sqrt(v_hat) + epsilon), (m, v, t)


def adamw(x, g, state, learning_rate, weight_decay=0.004, **adam_hparams):
    """AdamW in Keras' and PyTorch's convention (chapter 7): Adam's step, then decoupled decay.

    x <- x - learning_rate * (m_hat / (sqrt(v_hat) + epsilon) + weight_decay * x): the decay
    uses the point before the step and is multiplied by the learning rate, unlike Loshchilov &
    Hutter's Algorithm 2, whose decay per step is weight_decay alone (times a schedule).
    """
    moved, state = adam(x, g, state, learning_rate, **adam_hparams)
    return moved - learning_rate * weight_decay * x, state  # decoupled weight decay


STEPS = {
    "gradient descent": gd,
    "momentum": momentum,
    "Nesterov": nesterov,
    "Adagrad": adagrad,
    "RMSprop": rmsprop,
    "Adam": adam,
}
