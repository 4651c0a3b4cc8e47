"""Drive the harness for one submission: the report protocol, limits, crashes and restarts.

Tests run one after another in a child process. The grader keeps its own clocks: the notebook's
cells get ``seconds_per_setup`` from the start of the child, each test ``seconds_per_test``
from the moment the previous one was reported, and the whole submission
``seconds_per_submission``, whatever the child writes. The child must send exactly the report
that comes next (checked by :mod:`descent.grading.wire`); anything else, a line too long or
too many bytes ends it. When the child hangs, dies or misbehaves, the test it was running
fails with the cause and a new child picks up the remaining tests.

The hidden tests run in a child of their own, forked by the harness after the cells ran, with
its own pair of pipes: it never holds a visible test, its inputs are sent only after the last
visible report, and nothing it writes reaches the learner but the grader's judgement of its
outputs (see :mod:`score`).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import selectors
import signal
import threading
import time
from dataclasses import dataclass, field

from descent.grading import sandbox, wire
from descent.grading.assignment import Test
from descent.model import Outcome

HIDDEN_ERROR = "an error"  # what the grader keeps of an error raised on a hidden test


@dataclass
class Run:
    """What running a submission's tests produced."""

    outcomes: dict[str, Outcome] = field(default_factory=dict)
    inputs: dict[str, object] = field(default_factory=dict)  # test key -> inputs after the call
    missing: set[str] = field(default_factory=set)  # test keys whose function was undefined
    cell_errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def _cause(returncode: int | None) -> str:
    if returncode is None:
        return "the process stopped answering"
    if returncode > 128 and returncode - 128 in signal.valid_signals():
        returncode = 128 - returncode  # bubblewrap reports a signal death as 128 + signal
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        if name == "SIGXCPU":
            return "the code used up its CPU time (SIGXCPU)"
        return f"the Python process crashed ({name})"
    return f"the Python process exited with code {returncode} (os._exit or a fatal error)"


def _failure(event: str, detail, setup: bool, limit: float) -> str:
    """Why the child stopped early, for the learner."""
    where = "while running the notebook's cells" if setup else "during this test"
    if event == "timeout":
        return f"time-out: no answer within {limit:.0f} s {where} (an endless loop?)"
    if event == "toolarge":
        return "the result is larger than the grader accepts"
    if event == "garbled":
        return f"garbled report: the process wrote something the grader does not accept ({detail})"
    return f"crash {where}: {_cause(detail)}"


class _Reader:
    """Lines from one of the child's channels, within a deadline and byte limits."""

    def __init__(self, process, stream: int, limits: sandbox.Limits):
        self.process, self.stream, self.limits = process, stream, limits
        self.selector = selectors.DefaultSelector()
        self.selector.register(stream, selectors.EVENT_READ)
        self.buffer, self.total = b"", 0

    def next(self, deadline: float) -> tuple[str, object]:
        """('line', bytes), ('timeout', None), ('toolarge', None) or ('exit', returncode)."""
        while b"\n" not in self.buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self.selector.select(timeout=remaining):
                return "timeout", None
            chunk = os.read(self.stream, 1 << 20)
            if not chunk:
                try:
                    return "exit", self.process.wait(timeout=max(0.1, deadline - time.monotonic()))
                except Exception:  # noqa: BLE001 - it closed stdout but goes on running
                    return "timeout", None
            self.buffer += chunk
            self.total += len(chunk)
            if self.total > self.limits.output_bytes:
                return "toolarge", None
            if b"\n" not in self.buffer and len(self.buffer) > self.limits.line_bytes:
                return "toolarge", None
        line, self.buffer = self.buffer.split(b"\n", 1)
        if len(line) > self.limits.line_bytes:
            return "toolarge", None
        return "line", line


def _feed(stream, data: bytes) -> None:
    """Write ``data`` to one of the child's inputs, then close it, from a thread, so that a
    child that never reads cannot block the grader."""

    def write() -> None:
        try:
            stream.write(data)
            stream.flush()
        except (OSError, ValueError):
            pass
        finally:
            with contextlib.suppress(OSError):
                stream.close()

    threading.Thread(target=write, daemon=True).start()


def run_tests(
    cells: list[tuple[str, str]], tests: list[Test], kind: str, limits: sandbox.Limits
) -> Run:
    """Run every test of a submission, restarting the child after a hang or a crash."""
    run, started = Run(), time.monotonic()
    end = started + limits.seconds_per_submission
    remaining = [t for t in tests if not t.hidden] + [t for t in tests if t.hidden]
    while remaining:
        if time.monotonic() >= end:
            for test in remaining:
                run.outcomes[test.key] = Outcome(
                    failure="not run: the submission used up its "
                    f"{limits.seconds_per_submission:.0f} s"
                )
            break
        remaining = _one_child(cells, remaining, kind, limits, run, end)
    run.seconds = time.monotonic() - started
    return run


