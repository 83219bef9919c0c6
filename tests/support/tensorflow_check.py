"""Checks every a1–a5 reference solution against TensorFlow/Keras, the independent oracle.

Each ``compare_*`` function draws a seeded random case, computes it with the reference solution
and with TensorFlow (forward values, and for backward functions the gradients that
``tf.GradientTape`` gives for the same upstream gradient) and returns the relative error of every
output. The tests call them over many shapes; ``TYPICAL_CASES`` lists one typical call of each.
"""
from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras
import numpy as np
import tensorflow as tf

from autograder.grading.expect import rel_error
from solutions import activations, backprop, convolution, pooling, recurrent


def _errors(expected: dict, actual: dict) -> dict[str, float]:
    return {name: rel_error(expected[name], actual[name]) for name in expected}


def _tape_gradients(forward, inputs, upstream, extra_sources=()):
    """Runs ``forward(*tensors)`` and returns its output with the gradients of
    sum(output * upstream) with respect to the inputs, then to ``extra_sources``."""
    tensors = [tf.constant(x, dtype=tf.float64) for x in inputs]
    with tf.GradientTape(persistent=True) as tape:
        for t in tensors:
            tape.watch(t)
        out = forward(*tensors)
        target = tf.reduce_sum(out * tf.constant(upstream, dtype=tf.float64))
    grads = tape.gradient(target, tensors + list(extra_sources))
    del tape
    return out.numpy(), [g.numpy() for g in grads]


# a1_ativacoes -------------------------------------------------------------------------------


def compare_neuron(rng, d=5):
    x, w, b = rng.standard_normal(d), rng.standard_normal(d), float(rng.standard_normal())
    layer = keras.layers.Dense(1, dtype="float64")
    layer.build((None, d))
    layer.set_weights([w.reshape(d, 1), np.array([b])])
    expected = float(layer(x.reshape(1, d)).numpy()[0, 0])
    return {"z": rel_error(expected, activations.neuron_forward(x, w, b))}


def compare_elementwise(rng, shape=(4, 7), scale=5.0):
    x = rng.standard_normal(shape) * scale
    return _errors(
        {"sigmoid": tf.math.sigmoid(x).numpy(), "tanh": tf.math.tanh(x).numpy()},
        {"sigmoid": activations.sigmoid(x), "tanh": activations.tanh(x)},
    )


def compare_softmax(rng, shape=(3, 4, 6), axis=-1, scale=10.0):
    z = rng.standard_normal(shape) * scale
    return _errors(
        {"softmax": tf.nn.softmax(z, axis=axis).numpy()},
        {"softmax": activations.softmax(z, axis=axis)},
    )


def compare_relu(rng, shape=(5, 6)):
    x = rng.standard_normal(shape)
    dout = rng.standard_normal(shape)
    out, (dx,) = _tape_gradients(tf.nn.relu, [x], dout)
    ref_out, cache = activations.relu_forward(x)
    return _errors({"out": out, "dx": dx}, {"out": ref_out, "dx": activations.relu_backward(dout, cache)})


def compare_leaky_relu(rng, shape=(5, 6), alpha=0.01):
    x = rng.standard_normal(shape)
    dout = rng.standard_normal(shape)
    out, (dx,) = _tape_gradients(lambda t: tf.nn.leaky_relu(t, alpha=alpha), [x], dout)
    ref_out, cache = activations.leaky_relu_forward(x, alpha)
    return _errors(
        {"out": out, "dx": dx}, {"out": ref_out, "dx": activations.leaky_relu_backward(dout, cache)}
    )


# a2_convolucao ------------------------------------------------------------------------------


def compare_zero_pad(rng, shape=(2, 3, 5, 4), pad=2):
    X = rng.standard_normal(shape)
    expected = keras.layers.ZeroPadding2D(pad, dtype="float64")(X).numpy()
    return {"X_pad": rel_error(expected, convolution.zero_pad(X, pad))}


