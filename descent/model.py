"""The data model shared by the self-check and the grader: cases, mistakes, results."""

from __future__ import annotations

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

    @property
    def correct(self) -> bool:
        return self.status == CORRECT
