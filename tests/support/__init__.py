"""Code the tests share: paths, the TensorFlow oracle, sample submissions. Test modules import
from here, never from one another."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# The installed command of this environment (the venv make test created).
DLGRADE = str(Path(sys.executable).parent / "dlgrade")


def run_check(notebook) -> subprocess.CompletedProcess:
    """`dlgrade check --json NOTEBOOK`, as an instructor runs it."""
    return subprocess.run([DLGRADE, "check", "--json", str(notebook)], capture_output=True, text=True, timeout=600)


def check_report(notebook) -> dict:
    """The JSON report of `dlgrade check`, which must complete (exit status 0)."""
    result = run_check(notebook)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def failing_tests(report: dict, first: int | None = None) -> dict[str, list[str]]:
    """grade_id -> the messages of its failed tests (the first ``first``), for cells short of full marks."""
    return {grade_id: [t["message"] for t in cell["tests"] if not t["passed"]][:first]
            for grade_id, cell in report["cells"].items() if cell["score"] != cell["max_score"]}


def numpy_assignments() -> list[str]:
    """The assignments whose profile does not say Keras: a1 to a5 today."""
    from autograder.authoring.builder import assignment_ids
    from autograder.authoring.profiles import load_profile

    return [a for a in assignment_ids() if not load_profile(a).keras]


def offline_prefix() -> list[str]:
    """Runs a command in a network namespace of its own with only loopback up, as on a machine
    with no network (the local Dask cluster talks over 127.0.0.1). Where namespaces are not
    allowed the command runs as it is."""
    if not (shutil.which("unshare") and shutil.which("ip")):
        return []
    prefix = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" "$@"']
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    return prefix if probe.returncode == 0 else []


def exported_scores(course, assignment) -> dict[str, float]:
    """student id -> score of ``assignment``, as `nbgrader export` writes them."""
    import csv

    from autograder.course.folder import run_nbgrader

    path = course / "grades.csv"
    run_nbgrader(course, "export", "--to", str(path))
    with open(path, newline="", encoding="utf-8") as stream:
        return {r["student_id"]: float(r["score"]) for r in csv.DictReader(stream) if r["assignment"] == assignment}
