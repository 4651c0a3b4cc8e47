"""Diagnoses read from how a wrong result relates to its inputs (no reference needed)."""

from __future__ import annotations

import numpy as np

from descent import values
from descent.model import Case


def _source_columns(columns: np.ndarray, source: np.ndarray) -> list[int]:
    """For each column of ``columns``, the index of the equal column of ``source`` (-1: none)."""
    found = []
    for col in columns.T:
        hits = np.flatnonzero(np.all(np.isclose(source, col[:, None]), axis=0))
        found.append(int(hits[0]) if hits.size else -1)
    return found


def random_mini_batches(case: Case, got) -> str | None:
    """Name the mistake in a list of (mini_batch_X, mini_batch_Y) pairs, if it can be told."""
    X, Y = case.args
    size, m = case.kwargs["mini_batch_size"], X.shape[1]
    batches = [(np.asarray(bx), np.asarray(by)) for bx, by in got]
    if any(bx.ndim != 2 or bx.shape[0] != X.shape[0] for bx, _ in batches):
        return (
            "a mini-batch has the wrong shape: examples are the columns of X, "
            "so slice columns (X[:, ...]), not rows"
        )
    sizes = [bx.shape[1] for bx, _ in batches]
    if 0 in sizes:
        return (
            "there is an empty mini-batch: add the last, smaller batch only when m is not "
            "a multiple of mini_batch_size"
        )
    if m % size and sum(sizes) == m - m % size:
        return (
            "the last, smaller mini-batch (the m % mini_batch_size examples left over) is missing"
        )
    if sizes[:-1] != [size] * (len(sizes) - 1) or sum(sizes) != m:
        return "each mini-batch should hold mini_batch_size examples, the last one what is left"
    from_x = _source_columns(np.concatenate([bx for bx, _ in batches], axis=1), X)
    from_y = _source_columns(np.concatenate([by for _, by in batches], axis=1), Y)
    if sorted(from_x) != list(range(m)):
        return "the mini-batches do not hold every example of X exactly once"
    if from_x != from_y:
        return (
            "Y was shuffled with a different permutation than X: each label must stay "
            "with its example, so use one permutation for both"
        )
    if from_x == list(range(m)):
        return "the examples were not shuffled: reorder the columns with a random permutation"
    return (
        "the batches hold every example once, but not in the expected order: call "
        "np.random.seed(seed), then draw one np.random.permutation(m) and slice it in order"
    )


def not_finite(case: Case, got) -> str | None:
    """Name NaN or infinite values, which in Adam usually mean t started at 0."""
    if any(not np.all(np.isfinite(a)) for _, a in values.arrays(got)):
        return (
            "some values are NaN or infinite: the bias correction divides by 1 - beta^t, "
            "which is 0 when t is 0, so t must be 1 at the first update"
        )
    return None


def separate_states(case: Case, got) -> str | None:
    """Adam's two states must not share a dictionary or any array."""
    v, s = got
    shared = {id(a) for _, a in values.arrays(v)} & {id(a) for _, a in values.arrays(s)}
    if v is s or shared:
        return (
            "v and s share the same dictionary or arrays: updating one would change the "
            "other, so create separate zero arrays for each"
        )
    return None


# Relations consulted when a result is wrong, to name the mistake.
RELATIONS = {
    "random_mini_batches": random_mini_batches,
    "update_parameters_with_adam": not_finite,
    "model": not_finite,
}
# Audits run on every result, right or wrong: mistakes that equal values cannot reveal.
AUDITS = {"initialize_adam": separate_states}


def _consult(table: dict, function: str, case: Case, got) -> str | None:
    relation = table.get(function)
    if relation is None:
        return None
    try:
        return relation(case, got)
    except (TypeError, ValueError, IndexError, AttributeError):
        return None  # too malformed to reason about; the caller reports the difference


def diagnose(function: str, case: Case, got) -> str | None:
    """The relation-based diagnosis of a wrong result, or None when none applies."""
    return _consult(RELATIONS, function, case, got)


def audit(function: str, case: Case, got) -> str | None:
    """A mistake hidden behind correct values, or None."""
    return _consult(AUDITS, function, case, got)
