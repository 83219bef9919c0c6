"""Sample student code for the demo, the tests and the benchmarks: what real submissions look
like besides the reference answer.

- ``HONEST``: honest alternatives written the slow, explicit way (nested Python loops, as in
  deeplearning.ai's notebooks) and with caches of their own design. They must earn full marks
  (tests/test_trusted_grader.py) and grade fast enough (tests/benchmarks/bench_grading.py).
- ``HALF_RIGHT`` and ``CHEAT``: a function right only in part, and a cheating attempt.

Each value is the source of one notebook solution cell, keyed by assignment and function.
"""

HONEST = {
    "a1_ativacoes": {
        "sigmoid": '''def sigmoid(x):
    import math
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    for i, v in np.ndenumerate(x):
        out[i] = 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))
    return out''',
        "softmax": '''def softmax(z, axis=-1):
    z = np.moveaxis(np.asarray(z, dtype=float), axis, -1)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return np.moveaxis(e / e.sum(axis=-1, keepdims=True), -1, axis)''',
        "relu_forward": '''def relu_forward(x):
    mask = x > 0
    return x * mask, mask   # a different, valid cache: the mask''',
        "relu_backward": '''def relu_backward(dout, cache):
    return dout * cache''',
        "leaky_relu_forward": '''def leaky_relu_forward(x, alpha=0.01):
    out = np.array(x, dtype=float)
    for i in range(out.size):
        if out.flat[i] <= 0:
            out.flat[i] *= alpha
    return out, {"x": x, "alpha": alpha}''',
        "leaky_relu_backward": '''def leaky_relu_backward(dout, cache):
    return np.where(cache["x"] > 0, dout, cache["alpha"] * dout)''',
    },
    "a2_convolucao": {
        "conv_forward": '''def conv_forward(A_prev, W, b, stride=1, pad=0):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    n_H = int((n_H_prev + 2 * pad - f) / stride) + 1
    n_W = int((n_W_prev + 2 * pad - f) / stride) + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        for h in range(n_H):
            vert_start = h * stride
            for w in range(n_W):
                horiz_start = w * stride
                for c in range(n_C):
                    a_slice = a_prev_pad[vert_start:vert_start + f, horiz_start:horiz_start + f, :]
                    Z[i, h, w, c] = np.sum(a_slice * W[:, :, :, c]) + b[c]
    cache = {"A_prev": A_prev, "W": W, "b": b, "hparameters": {"stride": stride, "pad": pad}}
    return Z, cache''',
        "conv_backward": '''def conv_backward(dZ, cache):
    A_prev, W = cache["A_prev"], cache["W"]
    stride, pad = cache["hparameters"]["stride"], cache["hparameters"]["pad"]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = W.shape[0]
    m, n_H, n_W, n_C = dZ.shape
    dA_prev_pad = np.zeros((m, n_H_prev + 2 * pad, n_W_prev + 2 * pad, n_C_prev))
    dW = np.zeros(W.shape)
    db = np.zeros(n_C)
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vs, hs = h * stride, w * stride
                    a_slice = A_prev_pad[i, vs:vs + f, hs:hs + f, :]
                    dA_prev_pad[i, vs:vs + f, hs:hs + f, :] += W[:, :, :, c] * dZ[i, h, w, c]
                    dW[:, :, :, c] += a_slice * dZ[i, h, w, c]
                    db[c] += dZ[i, h, w, c]
    dA_prev = dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]
    return dA_prev, dW, db''',
    },
    "a3_pooling": {
        "pool_forward": '''def pool_forward(A_prev, f, stride, mode="max"):
    if mode not in ("max", "average"):
        raise ValueError("mode")
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H = 1 + (n_H_prev - f) // stride
    n_W = 1 + (n_W_prev - f) // stride
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    window = A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, c]
                    A[i, h, w, c] = np.max(window) if mode == "max" else np.mean(window)
    return A, {"A_prev": A_prev, "f": f, "stride": stride, "mode": mode}''',
        "pool_backward": '''def pool_backward(dA, cache):
    A_prev, f, stride, mode = cache["A_prev"], cache["f"], cache["stride"], cache["mode"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vs, hs = h * stride, w * stride
                    if mode == "max":
                        window = A_prev[i, vs:vs + f, hs:hs + f, c]
                        r, s = np.unravel_index(np.argmax(window), window.shape)
                        dA_prev[i, vs + r, hs + s, c] += dA[i, h, w, c]
                    else:
                        dA_prev[i, vs:vs + f, hs:hs + f, c] += dA[i, h, w, c] / (f * f)
    return dA_prev''',
    },
}


HALF_RIGHT = {
    "a2_convolucao": {
        "conv_forward": '''import sys
def conv_forward(A_prev, W, b, stride=1, pad=0):
    # Ignores the stride: right for stride 1, wrong for stride 2 and 3. And chatters on stderr,
    # as TensorFlow does, which must never zero a score.
    print("W0000 aviso: conv_forward lenta", file=sys.stderr)
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, _, _, n_C = W.shape
    A = zero_pad(A_prev, pad)
    n_H, n_W = n_H_prev + 2 * pad - f + 1, n_W_prev + 2 * pad - f + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    for h in range(n_H):
        for w in range(n_W):
            Z[:, h, w, :] = np.tensordot(A[:, h:h + f, w:w + f, :], W, axes=([1, 2, 3], [0, 1, 2])) + b
    return Z, (A_prev, W, b, stride, pad)''',
    },
}

# Cheating as a student might try it: patch numpy's comparisons, print a perfect score, copy the
# answer from the instructor's files, and return an object that claims to equal anything.
CHEAT = {
    "a2_convolucao": {
        "conv_forward": '''import numpy, sys
numpy.allclose = lambda *args, **kwargs: True
numpy.testing.assert_allclose = lambda *args, **kwargs: None
print("Nota: 11 / 11")
def conv_forward(A_prev, W, b, stride=1, pad=0):
    try:
        sys.path.insert(0, "/work/main")
        from solutions.convolution import conv_forward as answer
        return answer(A_prev, W, b, stride, pad)
    except Exception:
        class Anything:
            def __eq__(self, other):
                return True
        return Anything(), None''',
    },
}


def with_cells(notebook, replacements: dict):
    """A copy of ``notebook`` whose solution cells for the given functions hold other code."""
    import nbformat

    notebook = nbformat.from_dict(notebook)
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id.endswith("_code") and grade_id[: -len("_code")] in replacements:
            cell.source = replacements[grade_id[: -len("_code")]]
    return notebook
