"""RNN and LSTM cells and sequences (assignment a5_rnn_lstm).

Sequences are batch-major, (m, T, D). Weights use the Keras layout: SimpleRNNCell kernel (D, H),
recurrent kernel (H, H), bias (H,); LSTMCell kernel (D, 4H), recurrent kernel (H, 4H), bias (4H,)
with the gates stacked in the order i, f, c, o.
"""
import numpy as np

from dlhelpers.validation import as_float_array, require_ndim, require_shape, sequence_inputs


def rnn_cell_forward(x_t, h_prev, Wx, Wh, b):
    """
    Um passo de tempo de uma célula RNN simples: h_next = tanh(x_t @ Wx + h_prev @ Wh + b).
    O novo estado mistura a entrada atual com a memória do passo anterior.

    Entradas:
    - x_t: entrada do passo t, shape (m, D).
    - h_prev: estado anterior, shape (m, H).
    - Wx: pesos da entrada (kernel), shape (D, H).
    - Wh: pesos recorrentes (recurrent kernel), shape (H, H).
    - b: biases, shape (H,).

    Retorna uma tupla:
    - h_next: novo estado, shape (m, H).
    - cache: o que o passo backward precisa (x_t, h_prev, Wx, Wh, h_next).
    """
    x_t = as_float_array(x_t, "x_t")
    h_prev = as_float_array(h_prev, "h_prev")
    Wx = as_float_array(Wx, "Wx")
    Wh = as_float_array(Wh, "Wh")
    b = as_float_array(b, "b")
    require_ndim(x_t, 2, "x_t", "(m, D)")
    require_shape(Wx, (x_t.shape[1], None), "Wx")
    hidden = Wx.shape[1]
    require_shape(h_prev, (x_t.shape[0], hidden), "h_prev")
    require_shape(Wh, (hidden, hidden), "Wh")
    require_shape(b, (hidden,), "b")
    h_next = np.tanh(x_t @ Wx + h_prev @ Wh + b)
    cache = (x_t, h_prev, Wx, Wh, h_next)
    return h_next, cache


def rnn_cell_backward(dh_next, cache):
    """
    Passo backward de uma célula RNN simples (um passo de tempo).
    Lembre: a derivada de tanh(a) é 1 - tanh(a)**2.

    Entradas:
    - dh_next: gradiente da perda em relação a h_next, shape (m, H).
    - cache: a tupla (x_t, h_prev, Wx, Wh, h_next) guardada por rnn_cell_forward.

    Retorna uma tupla:
    - dx_t: gradiente em relação a x_t, shape (m, D).
    - dh_prev: gradiente em relação a h_prev, shape (m, H).
    - dWx: gradiente em relação a Wx, shape (D, H).
    - dWh: gradiente em relação a Wh, shape (H, H).
    - db: gradiente em relação a b, shape (H,).
    """
    x_t, h_prev, Wx, Wh, h_next = cache
    dh_next = as_float_array(dh_next, "dh_next")
    require_shape(dh_next, h_next.shape, "dh_next")
    da = dh_next * (1 - h_next**2)
    dx_t = da @ Wx.T
    dh_prev = da @ Wh.T
    dWx = x_t.T @ da
    dWh = h_prev.T @ da
    db = da.sum(axis=0)
    return dx_t, dh_prev, dWx, dWh, db


def rnn_forward(x, h0, Wx, Wh, b):
    """
    Passa uma sequência inteira por uma RNN simples, aplicando rnn_cell_forward em cada passo de
    tempo com os mesmos pesos (os pesos são compartilhados ao longo do tempo).

    Entradas:
    - x: sequência de entrada, shape (m, T, D).
    - h0: estado inicial, shape (m, H).
    - Wx: pesos da entrada, shape (D, H).
    - Wh: pesos recorrentes, shape (H, H).
    - b: biases, shape (H,).

    Retorna uma tupla:
    - h: estados de todos os passos, shape (m, T, H); h[:, t] é o estado depois do passo t.
    - cache: o que o passo backward precisa (a lista dos caches de cada passo).
    """
    x, h0 = sequence_inputs(x, h0)
    m, T, _ = x.shape
    h = np.zeros((m, T, h0.shape[1]), dtype=np.result_type(x, h0, Wx, Wh, b))
    caches = []
    h_t = h0
    for t in range(T):
        h_t, cache_t = rnn_cell_forward(x[:, t], h_t, Wx, Wh, b)
        h[:, t] = h_t
        caches.append(cache_t)
    return h, caches


