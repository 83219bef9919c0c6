"""The service's store on the course's PostgreSQL (a course made with `dlgrade init --db-url`, a
real server): tokens, submissions and verdicts go to it and nothing to SQLite; a service killed
with submissions queued grades each exactly once after the restart; the server going away while
a submission is graded refuses new ones with a 503 and costs no verdict; `dlgrade collect` reads
the counting submissions from it."""
import signal
import subprocess

import pytest

from autograder.service.store import GRADED, STORE_NAME, ServiceStore, store_url
from tests.e2e.serve.conftest import ASSIGNMENT, build_course, notebooks, variant
from tests.support import DLGRADE
from tests.support.grading_service import ServiceProcess, Student, issue_tokens, wait_for
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server():
    with PostgresServer() as running:
        yield running


@pytest.fixture(scope="module")
def course(server, tmp_path_factory):
    return build_course(tmp_path_factory.mktemp("servico-pg") / "curso", only=(ASSIGNMENT,),
                        db_url=server.create("curso"))


def test_submissions_and_verdicts_live_in_postgresql_and_survive_a_killed_service(course):
    assert store_url(course).startswith("postgresql")  # the gradebook's server, with no --db-url
    tokens = issue_tokens(course, ["5001", "5002", "5003"])
    store = ServiceStore(store_url(course))
    full = notebooks(course)["full"]
    ids = {}
    service = ServiceProcess(course, "--workers", "1").start()
    try:
        for number, who in enumerate(sorted(tokens), start=1):
            response = Student(service.url, tokens[who]).submit(ASSIGNMENT, variant(full, number))
            assert response.status_code == 202, response.text
            ids[who] = response.json()["id"]
        wait_for(lambda: any(store.submission(i).status == "grading" for i in ids.values()))
    finally:
        service.stop(signal.SIGKILL)
    assert {store.submission(i).status for i in ids.values()} <= {"queued", "grading", "graded"}

    with ServiceProcess(course, "--workers", "1") as again:
        verdicts = {who: Student(again.url, tokens[who]).verdict(i) for who, i in ids.items()}
    assert {v["status"] for v in verdicts.values()} == {"graded"}
    assert all(v["score"] == v["max_score"] > 0 for v in verdicts.values())
    rows = store.submissions_of(assignment=ASSIGNMENT)
    assert sorted(r.id for r in rows if r.student_id in tokens) == sorted(ids.values())  # nothing lost or doubled
    assert not (course / STORE_NAME).exists()  # nothing went to SQLite

    collected = subprocess.run([DLGRADE, "collect", ASSIGNMENT, "--course", str(course)],
                               capture_output=True, text=True, timeout=600)
    assert collected.returncode == 0, collected.stderr
    for who, submission_id in ids.items():
        copied = course / "submitted" / who / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        assert copied.read_bytes() == store.content(submission_id)[0]


def test_a_database_that_goes_away_mid_grading_costs_no_verdict(course, server):
    who = "5010"
    token = issue_tokens(course, [who])[who]
    store = ServiceStore(store_url(course))
    full = notebooks(course)["full"]
    with ServiceProcess(course, "--workers", "1") as service:
        student = Student(service.url, token)
        first = student.submit(ASSIGNMENT, variant(full, 10))
        assert first.status_code == 202, first.text
        first_id = first.json()["id"]
        wait_for(lambda: store.submission(first_id).status == "grading")
        store.engine.dispose()  # this test's own connections go with the server

        server.stop()
        try:
            refused = student.submit(ASSIGNMENT, variant(full, 11))
            assert refused.status_code == 503, refused.text
            assert "Nada foi registrado" in refused.json()["error"] and refused.headers["Retry-After"] == "60"
            asked = student.get(f"/api/submissions/{first_id}")
            assert asked.status_code == 503 and "banco de dados" in asked.json()["error"]
            # The task ends while the server is down: the service keeps its verdict.
            wait_for(lambda: f"the verdict of {first_id} waits for the database" in service.output())
        finally:
            server.start()

        verdict = student.verdict(first_id)
        assert verdict["status"] == "graded" and verdict["score"] == verdict["max_score"]
        second = student.submit(ASSIGNMENT, variant(full, 12))
        assert second.status_code == 202, second.text
        assert second.json()["remaining_today"] == 1  # the refused one was not counted
        assert student.verdict(second.json()["id"])["status"] == "graded"
    rows = [r for r in store.submissions_of(student_id=who)]
    assert sorted(r.id for r in rows) == sorted([first_id, second.json()["id"]])
    assert all(r.status == GRADED for r in rows)
