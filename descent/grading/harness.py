"""The child process that runs a learner's code (started by :mod:`descent.grading.sandbox`).

It reads a pickled job from stdin (the cells to run, the visible tests' inputs and two file
descriptors for the hidden tests), keeps a private copy of stdout for its reports and silences
everything else, and runs the cells. Then it forks. The parent calls the graded functions on the
visible tests, one at a time, reporting on stdout. The child, which never holds a visible test,
closes stdout and stdin, waits for the hidden tests' inputs on a pipe of its own (the grader
sends them only after the last visible report) and reports on another. Each report is one JSON
line: the output, and the input arrays as they are after the call, so that the grader tells
in-place changes itself. Nothing shown to the learner comes from the hidden child.

The harness only computes: it decides nothing, and the grader trusts nothing it sends.
"""

from __future__ import annotations

import copy
import json
import os
import pickle
import sys

MAX_REPORT = 4 * 2**20 - 1024  # a larger output is reported as too large instead


class _Discard:
    """A stream that swallows what learners print."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


def _open_channel():
    """A private copy of stdout for reports; fds 1 and 2 then lead to /dev/null."""
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8", errors="backslashreplace")
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    sys.stdout = sys.stderr = _Discard()
    return channel


def _describe(error: BaseException) -> str:
    if isinstance(error, SystemExit):
        return f"SystemExit: the code called exit({error.code!r})"[:500]
    try:
        return f"{type(error).__name__}: {error}"[:500]
    except Exception:  # noqa: BLE001 - a __str__ that raises
        return f"{type(error).__name__}: (its message cannot be shown)"


def _encoder():
    """``encode(value)``: a JSON-ready form of nested arrays, dicts, sequences and numbers.

    An array that occurs more than once (the same object) is written once and referred to
    afterwards, so that the grader sees the sharing. Every name it uses is bound here, before
    any learner code runs, so that patching NumPy or ``descent`` cannot change what it sends.
    """
    import numpy as np

    ndarray, generic, tolist, item = np.ndarray, np.generic, np.ndarray.tolist, np.generic.item
    builtin_id, builtin_str, builtin_isinstance = id, str, isinstance

    def encode(value):
        seen: dict[int, int] = {}
        keep = []  # keeps every array alive so that no id is reused while encoding

        def walk(v, depth):
            if depth > 40:
                raise ValueError("the result is nested too deeply")
            if builtin_isinstance(v, ndarray):
                if v.dtype.kind not in "biuf":
                    raise ValueError(
                        f"the result holds an array of dtype {v.dtype} (numbers expected)"
                    )
                key = builtin_id(v)
                if key in seen:
                    return {"__same__": seen[key]}
                keep.append(v)
                seen[key] = len(seen)
                dtype = builtin_str(v.dtype)
                return {"__ndarray__": tolist(v), "dtype": dtype, "__id__": seen[key]}
            if builtin_isinstance(v, dict):
                return {builtin_str(k): walk(x, depth + 1) for k, x in v.items()}
            if builtin_isinstance(v, list | tuple):
                return [walk(x, depth + 1) for x in v]
            if builtin_isinstance(v, generic):
                v = item(v)
            if builtin_isinstance(v, complex):
                raise ValueError("the result holds a complex number (real numbers expected)")
            if builtin_isinstance(v, int) and not -(2**63) <= v < 2**64:
                raise ValueError("the result holds an integer too large to grade")
            return v

        return walk(value, 0)

    def arrays(value) -> list:
        """Every array object inside nested dicts and sequences, in order."""
        if builtin_isinstance(value, ndarray):
            return [value]
        if builtin_isinstance(value, dict):
            value = list(value.values())
        if builtin_isinstance(value, list | tuple):
            return [a for v in value for a in arrays(v)]
        return []

    return encode, arrays, np.errstate


def _dumps(message: dict) -> str:
    def fallback(o):
        return {"__repr__": type(o).__name__}

    return json.dumps(message, default=fallback)


def main() -> None:
    job = pickle.load(sys.stdin.buffer)
    channel = _open_channel()
    (encode, arrays, errstate), deepcopy, dumps = _encoder(), copy.deepcopy, _dumps
    hidden_in, hidden_out = job["hidden_fds"]

    def report(message: dict) -> None:
        try:
            line = dumps(message)
        except (ValueError, TypeError, OverflowError, RecursionError) as error:
            line = dumps({"key": message.get("key"), "error": _describe(error)})
        if len(line) > MAX_REPORT:
            line = dumps(
                {"key": message.get("key"), "error": "OutputTooLarge: larger than accepted"}
            )
        channel.write(line + "\n")
        channel.flush()

    def call(key, function, case) -> dict:
        fn = namespace.get(function)
        if not callable(fn):
            return {"key": key, "missing": True}
        args, kwargs = deepcopy((case.args, case.kwargs))
        originals = arrays([args, kwargs])  # the caller's arrays, sent back after the call
        try:
            with errstate(divide="ignore", invalid="ignore", over="ignore"):  # judged later
                output = case.bind(fn)(*args, **kwargs)
        except NotImplementedError:
            return {"key": key, "not_attempted": True}
        except BaseException as error:  # noqa: BLE001 - exit() inside the function too
            return {"key": key, "error": _describe(error)}
        try:
            return {"key": key, "output": encode(output), "inputs": encode(originals)}
        except BaseException as error:  # noqa: BLE001 - a result that cannot be encoded
            return {"key": key, "error": _describe(error)}

    namespace = {"__name__": "__main__"}
    for cell_id, code in job["cells"]:
        try:
            exec(compile(code, f"<cell {cell_id}>", "exec"), namespace)
        except BaseException as error:  # noqa: BLE001 - SystemExit included, on purpose
            report({"cell": cell_id, "error": _describe(error)})
    report({"ready": True})
    hidden = os.fork()
    if hidden == 0:  # the hidden tests' child: another channel, no visible test, no stdin
        channel.close()
        os.close(0)
        channel = os.fdopen(hidden_out, "w", encoding="utf-8", errors="backslashreplace")
        del job
        for key, function, case in pickle.load(os.fdopen(hidden_in, "rb")):
            report(call(key, function, case))
        report({"done": True})
        channel.close()
        os._exit(0)
    os.close(hidden_in)
    os.close(hidden_out)
    for key, function, case in job["tests"]:
        report(call(key, function, case))
    report({"visible_done": True})
    channel.close()
    os.waitpid(hidden, 0)


if __name__ == "__main__":
    main()
