"""The `dlgrade` command as a user runs it: a real process, the installed console script."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DLGRADE = shutil.which("dlgrade", path=str(Path(sys.executable).parent)) or "dlgrade"


def offline_prefix():
    """`unshare -n` runs the command in a network namespace with no interfaces up: a real
    offline run. Where namespaces are not allowed the demo runs as it is."""
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True) if shutil.which("unshare") else None
    return ["unshare", "-n"] if probe is not None and probe.returncode == 0 else []


def run_dlgrade(*args, offline=False, timeout=300):
    command = (offline_prefix() if offline else []) + [DLGRADE, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_demo_runs_offline_lists_every_function_and_exits_zero():
    result = run_dlgrade("demo", offline=True)
    assert result.returncode == 0, result.stdout + result.stderr
    from autograder.tensorflow_check import DEMO_CASES

    lines = result.stdout.splitlines()
    for assignment, functions, _ in DEMO_CASES:
        row = [line for line in lines if line.startswith(assignment) and f" {functions} " in line]
        assert len(row) == 1, f"expected one row for {functions}, found {row}"
        assert "  ok  " in row[0], row[0]
    assert "all agree with TensorFlow" in result.stdout


def test_unknown_command_is_refused():
    result = run_dlgrade("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
