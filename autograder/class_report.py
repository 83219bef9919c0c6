"""`dlgrade report`: what a class got right and wrong in one assignment, after autograde.

Nothing is graded again. Scores come from the course's nbgrader gradebook (so an instructor's
manual adjustments count); each test's verdict and message come from the grading cache, through
the record the trusted grader leaves of every student's latest result
(``ResultCache.record_verdict``); the code compared for similarity is the submitted notebooks'.

The numbers (the JSON of ``dlgrade report --json``):

- per exercise (grade cell): mean, share of full marks, difficulty (mean / points, as
  PrairieLearn's "mean score") and discrimination (Pearson correlation of the exercise's score
  with the rest of the assignment's score; None below 3 students or with no spread);
- per hidden test: the share of graded students who failed it;
- misconceptions: students grouped by the hint (``dica: ...``) their failed tests triggered;
- similar pairs, per exercise (``autograder.similarity``).
"""
from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from autograder.grader import RAISED, TIMED_OUT

HINT_PREFIX = "dica: "
HINT_SEPARATOR = " Ou: "  # the suites join the hints of slips that give the same wrong value
# The exception a student's own function raised: grader.feedback_message's wording, or a suite's
# "esperava ValueError, mas a função lançou ...".
RAISED_ERROR = re.compile(r"(?:" + re.escape(RAISED.strip()) + r"|a função lançou) (?P<error>[A-Za-z_][\w.]*)")


@dataclass
class StudentResult:
    """One student's standing in the assignment."""
    student: str
    name: str = ""
    score: float | None = None               # the gradebook's, after the late penalty (None: no submission)
    cells: dict[str, float] = field(default_factory=dict)  # grade_id -> score, the gradebook's
    seconds_late: float = 0.0
    pending: bool = False                    # written answers still to grade by hand
    report: dict | None = None               # the trusted grader's report (tests and messages)
    problem: str | None = None               # why it could not be graded
    submitted: bool = False                  # a notebook lies in submitted/
    code: dict[str, str] = field(default_factory=dict)  # grade_id -> the solution cell's source

    @property
    def autograded(self) -> bool:
        """Graded by the hidden suite: its tests and hints count. (A notebook nbgrader could
        not read may still have a 0 in the gradebook: it is listed apart, with why.)"""
        return self.score is not None and self.problem is None

    @property
    def graded(self) -> bool:
        """Autograded, with nothing left to grade by hand: its scores count."""
        return self.autograded and not self.pending

    @property
    def label(self) -> str:
        return f"{self.name} ({self.student})" if self.name else self.student


@dataclass
class ClassData:
    assignment: str
    points: dict[str, float]                 # grade cell -> points (autograded and written answers)
    students: list[StudentResult]
    starter: dict[str, str] = field(default_factory=dict)  # grade_id -> the release's cell source
    max_score: float | None = None           # the gradebook's (None: the sum of ``points``)

    @property
    def graded(self) -> list[StudentResult]:
        return [s for s in self.students if s.graded]

    @property
    def autograded(self) -> list[StudentResult]:
        return [s for s in self.students if s.autograded]


def hints_of(message: str) -> list[str]:
    """The diagnostic hints in a failed test's message: its ``dica:`` lines, each alternative
    apart; without one, the kind of error the student's function raised (grader.feedback_message)."""
    hints = []
    for line in message.splitlines():
        line = line.strip()
        if line.startswith(HINT_PREFIX):
            hints += [h.strip() for h in line[len(HINT_PREFIX):].split(HINT_SEPARATOR) if h.strip()]
    raised = RAISED_ERROR.search(message)
    if raised and raised["error"] == "NotImplementedError":
        return ["exercício não feito: a função ainda lança NotImplementedError"]
    if not hints and raised:
        return [f"a função lança {raised['error']}"]
    if not hints and message.startswith(TIMED_OUT):
        return [TIMED_OUT]
    return hints


def correlation(x: list[float], y: list[float]) -> float | None:
    """Pearson's r, None when it is undefined (fewer than 3 points, or a constant series)."""
    if len(x) < 3 or np.std(x) == 0 or np.std(y) == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


def cell_statistics(data: ClassData) -> dict[str, dict]:
    graded = data.graded
    cells = {}
    for grade_id, points in data.points.items():
        scores = [s.cells.get(grade_id, 0.0) for s in graded]
        rest = [s.score - c for s, c in zip(graded, scores)]
        mean = statistics.fmean(scores) if scores else None
        cells[grade_id] = {
            "mean": rounded(mean),
            "max_score": points,
            "full_marks_share": rounded(sum(c >= points - 1e-9 for c in scores) / len(scores)) if scores else None,
            "difficulty": rounded(mean / points) if scores and points else None,
            "discrimination": rounded(correlation(scores, rest)),
        }
    return cells


