"""The reference autoencoder of a7_autoencoder (solutions/autoencoder.py) and the helper that
splits it (dlhelpers.autoencoders): the contract of build_autoencoder, the per-image errors
against Keras' own loss, the detector metrics against scikit-learn, and the split's refusals."""
import numpy as np
import pytest
from dlhelpers.autoencoders import split_autoencoder
from dlhelpers.checks import check_exercise

from solutions import autoencoder as ref

keras = pytest.importorskip("keras")


@pytest.mark.parametrize("input_shape,code_size", [((8, 8, 1), 2), ((32, 32, 1), 16), ((12, 20, 3), 6)])
def test_build_autoencoder_contract(input_shape, code_size):
    model = ref.build_autoencoder(input_shape, code_size)
    assert model.input_shape[1:] == input_shape and model.output_shape[1:] == input_shape
    assert model.loss == "mse" and model.optimizer is not None
    encoder, decoder = split_autoencoder(model)
    assert encoder.output_shape[1:] == (code_size,)
    assert decoder.input_shape[1:] == (code_size,) and decoder.output_shape[1:] == input_shape
    images = np.random.default_rng(0).standard_normal((3, *input_shape)).astype(np.float32)
    np.testing.assert_allclose(model.predict(images, verbose=0),
                               decoder.predict(encoder.predict(images, verbose=0), verbose=0), atol=1e-5)


def test_the_parameters_of_the_notebook_table():
    """The digits autoencoder of the notebook's table: 8x8x1 -> 2x2x32 -> 2 -> 8x8x1, counted by hand."""
    conv1, conv2 = 3 * 3 * 1 * 16 + 16, 3 * 3 * 16 * 32 + 32
    code, back = 128 * 2 + 2, 2 * 128 + 128
    deconv1, deconv2 = 3 * 3 * 32 * 16 + 16, 3 * 3 * 16 * 1 + 1
    model = ref.build_autoencoder((8, 8, 1), 2)
    assert model.count_params() == conv1 + conv2 + code + back + deconv1 + deconv2 == 10_211
    assert [tuple(layer.output.shape[1:]) for layer in model.layers[1:]] == [
        (4, 4, 16), (2, 2, 32), (128,), (2,), (128,), (2, 2, 32), (4, 4, 16), (8, 8, 1)]


def test_reconstruction_errors_are_keras_mean_squared_error_per_image():
    rng = np.random.default_rng(1)
    X, X_rec = rng.standard_normal((5, 6, 4, 2)), rng.standard_normal((5, 6, 4, 2))
    per_image = keras.losses.MeanSquaredError(reduction=None)(X.reshape(5, -1), X_rec.reshape(5, -1))
    np.testing.assert_allclose(ref.reconstruction_errors(X, X_rec), np.asarray(per_image), rtol=1e-6)


def test_the_mean_error_is_what_keras_evaluates():
    """model.evaluate's mse on the images equals the mean of the per-image errors."""
    keras.utils.set_random_seed(0)
    model = ref.build_autoencoder((8, 8, 1), 3)
    X = np.random.default_rng(2).random((16, 8, 8, 1)).astype(np.float32)
    errors = ref.reconstruction_errors(X, model.predict(X, verbose=0))
    assert model.evaluate(X, X, batch_size=16, verbose=0) == pytest.approx(errors.mean(), rel=1e-5)


def test_anomaly_threshold_leaves_the_asked_share_of_normal_examples_above():
    errors = np.random.default_rng(3).gamma(2.0, 0.1, 1000)
    for rate in (0.01, 0.05, 0.2):
        assert np.mean(errors > ref.anomaly_threshold(errors, rate)) == pytest.approx(rate, abs=1e-3)


def test_evaluate_detector_matches_scikit_learn():
    from sklearn.metrics import confusion_matrix, roc_auc_score

    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 200)
    scores = rng.random(200) + 0.5 * y
    result = ref.evaluate_detector(y, scores, 0.8)
    assert result["roc_auc"] == pytest.approx(roc_auc_score(y, scores))
    (tn, fp), (fn, tp) = confusion_matrix(y, scores > 0.8)
    assert result["detection_rate"] == pytest.approx(tp / (tp + fn))
    assert result["false_alarm_rate"] == pytest.approx(fp / (fp + tn))
    assert np.trapezoid(result["tpr"], result["fpr"]) == pytest.approx(result["roc_auc"])


def test_the_visible_checks_pass_on_the_reference():
    namespace = {name: getattr(ref, name) for name in ("build_autoencoder", "train_autoencoder",
                                                       "reconstruction_errors", "anomaly_threshold",
                                                       "evaluate_detector")}
    for function in namespace.values():
        check_exercise(function, namespace=namespace)


def _with_skip_connection(input_shape=(8, 8, 1), code_size=2):
    """An autoencoder whose output also sees the input directly: the code is not a bottleneck."""
    from keras import layers

    inputs = keras.Input(input_shape)
    code = layers.Dense(code_size, name="code")(layers.Flatten()(layers.Conv2D(4, 3, strides=2)(inputs)))
    x = layers.Reshape(input_shape)(layers.Dense(int(np.prod(input_shape)))(code))
    outputs = layers.Add()([x, inputs])
    return keras.Model(inputs, outputs)


def test_split_refuses_what_is_not_a_bottleneck():
    with pytest.raises(ValueError, match="não formam uma sequência"):
        split_autoencoder(_with_skip_connection())
    no_code = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Conv2D(1, 3, padding="same")])
    with pytest.raises(ValueError, match="não tem uma camada chamada 'code'"):
        split_autoencoder(no_code)
    spatial_code = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Conv2D(1, 3, padding="same", name="code")])
    with pytest.raises(ValueError, match="vetor por exemplo"):
        split_autoencoder(spatial_code)
