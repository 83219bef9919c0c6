"""`dlgrade autograde ASSIGNMENT`: nbgrader's autograde, with the slow part in parallel.

- N processes execute every submission in the sandbox and grade it with the trusted grader,
  exactly as the autograde steps would, in the order nbgrader will visit them; results go to
  the course's cache (each claimed first, so nobody computes it twice).
- Meanwhile one ordinary, serial `nbgrader autograde ASSIGNMENT` runs. Its sandboxed execution
  and trusted grading take each result from the cache, waiting for it when it is still being
  computed, so it only sanitizes, stores and writes the gradebook: a single SQLite writer, and
  by construction the scores of a serial `nbgrader autograde`.
A submission that fails in a parallel process is reported and left to nbgrader, which records
it as it always does; the batch never stops on one bad notebook.
"""
from __future__ import annotations

import contextlib
import fnmatch
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.course import CourseError


@dataclass
class Outcome:
    student: str
    score: float | None
    max_score: float | None
    error: str | None


def submitted_notebooks(course: Path, assignment: str) -> list[tuple[str, Path]]:
    """(student id, notebook) of every submission, nbgrader's layout:
    submitted/<student>/<assignment>/<assignment>.ipynb."""
    found = []
    for folder in sorted((course / "submitted").glob(f"*/{assignment}")):
        notebook = folder / f"{assignment}.ipynb"
        found.append((folder.parent.name, notebook))
    return found


def grading_folder(course: Path, assignment: str, submitted: Path, destination: Path, config) -> Path:
    """Lays out in ``destination`` what `nbgrader autograde` grades in: the submission's files,
    overwritten by the source folder's (not its notebooks, not ``Autograde.exclude_overwriting``),
    leaving out ``CourseDirectory.ignore``. The submitted folder is only read."""
    from autograder.result_cache import NBGRADER_IGNORE

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

    from autograder.result_cache import CACHE_DIR_NAME
    from autograder.submission import load_submission

    (course / CACHE_DIR_NAME).mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="work-", dir=course / CACHE_DIR_NAME) as workdir:
        folder = grading_folder(course, assignment, notebook.parent, Path(workdir) / assignment, config)
        copy = folder / f"{assignment}.ipynb"
        shutil.copyfile(notebook, copy)
        submission = load_submission(copy)
        nb, _ = ClearOutput().preprocess(nbformat.read(copy, as_version=4), {})
        yield copy, submission, nb


def course_config(course: Path):
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config())
    return config


def submission_keys(course: Path, assignment: str, notebook: Path, config) -> dict:
    """The cache keys of a submission's grading and execution, as the autograde steps will
    compute them in nbgrader's autograded folder, under the course's limits. Raises
    SubmissionError for a broken notebook, OSError for a folder that cannot be copied."""
    from autograder.nbgrader_steps import SandboxedExecute, TrustedGrade
    from autograder.result_cache import execution_key, grading_key

    with prepared(course, assignment, notebook, config) as (copy, submission, nb):
        return {"grade": grading_key(submission, TrustedGrade(config=config).limits(assignment)),
                "execute": execution_key(assignment, nb, copy.parent,
                                         SandboxedExecute(config=config).settings(assignment))}


def compute(course: Path, assignment: str, notebook: Path, keys: dict) -> dict:
    """In a pool process: grade and execute one submission in its own grading folder (as
    nbgrader would), storing both results in the cache."""
    from autograder.grader import grade_notebook
    from autograder.nbgrader_steps import SandboxedExecute, TrustedGrade
    from autograder.result_cache import ResultCache

    cache = ResultCache(course, assignment)
    config = course_config(course)
    with prepared(course, assignment, notebook, config) as (copy, _, nb):
        report = cache.get(keys["grade"])
        if report is None:
            limits = TrustedGrade(config=config).limits(assignment)
            report = grade_notebook(copy, attachments_dir=copy.parent, **limits)
            cache.put(keys["grade"], report)
        if cache.get(keys["execute"]) is None:
            ran = SandboxedExecute(config=config).run(nb, assignment, copy.parent)
            cache.put(keys["execute"], ran)
    return report


