"""The `dlgrade` command as a user runs it: a real process, the installed console script.
(`dlgrade demo` has its own file, tests/test_workflow.py.)"""
import shutil
import subprocess
import sys
from pathlib import Path


DLGRADE = shutil.which("dlgrade", path=str(Path(sys.executable).parent)) or "dlgrade"


def offline_prefix():
    """`unshare -n` runs the command in a network namespace with no interfaces up: a real
    offline run. Where namespaces are not allowed the demo runs as it is."""
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True) if shutil.which("unshare") else None
    return ["unshare", "-n"] if probe is not None and probe.returncode == 0 else []


def run_dlgrade(*args, offline=False, timeout=300):
    command = (offline_prefix() if offline else []) + [DLGRADE, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def test_unknown_command_is_refused():
    result = run_dlgrade("frobnicate")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
