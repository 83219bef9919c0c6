"""A held-out corpus of forward/backward couplings: a student's forward whose output is right but
whose cache is not the documented one (wrong order, a field missing, the padded input, a dict, an
input changed before caching...), alone or with a backward written for that cache. Each entry is
the reference cells with a few lines edited, and its verdict: the backward keeps every point, the
forward keeps every point but its ``test_cache``, which fails (with ``hint``) unless the
student's backward reads that cache. tests/e2e/test_couplings.py grades every entry.
"""
from __future__ import annotations

from dataclasses import dataclass, field

Edit = tuple[str, str]  # (a line of the reference cell, what replaces it)


@dataclass(frozen=True)
class Coupling:
    assignment: str
    forward: str
    name: str                                # short id: "conv-cache-order"
    forward_edits: tuple[Edit, ...]
    cache_test_passes: bool                  # the forward's test_cache verdict
    hint: str = ""                           # a piece of the test_cache message when it fails
    backward_edits: tuple[Edit, ...] = ()    # the student's own backward, written for that cache
    why: str = ""                            # what students do (English)
    extra: dict[str, tuple[Edit, ...]] = field(default_factory=dict)  # other cells edited too

    @property
    def backward(self) -> str:
        return self.forward.replace("forward", "backward")


A1, A2, A3, A4, A5 = "a1_ativacoes", "a2_convolucao", "a3_pooling", "a4_backprop", "a5_rnn_lstm"

CONV_CACHE = "    cache = (A_prev, W, b, stride, pad)"
CONV_UNPACK = "    A_prev, W, b, stride, pad = cache"
POOL_CACHE = "    cache = (A_prev, f, stride, mode)"
POOL_UNPACK = "    A_prev, f, stride, mode = cache"
RNN_CELL_CACHE = "    cache = (x_t, h_prev, Wx, Wh, h_next)"
LSTM_CELL_CACHE = "    cache = (x_t, h_prev, c_prev, Wx, Wh, i, f, g, o, c_next)"
LSTM_CELL_UNPACK = "    x_t, h_prev, c_prev, Wx, Wh, i, f, g, o, c_next = cache"

