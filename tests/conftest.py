"""Shared fixtures: one course built with `dlgrade init` for the whole session."""
import shutil
import subprocess

import pytest

from tests.support import DLGRADE


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A course directory made by the real `dlgrade init` command, built once per session."""
    directory = tmp_path_factory.mktemp("course") / "deep-learning-2"
    result = subprocess.run([DLGRADE, "init", str(directory)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    yield directory
    shutil.rmtree(directory, ignore_errors=True)
