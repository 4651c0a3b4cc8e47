"""The child process that runs a learner's code: ``python -m descent.grading.harness``.

It reads a pickled job from stdin (the cells to run and the tests' inputs), keeps a private
copy of stdout for its reports and silences everything else, runs the cells, then calls the
graded functions one test at a time. Each report is one JSON line. It only computes outputs:
whether they are right is decided in the grader's process, with the reference.
"""

from __future__ import annotations

import json
import os
import pickle
import sys

MAX_REPORT = 8 * 2**20  # a larger output is reported as too large instead


class _Discard:
    """A stream that swallows what learners print."""

    def write(self, text):
        return len(text)

    def flush(self):
        pass


def _open_channel():
    """A private copy of stdout for reports; fds 1 and 2 then lead to /dev/null."""
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    sys.stdout = sys.stderr = _Discard()
    return channel


def _describe(error: BaseException) -> str:
    if isinstance(error, SystemExit):
        return f"SystemExit: the code called exit({error.code!r})"
    return f"{type(error).__name__}: {error}"[:500]


def main() -> None:
    job = pickle.load(sys.stdin.buffer)
    channel = _open_channel()
    encode, dumps, run = _tools()

    def report(message: dict) -> None:
        line = dumps(message)
        if len(line) > MAX_REPORT:
            line = dumps(
                {
                    "key": message.get("key"),
                    "error": "OutputTooLarge: the result is larger than the grader accepts",
                }
            )
        channel.write(line + "\n")
        channel.flush()

    namespace = {"__name__": "__main__"}
    for cell_id, code in job["cells"]:
        try:
            exec(compile(code, f"<cell {cell_id}>", "exec"), namespace)
        except BaseException as error:  # noqa: BLE001 - SystemExit included, on purpose
            report({"cell": cell_id, "error": _describe(error)})
    report({"ready": True})
    for key, function, case in job["tests"]:
        fn = namespace.get(function)
        if not callable(fn):
            report({"key": key, "missing": True})
            continue
        try:
            outcome = run(fn, case)
        except BaseException as error:  # noqa: BLE001 - exit() inside the function
            report({"key": key, "error": _describe(error)})
            continue
        report(
            {
                "key": key,
                "output": encode(outcome.output),
                "changed": list(outcome.changed),
                "error": outcome.error,
                "not_attempted": outcome.not_attempted,
            }
        )
    report({"done": True})


def _tools():
    """The functions the harness needs, bound before any learner code runs."""
    from descent import selfcheck, values

    def dumps(message):
        return json.dumps(message, default=lambda o: {"__repr__": repr(o)[:200]})

    return values.encode, dumps, selfcheck.run


if __name__ == "__main__":
    main()
