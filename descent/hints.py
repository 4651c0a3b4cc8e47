"""Graduated hints for the graded functions: the idea, then the formula, then the loop.

The hints are written beside each graded function in its solution notebook (the graded
cell's metadata) and recorded with the expected results, so they ship with the exercises.
"""

from __future__ import annotations

from descent import expected


def _name(fn) -> str:
    return fn if isinstance(fn, str) else getattr(fn, "__name__", repr(fn))


def hint(fn, level: int = 1) -> None:
    """Print hint number ``level`` (1, 2, ...) for a graded function, or its name."""
    name = _name(fn)
    exp = expected.load_all().get(name)
    if exp is None:
        known = ", ".join(sorted(expected.load_all()))
        print(f"hint() knows no graded function named {name!r} (known: {known}).")
        return
    hints = exp.hints
    if not hints:
        print(f"There are no hints for {name}.")
        return
    level = min(max(int(level), 1), len(hints))
    print(f"Hint {level} of {len(hints)} for {name}: {hints[level - 1]}")
    if level < len(hints):
        print(f"  Still stuck? hint({name}, {level + 1}) goes one step further.")
