"""The ``student`` fixture of the hidden suites: the submitted notebook's functions, running in
the sandboxed worker. Tests call them with ``student.call(...)`` and compare the plain results
with the reference solution here, in the trusted process."""
from __future__ import annotations

from pathlib import Path

import pytest
from dlhelpers.checks import FORWARD_PARTS, returned_parts

from autograder.authoring.profiles import load_profile
from autograder.grading.submission import load_submission
from autograder.paths import HELPERS_DIR
from autograder.sandbox.trusted_side import BrokenExercise, CallTimeout, Sandbox, StudentCodeError
from autograder.sandbox.visibility import hidden_from_graded_code


def pytest_addoption(parser):
    parser.addoption("--submission", help="the notebook to grade")
    parser.addoption("--attachments-dir", help="the files handed in with the notebook (default: its folder)")
    # Overrides of the assignment's profile (TrustedGrade's configurables, dlgrade's tests).
    parser.addoption("--call-timeout", type=float, help="seconds per call of a student's function")
    parser.addoption("--memory-bytes", type=int, help="address space of the worker")
    parser.addoption("--cpu-seconds", type=int, help="CPU time of the worker")


@pytest.fixture(scope="session")
def attachments_dir(request) -> Path:
    """The folder of the files handed in with the notebook (read here, never by student code)."""
    folder = request.config.getoption("--attachments-dir")
    return Path(folder) if folder else Path(request.config.getoption("--submission")).parent


class Student:
    """The student's functions, called in the worker.

    A function that has already run out of time twice fails its next calls at once with the
    same verdict: a hanging function costs its own tests, not minutes of everyone's grading."""

    MAX_TIMEOUTS = 2

    def __init__(self, submission, sandbox):
        self.submission, self.sandbox = submission, sandbox
        self.timeouts: dict[str, int] = {}

    def call(self, function, *args, keep=(), timeout=None, **kwargs):
        if function in self.submission.broken:
            # Not the student's code to run: a cell that lost its `def` (or was deleted) scores 0.
            raise BrokenExercise(self.submission.broken[function])
        index = self.submission.cell_of.get(function)
        if index is not None and index in self.sandbox.load_errors:
            raise StudentCodeError(f"a célula do exercício {function} não executou: {self.sandbox.load_errors[index]}")
        if self.timeouts.get(function, 0) >= self.MAX_TIMEOUTS:
            raise CallTimeout(f"{function} já esgotou o tempo {self.MAX_TIMEOUTS} vezes")
        try:
            return self.sandbox.call(function, *args, keep=keep, timeout=timeout, **kwargs)
        except CallTimeout:
            self.timeouts[function] = self.timeouts.get(function, 0) + 1
            raise

    def fetch(self, ref, items=None, timeout=None, rng_seed=None):
        """A value a call kept in the worker (``keep=((),)``), or its first ``items`` elements
        (iterated after seeding the worker's generators with ``rng_seed``)."""
        return self.sandbox.fetch(ref, items=items, timeout=timeout, rng_seed=rng_seed)

    def forward(self, function, *args, **kwargs):
        """For functions that return (out, cache): the cache stays in the worker."""
        return returned_parts(self.call(function, *args, keep=(1,), **kwargs), FORWARD_PARTS, function)


@pytest.fixture(scope="session")
def student(request, attachments_dir):
    path = request.config.getoption("--submission")
    if not path:
        pytest.fail("run the hidden suites with --submission NOTEBOOK")
    submission = load_submission(Path(path))
    profile = load_profile(submission.assignment_id)
    call_timeout = request.config.getoption("--call-timeout")
    limits = profile.limits(
        call_timeout=call_timeout,
        # Loading runs every setup and solution cell: a few calls' worth of time.
        load_timeout=max(3 * call_timeout, profile.load_timeout) if call_timeout else None,
        memory_bytes=request.config.getoption("--memory-bytes"),
        cpu_seconds=request.config.getoption("--cpu-seconds"),
    )
    hide = hidden_from_graded_code(profile, submission.path.parent, attachments_dir)
    with Sandbox(submission.cells, helpers=HELPERS_DIR, hide=hide, limits=limits, labels=submission.labels) as sandbox:
        sandbox.start()
        yield Student(submission, sandbox)
