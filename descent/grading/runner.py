"""Drive the harness for one submission: time limits, crashes and restarts.

Tests run one after another in a child process. When the child hangs on a test it is killed
and that test fails with a time-out; when it dies (exit, crash, out of memory) the test it was
running fails with the cause. Either way a new child picks up the remaining tests, until the
submission's time budget is spent.
"""

from __future__ import annotations

import json
import os
import pickle
import selectors
import signal
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from descent import values
from descent.grading import sandbox
from descent.grading.assignment import Test
from descent.model import Outcome

MAX_LINE = 16 * 2**20


@dataclass
class Run:
    """What running a submission's tests produced."""

    outcomes: dict[str, Outcome] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)  # test keys whose function was undefined
    cell_errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def _decode(report: dict) -> Outcome:
    if report.get("error") and "output" not in report:
        return Outcome(error=report["error"])
    return Outcome(
        output=values.decode(report.get("output")),
        changed=tuple(report.get("changed", ())),
        error=report.get("error", ""),
        not_attempted=bool(report.get("not_attempted")),
    )


def _kill(process) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _cause(returncode: int | None) -> str:
    if returncode is None:
        return "the process stopped answering"
    if returncode > 128 and returncode - 128 in signal.valid_signals():
        returncode = 128 - returncode  # bubblewrap reports a signal death as 128 + signal
    if returncode < 0:
        name = signal.Signals(-returncode).name
        if name == "SIGXCPU":
            return "the code used up its CPU time (SIGXCPU)"
        return f"the Python process crashed ({name})"
    return f"the Python process exited with code {returncode} (os._exit or a fatal error)"


def _failure(kind_of: str, report, setup: bool, limit: float) -> str:
    """Why the child stopped early, for the learner."""
    where = "while running the notebook's cells" if setup else "during this test"
    if kind_of == "timeout":
        return f"time-out: no answer for {limit:.0f} s {where} (an endless loop?)"
    if kind_of == "toolarge":
        return "the result is larger than the grader accepts"
    if kind_of == "garbled":
        return "crash: the process wrote something the grader cannot read"
    return f"crash {where}: {_cause(report)}"


def _reports(process, deadline_for):
    """Yield the child's reports; yield ('timeout', None) or ('exit', code) at the end."""
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    buffer, waiting_since = b"", time.monotonic()
    while True:
        remaining = deadline_for() - (time.monotonic() - waiting_since)
        if remaining <= 0 or not selector.select(timeout=remaining):
            yield "timeout", None
            return
        chunk = os.read(process.stdout.fileno(), 1 << 20)
        if not chunk:
            yield "exit", process.wait()
            return
        buffer += chunk
        if len(buffer) > MAX_LINE:
            yield "toolarge", None
            return
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            waiting_since = time.monotonic()
            try:
                yield "report", json.loads(line)
            except ValueError:
                yield "garbled", None
                return


def run_tests(
    cells: list[tuple[str, str]], tests: list[Test], kind: str, limits: sandbox.Limits
) -> Run:
    """Run every test of a submission, restarting the child after a hang or a crash."""
    run, remaining, started = Run(), list(tests), time.monotonic()
    while remaining:
        budget = limits.seconds_per_submission - (time.monotonic() - started)
        if budget <= 0:
            for test in remaining:
                run.outcomes[test.key] = Outcome(
                    error="NotRun: the submission used up its "
                    f"{limits.seconds_per_submission:.0f} s"
                )
            break
        remaining = _one_child(cells, remaining, kind, limits, run, budget)
    run.seconds = time.monotonic() - started
    return run


def _one_child(cells, tests, kind, limits, run: Run, budget: float) -> list[Test]:
    """Run tests in one child until it finishes or fails; return the tests still to run."""
    pending = {t.key: t for t in tests}
    with tempfile.TemporaryDirectory(prefix="descent-submission-") as workdir:
        process = sandbox.start(kind, Path(workdir), limits)
        job = {"cells": cells, "tests": [(t.key, t.function, t.case) for t in tests]}
        try:
            process.stdin.write(pickle.dumps(job))
            process.stdin.close()
        except BrokenPipeError:
            pass
        phase = {"setup": True}

        def deadline() -> float:
            limit = limits.seconds_per_setup if phase["setup"] else limits.seconds_per_test
            return min(limit, budget)

        for kind_of, report in _reports(process, deadline):
            if kind_of == "report":
                if "cell" in report:
                    run.cell_errors.setdefault(report["cell"], report["error"])
                    continue
                if report.get("ready"):
                    phase["setup"] = False
                    continue
                if report.get("done"):
                    break
                key = report["key"]
                pending.pop(key, None)
                if report.get("missing"):
                    run.missing.add(key)
                else:
                    run.outcomes[key] = _decode(report)
                continue
            _kill(process)
            if not pending:
                break
            current = next(iter(pending.values()))
            cause = _failure(kind_of, report, phase["setup"], deadline())
            if phase["setup"]:  # nothing ran: every test fails for the same cause
                for key in pending:
                    run.outcomes[key] = Outcome(failure=cause)
                return []
            run.outcomes[current.key] = Outcome(failure=cause)
            pending.pop(current.key)
            return list(pending.values())
        _kill(process)
    return list(pending.values())
