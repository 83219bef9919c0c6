"""The a2 feedback of a student whose conv_forward returns (Z, None) beside a correct
conv_backward (issue 23): the backward keeps its points, the forward loses only its cache test,
and no verdict line is repeated more than three times; for untouched stubs, each exercise's
repeated error is stated once with its count of cases. Real nbgrader autograde and feedback."""
import collections
import html
import re
import shutil

import nbformat
import pytest

from autograder.course.create import init_course
from autograder.course.folder import run_nbgrader
from autograder.grading.submission import with_cells
from tests.support import exported_scores

pytestmark = pytest.mark.slow

ASSIGNMENT = "a2_convolucao"


def verdict_lines(notebook_path):
    graded = nbformat.read(notebook_path, as_version=4)
    return [line for cell in graded.cells if cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade")
            for output in cell.outputs for line in output.get("text", "").splitlines() if line.strip()]


def test_the_feedback_states_each_failure_once(tmp_path):
    course = tmp_path / "curso"
    init_course(course, only=[ASSIGNMENT])
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    (forward,) = [c.source for c in source.cells if c.cell_type == "code" and "def conv_forward(" in c.source]
    assert forward.count("    return Z, cache") == 1
    none_cache = with_cells(source, {"conv_forward": forward.replace("    return Z, cache", "    return Z, None")})
    for student, notebook in (("9001", none_cache), ("9002", None)):
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        target = folder / f"{ASSIGNMENT}.ipynb"
        if notebook is None:  # the released stubs, untouched
            shutil.copyfile(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", target)
        else:
            nbformat.write(notebook, target)

    run_nbgrader(course, "autograde", ASSIGNMENT, "--force")
    run_nbgrader(course, "generate_feedback", ASSIGNMENT, "--force")

    full = exported_scores(course, ASSIGNMENT)["9001"]
    lines = verdict_lines(course / "autograded" / "9001" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    failed = [line for line in lines if line.startswith("✘")]
    assert failed == ["✘ O cache devolvido serve ao conv_backward"], failed
    counts = collections.Counter(lines)
    assert max(counts.values()) <= 3, counts.most_common(3)
    page = html.unescape((course / "feedback" / "9001" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(encoding="utf-8"))
    assert "o cache devolvido não segue o contrato: o cache é None" in page
    assert re.search(r"Testes escondidos: 23 de 23 passaram; nota 3 de 3", page)  # conv_backward
    assert 0 < full

    stubs = nbformat.read(course / "autograded" / "9002" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    verdicts = ["".join(o.get("text", "") for o in c.outputs) for c in stubs.cells
                if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    assert verdicts
    for verdict in verdicts:  # each exercise: its repeated error once, with the count of cases
        counts = collections.Counter(line for line in verdict.splitlines() if line.strip())
        assert max(counts.values()) <= 3, counts.most_common(3)
    assert any(re.search(r"o mesmo erro em (\d+) de \1 casos", verdict) for verdict in verdicts)
