"""`dlgrade serve`'s API over real HTTP, with its own local Dask cluster: verdicts equal to the
trusted grader's, each student sees only their own, the daily limit, the deadline, and every kind
of bad input refused with its code and a Portuguese message, never counted and never stored."""
import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
import requests

from autograder.course.folder import run_nbgrader
from autograder.grading.submission import assignment_points
from autograder.service.store import ServiceStore, store_url
from dlhelpers.submit import number
from tests.e2e.serve.conftest import ADMIN_TOKEN, ASSIGNMENT, CLOSED, notebooks
from tests.support import DLGRADE
from tests.support.grading_service import ServiceProcess, Student, issue_tokens

pytestmark = pytest.mark.slow

FULL = sum(assignment_points(ASSIGNMENT).values())
STUDENTS = [f"30{n:02d}" for n in range(1, 11)]


@pytest.fixture(scope="module")
def served(course):
    tokens = issue_tokens(course, STUDENTS)
    with ServiceProcess(course, "--workers", "1") as service:
        yield service, tokens, notebooks(course)


def student(served, student_id) -> Student:
    service, tokens, _ = served
    return Student(service.url, tokens[student_id])


def remaining(who: Student, assignment=ASSIGNMENT) -> int:
    listed = who.get("/api/assignments").json()["assignments"]
    return next(a for a in listed if a["id"] == assignment)["remaining_today"]


def test_the_verdict_is_the_trusted_graders_and_only_its_student_sees_it(served, course):
    _, _, books = served
    ana, bruno, carla = student(served, "3001"), student(served, "3002"), student(served, "3003")
    accepted = ana.submit(ASSIGNMENT, books["half_right"])
    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["status"] == "queued" and accepted.json()["remaining_today"] == 2
    verdict = ana.verdict(accepted.json()["id"])

    checked = subprocess.run([DLGRADE, "check", "--json", str(_saved(course, books["half_right"]))],
                             capture_output=True, text=True, check=True)
    report = json.loads(checked.stdout)
    assert verdict["status"] == "graded" and verdict["student"] == "3001" and verdict["assignment"] == ASSIGNMENT
    assert (verdict["score"], verdict["max_score"]) == (report["score"], report["max_score"])
    assert 0 < verdict["score"] < FULL
    assert {g: c["score"] for g, c in verdict["cells"].items()} == {g: c["score"] for g, c in report["cells"].items()}
    failed = [t for c in verdict["cells"].values() for t in c["tests"] if not t["passed"]]
    assert failed and all(t["message"] for t in failed)  # feedback_before_deadline = "tests": each test's message
    assert "def test_" not in json.dumps(verdict)  # never the test code
    assert verdict["message"].startswith("Corrigida: nota ")

    # A finished submission answers a long poll at once; a wait that is not a number is refused.
    assert ana.get(f"/api/submissions/{verdict['id']}?wait=25").json() == verdict
    bad_wait = ana.get(f"/api/submissions/{verdict['id']}?wait=nada")
    assert bad_wait.status_code == 400 and "segundos" in bad_wait.json()["error"]

    # Bruno cannot read Ana's submission (not even by waiting on it); his list does not have it.
    assert bruno.get(f"/api/submissions/{verdict['id']}").status_code == 404
    assert bruno.get(f"/api/submissions/{verdict['id']}?wait=25").status_code == 404
    assert bruno.get(f"/api/submissions?assignment={ASSIGNMENT}").json() == {"submissions": []}
    assert "error" in bruno.get(f"/api/submissions/{verdict['id']}").json()
    # Carla's identical notebook takes the cached results: the same verdict.
    again = carla.verdict(carla.submit(ASSIGNMENT, books["half_right"]).json()["id"])
    assert again["score"] == verdict["score"] and again["cells"] == verdict["cells"]
    # Ana's second submission comes first in her list.
    second = ana.verdict(ana.submit(ASSIGNMENT, books["full"]).json()["id"])
    assert second["score"] == FULL
    listed = ana.get(f"/api/submissions?assignment={ASSIGNMENT}").json()["submissions"]
    assert [s["id"] for s in listed] == [second["id"], verdict["id"]]


def _saved(course, content: bytes) -> Path:
    path = course.parent / "conferencia" / f"{ASSIGNMENT}.ipynb"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)
    return path