def _import_grading_code() -> None:
    import autograder.grader
    import autograder.nbgrader_steps  # noqa: F401
    import nbgrader.preprocessors  # noqa: F401


def start_nbgrader(course: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    return subprocess.Popen([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish_nbgrader(process: subprocess.Popen, args) -> str | None:
    """None when nbgrader succeeded; else the tail of its log (it still graded the others)."""
    output, _ = process.communicate()
    if process.returncode == 0:
        return None
    tail = "\n".join(output.strip().splitlines()[-10:])
    return f"nbgrader {' '.join(args)} reported failures:\n{tail}"


def progress(done: int, total: int, started: float, width: int = 30) -> str:
    filled = int(width * done / total) if total else width
    elapsed = time.perf_counter() - started
    return f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} submissões  {elapsed:5.1f} s"


def autograde(assignment: str, course: Path, workers: int = 2, force: bool = False) -> int:
    course = Path(course).resolve()
    if not (course / "nbgrader_config.py").is_file():
        raise CourseError(f"{course} is not a course directory (no nbgrader_config.py)")
    submissions = submitted_notebooks(course, assignment)
    if not submissions:
        raise CourseError(f"no submissions of {assignment} under {course / 'submitted'}")

    from autograder.result_cache import ResultCache
    from autograder.submission import SubmissionError

    started = time.perf_counter()
    print(f"Corrigindo {len(submissions)} submissões de {assignment} com {workers} processos", file=sys.stderr)
    _import_grading_code()  # forked pool processes inherit it instead of importing it again
    cache = ResultCache(course, assignment)
    config = course_config(course)
    outcomes: dict[str, Outcome] = {}
    tasks: dict[tuple, list[str]] = {}  # identical submissions are computed once
    notebooks = {}
    for student, notebook in submissions:
        try:
            keys = submission_keys(course, assignment, notebook, config) if notebook.is_file() else None
        except SubmissionError as error:
            keys, outcomes[student] = None, Outcome(student, None, None, str(error))
        except OSError as error:  # shutil.Error too: a dangling link, an unreadable file
            keys, outcomes[student] = None, Outcome(
                student, None, None, f"a pasta da submissão não pôde ser copiada: {error}"[:300])
        if keys is None:
            outcomes.setdefault(student, Outcome(student, None, None, f"{notebook.name} não foi entregue"))
            continue
        tasks.setdefault((keys["grade"], keys["execute"]), []).append(student)
        notebooks[student] = notebook
    # This process claims every result before nbgrader starts, so nbgrader waits for the pool
    # instead of computing anything twice; each claim is released when its result is stored.
    claimed = {k for pair in tasks for k in pair if cache.get(k) is None and cache.claim(k)}

    args = ["autograde", assignment] + (["--force"] if force else [])
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {
                pool.submit(compute, course, assignment, notebooks[students[0]], {"grade": g, "execute": e}):
                    ((g, e), students)
                for (g, e), students in tasks.items()
            }
            writer = start_nbgrader(course, *args)  # the single gradebook writer
            for future in as_completed(futures):
                keys, students = futures[future]
                for k in keys:
                    if k in claimed:
                        cache.release(k)
                try:
                    report, error = future.result(), None
                except Exception as failure:  # noqa: BLE001 - reported, never stops the batch
                    report, error = None, f"{type(failure).__name__}: {failure}"
                for student in students:
                    outcomes[student] = Outcome(student, report and report["score"],
                                                report and report["max_score"], error)
                print(progress(len(outcomes), len(submissions), started), end="", file=sys.stderr, flush=True)
    finally:
        for k in claimed:
            cache.release(k)
    print(file=sys.stderr)
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
