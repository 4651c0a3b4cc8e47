"""A progress line on stderr while a batch is graded: counts and the time left (ETA).

Written only when stderr is a terminal, so that logs and CI output stay quiet.
"""

from __future__ import annotations

import sys
import threading
import time


class Progress:
    """Counts finished submissions; redraws ``graded 12/50 (24%), about 0:31 left``."""

    def __init__(self, total: int, stream=None, every: float = 0.5):
        self.total, self.done, self.every = total, 0, every
        self.stream = stream or sys.stderr
        self.shown = self.stream.isatty()
        self.started = self.drawn = time.monotonic()
        self.lock = threading.Lock()

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        left = elapsed / self.done * (self.total - self.done) if self.done else None
        eta = f", about {int(left) // 60}:{int(left) % 60:02d} left" if left is not None else ""
        share = self.done / self.total if self.total else 1.0
        return f"graded {self.done}/{self.total} ({share:.0%}){eta}"

    def step(self) -> None:
        with self.lock:
            self.done += 1
            now = time.monotonic()
            if self.shown and (now - self.drawn >= self.every or self.done == self.total):
                self.drawn = now
                self.stream.write("\r" + self.line() + " " * 8)
                self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
