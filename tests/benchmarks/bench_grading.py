"""Benchmark: how long the trusted grader takes, for the reference notebooks and for honest
student solutions written with nested Python loops (tests/support/samples.py).

Goals (issue 4): each function's hidden suite under 10 s even for the loop solutions; a whole
numpy notebook under 60 s. Prints one row per notebook and the slowest function of each.
Run with `make bench-grading`.
"""
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from autograder.course.create import init_course  # noqa: E402
from autograder.grading.grader import grade_notebook  # noqa: E402
from autograder.grading.submission import with_cells  # noqa: E402
from tests.support.samples import HONEST  # noqa: E402

NUMPY_ASSIGNMENTS = ["a1_ativacoes", "a2_convolucao", "a3_pooling", "a4_backprop", "a5_rnn_lstm"]
FUNCTION_GOAL, NOTEBOOK_GOAL = 10.0, 60.0


def main():
    with tempfile.TemporaryDirectory() as tmp:
        course = Path(tmp) / "course"
        init_course(course, only=NUMPY_ASSIGNMENTS)
        print(f"{'notebook':<30}{'score':>12}{'total s':>9}  slowest function")
        worst_function = worst_notebook = 0.0
        for assignment in NUMPY_ASSIGNMENTS:
            source = course / "source" / assignment / f"{assignment}.ipynb"
            variants = [("reference", source)]
            if assignment in HONEST:
                loops = Path(tmp) / "loops" / f"{assignment}.ipynb"
                loops.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(with_cells(nbformat.read(source, as_version=4), HONEST[assignment]), loops)
                variants.append(("loops", loops))
            for label, path in variants:
                timings: dict = {}
                start = time.perf_counter()
                report = grade_notebook(path, timings=timings)
                total = time.perf_counter() - start
                slowest = max(timings, key=timings.get)
                worst_function = max(worst_function, timings[slowest])
                worst_notebook = max(worst_notebook, total)
                score = f"{report['score']:g}/{report['max_score']:g}"
                print(f"{assignment + ' (' + label + ')':<30}{score:>12}{total:>9.1f}  "
                      f"{slowest} {timings[slowest]:.2f} s")
        print(f"slowest function suite: {worst_function:.2f} s (goal < {FUNCTION_GOAL:g} s); "
              f"slowest notebook: {worst_notebook:.1f} s (goal < {NOTEBOOK_GOAL:g} s)")


if __name__ == "__main__":
    main()
