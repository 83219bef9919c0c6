"""Pairs of submissions whose code for one exercise is unusually alike, for the class report.

Each solution cell is fingerprinted with copydetect (the winnowing of MOSS, Schleimer et al.
2003): the code is tokenized, names become ``V``/``F``, strings ``S``, comments and whitespace
go, and every k-gram of what is left is hashed. The release notebook's cell (signature,
docstring, ``# SEU CÓDIGO AQUI`` / ``raise NotImplementedError()``) is boilerplate: its
fingerprints never count. Two submissions are compared by the share of each one's code that
the other also has; see ``K``, ``WIN_SIZE``, ``THRESHOLD`` and ``_score`` for the calibrated
choices (tests/support/similarity_calibration.py holds the calibration set,
tests/benchmarks/similarity_calibration.py prints its scores).

A flagged pair is a hint for the instructor to read both solutions, not a verdict: students
who write the textbook loops independently share some code, and a thorough rewrite escapes.
"""
from __future__ import annotations

import ast
import io
import itertools
from dataclasses import dataclass

import numpy as np
from copydetect import CodeFingerprint, compare_files
from copydetect.utils import highlight_overlap

# Calibrated on tests/support/similarity_calibration.py (tests/benchmarks/similarity_calibration.py
# prints every pair's score and the summary).
#
# k-gram length, in characters of the filtered code (`V[V,V,V,V]=V.V(V*V[:,:,:,V])+V[V]` is 33):
# a shared stretch counts only when it is longer than about one statement. Up to k = 32 the
# independent look-alike loops (gabi-ivo) also match on the signature followed by the
# `m, ... = A_prev.shape` everyone writes first, and score 0.563; from k = 33 to 40 they score
# 0.448 and the copies keep their scores; from k = 42 the copy with swapped loops and a split
# line (pb-qb) falls to 0.590. K is the middle of that plateau.
K = 36
# Every k-gram is a fingerprint (window 1). With a larger window, winnowing keeps the smallest
# hash of each window, and copydetect hashes with Python's hash(), which changes from process
# to process (PYTHONHASHSEED): the report would flag other pairs on every run. Solution cells
# are short, so keeping every k-gram costs little.
WIN_SIZE = 1
# Fewer distinct fingerprints than this beyond the starter's (about 75 characters of filtered
# code after the signature, four or five short statements) is too little to tell a copy from
# two students writing the same setup lines; the shortest complete solution of the calibration
# set has 105.
MIN_FINGERPRINTS = 60
# Calibration: independent solutions score at most 0.448, copies at least 0.788. The threshold
# sits in that gap, a little nearer the independents: a flag costs the instructor a reading,
# a missed copy is never read.
THRESHOLD = 0.6

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"


@dataclass(frozen=True)
class SimilarPair:
    students: tuple[str, str]  # sorted student ids
    grade_id: str  # the exercise (function name, e.g. "conv_forward")
    similarity: float  # 0..1, rounded to 3 decimals
    marked: tuple[str, str]  # each side's code (docstrings removed) as HTML, shared parts in <mark>


