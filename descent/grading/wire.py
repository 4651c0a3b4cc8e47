"""Check every line a child sends before anything of it is used (the child is not trusted).

A report is one JSON line of a known shape: a dict with expected keys and types, bounded in
depth and size, whose arrays are numeric or boolean with bounded shapes. Anything else is
"garbled": :class:`Garbled` is raised and the test that was running fails.
"""

from __future__ import annotations

import json
import math

import numpy as np

from descent import values

MAX_DEPTH = 24  # nesting of dicts, lists and array rows
MAX_TEXT = 4000  # characters of any string
MAX_ITEMS = 2_000_000  # numbers in one report
MAX_NDIM = 8
DTYPES = {
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64",
}  # fmt: skip
INT_LIMIT = 2**64


class Garbled(ValueError):
    """A line that is not a report of the expected shape."""


SHAPES = {  # kind -> {key: type}; every key of a kind must be present, no other allowed
    "cell": {"cell": str, "error": str},
    "ready": {"ready": bool},
    "visible_done": {"visible_done": bool},
    "done": {"done": bool},
    "missing": {"key": str, "missing": bool},
    "not_attempted": {"key": str, "not_attempted": bool},
    "error": {"key": str, "error": str},
    "output": {"key": str, "output": object, "inputs": object},
}


def parse(line: bytes) -> tuple[str, dict]:
    """The kind and content of one report line; raises :class:`Garbled` for anything else."""
    try:
        report = json.loads(line.decode("utf-8", errors="strict"))
    except (ValueError, RecursionError, MemoryError) as error:
        raise Garbled(f"not JSON ({type(error).__name__})") from None
    if not isinstance(report, dict):
        raise Garbled("not a JSON object")
    kind = next((k for k in SHAPES if set(SHAPES[k]) == set(report)), None)
    if kind is None:
        raise Garbled(f"unexpected keys {sorted(report)[:8]!r}"[:200])
    for key, kind_of in SHAPES[kind].items():
        if kind_of is not object and not isinstance(report[key], kind_of):
            raise Garbled(f"{key} is not a {kind_of.__name__}")
        if isinstance(report[key], str) and len(report[key]) > MAX_TEXT:
            raise Garbled(f"{key} is too long")
    if kind == "output":
        budget = [MAX_ITEMS]
        for key in ("output", "inputs"):
            _check_value(report[key], 0, budget)
    return kind, report


def _check_value(value, depth: int, budget: list[int]) -> None:
    if depth > MAX_DEPTH:
        raise Garbled("nested too deeply")
    budget[0] -= 1
    if budget[0] < 0:
        raise Garbled("too many values")
    if value is None or isinstance(value, bool | float):
        return
    if isinstance(value, int):
        if abs(value) >= INT_LIMIT:
            raise Garbled("an integer out of range")
        return
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise Garbled("a string that is too long")
        return
    if isinstance(value, list):
        for item in value:
            _check_value(item, depth + 1, budget)
        return
    if not isinstance(value, dict):
        raise Garbled(f"a value of type {type(value).__name__}")
    if "__ndarray__" in value:
        _check_array(value, budget)
        return
    if "__same__" in value:
        if set(value) != {"__same__"} or type(value["__same__"]) is not int:
            raise Garbled("a malformed array reference")
        return
    for item in value.values():
        _check_value(item, depth + 1, budget)


def _check_array(value: dict, budget: list[int]) -> None:
    if not set(value) <= {"__ndarray__", "dtype", "__id__"} or "dtype" not in value:
        raise Garbled("a malformed array")
    if value["dtype"] not in DTYPES:
        raise Garbled(f"an array of dtype {str(value['dtype'])[:20]!r}")
    if "__id__" in value and type(value["__id__"]) is not int:
        raise Garbled("a malformed array id")
    shape, level = [], value["__ndarray__"]
    while isinstance(level, list):
        shape.append(len(level))
        if len(shape) > MAX_NDIM:
            raise Garbled("an array with too many dimensions")
        level = level[0] if level else None
    size = math.prod(shape)
    budget[0] -= size
    if budget[0] < 0:
        raise Garbled("too many values")
    _regular(value["__ndarray__"], shape)
    for leaf in _leaves(value["__ndarray__"], len(shape)):
        if type(leaf) not in (bool, int, float) or (type(leaf) is int and abs(leaf) >= INT_LIMIT):
            raise Garbled("an array holding something other than numbers")


def _regular(data, shape: list[int]) -> None:
    """Raise unless nested lists ``data`` have exactly ``shape``."""
    if not shape:
        return
    if not isinstance(data, list) or len(data) != shape[0]:
        raise Garbled("a ragged array")
    for row in data:
        _regular(row, shape[1:])


def _leaves(data, ndim: int):
    if ndim == 0:
        yield data
    else:
        for row in data:
            yield from _leaves(row, ndim - 1)


def decode(value):
    """The Python value of a checked report value (arrays rebuilt, sharing restored)."""
    try:
        with np.errstate(all="ignore"):
            return values.decode(value)
    except (ValueError, TypeError, KeyError, OverflowError) as error:
        raise Garbled(f"an array that cannot be rebuilt ({type(error).__name__})") from None
