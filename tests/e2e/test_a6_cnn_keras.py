"""a6_cnn_keras end to end: its visible checks catch wrong Keras answers, the reference notebook
runs in the sandbox and gets full marks, the same twice, the release gets zero, and a
submission with a model that does not train, or that tries to read the test images, loses only
what it should."""
import functools
import time

import nbformat
import numpy as np
import pytest
from dlhelpers import checks

from autograder.authoring.builder import reference_functions
from autograder.authoring.profiles import load_profile
from autograder.grading.grader import grade_notebook
from autograder.grading.submission import with_cells
from autograder.sandbox.trusted_side import execute_notebook, namespaces_available
from autograder.sandbox.visibility import hidden_from_graded_code
from tests.support import check_report, failing_tests

pytestmark = pytest.mark.slow

ASSIGNMENT = "a6_cnn_keras"
REFERENCES = reference_functions({"solutions.cnn"})


def wrong_version(name, replace):
    """The reference ``name`` with its result passed through ``replace``."""
    reference = REFERENCES[name]

    @functools.wraps(reference)
    def wrong(*args, **kwargs):
        return replace(reference(*args, **kwargs), *args)

    return wrong


@pytest.mark.parametrize("name,replace,message", [
    ("augment", lambda result, image, label: (image, label), "sempre a mesma transformação"),
    ("augment", lambda result, image, label: (result[0], 1 - label), "o rótulo mudou"),
    ("augment", lambda result, image, label: (result[0] * 0 + 1.0, label), "não é um espelhamento"),
    ("make_dataset", lambda dataset, X, y, batch_size, training: dataset.unbatch().batch(3), "lotes"),
    ("build_model", lambda model, shape, n: _linear_output(model, n), "softmax"),
    ("train_model", lambda history, *args: None, "faltou um return"),
])
def test_visible_checks_catch_wrong_keras_answers(name, replace, message):
    namespace = dict(REFERENCES)
    wrong = wrong_version(name, replace)
    namespace[name] = wrong
    with pytest.raises(checks.CheckFailed, match=message):
        checks.check_exercise(wrong, namespace=namespace)


def _linear_output(model, n_classes):
    """The same network with a linear last layer (logits, not probabilities), compiled."""
    import keras

    logits = keras.layers.Dense(n_classes)(model.layers[-2].output)
    wrong = keras.Model(model.inputs, logits)
    wrong.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return wrong


def test_visible_check_of_build_model_asks_for_compile():
    import keras

    @functools.wraps(REFERENCES["build_model"])
    def uncompiled(input_shape, n_classes):
        inputs = keras.Input(input_shape)
        x = keras.layers.Conv2D(4, 3)(inputs)
        x = keras.layers.Conv2D(4, 3)(keras.layers.MaxPooling2D()(x))
        outputs = keras.layers.Dense(n_classes, activation="softmax")(keras.layers.GlobalAveragePooling2D()(x))
        return keras.Model(inputs, outputs)

    with pytest.raises(checks.CheckFailed, match="não foi compilado"):
        checks.check_exercise(uncompiled, namespace=REFERENCES)


def notebook_path(course, kind):
    return course / kind / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"


def test_reference_notebook_gets_full_marks_and_the_same_grade_twice(course, record_property):
    """What `nbgrader autograde` does to one a6 notebook: Run-All in the sandbox, under the same
    rule as the graded functions (ELPV is hidden from both), then the hidden suite, twice: the
    training test seeds what the notebook does not, so the grade repeats exactly."""
    path = notebook_path(course, "source")
    profile = load_profile(ASSIGNMENT)
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    executed = execute_notebook(notebook, path.parent, hidden_from_graded_code(profile, path.parent),
                                profile.limits(), cell_timeout=profile.cell_timeout)
    record_property("execute_seconds", round(time.perf_counter() - start, 1))
    errors = {i: o for i, c in enumerate(executed.cells) for o in c.get("outputs", []) if o.get("output_type") == "error"}
    if namespaces_available():
        data_cell = min(errors)  # the first cell that reads ELPV, which the notebook cannot see here
        assert "load_elpv" in executed.cells[data_cell].source, errors[data_cell]
    else:
        assert not errors, [f"{e['ename']}: {e['evalue']}" for e in errors.values()]

    first, second = grade_notebook(path), grade_notebook(path)
    assert first["score"] == first["max_score"], failing_tests(first, 2)
    assert second == first


