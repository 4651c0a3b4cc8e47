"""Learning-rate schedules of chapter 7 as NumPy formulas of the optimizer step.

Every function takes the step ``k`` (an int or an array), counted from 0 as Keras counts
``optimizer.iterations``: the rate at step ``k`` is the one used by update number ``k + 1``.
Each formula equals one of ``keras.optimizers.schedules``, named in its docstring.
"""

from __future__ import annotations

import numpy as np


def step_decay(k, initial, drop, every):
    """initial * drop ** floor(k / every).

    Keras: ExponentialDecay(initial, every, drop, staircase=True).
    """
    return initial * drop ** np.floor(np.asarray(k) / every)


def exponential(k, initial, decay_rate, decay_steps):
    """initial * decay_rate ** (k / decay_steps).

    Keras: ExponentialDecay(initial, decay_steps, decay_rate).
    """
    return initial * decay_rate ** (np.asarray(k) / decay_steps)


def inverse_time(k, initial, decay_rate, decay_steps):
    """initial / (1 + decay_rate k / decay_steps).

    Keras: InverseTimeDecay(initial, decay_steps, decay_rate).
    """
    return initial / (1 + decay_rate * np.asarray(k) / decay_steps)


def cosine(k, initial, decay_steps, final=0.0):
    """Half a cosine from initial (k = 0) to final (k >= decay_steps), as in SGDR.

    Keras: CosineDecay(initial, decay_steps, alpha=final / initial).
    """
    fraction = np.minimum(np.asarray(k), decay_steps) / decay_steps
    return final + (initial - final) * 0.5 * (1 + np.cos(np.pi * fraction))


def warmup_cosine(k, peak, warmup_steps, decay_steps, final=0.0, start=0.0):
    """A straight line from start (k = 0) towards peak, reached at k = warmup_steps; then cosine.

    Keras: CosineDecay(start, decay_steps, alpha=final / peak, warmup_target=peak,
    warmup_steps=warmup_steps). The run lasts warmup_steps + decay_steps steps.
    """
    k = np.asarray(k)
    rising = start + (peak - start) * k / warmup_steps  # linear warm-up
    return np.where(k < warmup_steps, rising, cosine(k - warmup_steps, peak, decay_steps, final))
