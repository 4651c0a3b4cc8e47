"""Diagnoses read from how a wrong result relates to its inputs (no reference needed)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from descent import values
from descent.model import Case

# What each graded function returns when it returns several values.
RETURNS = {
    "update_parameters_with_momentum": ("parameters", "v"),
    "update_parameters_with_rmsprop": ("parameters", "s"),
    "initialize_adam": ("v", "s"),
    "update_parameters_with_adam": ("parameters", "v", "s"),
    "update_parameters_with_adamw": ("parameters", "v", "s"),
    "model": ("parameters", "costs"),
}
DLS_ADAM = (
    "it returned 5 values: the DLS notebook's newer update_parameters_with_adam also returns "
    "v_corrected and s_corrected, but this course's returns (parameters, v, s), the state the "
    "next step needs"
)


class Weak(str):
    """A diagnosis that fits the case but could have another cause (reported last)."""


def _kind(value) -> str:
    if isinstance(value, np.ndarray):
        return "an array"
    return {dict: "a dict", list: "a list", tuple: "a tuple"}.get(type(value), type(value).__name__)


def _same_keys_but(got: dict, want: dict) -> str | None:
    """Name a dict whose keys differ from the expected ones."""
    got_keys, want_keys = {str(k) for k in got}, {str(k) for k in want}
    if got_keys == want_keys and len(got) == len(want):
        return None
    if got_keys and {"d" + k for k in got_keys} == want_keys:
        return (
            "its dict is keyed W1, b1, ...: the states are keyed like the gradients, "
            "dW1, db1, ... (v['dW1'] for W1)"
        )
    missing = sorted(want_keys - got_keys, key=lambda k: (len(k), k))
    extra = sorted(got_keys - want_keys, key=lambda k: (len(k), k))
    parts = [f"missing {', '.join(missing)}"] if missing else []
    parts += [f"extra {', '.join(extra)}"] if extra else []
    return f"its dict has the wrong keys ({'; '.join(parts)})"


def _structure(function: str, case: Case, got, want) -> str | None:
    if isinstance(got, Iterator) or type(got).__name__ == "generator":
        return (
            "it returned a generator (a function with yield): build the list "
            "(mini_batches.append(...)) and return it"
        )
    names = RETURNS.get(function)
    if names and isinstance(want, tuple):
        wanted = f"({', '.join(names)})"
        if not isinstance(got, tuple | list):
            return f"it returned {_kind(got)}, not the {len(names)} values {wanted}"
        if len(got) == 5 and function == "update_parameters_with_adam":
            return DLS_ADAM
        if len(got) != len(names):
            return f"it returned {len(got)} values; it should return {len(names)}: {wanted}"
        if values.difference(got, want) is not None:
            for order in _orders(len(names)):
                if values.difference(tuple(got[i] for i in order), want) is None:
                    return f"the right values in the wrong order: return {wanted} in that order"
        for g, w, n in zip(got, want, names, strict=True):
            if isinstance(w, dict):
                if not isinstance(g, dict):
                    return f"{n} should be a dict, but it returned {_kind(g)} in its place"
                if keys := _same_keys_but(g, w):
                    return f"{n}: {keys}"
        return None
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"it returned {_kind(got)}: it should return a dict keyed like {_first(want)}"
        return _same_keys_but(got, want) or _shapes(got, want)
    if function == "random_mini_batches" and isinstance(got, list | tuple):
        for batch in got:
            if not isinstance(batch, tuple | list) or len(batch) != 2:
                return (
                    f"a mini-batch is {_kind(batch)}: each should be a tuple "
                    "(mini_batch_X, mini_batch_Y)"
                )
    if isinstance(want, np.ndarray) and isinstance(got, float | int | np.generic):
        return f"it returned one number ({type(got).__name__}): return an array shaped like x"
    return None


def _shapes(got: dict, want: dict) -> str | None:
    """Name an array of a dict whose shape differs from the expected one."""
    for key, w in want.items():
        shape = np.shape(got[key])
        if isinstance(w, np.ndarray) and shape != w.shape:
            flipped = " (transposed)" if shape == w.shape[::-1] else ""
            return (
                f"{key} has shape {shape}{flipped}, expected {w.shape}: each array has the "
                "shape of the parameter it belongs to (np.zeros_like(parameters[...]))"
            )
    return None


def _first(want: dict) -> str:
    keys = list(want)[:2]
    return ", ".join(str(k) for k in keys) + ", ..."


def _orders(n: int) -> list[tuple[int, ...]]:
    from itertools import permutations

    return [p for p in permutations(range(n)) if p != tuple(range(n))]


def _parameters(function: str, case: Case, got):
    """The input and returned parameters of an update function, or None."""
    if function not in (
        "update_parameters_with_gd",
        "update_parameters_with_momentum",
        "update_parameters_with_rmsprop",
        "update_parameters_with_adam",
        "update_parameters_with_adamw",
    ):
        return None
    returned = got if function == "update_parameters_with_gd" else got[0]
    return case.args[0], returned


def _decay_only(case: Case, before: dict, after: dict) -> bool:
    """Whether AdamW moved each W by its weight decay alone and no b: Adam's own step was
    zero (the moments used before their update, at t = 1), not a loop that skips b."""
    rate = case.kwargs.get("learning_rate", 0.01) * case.kwargs.get("weight_decay", 0.01)
    return all(
        np.allclose(after[k], before[k] * (1 - rate), rtol=values.RTOL, atol=values.ATOL)
        if k.startswith("W")
        else np.array_equal(after[k], before[k])
        for k in before
    )


def _layers(function: str, case: Case, got, want) -> str | None:
    pair = _parameters(function, case, got)
    if pair is None:
        return None
    before, after = pair
    if function == "update_parameters_with_adamw" and _decay_only(case, before, after):
        return None
    L = len(before) // 2
    moved = {
        p: [not np.array_equal(before[f"{p}{l}"], after[f"{p}{l}"]) for l in range(1, L + 1)]
        for p in "Wb"
    }
    if all(moved["W"]) and not any(moved["b"]):
        return "the biases b did not change: update every b as well as every W"
    changed = [w or b for w, b in zip(moved["W"], moved["b"], strict=True)]
    if all(changed):
        return None
    k = sum(changed)
    if changed != [True] * k + [False] * (L - k):
        return None
    if k == 0:
        text = (
            "the returned parameters are the ones passed in, unchanged: store each new value "
            "in parameters[...] (new values kept in local variables are lost)"
        )
        if L == 1:
            return Weak(text + ", and let the loop visit layers 1 to L inclusive")
        state = case.args[2] if isinstance(case.args[2], dict) else None
        first_step = state is not None and not any(a.any() for _, a in values.arrays(state))
        return Weak(text) if first_step else text  # a step with the old, zero state moves nothing
    if k == 1 and L > 2:
        return "only layer 1 was updated: is the return statement inside the loop over layers?"
    text = "the last layer was not updated: the loop must visit layers 1 to L inclusive"
    return text if L > 2 else Weak(text + " (and return only after the loop)")


def explain_error(function: str, case: Case, error: str) -> str:
    """The message of an exception, with the likely cause where it can be told."""
    said = f"it raised {error}"
    if re.match(r"KeyError: '?d?[Wb]0'?$", error):
        return said + ": layers are numbered from 1, so loop over range(1, L + 1)"
    if re.match(r"KeyError: '?[Wb]\d+'?$", error) and function.startswith("update_"):
        return said + ": the gradients and states are keyed dW1, db1, ... (grads['dW1'] for W1)"
    if function == "random_mini_batches" and "reshape" in error:
        Y = case.args[1]
        return (
            said + f": Y has {Y.shape[0]} row{'s' * (Y.shape[0] > 1)} here, so a reshape "
            "to (1, m) fails; Y may have several rows: slice its columns, Y[:, ...], "
            "and keep its shape"
        )
    if function == "warmup_cosine_lr" and error.startswith("ZeroDivisionError"):
        return (
            said + ": warmup_steps may be 0 (no warm-up): divide by it only while "
            "step < warmup_steps"
        )
    if error.startswith("NameError"):
        return said + ": run the cell that defines that name first, or fix its spelling"
    return said


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
    if len(sizes) != -(-m // size):
        return (
            f"there are {len(sizes)} mini-batches for m = {m} and mini_batch_size = {size}; "
            f"there should be ceil(m / mini_batch_size) = {-(-m // size)}: each holds "
            "mini_batch_size examples, the last what is left"
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


def _finite(got) -> bool:
    return all(np.all(np.isfinite(np.asarray(a, dtype=float))) for _, a in values.arrays(got))


def t_zero(case: Case, got) -> str | None:
    """Name NaN or infinite values at Adam's first step, where t = 0 makes them."""
    params = got[0]
    if case.args[4] != 1 or any(np.isfinite(np.asarray(a, float)).any() for a in params.values()):
        return None  # t = 0 makes every parameter infinite or NaN
    return (
        "some values are NaN or infinite: the bias correction divides by 1 - beta^t, "
        "which is 0 when t is 0, so t must be 1 at the first update"
    )


