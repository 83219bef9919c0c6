"""Benchmark: 100 simulated students each submit a2 once within 60 s to `dlgrade serve --workers 2`
(loopback, its own 2-worker local Dask cluster), every one then waiting for the verdict as
`dlhelpers.enviar()` does (long polls of 25 s). Prints whether all were graded and none lost, the throughput against
`dlgrade autograde --workers 2` of the same notebooks (goal: within 10 %), p50/p95 time from
submit to verdict, and the service process's own CPU per submission (HTTP, store, dispatch and
the Dask scheduler it hosts; goal: under 0.2 s beyond the grading task, which runs in the
workers). Every notebook is distinct (no shared cached result); the cache is emptied before
autograde. Run with `make bench-serve` (STUDENTS=, SPREAD= to change the load).
"""
import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from autograder.course.create import init_course  # noqa: E402
from autograder.grading.result_cache import CACHE_DIR_NAME  # noqa: E402
from autograder.service.store import GRADED, ServiceStore, store_url  # noqa: E402
from dlhelpers.submit import POLL_SECONDS, WAIT_SECONDS  # noqa: E402
from tests.benchmarks.bench_autograde import distinct_notebooks, scores  # noqa: E402
from tests.support import DLGRADE  # noqa: E402
from tests.support.grading_service import ServiceProcess, Student, issue_tokens  # noqa: E402

THROUGHPUT_GOAL = 0.90  # the service's throughput at least 90 % of autograde's
CPU_GOAL = 0.2          # seconds of the service's own CPU per submission
IDLE_WINDOW = 10.0      # seconds of idle service measured first: its CPU at rest is not overhead


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system  # the process itself: the workers are other processes


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class SimulatedStudent(threading.Thread):
    """Waits until ``offset``, submits once, then asks for the verdict every POLL_SECONDS."""

    def __init__(self, client: Student, assignment: str, notebook: bytes, start: float, offset: float):
        super().__init__(daemon=True)
        self.client, self.assignment, self.notebook, self.start_at = client, assignment, notebook, start + offset
        self.submitted = self.verdict_at = None
        self.status, self.polls, self.error = None, 0, None

    def run(self):
        try:
            time.sleep(max(0.0, self.start_at - time.perf_counter()))
            self.submitted = time.perf_counter()
            accepted = self.client.submit(self.assignment, self.notebook)
            if accepted.status_code != 202:
                self.error = f"{accepted.status_code} {accepted.text[:200]}"
                return
            submission_id = accepted.json()["id"]
            while True:  # as dlhelpers.enviar asks: long polls, at least POLL_SECONDS apart
                asked = time.perf_counter()
                self.polls += 1
                body = self.client.get(f"/api/submissions/{submission_id}?wait={WAIT_SECONDS}").json()
                if body["status"] in ("graded", "failed"):
                    self.status, self.verdict_at = body["status"], time.perf_counter()
                    return
                time.sleep(max(0.0, POLL_SECONDS - (time.perf_counter() - asked)))
        except Exception as error:  # noqa: BLE001 - reported, never hidden
            self.error = f"{type(error).__name__}: {error}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="a2_convolucao")
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--spread", type=float, default=60.0, help="seconds over which the students submit")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    n, assignment = args.students, args.assignment
    students = [f"aluno{i:03d}" for i in range(n)]
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp) / "curso"
        init_course(course, only=[assignment])
        books = distinct_notebooks(course, assignment, n)
        tokens = issue_tokens(course, students)

        with ServiceProcess(course, "--workers", str(args.workers)) as service:
            process = psutil.Process(service.process.pid)
            before = cpu_seconds(process)
            time.sleep(IDLE_WINDOW)
            idle_rate = (cpu_seconds(process) - before) / IDLE_WINDOW
            start, cpu_start = time.perf_counter(), cpu_seconds(process)
            simulated = [SimulatedStudent(Student(service.url, tokens[s]), assignment,
                                          nbformat.writes(book).encode(), start, args.spread * i / n)
                         for i, (s, book) in enumerate(zip(students, books))]
            for student in simulated:
                student.start()
            for student in simulated:
                student.join()
            end, cpu_used = time.perf_counter(), cpu_seconds(process) - cpu_start
        rows = ServiceStore(store_url(course)).submissions_of(assignment=assignment)
        served_scores = {r.student_id: r.score for r in rows}
        waits = [(r.finished_at - r.submitted_at).total_seconds() for r in rows if r.finished_at]
        seen = [s.verdict_at - s.submitted for s in simulated if s.verdict_at]
        errors = [s.error for s in simulated if s.error]
        polls = sum(s.polls for s in simulated)

        for student, book in zip(students, books):
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(book, folder / f"{assignment}.ipynb")
        shutil.rmtree(course / CACHE_DIR_NAME, ignore_errors=True)
        autograde_start = time.perf_counter()
        subprocess.run([DLGRADE, "autograde", assignment, "--course", str(course), "--workers", str(args.workers),
                        "--force"], check=True, capture_output=True)
        autograde_wall = time.perf_counter() - autograde_start
        autograded = scores(course)

    wall = end - start
    graded = sum(r.status == GRADED for r in rows)
    service_rate, autograde_rate = n / wall, n / autograde_wall
    net_cpu = cpu_used - idle_rate * wall
    print(f"{n} students submit {assignment} once each within {args.spread:.0f} s; "
          f"{args.workers} local workers; long polls of {WAIT_SECONDS} s")
    print(f"acknowledged and stored: {len(rows)}/{n}; graded: {graded}; refused or errors: {len(errors)}"
          + (f" ({errors[0]})" if errors else ""))
    print(f"same scores as dlgrade autograde: {served_scores == autograded}")
    print(f"service: first submission to last verdict {wall:6.1f} s = {service_rate * 60:5.1f} submissions/min")
    print(f"dlgrade autograde --workers {args.workers}:    {autograde_wall:6.1f} s = {autograde_rate * 60:5.1f} "
          f"submissions/min (cluster start included)")
    ratio = service_rate / autograde_rate
    print(f"throughput: {ratio:.2f}x autograde's ({'meets' if ratio >= THROUGHPUT_GOAL else 'misses'} "
          f"the goal of at least {THROUGHPUT_GOAL:.2f}x)")
    if waits:
        print(f"submit to verdict (the store's times): p50 {statistics.median(waits):.1f} s, "
              f"p95 {percentile(waits, 0.95):.1f} s; as the students saw it: "
              f"p50 {statistics.median(seen):.1f} s, p95 {percentile(seen, 0.95):.1f} s")
    per = net_cpu / n
    print(f"service CPU: {cpu_used:.1f} s in the run, {idle_rate * wall:.1f} s of it at rest; "
          f"{per:.3f} s per submission with its {polls / n:.0f} polls "
          f"({'meets' if per < CPU_GOAL else 'misses'} the goal of under {CPU_GOAL} s)")


if __name__ == "__main__":
    main()
