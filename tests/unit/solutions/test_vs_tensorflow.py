"""Every a1–a5 reference function against TensorFlow/Keras on seeded random cases.

Forward values, and for every backward function the gradients of tf.GradientTape for the same
upstream gradient. The comparisons live in tests/support/tensorflow_check.py;
here they run over odd and non-square sizes, strides, paddings, a batch of one, one channel and
many channels.
"""
import numpy as np
import pytest

from tests.support import tensorflow_check as tfc

pytestmark = pytest.mark.slow

TOLERANCE = 1e-8


def assert_close(errors, tolerance=TOLERANCE):
    worst = {name: err for name, err in errors.items() if not err <= tolerance}
    assert not worst, f"relative errors above {tolerance}: {worst}"


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("d", [1, 3, 10])
def test_neuron(seed, d):
    assert_close(tfc.compare_neuron(np.random.default_rng(seed), d=d))


@pytest.mark.parametrize("shape,scale", [((7,), 1.0), ((4, 7), 5.0), ((2, 3, 5), 50.0), ((1000,), 1e4)])
def test_sigmoid_tanh(shape, scale):
    assert_close(tfc.compare_elementwise(np.random.default_rng(0), shape, scale))


@pytest.mark.parametrize("shape,axis", [((5,), -1), ((3, 4), 1), ((3, 4), 0), ((2, 3, 6), 1)])
@pytest.mark.parametrize("scale", [1.0, 1e3])
def test_softmax(shape, axis, scale):
    assert_close(tfc.compare_softmax(np.random.default_rng(1), shape, axis, scale))


@pytest.mark.parametrize("shape", [(1,), (5, 6), (2, 3, 4, 5)])
def test_relu(shape):
    assert_close(tfc.compare_relu(np.random.default_rng(2), shape))


@pytest.mark.parametrize("shape", [(5, 6), (2, 3, 4, 5)])
@pytest.mark.parametrize("alpha", [0.25, 0.5])
def test_leaky_relu(shape, alpha):
    # Alphas that float32 holds exactly: tf.nn.leaky_relu keeps alpha as a float32 attribute.
    assert_close(tfc.compare_leaky_relu(np.random.default_rng(3), shape, alpha))


def test_leaky_relu_default_alpha():
    # alpha=0.01 is rounded to float32 inside TensorFlow, hence the looser tolerance.
    assert_close(tfc.compare_leaky_relu(np.random.default_rng(4), (6, 5), 0.01), tolerance=1e-7)


@pytest.mark.parametrize("shape,pad", [((1, 3, 3, 1), 0), ((2, 3, 5, 4), 1), ((3, 4, 2, 2), 3)])
def test_zero_pad(shape, pad):
    assert_close(tfc.compare_zero_pad(np.random.default_rng(5), shape, pad))


CONV_CASES = [
    # m, n_H, n_W, n_C_prev, f, n_C, stride, pad
    (1, 5, 5, 1, 3, 1, 1, 0),      # batch of one, one channel
    (2, 7, 5, 3, 3, 4, 1, 0),      # non-square input
    (2, 6, 6, 3, 3, 2, 1, 1),      # "same" padding
    (3, 9, 7, 2, 3, 5, 2, 1),      # stride 2 with padding, odd sizes
    (2, 8, 8, 4, 2, 3, 2, 0),      # even filter
    (1, 7, 6, 2, 5, 2, 3, 2),      # stride 3, pad 2
    (2, 4, 4, 16, 1, 8, 1, 0),     # 1x1 convolution, many channels
    (2, 5, 5, 3, 5, 2, 1, 0),      # window equal to the input
    (1, 6, 7, 32, 3, 32, 1, 1),    # many channels in and out
    (2, 10, 9, 3, 4, 2, 3, 0),     # windows that do not reach the last row/column
]


@pytest.mark.parametrize("m,n_H,n_W,n_C_prev,f,n_C,stride,pad", CONV_CASES)
def test_conv_forward_backward(m, n_H, n_W, n_C_prev, f, n_C, stride, pad):
    errors = tfc.compare_conv(np.random.default_rng(6), m, n_H, n_W, n_C_prev, f, n_C, stride, pad)
    assert_close(errors)


@pytest.mark.parametrize("f,n_C_prev,n_C", [(5, 3, 64), (3, 1, 1), (1, 16, 8)])
def test_param_counts(f, n_C_prev, n_C):
    assert_close(tfc.compare_param_counts(None, f, n_C_prev, n_C, n_in=n_C_prev * 10, n_out=n_C))


