"""Every backward function against centered-difference gradients (an independent check of the
calculus, on top of the TensorFlow comparison). numerical_gradient itself is verified against
tf.GradientTape in test_against_tensorflow."""
import numpy as np
import pytest

from autograder.grading.expect import rel_error
from solutions import activations, backprop, convolution, pooling, recurrent
from solutions.backprop import numerical_gradient

TOLERANCE = 1e-6


def check_backward(forward, backward, inputs, seed=0, tolerance=TOLERANCE):
    """forward(*inputs) -> (out, cache); backward(dout, cache) -> gradient(s) for inputs, in order."""
    rng = np.random.default_rng(seed)
    out, cache = forward(*inputs)
    dout = rng.standard_normal(np.shape(out))
    analytic = backward(dout, cache)
    if not isinstance(analytic, tuple):
        analytic = (analytic,)
    for position, (x, grad) in enumerate(zip(inputs, analytic)):
        def scalar(value, position=position):
            args = list(inputs)
            args[position] = value
            return np.sum(forward(*args)[0] * dout)

        error = rel_error(numerical_gradient(scalar, x), grad)
        assert error < tolerance, f"input {position}: relative error {error:.2e}"


def test_relu():
    x = np.random.default_rng(1).standard_normal((4, 5))
    check_backward(activations.relu_forward, activations.relu_backward, [x])


def test_leaky_relu():
    x = np.random.default_rng(2).standard_normal((4, 5))
    check_backward(lambda x: activations.leaky_relu_forward(x, 0.1), activations.leaky_relu_backward, [x])


@pytest.mark.parametrize("stride,pad,f", [(1, 0, 3), (2, 1, 3), (3, 2, 2)])
def test_conv(stride, pad, f):
    rng = np.random.default_rng(3)
    A, W, b = rng.standard_normal((2, 5, 6, 3)), rng.standard_normal((f, f, 3, 2)), rng.standard_normal(2)
    check_backward(
        lambda A, W, b: convolution.conv_forward(A, W, b, stride, pad), convolution.conv_backward, [A, W, b]
    )


@pytest.mark.parametrize("mode", ["max", "average"])
@pytest.mark.parametrize("f,stride", [(2, 2), (3, 1), (3, 2)])
def test_pool(mode, f, stride):
    A = np.random.default_rng(4).standard_normal((2, 6, 5, 2))
    check_backward(lambda A: pooling.pool_forward(A, f, stride, mode), pooling.pool_backward, [A])


def test_dense():
    rng = np.random.default_rng(5)
    x, W, b = rng.standard_normal((4, 6)), rng.standard_normal((6, 3)), rng.standard_normal(3)
    check_backward(backprop.dense_forward, backprop.dense_backward, [x, W, b])


@pytest.mark.parametrize("loss", ["mse", "bce", "softmax_ce"])
def test_losses(loss):
    rng = np.random.default_rng(6)
    if loss == "mse":
        fn, pred, target = backprop.mse_loss, rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    elif loss == "bce":
        fn, pred, target = backprop.binary_cross_entropy, rng.uniform(0.05, 0.95, 8), rng.integers(0, 2, 8)
    else:
        fn, pred, target = backprop.softmax_cross_entropy, rng.standard_normal((6, 4)), rng.integers(0, 4, 6)
    numeric = numerical_gradient(lambda p: fn(p, target)[0], pred)
    assert rel_error(numeric, fn(pred, target)[1]) < TOLERANCE


def test_dropout():
    x = np.random.default_rng(7).standard_normal((6, 8))
    check_backward(lambda x: backprop.dropout_forward(x, 0.4, True, seed=3), backprop.dropout_backward, [x])


def test_rnn_cell():
    rng = np.random.default_rng(8)
    inputs = [rng.standard_normal(s) for s in [(3, 4), (3, 5), (4, 5), (5, 5), (5,)]]
    check_backward(recurrent.rnn_cell_forward, recurrent.rnn_cell_backward, inputs)


def test_rnn_sequence():
    rng = np.random.default_rng(9)
    inputs = [rng.standard_normal(s) * 0.5 for s in [(2, 7, 3), (2, 4), (3, 4), (4, 4), (4,)]]
    check_backward(recurrent.rnn_forward, recurrent.rnn_backward, inputs)


def test_lstm_cell():
    rng = np.random.default_rng(10)
    inputs = [rng.standard_normal(s) for s in [(3, 4), (3, 2), (3, 2), (4, 8), (2, 8), (8,)]]
    dh, dc = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))

    def loss(*args):
        h, c, _ = recurrent.lstm_cell_forward(*args)
        return np.sum(h * dh) + np.sum(c * dc)

    _, _, cache = recurrent.lstm_cell_forward(*inputs)
    analytic = recurrent.lstm_cell_backward(dh, dc, cache)
    for position, grad in enumerate(analytic):
        def scalar(value, position=position):
            args = list(inputs)
            args[position] = value
            return loss(*args)

        assert rel_error(numerical_gradient(scalar, inputs[position]), grad) < TOLERANCE, position
