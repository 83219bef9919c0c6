"""Benchmark: the calibration of autograder/instructor/similarity.py, and its time on a class.

Scores every pair of the calibration set (tests/support/similarity_calibration.py): independent
solutions must stay below THRESHOLD, disguised copies reach it. Prints each pair's kind and
its similarity (as similar_pairs computes it), then the highest
independent score, the lowest copy score, the margin between them and THRESHOLD. Then times
similar_pairs on a synthetic class of 100 students x 4 exercises made from the set. Run with
`.venv/bin/python tests/benchmarks/similarity_calibration.py`.
"""
import argparse
import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


from autograder.instructor import similarity
from tests.support import similarity_calibration as cal
from tests.support.samples import HONEST
from tests.support.timing import median_seconds


def scores(cells_by_exercise, threshold=0.0):
    """{(grade_id, a, b): similarity} from similar_pairs itself; pairs it leaves out share
    nothing and score 0."""
    code = {}
    for grade_id, cells in cells_by_exercise.items():
        for author, cell in cells.items():
            code.setdefault(author, {})[grade_id] = cell
    starter = {grade_id: cal.release_stub(grade_id) for grade_id in cells_by_exercise}
    return {(p.grade_id, *p.students): p.similarity for p in similarity.similar_pairs(code, starter, threshold)}


def calibration_rows():
    """(grade_id, kind, (a, b), similarity) for every pair of the calibration set."""
    scored = scores({grade_id: cal.submissions(grade_id) for grade_id in (cal.CONV, cal.POOL)})
    return [(grade_id, "copy" if is_copy else "independent", pair, scored.get((grade_id, *pair), 0.0))
            for grade_id in (cal.CONV, cal.POOL) for pair, is_copy in cal.labelled_pairs(grade_id).items()]


def synthetic_class(n_students=100, seed=0):
    """student -> {grade_id -> cell}, and the starters: 4 exercises (conv_forward and
    pool_forward, twice over as a second assignment would). Each cell is a calibration solution
    with some names suffixed and about half its statements followed by one of the student's own
    (`; _ = n`), so two students on the same base share about half their code, as students
    following the same textbook do, and a few pairs still come out flagged."""
    import ast

    rng = random.Random(seed)
    exercises = {cal.CONV: cal.CONV, cal.POOL: cal.POOL, f"{cal.CONV}_b": cal.CONV, f"{cal.POOL}_b": cal.POOL}
    code = {}
    for n in range(n_students):
        cells = {}
        for grade_id, base in exercises.items():
            source = rng.choice(sorted(cal.sources(base).values()))
            lines = re.sub(r"\b(Z|A|m|cache)\b", rf"\g<1>_{n}", source).splitlines()
            for i in range(1, len(lines)):
                if rng.random() < 0.5:
                    changed = [*lines[:i], f"{lines[i]}; _ = {n}", *lines[i + 1:]]
                    try:
                        ast.parse("\n".join(changed))
                    except SyntaxError:
                        continue  # inside a bracket or before a block: leave the line alone
                    lines = changed
            cells[grade_id] = cal.submitted(base, "\n".join(lines))
        code[f"aluno{n:03d}"] = cells
    starter = {grade_id: cal.release_stub(base) for grade_id, base in exercises.items()}
    return code, starter


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    rows = calibration_rows()
    print(f"K={similarity.K}  WIN_SIZE={similarity.WIN_SIZE}  MIN_FINGERPRINTS={similarity.MIN_FINGERPRINTS}\n")
    print(f"{'exercise':<13} {'kind':<12} {'pair':<16} similarity")
    nothing_shared = 0
    for grade_id, kind, (a, b), score in sorted(rows, key=lambda r: (r[0], r[1], -r[3], r[2])):
        if score == 0:
            nothing_shared += 1
            continue
        print(f"{grade_id:<13} {kind:<12} {a + '-' + b:<16} {score:.3f}")
    print(f"(and {nothing_shared} independent pairs sharing nothing: 0.000)")
    independent = max(r[3] for r in rows if r[1] == "independent")
    copies = min(r[3] for r in rows if r[1] == "copy")
    print(f"\nmax independent {independent:.3f}   min copy {copies:.3f}   margin {copies - independent:.3f}   "
          f"THRESHOLD {similarity.THRESHOLD}")

    # Out of the set: the honest conv_forward of the demo's sample submissions, written apart.
    cells = {**cal.submissions(cal.CONV), "HONEST": cal.submitted(cal.CONV, HONEST["a2_convolucao"][cal.CONV])}
    out_of_set = max([s for pair, s in scores({cal.CONV: cells}).items() if "HONEST" in pair], default=0.0)
    print(f"samples.HONEST conv_forward against the set: at most {out_of_set:.3f}")

    code, starter = synthetic_class()
    flagged = similarity.similar_pairs(code, starter)
    seconds = median_seconds(lambda: similarity.similar_pairs(code, starter), args.repeats)
    print(f"\nsimilar_pairs on {len(code)} students x {len(starter)} exercises: median {seconds:.2f} s "
          f"({args.repeats} runs), {len(flagged)} pairs flagged")


if __name__ == "__main__":
    main()
