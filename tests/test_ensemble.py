"""Chapter 7's batched training against one run at a time with the network of chapter 6."""

import numpy as np
import pytest

from descent import ensemble, network, steps
from descent.data import moons

X, Y = moons(m=90, noise=0.2, seed=3)
LAYERS, BATCH, NUM_STEPS = [2, 5, 2, 1], 32, 25  # 3 steps per epoch, the last batch short


def one_run(step, rates, seed, l2=0.0, decay=None, **hparams):
    """Train one network with a plain loop: examples reshuffled by rng([seed, epoch])."""
    parameters, state, k = network.initialize_parameters(LAYERS), {}, 0
    for epoch in range(int(np.ceil(NUM_STEPS / 3))):
        order = np.random.default_rng([seed, epoch]).permutation(X.shape[1])
        for start in range(0, X.shape[1], BATCH):
            if k == NUM_STEPS:
                break
            chosen = order[start : start + BATCH]
            AL, caches = network.forward_propagation(X[:, chosen], parameters)
            grads = network.backward_propagation(AL, Y[:, chosen], caches, parameters)
            for name in parameters:
                is_weight, extra = name.startswith("W"), {}
                g = grads["d" + name] + (l2 * parameters[name] if is_weight else 0.0)
                if decay is not None:
                    extra["weight_decay"] = decay if is_weight else 0.0
                parameters[name], state[name] = step(
                    parameters[name], g, state.get(name), learning_rate=rates[k], **hparams, **extra
                )
            k += 1
    return parameters


RATES = np.array(
    [np.full(NUM_STEPS, 0.3), np.linspace(0.5, 0.01, NUM_STEPS), np.full(NUM_STEPS, 1.0)]
)
SEEDS = [0, 1, 0]


@pytest.mark.parametrize(
    "step, scale, options",  # scale: the adaptive methods run at rates 30 times smaller
    [
        (steps.gd, 1.0, {}),
        (steps.gd, 1.0, {"l2": 0.1}),
        (steps.momentum, 1.0, {"beta_1": 0.8}),
        (steps.adam, 1 / 30, {"l2": 0.05}),
        (steps.adamw, 1 / 30, {"decay": 0.2}),
    ],
)
def test_every_copy_takes_the_steps_of_its_own_single_run(step, scale, options):
    rates = RATES * scale
    batched, costs = ensemble.train(X, Y, LAYERS, step, rates, BATCH, SEEDS, **options)
    assert costs.shape == (9, 3)
    for r, seed in enumerate(SEEDS):
        single = one_run(step, rates[r], seed, **options)
        for name, value in single.items():
            np.testing.assert_allclose(batched[name][r], value, rtol=1e-12, atol=1e-14)
        cost = network.compute_cost(network.forward_propagation(X, single)[0], Y)
        assert costs[-1, r] == pytest.approx(cost, rel=1e-12)
    assert not np.allclose(batched["W1"][0], batched["W1"][2])  # the copies did differ


def test_decay_and_penalty_may_differ_per_copy():
    rates = np.full((2, NUM_STEPS), 0.01)
    decay = np.array([0.0, 5.0])[:, None, None]
    batched, _ = ensemble.train(X, Y, LAYERS, steps.adamw, rates, BATCH, [4, 4], decay=decay)
    for r, value in enumerate((0.0, 5.0)):
        single = one_run(steps.adamw, rates[r], 4, decay=value)
        np.testing.assert_allclose(batched["W2"][r], single["W2"], rtol=1e-12, atol=1e-14)


def test_accuracy_counts_correct_labels_per_copy():
    parameters, _ = ensemble.train(X, Y, LAYERS, steps.gd, RATES, BATCH, SEEDS)
    for r in range(3):
        single = {name: value[r] for name, value in parameters.items()}
        expected = np.mean(network.predict(X, single) == Y)
        assert ensemble.accuracy(X, Y, parameters)[r] == pytest.approx(expected)
