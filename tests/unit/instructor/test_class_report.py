"""The class report's numbers on a class whose answers are known, computed by hand."""
import json

import numpy as np
import pytest

from autograder.instructor.class_data import ClassData, StudentResult, solution_code
from autograder.instructor.class_report import hints_of, summary
from autograder.instructor.report_page import identical_groups, render
from autograder.instructor.similarity import SimilarPair


def report(*cells):
    """A grading report with one test per (grade_id, passed, message)."""
    out = {}
    for grade_id, passed, message in cells:
        out.setdefault(grade_id, {"tests": []})["tests"].append(
            {"name": f"teste {len(out[grade_id]['tests'])}", "passed": passed, "message": message})
    return {"cells": out}


STRIDE = "Z (2, 3): valores diferentes\ndica: parece que o stride foi ignorado."
BIAS = "Z (2, 3): valores diferentes\ndica: parece que o bias b não foi somado."
STUB = "a sua função lançou um erro: NotImplementedError: a função ainda não foi implementada (célula 4, linha 2)"


@pytest.fixture
def klass():
    """Four graded students (scores out of 1 + 3 = 4), one broken upload, one without a submission."""
    students = [
        StudentResult("1", "Ana", 4.0, {"pad": 1.0, "conv": 3.0}, report=report(
            ("pad", True, ""), ("conv", True, ""), ("conv", True, ""))),
        StudentResult("2", "Bia", 2.5, {"pad": 1.0, "conv": 1.5}, seconds_late=7200, report=report(
            ("pad", True, ""), ("conv", False, STRIDE), ("conv", True, ""))),
        StudentResult("3", "Caio", 1.5, {"pad": 0.0, "conv": 1.5}, report=report(
            ("pad", False, STUB), ("conv", False, STRIDE + " Ou: parece que o bias b não foi somado."),
            ("conv", True, ""))),
        StudentResult("4", "Duda", 0.0, {"pad": 0.0, "conv": 0.0}, report=report(
            ("pad", False, STUB), ("conv", False, BIAS), ("conv", False, BIAS))),
        StudentResult("5", "Enzo", 0.0, {"pad": 0.0, "conv": 0.0}, problem="não é um notebook válido"),
        StudentResult("6", "Fê"),
    ]
    for s in students[:5]:
        s.submitted = True
    return ClassData("a2_convolucao", {"pad": 1.0, "conv": 3.0}, students)


def test_scores_count_graded_students_only(klass):
    numbers = summary(klass, [])
    assert numbers["students"] == 4
    assert numbers["score"] == {"mean": 2.0, "median": 2.0, "max_score": 4.0}


def test_cells_mean_full_marks_difficulty_and_discrimination(klass):
    cells = summary(klass, [])["cells"]
    assert cells["pad"]["mean"] == 0.5 and cells["pad"]["full_marks_share"] == 0.5
    assert cells["conv"]["mean"] == 1.5 and cells["conv"]["full_marks_share"] == 0.25
    assert cells["conv"]["difficulty"] == 0.5
    # pad against the rest (conv): [1, 1, 0, 0] vs [3, 1.5, 1.5, 0]
    expected = np.corrcoef([1, 1, 0, 0], [3, 1.5, 1.5, 0])[0, 1]
    assert cells["pad"]["discrimination"] == pytest.approx(expected, abs=1e-4)
    assert 0 < expected < 1


def test_discrimination_is_none_without_spread(klass):
    for student in klass.students[:4]:
        student.cells["pad"] = 1.0
    assert summary(klass, [])["cells"]["pad"]["discrimination"] is None


def test_tests_sorted_by_failed_share(klass):
    tests = summary(klass, [])["tests"]
    assert [(t["grade_id"], t["name"], t["failed_share"]) for t in tests] == [
        ("conv", "teste 0", 0.75), ("pad", "teste 0", 0.5), ("conv", "teste 1", 0.25)]


def test_misconceptions_group_students_by_hint(klass):
    found = {(m["grade_id"], m["hint"]): m["students"] for m in summary(klass, [])["misconceptions"]}
    assert found == {
        ("conv", "parece que o stride foi ignorado."): ["2", "3"],
        ("conv", "parece que o bias b não foi somado."): ["3", "4"],
        ("pad", "exercício não feito: a função ainda lança NotImplementedError"): ["3", "4"],
    }


