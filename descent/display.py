"""Print results with fixed formats, so stored outputs match across NumPy versions."""

from __future__ import annotations

import numpy as np

PRECISION = 8


def fmt(value, precision: int = PRECISION) -> str:
    """Format a number, an array or a nested dict/list of them with a fixed format."""
    if isinstance(value, np.ndarray):
        return np.array2string(
            value, formatter={"float_kind": lambda x: f"{x: .{precision}f}"}, max_line_width=100
        )
    if isinstance(value, float | np.floating):
        return f"{float(value):.{precision}f}"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, dict):
        return "\n".join(f"{k} =\n{fmt(v, precision)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "\n".join(f"[{i}]\n{fmt(v, precision)}" for i, v in enumerate(value))
    return str(value)


def show(value=None, precision: int = PRECISION, **named) -> None:
    """Print a value, or several named values, with :func:`fmt`."""
    if value is not None:
        print(fmt(value, precision))
    for name, v in named.items():
        print(
            f"{name} =\n{fmt(v, precision)}"
            if isinstance(v, np.ndarray)
            else f"{name} = {fmt(v, precision)}"
        )
