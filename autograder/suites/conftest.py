"""The ``student`` fixture of the hidden suites: the submitted notebook's functions, running in
the sandboxed worker. Tests call them with ``student.call(...)`` and compare the plain results
with the reference solution here, in the trusted process."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from autograder.builder import HELPERS_DIR, REPO_ROOT
from autograder.course import MEMORY_LIMITS
from autograder.sandbox import CallTimeout, Limits, Sandbox, StudentCodeError
from autograder.submission import load_submission

import autograder
import solutions


def pytest_addoption(parser):
    parser.addoption("--submission", help="the notebook to grade")
    parser.addoption("--call-timeout", type=float, default=Limits.call_timeout)
    parser.addoption("--attachments-dir", help="the files handed in with the notebook (default: its folder)")


@pytest.fixture(scope="session")
def attachments_dir(request) -> Path:
    """The folder of the files handed in with the notebook (read here, never by student code)."""
    folder = request.config.getoption("--attachments-dir")
    return Path(folder) if folder else Path(request.config.getoption("--submission")).parent


def hidden_paths(notebook: Path) -> list[Path]:
    """What the worker must not see: the project, the packages holding the answers and the
    suites, the ELPV data, and the folder (and nbgrader course) the notebook comes from."""
    paths = {REPO_ROOT, Path(solutions.__file__).parent, Path(autograder.__file__).parent, notebook.parent}
    # The ELPV images and labels: the Keras suites judge accuracy on ELPV's test split, which
    # student code must not be able to read (and train on) while it is graded.
    elpv = importlib.util.find_spec("elpv_dataset")
    if elpv is not None and elpv.submodule_search_locations:
        paths.update(Path(p) for p in elpv.submodule_search_locations)
    for ancestor in notebook.resolve().parents:
        if (ancestor / "nbgrader_config.py").is_file():
            paths.add(ancestor)
    return sorted(p.resolve() for p in paths)


class Student:
    """The student's functions, called in the worker.

    A function that has already run out of time twice fails its next calls at once with the
    same verdict: a hanging function costs its own tests, not minutes of everyone's grading."""

    MAX_TIMEOUTS = 2

    def __init__(self, submission, sandbox):
        self.submission, self.sandbox = submission, sandbox
        self.timeouts: dict[str, int] = {}

    def call(self, function, *args, keep=(), timeout=None, **kwargs):
        index = self.submission.cell_of.get(function)
        if index is not None and index in self.sandbox.load_errors:
            raise StudentCodeError(f"a célula de {function} não executou: {self.sandbox.load_errors[index]}")
        if self.timeouts.get(function, 0) >= self.MAX_TIMEOUTS:
            raise CallTimeout(f"{function} já esgotou o tempo {self.MAX_TIMEOUTS} vezes")
        try:
            return self.sandbox.call(function, *args, keep=keep, timeout=timeout, **kwargs)
        except CallTimeout:
            self.timeouts[function] = self.timeouts.get(function, 0) + 1
            raise

    def fetch(self, ref, items=None, timeout=None):
        """A value a call kept in the worker (``keep=((),)``), or its first ``items`` elements."""
        return self.sandbox.fetch(ref, items=items, timeout=timeout)

    def forward(self, function, *args, **kwargs):
        """For functions that return (out, cache): the cache stays in the worker."""
        result = self.call(function, *args, keep=(1,), **kwargs)
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            raise AssertionError(f"{function} deve devolver a tupla (out, cache), mas devolveu outra coisa")
        return result


@pytest.fixture(scope="session")
def student(request):
    path = request.config.getoption("--submission")
    if not path:
        pytest.fail("run the hidden suites with --submission NOTEBOOK")
    submission = load_submission(Path(path))
    call_timeout = request.config.getoption("--call-timeout")
    # Loading runs every setup and solution cell: a few calls' worth of time.
    limits = Limits(call_timeout=call_timeout, load_timeout=max(3 * call_timeout, 10.0))
    if submission.assignment_id in MEMORY_LIMITS:
        # Keras assignments: TensorFlow's import, thread pools and memory, and training calls
        # (those pass their own, longer timeouts).
        limits = Limits(memory_bytes=MEMORY_LIMITS[submission.assignment_id], cpu_seconds=900,
                        call_timeout=max(call_timeout, 60.0), load_timeout=max(3 * call_timeout, 90.0),
                        threads=64)
    with Sandbox(submission.cells, helpers=HELPERS_DIR, hide=hidden_paths(submission.path), limits=limits) as sandbox:
        sandbox.start()
        yield Student(submission, sandbox)
