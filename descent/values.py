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


def _kind(value) -> str:
    """A learner-readable name of a value's type."""
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype}"
    return type(value).__name__


def _compare_arrays(got, want: np.ndarray, path: str) -> str | None:
    if got is None:
        return f"{path} is None, expected an array of shape {want.shape}"
    if isinstance(got, str | bytes | dict):
        return f"{path} should be an array of shape {want.shape}, got {_kind(got)}"
    if np.iscomplexobj(got):
        return f"{path} holds complex numbers, expected real ones"
    try:
        got = np.asarray(got, dtype=float)
    except (TypeError, ValueError, OverflowError):
        return f"{path} should be an array of shape {want.shape}, got {_kind(got)}"
    if got.shape != want.shape:
        return f"{path} has shape {got.shape}, expected {want.shape}"
    close = np.isclose(got, want, rtol=RTOL, atol=ATOL, equal_nan=True)
    if close.all():
        return None
    i = int(np.flatnonzero(~close)[0])
    where = f"{path}[{_index(i, want.shape)}]" if want.ndim else path
    return f"{where} is {got.flat[i]:.8g}, expected {want.flat[i]:.8g}"


def _keys(keys) -> list[str]:
    """Dictionary keys in a stable order, whatever their types."""
    return sorted((str(k) for k in keys), key=lambda k: (len(k), k))


def difference(got, want, path: str = "result") -> str | None:
    """Describe the first place where ``got`` differs from ``want``; None when they agree."""
    if isinstance(want, np.ndarray):
        return _compare_arrays(got, want, path)
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{path} should be a dict, got {_kind(got)}"
        missing = [k for k in want if k not in got]
        extra = [k for k in got if k not in want]
        if missing or extra:
            return f"{path} has keys {_keys(got)}, expected {_keys(want)}"
        return next((d for k in want if (d := difference(got[k], want[k], f"{path}[{k!r}]"))), None)
    if isinstance(want, tuple | list):
        if not isinstance(got, list | tuple):
            return f"{path} should be a list or tuple, got {_kind(got)}"
        if len(got) != len(want):
            return f"{path} has length {len(got)}, expected {len(want)}"
        pairs = zip(got, want, strict=True)
        return next(
            (d for i, (g, w) in enumerate(pairs) if (d := difference(g, w, f"{path}[{i}]"))), None
        )
    if isinstance(want, float | int) and not isinstance(want, bool):
        if isinstance(got, list | tuple | dict | str | bytes):
            return f"{path} should be a number, got {_kind(got)}"
        return _compare_arrays(got, np.asarray(want, dtype=float), path)
    try:
        same = bool(got == want)
    except (TypeError, ValueError):  # an array compared with a scalar, say
        same = False
    return None if same else f"{path} is {_short(got)}, expected {want!r}"


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def identical(a, b) -> bool:
    """Whether two results are exactly equal (same structure, bit-equal arrays)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        try:
            return np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True)
        except (TypeError, ValueError):
            return False
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(identical(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(identical(x, y) for x, y in zip(a, b, strict=True))
    try:
        return bool(a == b) or (a != a and b != b)  # NaN equals NaN here
    except (TypeError, ValueError):
        return False


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
