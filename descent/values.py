"""Encode results as JSON and compare them with a stated tolerance."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

RTOL = 1e-6  # relative tolerance of every comparison
ATOL = 1e-9  # absolute tolerance, for entries that should be zero


def encode(value):
    """A JSON-ready form of arrays, dicts, sequences and numbers.

    An array that occurs more than once (the same object) is written once and referred to
    afterwards, so that :func:`decode` restores the sharing (the self-check flags it).
    """
    counts: dict[int, int] = {}
    for _, array in arrays(value):
        counts[id(array)] = counts.get(id(array), 0) + 1
    return _encode(value, {i for i, n in counts.items() if n > 1}, {})


def _encode(value, shared: set[int], written: dict[int, int]):
    if isinstance(value, np.ndarray):
        if id(value) in written:
            return {"__same__": written[id(value)]}
        data = {"__ndarray__": value.tolist(), "dtype": str(value.dtype)}
        if id(value) in shared:
            written[id(value)] = data["__id__"] = len(written)
        return data
    if isinstance(value, dict):
        return {str(k): _encode(v, shared, written) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v, shared, written) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def decode(value, _arrays: dict | None = None):
    """Invert :func:`encode` (sequences come back as tuples, shared arrays stay shared)."""
    _arrays = {} if _arrays is None else _arrays
    if isinstance(value, dict):
        if "__same__" in value:
            return _arrays[value["__same__"]]
        if "__ndarray__" in value:
            array = np.array(value["__ndarray__"], dtype=value["dtype"])
            if "__id__" in value:
                _arrays[value["__id__"]] = array
            return array
        return {k: decode(v, _arrays) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(decode(v, _arrays) for v in value)
    return value


def _index(flat: int, shape: tuple) -> str:
    return ", ".join(str(i) for i in np.unravel_index(flat, shape))


def _compare_arrays(got, want: np.ndarray, path: str) -> str | None:
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        return f"{path} should be an array of shape {want.shape}, got {type(got).__name__}"
    if got.shape != want.shape:
        return f"{path} has shape {got.shape}, expected {want.shape}"
    close = np.isclose(got, want, rtol=RTOL, atol=ATOL, equal_nan=True)
    if close.all():
        return None
    i = int(np.flatnonzero(~close)[0])
    where = f"{path}[{_index(i, want.shape)}]" if want.ndim else path
    return f"{where} is {got.flat[i]:.8g}, expected {want.flat[i]:.8g}"


def difference(got, want, path: str = "result") -> str | None:
    """Describe the first place where ``got`` differs from ``want``; None when they agree."""
    if isinstance(want, np.ndarray):
        return _compare_arrays(got, want, path)
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{path} should be a dict, got {type(got).__name__}"
        missing = [k for k in want if k not in got]
        extra = [k for k in got if k not in want]
        if missing or extra:
            return f"{path} has keys {sorted(got)}, expected {sorted(want)}"
        return next((d for k in want if (d := difference(got[k], want[k], f"{path}[{k!r}]"))), None)
    if isinstance(want, tuple | list):
        if not isinstance(got, list | tuple):
            return f"{path} should be a list or tuple, got {type(got).__name__}"
        if len(got) != len(want):
            return f"{path} has length {len(got)}, expected {len(want)}"
        pairs = zip(got, want, strict=True)
        return next(
            (d for i, (g, w) in enumerate(pairs) if (d := difference(g, w, f"{path}[{i}]"))), None
        )
    if isinstance(want, float | int) and not isinstance(want, bool):
        return _compare_arrays(got, np.asarray(want, dtype=float), path)
    return None if got == want else f"{path} is {got!r}, expected {want!r}"


def arrays(value, path: str = "") -> Iterator[tuple[str, np.ndarray]]:
    """Every NumPy array inside nested dicts and sequences, with its path."""
    if isinstance(value, np.ndarray):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from arrays(v, f"{path}[{k!r}]")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            yield from arrays(v, f"{path}[{i}]")