POOL_CASES = [
    # m, n_H, n_W, n_C, f, stride
    (1, 4, 4, 1, 2, 2),
    (2, 6, 7, 3, 2, 2),   # odd width: last column dropped, as with padding="valid"
    (2, 7, 7, 2, 3, 2),   # overlapping windows
    (3, 5, 6, 4, 3, 1),   # stride 1
    (1, 5, 5, 2, 5, 1),   # window equal to the input
    (2, 9, 8, 3, 2, 3),   # stride larger than the window
]


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("m,n_H,n_W,n_C,f,stride", POOL_CASES)
def test_pool_forward_backward(m, n_H, n_W, n_C, f, stride, mode):
    assert_close(tfc.compare_pool(np.random.default_rng(7), m, n_H, n_W, n_C, f, stride, mode))


@pytest.mark.parametrize("shape", [(1, 1, 1, 1), (3, 4, 5, 6), (2, 7, 3, 1)])
def test_global_pool_and_flatten(shape):
    assert_close(tfc.compare_global_pool_and_flatten(np.random.default_rng(8), shape))


@pytest.mark.parametrize("m,d,k", [(1, 1, 1), (4, 5, 3), (16, 30, 2)])
def test_dense(m, d, k):
    assert_close(tfc.compare_dense(np.random.default_rng(9), m, d, k))


@pytest.mark.parametrize("m,k", [(1, 1), (6, 3), (20, 1)])
def test_mse(m, k):
    assert_close(tfc.compare_mse(np.random.default_rng(10), m, k))


@pytest.mark.parametrize("m,k", [(8, 1), (5, 3)])
@pytest.mark.parametrize("with_extremes", [False, True])
def test_binary_cross_entropy(m, k, with_extremes):
    assert_close(tfc.compare_binary_cross_entropy(np.random.default_rng(11), m, k, with_extremes))


@pytest.mark.parametrize("m,n_classes,scale", [(1, 2, 1.0), (7, 5, 3.0), (10, 10, 100.0)])
def test_softmax_cross_entropy(m, n_classes, scale):
    assert_close(tfc.compare_softmax_cross_entropy(np.random.default_rng(12), m, n_classes, scale))


@pytest.mark.parametrize("shape", [(1,), (3, 4), (2, 2, 3)])
def test_numerical_gradient(shape):
    # Centered differences are accurate to about h**2, not to machine precision.
    assert_close(tfc.compare_numerical_gradient(np.random.default_rng(13), shape), tolerance=1e-7)


@pytest.mark.parametrize("rate", [0.1, 0.3, 0.5])
def test_dropout(rate):
    errors = tfc.compare_dropout(np.random.default_rng(14), (200, 50), rate)
    # Kept fractions of two independent masks of 10,000 units differ by sampling error only.
    assert errors.pop("kept_fraction") < 0.03
    assert_close(errors)


@pytest.mark.parametrize("steps,lr", [(1, 0.5), (4, 0.125)])
def test_sgd(steps, lr):
    assert_close(tfc.compare_sgd(np.random.default_rng(15), steps, lr))


@pytest.mark.parametrize("steps", [1, 2, 10])
def test_adam(steps):
    assert_close(tfc.compare_adam(np.random.default_rng(16), steps))


def test_adam_keras_defaults():
    # With Keras' defaults (0.9, 0.999, 1e-7) Keras rounds the betas to float32 internally.
    errors = tfc.compare_adam(np.random.default_rng(17), 5, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-7)
    assert_close(errors, tolerance=1e-5)


@pytest.mark.parametrize("m,D,H", [(1, 1, 1), (3, 4, 5), (2, 10, 3)])
def test_rnn_cell(m, D, H):
    assert_close(tfc.compare_rnn_cell(np.random.default_rng(18), m, D, H))


@pytest.mark.parametrize("m,T,D,H", [(1, 1, 2, 3), (2, 6, 3, 4), (3, 15, 2, 5)])
def test_rnn_sequence(m, T, D, H):
    assert_close(tfc.compare_rnn(np.random.default_rng(19), m, T, D, H))


@pytest.mark.parametrize("m,D,H", [(1, 1, 1), (3, 4, 5), (2, 6, 2)])
def test_lstm_cell(m, D, H):
    assert_close(tfc.compare_lstm_cell(np.random.default_rng(20), m, D, H))


@pytest.mark.parametrize("m,T,D,H", [(1, 1, 2, 3), (2, 5, 3, 4), (3, 12, 2, 5)])
def test_lstm_sequence(m, T, D, H):
    assert_close(tfc.compare_lstm(np.random.default_rng(21), m, T, D, H))


def test_every_typical_case_agrees():
    for assignment, name, compare in tfc.TYPICAL_CASES:
        errors = compare(np.random.default_rng(22))
        errors.pop("kept_fraction", None)
        assert_close(errors, tolerance=1e-5), (assignment, name)
