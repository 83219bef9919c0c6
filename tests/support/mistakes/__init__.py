"""A corpus of realistic student code for a1-a5: wrong implementations modelled on what
students really write, each with the hint the hidden suite must give and the share of the
exercise's points it may keep; and correct implementations in very different styles, which
must all get full marks. tests/e2e/test_mistakes_corpus.py grades every entry.

One module per assignment (``a1_ativacoes.py`` ...), each with ``MISTAKES`` and ``CORRECT``.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field

ASSIGNMENTS = ("a1_ativacoes", "a2_convolucao", "a3_pooling", "a4_backprop", "a5_rnn_lstm")


@dataclass(frozen=True)
class Mistake:
    """A wrong ``function`` (its whole notebook cell, ``source``) in ``assignment``."""
    assignment: str
    function: str                 # the exercise whose cell ``source`` replaces (its grade cell)
    name: str                     # short id: "conv_forward-stride-ignored"
    source: str                   # the cell: defines ``function`` (may call the notebook's other functions)
    hint: str                     # a piece of the hint some failed test must show (Portuguese)
    keep: tuple[float, float]     # (least, most) share of the exercise's points it may keep
    why: str = ""                 # what students do, in one line (English)
    cells: dict[str, str] = field(default_factory=dict)  # other exercises' cells replaced too


@dataclass(frozen=True)
class Correct:
    """A correct ``function`` in a style of its own: full marks."""
    assignment: str
    function: str
    name: str
    source: str
    cells: dict[str, str] = field(default_factory=dict)


def corpus() -> tuple[list[Mistake], list[Correct]]:
    """Every assignment's MISTAKES and CORRECT, in assignment order."""
    mistakes, correct = [], []
    for assignment in ASSIGNMENTS:
        module = importlib.import_module(f"tests.support.mistakes.{assignment}")
        mistakes += module.MISTAKES
        correct += module.CORRECT
    return mistakes, correct
