"""autograder.instructor.similarity on the calibration set (tests/support/similarity_calibration.py): the
set is honest (every solution correct), independent solutions stay below THRESHOLD and copies
reach it with room on both sides; stubs, empty and tiny cells are never paired; the marked
code is safe HTML; the output is ordered, deterministic (also across processes) and per
exercise."""
import html
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from autograder.instructor.similarity import THRESHOLD, SimilarPair, similar_pairs
from tests.support import REPO_ROOT
from tests.support import similarity_calibration as cal

EXERCISES = (cal.CONV, cal.POOL)
# Room the threshold keeps on each side: a new copydetect release or one more solution in the
# set may move scores by a few hundredths, not by this much.
ROOM = 0.1


def starters():
    return {grade_id: cal.release_stub(grade_id) for grade_id in EXERCISES}


def calibration_class():
    """student -> {grade_id -> cell}: each calibration author is a student of one exercise."""
    code = {}
    for grade_id in EXERCISES:
        for author, cell in cal.submissions(grade_id).items():
            code.setdefault(author, {})[grade_id] = cell
    return code


@pytest.fixture(scope="module")
def calibration_scores():
    """(grade_id, a, b) -> similarity of every pair of the set (0 for pairs sharing nothing)."""
    found = {(p.grade_id, *p.students): p.similarity
             for p in similar_pairs(calibration_class(), starters(), threshold=0.0)}
    return {(grade_id, *pair): (found.get((grade_id, *pair), 0.0), is_copy)
            for grade_id in EXERCISES for pair, is_copy in cal.labelled_pairs(grade_id).items()}


@pytest.mark.parametrize("grade_id,author", [(g, a) for g in EXERCISES for a in cal.sources(g)])
def test_every_calibration_solution_is_correct(grade_id, author):
    solution = cal.load(grade_id, cal.submissions(grade_id)[author])
    reference = cal.reference(grade_id)
    for args in cal.cases(grade_id):
        got, expected = solution(*args)[0], reference(*args)[0]
        assert np.shape(got) == expected.shape and np.allclose(got, expected), (author, args[1:])


def test_set_has_enough_independent_solutions_and_copies():
    for grade_id in EXERCISES:
        assert len(cal.INDEPENDENT[grade_id]) >= 5 and len(cal.COPIES[grade_id]) >= 3
        assert all(original in cal.INDEPENDENT[grade_id] for original, _ in cal.COPIES[grade_id].values())


def test_independent_solutions_stay_below_threshold(calibration_scores):
    independent = {pair: score for pair, (score, is_copy) in calibration_scores.items() if not is_copy}
    flagged = {pair: score for pair, score in independent.items() if score >= THRESHOLD}
    assert not flagged
    assert THRESHOLD - max(independent.values()) >= ROOM


def test_every_copy_reaches_threshold(calibration_scores):
    copies = {pair: score for pair, (score, is_copy) in calibration_scores.items() if is_copy}
    missed = {pair: score for pair, score in copies.items() if score < THRESHOLD}
    assert not missed
    assert min(copies.values()) - THRESHOLD >= ROOM


def test_stubs_empty_and_tiny_cells_are_never_paired():
    stub = cal.release_stub(cal.CONV)
    reworded = stub.replace("# SEU CÓDIGO AQUI", "# ainda não fiz").replace("    raise", "\n    raise")
    # Two equal partial attempts: the setup lines everyone writes, then the stub's raise.
    partial = stub.replace("    # SEU CÓDIGO AQUI\n", "    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape\n"
                                                      "    f, f, n_C_prev, n_C = W.shape\n")
    code = {
        "s1": {cal.CONV: stub}, "s2": {cal.CONV: stub}, "s3": {cal.CONV: reworded},
        "s4": {cal.CONV: ""}, "s5": {cal.CONV: "  \n"}, "s6": {},
        "s7": {cal.CONV: partial}, "s8": {cal.CONV: partial},
        "s9": {cal.CONV: cal.submissions(cal.CONV)["ana"]},
    }
    assert similar_pairs(code, starters(), threshold=0.0) == []


