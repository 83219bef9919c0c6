"""`dlgrade autograde` runs each notebook beside the files of its own submission (overwritten by
the source folder's, as `nbgrader autograde` lays them out), never beside the source's alone;
the submitted files are only read."""
import subprocess

import nbformat
import pytest

from autograder.grading.result_cache import CACHE_DIR_NAME
from tests.support import DLGRADE

pytestmark = pytest.mark.slow

ASSIGNMENT = "a1_ativacoes"
STUDENTS = {"7001": "anotações da Ana", "7002": "anotações do Bruno"}


def test_each_notebook_runs_beside_its_own_files(course):
    notebook = nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("print(open('anotacoes.txt', encoding='utf-8').read())"))
    submitted = {}
    for student, text in STUDENTS.items():  # the same notebook, different files beside it
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(notebook, folder / f"{ASSIGNMENT}.ipynb")
        (folder / "anotacoes.txt").write_text(text, encoding="utf-8")
        submitted.update({path: path.read_bytes() for path in folder.iterdir()})
    broken = course / "submitted" / "7003" / ASSIGNMENT  # a folder that cannot be copied
    broken.mkdir(parents=True)
    nbformat.write(notebook, broken / f"{ASSIGNMENT}.ipynb")
    (broken / "anotacoes.txt").symlink_to(broken / "sumiu.txt")

    result = subprocess.run([DLGRADE, "autograde", ASSIGNMENT, "--course", str(course), "--workers", "2"],
                            capture_output=True, text=True, timeout=900)
    # The broken folder is reported on its own line; the others are graded.
    assert "7003: a pasta da submissão não pôde ser copiada" in result.stderr, result.stdout + result.stderr
    assert "2 de 3 submissões corrigidas" in result.stdout, result.stdout + result.stderr
    # nbgrader found every result the parallel pass computed under the keys it computes itself:
    # one grading (same cells) and one Run-All per folder, nothing recomputed beside them.
    cache = course / CACHE_DIR_NAME
    assert len(list((cache / ASSIGNMENT).glob("*.json"))) == 3
    assert not list(cache.glob("work-*")) and not list((cache / ASSIGNMENT).glob("*.lock"))

    for student, text in STUDENTS.items():
        graded = nbformat.read(course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
        printed = "".join(o.get("text", "") for o in graded.cells[-1].outputs)
        assert printed.strip() == text, (student, graded.cells[-1].outputs)
        scores = [c.outputs[-1]["data"]["text/plain"] for c in graded.cells
                  if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
        assert scores and all(float(s) > 0 for s in scores)
    assert {path: path.read_bytes() for path in submitted} == submitted