def _without_docstrings(source: str) -> str:
    """``source`` without the lines of its docstrings (module, functions, classes and their
    methods). copydetect's filter keeps each as one ``S`` token, and the release's docstring is
    the same for everyone: it would only lengthen the page. Code that does not parse is kept."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return source
    lines = source.splitlines(keepends=True)
    drop: set[int] = set()
    scopes: list[ast.AST] = [tree]
    while scopes:
        body = scopes.pop().body
        scopes.extend(n for n in body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))
        first = body[0] if body else None
        if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)) or len(body) == 1:
            continue  # no docstring, or a body that is only a docstring (removing it breaks the code)
        start, end = first.lineno - 1, first.end_lineno - 1
        # Only a docstring on lines of its own (almost always); ast counts columns in UTF-8 bytes.
        before = lines[start].encode()[: first.col_offset]
        after = lines[end].encode()[first.end_col_offset:]
        if not before.strip() and not after.strip():
            drop.update(range(start, end + 1))
    return "".join(line for i, line in enumerate(lines) if i not in drop)


def _fingerprint(code: str, boilerplate: np.ndarray | None = None) -> CodeFingerprint:
    """copydetect's fingerprint of one cell; ``boilerplate``: int64 hashes never to count.
    (With a boilerplate, copydetect also drops the first occurrence of a k-gram repeated inside
    the cell, numpy's intersect1d being told the hashes are unique: deterministic, and at most
    0.04 on a score of the calibration set.)"""
    return CodeFingerprint("cell.py", K, WIN_SIZE, boilerplate=boilerplate, filter=True,
                           language="python", fp=io.StringIO(code))


def _score(share_1: float, share_2: float) -> float:
    """One score from the two shares compare_files gives (the part of each side's filtered code
    that the other also has): their mean.

    The minimum lets a copier escape by padding the copy with code of their own: otavio's copy
    of bruno carries an unused helper and scores min 0.597, close to the independents' 0.448,
    where the mean gives 0.798. The maximum flags a short cell wholly contained in a longer
    one, such as a partial attempt made of the setup lines every complete solution starts
    with. The mean needs both sides to share much; a copy stays above THRESHOLD until the
    padding is about four times the copied code."""
    return (share_1 + share_2) / 2


def similar_pairs(code: dict[str, dict[str, str]], starter: dict[str, str],
                  threshold: float = THRESHOLD) -> list[SimilarPair]:
    """code: student id -> {grade_id -> source of the student's solution cell};
    starter: grade_id -> the release notebook's source of that cell (the stub: its lines are boilerplate, excluded).
    Returns the pairs at or above threshold, most similar first (ties: by grade_id then students).

    Never paired: cells that are empty, equal to the starter once normalised (names, comments,
    spacing), or left with fewer than MIN_FINGERPRINTS fingerprints beyond the starter's; and
    two cells sharing nothing, whatever the threshold. ``marked`` shows the code without its
    docstrings (the release's, the same for everyone).

    Cost: per exercise, each cell is fingerprinted once (tokenizing, linear in its length, a
    few milliseconds), then the n*(n-1)/2 pairs of students are compared (a set intersection
    of a few hundred hashes each; copydetect's full comparison only when they share some);
    only reported pairs are highlighted. About 100 students x 10 exercises in a few seconds.
    """
    pairs: list[SimilarPair] = []
    for grade_id in sorted({grade_id for cells in code.values() for grade_id in cells}):
        stub_source = starter.get(grade_id, "")
        stub = _fingerprint(_without_docstrings(stub_source))
        boilerplate = np.array(sorted(stub.hashes), dtype=np.int64)
        prints: dict[str, CodeFingerprint] = {}
        for student in sorted(code):
            source = code[student].get(grade_id) or ""
            if not source.strip() or source.strip() == stub_source.strip():  # the untouched stub: no tokenizing
                continue
            fingerprint = _fingerprint(_without_docstrings(source), boilerplate)
            if fingerprint.filtered_code == stub.filtered_code or len(fingerprint.hashes) < MIN_FINGERPRINTS:
                continue
            prints[student] = fingerprint
        for first, second in itertools.combinations(sorted(prints), 2):
            a, b = prints[first], prints[second]
            if a.hashes.isdisjoint(b.hashes):
                continue
            _, shares, slices = compare_files(a, b)
            similarity = round(float(_score(*shares)), 3)
            if similarity < threshold:
                continue
            marked = tuple(
                highlight_overlap(fp.raw_code, side, MARK_OPEN, MARK_CLOSE, escape_html=True)[0]
                for fp, side in zip((a, b), slices)
            )
            pairs.append(SimilarPair((first, second), grade_id, similarity, marked))
    pairs.sort(key=lambda p: (-p.similarity, p.grade_id, p.students))
    return pairs