def rnn_backward(dh, cache):
    """
    Retropropagação através do tempo (BPTT) de uma RNN simples. O estado do passo t recebe
    gradiente de dois lados: da perda naquele passo (dh[:, t]) e do passo t+1, que o usou como
    h_prev. Os gradientes dos pesos são somados sobre todos os passos.

    Entradas:
    - dh: gradiente da perda em relação a todos os estados, shape (m, T, H).
    - cache: a lista de caches devolvida por rnn_forward.

    Retorna uma tupla:
    - dx: gradiente em relação a x, shape (m, T, D).
    - dh0: gradiente em relação ao estado inicial h0, shape (m, H).
    - dWx: gradiente em relação a Wx, shape (D, H).
    - dWh: gradiente em relação a Wh, shape (H, H).
    - db: gradiente em relação a b, shape (H,).
    """
    caches = cache
    dh = as_float_array(dh, "dh")
    _, h_prev_0, Wx, Wh, _ = caches[0]
    m, T, hidden = len(h_prev_0), len(caches), Wh.shape[0]
    require_shape(dh, (m, T, hidden), "dh")
    dx = np.zeros((m, T, Wx.shape[0]), dtype=np.result_type(dh, Wx))
    dWx = np.zeros_like(Wx, dtype=dx.dtype)
    dWh = np.zeros_like(Wh, dtype=dx.dtype)
    db = np.zeros(hidden, dtype=dx.dtype)
    dh_from_next_step = np.zeros((m, hidden), dtype=dx.dtype)
    for t in reversed(range(T)):
        dx[:, t], dh_from_next_step, dWx_t, dWh_t, db_t = rnn_cell_backward(
            dh[:, t] + dh_from_next_step, caches[t]
        )
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    dh0 = dh_from_next_step
    return dx, dh0, dWx, dWh, db


def lstm_cell_forward(x_t, h_prev, c_prev, Wx, Wh, b):
    """
    Um passo de tempo de uma célula LSTM (as portas na ordem do Keras: i, f, c, o):
        z = x_t @ Wx + h_prev @ Wh + b            shape (m, 4H), dividido em 4 blocos de H
        i = sigmoid(z_i)    porta de entrada: quanto do candidato entra na memória
        f = sigmoid(z_f)    porta de esquecimento: quanto da memória antiga fica
        g = tanh(z_c)       candidato a nova memória
        o = sigmoid(z_o)    porta de saída: quanto da memória vira estado
        c_next = f * c_prev + i * g
        h_next = o * tanh(c_next)

    Entradas:
    - x_t: entrada do passo t, shape (m, D).
    - h_prev: estado oculto anterior, shape (m, H).
    - c_prev: memória (estado da célula) anterior, shape (m, H).
    - Wx: pesos da entrada, shape (D, 4H).
    - Wh: pesos recorrentes, shape (H, 4H).
    - b: biases, shape (4H,).

    Retorna uma tupla:
    - h_next: novo estado oculto, shape (m, H).
    - c_next: nova memória, shape (m, H).
    - cache: o que o passo backward precisa.
    """
    x_t = as_float_array(x_t, "x_t")
    h_prev = as_float_array(h_prev, "h_prev")
    c_prev = as_float_array(c_prev, "c_prev")
    Wx = as_float_array(Wx, "Wx")
    Wh = as_float_array(Wh, "Wh")
    b = as_float_array(b, "b")
    require_ndim(x_t, 2, "x_t", "(m, D)")
    require_ndim(h_prev, 2, "h_prev", "(m, H)")
    m, hidden = h_prev.shape
    require_shape(c_prev, (m, hidden), "c_prev")
    require_shape(Wx, (x_t.shape[1], 4 * hidden), "Wx")
    require_shape(Wh, (hidden, 4 * hidden), "Wh")
    require_shape(b, (4 * hidden,), "b")

    z = x_t @ Wx + h_prev @ Wh + b
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=1)
    # sigmoid(z) = (1 + tanh(z / 2)) / 2: the same function, with no overflow for large |z|.
    i = (1 + np.tanh(z_i / 2)) / 2
    f = (1 + np.tanh(z_f / 2)) / 2
    g = np.tanh(z_c)
    o = (1 + np.tanh(z_o / 2)) / 2
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    cache = (x_t, h_prev, c_prev, Wx, Wh, i, f, g, o, c_next)
    return h_next, c_next, cache


