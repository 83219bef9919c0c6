"""`dlhelpers.enviar()` without a service, or against a small HTTP server that answers as the
service does: what it refuses to do, how it waits through an outage, and how a verdict reads."""
import http.server
import json
import threading

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


class FlakyService(http.server.BaseHTTPRequestHandler):
    """Acknowledges the submission, then answers each question about it with the next status of
    ``answers`` (a 503 while its database is away, a 401 for a revoked token, 200 with the verdict)."""
    answers: list[int] = []
    GRADED = {"id": "abc", "status": "graded", "score": 1.0, "max_score": 2.0, "cells": {}, "message": "Corrigida"}

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.reply(202, {"id": "abc", "status": "queued", "remaining_today": 2})

    def do_GET(self):
        status = self.answers.pop(0)
        self.reply(status, self.GRADED if status == 200 else {"error": f"recusado com {status}"})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def flaky(monkeypatch, tmp_path):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setattr("dlhelpers.submit.POLL_SECONDS", 0.01)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FlakyService)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    notebook = tmp_path / "a2.ipynb"
    notebook.write_text("{}")
    yield f"http://127.0.0.1:{server.server_address[1]}/", notebook
    server.shutdown()


def test_a_moments_outage_while_waiting_only_delays_the_verdict(flaky, capsys):
    url, notebook = flaky
    FlakyService.answers = [503, 503, 200]
    verdict = enviar("a2_convolucao", url=url, token="x", caminho=notebook)
    assert verdict["status"] == "graded" and FlakyService.answers == []
    out = capsys.readouterr().out
    assert out.count("O seu envio está guardado; continuo esperando") == 1 and "Nota oficial: 1 de 2." in out


def test_a_refusal_while_waiting_is_not_retried(flaky):
    url, notebook = flaky
    FlakyService.answers = [401, 200]
    with pytest.raises(ErroDeEnvio, match="recusado com 401"):
        enviar("a2_convolucao", url=url, token="x", caminho=notebook)
    assert FlakyService.answers == [200]
