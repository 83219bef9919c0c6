"""Bad input raises a ValueError whose Portuguese message says what is wrong; dtypes are kept."""
import warnings

import numpy as np
import pytest

from solutions import activations, backprop, convolution, pooling, recurrent


def raises_pt(match):
    return pytest.raises(ValueError, match=match)


def test_wrong_rank_is_named():
    with raises_pt(r"`A_prev` deve ter 4 dimensões \(m, n_H_prev, n_W_prev, n_C_prev\), mas tem 3"):
        convolution.conv_forward(np.zeros((5, 5, 3)), np.zeros((3, 3, 3, 2)), np.zeros(2))
    with raises_pt("`X` deve ter 4 dimensões"):
        convolution.zero_pad(np.zeros((4, 4)), 1)
    with raises_pt("`x` deve ter 2 dimensões"):
        backprop.dense_forward(np.zeros(3), np.zeros((3, 2)), np.zeros(2))
    with raises_pt("`x` deve ter 3 dimensões"):
        recurrent.rnn_forward(np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((3, 4)), np.zeros((4, 4)), np.zeros(4))


@pytest.mark.parametrize("pad", [-1, -3])
def test_negative_pad(pad):
    with raises_pt(f"`pad` deve ser um inteiro >= 0, mas recebeu {pad}"):
        convolution.zero_pad(np.zeros((1, 3, 3, 1)), pad)
    with raises_pt("`pad` deve ser um inteiro >= 0"):
        convolution.conv_forward(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1)), np.zeros(1), pad=pad)


def test_non_integer_stride_and_pad():
    with raises_pt("`stride` deve ser um número inteiro, mas recebeu 1.5"):
        convolution.conv_output_size(6, 3, stride=1.5)
    with raises_pt("`stride` deve ser um inteiro >= 1, mas recebeu 0"):
        pooling.pool_forward(np.zeros((1, 4, 4, 1)), 2, 0)


def test_filter_larger_than_padded_input():
    with raises_pt(r"janela de tamanho 5 é maior .* \(3 \+ 2\*0 = 3\)"):
        convolution.conv_forward(np.zeros((1, 3, 3, 1)), np.zeros((5, 5, 1, 1)), np.zeros(1))
    with raises_pt(r"\(3 \+ 2\*1 = 5\)"):
        convolution.conv_output_size(3, 6, pad=1)
    # with enough padding the same filter fits
    Z, _ = convolution.conv_forward(np.zeros((1, 3, 3, 1)), np.zeros((5, 5, 1, 1)), np.zeros(1), pad=1)
    assert Z.shape == (1, 1, 1, 1)
    with raises_pt("janela de tamanho 3 é maior que a altura"):
        pooling.pool_forward(np.zeros((1, 2, 4, 1)), 3, 1)


def test_unknown_pooling_mode():
    with raises_pt(r"`mode` deve ser um de 'max', 'average', mas recebeu 'mean'"):
        pooling.pool_forward(np.zeros((1, 4, 4, 1)), 2, 2, mode="mean")
    with raises_pt("`mode` deve ser um de"):
        pooling.global_pool(np.zeros((1, 4, 4, 1)), mode="min")


def test_mismatched_shapes():
    with raises_pt(r"`W` deveria ter shape \(3, 3, 2, \?\), mas tem shape \(3, 3, 4, 2\)"):
        convolution.conv_forward(np.zeros((1, 5, 5, 2)), np.zeros((3, 3, 4, 2)), np.zeros(2))
    with raises_pt(r"`b` deveria ter shape \(2,\)"):
        convolution.conv_forward(np.zeros((1, 5, 5, 2)), np.zeros((3, 3, 2, 2)), np.zeros(3))
    with raises_pt("`y` deveria ter shape"):
        backprop.mse_loss(np.zeros((3, 2)), np.zeros((2, 3)))
    with raises_pt(r"`Wh` deveria ter shape \(4, 16\)"):
        recurrent.lstm_cell_forward(np.zeros((2, 3)), np.zeros((2, 4)), np.zeros((2, 4)),
                                    np.zeros((3, 16)), np.zeros((4, 12)), np.zeros(16))
    with raises_pt("`dZ` deveria ter shape"):
        _, cache = convolution.conv_forward(np.zeros((1, 5, 5, 1)), np.zeros((3, 3, 1, 1)), np.zeros(1))
        convolution.conv_backward(np.zeros((1, 5, 5, 1)), cache)


