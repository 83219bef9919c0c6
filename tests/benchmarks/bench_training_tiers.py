"""Calibration of a Keras notebook's hidden training test: what honest solutions reach over
several seeds, against the suite's limits. The suite seeds every call, so one notebook always
gets one result; different seeds stand for the spread between equally good solutions. The
limits must sit outside that spread with a margin. Also grades seed 0 twice to show that the
result repeats exactly.

Run with `make bench-a6-tiers [SEEDS=5]` (a6: test accuracy of the trained CNN) or
`make bench-a7-tiers [SEEDS=5]` (a7: reconstruction ratio and detection AUC of the trained
autoencoder); a few minutes each.
"""
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import nbformat

from autograder.authoring.builder import write_source_folder
from autograder.authoring.profiles import load_profile
from autograder.grading.submission import load_submission, with_cells
from autograder.paths import HELPERS_DIR
from autograder.sandbox.trusted_side import Sandbox
from autograder.sandbox.visibility import hidden_from_graded_code

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tests.support.samples import HONEST_A6, HONEST_A7

SEEDS = range(int(os.environ.get("SEEDS", "5")))


@dataclass
class Calibration:
    fixture_data: Callable
    measure: Callable  # (student, data, rng_seed) -> {metric: value}
    limits: dict  # metric -> (">=" or "<=", the suite's strictest limit)
    honest: dict


def calibrations() -> dict[str, Calibration]:
    from autograder.grading.suites import test_a6_cnn_keras as a6
    from autograder.grading.suites import test_a7_autoencoder as a7

    return {
        "a6_cnn_keras": Calibration(
            a6.fixture_data, lambda student, data, seed: {"accuracy": a6.trained_test_accuracy(student, data, seed)},
            {"accuracy": (">=", a6.ACCURACY_TIERS[-1])}, HONEST_A6),
        "a7_autoencoder": Calibration(
            a7.fixture_data, a7.detector_metrics,
            {"auc": (">=", a7.AUC_TIERS[-1]), "reconstruction_ratio": ("<=", a7.RECONSTRUCTION_RATIO_LIMIT)},
            HONEST_A7),
    }


def measurements(assignment: str, calibration: Calibration, path: Path, data) -> list[dict]:
    profile = load_profile(assignment)
    submission = load_submission(path)
    hide = hidden_from_graded_code(profile, path.parent)
    results = []
    with Sandbox(submission.cells, helpers=HELPERS_DIR, hide=hide, limits=profile.limits()) as sandbox:
        sandbox.start()
        for seed in [*SEEDS, 0]:  # seed 0 again at the end: the same numbers, exactly
            start = time.perf_counter()
            results.append(calibration.measure(sandbox, data, seed))
            shown = "  ".join(f"{k} {v:.4f}" for k, v in results[-1].items())
            print(f"  seed {seed}: {shown} ({time.perf_counter() - start:.0f} s)", flush=True)
    return results


def main(assignment: str) -> int:
    calibration = calibrations()[assignment]
    data = calibration.fixture_data()
    spread = {}
    with tempfile.TemporaryDirectory() as tmp:
        source = write_source_folder(assignment, Path(tmp) / "source")
        honest = Path(tmp) / "honest" / f"{assignment}.ipynb"
        honest.parent.mkdir()
        nbformat.write(with_cells(nbformat.read(source, as_version=4), calibration.honest), honest)
        for label, path in (("reference", source), ("honest alternative", honest)):
            print(label, flush=True)
            values = measurements(assignment, calibration, path, data)
            assert values[0] == values[-1], f"seed 0 gave {values[0]} then {values[-1]}: not deterministic"
            spread[label] = values[:-1]
    for metric, (direction, limit) in calibration.limits.items():
        for label, values in spread.items():
            numbers = [v[metric] for v in values]
            print(f"{metric:<22}{label:<20} min {min(numbers):.4f}  median {statistics.median(numbers):.4f}  "
                  f"max {max(numbers):.4f}")
        every = [v[metric] for values in spread.values() for v in values]
        worst = min(every) if direction == ">=" else max(every)
        margin = worst - limit if direction == ">=" else limit - worst
        print(f"{metric}: the suite asks {direction} {limit}; worst honest run {worst:.4f}; margin {margin:+.4f}")
    print("seed 0 repeated exactly: yes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "a6_cnn_keras"))
