"""Comparisons of the hidden suites: a student's output against the reference, with the
relative error of CS231n's notebooks and a Portuguese message that says what differs."""
from __future__ import annotations

import numpy as np

from dlhelpers.checks import describe, difference

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


def parts(got, names, case):
    """The elements of a returned tuple, or a Portuguese failure when it is not one of that length."""
    if not isinstance(got, (tuple, list)) or len(got) != len(names):
        what = f"{type(got).__name__} com {len(got)} elementos" if isinstance(got, (tuple, list)) else type(got).__name__
        raise AssertionError(f"{case}: a função deve devolver a tupla ({', '.join(names)}), mas devolveu {what}")
    return got


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
        if isinstance(got, np.ndarray) and got.size <= 36 and problem.startswith("valores"):
            lines.append(f"esperado {describe(np.asarray(expected))}; obtido {describe(got)}")
        if hint:
            lines.append(f"dica: {hint}")
        raise AssertionError("\n".join(lines))


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
