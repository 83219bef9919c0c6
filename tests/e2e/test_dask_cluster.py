"""`dlgrade autograde --scheduler` on a real Dask cluster: a `dask scheduler` and two
`dask worker` processes on 127.0.0.1, the workers in a mount namespace where the course folder
does not exist (they get each submission as task data). One worker is killed mid-batch; the
batch completes and the grades are those of a serial `nbgrader autograde`."""
import os
import shutil
import signal
import subprocess
import time

import nbformat
import pytest

from autograder.course.create import init_course
from autograder.course.folder import run_nbgrader
from autograder.demo.workflow import demo_cells
from autograder.grading.result_cache import CACHE_DIR_NAME
from autograder.grading.submission import assignment_points, with_cells
from tests.support import DLGRADE, exported_scores
from tests.support.dask_cluster import CAN_HIDE_FOLDERS, DaskProcesses

pytestmark = pytest.mark.slow

ASSIGNMENT = "a2_convolucao"
FULL = sum(assignment_points(ASSIGNMENT).values())


def submissions(course):
    """Student id -> notebook bytes: honest, partial, stub, attack, broken."""
    source = nbformat.read(course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    cells = demo_cells()  # the demo's students of a2
    notebooks = {"2001": with_cells(source, cells["honest"]), "2002": with_cells(source, cells["half_right"]),
                 "2003": release, "2004": with_cells(source, cells["cheat"])}
    files = {student: nbformat.writes(nb).encode() for student, nb in notebooks.items()}
    files["2005"] = b'{"cells": ['
    return files


@pytest.fixture
def cluster(tmp_path_factory):
    """The cluster, and the folder its workers cannot see."""
    hidden = tmp_path_factory.mktemp("hidden-from-workers")
    with DaskProcesses(tmp_path_factory.mktemp("dask"), ["w1", "w2"], hidden=hidden) as processes:
        yield processes, hidden


def kill_a_busy_worker(cluster, autograde):
    """Waits until a worker is running a grading task, then kills it (SIGKILL: no goodbye)."""
    from distributed import Client

    with Client(cluster.address, timeout="30s") as client:
        while autograde.poll() is None:
            busy = {client.scheduler_info()["workers"][w]["name"] for w, tasks in client.processing().items()
                    if any(str(t).startswith("dlgrade-") for t in tasks)}
            if busy:
                name = sorted(busy)[0]
                cluster.kill(name)
                return name
            time.sleep(0.1)
    return None


def test_a_cluster_grades_like_serial_nbgrader_and_survives_a_dead_worker(cluster):
    processes, hidden = cluster
    course = hidden / "curso"  # the workers see an empty folder here
    init_course(course, only=[ASSIGNMENT])
    if CAN_HIDE_FOLDERS:
        from distributed import Client

        with Client(processes.address, timeout="30s") as client:
            assert set(client.run(os.path.exists, str(course)).values()) == {False}
    for student, content in submissions(course).items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / f"{ASSIGNMENT}.ipynb").write_bytes(content)

    started = time.perf_counter()
    autograde = subprocess.Popen([DLGRADE, "autograde", ASSIGNMENT, "--course", str(course), "--scheduler", processes.address],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed = kill_a_busy_worker(processes, autograde)
    out, err = autograde.communicate(timeout=900)
    print(f"cluster batch with worker {killed} killed: {time.perf_counter() - started:.1f} s")
    assert killed, "no worker was ever busy"
    assert autograde.returncode == 1, out + err  # the broken file is reported
    assert "2005:" in err and "4 de 5 submissões corrigidas" in out, out + err
    cluster_scores = exported_scores(course, ASSIGNMENT)
    assert cluster_scores["2001"] == FULL and cluster_scores["2003"] == 0
    assert 0 < cluster_scores["2002"] < FULL and cluster_scores["2004"] < FULL

    shutil.rmtree(course / CACHE_DIR_NAME)
    try:
        run_nbgrader(course, "autograde", ASSIGNMENT, "--force")
    except Exception:  # noqa: BLE001 - nbgrader exits non-zero for the broken file, after grading the rest
        pass
    assert exported_scores(course, ASSIGNMENT) == cluster_scores


def test_an_unreachable_scheduler_is_refused_before_anything_changes(tmp_path):
    course = tmp_path / "curso"
    init_course(course, only=[ASSIGNMENT])
    folder = course / "submitted" / "2001" / ASSIGNMENT
    folder.mkdir(parents=True)
    shutil.copy(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", folder)
    result = subprocess.run([DLGRADE, "autograde", ASSIGNMENT, "--course", str(course),
                             "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in result.stderr, result.stderr
    assert not (course / CACHE_DIR_NAME / ASSIGNMENT).exists() or not list((course / CACHE_DIR_NAME / ASSIGNMENT).iterdir())
    assert not (course / "autograded").exists()


def test_ctrl_c_stops_the_local_batch_cleanly_and_a_rerun_finishes_it(tmp_path):
    """The embedded default (a local cluster): Ctrl-C (SIGINT to the whole process group, as a
    terminal sends it) stops workers and the nbgrader writer, leaves no claim behind, and the
    next run grades everything, reusing what was already computed."""
    course = tmp_path / "curso"
    init_course(course, only=[ASSIGNMENT])
    for student, content in submissions(course).items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / f"{ASSIGNMENT}.ipynb").write_bytes(content)
    command = [DLGRADE, "autograde", ASSIGNMENT, "--course", str(course), "--workers", "2"]
    batch = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             start_new_session=True)
    results = course / CACHE_DIR_NAME / ASSIGNMENT
    while batch.poll() is None and not list(results.glob("*.json")):
        time.sleep(0.1)
    os.killpg(batch.pid, signal.SIGINT)
    out, err = batch.communicate(timeout=300)
    assert batch.returncode == 130, out + err
    assert "Interrompido" in err
    assert not list(results.glob("*.lock"))

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=900)
    assert rerun.returncode == 1 and "4 de 5 submissões corrigidas" in rerun.stdout, rerun.stdout + rerun.stderr
    scores = exported_scores(course, ASSIGNMENT)
    assert scores["2001"] == FULL and scores["2003"] == 0 and 0 < scores["2002"] < FULL
