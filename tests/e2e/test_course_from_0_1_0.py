"""A course whose nbgrader_config.py was written by `dlgrade init` 0.1.0 (before autograder/ was
split into rooms) grades, gives feedback and exports as a new one: plain nbgrader commands, the
trusted grader's verdicts in the grade cells, the Portuguese feedback."""
import shutil

import nbformat
import pytest

from autograder.course.create import init_course
from autograder.course.folder import run_nbgrader
from autograder.grading.submission import assignment_points
from tests.support import REPO_ROOT, exported_scores

pytestmark = pytest.mark.slow

ASSIGNMENT = "a1_ativacoes"
OLD_CONFIG = REPO_ROOT / "tests" / "support" / "courses" / "nbgrader_config_0.1.0.py"


def test_an_old_course_grades_with_the_trusted_grader(tmp_path):
    course = tmp_path / "curso"
    init_course(course, only=[ASSIGNMENT])
    shutil.copyfile(OLD_CONFIG, course / "nbgrader_config.py")
    for student, version in (("8001", "source"), ("8002", "release")):  # full marks, the stubs
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        shutil.copyfile(course / version / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", folder / f"{ASSIGNMENT}.ipynb")

    run_nbgrader(course, "autograde", ASSIGNMENT, "--force")
    run_nbgrader(course, "generate_feedback", ASSIGNMENT, "--force")

    assert exported_scores(course, ASSIGNMENT) == {"8001": sum(assignment_points(ASSIGNMENT).values()), "8002": 0.0}
    graded = nbformat.read(course / "autograded" / "8001" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    verdicts = ["".join(o.get("text", "") for o in c.outputs) for c in graded.cells
                if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    assert verdicts and all(v.startswith("Testes escondidos:") for v in verdicts)  # TrustedGrade's
    feedback = (course / "feedback" / "8002" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(encoding="utf-8")
    assert "Testes escondidos: 0 de" in feedback and 'lang="pt-BR"' in feedback  # dlgrade's template
