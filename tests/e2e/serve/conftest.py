"""A course for the grading service's tests: a1 (its deadline passed) and a2 (3 submissions a day),
built once per module, with course overrides of the profiles in its nbgrader_config.py."""
import nbformat
import pytest

from autograder.course.create import init_course
from autograder.demo.workflow import demo_cells
from autograder.grading.submission import with_cells

ASSIGNMENT = "a2_convolucao"
CLOSED = "a1_ativacoes"
ADMIN_TOKEN = "segredo-do-professor-para-o-admin"
OVERRIDES = f'''
c.GradingService.submissions_per_day = {{"{ASSIGNMENT}": 3}}
c.GradingService.deadlines = {{"{CLOSED}": "2020-03-01T23:59:00-03:00"}}
c.GradingService.admin_token = "{ADMIN_TOKEN}"
'''


def build_course(folder, overrides: str = OVERRIDES, only=(CLOSED, ASSIGNMENT), db_url: str | None = None):
    init_course(folder, only=list(only), db_url=db_url)
    with open(folder / "nbgrader_config.py", "a", encoding="utf-8") as handle:
        handle.write(overrides)
    return folder


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return build_course(tmp_path_factory.mktemp("servico") / "curso")


def notebooks(course, assignment: str = ASSIGNMENT) -> dict[str, bytes]:
    """Kind of student -> notebook bytes: the source (every answer right), half right, the release (stubs)."""
    source = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    kinds = {"full": source, "stub": release}
    if assignment == ASSIGNMENT:
        kinds["half_right"] = with_cells(source, demo_cells()["half_right"])
    return {kind: nbformat.writes(nb).encode() for kind, nb in kinds.items()}


def variant(notebook: bytes, number: int) -> bytes:
    """A different notebook with the same answers (no cached result to reuse); 0: the same one."""
    return notebook.replace(b"Exerc", b"Exerc" + b"i" * number, 1)
