"""conv1d_forward (a2_convolucao): the seed's 1-D example, its input validation, and agreement with
TensorFlow (``tf.nn.conv1d`` on an explicitly padded input) and with a Keras ``Conv1D`` layer whose
weights are the reference's ``w`` and ``b``.

TensorFlow is imported inside the slow tests only, so the fast ones run without it.
"""
import os

import numpy as np
import pytest
from dlhelpers import worked_examples as seeds

from autograder.grading.expect import rel_error
from solutions.convolution import conv1d_forward, conv_forward

# (m, L, C, f, K, stride, pad)
SHAPES = [
    (1, 2, 1, 2, 1, 1, 0),      # the seed's size: one window
    (2, 9, 3, 3, 4, 1, 0),
    (3, 10, 2, 3, 2, 2, 1),     # stride and padding
    (2, 11, 4, 4, 3, 3, 2),     # even filter, stride 3, pad 2
    (1, 7, 5, 1, 6, 1, 0),      # 1-wide filter: a per-step dense layer
    (2, 8, 2, 5, 2, 2, 0),      # windows that do not reach the last step
    (1, 5, 3, 5, 2, 1, 0),      # window equal to the input
    (2, 3, 2, 5, 3, 1, 1),      # window larger than the input, fits with padding
    (4, 16, 8, 7, 8, 3, 3),     # many channels in and out
]


def random_layer(seed, m, L, C, f, K):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((m, L, C)), rng.standard_normal((f, C, K)), rng.standard_normal(K)


def test_seed_example_gives_minus_one():
    # Seed 003, "1-D Convolution: Example": 1*1 + 2*(-1) = -1.
    signal, kernel = seeds.conv1d_example()
    out, _ = conv1d_forward(seeds.as_sequence(signal), seeds.as_filter_1d(kernel), np.zeros(1))
    assert out.shape == (1, 1, 1)
    np.testing.assert_array_equal(out[0, :, 0], seeds.conv1d_example_output())
    assert out[0, 0, 0] == -1.0


def test_difference_filter_slides_along_a_longer_signal():
    # The seed's filter over a ramp, a step and a peak: each output is x[t] - x[t + 1].
    signal = np.array([1.0, 2.0, 3.0, 3.0, 0.0, 5.0])
    out, _ = conv1d_forward(seeds.as_sequence(signal), seeds.as_filter_1d(seeds.conv1d_example()[1]), np.zeros(1))
    np.testing.assert_array_equal(out[0, :, 0], [-1.0, -1.0, 0.0, 3.0, -5.0])


def test_cache_and_output_shape():
    x, w, b = random_layer(1, 2, 10, 3, 3, 4)
    out, cache = conv1d_forward(x, w, b, stride=2, pad=1)
    assert out.shape == (2, (10 + 2 - 3) // 2 + 1, 4)
    assert cache[3:] == (2, 1)
    for kept, given in zip(cache[:3], (x, w, b)):
        np.testing.assert_array_equal(kept, given)


def test_equals_the_2d_layer_on_the_first_row_of_an_image():
    # The sequence as the first row of an image of height f, the filters as the first row of
    # f x f filters (the other rows zero): the 2-D reference gives one output row, the 1-D output.
    for seed, (m, L, C, f, K, stride, pad) in enumerate(SHAPES):
        x, w, b = random_layer(seed, m, L, C, f, K)
        image = np.zeros((m, f, L + 2 * pad, C))
        image[:, 0] = np.pad(x, ((0, 0), (pad, pad), (0, 0)))
        filters = np.zeros((f, f, C, K))
        filters[0] = w
        expected = conv_forward(image, filters, b, stride=stride)[0][:, 0]
        np.testing.assert_allclose(conv1d_forward(x, w, b, stride=stride, pad=pad)[0], expected, rtol=1e-12)


def test_bias_only_and_integer_input():
    out, _ = conv1d_forward(np.zeros((2, 5, 3), dtype=int), np.ones((2, 3, 2)), [0.5, -2.0], pad=1)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, np.broadcast_to([0.5, -2.0], (2, 6, 2)))