def lstm_cell_backward(dh_next, dc_next, cache):
    """
    Passo backward de uma célula LSTM (um passo de tempo).
    A memória c_next recebe gradiente por dois caminhos: direto (dc_next) e através de
    h_next = o * tanh(c_next).

    Entradas:
    - dh_next: gradiente em relação a h_next, shape (m, H).
    - dc_next: gradiente em relação a c_next, shape (m, H).
    - cache: o cache guardado por lstm_cell_forward.

    Retorna uma tupla:
    - dx_t: gradiente em relação a x_t, shape (m, D).
    - dh_prev: gradiente em relação a h_prev, shape (m, H).
    - dc_prev: gradiente em relação a c_prev, shape (m, H).
    - dWx: gradiente em relação a Wx, shape (D, 4H).
    - dWh: gradiente em relação a Wh, shape (H, 4H).
    - db: gradiente em relação a b, shape (4H,).
    """
    x_t, h_prev, c_prev, Wx, Wh, i, f, g, o, c_next = cache
    dh_next = as_float_array(dh_next, "dh_next")
    dc_next = as_float_array(dc_next, "dc_next")
    require_shape(dh_next, c_next.shape, "dh_next")
    require_shape(dc_next, c_next.shape, "dc_next")

    tanh_c = np.tanh(c_next)
    do = dh_next * tanh_c
    dc = dc_next + dh_next * o * (1 - tanh_c**2)
    di = dc * g
    df = dc * c_prev
    dg = dc * i
    dc_prev = dc * f
    dz = np.concatenate(
        [di * i * (1 - i), df * f * (1 - f), dg * (1 - g**2), do * o * (1 - o)], axis=1
    )
    dx_t = dz @ Wx.T
    dh_prev = dz @ Wh.T
    dWx = x_t.T @ dz
    dWh = h_prev.T @ dz
    db = dz.sum(axis=0)
    return dx_t, dh_prev, dc_prev, dWx, dWh, db


def lstm_forward(x, h0, c0, Wx, Wh, b):
    """
    Passa uma sequência inteira por uma LSTM, aplicando lstm_cell_forward em cada passo de tempo
    com os mesmos pesos.

    Entradas:
    - x: sequência de entrada, shape (m, T, D).
    - h0: estado oculto inicial, shape (m, H).
    - c0: memória inicial, shape (m, H).
    - Wx: pesos da entrada, shape (D, 4H).
    - Wh: pesos recorrentes, shape (H, 4H).
    - b: biases, shape (4H,).

    Retorna uma tupla:
    - h: estados ocultos de todos os passos, shape (m, T, H).
    - cache: a lista dos caches de cada passo.
    """
    x, h0 = sequence_inputs(x, h0)
    m, T, _ = x.shape
    h = np.zeros((m, T, h0.shape[1]), dtype=np.result_type(x, h0, Wx, Wh, b))
    caches = []
    h_t, c_t = h0, c0
    for t in range(T):
        h_t, c_t, cache_t = lstm_cell_forward(x[:, t], h_t, c_t, Wx, Wh, b)
        h[:, t] = h_t
        caches.append(cache_t)
    return h, caches
