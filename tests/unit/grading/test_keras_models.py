"""Keras models built in the sandbox cross the pipe as config + weights and are rebuilt and run
in the trusted process; a model the safe rebuild refuses is rejected with a clear message."""
import numpy as np
import pytest

from autograder.grading.keras_models import ModelRejected, has_conv_and_pooling, predict_classes, summarize
from autograder.sandbox.trusted_side import Limits, Sandbox
from tests.support import REPO_ROOT

pytestmark = pytest.mark.slow

STUDENT_CODE = '''
import numpy as np
import keras
def build_model(input_shape, n_classes):
    model = keras.Sequential([
        keras.Input(input_shape),
        keras.layers.Conv2D(4, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(4, 3, activation="relu"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(n_classes, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model
def predict(model, x):
    return np.argmax(model.predict(x, verbose=0), axis=-1)
def build_and_predict(input_shape, n_classes, x):
    keras.utils.set_random_seed(0)
    model = build_model(input_shape, n_classes)
    return model, predict(model, x)
def lambda_model(input_shape, n_classes):
    return keras.Sequential([keras.Input(input_shape), keras.layers.Lambda(lambda t: t * 2),
                             keras.layers.Flatten(), keras.layers.Dense(n_classes, activation="softmax")])
'''


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox([STUDENT_CODE], hide=[REPO_ROOT], limits=Limits(memory_bytes=12 << 30, call_timeout=120, threads=64)) as box:
        errors = box.start()
        assert not errors, errors
        yield box


def test_a_student_model_is_rebuilt_and_predicts_the_same_here(sandbox):
    x = np.random.default_rng(0).random((16, 12, 12, 1)).astype("float32")
    spec, student_predictions = sandbox.call("build_and_predict", (12, 12, 1), 3, x)
    summary = summarize(spec)
    assert summary.layer_types.count("Conv2D") == 2 and has_conv_and_pooling(summary)
    assert summary.input_shape == (12, 12, 1) and summary.output_units == 3
    assert summary.output_activation == "softmax" and summary.compiled
    assert summary.parameters == sum(w.size for w in spec.weights) > 0
    np.testing.assert_array_equal(predict_classes(spec, x), student_predictions)


def test_a_lambda_layer_is_refused_by_the_safe_rebuild(sandbox):
    spec = sandbox.call("lambda_model", (8, 8, 1), 2)
    with pytest.raises(ModelRejected, match="sem Lambda"):
        summarize(spec)
