"""The visible checks that ship with the notebooks: every exercise has some, they pass on the
reference, they catch wrong answers and unfinished stubs, and they answer fast."""
import functools

import jupytext
import numpy as np
import pytest
from dlhelpers import checks

from autograder.authoring.builder import assignment_ids, authoring_file, reference_functions

REFERENCES = reference_functions()


def exercises_of(assignment):
    notebook = jupytext.read(authoring_file(assignment))
    return [c.metadata["exercise"] for c in notebook.cells if "exercise" in c.metadata]


EXERCISES = [(a, name) for a in assignment_ids() for name in exercises_of(a)]
# Exercises whose results are numbers: a perturbed result must fail. The others (a Keras model,
# a tf.data pipeline, an augmentation) are judged by ``verify`` functions, tested with their own
# wrong answers in tests/e2e/test_a6_cnn_keras.py.
NUMERIC_EXERCISES = [(a, name) for a, name in EXERCISES
                     if not any(c.verify for c in checks._all_cases()[name])]


def perturbed(value):
    """The same structure with every number changed: what a wrong answer looks like."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        return value * 1.5 + 0.5
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        return value * 1.5 + 0.5
    if isinstance(value, tuple):
        return tuple(perturbed(v) for v in value)
    if isinstance(value, list):
        return [perturbed(v) for v in value]
    if isinstance(value, dict):
        return {k: perturbed(v) for k, v in value.items()}
    return value


@pytest.mark.parametrize("assignment,name", EXERCISES)
def test_visible_cases_pass_on_the_reference(assignment, name, capsys):
    checks.check_exercise(REFERENCES[name], namespace=REFERENCES)
    assert f"✔ {name}:" in capsys.readouterr().out


@pytest.mark.parametrize("assignment,name", NUMERIC_EXERCISES)
def test_visible_cases_catch_a_wrong_answer(assignment, name):
    reference = REFERENCES[name]

    @functools.wraps(reference)
    def wrong(*args, **kwargs):
        return perturbed(reference(*args, **kwargs))

    with pytest.raises(checks.CheckFailed) as failure:
        checks.check_exercise(wrong, namespace=REFERENCES)
    message = str(failure.value)
    assert f"✘ {name}" in message and "dica:" in message and "esperado" in message


@pytest.mark.parametrize("assignment,name", EXERCISES)
def test_an_unfinished_stub_gets_the_friendly_stop(assignment, name):
    @functools.wraps(REFERENCES[name])
    def stub(*args, **kwargs):
        raise NotImplementedError()

    with pytest.raises(checks.ExerciseNotDone, match=f"{name} ainda não foi implementada"):
        checks.check_exercise(stub, namespace=REFERENCES)


def test_student_errors_become_feedback_not_crashes():
    @functools.wraps(REFERENCES["softmax"])
    def crashing(z, axis=-1):
        return z / undefined_name  # noqa: F821 - the student's bug

    with pytest.raises(checks.CheckFailed, match="a função lançou NameError"):
        checks.check_exercise(crashing, namespace=REFERENCES)

    @functools.wraps(REFERENCES["relu_forward"])
    def forgot_return(x):
        np.maximum(x, 0)

    with pytest.raises(checks.CheckFailed, match="faltou um return"):
        checks.check_exercise(forgot_return, namespace=REFERENCES)

    @functools.wraps(REFERENCES["relu_backward"])
    def backward(dout, cache):
        return dout

    with pytest.raises(checks.CheckFailed, match="Rode antes a célula"):
        checks.check_exercise(backward, namespace={})


def test_difference_messages_name_what_differs():
    assert "shape errado: esperado (2, 3), obtido (3, 2)" in checks.difference(np.zeros((2, 3)), np.zeros((3, 2)))
    message = checks.difference(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.5, 3.0]))
    assert "primeira diferença na posição (1,): esperado 2, obtido 2.5" in message
    assert "NaN" in checks.difference(np.ones(2), np.array([1.0, np.nan]))
    assert "elemento 1" in checks.difference((np.ones(2), np.ones(3)), (np.ones(2), np.zeros(3)))
    assert checks.difference({"W": np.ones(2)}, {"W": np.ones(2)}) is None
    assert "deveria ser numérico" in checks.difference(np.ones(2), np.array(["a", "b"]))


def test_a_large_array_mismatch_points_at_the_positions_instead_of_dumping_the_arrays():
    expected = np.arange(64, dtype=np.float64).reshape(4, 4, 2, 2) / 10
    got = expected.copy()
    got[1, 2, 0, 1] = 9.9
    message = checks.difference(expected, got)
    assert "1 de 64 posições" in message and "(4, 4, 2, 2)" in message
    assert "posição (1, 2, 0, 1): esperado 2.5, obtido 9.9" in message
    assert "maior erro absoluto: 7.4, na posição (1, 2, 0, 1)" in message
    assert "[" not in message and len(message.splitlines()) == 3
    got[0, 0, 0, 0], got[0, 1, 0, 0], got[3, 3, 1, 1], got[2, 0, 0, 0] = 1.0, 1.0, 1.0, -5.0
    lines = checks.difference(expected, got).splitlines()
    assert "5 de 64 posições diferem" in lines[0]
    assert [line.split(":")[0].strip() for line in lines[1:4]] == [
        "posição (0, 0, 0, 0)", "posição (0, 1, 0, 0)", "posição (1, 2, 0, 1)"]  # the first three, in order
    assert lines[4].strip() == "maior erro absoluto: 8.2, na posição (2, 0, 0, 0)" and len(lines) == 5
    nan = np.ones(20)
    nan[7] = np.nan
    assert "NaN ou infinito em 1 de 20 posições (shape (20,)); o primeiro na posição (7,)" in checks.difference(
        np.ones(20), nan)


def test_a_visible_check_on_a_4x4_image_names_the_differing_position_in_a_short_message():
    reference = REFERENCES["zero_pad"]

    @functools.wraps(reference)
    def one_off(X, pad):
        padded = reference(X, pad).copy()
        padded[(0,) * padded.ndim] = 7.0  # a corner of the frame is not zero
        return padded

    with pytest.raises(checks.CheckFailed) as failure:
        checks.check_exercise(one_off, namespace=REFERENCES)
    message = str(failure.value)
    lines = message.splitlines()
    assert lines[0].startswith("✘ zero_pad — caso 1 de")
    assert "1 de 16 posições difere do esperado (array de shape (1, 4, 4, 1))" in message
    assert "    posição (0, 0, 0, 0): esperado 0, obtido 7" in lines
    assert "    maior erro absoluto: 7, na posição (0, 0, 0, 0)" in lines
    assert lines[-1].startswith("  dica: ") and "[[" not in message and len(lines) < 8


def test_a_small_array_mismatch_still_shows_both_arrays_whole():
    case = checks.Case("três números", ([1.0, 2.0, 3.0],), np.array([1.0, 2.0, 3.0]), "confira o meio.")

    def identity(x):
        return np.array([1.0, 2.5, 3.0])

    checks_of = checks._all_cases
    try:
        checks._all_cases = lambda: {"identity": [case]}
        with pytest.raises(checks.CheckFailed) as failure:
            checks.check_exercise(identity, namespace={})
    finally:
        checks._all_cases = checks_of
    message = str(failure.value)
    assert "primeira diferença na posição (1,): esperado 2, obtido 2.5" in message
    assert "  esperado: [1., 2., 3.]" in message and "  obtido:   [1. , 2.5, 3. ]" in message
    assert "  dica: confira o meio." in message


# The numpy-2 traps: what numpy 2.4 (grading) refuses, the visible checks refuse on any numpy.

def test_float_of_an_array_is_refused_with_the_item_hint():
    @functools.wraps(REFERENCES["conv_single_step"])
    def with_float(a_slice_prev, W, b):
        return float(np.sum(a_slice_prev * W) + b)

    with pytest.raises(checks.CheckFailed) as failure:
        checks.check_exercise(with_float, namespace=REFERENCES)
    message = str(failure.value)
    assert "conv_single_step — caso 4 de 4" in message
    assert "o que houve: um array com dimensões" in message and ".item()" in message and "np.sum(...)" in message


def test_numpy_deprecation_warning_is_an_error_in_the_checks():
    """numpy 1.25-2.x only warn where 2.4 raises: the check turns the warning into the failure."""
    import warnings

    @functools.wraps(REFERENCES["conv_single_step"])
    def warns_like_numpy_2_0(a_slice_prev, W, b):
        warnings.warn("Conversion of an array with ndim > 0 to a scalar is deprecated, and will error in "
                      "future. Ensure you extract a single element from your array before performing this "
                      "operation. (Deprecated NumPy 1.25.)", DeprecationWarning, stacklevel=2)
        return REFERENCES["conv_single_step"](a_slice_prev, W, b)

    with pytest.raises(checks.CheckFailed) as failure:
        checks.check_exercise(warns_like_numpy_2_0, namespace=REFERENCES)
    message = str(failure.value)
    assert "caso 1 de 4" in message and "DeprecationWarning: Conversion of an array with ndim > 0" in message
    assert ".item()" in message
    # Other deprecation warnings are not the checks' business.
    with pytest.warns(DeprecationWarning, match="other"):
        assert checks.strict_call(lambda: warnings.warn("other", DeprecationWarning, stacklevel=1) or 1) == 1


def test_a_1_1_1_array_stored_in_a_scalar_slot_is_refused():
    """deeplearning.ai's layout: b of shape (1, 1, 1, n_C), so the window's value is (1, 1, 1)."""
    @functools.wraps(REFERENCES["conv_forward"])
    def stores_an_array(A_prev, W, b, stride=1, pad=0):
        out, cache = REFERENCES["conv_forward"](A_prev, W, b, stride, pad)
        Z = np.zeros_like(out)
        for c in range(Z.shape[3]):
            Z[0, 0, 0, c] = np.sum(out[0, 0, 0, c]) + np.zeros((1, 1, 1))
        return out, cache

    with pytest.raises(checks.CheckFailed) as failure:
        checks.check_exercise(stores_an_array, namespace=REFERENCES)
    assert "o que houve" in str(failure.value) and ".item()" in str(failure.value)
    assert checks.scalar_trap(ValueError("setting an array element with a sequence."))
    assert checks.scalar_trap(TypeError("only length-1 arrays can be converted to Python scalars"))
    assert not checks.scalar_trap(ValueError("operands could not be broadcast together"))


def test_a_number_returned_as_a_one_element_array_is_refused():
    @functools.wraps(REFERENCES["conv_single_step"])
    def keeps_the_array(a_slice_prev, W, b):
        return np.atleast_1d(REFERENCES["conv_single_step"](a_slice_prev, W, b))

    with pytest.raises(checks.CheckFailed) as failure:
        checks.check_exercise(keeps_the_array, namespace=REFERENCES)
    assert "esperava um número, mas veio um array de shape (1,)" in str(failure.value)
    assert ".item()" in str(failure.value)
    assert checks.difference(3.0, np.float64(3.0)) is None and checks.difference(3.0, np.array(3.0)) is None
    assert "array de shape (2,)" in checks.difference(3.0, np.array([1.0, 2.0]))


def test_no_visible_hint_recommends_float_of_an_array():
    for name, cases in checks._all_cases().items():
        for case in cases:
            assert "float(...) transforma" not in case.hint, name
    (hint,) = [c.hint for c in checks._all_cases()["conv_single_step"] if "array de um elemento" in c.name]
    assert ".item()" in hint


def test_a_tuple_with_none_first_is_not_called_a_missing_return():
    @functools.wraps(REFERENCES["conv_forward"])
    def out_left_none(A_prev, W, b, stride=1, pad=0):
        return None, REFERENCES["conv_forward"](A_prev, W, b, stride, pad)[1]

    with pytest.raises(checks.CheckFailed) as failure:
        checks.check_exercise(out_left_none, namespace=REFERENCES)
    message = str(failure.value)
    assert "o primeiro elemento da tupla devolvida (out) é None" in message
    assert "faltou um return" not in message
    assert "o segundo elemento da tupla devolvida é None" in checks.difference((1.0, 2.0), (1.0, None))


def test_no_reference_statement_is_in_the_helpers_or_the_authoring_files(tmp_path):
    """The quick form of the release's leak scan (tests/e2e/test_build.py): the hints in
    dlhelpers/visible_cases ship to students, readable before any attempt."""
    import shutil

    from autograder.paths import ASSIGNMENTS_DIR, HELPERS_DIR
    from tests.support.leak_scan import find_leaks, reference_statements

    statements = reference_statements()
    for path in ASSIGNMENTS_DIR.glob("*/*.py"):
        if HELPERS_DIR not in path.parents:
            shutil.copy(path, tmp_path / path.name)
    leaks = find_leaks(HELPERS_DIR, statements) + find_leaks(tmp_path, statements)
    assert not leaks, "\n".join(leaks)
