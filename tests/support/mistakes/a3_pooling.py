"""Realistic student code for a3_pooling: wrong implementations with the hint each must get, and
correct ones in styles of their own (see tests/support/mistakes/__init__.py)."""
from tests.support.mistakes import Correct, Mistake

A3 = "a3_pooling"


def pool_forward_loops(start="h * stride, w * stride", window="A_prev[i, vs:vs + f, hs:hs + f, c]",
                       average="np.mean(window)", default='"max"', keep_dtype=False):
    """A deeplearning.ai-style pool_forward (four nested loops) with one piece replaced."""
    dtype = ", dtype=A_prev.dtype" if keep_dtype else ""
    return f'''def pool_forward(A_prev, f, stride, mode={default}):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H = 1 + (n_H_prev - f) // stride
    n_W = 1 + (n_W_prev - f) // stride
    A = np.zeros((m, n_H, n_W, n_C){dtype})
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = {start}
                for c in range(n_C):
                    window = {window}
                    if mode == "max":
                        A[i, h, w, c] = np.max(window)
                    elif mode == "average":
                        A[i, h, w, c] = {average}
    cache = (A_prev, f, stride, mode)
    return A, cache'''


def pool_backward_loops(route="dA_prev[i, vs + r, hs + s, c] += dA[i, h, w, c]",
                        locate="r, s = np.unravel_index(np.argmax(window), window.shape)",
                        spread="dA_prev[i, vs:vs + f, hs:hs + f, c] += dA[i, h, w, c] / (f * f)",
                        zeros="np.zeros(A_prev.shape)"):
    """A deeplearning.ai-style pool_backward (four nested loops) with one piece replaced."""
    return f'''def pool_backward(dA, cache):
    A_prev, f, stride, mode = cache
    m, n_H, n_W, n_C = dA.shape
    dA_prev = {zeros}
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vs, hs = h * stride, w * stride
                    if mode == "max":
                        window = A_prev[i, vs:vs + f, hs:hs + f, c]
                        {locate}
                        {route}
                    else:
                        {spread}
    return dA_prev'''


# A pool_forward that crashes (a typo): pool_backward's tests then fall back to the documented cache.
BROKEN_POOL_FORWARD = pool_forward_loops(window="A_prev[i, vs:vs + F, hs:hs + f, c]")
# A right pool_forward that keeps the input's dtype in its cache (an int image stays int).
PLAIN_POOL_FORWARD = pool_forward_loops()

