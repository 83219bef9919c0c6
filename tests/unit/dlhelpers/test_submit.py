"""`dlhelpers.enviar()` without a service: what it refuses to do, and how a verdict reads."""
import pytest

from dlhelpers.submit import ErroDeEnvio, enviar, verdict_text


def test_inside_the_grader_it_sends_nothing(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setenv("DLGRADE_URL", "http://127.0.0.1:9/")  # nothing listens: a send would fail
    assert enviar("a2_convolucao", token="x", caminho="nao_existe.ipynb") is None


def test_without_an_address_it_says_where_to_give_one(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("DLGRADE_URL", raising=False)
    with pytest.raises(ErroDeEnvio, match="url="):
        enviar("a2_convolucao", token="x")


def test_a_missing_notebook_file_is_named(monkeypatch, tmp_path):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    with pytest.raises(ErroDeEnvio, match="nao_existe.ipynb não existe"):
        enviar("a2_convolucao", url="http://127.0.0.1:9/", token="x", caminho=tmp_path / "nao_existe.ipynb")


def test_an_unreachable_service_is_a_portuguese_error(monkeypatch, tmp_path):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    notebook = tmp_path / "a2.ipynb"
    notebook.write_text("{}")
    with pytest.raises(ErroDeEnvio, match="Não consegui falar com o serviço"):
        enviar("a2_convolucao", url="http://127.0.0.1:9/", token="x", caminho=notebook)


def test_the_verdict_names_each_exercise_and_the_failed_tests_messages():
    text = verdict_text({"status": "graded", "score": 7.5, "max_score": 10.0, "cells": {
        "conv_forward": {"score": 2.5, "max_score": 5.0, "tests": [
            {"name": "test_stride_2", "passed": False, "message": "a saída deveria ter forma (2, 3, 4, 4)"},
            {"name": "test_shape", "passed": True, "message": ""}]},
        "zero_pad": {"score": 5.0, "max_score": 5.0, "tests": []}}})
    assert text.splitlines() == ["Nota oficial: 7,5 de 10.", "  ✘ conv_forward: 2,5 de 5",
                                 "      - test_stride_2: a saída deveria ter forma (2, 3, 4, 4)", "  ✔ zero_pad: 5 de 5"]
    assert verdict_text({"status": "failed", "message": "O notebook não é JSON."}) == \
        "A correção falhou: O notebook não é JSON."


def test_verdict_text_indents_hints_and_shows_three_failed_tests_per_exercise():
    tests = [{"name": f"caso {n}", "passed": False, "message": f"shape errado no caso {n}\ndica: o stride"}
             for n in range(5)] + [{"name": "caso ok", "passed": True, "message": ""}]
    text = verdict_text({"status": "graded", "score": 1.0, "max_score": 3.0, "cells": {
        "conv_forward": {"score": 1.0, "max_score": 3.0, "tests": tests}}})
    assert text.splitlines()[2:] == [
        "      - caso 0: shape errado no caso 0", "        dica: o stride",
        "      - caso 1: shape errado no caso 1", "        dica: o stride",
        "      - caso 2: shape errado no caso 2", "        dica: o stride",
        "      … e mais 2 teste(s) com falha (todos na página do serviço)"]
