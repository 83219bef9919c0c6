"""The course workflow end to end, as `make demo` runs it, offline: Moodle zip -> zip_collect ->
dlgrade autograde -> feedback -> CSV; then a serial `nbgrader autograde` from scratch must
write exactly the same scores, and the feedback must never show hidden test code."""
import csv
import shutil
import subprocess

import nbformat
import pytest

from autograder.course import run_nbgrader
from autograder.demo import ASSIGNMENT
from autograder.result_cache import CACHE_DIR_NAME
from tests.support import DLGRADE, exported_scores, offline_prefix

pytestmark = pytest.mark.slow


def grades(course):
    return exported_scores(course, ASSIGNMENT)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    result = subprocess.run(offline_prefix() + [DLGRADE, "demo", "--keep", str(folder)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return folder / "curso", result


def test_demo_prints_the_summary_and_writes_csv_and_histogram(demo):
    course, result = demo
    for line in ("Ana Souza", "Bruno Lima", "Carla Dias", "Davi Rocha", "Elis Prado", "Fabio Reis", "tempo total"):
        assert line in result.stdout
    assert (course / "grades.csv").is_file()
    png = course / f"notas-{ASSIGNMENT}.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "1006" in result.stderr and "não é um notebook válido" in result.stderr  # reported, batch went on


def test_scores_tell_the_students_apart(demo):
    course, _ = demo
    scores = grades(course)
    full = 11.0
    assert scores["1001"] == full          # the reference answer
    assert scores["1005"] == full          # honest nested loops
    assert scores["1002"] == 0             # untouched stubs
    assert 0 < scores["1003"] < full       # half right: partial credit
    assert scores["1004"] <= full - 6      # the cheater loses conv_forward and conv_backward
    assert scores["1006"] == 0             # the broken file


def test_output_on_stderr_never_zeroes_a_grade_cell(demo):
    course, _ = demo  # Carla's conv_forward prints to stderr at every call, like TensorFlow
    autograded = nbformat.read(course / "autograded" / "1003" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    grade_cells = [c for c in autograded.cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert grade_cells
    for cell in grade_cells:
        assert not any(o.get("name") == "stderr" for o in cell.outputs)
    assert any(o.get("name") == "stderr" for c in autograded.cells for o in c.get("outputs", []))
    assert grades(course)["1003"] > 0


def test_moodle_names_reach_the_gradebook_and_the_csv(demo):
    course, _ = demo
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["1001", "1002", "1003", "1004", "1005", "1006"]
    assert (course / "submitted" / "1006" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()  # renamed from "tarefa 2 (1)"
    with open(course / "grades.csv", newline="", encoding="utf-8") as stream:
        rows = {r["student_id"]: r for r in csv.DictReader(stream)}
    assert (rows["1001"]["first_name"], rows["1001"]["last_name"]) == ("Ana", "Souza")


def test_feedback_shows_verdicts_and_never_the_hidden_tests(demo):
    course, _ = demo
    html = (course / "feedback" / "1003" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
    assert "Testes escondidos" in html and "✘" in html and "✔" in html
    for hidden in ("expect_close", "def test_", "student.call", "pytest", "solutions"):
        assert hidden not in html, hidden
    for student in ("1001", "1002", "1004", "1005"):
        assert (course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()


def test_serial_nbgrader_autograde_gives_the_same_scores(demo):
    course, _ = demo
    parallel = grades(course)
    shutil.rmtree(course / CACHE_DIR_NAME)
    try:
        run_nbgrader(course, "autograde", ASSIGNMENT, "--force")
    except Exception:  # noqa: BLE001 - nbgrader exits non-zero for the broken file, after grading the rest
        pass
    assert grades(course) == parallel