MISTAKES = [
    Mistake(A3, "pool_forward", "pool_forward-stride-ignored", pool_forward_loops(start="h, w"),
            hint="o stride foi ignorado", keep=(0.15, 0.3), why="the window starts at (h, w)"),
    Mistake(A3, "pool_forward", "pool_forward-window-as-step", pool_forward_loops(start="h * f, w * f"),
            hint="não o tamanho da janela f", keep=(0.4, 0.6), why="steps of f: right only when stride == f"),
    Mistake(A3, "pool_forward", "pool_forward-average-divides-by-f",
            pool_forward_loops(average="np.sum(window) / f"), hint="não por f", keep=(0.5, 0.65),
            why="the sum divided by the side of the window"),
    Mistake(A3, "pool_forward", "pool_forward-average-is-sum", pool_forward_loops(average="np.sum(window)"),
            hint="a média é a soma da janela dividida", keep=(0.5, 0.65), why="sum pooling for average"),
    Mistake(A3, "pool_forward", "pool_forward-every-channel",
            pool_forward_loops(window="A_prev[i, vs:vs + f, hs:hs + f, :]"),
            hint="cada canal é resumido separadamente", keep=(0.1, 0.35),
            why="the window takes every channel: one number for all of them"),
    Mistake(A3, "pool_forward", "pool_forward-average-by-default", pool_forward_loops(default='"average"'),
            hint='o padrão é mode="max"', keep=(0.9, 0.97), why="the wrong default mode"),
    Mistake(A3, "pool_backward", "pool_backward-ties-all-get-gradient",
            pool_backward_loops(locate="mask = window == np.max(window)",
                                route="dA_prev[i, vs:vs + f, hs:hs + f, c] += mask * dA[i, h, w, c]"),
            hint="convenção de empates", keep=(0.9, 0.97), why="the mask of the maximum: every tie gets the gradient"),
    Mistake(A3, "pool_backward", "pool_backward-ties-forward-broken",
            pool_backward_loops(locate="mask = window == np.max(window)",
                                route="dA_prev[i, vs:vs + f, hs:hs + f, c] += mask * dA[i, h, w, c]"),
            hint="convenção de empates", keep=(0.9, 0.97),
            why="the same tie slip, behind a pool_forward that crashes", cells={"pool_forward": BROKEN_POOL_FORWARD}),
    Mistake(A3, "pool_backward", "pool_backward-max-overwrites",
            pool_backward_loops(route="dA_prev[i, vs + r, hs + s, c] = dA[i, h, w, c]"),
            hint="use += em dA_prev", keep=(0.5, 0.8), why="= for +=: overlapping windows lose gradient"),
    Mistake(A3, "pool_backward", "pool_backward-average-divides-by-f",
            pool_backward_loops(spread="dA_prev[i, vs:vs + f, hs:hs + f, c] += dA[i, h, w, c] / f"),
            hint="não por f", keep=(0.4, 0.6), why="the side of the window for its area"),
    Mistake(A3, "pool_backward", "pool_backward-average-not-divided",
            pool_backward_loops(spread="dA_prev[i, vs:vs + f, hs:hs + f, c] += dA[i, h, w, c]"),
            hint="divida o gradiente de cada janela por f*f", keep=(0.4, 0.6),
            why="each position gets the whole gradient"),
    Mistake(A3, "pool_backward", "pool_backward-argmax-wrong-unravel",
            pool_backward_loops(locate="r, s = divmod(int(np.argmax(window)), stride)"),
            hint="vai inteiro para a posição do máximo", keep=(0.4, 0.75),
            why="the flat argmax split by the stride instead of the window's width"),
    Mistake(A3, "pool_backward", "pool_backward-int-zeros-like", pool_backward_loops(zeros="np.zeros_like(A_prev)"),
            hint="herdou o tipo inteiro", keep=(0.9, 0.99),
            why="np.zeros_like of an int image is int: the gradient's fractions are truncated",
            cells={"pool_forward": PLAIN_POOL_FORWARD}),
    Mistake(A3, "pool_backward", "pool_backward-int-zeros-like-mask",
            pool_backward_loops(zeros="np.zeros_like(A_prev)",
                                locate="mask = np.zeros(window.shape)\n                        "
                                       "mask.flat[np.argmax(window)] = 1",
                                route="dA_prev[i, vs:vs + f, hs:hs + f, c] += mask * dA[i, h, w, c]"),
            hint="inteiros", keep=(0.9, 0.99), why="the same int dA_prev: += of a float slice raises",
            cells={"pool_forward": PLAIN_POOL_FORWARD}),
]

CORRECT = [
    Correct(A3, "pool_forward", "pool_forward-sliding-window-view", '''def pool_forward(A_prev, f, stride, mode="max"):
    from numpy.lib.stride_tricks import sliding_window_view
    windows = sliding_window_view(A_prev, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    reduce = np.max if mode == "max" else np.mean
    return reduce(windows, axis=(-2, -1)), (A_prev, f, stride, mode)'''),
    Correct(A3, "pool_backward", "pool_backward-vectorised-argmax", '''def window_view(A, f, stride, n_H, n_W):
    """Every window of A as an array (m, n_H, n_W, n_C, f*f), row by row inside the window."""
    from numpy.lib.stride_tricks import sliding_window_view
    windows = sliding_window_view(A, (f, f), axis=(1, 2))[:, ::stride, ::stride][:, :n_H, :n_W]
    return windows.reshape(*windows.shape[:4], f * f)


def pool_backward(dA, cache):
    A_prev, f, stride, mode = cache
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    if mode == "max":
        winner = np.argmax(window_view(A_prev, f, stride, n_H, n_W), axis=-1)
    for r in range(f):
        for s in range(f):
            rows = slice(r, r + stride * (n_H - 1) + 1, stride)
            cols = slice(s, s + stride * (n_W - 1) + 1, stride)
            if mode == "max":
                dA_prev[:, rows, cols, :] += dA * (winner == r * f + s)
            else:
                dA_prev[:, rows, cols, :] += dA / (f * f)
    return dA_prev'''),
    Correct(A3, "global_pool", "global_pool-reshape", '''def global_pool(A, mode="max"):
    flat = A.reshape(A.shape[0], -1, A.shape[3])
    return flat.max(axis=1) if mode == "max" else flat.sum(axis=1) / flat.shape[1]'''),
]
