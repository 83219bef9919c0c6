"""Realistic student code for a5_rnn_lstm: RNN and LSTM cells, their backward passes and the
sequences (BPTT) (see tests/support/mistakes/__init__.py)."""
from tests.support.mistakes import Correct, Mistake

A5 = "a5_rnn_lstm"

STUB = {
    "rnn_cell_forward": "def rnn_cell_forward(x_t, h_prev, Wx, Wh, b):\n    raise NotImplementedError()\n",
    "lstm_cell_forward": "def lstm_cell_forward(x_t, h_prev, c_prev, Wx, Wh, b):\n    raise NotImplementedError()\n",
}


def mistake(function, name, source, hint, keep, why, cells=None):
    return Mistake(A5, function, f"{function}-{name}", source, hint, keep, why, cells or {})


def correct(function, name, source, cells=None):
    return Correct(A5, function, f"{function}-{name}", source, cells or {})


MISTAKES = [
    # --- RNN cell ------------------------------------------------------------------------------
    mistake("rnn_cell_forward", "sigmoid", '''def rnn_cell_forward(x_t, h_prev, Wx, Wh, b):
    a = x_t @ Wx + h_prev @ Wh + b
    h_next = 1 / (1 + np.exp(-a))
    return h_next, (x_t, h_prev, Wx, Wh, h_next)
''', "é tanh, não sigmoide", (0.0, 0.05), "the logistic activation of the slides' first neuron"),
    mistake("rnn_cell_backward", "tanh-applied-twice", '''def rnn_cell_backward(dh_next, cache):
    x_t, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - np.tanh(h_next) ** 2)
    return da @ Wx.T, da @ Wh.T, x_t.T @ da, h_prev.T @ da, da.sum(axis=0)
''', "sem aplicar tanh de novo", (0.0, 0.05), "1 - tanh(h)**2 where h is already tanh(a)"),
    mistake("rnn_cell_backward", "no-tanh-derivative", '''def rnn_cell_backward(dh_next, cache):
    x_t, h_prev, Wx, Wh, h_next = cache
    dx_t = dh_next @ Wx.T
    dh_prev = dh_next @ Wh.T
    dWx = x_t.T @ dh_next
    dWh = h_prev.T @ dh_next
    db = np.sum(dh_next, axis=0)
    return dx_t, dh_prev, dWx, dWh, db
''', "derivada da tanh", (0.0, 0.05), "backward of a linear cell: the activation forgotten"),
    mistake("rnn_cell_backward", "Wh-not-transposed", '''def rnn_cell_backward(dh_next, cache):
    x_t, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_next * h_next)
    dx_t = np.dot(da, Wx.T)
    dh_prev = np.dot(da, Wh)
    dWx = np.dot(x_t.T, da)
    dWh = np.dot(h_prev.T, da)
    db = da.sum(0)
    return dx_t, dh_prev, dWx, dWh, db
''', "Wh transposta", (0.0, 0.3), "Wh is square, so the missing transpose raises nothing"),
    mistake("rnn_cell_backward", "db-mean-with-stub-forward", '''def rnn_cell_backward(dh_next, cache):
    x_t, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_next**2)
    return da @ Wx.T, da @ Wh.T, x_t.T @ da, h_prev.T @ da, da.mean(axis=0)
''', "SOMA de da sobre os exemplos", (0.1, 0.4),
        "db averaged over the batch while the forward is still a stub: reported all the same",
        cells={"rnn_cell_forward": STUB["rnn_cell_forward"]}),
    # --- RNN over a sequence -------------------------------------------------------------------
    mistake("rnn_forward", "stores-h-prev", '''def rnn_forward(x, h0, Wx, Wh, b):
    m, T, D = x.shape
    h = np.zeros((m, T, h0.shape[1]))
    caches = []
    h_t = h0
    for t in range(T):
        h[:, t] = h_t
        h_t, cache = rnn_cell_forward(x[:, t], h_t, Wx, Wh, b)
        caches.append(cache)
    return h, caches
''', "estado DEPOIS do passo t", (0.0, 0.06), "the state saved before the step instead of after it"),
    mistake("rnn_backward", "dh-next-ignored", '''def rnn_backward(dh, cache):
    T = len(cache)
    x_t, h_prev, Wx, Wh, h_next = cache[0]
    m, D = x_t.shape
    dx = np.zeros((m, T, D))
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(Wh.shape[0])
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_cell_backward(dh[:, t], cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
''', "o gradiente que vem do passo t+1", (0.15, 0.35), "BPTT without the gradient that flows back from step t+1"),
    mistake("rnn_backward", "weights-not-accumulated", '''def rnn_backward(dh, cache):
    T = len(cache)
    dh_next = np.zeros_like(dh[:, 0])
    dx = []
    for t in range(T - 1, -1, -1):
        dx_t, dh_next, dWx, dWh, db = rnn_cell_backward(dh[:, t] + dh_next, cache[t])
        dx.insert(0, dx_t)
    return np.stack(dx, axis=1), dh_next, dWx, dWh, db
''', "some (+=) os gradientes dos pesos", (0.15, 0.35), "= instead of +=: only the first step's weight gradients"),
    mistake("rnn_backward", "dh-next-ignored-with-stub-cell", '''def rnn_backward(dh, caches):
    m, T, H = dh.shape
    Wx = caches[0][2]
    dx = np.zeros((m, T, Wx.shape[0]))
    dWx, dWh, db = 0, 0, 0
    for t in reversed(range(T)):
        dx[:, t], dh0, gx, gh, gb = rnn_cell_backward(dh[:, t], caches[t])
        dWx, dWh, db = dWx + gx, dWh + gh, db + gb
    return dx, dh0, dWx, dWh, db
''', "o gradiente que vem do passo t+1", (0.15, 0.35),
        "the same BPTT bug while rnn_cell_forward (so rnn_forward) still raises: reported all the same",
        cells={"rnn_cell_forward": STUB["rnn_cell_forward"]}),
    mistake("rnn_backward", "int-accumulators", '''def rnn_backward(dh, cache):
    m, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.zeros((m, T, D))
    dWx = np.zeros((D, H), dtype=int)
    dWh = np.zeros((H, H), dtype=int)
    db = np.zeros(H, dtype=int)
    dh_next = np.zeros((m, H))
    for t in reversed(range(T)):
        dx[:, t], dh_next, dWx_t, dWh_t, db_t = rnn_cell_backward(dh[:, t] + dh_next, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_next, dWx, dWh, db
''', "inteiros", (0.0, 0.05), "integer zeros as accumulators: += of floats cannot cast"),
    mistake("rnn_backward", "dh-prev-uninitialised", '''def rnn_backward(dh, cache):
    m, T, H = dh.shape
    dx = np.zeros((m, T, cache[0][0].shape[1]))
    dWx = np.zeros_like(cache[0][2])
    dWh = np.zeros_like(cache[0][3])
    db = np.zeros(H)
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_cell_backward(dh[:, t] + dh_prev, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
''', "antes de receber um valor", (0.0, 0.05), "the carried gradient read before the loop ever set it"),
    mistake("rnn_backward", "loop-off-by-one", '''def rnn_backward(dh, cache):
    m, T, H = dh.shape
    dx = np.zeros((m, T, cache[0][0].shape[1]))
    dWx, dWh, db = np.zeros_like(cache[0][2]), np.zeros_like(cache[0][3]), np.zeros(H)
    dh_next = np.zeros((m, H))
    for t in range(T, 0, -1):
        dx[:, t], dh_next, a, b_, c = rnn_cell_backward(dh[:, t] + dh_next, cache[t])
        dWx += a
        dWh += b_
        db += c
    return dx, dh_next, dWx, dWh, db
''', "fora dos limites", (0.0, 0.05), "range(T, 0, -1): starts one past the last step"),
    # --- LSTM ----------------------------------------------------------------------------------
    mistake("lstm_cell_forward", "gates-i-f-o-g", '''def lstm_cell_forward(x_t, h_prev, c_prev, Wx, Wh, b):
    H = h_prev.shape[1]
    z = x_t @ Wx + h_prev @ Wh + b
    sig = lambda v: 1 / (1 + np.exp(-v))
    i = sig(z[:, :H])
    f = sig(z[:, H:2 * H])
    o = sig(z[:, 2 * H:3 * H])
    g = np.tanh(z[:, 3 * H:])
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    return h_next, c_next, (x_t, h_prev, c_prev, Wx, Wh, i, f, g, o, c_next)
''', "ordem das portas", (0.0, 0.1), "the i, f, o, g order of CS231n instead of Keras's i, f, c, o"),
    mistake("lstm_cell_forward", "forget-on-candidate", '''def lstm_cell_forward(x_t, h_prev, c_prev, Wx, Wh, b):
    z_i, z_f, z_c, z_o = np.split(x_t @ Wx + h_prev @ Wh + b, 4, axis=1)
    i, f, o = [1 / (1 + np.exp(-z)) for z in (z_i, z_f, z_o)]
    g = np.tanh(z_c)
    c_next = i * c_prev + f * g
    h_next = o * np.tanh(c_next)
    return h_next, c_next, (x_t, h_prev, c_prev, Wx, Wh, i, f, g, o, c_next)
''', "esquecimento", (0.0, 0.1), "the forget gate on the new candidate, the input gate on the old memory"),
    mistake("lstm_cell_backward", "one-path-to-c", '''def lstm_cell_backward(dh_next, dc_next, cache):
    x_t, h_prev, c_prev, Wx, Wh, i, f, g, o, c_next = cache
    do = dh_next * np.tanh(c_next)
    dc = dc_next
    dz = np.concatenate([dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g**2),
                         do * o * (1 - o)], axis=1)
    return dz @ Wx.T, dz @ Wh.T, dc * f, x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)
''', "dois caminhos", (0.2, 0.4), "dc from dc_next only: the path through h_next = o * tanh(c_next) forgotten"),
    mistake("lstm_cell_backward", "dz-order-i-f-o-g-with-stub-forward", '''def lstm_cell_backward(dh_next, dc_next, cache):
    x_t, h_prev, c_prev, Wx, Wh, i, f, g, o, c_next = cache
    tc = np.tanh(c_next)
    dc = dc_next + dh_next * o * (1 - tc**2)
    di = dc * g * i * (1 - i)
    df = dc * c_prev * f * (1 - f)
    do = dh_next * tc * o * (1 - o)
    dg = dc * i * (1 - g**2)
    dz = np.hstack([di, df, do, dg])
    return dz @ Wx.T, dz @ Wh.T, dc * f, x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)
''', "junte dz na ordem das portas do Keras", (0.0, 0.2),
        "dz stacked in CS231n's order while the forward is still a stub: reported all the same",
        cells={"lstm_cell_forward": STUB["lstm_cell_forward"]}),
    mistake("lstm_forward", "memory-not-carried", '''def lstm_forward(x, h0, c0, Wx, Wh, b):
    m, T, _ = x.shape
    h = np.zeros((m, T, h0.shape[1]))
    caches = []
    h_t = h0
    for t in range(T):
        h_t, c_t, cache = lstm_cell_forward(x[:, t], h_t, c0, Wx, Wh, b)
        h[:, t] = h_t
        caches.append(cache)
    return h, caches
''', "passe a memória adiante", (0.1, 0.4), "every step starts from c0: the cell state never flows"),
    mistake("lstm_forward", "unpacks-two", '''def lstm_forward(x, h0, c0, Wx, Wh, b):
    m, T, _ = x.shape
    h = np.zeros((m, T, h0.shape[1]))
    caches = []
    h_t, c_t = h0, c0
    for t in range(T):
        h_t, cache = lstm_cell_forward(x[:, t], h_t, c_t, Wx, Wh, b)
        h[:, t] = h_t
        caches.append(cache)
    return h, caches
''', "desempacotar", (0.0, 0.05), "the RNN loop copied: lstm_cell_forward returns three values, not two"),
]

