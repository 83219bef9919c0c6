"""Max, average and global pooling, flatten (assignment a3_pooling).

Images are channels-last, (m, n_H, n_W, n_C); pooling has no padding (Keras padding="valid").
"""
import numpy as np

from dlhelpers.validation import (
    as_float_array,
    require_choice,
    require_int,
    require_ndim,
    require_shape,
    require_window_fits,
)

def pool_forward(A_prev, f, stride, mode="max"):
    """
    Passo forward de uma camada de pooling: cada janela f x f de cada canal vira um único valor,
    o máximo (mode="max") ou a média (mode="average"). Sem padding.

    Entradas:
    - A_prev: ativações de entrada, shape (m, n_H_prev, n_W_prev, n_C).
    - f: tamanho da janela (f x f), inteiro >= 1.
    - stride: passo da janela, inteiro >= 1.
    - mode: "max" ou "average".

    Retorna uma tupla:
    - A: saída, shape (m, n_H, n_W, n_C), com n_H = floor((n_H_prev - f) / stride) + 1
      e n_W da mesma forma. O número de canais não muda.
    - cache: o que o passo backward precisa (A_prev, f, stride, mode).
    """
    A_prev = as_float_array(A_prev, "A_prev")
    require_ndim(A_prev, 4, "A_prev", "(m, n_H_prev, n_W_prev, n_C)")
    f = require_int(f, "f", minimum=1)
    stride = require_int(stride, "stride", minimum=1)
    require_choice(mode, ("max", "average"), "mode")
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    require_window_fits(n_H_prev, f, 0, "altura")
    require_window_fits(n_W_prev, f, 0, "largura")
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1

    # Visit the f*f positions of the window; each slice holds that position for every output.
    slices = [
        A_prev[:, i : i + stride * n_H : stride, j : j + stride * n_W : stride, :]
        for i in range(f)
        for j in range(f)
    ]
    if mode == "max":
        A = np.max(slices, axis=0)
    else:
        A = np.mean(slices, axis=0)
    cache = (A_prev, f, stride, mode)
    return A, cache


def pool_backward(dA, cache):
    """
    Passo backward de uma camada de pooling.
    - max: o gradiente de cada janela vai inteiro para a posição do máximo (em caso de empate,
      para a primeira, lendo a janela linha por linha, como no TensorFlow).
    - average: o gradiente de cada janela é dividido igualmente entre as f*f posições.
    Quando as janelas se sobrepõem (stride < f), as contribuições se somam.

    Entradas:
    - dA: gradiente em relação à saída A, shape (m, n_H, n_W, n_C).
    - cache: a tupla (A_prev, f, stride, mode) guardada por pool_forward.

    Retorna:
    - dA_prev: gradiente em relação a A_prev, shape (m, n_H_prev, n_W_prev, n_C).
    """
    A_prev, f, stride, mode = cache
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    dA = as_float_array(dA, "dA")
    require_shape(dA, (m, n_H, n_W, n_C), "dA")

    windows = [
        (slice(None), slice(i, i + stride * n_H, stride), slice(j, j + stride * n_W, stride))
        for i in range(f)
        for j in range(f)
    ]
    dA_prev = np.zeros_like(A_prev, dtype=np.result_type(A_prev, dA))
    if mode == "max":
        # argmax returns the first maximum, the tie rule of TensorFlow's max pooling.
        winner = np.argmax([A_prev[w] for w in windows], axis=0)
        for k, w in enumerate(windows):
            dA_prev[w] += dA * (winner == k)
    else:
        for w in windows:
            dA_prev[w] += dA / (f * f)
    return dA_prev


def global_pool(A, mode="max"):
    """
    Pooling global: resume cada mapa de ativação inteiro (cada canal) em um único número,
    o máximo ou a média sobre altura e largura.

    Entradas:
    - A: ativações, shape (m, n_H, n_W, n_C).
    - mode: "max" ou "average".

    Retorna:
    - out: array de shape (m, n_C).
    """
    A = as_float_array(A, "A")
    require_ndim(A, 4, "A", "(m, n_H, n_W, n_C)")
    require_choice(mode, ("max", "average"), "mode")
    if mode == "max":
        return A.max(axis=(1, 2))
    return A.mean(axis=(1, 2))


def flatten(A):
    """
    Achata cada exemplo em um vetor, linha por linha (a ordem de keras.layers.Flatten):
    primeiro os canais do pixel (0, 0), depois os do pixel (0, 1), e assim por diante.

    Entradas:
    - A: ativações, shape (m, n_H, n_W, n_C).

    Retorna:
    - out: array de shape (m, n_H * n_W * n_C).
    """
    A = as_float_array(A, "A")
    require_ndim(A, 4, "A", "(m, n_H, n_W, n_C)")
    return A.reshape(A.shape[0], -1)