COUPLINGS = [
    # --- a1: ReLU and leaky ReLU ---------------------------------------------------------------
    Coupling(A1, "relu_forward", "relu-cache-none", (("    cache = x", "    cache = None"),), False,
             "é None", why="returns (out, None): 'the backward can recompute it'"),
    Coupling(A1, "relu_forward", "relu-cache-one-tuple-own-backward", (("    cache = x", "    cache = (x,)"),), True,
             backward_edits=(("    x = cache", "    (x,) = cache"),), why="a one-element tuple, unpacked as such"),
    Coupling(A1, "relu_forward", "relu-cache-tuple-reference-backward", (("    cache = x", "    cache = (x,)"),),
             False, "shape (1, 3, 4)", why="a one-element tuple the documented backward cannot read"),
    Coupling(A1, "leaky_relu_forward", "leaky-cache-without-alpha", (("    cache = (x, alpha)", "    cache = x"),),
             False, "o contrato pede a tupla (x, alpha)", why="alpha left out: 'it is a default argument'"),
    Coupling(A1, "leaky_relu_forward", "leaky-cache-swapped", (("    cache = (x, alpha)", "    cache = (alpha, x)"),),
             False, "fora de ordem", why="the two fields in the other order"),
    # --- a2: convolution -----------------------------------------------------------------------
    Coupling(A2, "conv_forward", "conv-cache-none", ((CONV_CACHE, "    cache = None"),), False, "é None",
             why="returns (Z, None)"),
    Coupling(A2, "conv_forward", "conv-cache-order", ((CONV_CACHE, "    cache = (W, A_prev, b, stride, pad)"),), False,
             "fora de ordem", why="weights first, as in Keras' layer.get_weights()"),
    Coupling(A2, "conv_forward", "conv-cache-without-pad", ((CONV_CACHE, "    cache = (A_prev, W, b, stride)"),), False,
             "com 5 elementos", why="pad left out"),
    Coupling(A2, "conv_forward", "conv-cache-padded-input", ((CONV_CACHE, "    cache = (A_pad, W, b, stride, pad)"),),
             False, "entrada com padding", why="the padded input stored instead of the input"),
    Coupling(A2, "conv_forward", "conv-cache-dict-own-backward",
             ((CONV_CACHE, '    cache = {"A_prev": A_prev, "W": W, "b": b, "stride": stride, "pad": pad}'),), True,
             backward_edits=((CONV_UNPACK, '    A_prev, W, b, stride, pad = (cache[k] for k in ("A_prev", "W", "b", '
                                           '"stride", "pad"))'),),
             why="a dict cache, read by the student's own backward"),
    Coupling(A2, "conv_forward", "conv-cache-dict-reference-backward",
             ((CONV_CACHE, '    cache = {"A_prev": A_prev, "W": W, "b": b, "stride": stride, "pad": pad}'),), False,
             "é um dict", why="a dict cache, with the documented backward"),
    Coupling(A2, "conv_forward", "conv-cache-hparameters-own-backward",
             ((CONV_CACHE, '    cache = (A_prev, W, b, {"stride": stride, "pad": pad})'),), True,
             backward_edits=((CONV_UNPACK, '    A_prev, W, b, hparameters = cache\n'
                                           '    stride, pad = hparameters["stride"], hparameters["pad"]'),),
             why="deeplearning.ai's (A_prev, W, b, hparameters), read by the student's own backward"),
    # --- a3: pooling ---------------------------------------------------------------------------
    Coupling(A3, "pool_forward", "pool-cache-none", ((POOL_CACHE, "    cache = None"),), False, "é None",
             why="returns (A, None)"),
    Coupling(A3, "pool_forward", "pool-cache-without-mode", ((POOL_CACHE, "    cache = (A_prev, f, stride)"),), False,
             "com 4 elementos", why="mode left out: 'the backward defaults to max'"),
    Coupling(A3, "pool_forward", "pool-cache-hparameters-own-backward",
             ((POOL_CACHE, '    cache = (A_prev, {"f": f, "stride": stride}, mode)'),), True,
             backward_edits=((POOL_UNPACK, '    A_prev, hparameters, mode = cache\n'
                                           '    f, stride = hparameters["f"], hparameters["stride"]'),),
             why="deeplearning.ai's hparameters dict, read by the student's own backward"),
    # --- a4: dense and dropout -----------------------------------------------------------------
    Coupling(A4, "dense_forward", "dense-cache-order", (("    cache = (x, W, b)", "    cache = (W, x, b)"),), False,
             "fora de ordem", why="W first"),
    Coupling(A4, "dense_forward", "dense-cache-without-b", (("    cache = (x, W, b)", "    cache = (x, W)"),), False,
             "com 3 elementos", why="b left out: 'the gradient of b does not need b'"),
    Coupling(A4, "dense_forward", "dense-cache-list", (("    cache = (x, W, b)", "    cache = [x, W, b]"),), True,
             why="a list instead of a tuple: the same fields, unpacked the same way"),
    Coupling(A4, "dropout_forward", "dropout-cache-none-in-training",
             (("    return out, mask", "    return out, None"),), False, "é None",
             why="no mask kept: the backward cannot know which units were dropped"),
    Coupling(A4, "dropout_forward", "dropout-unscaled-mask-own-backward",
             (("    mask = (rng.random(x.shape) >= rate) / (1 - rate)", "    keep = rng.random(x.shape) >= rate\n"
                                                                     "    mask = keep / (1 - rate)"),
              ("    return out, mask", "    return out, (keep, rate)")), True,
             backward_edits=(("    mask = cache", "    mask = None if cache is None else cache[0] / (1 - cache[1])"),),
             why="the boolean mask and the rate, scaled in the student's own backward"),
    # --- a5: RNN and LSTM ----------------------------------------------------------------------
    Coupling(A5, "rnn_cell_forward", "rnn-cell-cache-without-h-next",
             ((RNN_CELL_CACHE, "    cache = (x_t, h_prev, Wx, Wh)"),), False, "com 5 elementos",
             why="h_next left out: 'it is the output'"),
    Coupling(A5, "rnn_cell_forward", "rnn-cell-cache-h-prev-overwritten",
             ((RNN_CELL_CACHE, "    h_prev = h_next  # 'the state moves on'\n    cache = (x_t, h_prev, Wx, Wh, h_next)"),),
             False, "o elemento h_prev", why="the state variable reassigned before caching"),
    Coupling(A5, "rnn_forward", "rnn-cache-last-step-only",
             (("    return h, caches", "    return h, caches[-1]"),), False, "passo",
             why="only the last step's cache kept"),
    Coupling(A5, "lstm_cell_forward", "lstm-cell-cache-without-gates",
             ((LSTM_CELL_CACHE, "    cache = (x_t, h_prev, c_prev, Wx, Wh, c_next)"),), False, "com 10 elementos",
             why="the gates left out: 'the backward can recompute them'"),
    Coupling(A5, "lstm_cell_forward", "lstm-cell-cache-dict-own-backward",
             ((LSTM_CELL_CACHE, '    cache = dict(x_t=x_t, h_prev=h_prev, c_prev=c_prev, Wx=Wx, Wh=Wh, i=i, f=f, g=g, o=o, '
                                'c_next=c_next)'),), True,
             backward_edits=((LSTM_CELL_UNPACK, '    x_t, h_prev, c_prev, Wx, Wh, i, f, g, o, c_next = (cache[k] for k in '
                                                '("x_t", "h_prev", "c_prev", "Wx", "Wh", "i", "f", "g", "o", "c_next"))'),),
             why="a dict of named fields, read by the student's own backward"),
]
