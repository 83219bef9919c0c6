"""The `dlgrade` command as a user runs it: a real process, the installed console script.
(`dlgrade demo` has its own file, tests/e2e/test_workflow.py.)"""
import subprocess

from tests.support import DLGRADE, offline_prefix


def run_dlgrade(*args, offline=False, timeout=300):
    command = (offline_prefix() if offline else []) + [DLGRADE, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def test_unknown_command_is_refused():
    result = run_dlgrade("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
