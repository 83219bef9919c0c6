"""The service's grading loop: queued submissions go to the Dask cluster as the same task
`dlgrade autograde` sends (``grading.task.run_grading_task``), never graded in this process.

A thread of the service takes the oldest queued submission of each student who has none being
graded (one grading at a time per student), lays out its grading folder as autograde does
(``parallel.autograde.prepared``: the notebook, the handed-in files, the source folder's files),
and looks its two results up in the course's cache first: an identical notebook is graded once,
and a submission identical to one in flight waits for that task. Both results (the trusted
grade, Run-All's outputs for the feedback page) go into the cache, where `dlgrade collect` and
autograde find them later. Dask runs a dead worker's task again once; a task that fails twice
fails that submission with a Portuguese message, nothing else. While the database is out of
reach (a PostgreSQL restarting), the loop retries every second and keeps the verdicts it could
not record until the database takes them.
"""
from __future__ import annotations

import contextlib
import logging
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from autograder.service.store import ServiceStore

log = logging.getLogger("dlgrade.serve")
TASK_RETRIES = 1
FAILED_TWICE = ("a correção desta submissão falhou duas vezes por um problema do corretor, não do seu código "
                "({detail}); envie de novo mais tarde ou avise o professor")


@dataclass
class Job:
    submission_id: str
    student: str
    assignment: str
    keys: tuple[str, str]  # (grading key, execution key) in the course's cache
    claimed: list[str] = field(default_factory=list)


