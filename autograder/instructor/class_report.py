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
- similar pairs, per exercise (``autograder.instructor.similarity``).
"""
from __future__ import annotations

import re
import statistics
from collections import defaultdict
from pathlib import Path

import numpy as np

from autograder.grading.grader import RAISED, TIMED_OUT
from autograder.instructor.class_data import ClassData, collect
from autograder.instructor.report_page import write_page

HINT_PREFIX = "dica: "
HINT_SEPARATOR = " Ou: "  # the suites join the hints of slips that give the same wrong value
# The exception a student's own function raised: grader.feedback_message's wording, or a suite's
# "esperava ValueError, mas a função lançou ...".
RAISED_ERROR = re.compile(r"(?:" + re.escape(RAISED.strip()) + r"|a função lançou) (?P<error>[A-Za-z_][\w.]*)")


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
    from autograder.instructor.similarity import similar_pairs

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


def write_report(course: Path, assignment: str) -> tuple[Path, dict]:
    """Writes ``course/reports/<assignment>/index.html``; returns its path and the numbers."""
    data = collect(course, assignment)
    pairs = similar(data)
    numbers = summary(data, pairs)
    return write_page(course, data, numbers, pairs), numbers
