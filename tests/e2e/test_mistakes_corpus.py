"""The hidden suites on a corpus of realistic student code (tests/support/mistakes): every wrong
implementation gets its intended hint and keeps only its share of the exercise's points; every
correct one, whatever its style, gets full marks. Each entry is graded alone, only its exercise."""
import functools

import nbformat
import pytest

from autograder.authoring.builder import build_source_notebook
from autograder.grading.grader import grade_notebook
from autograder.grading.submission import with_cells
from tests.support.mistakes import corpus

pytestmark = pytest.mark.slow

MISTAKES, CORRECT = corpus()


@functools.lru_cache(maxsize=None)
def source_notebook(assignment):
    return build_source_notebook(assignment)


def graded(entry, tmp_path):
    """The report of the notebook with ``entry``'s cells in place of the reference's."""
    notebook = with_cells(source_notebook(entry.assignment), {entry.function: entry.source, **entry.cells})
    path = tmp_path / f"{entry.assignment}.ipynb"
    nbformat.write(notebook, path)
    return grade_notebook(path, only=[entry.function])["cells"][entry.function]


def test_the_corpus_is_big_enough():
    assert len(MISTAKES) >= 40 and len(CORRECT) >= 12
    assert len({m.name for m in MISTAKES}) == len(MISTAKES)
    assert {m.assignment for m in MISTAKES} == {"a1_ativacoes", "a2_convolucao", "a3_pooling", "a4_backprop",
                                                "a5_rnn_lstm"}


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_each_mistake_gets_its_hint_and_keeps_only_its_share(mistake, tmp_path):
    cell = graded(mistake, tmp_path)
    failed = [t for t in cell["tests"] if not t["passed"]]
    assert failed, f"{mistake.name}: no test failed"
    messages = "\n".join(t["message"] for t in failed)
    assert mistake.hint in messages, f"{mistake.name}: hint {mistake.hint!r} not in:\n{messages[:2000]}"
    least, most = mistake.keep
    share = cell["score"] / cell["max_score"]
    assert least - 1e-9 <= share <= most + 1e-9, f"{mistake.name}: kept {share:.2f} of the points"


@pytest.mark.parametrize("solution", CORRECT, ids=lambda c: c.name)
def test_each_correct_style_gets_full_marks(solution, tmp_path):
    cell = graded(solution, tmp_path)
    wrong = [f"{t['name']}: {t['message']}" for t in cell["tests"] if not t["passed"]]
    assert cell["score"] == cell["max_score"], "\n".join(wrong)[:2000]
