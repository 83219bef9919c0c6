"""`dlgrade autograde ASSIGNMENT`: nbgrader's autograde, with the slow part on a Dask cluster.

- Each submission becomes one task, a plain function of plain data (``grading.task``): its
  grading folder as bytes goes to a worker, which executes it in the sandbox and grades it with
  the trusted grader; the results come back as data and this process stores them in the
  course's cache (each key claimed first, so nobody computes it twice). The cluster is a local
  one of N processes by default, or the one at ``--scheduler``; workers need this package, not
  the course folder. Dask runs a dead worker's tasks again elsewhere; a task that fails twice
  is reported and left to nbgrader.
- Meanwhile one ordinary, serial `nbgrader autograde ASSIGNMENT` runs. Its sandboxed execution
  and trusted grading take each result from the cache, waiting for it while it is computed, so
  it only sanitizes, stores and writes the gradebook: a single writer (SQLite works), and by
  construction the scores of a serial `nbgrader autograde`.
"""
from __future__ import annotations

import contextlib
import fnmatch
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.course.folder import CourseError, course_config, submitted_notebooks

CONNECT_TIMEOUT = "15s"
TASK_RETRIES = 1  # a task that fails twice is reported, not tried a third time


@dataclass
class Outcome:
    student: str
    score: float | None
    max_score: float | None
    error: str | None


def grading_folder(course: Path, assignment: str, submitted: Path, destination: Path, config) -> Path:
    """Lays out in ``destination`` what `nbgrader autograde` grades in: the submission's files,
    overwritten by the source folder's (not its notebooks, not ``Autograde.exclude_overwriting``),
    leaving out ``CourseDirectory.ignore``. The submitted folder is only read."""
    from autograder.grading.result_cache import NBGRADER_IGNORE

    ignore = tuple(config.get("CourseDirectory", {}).get("ignore", NBGRADER_IGNORE))
    shutil.copytree(submitted, destination, ignore=shutil.ignore_patterns(*ignore), dirs_exist_ok=True)
    source = course / "source" / assignment
    keep = set(config.get("Autograde", {}).get("exclude_overwriting", {}).get(assignment, []))
    for path in sorted(source.rglob("*")) if source.is_dir() else []:
        relative = path.relative_to(source)
        if (path.is_file() and path.suffix != ".ipynb" and str(relative) not in keep
                and not any(fnmatch.fnmatch(part, p) for part in relative.parts for p in ignore)):
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return destination


@contextlib.contextmanager
def prepared(course: Path, assignment: str, notebook: Path, config):
    """(copy of the notebook inside its grading folder, the submission, the cleared notebook),
    laid out in a temporary folder inside the course's cache: like nbgrader's autograded/ folder,
    it lies in the course, so the rule of what graded code cannot see covers the course."""
    from nbgrader.preprocessors import ClearOutput

    from autograder.grading.result_cache import CACHE_DIR_NAME
    from autograder.grading.submission import load_submission

    (course / CACHE_DIR_NAME).mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="work-", dir=course / CACHE_DIR_NAME) as workdir:
        folder = grading_folder(course, assignment, notebook.parent, Path(workdir) / assignment, config)
        copy = folder / f"{assignment}.ipynb"
        shutil.copyfile(notebook, copy)
        submission = load_submission(copy)
        nb, _ = ClearOutput().preprocess(nbformat.read(copy, as_version=4), {})
        yield copy, submission, nb


