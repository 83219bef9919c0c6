"""The visible checks that ship with the notebooks: every exercise has some, they pass on the
reference, they catch wrong answers and unfinished stubs, and they answer fast."""
import functools

import jupytext
import numpy as np
import pytest

from autograder.builder import assignment_ids, authoring_file, reference_functions
from dlhelpers import checks

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
