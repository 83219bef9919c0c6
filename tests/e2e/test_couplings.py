"""The held-out coupling corpus (tests/support/couplings.py): a forward whose output is right but
whose cache is not the documented one never costs the backward a point; the forward loses only its
``test_cache``, with a Portuguese hint, unless the student's own backward reads that cache."""
import functools

import nbformat
import pytest

from autograder.authoring.builder import build_source_notebook
from autograder.grading.grader import grade_notebook
from autograder.grading.submission import with_cells
from tests.support.couplings import COUPLINGS

pytestmark = pytest.mark.slow


@functools.lru_cache(maxsize=None)
def source_notebook(assignment):
    return build_source_notebook(assignment)


def reference_cell(assignment, function):
    (source,) = [cell.source for cell in source_notebook(assignment).cells
                 if cell.cell_type == "code" and f"def {function}(" in cell.source]
    return source


def edited(assignment, function, edits):
    source = reference_cell(assignment, function)
    for old, new in edits:
        assert source.count(old) == 1, f"{function}: {old!r} is not one line of the reference cell"
        source = source.replace(old, new)
    return source


def test_the_corpus_is_big_enough():
    assert len(COUPLINGS) >= 20 and len({c.name for c in COUPLINGS}) == len(COUPLINGS)
    assert {c.forward for c in COUPLINGS} >= {"relu_forward", "leaky_relu_forward", "conv_forward", "pool_forward",
                                              "dense_forward", "dropout_forward", "rnn_cell_forward", "rnn_forward",
                                              "lstm_cell_forward"}
    assert any(c.cache_test_passes for c in COUPLINGS) and any(not c.cache_test_passes for c in COUPLINGS)


@pytest.mark.parametrize("coupling", COUPLINGS, ids=lambda c: c.name)
def test_the_correct_side_keeps_every_point(coupling, tmp_path):
    cells = {coupling.forward: edited(coupling.assignment, coupling.forward, coupling.forward_edits)}
    if coupling.backward_edits:
        cells[coupling.backward] = edited(coupling.assignment, coupling.backward, coupling.backward_edits)
    path = tmp_path / f"{coupling.assignment}.ipynb"
    nbformat.write(with_cells(source_notebook(coupling.assignment), cells), path)
    report = grade_notebook(path, only=[coupling.forward, coupling.backward])["cells"]

    backward = report[coupling.backward]
    wrong = [f"{t['name']}: {t['message']}" for t in backward["tests"] if not t["passed"]]
    assert backward["score"] == backward["max_score"], "\n".join(wrong)[:2000]

    forward = report[coupling.forward]
    (cache_test,) = [t for t in forward["tests"] if t["name"].startswith("O cache devolvido")]
    others = [f"{t['name']}: {t['message']}" for t in forward["tests"] if t is not cache_test and not t["passed"]]
    assert not others, "\n".join(others)[:2000]
    assert cache_test["passed"] == coupling.cache_test_passes, cache_test["message"]
    if not coupling.cache_test_passes:
        assert coupling.hint in cache_test["message"], cache_test["message"]
        assert "dica:" in cache_test["message"]