def not_finite(case: Case, got) -> str | None:
    """Name NaN or infinite values at a later step of Adam."""
    if _finite(got):
        return None
    return (
        "some values are NaN or infinite: a square root of a negative number or a division "
        "by 0; the bias correction is 1 - beta^t (a power of beta, not beta * t)"
    )


def training(case: Case, got) -> str | None:
    """Name a training loop that records the wrong number of costs, or diverges."""
    _, costs = got
    epochs = case.kwargs.get("num_epochs", 5000)
    if len(costs) != epochs:
        return (
            f"costs holds {len(costs)} values for {epochs} epochs: record one cost per epoch, "
            "after the loop over the mini-batches, on the whole training set"
        )
    if not _finite(got):
        return (
            "some values are NaN or infinite: did t start at 0 at the first Adam update? "
            "Increment t before calling update_parameters_with_adam"
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


# Relations consulted when a result is wrong, to name the mistake: EARLY ones before the
# recorded mistakes (they tell a cause that a coincidence of values could hide).
EARLY = {"update_parameters_with_adam": t_zero, "update_parameters_with_adamw": t_zero}
RELATIONS = {
    "random_mini_batches": random_mini_batches,
    "update_parameters_with_adam": not_finite,
    "update_parameters_with_adamw": not_finite,
    "model": training,
}
# Audits run on every result, right or wrong: mistakes that equal values cannot reveal.
AUDITS = {"initialize_adam": separate_states}


def _consult(table: dict, function: str, case: Case, got) -> str | None:
    relation = table.get(function)
    if relation is None:
        return None
    try:
        return relation(case, got)
    except Exception:  # too malformed to reason about; the caller reports the difference
        return None


def early(function: str, case: Case, got) -> str | None:
    """A relation-based diagnosis that outranks the recorded mistakes, or None."""
    return _consult(EARLY, function, case, got)


def diagnose(function: str, case: Case, got) -> str | None:
    """The relation-based diagnosis of a wrong result, or None when none applies."""
    return _consult(RELATIONS, function, case, got)


def audit(function: str, case: Case, got) -> str | None:
    """A mistake hidden behind correct values, or None."""
    return _consult(AUDITS, function, case, got)


def _safely(relation, *args) -> str | None:
    try:
        return relation(*args)
    except Exception:  # a result too malformed to reason about
        return None


def structure(function: str, case: Case, got, want) -> str | None:
    """Name a result of the wrong type or structure, before any value is compared."""
    return _safely(_structure, function, case, got, want)


def layers(function: str, case: Case, got, want) -> str | None:
    """Name which layers an update function left unchanged (a loop that stops early, a
    return inside the loop, new values kept in local variables)."""
    return _safely(_layers, function, case, got, want)