@pytest.mark.parametrize("args,kwargs,message", [
    ((np.ones((5, 3)), np.ones((2, 3, 1)), np.zeros(1)), {}, "`x` deve ter 3 dimensões"),
    ((np.ones((1, 5, 3)), np.ones((2, 3)), np.zeros(1)), {}, "`w` deve ter 3 dimensões"),
    ((np.ones((1, 5, 3)), np.ones((2, 2, 1)), np.zeros(1)), {}, "`w` deveria ter shape (2, 3, 1)"),
    ((np.ones((1, 5, 3)), np.ones((2, 3, 4)), np.zeros(3)), {}, "`b` deveria ter shape (4,)"),
    ((np.ones((1, 5, 3)), np.ones((2, 3, 1)), np.zeros(1)), {"stride": 0}, "`stride` deve ser um inteiro >= 1"),
    ((np.ones((1, 5, 3)), np.ones((2, 3, 1)), np.zeros(1)), {"pad": -1}, "`pad` deve ser um inteiro >= 0"),
    ((np.ones((1, 5, 3)), np.ones((2, 3, 1)), np.zeros(1)), {"stride": 1.5}, "`stride` deve ser um número inteiro"),
    ((np.ones((1, 3, 1)), np.ones((6, 1, 1)), np.zeros(1)), {"pad": 1}, "A janela de tamanho 6 é maior"),
    ((np.array([["a"]]).reshape(1, 1, 1), np.ones((1, 1, 1)), np.zeros(1)), {}, "`x` deve conter números reais"),
])
def test_bad_input_raises_a_portuguese_value_error(args, kwargs, message):
    with pytest.raises(ValueError) as error:
        conv1d_forward(*args, **kwargs)
    assert message in str(error.value)


# --- TensorFlow and Keras, the independent oracle --------------------------------------------------

@pytest.fixture(scope="module")
def tf_and_keras():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    return tf, keras


@pytest.mark.slow
@pytest.mark.parametrize("m,L,C,f,K,stride,pad", SHAPES)
def test_matches_tf_nn_conv1d(tf_and_keras, m, L, C, f, K, stride, pad):
    tf, _ = tf_and_keras
    x, w, b = random_layer(10 + L, m, L, C, f, K)
    padded = np.pad(x, ((0, 0), (pad, pad), (0, 0)))
    expected = tf.nn.conv1d(tf.constant(padded), tf.constant(w), stride=stride, padding="VALID").numpy() + b
    out, _ = conv1d_forward(x, w, b, stride=stride, pad=pad)
    assert out.shape == expected.shape
    assert rel_error(expected, out) < 1e-10


@pytest.mark.slow
@pytest.mark.parametrize("m,L,C,f,K,stride,pad", SHAPES)
def test_matches_a_keras_conv1d_layer_with_copied_weights(tf_and_keras, m, L, C, f, K, stride, pad):
    _, keras = tf_and_keras
    x, w, b = random_layer(20 + L, m, L, C, f, K)
    model = keras.Sequential([
        keras.Input((L, C), dtype="float64"),
        keras.layers.ZeroPadding1D(pad, dtype="float64"),
        keras.layers.Conv1D(K, f, strides=stride, padding="valid", dtype="float64"),
    ])
    model.layers[-1].set_weights([w, b])  # Keras' own kernel layout (f, C, K) and bias (K,)
    expected = model(x).numpy()
    out, _ = conv1d_forward(x, w, b, stride=stride, pad=pad)
    assert out.shape == expected.shape
    assert rel_error(expected, out) < 1e-10


@pytest.mark.slow
def test_keras_same_padding_is_pad_f_minus_1_over_2(tf_and_keras):
    # Keras' padding="same" with an odd filter and stride 1 pads (f - 1) / 2 zeros on each end.
    _, keras = tf_and_keras
    x, w, b = random_layer(7, 2, 12, 3, 5, 2)
    layer = keras.layers.Conv1D(2, 5, padding="same", dtype="float64")
    layer.build((None, 12, 3))
    layer.set_weights([w, b])
    out, _ = conv1d_forward(x, w, b, pad=2)
    assert rel_error(layer(x).numpy(), out) < 1e-10