def compare_conv(rng, m=2, n_H=7, n_W=5, n_C_prev=3, f=3, n_C=4, stride=1, pad=0):
    A = rng.standard_normal((m, n_H, n_W, n_C_prev))
    W = rng.standard_normal((f, f, n_C_prev, n_C))
    b = rng.standard_normal(n_C)

    def forward(A, W, b):
        padded = tf.pad(A, [[0, 0], [pad, pad], [pad, pad], [0, 0]])
        return tf.nn.conv2d(padded, W, strides=stride, padding="VALID") + b

    Z_ref, cache = convolution.conv_forward(A, W, b, stride=stride, pad=pad)
    dZ = rng.standard_normal(Z_ref.shape)
    Z, (dA, dW, db) = _tape_gradients(forward, [A, W, b], dZ)
    ref = convolution.conv_backward(dZ, cache)
    return _errors(
        {"Z": Z, "dA_prev": dA, "dW": dW, "db": db},
        {"Z": Z_ref, "dA_prev": ref[0], "dW": ref[1], "db": ref[2]},
    )


def compare_param_counts(rng, f=5, n_C_prev=3, n_C=64, n_in=3072, n_out=50176):
    conv = keras.layers.Conv2D(n_C, f)
    conv.build((None, 32, 32, n_C_prev))
    dense = keras.layers.Dense(n_out)
    dense.build((None, n_in))
    return {
        "count_conv_params": rel_error(conv.count_params(), convolution.count_conv_params(f, n_C_prev, n_C)),
        "count_dense_params": rel_error(dense.count_params(), convolution.count_dense_params(n_in, n_out)),
    }


# a3_pooling ---------------------------------------------------------------------------------


def compare_pool(rng, m=2, n_H=6, n_W=7, n_C=3, f=2, stride=2, mode="max"):
    A = rng.standard_normal((m, n_H, n_W, n_C))
    tf_pool = tf.nn.max_pool2d if mode == "max" else tf.nn.avg_pool2d
    ref_out, cache = pooling.pool_forward(A, f, stride, mode)
    dA = rng.standard_normal(ref_out.shape)
    out, (dA_prev,) = _tape_gradients(lambda t: tf_pool(t, f, stride, "VALID"), [A], dA)
    return _errors({"A": out, "dA_prev": dA_prev}, {"A": ref_out, "dA_prev": pooling.pool_backward(dA, cache)})


def compare_global_pool_and_flatten(rng, shape=(3, 4, 5, 6)):
    A = rng.standard_normal(shape)
    return _errors(
        {
            "global_max": keras.layers.GlobalMaxPooling2D(dtype="float64")(A).numpy(),
            "global_average": keras.layers.GlobalAveragePooling2D(dtype="float64")(A).numpy(),
            "flatten": keras.layers.Flatten(dtype="float64")(A).numpy(),
        },
        {
            "global_max": pooling.global_pool(A, "max"),
            "global_average": pooling.global_pool(A, "average"),
            "flatten": pooling.flatten(A),
        },
    )


# a4_backprop --------------------------------------------------------------------------------


def compare_dense(rng, m=4, d=5, k=3):
    x, dout = rng.standard_normal((m, d)), rng.standard_normal((m, k))
    W, b = rng.standard_normal((d, k)), rng.standard_normal(k)
    layer = keras.layers.Dense(k, dtype="float64")
    layer.build((None, d))
    layer.set_weights([W, b])
    out, (dx, dW, db) = _tape_gradients(layer, [x], dout, [layer.kernel, layer.bias])
    ref_out, cache = backprop.dense_forward(x, W, b)
    ref = backprop.dense_backward(dout, cache)
    return _errors(
        {"out": out, "dx": dx, "dW": dW, "db": db},
        {"out": ref_out, "dx": ref[0], "dW": ref[1], "db": ref[2]},
    )