CORRECT = [
    correct("rnn_cell_backward", "derivative-from-cache-names", '''def rnn_cell_backward(dh_next, cache):
    x_t, h_prev, Wx, Wh, h_next = cache
    slope = 1.0 - np.square(h_next)
    grad_a = np.multiply(dh_next, slope)
    return (np.matmul(grad_a, Wx.T), np.matmul(grad_a, Wh.T), np.matmul(x_t.T, grad_a),
            np.matmul(h_prev.T, grad_a), grad_a.sum(axis=0))
'''),
    correct("rnn_backward", "inline-bptt", '''def rnn_backward(dh, cache):
    m, T, H = dh.shape
    grads_x = [None] * T
    dWx = dWh = db = 0.0
    carried = np.zeros((m, H))
    for t in range(T - 1, -1, -1):
        x_t, h_prev, Wx, Wh, h_next = cache[t]
        da = (dh[:, t] + carried) * (1 - h_next ** 2)
        grads_x[t] = da.dot(Wx.T)
        carried = da.dot(Wh.T)
        dWx = dWx + x_t.T.dot(da)
        dWh = dWh + h_prev.T.dot(da)
        db = db + da.sum(axis=0)
    return np.stack(grads_x, axis=1), carried, dWx, dWh, db
'''),
    correct("rnn_backward", "cells-with-stub-cell-forward", '''def rnn_backward(dh, cache):
    T = dh.shape[1]
    dx_steps = []
    dh_prev = np.zeros_like(dh[:, 0, :])
    totals = None
    for t in reversed(range(T)):
        dx_t, dh_prev, *weights = rnn_cell_backward(dh[:, t, :] + dh_prev, cache[t])
        totals = weights if totals is None else [a + w for a, w in zip(totals, weights)]
        dx_steps.append(dx_t)
    return (np.stack(dx_steps[::-1], axis=1), dh_prev, *totals)
''', cells={"rnn_cell_forward": STUB["rnn_cell_forward"]}),
    correct("lstm_cell_backward", "per-gate-blocks", '''def lstm_cell_backward(dh_next, dc_next, cache):
    x_t, h_prev, c_prev, Wx, Wh, i, f, g, o, c_next = cache
    H = h_prev.shape[1]
    tanh_c = np.tanh(c_next)
    dc = dc_next + dh_next * o * (1 - tanh_c ** 2)
    blocks = {
        0: dc * g * i * (1 - i),
        1: dc * c_prev * f * (1 - f),
        2: dc * i * (1 - g ** 2),
        3: dh_next * tanh_c * o * (1 - o),
    }
    dz = np.empty((h_prev.shape[0], 4 * H))
    for k, block in blocks.items():
        dz[:, k * H:(k + 1) * H] = block
    return dz @ Wx.T, dz @ Wh.T, dc * f, x_t.T @ dz, h_prev.T @ dz, dz.sum(axis=0)
'''),
    correct("lstm_cell_forward", "stacked-gates-keras-sigmoid", '''def lstm_cell_forward(x_t, h_prev, c_prev, Wx, Wh, b):
    z = np.dot(x_t, Wx) + np.dot(h_prev, Wh) + b
    H = h_prev.shape[-1]
    gates = z.reshape(z.shape[0], 4, H)
    i, f, o = (0.5 * (1 + np.tanh(0.5 * gates[:, k])) for k in (0, 1, 3))
    g = np.tanh(gates[:, 2])
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    return h_next, c_next, (x_t, h_prev, c_prev, Wx, Wh, i, f, g, o, c_next)
'''),
    correct("lstm_cell_backward", "with-stub-forward", '''def lstm_cell_backward(dh_next, dc_next, cache):
    x_t, h_prev, c_prev, Wx, Wh, i, f, g, o, c_next = cache
    t = np.tanh(c_next)
    dc = dc_next + dh_next * o * (1 - t * t)
    dz = np.concatenate((dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g * g),
                         dh_next * t * o * (1 - o)), axis=1)
    return dz.dot(Wx.T), dz.dot(Wh.T), dc * f, x_t.T.dot(dz), h_prev.T.dot(dz), dz.sum(0)
''', cells={"lstm_cell_forward": STUB["lstm_cell_forward"]}),
]