def test_hints_of_messages():
    assert hints_of("x: valores\ndica: a. Ou: b.") == ["a.", "b."]
    assert hints_of("a sua função lançou um erro: TypeError: nope") == ["a função lança TypeError"]
    assert hints_of("a sua função não terminou a tempo (laço infinito)") == ["a sua função não terminou a tempo"]
    assert hints_of("valores diferentes") == []


def test_late_missing_and_not_graded(klass):
    submissions = summary(klass, [])["submissions"]
    assert submissions["late"] == [{"student": "2", "seconds_late": 7200}]
    assert submissions["missing"] == ["6"]
    assert submissions["not_graded"] == [{"student": "5", "reason": "não é um notebook válido"}]


def test_summary_is_json_and_has_the_contract_keys(klass):
    numbers = json.loads(json.dumps(summary(klass, [])))
    assert {"assignment", "students", "score", "cells", "tests", "misconceptions", "similar_pairs"} <= set(numbers)


def pair(a, b, similarity, grade_id="conv"):
    return SimilarPair((a, b), grade_id, similarity, (f"<mark>{a}</mark>", f"<mark>{b}</mark>"))


def test_identical_pairs_collapse_into_groups():
    pairs = [pair("1", "2", 1.0), pair("2", "3", 1.0), pair("1", "3", 1.0), pair("4", "5", 0.8),
             pair("1", "2", 1.0, "pad")]
    assert identical_groups(pairs) == [("conv", ["1", "2", "3"]), ("pad", ["1", "2"])]


def test_page_shows_numbers_pairs_side_by_side_and_the_caveat(klass):
    pairs = [pair("2", "3", 0.8), pair("1", "4", 1.0)]
    html = render(klass, summary(klass, pairs), pairs)
    assert '<html lang="pt-BR">' in html
    assert 'id="mean">2,00<' in html  # decimal comma
    assert "não uma prova" in html
    assert "<mark>2</mark>" in html and "<mark>3</mark>" in html  # the pair, side by side
    assert "Ana (1), Duda (4)" in html  # the identical group, as one line
    assert "não é um notebook válido" in html and "2,0 h depois do prazo" in html
    assert "stride foi ignorado" in html
    assert html.count("data:image/png;base64,") == 2  # the plots are inside the page


def test_page_of_a_class_with_nobody_graded():
    empty = ClassData("a1_ativacoes", {"relu": 1.0}, [StudentResult("1", "Ana")])
    html = render(empty, summary(empty, []), [])
    assert "Nenhuma entrega corrigida ainda" in html and "data:image/png" not in html


def test_written_answers_still_to_grade_keep_a_student_out_of_the_scores_not_out_of_the_hints(klass):
    klass.students[0].pending = True  # Ana, 4.0: her written answer waits for the formgrader
    numbers = summary(klass, [])
    assert numbers["students"] == 3 and numbers["score"]["mean"] == pytest.approx(4 / 3, abs=1e-4)
    assert numbers["submissions"]["pending_manual"] == ["1"]
    assert numbers["tests"][0]["failed_share"] == 0.75  # her tests still count: 3 of 4 failed


def test_the_gradebooks_maximum_counts_written_answers():
    written = ClassData("projeto_final", {"predicoes": 3.0, "discussao": 4.0},
                        [StudentResult("1", "Ana", 6.5, {"predicoes": 3.0, "discussao": 3.5}, report={"cells": {}})],
                        max_score=7.0)
    numbers = summary(written, [])
    assert numbers["score"]["max_score"] == 7.0 and numbers["cells"]["discussao"]["mean"] == 3.5


def test_solution_code_keeps_the_cells_a_student_did_not_delete(tmp_path):
    import nbformat

    def solution(name, source):
        return nbformat.v4.new_code_cell(source, metadata={"nbgrader": {"solution": True, "grade_id": f"{name}_code"}})

    notebook = nbformat.v4.new_notebook(cells=[solution("zero_pad", "def zero_pad(X, pad): ..."),
                                               nbformat.v4.new_code_cell("print(1)")])
    path = tmp_path / "a2_convolucao.ipynb"  # conv_forward's cell was deleted: not gradable, still comparable
    nbformat.write(notebook, path)
    assert solution_code(path) == {"zero_pad": "def zero_pad(X, pad): ..."}
    path.write_text('{"cells": [', encoding="utf-8")
    assert solution_code(path) == {}
