"""What the grader knows about an exercise set: reference, points, visible and hidden cases."""

from __future__ import annotations

import copy
import importlib.util
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from descent import cases, expected, values
from descent import notebooks as nbs
from descent.model import Case, Expectation, Mistake


@dataclass(frozen=True)
class Test:
    """One graded call: a function on a case, visible to learners or hidden."""

    key: str
    function: str
    case: Case
    hidden: bool


def load_module(path: Path, name: str):
    """Import a Python file of the instructors' folder by path."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Assignment:
    """One exercise set, with everything needed to grade it (instructors only).

    The solution notebook's cells run only when its reference is first needed, so that a
    batch of one set never imports what another set needs (TensorFlow for the capstone)."""

    name: str
    notebook: Path
    points: dict[str, int]
    hidden: object = field(repr=False)
    table: object = field(repr=False)  # mistakes.table: namespace -> mistakes by function

    @cached_property
    def _namespace(self) -> dict:
        return nbs.load_namespace(nbs.read(self.notebook))

    @cached_property
    def reference(self) -> dict:
        return {name: self._namespace[name] for name in self.points}

    @cached_property
    def mistakes(self) -> dict:
        return copy.copy(self.table(self._namespace))

    @property
    def functions(self) -> list[str]:
        return list(self.points)

    @cached_property
    def setup_ids(self) -> set[str]:
        return {c.id for c in nbs.cells_with_role(nbs.read(self.notebook), nbs.ROLE_SETUP)}

    @cached_property
    def demo_ids(self) -> set[str]:
        """The solution's code cells that neither set up nor define a graded function: they
        try or show things, and grading needs none of their work."""
        roles = (nbs.ROLE_SETUP, nbs.ROLE_GRADED)
        nb = nbs.read(self.notebook)
        return {
            c.id
            for c in nb.cells
            if c.cell_type == "code" and nbs.cell_meta(c).get("role") not in roles
        }

    @cached_property
    def tests(self) -> list[Test]:
        """Visible cases first, then hidden ones, for every graded function."""
        found = []
        for function in self.functions:
            visible = [(c, False) for c in cases.visible(function)]
            hidden = [(c, True) for c in self.hidden.hidden(function)]
            for i, (case, is_hidden) in enumerate(visible + hidden):
                found.append(Test(f"{function}/{i}", function, case, is_hidden))
        return found

    def expectation(self, function: str) -> Expectation:
        """Reference outputs and mistake outputs for all cases of a function."""
        return self._expectations[function]

    @cached_property
    def _expectations(self) -> dict[str, Expectation]:
        built = {}
        for function in self.functions:
            chosen = tuple(t.case for t in self.tests if t.function == function)
            outputs = tuple(_canonical(self.reference[function], c) for c in chosen)
            mistakes = tuple(
                Mistake(key, message, tuple(_canonical(wrong, c) for c in chosen))
                for key, message, wrong in self.mistakes.get(function, [])
            )
            built[function] = Expectation(function, chosen, outputs, mistakes)
        return built


def _canonical(fn, case: Case):
    """The output of ``fn`` on ``case`` in the form outputs take after travelling as JSON."""
    return values.decode(values.encode(expected.run_case(fn, case)))


def load_assignments(root: Path) -> dict[str, Assignment]:
    """Every exercise set of a course checkout, from its solutions/ folder."""
    solutions = root / "solutions"
    if not (solutions / "hidden_cases.py").is_file():
        raise FileNotFoundError(
            f"{solutions} holds no hidden_cases.py: grading needs the "
            "instructors' edition of the course, not the student edition"
        )
    hidden = load_module(solutions / "hidden_cases.py", "course_hidden_cases")
    table = load_module(solutions / "mistakes.py", "course_mistakes").table
    found = {}
    for path in sorted(solutions.glob("*.ipynb")):
        nb = nbs.read(path)
        name = nbs.exercise_set(nb)
        found[name] = Assignment(name, path, nbs.graded_functions(nb), hidden, table)
    return found
