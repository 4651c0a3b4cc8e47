"""Many copies of chapter 6's network trained at once, for the sweeps of chapter 7.

Every array of ``parameters`` gets a leading axis of length R, one entry per copy (a run).
Each copy has its own learning rate at every step and its own order of mini-batches, so one
pass trains a whole sweep of rates and schedules over several seeds. The network's forward
pass (``network.forward_propagation``) broadcasts over that axis as it is, and the step
functions of ``descent.steps`` work entry by entry and take a learning rate of shape (R, 1, 1).
"""

from __future__ import annotations

import numpy as np

from descent import network


def initialize(layers_dims: list[int], copies: int, seed: int = 3) -> dict:
    """``copies`` identical He initialisations (network.initialize_parameters), stacked."""
    single = network.initialize_parameters(layers_dims, seed=seed)
    return {name: np.repeat(a[None], copies, axis=0) for name, a in single.items()}


def batch_orders(seeds, epoch: int, m: int) -> np.ndarray:
    """Each copy's order of the m examples in this epoch, shape (R, m), from its seed."""
    unique, which = np.unique(seeds, return_inverse=True)
    orders = np.array([np.random.default_rng([s, epoch]).permutation(m) for s in unique])
    return orders[which]


def cost(AL: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """Mean binary cross-entropy of each copy, shape (R,)."""
    AL = np.clip(AL, 1e-12, 1 - 1e-12)  # keep log() finite
    return -np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL), axis=(-2, -1))


def backward(AL: np.ndarray, Y: np.ndarray, caches: list, parameters: dict) -> dict:
    """Gradients dW1, db1, ... of every copy's cost (network.backward_propagation, batched)."""
    L, m = len(caches), Y.shape[-1]
    grads, dZ = {}, (AL - Y) / m  # sigmoid + cross-entropy
    for l in range(L, 0, -1):
        A_prev = caches[l - 1][0]
        grads[f"dW{l}"] = dZ @ np.swapaxes(A_prev, -1, -2)
        grads[f"db{l}"] = np.sum(dZ, axis=-1, keepdims=True)
        if l > 1:
            dZ = (np.swapaxes(parameters[f"W{l}"], -1, -2) @ dZ) * (caches[l - 2][1] > 0)
    return grads


def train(X, Y, layers_dims, step, rates, batch_size, seeds, l2=0.0, decay=None, **hparams):
    """Train R copies; ``rates[r, k]`` is copy r's learning rate at step k (from 0).

    Copy r shuffles the examples of every epoch with its own seed ``seeds[r]``; all copies
    start from the same initialisation. ``l2`` adds l2 * W to the gradient of every weight
    matrix (the penalty l2/2 |W|^2); ``decay`` is passed to ``step`` as ``weight_decay`` for
    weight matrices and 0 for biases. Both may be arrays of shape (R, 1, 1). The epochs run
    until the steps in ``rates`` are used up. Returns the parameters and each copy's cost on
    (X, Y) after every epoch, shape (epochs, R).
    """
    rates = np.asarray(rates, dtype=float)
    copies, num_steps = rates.shape
    parameters, state, costs, k, m = initialize(layers_dims, copies), {}, [], 0, X.shape[1]
    while k < num_steps:
        order = batch_orders(np.broadcast_to(seeds, copies), len(costs), m)
        for start in range(0, m, batch_size):
            if k == num_steps:
                break
            chosen = order[:, start : start + batch_size]  # (R, batch) example indices
            batch_X, batch_Y = X.T[chosen].swapaxes(1, 2), Y.T[chosen].swapaxes(1, 2)
            AL, caches = network.forward_propagation(batch_X, parameters)
            grads = backward(AL, batch_Y, caches, parameters)
            for name in parameters:
                g, extra = grads["d" + name], {}
                if name.startswith("W"):
                    g = g + l2 * parameters[name]  # the gradient of the L2 penalty
                if decay is not None:
                    extra["weight_decay"] = decay if name.startswith("W") else 0.0
                parameters[name], state[name] = step(
                    parameters[name],
                    g,
                    state.get(name),
                    learning_rate=rates[:, k, None, None],
                    **hparams,
                    **extra,
                )
            k += 1
        costs.append(cost(network.forward_propagation(X, parameters)[0], Y))
    return parameters, np.array(costs)


def accuracy(X: np.ndarray, Y: np.ndarray, parameters: dict) -> np.ndarray:
    """Fraction of examples each copy labels correctly (threshold one half), shape (R,)."""
    return np.mean((network.forward_propagation(X, parameters)[0] > 0.5) == Y, axis=(-2, -1))
