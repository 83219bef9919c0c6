"""Comparisons of the hidden suites: a student's output against the reference, with the
relative error of CS231n's notebooks and a Portuguese message that says what differs."""
from __future__ import annotations

import numpy as np
from dlhelpers.checks import SMALL_ARRAY, describe, difference, returned_parts


REL_TOLERANCE = 1e-6


def rel_error(expected, actual) -> float:
    """Largest elementwise relative error, as in CS231n: |x - y| / max(1e-8, |x| + |y|)."""
    expected = np.asarray(expected, dtype=np.float64)
    actual = np.asarray(actual, dtype=np.float64)
    if expected.shape != actual.shape:
        return float("inf")
    if expected.size == 0:
        return 0.0
    return float(np.max(np.abs(expected - actual) / np.maximum(1e-8, np.abs(expected) + np.abs(actual))))


def random_array(seed, shape, scale=1.0):
    """A seeded standard-normal array: the hidden suites' random cases."""
    return np.random.default_rng(seed).standard_normal(shape) * scale


def reproduces(got, value, tolerance=REL_TOLERANCE) -> bool:
    """Whether ``got`` is, within tolerance, ``value`` (same shape); False for anything unreadable."""
    try:
        return rel_error(value, got) <= tolerance
    except Exception:  # noqa: BLE001 - a student's output that numpy cannot read reproduces nothing
        return False


def diagnose(got, expected, mistakes, default=None):
    """The hint of the first typical mistake (value, hint) that ``got`` reproduces, unless ``got``
    is right; ``default`` otherwise. A mistake whose value is None does not apply to the case.
    The mistakes' values are computed here, in the trusted process, from the reference."""
    if reproduces(got, expected):
        return default
    for value, hint in mistakes:
        if value is not None and not reproduces(value, expected) and reproduces(got, value):
            return hint
    return default


def relatively_close(tolerance, atol=0.0):
    def close(got, expected):
        difference_ = np.abs(got - expected)
        return (difference_ / np.maximum(1e-8, np.abs(got) + np.abs(expected)) <= tolerance) | (difference_ <= atol)
    return close


def expect_close(expected, got, *, case: str, hint: str | None = None, tolerance: float = REL_TOLERANCE,
                 atol: float = 0.0):
    """Raises AssertionError with a Portuguese message unless ``got`` matches ``expected``
    (relative error at most ``tolerance``, or an absolute difference at most ``atol``: float32
    results near zero)."""
    problem = difference(expected, got, close=relatively_close(tolerance, atol))
    if problem:
        lines = [f"{case}: {problem}"]
        # Small arrays are shown whole; larger ones already have their differing positions,
        # values and largest error in ``problem`` (dlhelpers.checks.pointed_difference).
        if isinstance(got, np.ndarray) and got.size <= SMALL_ARRAY and problem.startswith("valores"):
            lines.append(f"esperado {describe(np.asarray(expected))}; obtido {describe(got)}")
        if hint:
            lines.append(f"dica: {hint}")
        raise AssertionError("\n".join(lines))


def expect_parts(expected, got, names, *, case: str, hints=None, mistakes=(), tolerance: float = REL_TOLERANCE):
    """Compares a returned tuple with ``expected`` element by element, naming the elements: the
    message shows the first wrong element and says which ones are right.

    ``hints`` maps an element's name to its hint. ``mistakes`` is a list of (wrong tuple, hint),
    typical mistakes recomputed here from the reference (an element may be None: the mistake does
    not apply to it). A mistake that the whole student tuple reproduces names the mistake for
    every wrong element; otherwise each wrong element gets the hint of a mistake it reproduces."""
    got = returned_parts(got, names, case)
    hints = hints or {}
    whole = [hint for wrong, hint in mistakes
             if all(reproduces(have, want) for have, want in zip(got, wrong))
             and not all(reproduces(want, right) for want, right in zip(wrong, expected))]
    failures = []
    for position, name in enumerate(names):
        hint = diagnose(got[position], expected[position],
                        [(wrong[position], text) for wrong, text in mistakes], default=hints.get(name))
        if whole and not reproduces(got[position], expected[position]):
            hint = whole[0]
        try:
            expect_close(expected[position], got[position], case=f"{case}, {name}", hint=hint, tolerance=tolerance)
        except AssertionError as error:
            failures.append((name, str(error)))
    if failures:
        wrong = [name for name, _ in failures]
        right = [name for name in names if name not in wrong]
        message = failures[0][1]
        if right:
            verb = "está certo" if len(right) == 1 else "estão certos"
            message += f"\n({', '.join(right)} {verb}; o problema está só em {', '.join(wrong)})"
        elif len(wrong) > 1:
            message += f"\n(também errados: {', '.join(wrong[1:])})"
        raise AssertionError(message)


def numerical_gradients(forward, inputs, dout, h=1e-6):
    """Centered-difference gradients of sum(forward(*inputs)[0] * dout) with respect to each of
    ``inputs``, computed on the reference forward in the trusted process: an independent check
    of a student's backward that does not go through the reference backward."""
    from solutions.backprop import numerical_gradient

    gradients = []
    for position, value in enumerate(inputs):
        def scalar(changed, position=position):
            args = list(inputs)
            args[position] = changed
            return float(np.sum(forward(*args)[0] * dout))

        gradients.append(numerical_gradient(scalar, value, h=h))
    return gradients


def case(*values, id: str):  # noqa: A002 - pytest's own name for it
    """A parametrized case with a readable Portuguese name, shown in the feedback."""
    import pytest

    return pytest.param(*values, id=id)