def test_the_daily_limit_answers_429_with_retry_after(served):
    _, _, books = served
    davi = student(served, "3004")
    for left in (2, 1, 0):
        response = davi.submit(ASSIGNMENT, books["stub"])
        assert response.status_code == 202 and response.json()["remaining_today"] == left
    refused = davi.submit(ASSIGNMENT, books["stub"])
    assert refused.status_code == 429
    assert 86_000 < int(refused.headers["Retry-After"]) <= 86_400
    assert "3 envios" in refused.json()["error"] and "próximo envio" in refused.json()["error"]
    assert remaining(davi) == 0
    verdicts = [davi.verdict(s["id"]) for s in davi.get("/api/submissions").json()["submissions"]]
    assert [v["score"] for v in verdicts] == [0, 0, 0]  # the stubs, graded one at a time


def zip_bomb() -> bytes:
    """A 100 KB zip that would expand to 200 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.csv", b"0" * (200 << 20))
    return buffer.getvalue()


def test_bad_input_is_refused_in_portuguese_and_never_counted(served, course, tmp_path):
    service, tokens, books = served
    elisa = student(served, "3005")
    url = service.url.rstrip("/")

    def refused(response, status, *words):
        assert response.status_code == status, response.text
        message = response.json()["error"]
        assert all(w in message for w in words), message
        return message

    # No token, a wrong one.
    refused(requests.post(f"{url}/api/submissions", files={"notebook": ("a.ipynb", books["full"])},
                          data={"assignment": ASSIGNMENT}), 401, "token")
    refused(Student(url, "x" * 43).submit(ASSIGNMENT, books["full"]), 401, "Token")
    refused(Student(url, "x" * 43).get("/api/submissions"), 401)
    # Not a form, not a notebook, an empty file, another assignment's notebook, an unknown or closed assignment.
    refused(requests.post(f"{url}/api/submissions", headers=elisa.headers, json={"assignment": ASSIGNMENT}),
            400, "multipart")
    refused(elisa.submit(ASSIGNMENT, b"isto nao e um notebook"), 400, "não é um notebook")
    refused(elisa.submit(ASSIGNMENT, b""), 400, "vazio")
    a1 = notebooks(course, CLOSED)["full"]
    refused(elisa.submit(ASSIGNMENT, a1), 400, CLOSED)
    refused(elisa.submit("a9_inexistente", books["full"]), 400, "desconhecida", ASSIGNMENT)
    refused(elisa.submit(CLOSED, a1), 400, "terminou em 01/03/2020 às 23:59")
    # Too large: 200 MB is answered 413 (read and dropped, never held).
    huge = b"--x\r\n" + b"0" * (200 << 20)
    refused(requests.post(f"{url}/api/submissions", headers={**elisa.headers,
                          "Content-Type": "multipart/form-data; boundary=x"}, data=huge, timeout=300), 413, "MiB")
    # Handed-in files a2 does not take (a zip bomb), a name that climbs folders.
    refused(elisa.submit(ASSIGNMENT, books["full"], files={"bomba.zip": zip_bomb()}), 400, "não esperado")
    refused(elisa.submit(ASSIGNMENT, books["full"], files={"../../../tmp/x.csv": b"1"}), 400, "não esperado")
    assert not Path("/tmp/x.csv").exists()
    # A removed student's token stops working.
    run_nbgrader(course, "db", "student", "remove", "3010", "--force")
    refused(student(served, "3010").submit(ASSIGNMENT, books["full"]), 401)

    # Nothing of that was stored or counted; a notebook's own file name is never used as a path.
    store = ServiceStore(store_url(course))
    assert store.submissions_of("3005") == [] and remaining(elisa) == 3
    odd = elisa.submit(ASSIGNMENT, books["stub"], filename="../../../../tmp/dlgrade-fora.ipynb")
    assert odd.status_code == 202 and not Path("/tmp/dlgrade-fora.ipynb").exists()
    assert elisa.verdict(odd.json()["id"])["status"] == "graded"
    assert not any(p.name == "dlgrade-fora.ipynb" for p in course.parent.rglob("*.ipynb"))


def test_admin_numbers_only_for_the_instructor(served):
    service, _, books = served
    url = service.url.rstrip("/")
    assert requests.get(f"{url}/api/admin").status_code == 401
    assert requests.get(f"{url}/admin").status_code == 401
    assert requests.get(f"{url}/api/admin", headers={"Authorization": "token errado"}).status_code == 401
    felipe = student(served, "3006")
    assert requests.get(f"{url}/api/admin", headers=felipe.headers).status_code == 401
    felipe.verdict(felipe.submit(ASSIGNMENT, books["stub"]).json()["id"])
    numbers = requests.get(f"{url}/api/admin", headers={"Authorization": f"token {ADMIN_TOKEN}"}).json()
    assert numbers["graded_last_hour"] >= 1 and numbers["queued"] >= 0
    assert numbers["time_to_verdict_s"]["p50"] > 0
    assert numbers["time_to_verdict_s"]["p95"] >= numbers["time_to_verdict_s"]["p50"]
    assert numbers["last_submissions"][0]["student"] == "3006"
    page = requests.get(f"{url}/admin?token={ADMIN_TOKEN}")
    assert page.status_code == 200 and "Últimos envios" in page.text and "3006" in page.text


def test_enviar_from_a_laptop_submits_the_saved_notebook_and_prints_the_verdict(served, course):
    """`dlhelpers.enviar()` as on a laptop: the token and address in the environment, the saved file."""
    import os
    import sys

    service, tokens, books = served
    saved = _saved(course, books["full"])
    environment = {k: v for k, v in os.environ.items() if k != "NBGRADER_EXECUTION"}
    environment.update(DLGRADE_URL=service.url, DLGRADE_TOKEN=tokens["3007"])
    script = f"from dlhelpers import enviar\nenvio = enviar({ASSIGNMENT!r}, caminho={str(saved)!r})\nprint(envio['id'])\n"
    sent = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=900)
    assert sent.returncode == 0, sent.stderr
    assert "Envio recebido" in sent.stdout and "envios restantes hoje para a2_convolucao: 2" in sent.stdout
    assert f"Nota oficial: {number(FULL)} de {number(FULL)}." in sent.stdout
    ana = student(served, "3007")
    assert ana.get(f"/api/submissions/{sent.stdout.split()[-1]}").json()["score"] == FULL

    # Inside the grader it sends nothing; a wrong token gets the service's Portuguese refusal.
    graded = subprocess.run([sys.executable, "-c", script], env={**environment, "NBGRADER_EXECUTION": "autograde"},
                            capture_output=True, text=True, timeout=300)
    assert graded.returncode != 0 and "TypeError" in graded.stderr  # enviar returned None: nothing sent
    assert len(ana.get(f"/api/submissions?assignment={ASSIGNMENT}").json()["submissions"]) == 1
    refused = subprocess.run([sys.executable, "-c", script], env={**environment, "DLGRADE_TOKEN": "nao-vale"},
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode != 0 and "ErroDeEnvio: Token ausente ou inválido" in refused.stderr


def test_collect_hands_the_counting_submissions_to_autograde_with_the_same_scores(served, course):
    """After the other tests' submissions: `dlgrade collect` (counting = "last"), then `dlgrade
    autograde` gives each student the score the service gave their last graded submission."""
    from autograder.course.gradebook import read_assignment
    from autograder.service.collect import collect

    store = ServiceStore(store_url(course, None))
    last = {}
    for row in sorted(store.submissions_of(assignment=ASSIGNMENT), key=lambda r: r.submitted_at):
        if row.status == "graded":
            last[row.student_id] = row
    assert len(last) >= 3
    collected = collect(course, ASSIGNMENT)
    assert sorted(collected.copied) == sorted(last)
    for student_id, row in last.items():
        folder = course / "submitted" / student_id / ASSIGNMENT
        assert (folder / f"{ASSIGNMENT}.ipynb").read_bytes() == store.content(row.id)[0]
        assert (folder / "timestamp.txt").read_text().startswith(row.submitted_at.strftime("%Y-%m-%d %H:%M:%S"))
    graded = subprocess.run([DLGRADE, "autograde", ASSIGNMENT, "--course", str(course), "--workers", "1"],
                            capture_output=True, text=True, timeout=1800)
    assert graded.returncode == 0, graded.stderr
    book = read_assignment(course, ASSIGNMENT).submissions
    assert {s: book[s].score for s in last} == {s: row.score for s, row in last.items()}
    again = collect(course, ASSIGNMENT)  # nothing new: every folder already holds its submission
    assert again.copied == [] and sorted(again.unchanged) == sorted(last)