def _compare_loss(keras_loss, reference, y_pred, y):
    y_pred_t = tf.constant(y_pred, dtype=tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(y_pred_t)
        loss = keras_loss(tf.constant(y), y_pred_t)
    grad = tape.gradient(loss, y_pred_t).numpy()
    ref_loss, ref_grad = reference(y_pred, y)
    return {"loss": rel_error(loss.numpy(), ref_loss), "grad": rel_error(grad, ref_grad)}


def compare_mse(rng, m=6, k=3):
    return _compare_loss(
        keras.losses.MeanSquaredError(dtype="float64"),
        backprop.mse_loss,
        rng.standard_normal((m, k)),
        rng.standard_normal((m, k)),
    )


def compare_binary_cross_entropy(rng, m=8, k=2, with_extremes=False):
    p = rng.uniform(0.01, 0.99, (m, k))
    if with_extremes:
        p.flat[:4] = [0.0, 1.0, 1e-9, 1 - 1e-9]
    y = rng.integers(0, 2, (m, k)).astype(np.float64)
    return _compare_loss(keras.losses.BinaryCrossentropy(dtype="float64"), backprop.binary_cross_entropy, p, y)


def compare_softmax_cross_entropy(rng, m=7, n_classes=5, scale=3.0):
    logits = rng.standard_normal((m, n_classes)) * scale
    y = rng.integers(0, n_classes, m)
    keras_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True, dtype="float64")
    return _compare_loss(keras_loss, backprop.softmax_cross_entropy, logits, y)


def compare_numerical_gradient(rng, shape=(3, 4)):
    x = rng.standard_normal(shape)

    def f_tf(t):
        return tf.reduce_sum(tf.sin(t) * t**2) + tf.reduce_sum(t) ** 2

    def f_np(a):
        return float(np.sum(np.sin(a) * a**2) + np.sum(a) ** 2)

    _, (grad,) = _tape_gradients(f_tf, [x], 1.0)
    return {"grad": rel_error(grad, backprop.numerical_gradient(f_np, x))}


def compare_dropout(rng, shape=(200, 50), rate=0.3):
    """Keras draws its own mask, so the masks differ: compare what must agree — survivors are
    scaled by 1/(1-rate) in both, inference is the identity in both, the kept fraction is the
    same within sampling error — and the backward against the tape through the same mask."""
    x = rng.uniform(1.0, 2.0, shape)
    keras_out = keras.layers.Dropout(rate, seed=1, dtype="float64")(x, training=True).numpy()
    out, cache = backprop.dropout_forward(x, rate, training=True, seed=1)
    kept_keras, kept_ref = keras_out != 0, out != 0
    keras_scale = np.median(keras_out[kept_keras] / x[kept_keras])
    our_scales = out[kept_ref] / x[kept_ref]
    dout = rng.standard_normal(shape)
    _, (dx,) = _tape_gradients(lambda t: t * (out / x), [x], dout)
    inference, _ = backprop.dropout_forward(x, rate, training=False)
    keras_inference = keras.layers.Dropout(rate, dtype="float64")(x, training=False).numpy()
    return {
        "survivor_scale": rel_error(np.full_like(our_scales, keras_scale), our_scales),
        "kept_fraction": float(abs(kept_keras.mean() - kept_ref.mean())),
        "inference": rel_error(keras_inference, inference),
        "dx": rel_error(dx, backprop.dropout_backward(dout, cache)),
    }


def _keras_optimizer_steps(optimizer, params, grads_per_step):
    # Keras rounds the learning rate and Adam's betas to float32 even for float64 variables: the
    # callers pick values that float32 holds exactly, so the comparison measures the update rule
    # and not that rounding (with beta2 = 0.999 the rounding alone moves Adam by 6e-6).
    variables = {name: tf.Variable(value) for name, value in params.items()}
    for grads in grads_per_step:
        optimizer.apply_gradients([(tf.constant(grads[name]), variables[name]) for name in variables])
    return {name: v.numpy() for name, v in variables.items()}


