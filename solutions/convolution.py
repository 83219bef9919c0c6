"""Zero padding, convolution forward and backward, parameter counts (assignment a2_convolucao).

Layouts follow Keras: images (m, n_H, n_W, n_C), filters (f, f, n_C_prev, n_C), biases (n_C,);
sequences (m, L, C) and 1-D filters (f, C, K), as in Conv1D.
The convolution is a cross-correlation, as in ``tf.nn.conv2d``: the filter is not flipped.
"""
import numpy as np

from dlhelpers.validation import (
    as_float_array,
    require_int,
    require_ndim,
    require_shape,
    require_window_fits,
)


def zero_pad(X, pad):
    """
    Preenche com zeros a altura e a largura de um lote de imagens (as bordas de cada imagem).
    O número de exemplos e de canais não muda.

    Entradas:
    - X: array de shape (m, n_H, n_W, n_C), um lote de m imagens.
    - pad: inteiro >= 0, quantos zeros acrescentar em cada borda (cima, baixo, esquerda, direita).

    Retorna:
    - X_pad: array de shape (m, n_H + 2*pad, n_W + 2*pad, n_C).
    """
    X = as_float_array(X, "X")
    require_ndim(X, 4, "X", "(m, n_H, n_W, n_C)")
    pad = require_int(pad, "pad", minimum=0)
    return np.pad(X, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="constant")


def conv_output_size(n, f, pad=0, stride=1):
    """
    Tamanho da saída de uma convolução (ou pooling) ao longo de um eixo:
    floor((n + 2*pad - f) / stride) + 1.

    Entradas:
    - n: tamanho da entrada nesse eixo (altura ou largura).
    - f: tamanho da janela (filtro).
    - pad: zeros acrescentados em cada borda (padrão 0).
    - stride: passo da janela (padrão 1).

    Retorna:
    - n_out: int, o tamanho da saída nesse eixo.
    """
    n = require_int(n, "n", minimum=1)
    f = require_int(f, "f", minimum=1)
    pad = require_int(pad, "pad", minimum=0)
    stride = require_int(stride, "stride", minimum=1)
    require_window_fits(n, f, pad, "dimensão")
    return (n + 2 * pad - f) // stride + 1


def conv_single_step(a_slice_prev, W, b):
    """
    Aplica um filtro a uma única janela da entrada: multiplica elemento a elemento, soma tudo e
    acrescenta o bias.

    Entradas:
    - a_slice_prev: janela da entrada, shape (f, f, n_C_prev).
    - W: pesos de um filtro, shape (f, f, n_C_prev).
    - b: bias do filtro, um número (ou array com um único elemento).

    Retorna:
    - z: float, o valor de uma posição do mapa de ativação.
    """
    a_slice_prev = as_float_array(a_slice_prev, "a_slice_prev")
    W = as_float_array(W, "W")
    b = as_float_array(b, "b")
    require_ndim(a_slice_prev, 3, "a_slice_prev", "(f, f, n_C_prev)")
    require_shape(W, a_slice_prev.shape, "W")
    if b.size != 1:
        raise ValueError(f"`b` deve ser um único número (o bias de um filtro), mas tem shape {b.shape}.")
    return float(np.sum(a_slice_prev * W) + b.item())


def conv_forward(A_prev, W, b, stride=1, pad=0):
    """
    Passo forward de uma camada convolucional (correlação cruzada, como tf.nn.conv2d).

    Entradas:
    - A_prev: ativações da camada anterior, shape (m, n_H_prev, n_W_prev, n_C_prev).
    - W: filtros, shape (f, f, n_C_prev, n_C).
    - b: biases, shape (n_C,).
    - stride: passo da janela, inteiro >= 1.
    - pad: zeros em cada borda, inteiro >= 0.

    Retorna uma tupla:
    - Z: saída, shape (m, n_H, n_W, n_C), com
      n_H = floor((n_H_prev + 2*pad - f) / stride) + 1 e n_W da mesma forma.
    - cache: o que o passo backward precisa (A_prev, W, b, stride, pad).
    """
    A_prev = as_float_array(A_prev, "A_prev")
    W = as_float_array(W, "W")
    b = as_float_array(b, "b")
    require_ndim(A_prev, 4, "A_prev", "(m, n_H_prev, n_W_prev, n_C_prev)")
    require_ndim(W, 4, "W", "(f, f, n_C_prev, n_C)")
    f, _, _, n_C = W.shape
    require_shape(W, (f, f, A_prev.shape[3], None), "W")
    require_shape(b, (n_C,), "b")
    stride = require_int(stride, "stride", minimum=1)
    pad = require_int(pad, "pad", minimum=0)
    m, n_H_prev, n_W_prev, _ = A_prev.shape
    n_H = conv_output_size(n_H_prev, f, pad, stride)
    n_W = conv_output_size(n_W_prev, f, pad, stride)

    A_pad = zero_pad(A_prev, pad)
    Z = np.zeros((m, n_H, n_W, n_C), dtype=np.result_type(A_prev, W))
    # One matrix product per position (i, j) inside the window: the slice holds, for every
    # output pixel, the input pixel that meets filter weight W[i, j].
    for i in range(f):
        for j in range(f):
            rows = A_pad[:, i : i + stride * n_H : stride, j : j + stride * n_W : stride, :]
            Z += rows @ W[i, j]
    Z += b
    cache = (A_prev, W, b, stride, pad)
    return Z, cache