def test_bad_labels_and_rates():
    with raises_pt("rótulos inteiros entre 0 e 2"):
        backprop.softmax_cross_entropy(np.zeros((2, 3)), np.array([0, 3]))
    with raises_pt(r"`rate` deve estar no intervalo \[0, 1\)"):
        backprop.dropout_forward(np.ones(3), 1.0, True)
    with raises_pt("mesmas chaves"):
        backprop.sgd_step({"W": np.ones(2)}, {"b": np.ones(2)}, 0.1)


def test_non_numeric_input():
    with raises_pt("deve conter números reais"):
        activations.sigmoid(np.array(["a", "b"]))


FUNCTIONS_OF_ONE_ARRAY = [
    activations.sigmoid,
    activations.tanh,
    activations.softmax,
    lambda x: activations.relu_forward(x)[0],
    lambda x: activations.leaky_relu_forward(x)[0],
    lambda x: convolution.zero_pad(x.reshape(1, 2, 3, 1), 1),
    lambda x: pooling.pool_forward(x.reshape(1, 2, 3, 1), 2, 1)[0],
    lambda x: pooling.global_pool(x.reshape(1, 2, 3, 1), "average"),
    lambda x: pooling.flatten(x.reshape(1, 2, 3, 1)),
]


@pytest.mark.parametrize("fn", FUNCTIONS_OF_ONE_ARRAY)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_dtype_is_kept(fn, dtype):
    x = np.arange(-3, 3, dtype=dtype).reshape(2, 3)
    assert fn(x).dtype == dtype


def test_integer_input_gives_float64():
    out, _ = activations.relu_forward([-2, -1, 0, 1, 2, 3])
    assert out.dtype == np.float64
    Z, _ = convolution.conv_forward(np.ones((1, 3, 3, 1), dtype=int), np.ones((3, 3, 1, 1), dtype=int), np.zeros(1))
    assert Z.dtype == np.float64


def test_no_overflow_warnings_for_large_inputs():
    x = np.array([-1e4, -800.0, -1.0, 0.0, 1.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = activations.sigmoid(x)
        p = activations.softmax(np.stack([x, -x]))
        t = activations.tanh(x)
        loss, _ = backprop.softmax_cross_entropy(np.stack([x, -x]), np.array([0, 6]))
        h, c, _ = recurrent.lstm_cell_forward(x.reshape(1, 7), np.zeros((1, 1)), np.zeros((1, 1)),
                                              np.ones((7, 4)), np.ones((1, 4)), np.zeros(4))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    assert np.all(np.isfinite(p)) and np.allclose(p.sum(axis=-1), 1)
    assert t[0] == -1.0 and t[-1] == 1.0
    assert np.isfinite(loss) and np.all(np.isfinite(h))


def test_inputs_are_not_modified():
    rng = np.random.default_rng(0)
    params = {"W": rng.standard_normal((3, 2))}
    grads = {"W": rng.standard_normal((3, 2))}
    before = params["W"].copy()
    backprop.sgd_step(params, grads, 0.1)
    backprop.adam_step(params, grads, None)
    x = rng.standard_normal((2, 3))
    x_before = x.copy()
    backprop.numerical_gradient(lambda v: float(np.sum(v**2)), x)
    assert np.array_equal(params["W"], before) and np.array_equal(x, x_before)
