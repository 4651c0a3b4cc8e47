"""Tell whether a graded function hands its work to an optimizer it should have written.

The graded functions are written in NumPy. Calling the course's own steps
(``descent.steps``, which draw the chapters' figures) or a framework's optimizer (Keras,
TensorFlow, PyTorch, Optax) solves the exercise without doing it: the self-check says so
and the grader gives that function zero.
"""

from __future__ import annotations

import ast
import inspect
import re
import types

COURSE = "descent.steps"
FRAMEWORKS = ("keras", "tensorflow", "tf_keras", "torch", "optax", "jax")
MESSAGE = (
    "it hands the work to {what}: graded functions must be written in NumPy, without the "
    "course's descent.steps or a framework's optimizer"
)
KERAS_ADAMS = {"Adam", "AdamW", "Adamax", "Nadam", "Lamb", "Lion"}  # MyAdam must not reuse these


def names_used(code: types.CodeType) -> set[str]:
    """Every global, attribute and imported name a code object (and its inner code) uses."""
    found = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            found |= names_used(const)
    return found


def _module_of(obj) -> str:
    if isinstance(obj, types.ModuleType):
        return obj.__name__
    return getattr(obj, "__module__", "") or ""


def _forbidden(module: str, frameworks: bool) -> str | None:
    if module == COURSE or module.startswith(COURSE + "."):
        return COURSE
    root = module.split(".")[0]
    return root if frameworks and root in FRAMEWORKS else None


def _functions(fn) -> list:
    """The plain functions to inspect: ``fn`` itself, or a class's methods."""
    if isinstance(fn, type):
        return [f for f in vars(fn).values() if isinstance(f, types.FunctionType)]
    fn = inspect.unwrap(fn) if callable(fn) else fn
    return [fn] if isinstance(fn, types.FunctionType) else []


def delegates(fn) -> str | None:
    """The self-check's message when ``fn`` delegates its work; None when it does not.

    A class (the capstone's Keras optimizer) may use Keras, but not Keras' own Adam.
    """
    frameworks = not isinstance(fn, type)
    if not frameworks:
        reused = [c for c in fn.__mro__[1:] if c.__module__.startswith("keras")]
        if any(c.__name__ in KERAS_ADAMS for c in reused):
            return MESSAGE.format(what="Keras' own Adam (MyAdam subclasses it)")
    for function in _functions(fn):
        names = names_used(function.__code__)
        if {"descent", "steps"} <= names:
            return MESSAGE.format(what=COURSE)
        for name in sorted(names):
            if frameworks and name in FRAMEWORKS:
                return MESSAGE.format(what=name)
            if name in function.__globals__:
                what = _forbidden(_module_of(function.__globals__[name]), frameworks)
                if what:
                    return MESSAGE.format(what=what)
    return None


def in_source(source: str, function: str, setup: str = "") -> str | None:
    """The same check on source text (the grader's view of a submission): the cell that
    defines ``function`` and the imports of the notebook (``setup``)."""
    frameworks = function != "MyAdam"
    try:
        tree = ast.parse(setup + "\n" + source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, SystemError):
        return None  # code the grader cannot read is reported by its run
    imported = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                imported[alias.asname or alias.name.split(".")[0]] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                imported[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for name, module in imported.items():
        what = _forbidden(module, frameworks) or _forbidden(module.rsplit(".", 1)[0], frameworks)
        if what and re.search(rf"\b{re.escape(name)}\b", source.split(f" {function}", 1)[-1]):
            return MESSAGE.format(what=what)
    if re.search(r"\bdescent\.steps\b", source):
        return MESSAGE.format(what=COURSE)
    adams = "|".join(sorted(KERAS_ADAMS))
    if not frameworks and re.search(rf"class\s+MyAdam\s*\([^)]*\b({adams})\b", source):
        return MESSAGE.format(what="Keras' own Adam (MyAdam subclasses it)")
    return None