def test_a_docstring_kept_or_deleted_changes_nothing():
    bare = cal.INDEPENDENT[cal.CONV]["gabi"]
    code = {"com": {cal.CONV: cal.submitted(cal.CONV, bare)}, "sem": {cal.CONV: bare}}
    [pair] = similar_pairs(code, starters())
    assert pair.similarity == 1.0


def test_marked_code_is_escaped_html_with_the_shared_parts_marked():
    bare = cal.INDEPENDENT[cal.CONV]["bruno"].replace("if pad > 0:", "if 0 < pad:")
    code = {"x": {cal.CONV: cal.submitted(cal.CONV, bare)}, "y": {cal.CONV: cal.submitted(cal.CONV, bare)}}
    [pair] = similar_pairs(code, starters())
    for side in pair.marked:
        assert "<mark>" in side and "</mark>" in side
        assert "0 < pad" not in side and "0 &lt; pad" in side
        # Without the marks and the escaping, the code as handed in, docstring removed.
        assert html.unescape(side.replace("<mark>", "").replace("</mark>", "")) == bare


def test_order_and_determinism():
    ana, joao = cal.submissions(cal.CONV)["ana"], cal.submissions(cal.CONV)["joao"]
    pa, qa = cal.submissions(cal.POOL)["pa"], cal.submissions(cal.POOL)["qa"]
    code = {
        "z": {cal.CONV: ana, cal.POOL: pa}, "b": {cal.CONV: ana, cal.POOL: pa},  # equal: 1.0 in both
        "a": {cal.CONV: joao},  # a copy of ana's: below 1.0
        "c": {cal.POOL: qa},
        "d": {cal.CONV: cal.submissions(cal.CONV)["diego"]},  # independent: absent
    }
    pairs = similar_pairs(code, starters())
    assert [(p.grade_id, p.students) for p in pairs[:2]] == [(cal.CONV, ("b", "z")), (cal.POOL, ("b", "z"))]
    assert [p.similarity for p in pairs[:2]] == [1.0, 1.0]
    assert all(p.students == tuple(sorted(p.students)) and "d" not in p.students for p in pairs)
    assert [p.similarity for p in pairs] == sorted((p.similarity for p in pairs), reverse=True)
    assert all(THRESHOLD <= p.similarity <= 1 and round(p.similarity, 3) == p.similarity for p in pairs)
    assert similar_pairs(code, starters()) == pairs


def test_same_result_in_another_process_with_another_hash_seed():
    # copydetect hashes with hash(), salted per process: the result must not depend on it.
    code, starter = calibration_class(), starters()
    here = [[list(p.students), p.grade_id, p.similarity, list(p.marked)] for p in similar_pairs(code, starter)]
    script = ("import json, sys\nfrom autograder.instructor.similarity import similar_pairs\n"
              "code, starter = json.load(sys.stdin)\n"
              "print(json.dumps([[list(p.students), p.grade_id, p.similarity, list(p.marked)]"
              " for p in similar_pairs(code, starter)]))")
    for seed in ("1", "2"):
        run = subprocess.run([sys.executable, "-c", script], input=json.dumps([code, starter]), capture_output=True,
                             text=True, cwd=REPO_ROOT, env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120)
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout) == here


def test_pairs_are_per_exercise():
    conv, pool = cal.submissions(cal.CONV), cal.submissions(cal.POOL)
    code = {"s1": {cal.CONV: conv["ana"], cal.POOL: pool["pa"]},
            "s2": {cal.CONV: conv["joao"], cal.POOL: pool["pb"]}}  # copied conv_forward, own pool_forward
    pairs = similar_pairs(code, starters())
    assert [(p.grade_id, p.students) for p in pairs] == [(cal.CONV, ("s1", "s2"))]
    assert isinstance(pairs[0], SimilarPair)