def start_nbgrader(course: Path, *args: str) -> subprocess.Popen:
    """The gradebook writer, in a session of its own: a terminal's Ctrl-C reaches only this
    process, which then interrupts nbgrader once (a second SIGINT could land while nbgrader
    removes the half-graded notebook's folder, and the next run would skip that student)."""
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    return subprocess.Popen([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def finish_nbgrader(process: subprocess.Popen, args) -> str | None:
    """None when nbgrader succeeded; else the tail of its log (it still graded the others)."""
    output, _ = process.communicate()
    if process.returncode == 0:
        return None
    tail = "\n".join(output.strip().splitlines()[-10:])
    return f"nbgrader {' '.join(args)} reported failures:\n{tail}"


def open_client(scheduler: str | None, workers: int):
    """A Dask client: to the scheduler at ``scheduler``, or to a new local cluster of
    ``workers`` processes (one task at a time each). Raises CourseError when the scheduler
    cannot be reached."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout=CONNECT_TIMEOUT), None
        except (OSError, TimeoutError, ValueError) as error:
            raise CourseError(f"cannot reach the Dask scheduler at {scheduler} ({error}); "
                              "nothing was graded or changed") from None
    import dask

    from autograder.grading.task import import_grading_code

    # Forked workers start with the grading code this process has already imported (seconds
    # per worker: nbformat's schema validators alone take two) instead of importing it again.
    import_grading_code()
    with dask.config.set({"distributed.worker.multiprocessing-method": "fork"}):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
    return Client(cluster), cluster


def workers_alive(client) -> int:
    try:
        return len(client.scheduler_info()["workers"])
    except Exception:  # noqa: BLE001 - only the progress bar's postfix depends on it
        return 0


def stop_nbgrader(process: subprocess.Popen) -> None:
    """Ctrl-C for the writer: SIGINT (nbgrader finishes or rolls back the notebook it is on;
    SQLite and PostgreSQL commit whole transactions), then a kill if it lingers."""
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGINT)
    try:
        process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


@dataclass
class Plan:
    """What a batch has to compute: one entry per distinct (grading key, execution key)."""
    notebook_of: dict[tuple, Path]      # keys -> the first submission with them
    students_of: dict[tuple, list[str]]  # keys -> every student whose submission has them
    outcomes: dict[str, Outcome]        # students settled before any task (missing, broken)


def plan_batch(course: Path, assignment: str, config, grade_settings: dict, run_all_settings: dict) -> Plan:
    from autograder.grading.result_cache import execution_key, grading_key
    from autograder.grading.submission import SubmissionError

    plan = Plan({}, {}, {})
    for student, notebook in submitted_notebooks(course, assignment):
        if not notebook.is_file():
            plan.outcomes[student] = Outcome(student, None, None, f"{notebook.name} não foi entregue")
            continue
        try:
            with prepared(course, assignment, notebook, config) as (copy, submission, nb):
                keys = (grading_key(submission, grade_settings),
                        execution_key(assignment, nb, copy.parent, run_all_settings))
        except SubmissionError as error:
            plan.outcomes[student] = Outcome(student, None, None, str(error))
            continue
        except OSError as error:  # shutil.Error too: a dangling link, an unreadable file
            plan.outcomes[student] = Outcome(student, None, None,
                                             f"a pasta da submissão não pôde ser copiada: {error}"[:300])
            continue
        plan.notebook_of.setdefault(keys, notebook)
        plan.students_of.setdefault(keys, []).append(student)
    return plan


def autograde(assignment: str, course: Path, workers: int = 2, force: bool = False,
              scheduler: str | None = None) -> int:
    from distributed import as_completed
    from tqdm import tqdm

    from autograder.course.steps import SandboxedExecute, TrustedGrade
    from autograder.grading.result_cache import ResultCache
    from autograder.grading.task import folder_files, import_grading_code, run_grading_task

    course = Path(course).resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise CourseError(f"{course} is not a course directory (no nbgrader_config.py)")
    total = len(submitted_notebooks(course, assignment))
    if not total:
        raise CourseError(f"no submissions of {assignment} under {course / 'submitted'}")

    started = time.perf_counter()
    cache = ResultCache(course, assignment)
    config = course_config(course)
    grade_settings = TrustedGrade(config=config).limits(assignment)
    run_all_settings = SandboxedExecute(config=config).settings(assignment)
    plan = plan_batch(course, assignment, config, grade_settings, run_all_settings)
    outcomes = plan.outcomes
    for outcome in outcomes.values():  # nbgrader cannot grade these either: `dlgrade report` says why
        cache.record_verdict(outcome.student, None, outcome.error)

    client, cluster = open_client(scheduler, workers)  # before any claim: an unreachable scheduler changes nothing
    print(f"Corrigindo {total} submissões de {assignment} ({scheduler or f'{workers} processos locais'})",
          file=sys.stderr)
    # This process claims every missing result before nbgrader starts, so nbgrader waits for the
    # cluster instead of computing anything twice; each claim is released when its result is stored.
    claimed = {k for keys in plan.students_of for k in keys if cache.get(k) is None and cache.claim(k)}
    args = ["autograde", assignment] + (["--force"] if force else [])
    writer = None
    bar = tqdm(total=total, desc="Corrigindo", unit=" submissões", file=sys.stderr, initial=len(outcomes),
               dynamic_ncols=True)

    def settle(keys, error=None):
        record(outcomes, plan.students_of[keys], cache.get(keys[0]), error)
        bar.update(len(plan.students_of[keys]))

    def task_of(keys):
        """The task for ``keys``, or None when both results are already cached (an earlier run).
        Built when it is sent, so the head holds only the submissions in flight."""
        grade, execute = (cache.get(k) is None for k in keys)
        if not (grade or execute):
            return None
        with prepared(course, assignment, plan.notebook_of[keys], config) as (copy, _, _):
            files = folder_files(copy.parent)
        return {"assignment": assignment, "files": files,
                "grade": grade_settings if grade else None, "run_all": run_all_settings if execute else None}

    try:
        client.run(import_grading_code)
        waiting = iter(plan.students_of)
        in_flight, sent = as_completed(), {}

        def send(count):
            for keys in waiting:
                task = task_of(keys)
                if task is None:
                    settle(keys)
                    continue
                name = f"dlgrade-{assignment}-{plan.students_of[keys][0]}-{keys[0][:8]}"
                future = client.submit(run_grading_task, task, retries=TASK_RETRIES, pure=False, key=name)
                sent[future] = keys
                in_flight.add(future)
                count -= 1
                if count <= 0:
                    return

        send(2 * max(workers_alive(client), 1) + 2)  # enough to keep every worker busy
        writer = start_nbgrader(course, *args)  # the single gradebook writer
        for future in in_flight:
            keys = sent.pop(future)
            try:
                results, error = future.result(), None
            except Exception as failure:  # noqa: BLE001 - reported, never stops the batch
                results = {}
                error = " ".join(f"a correção falhou duas vezes ({type(failure).__name__}: {failure})".split())[:300]
            for kind, key in zip(("grade", "execute"), keys):
                if kind in results:
                    cache.put(key, results[kind])
                if key in claimed:
                    cache.release(key)
            settle(keys, error)
            bar.set_postfix_str(f"{workers_alive(client)} workers")
            send(1)
    except KeyboardInterrupt:
        bar.close()
        if writer is not None:
            stop_nbgrader(writer)
        print("\nInterrompido: o que já estava no gradebook continua lá; rode de novo para terminar "
              "(os resultados já calculados estão em cache).", file=sys.stderr)
        return 130
    finally:
        for k in claimed:
            cache.release(k)
        client.close()
        if cluster is not None:
            cluster.close()
    bar.close()
    nbgrader_failed = finish_nbgrader(writer, args)
    elapsed = time.perf_counter() - started
    outcomes = list(outcomes.values())

    failed = [o for o in outcomes if o.error]
    for outcome in sorted(outcomes, key=lambda o: o.student):
        if outcome.error:
            print(f"  ✘ {outcome.student}: {outcome.error}", file=sys.stderr)
    print(f"{len(outcomes) - len(failed)} de {len(outcomes)} submissões corrigidas em {elapsed:.1f} s; "
          f"notas gravadas no gradebook de {course}")
    if nbgrader_failed and not failed:
        print(nbgrader_failed, file=sys.stderr)
    return 1 if failed or nbgrader_failed else 0


def record(outcomes: dict, students: list[str], report: dict | None, error: str | None) -> None:
    for student in students:
        outcomes[student] = Outcome(student, report and report["score"], report and report["max_score"], error)
