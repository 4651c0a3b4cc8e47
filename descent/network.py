"""A small fully connected network in NumPy (chapter 6): ReLU layers and a sigmoid output.

Examples are columns; ``parameters`` holds W1, b1, ..., WL, bL and ``grads`` holds dW1, db1,
... as everywhere in the course. These helpers are given, not graded: the exercises are the
optimizers and the training loop that uses them.
"""

from __future__ import annotations

import numpy as np


def initialize_parameters(layers_dims: list[int], seed: int = 3) -> dict:
    """He initialisation: W[l] ~ N(0, 2 / n[l-1]), b[l] = 0."""
    rng = np.random.RandomState(seed)
    parameters = {}
    for l in range(1, len(layers_dims)):
        scale = np.sqrt(2.0 / layers_dims[l - 1])
        parameters[f"W{l}"] = rng.randn(layers_dims[l], layers_dims[l - 1]) * scale
        parameters[f"b{l}"] = np.zeros((layers_dims[l], 1))
    return parameters


def forward_propagation(X: np.ndarray, parameters: dict) -> tuple[np.ndarray, list]:
    """Output probabilities AL, shape (1, m), and the activations back-propagation needs."""
    L = len(parameters) // 2
    A, caches = X, []
    for l in range(1, L + 1):
        Z = parameters[f"W{l}"] @ A + parameters[f"b{l}"]
        caches.append((A, Z))
        A = 1 / (1 + np.exp(-Z)) if l == L else np.maximum(Z, 0)
    return A, caches


def compute_cost(AL: np.ndarray, Y: np.ndarray) -> float:
    """Mean binary cross-entropy of the probabilities AL against labels Y (0 or 1)."""
    AL = np.clip(AL, 1e-12, 1 - 1e-12)  # keep log() finite
    return float(-np.mean(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)))


def backward_propagation(AL: np.ndarray, Y: np.ndarray, caches: list, parameters: dict) -> dict:
    """Gradients dW1, db1, ... of :func:`compute_cost` with respect to every parameter."""
    L, m = len(caches), Y.shape[1]
    grads, dZ = {}, (AL - Y) / m  # sigmoid + cross-entropy: dJ/dZ of the output layer
    for l in range(L, 0, -1):
        A_prev, _ = caches[l - 1]
        grads[f"dW{l}"] = dZ @ A_prev.T
        grads[f"db{l}"] = np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dA = parameters[f"W{l}"].T @ dZ
            dZ = dA * (caches[l - 2][1] > 0)  # ReLU passes gradient where its input was > 0
    return grads


def predict(X: np.ndarray, parameters: dict) -> np.ndarray:
    """Labels 0/1: 1 where the predicted probability exceeds one half."""
    return (forward_propagation(X, parameters)[0] > 0.5).astype(int)


def shuffled_batches(X: np.ndarray, Y: np.ndarray, batch_size: int, seed: int) -> list:
    """One epoch of (mini_batch_X, mini_batch_Y) pairs, shuffled by a seeded generator."""
    order = np.random.default_rng(seed).permutation(X.shape[1])
    return [
        (X[:, order[k : k + batch_size]], Y[:, order[k : k + batch_size]])
        for k in range(0, X.shape[1], batch_size)
    ]
