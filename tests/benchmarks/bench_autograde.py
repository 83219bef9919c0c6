"""Benchmark: serial `nbgrader autograde`, `dlgrade autograde --workers 2` (the embedded default,
a local Dask cluster it starts itself) and `dlgrade autograde --scheduler` to a 2-worker cluster
already running on 127.0.0.1 (`dask scheduler`, two `dask worker`), same course, same (all
distinct) submissions, empty result cache before each run. Prints the times, the ratios (goals:
the default at least 1.6x serial nbgrader; the cluster path within 10% of the default), the
cluster's overhead per submission, and whether the gradebooks hold the same scores. Run with
`make bench-autograde`.
"""
import argparse
import csv
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from autograder.course.create import init_course  # noqa: E402
from autograder.course.folder import run_nbgrader  # noqa: E402
from autograder.grading.result_cache import CACHE_DIR_NAME  # noqa: E402
from tests.support.dask_cluster import DaskProcesses  # noqa: E402

GOAL = 1.6
CLUSTER_GOAL = 1.10


def distinct_notebooks(course: Path, assignment: str, count: int) -> list:
    """``count`` notebooks alternating the reference, the untouched stubs and half the cells solved,
    every one distinct, as real ones are: no result can be shared between them."""
    source = nbformat.read(course / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    half = nbformat.from_dict(source)
    solutions = [i for i, c in enumerate(half.cells) if c.metadata.get("nbgrader", {}).get("solution")]
    for i in solutions[::2]:
        half.cells[i] = release.cells[i]
    notebooks = []
    for n in range(count):
        notebook = nbformat.from_dict((source, release, half)[n % 3])
        notebook.cells[solutions[0]].source += f"\n# aluno {n:02d}"
        notebooks.append(notebook)
    return notebooks


def make_submissions(course: Path, assignment: str, count: int) -> None:
    """``distinct_notebooks`` as the submissions of students aluno00, aluno01…"""
    for n, notebook in enumerate(distinct_notebooks(course, assignment, count)):
        folder = course / "submitted" / f"aluno{n:02d}" / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, folder / f"{assignment}.ipynb")


def scores(course: Path) -> dict:
    run_nbgrader(course, "export", "--to", str(course / "grades.csv"))
    with open(course / "grades.csv", newline="") as stream:
        return {row["student_id"]: float(row["score"]) for row in csv.DictReader(stream)}


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="a1_ativacoes")
    parser.add_argument("--submissions", type=int, default=12)
    args = parser.parse_args()
    dlgrade = str(Path(sys.executable).parent / "dlgrade")
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp) / "course"
        init_course(course, only=[args.assignment])
        make_submissions(course, args.assignment, args.submissions)

        serial = timed(lambda: run_nbgrader(course, "autograde", args.assignment, "--force"))
        serial_scores = scores(course)

        def dlgrade_autograde(*options):
            shutil.rmtree(course / CACHE_DIR_NAME, ignore_errors=True)
            return timed(lambda: subprocess.run(
                [dlgrade, "autograde", args.assignment, "--course", str(course), "--force", *options],
                check=True, capture_output=True))

        local = dlgrade_autograde("--workers", "2")
        local_scores = scores(course)
        with DaskProcesses(Path(tmp), ["w1", "w2"]) as cluster:
            remote = dlgrade_autograde("--scheduler", cluster.address)
        remote_scores = scores(course)

    n = args.submissions
    print(f"{n} submissions of {args.assignment}")
    print(f"serial nbgrader autograde:               {serial:6.1f} s")
    print(f"dlgrade autograde --workers 2 (default): {local:6.1f} s   {serial / local:.2f}x serial "
          f"({'meets' if serial / local >= GOAL else 'misses'} the goal of {GOAL}x)")
    print(f"dlgrade autograde --scheduler (2 workers): {remote:4.1f} s   {remote / local:.2f}x the default "
          f"({'meets' if remote / local <= CLUSTER_GOAL else 'misses'} the goal of at most {CLUSTER_GOAL}x)")
    print(f"cluster path against the default: {(remote - local) / n:+.2f} s per submission; "
          f"same scores: {serial_scores == local_scores == remote_scores}")


if __name__ == "__main__":
    main()
