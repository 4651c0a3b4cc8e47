"""Encode results as JSON and compare them with a stated tolerance."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

RTOL = 1e-6  # relative tolerance of every comparison
ATOL = 1e-9  # absolute tolerance, for entries that should be zero


def encode(value):
    """A JSON-ready form of arrays, dicts, sequences and numbers."""
    if isinstance(value, np.ndarray):
        return {"__ndarray__": value.tolist(), "dtype": str(value.dtype)}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def decode(value):
    """Invert :func:`encode` (sequences come back as tuples)."""
    if isinstance(value, dict):
        if "__ndarray__" in value:
            return np.array(value["__ndarray__"], dtype=value["dtype"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return tuple(decode(v) for v in value)
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
