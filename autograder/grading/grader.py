"""The trusted grader: runs an assignment's hidden suite against one notebook and scores it.

The suite runs here, in a process that never executes student code (that happens in the
sandboxed worker behind the ``student`` fixture). Each test counts for one grade cell
(``@pytest.mark.grade``); a cell scores its points times the share (by weight) of its tests
passed. The report is the JSON object of ``dlgrade check --json``.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from autograder.grading.submission import load_submission
from autograder.paths import SUITES_DIR
from autograder.sandbox.trusted_side import BrokenExercise, CallTimeout, StudentCodeError, WorkerDied

RAISED = "a sua função lançou um erro: "  # then the exception's name: `dlgrade report` groups by it
TIMED_OUT = "a sua função não terminou a tempo"
NOT_AS_EXPECTED = "o resultado não é o esperado"
NOTE = "verdict_note"  # a test's ``record_property(NOTE, text)``: shown with its verdict, even when it passes


def assertion_message(error: AssertionError) -> str:
    """The suite's own message, without the line pytest's assertion rewriting appends (``assert 0.6
    >= (0.6 + 0.02)`` and its ``+  where`` lines): hidden test code the student must not read."""
    lines = str(error).split("\n")
    cut = next((i for i, line in enumerate(lines) if line.startswith("assert ")), len(lines))
    return "\n".join(lines[:cut]).rstrip() or NOT_AS_EXPECTED


def feedback_message(error: BaseException) -> str:
    """The Portuguese message a student sees for a failed test: never the hidden test's code."""
    if isinstance(error, AssertionError):
        return assertion_message(error)
    if isinstance(error, BrokenExercise):
        return str(error)
    if isinstance(error, StudentCodeError):
        return f"{RAISED}{error}"
    if isinstance(error, CallTimeout):
        return f"{TIMED_OUT} (laço infinito ou código lento demais)"
    if isinstance(error, WorkerDied):
        return f"o processo que rodava o seu código terminou de repente ({error})"
    return f"erro ao avaliar este teste ({type(error).__name__})"


def test_name(item) -> str:
    doc = (getattr(item.function, "__doc__", None) or item.name).strip().splitlines()[0]
    callspec = getattr(item, "callspec", None)
    return f"{doc} [{callspec.id}]" if callspec else doc


class ResultCollector:
    """pytest plugin that records each test's grade cell, verdict and message; with ``only``,
    runs only the tests of those grade cells."""

    def __init__(self, only: set[str] | None = None):
        self.results: list[dict] = []
        self.only = only

    def pytest_collection_modifyitems(self, config, items):
        if self.only is None:
            return
        chosen = [i for i in items if (m := i.get_closest_marker("grade")) and m.args[0] in self.only]
        config.hook.pytest_deselected(items=[i for i in items if i not in chosen])
        items[:] = chosen

    def pytest_configure(self, config):
        # Only the exception's message reaches the student: skip building tracebacks, which
        # recompiles the suite for every failure (seconds for a notebook of stubs).
        config.option.tbstyle = "no"

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or (report.when == "setup" and not report.passed):
            marker = item.get_closest_marker("grade")
            passed = report.passed
            message = "" if passed else feedback_message(call.excinfo.value) if call.excinfo else "falhou"
            if passed:
                message = str(dict(item.user_properties).get(NOTE, ""))
            self.results.append({
                "grade_id": marker.args[0] if marker else None,
                "weight": float(marker.kwargs.get("weight", 1.0)) if marker else 1.0,
                "name": test_name(item),
                "passed": passed,
                "message": message,
                "seconds": report.duration,
            })


def grade_notebook(path: Path, call_timeout: float | None = None, timings: dict | None = None,
                   attachments_dir: Path | None = None, memory_bytes: int | None = None,
                   cpu_seconds: int | None = None, only: list[str] | None = None) -> dict:
    """Grades one notebook; raises SubmissionError when it cannot be graded at all (a broken
    exercise, in ``Submission.broken``, scores 0 and the rest is graded).
    ``only``: grade just these grade cells (the report has no others).
    ``timings``, when given, receives the seconds the tests of each grade cell took.
    ``attachments_dir`` holds the files handed in with it (default: the notebook's folder).
    ``call_timeout``, ``memory_bytes`` and ``cpu_seconds`` override the assignment's profile."""
    submission = load_submission(Path(path), attachments_dir)
    suite = SUITES_DIR / f"test_{submission.assignment_id}.py"
    collector = ResultCollector(set(only) if only is not None else None)
    args = [str(suite), "-c", str(SUITES_DIR / "pytest.ini"), "--rootdir", str(SUITES_DIR),
            "-p", "no:cacheprovider", "-p", "no:terminal", "--submission", str(submission.path),
            "--attachments-dir", str(submission.attachments_dir)]
    for option, value in (("--call-timeout", call_timeout), ("--memory-bytes", memory_bytes),
                          ("--cpu-seconds", cpu_seconds)):
        if value:
            args += [option, str(value)]
    exit_code = pytest.main(args, plugins=[collector])
    if exit_code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise RuntimeError(f"the hidden suite {suite.name} could not run (pytest exit {exit_code})")

    cells = {}
    for grade_id, points in submission.points.items():
        if only is not None and grade_id not in only:
            continue
        tests = [r for r in collector.results if r["grade_id"] == grade_id]
        if not tests:
            raise RuntimeError(f"the hidden suite {suite.name} has no test for {grade_id}")
        if grade_id in submission.broken:
            # Even a test that never calls the function (a signature check) must not score.
            tests = [{**t, "passed": False, "message": submission.broken[grade_id]} for t in tests]
        if timings is not None:
            timings[grade_id] = sum(t["seconds"] for t in tests)
        total = sum(t["weight"] for t in tests)
        passed = sum(t["weight"] for t in tests if t["passed"])
        cells[grade_id] = {
            "score": round(points * passed / total, 4),
            "max_score": points,
            "tests": [{"name": t["name"], "passed": t["passed"], "message": t["message"]} for t in tests],
        }
    return {
        "assignment": submission.assignment_id,
        "score": round(sum(c["score"] for c in cells.values()), 4),
        "max_score": sum(c["max_score"] for c in cells.values()),
        "cells": cells,
    }
