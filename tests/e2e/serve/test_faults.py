"""Nothing acknowledged is lost: the service killed (SIGKILL) with submissions queued, stopped
(SIGTERM) mid-grading, a Dask worker killed mid-task, and a full or read-only disk under the
store (a 503 that stores and counts nothing, not a lost submission)."""
import shutil
import signal
import subprocess
import sys
import time

import pytest

from autograder.service.store import GRADED, ServiceStore, store_url
from tests.e2e.serve.conftest import ASSIGNMENT, notebooks, variant
from tests.support import DLGRADE
from tests.support.dask_cluster import DaskProcesses
from tests.support.grading_service import ServiceProcess, Student, issue_tokens, wait_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def students(course):
    return issue_tokens(course, [f"40{n:02d}" for n in range(1, 13)])


def statuses(course, ids):
    store = ServiceStore(store_url(course))
    return [store.submission(i).status for i in ids]


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_a_stopped_service_grades_every_acknowledged_submission_once_after_restart(course, students, signum):
    books = notebooks(course)
    group = sorted(students)[:4] if signum == signal.SIGKILL else sorted(students)[4:8]
    service = ServiceProcess(course, "--workers", "1").start()
    ids = {}
    try:
        # Notebooks unlike each other and the other run's: no cached result to reuse.
        for number, who in enumerate(group, start=0 if signum == signal.SIGKILL else len(group)):
            response = Student(service.url, students[who]).submit(ASSIGNMENT, variant(books["full"], number))
            assert response.status_code == 202, response.text
            ids[who] = response.json()["id"]
        wait_for(lambda: set(statuses(course, ids.values())) != {"queued"})  # one taken by the grading loop
    finally:
        service.stop(signum)
    assert set(statuses(course, ids.values())) <= {"queued", "grading", "graded"}
    if signum == signal.SIGTERM:  # a clean stop leaves nothing "grading"
        assert "grading" not in statuses(course, ids.values())
        assert "stopping" in service.output()

    with ServiceProcess(course, "--workers", "1") as again:
        verdicts = {who: Student(again.url, students[who]).verdict(i) for who, i in ids.items()}
    assert {v["status"] for v in verdicts.values()} == {"graded"}
    store = ServiceStore(store_url(course))
    rows = [r for r in store.submissions_of(assignment=ASSIGNMENT) if r.student_id in group]
    assert sorted(r.id for r in rows) == sorted(ids.values())  # nothing lost, nothing doubled
    assert all(r.status == GRADED and r.finished_at is not None for r in rows)
    assert not store.finish(rows[0].id, {"score": 0, "max_score": 1})  # a verdict is never recorded twice


def kill_a_busy_worker(cluster, timeout=600):
    from distributed import Client

    deadline = time.monotonic() + timeout
    with Client(cluster.address, timeout="30s") as client:
        while time.monotonic() < deadline:
            info = client.scheduler_info()["workers"]
            busy = sorted(info[w]["name"] for w, tasks in client.processing().items()
                          if any(str(t).startswith("dlgrade-serve-") for t in tasks))
            if busy:
                cluster.kill(busy[0])
                return busy[0]
            time.sleep(0.05)
    raise AssertionError("no worker took a grading task")


def test_a_worker_killed_mid_task_does_not_lose_the_submission(course, students, tmp_path):
    books = notebooks(course)
    with DaskProcesses(tmp_path, ["w1", "w2"]) as cluster, \
            ServiceProcess(course, "--scheduler", cluster.address) as service:
        who = sorted(students)[8]
        response = Student(service.url, students[who]).submit(
            ASSIGNMENT, books["half_right"].replace(b"Exerc", b"Exerciiiiic", 1))
        assert response.status_code == 202
        kill_a_busy_worker(cluster)
        verdict = Student(service.url, students[who]).verdict(response.json()["id"])
    assert verdict["status"] == "graded" and verdict["score"] > 0


@pytest.mark.skipif(not shutil.which("unshare") or not shutil.which("nsenter"), reason="needs unshare and nsenter")
def test_a_full_or_read_only_disk_is_a_503_that_stores_nothing(course, students, tmp_path):
    """The store on a 4 MiB tmpfs, in a mount namespace of the service's own: filled up (503,
    nothing stored or counted), then given room again; then a read-only one (the service does
    not start, and says why)."""
    disk = tmp_path / "disco"
    disk.mkdir()
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=1m none {disk}"],
                           capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs in a mount namespace here: {probe.stderr.decode()[:200]}")
    books = notebooks(course)
    db = f"sqlite:///{disk}/servico.db"
    mount = ["unshare", "-m", "sh", "-c", f'mount -t tmpfs -o size=4m none "{disk}" && exec "$0" "$@"']
    ana = sorted(students)[9]
    with ServiceProcess(course, "--workers", "1", "--db-url", db, prefix=mount) as service:
        def inside(*command, check=True):  # in the service's mount namespace (SQLite resolves /proc links)
            return subprocess.run(["nsenter", "-t", str(service.process.pid), "-m", *command],
                                  capture_output=True, text=True, check=check)

        def store_call(expression):
            code = f"from autograder.service.store import ServiceStore; print(ServiceStore({db!r}).{expression})"
            return inside(sys.executable, "-c", code).stdout.strip()

        token = store_call(f"issue({ana!r}, replace=True)")
        who = Student(service.url, token)
        assert who.submit(ASSIGNMENT, books["stub"]).status_code == 202

        inside("dd", "if=/dev/zero", f"of={disk}/enchimento", "bs=64k", check=False)
        big = books["full"] + b" " * (1 << 20)  # more than the room left
        full = who.submit(ASSIGNMENT, big)
        assert full.status_code == 503, full.text
        assert "disco" in full.json()["error"] and "Nada foi registrado" in full.json()["error"]

        inside("rm", f"{disk}/enchimento")
        ok = who.submit(ASSIGNMENT, books["full"])
        assert ok.status_code == 202, ok.text
        assert ok.json()["remaining_today"] == 1  # the refused ones were not counted
        assert who.verdict(ok.json()["id"])["status"] == "graded"
        assert store_call(f"submissions_of({ana!r}).__len__()") == "2"

    # A read-only folder for the store: the service says so and does not start.
    read_only = ["unshare", "-m", "sh", "-c",
                 f'mount -t tmpfs none "{disk}" && mount -o remount,ro "{disk}" && exec "$0" "$@"']
    refused = subprocess.run([*read_only, DLGRADE, "serve", "--course", str(course), "--port", "0", "--db-url", db],
                             capture_output=True, text=True, timeout=300)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "cannot write to the service's database" in refused.stderr, refused.stderr