def conv_backward(dZ, cache):
    """
    Passo backward de uma camada convolucional.

    Entradas:
    - dZ: gradiente da perda em relação à saída Z, shape (m, n_H, n_W, n_C).
    - cache: a tupla (A_prev, W, b, stride, pad) guardada por conv_forward.

    Retorna uma tupla:
    - dA_prev: gradiente em relação a A_prev, shape (m, n_H_prev, n_W_prev, n_C_prev).
    - dW: gradiente em relação a W, shape (f, f, n_C_prev, n_C).
    - db: gradiente em relação a b, shape (n_C,).
    """
    A_prev, W, b, stride, pad = cache
    f = W.shape[0]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    n_H = conv_output_size(n_H_prev, f, pad, stride)
    n_W = conv_output_size(n_W_prev, f, pad, stride)
    dZ = as_float_array(dZ, "dZ")
    require_shape(dZ, (m, n_H, n_W, W.shape[3]), "dZ")

    A_pad = zero_pad(A_prev, pad)
    dA_pad = np.zeros_like(A_pad, dtype=np.result_type(A_pad, dZ))
    dW = np.zeros_like(W, dtype=np.result_type(W, dZ))
    # Same walk as the forward: each weight W[i, j] met one slice of the input.
    for i in range(f):
        for j in range(f):
            window = (slice(None), slice(i, i + stride * n_H, stride),
                      slice(j, j + stride * n_W, stride), slice(None))
            dW[i, j] = np.tensordot(A_pad[window], dZ, axes=([0, 1, 2], [0, 1, 2]))
            dA_pad[window] += dZ @ W[i, j].T
    db = dZ.sum(axis=(0, 1, 2))
    dA_prev = dA_pad[:, pad : pad + n_H_prev, pad : pad + n_W_prev, :]
    return dA_prev, dW, db


def conv1d_forward(x, w, b, stride=1, pad=0):
    """
    Passo forward de uma camada convolucional 1-D (correlação cruzada, como tf.nn.conv1d e a
    camada Conv1D do Keras): cada filtro desliza ao longo do comprimento da sequência.

    Entradas:
    - x: lote de sequências, shape (m, L, C): exemplos, comprimento (passos de tempo ou
      posições no texto) e canais (sinais medidos juntos, ou dimensões de um embedding).
    - w: filtros, shape (f, C, K): tamanho do filtro, canais da entrada e número de filtros
      (o formato do kernel de uma camada Conv1D do Keras).
    - b: biases, shape (K,), um por filtro.
    - stride: passo da janela, inteiro >= 1.
    - pad: zeros acrescentados no começo e no fim de cada sequência, inteiro >= 0.

    Retorna uma tupla:
    - out: saída, shape (m, L_out, K), com L_out = floor((L + 2*pad - f) / stride) + 1.
    - cache: a tupla (x, w, b, stride, pad).
    """
    x = as_float_array(x, "x")
    w = as_float_array(w, "w")
    b = as_float_array(b, "b")
    require_ndim(x, 3, "x", "(m, L, C)")
    require_ndim(w, 3, "w", "(f, C, K)")
    f, _, K = w.shape
    require_shape(w, (f, x.shape[2], K), "w")
    require_shape(b, (K,), "b")
    stride = require_int(stride, "stride", minimum=1)
    pad = require_int(pad, "pad", minimum=0)
    m, L, _ = x.shape
    L_out = conv_output_size(L, f, pad, stride)

    x_pad = np.pad(x, ((0, 0), (pad, pad), (0, 0)), mode="constant")
    out = np.zeros((m, L_out, K), dtype=np.result_type(x, w))
    # One matrix product per filter position i: the slice holds, for every output step, the
    # input step that meets the weights w[i] (C, K).
    for i in range(f):
        out += x_pad[:, i : i + stride * L_out : stride, :] @ w[i]
    out += b
    cache = (x, w, b, stride, pad)
    return out, cache


def count_conv_params(f, n_C_prev, n_C, bias=True):
    """
    Número de parâmetros treináveis de uma camada Conv2D com n_C filtros f x f.

    Entradas:
    - f: tamanho do filtro (f x f).
    - n_C_prev: canais da entrada.
    - n_C: número de filtros (canais da saída).
    - bias: se a camada tem um bias por filtro (padrão True).

    Retorna:
    - n_params: int, f*f*n_C_prev*n_C, mais n_C se houver bias.
    """
    f = require_int(f, "f", minimum=1)
    n_C_prev = require_int(n_C_prev, "n_C_prev", minimum=1)
    n_C = require_int(n_C, "n_C", minimum=1)
    return f * f * n_C_prev * n_C + (n_C if bias else 0)


def count_dense_params(n_in, n_out, bias=True):
    """
    Número de parâmetros treináveis de uma camada densa (totalmente conectada).

    Entradas:
    - n_in: número de entradas.
    - n_out: número de neurônios (saídas).
    - bias: se cada neurônio tem bias (padrão True).

    Retorna:
    - n_params: int, n_in*n_out, mais n_out se houver bias.
    """
    n_in = require_int(n_in, "n_in", minimum=1)
    n_out = require_int(n_out, "n_out", minimum=1)
    return n_in * n_out + (n_out if bias else 0)