def _job(tests: list[Test]) -> list[tuple]:
    return [(t.key, t.function, t.case) for t in tests]


def _record(run: Run, test: Test, kind: str, report: dict) -> None:
    """Keep what one checked report says about ``test``."""
    if kind == "missing":
        run.missing.add(test.key)
    elif kind == "not_attempted":
        run.outcomes[test.key] = Outcome(not_attempted=True)
    elif kind == "error":
        run.outcomes[test.key] = Outcome(error=HIDDEN_ERROR if test.hidden else report["error"])
    else:
        output, inputs = wire.decode(report["output"]), wire.decode(report["inputs"])
        run.outcomes[test.key] = Outcome(output=output)
        run.inputs[test.key] = inputs


def _one_child(cells, tests: list[Test], kind, limits, run: Run, end: float) -> list[Test]:
    """Run tests in one child until it finishes or fails; return the tests still to run."""
    visible = [t for t in tests if not t.hidden]
    hidden = [t for t in tests if t.hidden]
    cell_ids = {cell_id for cell_id, _ in cells}
    with (
        _hidden_pipes() as (theirs, to_hidden, from_hidden),
        sandbox.started(kind, limits, fds=theirs) as process,
    ):
        job = {"cells": cells, "tests": _job(visible), "hidden_fds": theirs}
        _feed(process.stdin, pickle.dumps(job))
        reader = _Reader(process, process.stdout.fileno(), limits)
        stage, since, done = "setup", time.monotonic(), 0  # done: tests reported so far
        while True:
            setup = stage == "setup"
            limit = limits.seconds_per_setup if setup else limits.seconds_per_test
            event, detail = reader.next(min(since + limit, end))
            if event == "line":
                try:
                    kind_of, report = wire.parse(detail)
                    expected = _expected(stage, done, len(visible), len(tests))
                    if kind_of not in expected:
                        raise wire.Garbled(f"a '{kind_of}' report where {expected[0]} was due")
                    if kind_of == "cell":
                        if report["cell"] not in cell_ids:
                            raise wire.Garbled("an error for a cell that was not run")
                        cell_ids.discard(report["cell"])
                        run.cell_errors.setdefault(report["cell"], report["error"])
                    elif kind_of == "ready":
                        stage, since = "visible", time.monotonic()
                    elif kind_of == "visible_done":
                        _feed(to_hidden, pickle.dumps(_job(hidden)))
                        reader = _Reader(process, from_hidden, limits)
                        stage, since = "hidden", time.monotonic()
                    elif kind_of == "done":
                        return []
                    else:
                        if report["key"] != tests[done].key:
                            raise wire.Garbled("a report for another test than the one running")
                        _record(run, tests[done], kind_of, report)
                        done, since = done + 1, time.monotonic()
                    continue
                except wire.Garbled as error:
                    event, detail = "garbled", str(error)
            sandbox.stop(process)
            cause = _failure(event, detail, setup, limit)
            if setup:  # nothing ran: every test fails for the same cause
                for test in tests:
                    run.outcomes[test.key] = Outcome(failure=cause)
                return []
            if done == len(tests):
                return []
            if tests[done].hidden and event in ("exit", "garbled"):
                cause = "the process crashed or wrote something the grader does not accept"
            run.outcomes[tests[done].key] = Outcome(failure=cause)
            return tests[done + 1 :]


@contextlib.contextmanager
def _hidden_pipes():
    """The hidden child's two pipes: the child's ends (its input, its reports; the sandbox
    closes them once the child has them), then the grader's ends (a file to write the inputs
    to, a descriptor to read the reports from)."""
    (child_in, to_hidden), (from_hidden, child_out) = os.pipe(), os.pipe()
    writer = os.fdopen(to_hidden, "wb")
    try:
        yield (child_in, child_out), writer, from_hidden
    finally:
        os.close(from_hidden)
        with contextlib.suppress(OSError):
            writer.close()


def _expected(stage: str, done: int, visible: int, total: int) -> tuple[str, ...]:
    """The kinds of report that may come next."""
    reports = ("missing", "not_attempted", "error", "output")
    if stage == "setup":
        return ("cell", "ready")
    if stage == "visible":
        return reports if done < visible else ("visible_done",)
    return reports if done < total else ("done",)