class Dispatcher:
    """Grades what ``store`` has queued on the cluster ``client`` talks to."""

    def __init__(self, course: Path, store: ServiceStore, client, slots: int, on_finished=None):
        from autograder.course.folder import course_config
        from autograder.course.steps import SandboxedExecute, TrustedGrade

        self.course, self.store, self.client, self.slots = Path(course).resolve(), store, client, slots
        self.on_finished = on_finished  # called with a submission's id once its verdict is stored
        self.config = course_config(self.course)
        self.grade_settings = {}
        self.run_all_settings = {}
        self._trusted = TrustedGrade(config=self.config)
        self._execute = SandboxedExecute(config=self.config)
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="dlgrade-dispatcher", daemon=True)
        self.in_flight: dict = {}          # future -> [Job, ...] (identical submissions share a task)
        self.future_of: dict[tuple, object] = {}  # keys -> the future computing them
        self.busy: set[str] = set()        # students with a submission being graded
        self.unrecorded: list[tuple] = []  # verdicts the database did not take yet, oldest first

    def start(self) -> None:
        requeued = self.store.requeue_grading()
        if requeued:
            log.warning("%d submission(s) cut off by the last stop go back to the queue", requeued)
        self.thread.start()

    def stop(self) -> None:
        """Stops taking work; what is in flight goes back to the queue for the next start."""
        self.stopping.set()
        self.wake.set()
        self.thread.join(timeout=60)
        for future in list(self.in_flight):
            with contextlib.suppress(Exception):
                future.cancel()
        self._release_all()
        try:
            self.store.requeue_grading()
        except SQLAlchemyError as error:  # the next start requeues them (their results are in the cache)
            log.error("could not requeue what was in flight (%s); the next start will", str(error).splitlines()[0])

    # The loop

    def _loop(self) -> None:
        from distributed import wait

        failing = False  # logged once per spell of errors, not every second
        while not self.stopping.is_set():
            try:
                try:  # the database part: what it cannot do now waits, the tasks in flight go on
                    self._record_unrecorded()
                    self._take_queued()
                    reachable = True
                except SQLAlchemyError as error:
                    if not failing:
                        log.warning("the database is out of reach (%s); retrying every second",
                                    str(error).splitlines()[0])
                    reachable, failing = False, True
                if self.in_flight:
                    done, _ = wait(list(self.in_flight), timeout=0.5 if reachable else 1, return_when="FIRST_COMPLETED")
                    for future in done:
                        if self.stopping.is_set():
                            break
                        self._complete(future)
                elif reachable:
                    self.wake.wait(0.5)
                    self.wake.clear()
                else:
                    time.sleep(1)
                if reachable and failing:
                    log.warning("grading loop working again")
                    failing = False
            except TimeoutError:
                continue
            except Exception:  # nothing must end the service's grading: logged once, retried
                if not failing:
                    log.exception("grading loop error; retrying every second")
                failing = True
                time.sleep(1)

    def _record_unrecorded(self) -> None:
        while self.unrecorded:
            submission_id, student, report, message, execution_key = self.unrecorded[0]
            self.store.finish(submission_id, report, message, execution_key)
            self.unrecorded.pop(0)
            self._finished(submission_id, student)

    def _take_queued(self) -> None:
        for row in self.store.queued():
            if self.stopping.is_set() or self._tasks_running() >= self.slots:
                return
            if row.student_id in self.busy:
                continue
            self._start(row)

    def _tasks_running(self) -> int:
        return len(self.in_flight)

    def _start(self, row) -> None:
        from autograder.grading.result_cache import ResultCache
        from autograder.grading.submission import SubmissionError
        from autograder.grading.task import run_grading_task

        try:  # reads the submission first: a database that fails here leaves it queued, untouched
            keys, files = self._prepare(row)
        except (SubmissionError, OSError, ValueError) as error:
            self.busy.add(row.student_id)  # until its verdict is recorded: not taken again meanwhile
            self._finish_one(row.id, row.student_id, None, f"não foi possível corrigir: {error}"[:500])
            return
        self.store.start_grading(row.id)
        self.busy.add(row.student_id)
        job = Job(row.id, row.student_id, row.assignment, keys)
        cache = ResultCache(self.course, row.assignment)
        grade, execute = (cache.get(k) is None for k in keys)
        if not (grade or execute):  # an identical notebook was graded before
            self._record(job)
            return
        if keys in self.future_of:  # identical to one in flight: wait for that task
            self.in_flight[self.future_of[keys]].append(job)
            return
        job.claimed = [k for k, missing in zip(keys, (grade, execute)) if missing and cache.claim(k)]
        task = {"assignment": row.assignment, "files": files,
                "grade": self.grade_settings[row.assignment] if grade else None,
                "run_all": self.run_all_settings[row.assignment] if execute else None}
        future = self.client.submit(run_grading_task, task, retries=TASK_RETRIES, pure=False,
                                    key=f"dlgrade-serve-{row.id}")
        self.in_flight[future] = [job]
        self.future_of[keys] = future

    def _prepare(self, row) -> tuple[tuple[str, str], dict[str, bytes]]:
        """(the cache keys, the grading folder's files) of a stored submission."""
        import tempfile

        from autograder.grading.result_cache import CACHE_DIR_NAME, execution_key, grading_key
        from autograder.grading.task import folder_files
        from autograder.parallel.autograde import prepared

        assignment = row.assignment
        if assignment not in self.grade_settings:
            self.grade_settings[assignment] = self._trusted.limits(assignment)
            self.run_all_settings[assignment] = self._execute.settings(assignment)
        notebook, handed_in = self.store.content(row.id)
        (self.course / CACHE_DIR_NAME).mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="serve-", dir=self.course / CACHE_DIR_NAME) as workdir:
            folder = Path(workdir) / assignment
            folder.mkdir()
            path = folder / f"{assignment}.ipynb"
            path.write_bytes(notebook)
            for name, content in handed_in.items():  # names checked against the profile on upload
                (folder / Path(name).name).write_bytes(content)
            with prepared(self.course, assignment, path, self.config) as (copy, submission, nb):
                keys = (grading_key(submission, self.grade_settings[assignment]),
                        execution_key(assignment, nb, copy.parent, self.run_all_settings[assignment]))
                files = folder_files(copy.parent)
            shutil.rmtree(folder, ignore_errors=True)
        return keys, files

    def _complete(self, future) -> None:
        from autograder.grading.result_cache import ResultCache

        jobs = self.in_flight.pop(future)
        self.future_of.pop(jobs[0].keys, None)
        try:
            results, error = future.result(), None
        except Exception as failure:  # noqa: BLE001 - one submission fails, the service goes on
            results = {}
            error = " ".join(f"{type(failure).__name__}: {failure}".split())[:200]
        cache = ResultCache(self.course, jobs[0].assignment)
        for kind, key in zip(("grade", "execute"), jobs[0].keys):
            if kind in results:
                cache.put(key, results[kind])
        for job in jobs:
            for key in job.claimed:
                cache.release(key)
            if error:
                log.error("submission %s of %s failed twice: %s", job.submission_id, job.student, error)
                self._finish_one(job.submission_id, job.student, None, FAILED_TWICE.format(detail=error))
            else:
                self._record(job)

    def _record(self, job: Job) -> None:
        from autograder.grading.result_cache import ResultCache

        cache = ResultCache(self.course, job.assignment)
        report = cache.get(job.keys[0])
        executed = job.keys[1] if cache.get(job.keys[1]) is not None else None
        message = None if report else "o corretor não devolveu uma nota para esta submissão; avise o professor"
        self._finish_one(job.submission_id, job.student, report, message, executed)

    def _finish_one(self, submission_id: str, student: str, report, message, execution_key=None) -> None:
        try:
            self.store.finish(submission_id, report, message, execution_key)
        except SQLAlchemyError as error:  # kept (the student stays busy) until the database takes it
            log.warning("the verdict of %s waits for the database: %s", submission_id, str(error).splitlines()[0])
            self.unrecorded.append((submission_id, student, report, message, execution_key))
            return
        self._finished(submission_id, student)

    def _finished(self, submission_id: str, student: str) -> None:
        self.busy.discard(student)
        self.wake.set()
        if self.on_finished is not None:
            self.on_finished(submission_id)

    def _release_all(self) -> None:
        from autograder.grading.result_cache import ResultCache

        for jobs in self.in_flight.values():
            for job in jobs:
                for key in job.claimed:
                    ResultCache(self.course, job.assignment).release(key)
