"""Benchmark: what a student waits for. The visible checks of each notebook (goal from its
profile, `visible_checks_seconds`: 1 s for numpy notebooks) and Run-All of each numpy source
notebook in a Jupyter kernel (`run_all_seconds`: 15 s for numpy notebooks; each Keras notebook
states its own budget, and runs once; SKIP_KERAS=1 leaves them out). These goals used to be assertions inside
tests; on a loaded CI machine a stopwatch is noise, so they are measured here, in one run,
and printed as medians with the goal. Run with `make bench-notebooks [REPEATS=5]`.
"""
import contextlib
import io
import os
import sys
import tempfile
from pathlib import Path

import jupytext
import nbformat
from dlhelpers import checks
from nbclient import NotebookClient

from autograder.authoring.builder import assignment_ids, authoring_file, reference_functions, write_source_folder
from autograder.authoring.profiles import load_profile

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.support.timing import median_seconds

REPEATS = int(os.environ.get("REPEATS", "5"))
SKIP_KERAS = os.environ.get("SKIP_KERAS") == "1"  # the numpy notebooks only, in seconds


def exercises_of(assignment):
    return [c.metadata["exercise"] for c in jupytext.read(authoring_file(assignment)).cells if "exercise" in c.metadata]


def visible_checks(references):
    print(f"{'visible checks':<28}{'median s':>10}{'goal s':>8}")
    for assignment in assignment_ids():
        names = exercises_of(assignment)

        def run_all_checks():
            with contextlib.redirect_stdout(io.StringIO()):  # the ✔ lines a student reads
                for name in names:
                    checks.check_exercise(references[name], namespace=references)

        seconds = median_seconds(run_all_checks, REPEATS)  # warm-up: imports are paid once per kernel
        goal = load_profile(assignment).visible_checks_seconds
        print(f"{assignment:<28}{seconds:>10.3f}{goal:>8g}  {'ok' if seconds < goal else 'OVER'}")


def run_alls():
    print(f"{'Run-All (source notebook)':<28}{'median s':>10}{'goal s':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for assignment in assignment_ids():
            profile = load_profile(assignment)
            if profile.keras and SKIP_KERAS:
                continue
            path = write_source_folder(assignment, Path(tmp) / assignment)

            def run():
                notebook = nbformat.read(path, as_version=4)
                NotebookClient(notebook, timeout=profile.cell_timeout, kernel_name="python3",
                               resources={"metadata": {"path": str(path.parent)}}).execute()

            # A Keras notebook trains for a minute or more: once is enough to compare with its budget.
            seconds = median_seconds(run, 1 if profile.keras else max(1, REPEATS // 2), warm_up=False)
            print(f"{assignment:<28}{seconds:>10.2f}{profile.run_all_seconds:>8g}  "
                  f"{'ok' if seconds < profile.run_all_seconds else 'OVER'}")


def main():
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, {REPEATS} repeats")
    visible_checks(reference_functions())
    run_alls()
    return 0


if __name__ == "__main__":
    sys.exit(main())