def test_statistics(data: ClassData) -> list[dict]:
    """Each hidden test with the share of the students (with a report) who failed it, most failed first."""
    taken, failed = defaultdict(int), defaultdict(int)  # insertion order: the suite's
    for student in data.autograded:
        for grade_id, cell in (student.report or {}).get("cells", {}).items():
            for test in cell["tests"]:
                taken[grade_id, test["name"]] += 1
                failed[grade_id, test["name"]] += not test["passed"]
    tests = [{"grade_id": g, "name": n, "failed_share": rounded(failed[g, n] / taken[g, n])} for g, n in taken]
    return sorted(tests, key=lambda t: -t["failed_share"])  # stable: ties stay in the suite's order


def misconceptions(data: ClassData) -> list[dict]:
    """Students grouped by (exercise, hint) of their failed tests; the most common first."""
    groups = defaultdict(set)
    for student in data.autograded:
        for grade_id, cell in (student.report or {}).get("cells", {}).items():
            for test in cell["tests"]:
                if not test["passed"]:
                    for hint in hints_of(test["message"]):
                        groups[grade_id, hint].add(student.student)
    order = list(data.points)
    found = [{"grade_id": g, "hint": h, "students": sorted(ids)} for (g, h), ids in groups.items()]
    return sorted(found, key=lambda m: (-len(m["students"]), order.index(m["grade_id"])
                                        if m["grade_id"] in order else len(order), m["hint"]))


def similar(data: ClassData) -> list:
    from autograder.similarity import similar_pairs

    return similar_pairs({s.student: s.code for s in data.students if s.submitted and s.code}, data.starter)


def summary(data: ClassData, pairs: list) -> dict:
    """The report's numbers, the object ``dlgrade report --json`` prints."""
    scores = [s.score for s in data.graded]
    return {
        "assignment": data.assignment,
        "students": len(scores),
        "score": {"mean": rounded(statistics.fmean(scores)) if scores else None,
                  "median": rounded(statistics.median(scores)) if scores else None,
                  "max_score": data.max_score if data.max_score is not None else sum(data.points.values())},
        "cells": cell_statistics(data),
        "tests": test_statistics(data),
        "misconceptions": misconceptions(data),
        "similar_pairs": [{"students": list(p.students), "grade_id": p.grade_id, "similarity": p.similarity}
                          for p in pairs],
        "submissions": {
            "late": [{"student": s.student, "seconds_late": rounded(s.seconds_late, 0)}
                     for s in data.students if s.seconds_late > 0],
            "missing": [s.student for s in data.students if not s.submitted and s.score is None],
            "not_graded": [{"student": s.student, "reason": s.problem} for s in data.students if s.problem],
            "pending_manual": [s.student for s in data.autograded if s.pending],
            # Graded before dlgrade kept verdicts, or the cache was deleted: scores, but no tests.
            "no_details": [s.student for s in data.autograded if s.report is None],
        },
    }


def solution_code(notebook: Path) -> dict[str, str]:
    """grade_id -> source of each exercise's solution cell that the notebook still has; {} for
    a file that is not a notebook. A student who deleted one exercise cell is still compared on
    the others (load_submission lists it as broken and keeps the rest)."""
    from autograder.submission import SubmissionError, load_submission

    try:
        submission = load_submission(notebook)
    except SubmissionError:
        return {}
    return {grade_id: submission.cells[index] for grade_id, index in submission.cell_of.items()}


def collect(course: Path, assignment: str) -> ClassData:
    """Reads the gradebook, the grading cache and the submitted notebooks of ``assignment``."""
    from autograder.autograde import submitted_notebooks
    from autograder.course import read_assignment
    from autograder.result_cache import ResultCache

    course = Path(course).resolve()
    cache = ResultCache(course, assignment)
    record = read_assignment(course, assignment)
    students = {student: StudentResult(student, name) for student, name in record.names.items()}
    for student, submission in record.submissions.items():
        result = students.setdefault(student, StudentResult(student))
        result.score, result.cells = submission.score, submission.cells
        result.seconds_late, result.pending = submission.seconds_late, submission.needs_manual_grade
    for student_id, notebook in submitted_notebooks(course, assignment):
        result = students.setdefault(student_id, StudentResult(student_id))
        result.submitted = True
        result.code = solution_code(notebook) if notebook.is_file() else {}
        if not notebook.is_file():
            result.problem = f"não há {notebook.name} na entrega"
    for result in students.values():
        report, problem = cache.verdict(result.student)
        result.report = report
        result.problem = result.problem or problem
        if result.submitted and result.score is None and not result.problem:
            result.problem = ("não está no gradebook: a correção falhou (o log do dlgrade autograde diz por quê) "
                              "ou ainda não rodou")
    release = course / "release" / assignment / f"{assignment}.ipynb"
    return ClassData(assignment, record.points, sorted(students.values(), key=lambda s: s.student),
                     solution_code(release) if release.is_file() else {}, record.max_score)


def write_report(course: Path, assignment: str) -> tuple[Path, dict]:
    """Writes ``course/reports/<assignment>/index.html``; returns its path and the numbers."""
    from autograder.report_page import write_page

    data = collect(course, assignment)
    pairs = similar(data)
    numbers = summary(data, pairs)
    return write_page(course, data, numbers, pairs), numbers