def _random_params(rng):
    return {"W1": rng.standard_normal((4, 3)), "b1": rng.standard_normal(3), "W2": rng.standard_normal((3, 2))}


def compare_sgd(rng, steps=3, lr=0.125):
    params = _random_params(rng)
    grads = [{k: rng.standard_normal(v.shape) for k, v in params.items()} for _ in range(steps)]
    expected = _keras_optimizer_steps(keras.optimizers.SGD(learning_rate=lr), params, grads)
    ours = params
    for g in grads:
        ours = backprop.sgd_step(ours, g, lr)
    return _errors(expected, ours)


def compare_adam(rng, steps=5, lr=2**-6, beta1=0.875, beta2=1 - 2**-10, eps=2**-23):
    params = _random_params(rng)
    grads = [{k: rng.standard_normal(v.shape) for k, v in params.items()} for _ in range(steps)]
    optimizer = keras.optimizers.Adam(learning_rate=lr, beta_1=beta1, beta_2=beta2, epsilon=eps)
    expected = _keras_optimizer_steps(optimizer, params, grads)
    ours, state = params, None
    for g in grads:
        ours, state = backprop.adam_step(ours, g, state, lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    return _errors(expected, ours)


# a5_rnn_lstm --------------------------------------------------------------------------------


def _built(layer, input_shape, weights):
    layer.build(input_shape)
    layer.set_weights(weights)
    return layer


def compare_rnn_cell(rng, m=3, D=4, H=5):
    x, h = rng.standard_normal((m, D)), rng.standard_normal((m, H))
    Wx, Wh, b = rng.standard_normal((D, H)) * 0.5, rng.standard_normal((H, H)) * 0.5, rng.standard_normal(H)
    cell = _built(keras.layers.SimpleRNNCell(H, dtype="float64"), (None, D), [Wx, Wh, b])
    dh = rng.standard_normal((m, H))
    out, (dx, dh_prev, dWx, dWh, db) = _tape_gradients(
        lambda x, h: cell(x, [h])[0], [x, h], dh, [cell.kernel, cell.recurrent_kernel, cell.bias]
    )
    ref_out, cache = recurrent.rnn_cell_forward(x, h, Wx, Wh, b)
    ref = recurrent.rnn_cell_backward(dh, cache)
    names = ("dx_t", "dh_prev", "dWx", "dWh", "db")
    return _errors(
        {"h_next": out, **dict(zip(names, (dx, dh_prev, dWx, dWh, db)))},
        {"h_next": ref_out, **dict(zip(names, ref))},
    )


def compare_rnn(rng, m=2, T=6, D=3, H=4):
    x, h0 = rng.standard_normal((m, T, D)), rng.standard_normal((m, H))
    Wx, Wh, b = rng.standard_normal((D, H)) * 0.5, rng.standard_normal((H, H)) * 0.5, rng.standard_normal(H)
    layer = _built(keras.layers.SimpleRNN(H, return_sequences=True, dtype="float64"), (None, T, D), [Wx, Wh, b])
    dh = rng.standard_normal((m, T, H))
    cell = layer.cell
    out, (dx, dh0, dWx, dWh, db) = _tape_gradients(
        lambda x, h0: layer(x, initial_state=[h0]), [x, h0], dh, [cell.kernel, cell.recurrent_kernel, cell.bias]
    )
    ref_out, cache = recurrent.rnn_forward(x, h0, Wx, Wh, b)
    ref = recurrent.rnn_backward(dh, cache)
    names = ("dx", "dh0", "dWx", "dWh", "db")
    return _errors(
        {"h": out, **dict(zip(names, (dx, dh0, dWx, dWh, db)))},
        {"h": ref_out, **dict(zip(names, ref))},
    )


def compare_lstm_cell(rng, m=3, D=4, H=5):
    x, h, c = rng.standard_normal((m, D)), rng.standard_normal((m, H)), rng.standard_normal((m, H))
    Wx, Wh, b = rng.standard_normal((D, 4 * H)) * 0.5, rng.standard_normal((H, 4 * H)) * 0.5, rng.standard_normal(4 * H)
    cell = _built(keras.layers.LSTMCell(H, dtype="float64"), (None, D), [Wx, Wh, b])
    dh, dc = rng.standard_normal((m, H)), rng.standard_normal((m, H))

    def both_states(x, h, c):
        _, (h_next, c_next) = cell(x, [h, c])
        return tf.concat([h_next, c_next], axis=1)

    out, grads = _tape_gradients(
        both_states, [x, h, c], np.concatenate([dh, dc], axis=1), [cell.kernel, cell.recurrent_kernel, cell.bias]
    )
    ref_h, ref_c, cache = recurrent.lstm_cell_forward(x, h, c, Wx, Wh, b)
    ref = recurrent.lstm_cell_backward(dh, dc, cache)
    names = ("dx_t", "dh_prev", "dc_prev", "dWx", "dWh", "db")
    return _errors(
        {"h_next": out[:, :H], "c_next": out[:, H:], **dict(zip(names, grads))},
        {"h_next": ref_h, "c_next": ref_c, **dict(zip(names, ref))},
    )


def compare_lstm(rng, m=2, T=5, D=3, H=4):
    x, h0, c0 = rng.standard_normal((m, T, D)), rng.standard_normal((m, H)), rng.standard_normal((m, H))
    Wx, Wh, b = rng.standard_normal((D, 4 * H)) * 0.5, rng.standard_normal((H, 4 * H)) * 0.5, rng.standard_normal(4 * H)
    layer = _built(keras.layers.LSTM(H, return_sequences=True, dtype="float64"), (None, T, D), [Wx, Wh, b])
    expected = layer(x, initial_state=[h0, c0]).numpy()
    ref_h, _ = recurrent.lstm_forward(x, h0, c0, Wx, Wh, b)
    return {"h": rel_error(expected, ref_h)}


# One typical case per contract function group, in course order.
TYPICAL_CASES = [
    ("a1_ativacoes", "neuron_forward", compare_neuron),
    ("a1_ativacoes", "sigmoid, tanh", compare_elementwise),
    ("a1_ativacoes", "softmax", compare_softmax),
    ("a1_ativacoes", "relu_forward/backward", compare_relu),
    ("a1_ativacoes", "leaky_relu_forward/backward", compare_leaky_relu),
    ("a2_convolucao", "zero_pad", compare_zero_pad),
    ("a2_convolucao", "conv_forward/backward", lambda rng: compare_conv(rng, stride=2, pad=1)),
    ("a2_convolucao", "count_conv/dense_params", compare_param_counts),
    ("a3_pooling", "pool_forward/backward (max)", compare_pool),
    ("a3_pooling", "pool_forward/backward (average)", lambda rng: compare_pool(rng, f=3, stride=1, mode="average")),
    ("a3_pooling", "global_pool, flatten", compare_global_pool_and_flatten),
    ("a4_backprop", "dense_forward/backward", compare_dense),
    ("a4_backprop", "mse_loss", compare_mse),
    ("a4_backprop", "binary_cross_entropy", compare_binary_cross_entropy),
    ("a4_backprop", "softmax_cross_entropy", compare_softmax_cross_entropy),
    ("a4_backprop", "numerical_gradient", compare_numerical_gradient),
    ("a4_backprop", "dropout_forward/backward", compare_dropout),
    ("a4_backprop", "sgd_step", compare_sgd),
    ("a4_backprop", "adam_step (5 steps)", compare_adam),
    ("a5_rnn_lstm", "rnn_cell_forward/backward", compare_rnn_cell),
    ("a5_rnn_lstm", "rnn_forward/backward", compare_rnn),
    ("a5_rnn_lstm", "lstm_cell_forward/backward", compare_lstm_cell),
    ("a5_rnn_lstm", "lstm_forward", compare_lstm),
]