def test_release_notebook_gets_zero(course):
    report = check_report(notebook_path(course, "release"))
    assert report["assignment"] == ASSIGNMENT and report["max_score"] == 17
    assert report["score"] == 0
    for cell in report["cells"].values():
        assert all(not t["passed"] and t["message"] for t in cell["tests"])


NO_TRAINING = '''def train_model(model, X_train, y_train, X_val=None, y_val=None, epochs=30, batch_size=32,
                seed=0, verbose=0):
    return None  # esqueceu de treinar
'''

READS_THE_TEST_SET = '''def train_model(model, X_train, y_train, X_val=None, y_val=None, epochs=30, batch_size=32,
                seed=0, verbose=0):
    from elpv_dataset.utils import load_dataset  # tenta treinar com o ELPV inteiro, teste incluso
    images, probs, types = load_dataset()
    return model.fit(images[..., None] / 255.0, (probs >= 0.5).astype("int32"), epochs=epochs)
'''

DENSE_ONLY_MODEL = '''def build_model(input_shape, n_classes):
    import keras
    model = keras.Sequential([keras.Input(input_shape), keras.layers.Flatten(),
                              keras.layers.Dense(16, activation="relu"),
                              keras.layers.Dense(n_classes, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
'''


@pytest.mark.parametrize("replacements,losing,keeping", [
    ({"train_model": NO_TRAINING}, "train_model", "build_model"),
    ({"train_model": READS_THE_TEST_SET}, "train_model", "build_model"),
    ({"build_model": DENSE_ONLY_MODEL}, "build_model", "evaluate_predictions"),
], ids=["does not train", "reads ELPV in the worker", "no convolution"])
def test_a_flawed_submission_loses_only_its_cells(course, tmp_path, replacements, losing, keeping):
    notebook = with_cells(nbformat.read(notebook_path(course, "source"), as_version=4), replacements)
    path = tmp_path / f"{ASSIGNMENT}.ipynb"
    nbformat.write(notebook, path)
    report = grade_notebook(path)
    cells = report["cells"]
    assert cells[losing]["score"] < cells[losing]["max_score"]
    assert cells[keeping]["score"] == cells[keeping]["max_score"]
    untouched = set(cells) - {losing, "train_model"}  # a model without convolutions may still train
    assert all(cells[g]["score"] == cells[g]["max_score"] for g in untouched - {"build_model"}), report
    if "train_model" in replacements:
        assert cells["train_model"]["score"] == 0
        messages = " ".join(t["message"] for t in cells["train_model"]["tests"])
        assert "acertou" in messages or "erro" in messages


def test_fixture_labels_match_the_protocol():
    """The hidden run's test images are the protocol's: 656, 205 of them defective."""
    from autograder.grading.suites.test_a6_cnn_keras import fixture_data

    fixture = fixture_data()
    X_test, y_test = fixture["test"]
    assert X_test.shape == (656, 48, 48, 1) and int(y_test.sum()) == 205
    assert len(fixture["train"][0]) == 800 and len(fixture["val"][0]) == 200
    assert np.allclose(X_test.mean(axis=(1, 2, 3)), 0, atol=1e-4)


def test_an_honest_alternative_pipeline_gets_full_marks(course, tmp_path):
    from tests.support.samples import HONEST_A6

    notebook = with_cells(nbformat.read(notebook_path(course, "source"), as_version=4), HONEST_A6)
    path = tmp_path / f"{ASSIGNMENT}.ipynb"
    nbformat.write(notebook, path)
    report = grade_notebook(path)
    assert report["score"] == report["max_score"], failing_tests(report, 2)
