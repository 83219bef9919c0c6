"""The reference Keras CNN of a6_cnn_keras (solutions/cnn.py): the build_model contract, the ELPV
split protocol as the public loaders apply it, and a short training run on real ELPV images that
must beat chance clearly (the grading budget: BatchNorm's moving statistics must keep up).

The full-size run (accuracy goal, 15-minute budget) is the benchmark
tests/benchmarks/bench_elpv_cnn.py, not a test.
"""
import numpy as np
import pytest
from dlhelpers.data import load_elpv, stratified_split

from solutions import cnn

pytestmark = pytest.mark.slow

N_ELPV, N_TRAIN, N_TEST = 2624, 1968, 656


@pytest.fixture(scope="module")
def elpv_small():
    """ELPV at 48x48 (loaded once for the module): X (2624, 48, 48, 1), y (2624,)."""
    return load_elpv(image_size=48)


def test_build_model_contract():
    import keras

    keras.utils.set_random_seed(0)
    for input_shape, n_classes in [((64, 64, 1), 2), ((48, 40, 3), 4)]:
        model = cnn.build_model(input_shape, n_classes)
        assert model.input_shape == (None, *input_shape)
        assert model.output_shape == (None, n_classes)
        assert model.optimizer is not None and model.loss is not None, "build_model must compile the model"
        layers = model.layers
        assert sum(isinstance(layer, keras.layers.Conv2D) for layer in layers) >= 2
        assert any(isinstance(layer, (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D))
                   for layer in layers)
        assert layers[-1].get_config().get("activation") == "softmax"
        x = np.random.default_rng(0).standard_normal((5, *input_shape)).astype(np.float32)
        probs = model.predict(x, verbose=0)
        assert probs.shape == (5, n_classes)
        assert np.all(probs >= 0) and np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    reference = cnn.build_model((cnn.IMAGE_SIZE, cnn.IMAGE_SIZE, 1), 2)
    assert 10_000 <= reference.count_params() <= 2_000_000


def test_elpv_labels_and_split_protocol(elpv_small):
    X, y, types = elpv_small
    assert X.shape == (N_ELPV, 48, 48, 1) and X.dtype == np.float32
    assert set(np.unique(y)) == {0, 1} and y.sum() == 715 + 106  # probabilities 1 and 2/3
    assert set(np.unique(types)) == {"mono", "poly"}
    splits = stratified_split(X, y)
    (X_train, y_train), (X_test, y_test) = splits["train"], splits["test"]
    assert (len(X_train), len(X_test), len(y_train), len(y_test)) == (N_TRAIN, N_TEST, N_TRAIN, N_TEST)
    assert abs(y_train.mean() - y.mean()) < 0.005 and abs(y_test.mean() - y.mean()) < 0.005
    with_val = stratified_split(X, y, val_size=0.15)
    assert np.array_equal(with_val["test"][0], X_test), "the validation part must not move the test split"
    assert len(with_val["train"][1]) + len(with_val["val"][1]) == N_TRAIN


def test_standardize_and_augment_keep_shapes():
    import tensorflow as tf

    X = np.random.default_rng(1).uniform(0, 255, (3, 16, 16, 1)).astype(np.float32)
    Z = cnn.standardize_images(X)
    assert Z.shape == X.shape
    assert np.allclose(Z.mean(axis=(1, 2, 3)), 0, atol=1e-4) and np.allclose(Z.std(axis=(1, 2, 3)), 1, atol=1e-3)
    image, label = cnn.augment(tf.constant(Z[0]), tf.constant(1))
    assert image.shape == (16, 16, 1) and int(label) == 1


def test_evaluate_predictions_and_misclassified():
    y_true = np.array([0, 0, 1, 1, 1])
    y_pred = np.array([0, 1, 1, 1, 0])
    result = cnn.evaluate_predictions(y_true, y_pred)
    assert result["accuracy"] == pytest.approx(0.6)
    assert result["confusion_matrix"].tolist() == [[1, 1], [1, 2]]
    assert "defeituosa" in result["report"]
    assert cnn.misclassified_indices(y_true, y_pred).tolist() == [1, 4]


def test_a_short_run_on_a_subset_beats_chance_clearly(elpv_small):
    """The grading budget (48 px, 600 images, a few epochs) must give a model that separates
    the classes, not one that answers the majority class."""
    X, y, _ = elpv_small
    result = cnn.run_pipeline(image_size=48, epochs=5, subset=600, seed=0, data=(X, y))
    matrix = result["confusion_matrix"]
    assert result["n_train"] == 600
    assert result["accuracy"] > 451 / 656 + 0.04, result["report"]
    assert matrix[1, 1] > 0.3 * matrix[1].sum(), "most defective cells missed: the model is near the majority class"
