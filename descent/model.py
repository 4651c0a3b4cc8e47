"""The data model shared by the self-check and the grader: cases, mistakes, results."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

NOT_ATTEMPTED = "not attempted"
WRONG = "wrong"
CORRECT = "correct"


@dataclass(frozen=True)
class Case:
    """One set of inputs for a graded function."""

    name: str
    args: tuple
    kwargs: dict = field(default_factory=dict)
    driver: Callable | None = None  # runs a graded class on the inputs: driver(cls, *args)

    def bind(self, graded) -> Callable:
        """What to call with the inputs: the graded function, or the driver given the class."""
        return functools.partial(self.driver, graded) if self.driver else graded


@dataclass(frozen=True)
class Mistake:
    """A typical wrong implementation, known by its outputs on the cases."""

    key: str
    message: str
    outputs: tuple = ()


@dataclass(frozen=True)
class Expectation:
    """What a graded function should return on each case, and what typical mistakes return."""

    function: str
    cases: tuple[Case, ...]
    outputs: tuple[Any, ...]
    mistakes: tuple[Mistake, ...] = ()
    sensitive: tuple[tuple[str, ...], ...] = ()  # per case: arguments the result depends on
    hints: tuple[str, ...] = ()
    points: int = 0


@dataclass(frozen=True)
class Outcome:
    """What calling a function on one case produced: an output, or an error."""

    output: Any = None
    changed: tuple[str, ...] = ()  # inputs the call changed in place
    error: str = ""  # "TypeError: ..." when the call raised
    not_attempted: bool = False  # the call raised NotImplementedError
    failure: str = ""  # the call never finished: a time-out, a crash (a sentence)


@dataclass(frozen=True)
class Result:
    """The outcome of checking one function: status, diagnosis and where it went wrong."""

    function: str
    status: str
    diagnosis: str = ""
    case: str = ""
    detail: str = ""
    passed_cases: int = 0
    total_cases: int = 0
    inputs: str = ""  # a one-line summary of the case's inputs
    reproduce: str = ""  # a line that runs the case in the notebook


@dataclass(frozen=True)
class TestResult:
    """One graded test, in the shape of a Gradescope test entry."""

    name: str
    function: str
    score: float
    max_score: float
    output: str
    visibility: str = "visible"


@dataclass
class Graded:
    """The grade of one submission: its tests, per-function scores and any problems."""

    submission: str
    exercise_set: str
    tests: list[TestResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    isolation: str = ""
    seconds: float = 0.0
    student_id: str = ""  # the learner's id, from the layout or the file name
    learner: str = ""  # the learner's name, from the roster
    late_days: float = 0.0  # how late it was submitted (0: on time, or no due date)
    penalty: float = 0.0  # points the late policy takes from the score
    notes: list[str] = field(default_factory=list)  # the instructor's overrides, with reasons

    def function_score(self, function: str) -> tuple[float, float]:
        chosen = [t for t in self.tests if t.function == function]
        return sum(t.score for t in chosen), sum(t.max_score for t in chosen)

    @property
    def score(self) -> float:
        return sum(t.score for t in self.tests)

    @property
    def adjusted(self) -> float:
        """The score after the late penalty (the raw score is ``score``)."""
        return self.score - self.penalty

    @property
    def max_score(self) -> float:
        return sum(t.max_score for t in self.tests)
