"""Realistic student code for a2_convolucao: wrong implementations with the hint each must get,
and correct ones in styles of their own (see tests/support/mistakes/__init__.py)."""
from tests.support.mistakes import Correct, Mistake

A2 = "a2_convolucao"


def conv_forward_loops(window="a_prev_pad[vs:vs + f, hs:hs + f, :]", start="h * stride, w * stride",
                       value="np.sum(a_slice * W[:, :, :, c]) + b[c]", setup="", padded="zero_pad(A_prev, pad)",
                       n_H="(n_H_prev + 2 * pad - f) // stride + 1", n_W="(n_W_prev + 2 * pad - f) // stride + 1"):
    """A deeplearning.ai-style conv_forward (four nested loops) with one piece replaced."""
    return f'''def conv_forward(A_prev, W, b, stride=1, pad=0):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    n_H = {n_H}
    n_W = {n_W}
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = {padded}{setup}
    for i in range(m):
        a_prev_pad = A_prev_pad[i]
        for h in range(n_H):
            for w in range(n_W):
                vs, hs = {start}
                for c in range(n_C):
                    a_slice = {window}
                    Z[i, h, w, c] = {value}
    cache = (A_prev, W, b, stride, pad)
    return Z, cache'''


def conv_backward_loops(dA_update="dA_prev_pad[i, vs:vs + f, hs:hs + f, :] += W[:, :, :, c] * dZ[i, h, w, c]",
                        dW_update="dW[:, :, :, c] += a_slice * dZ[i, h, w, c]", db="dZ.sum(axis=(0, 1, 2))",
                        crop="dA_prev_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :]"):
    """A deeplearning.ai-style conv_backward (four nested loops) with one piece replaced."""
    return f'''def conv_backward(dZ, cache):
    A_prev, W, b, stride, pad = cache
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f = W.shape[0]
    m, n_H, n_W, n_C = dZ.shape
    dA_prev_pad = np.zeros((m, n_H_prev + 2 * pad, n_W_prev + 2 * pad, n_C_prev))
    dW = np.zeros(W.shape)
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vs, hs = h * stride, w * stride
                    a_slice = A_prev_pad[i, vs:vs + f, hs:hs + f, :]
                    {dA_update}
                    {dW_update}
    db = {db}
    dA_prev = {crop}
    return dA_prev, dW, db'''


# A conv_forward that crashes (a typo): conv_backward's tests then fall back to the documented cache.
BROKEN_CONV_FORWARD = conv_forward_loops(value="np.sum(a_slice * W[:, :, :, c]) + bias[c]")

def conv1d_forward_loops(start="t * stride", value="np.sum(x_pad[i, s:s + f, :] * w[:, :, k]) + b[k]",
                         padded="np.pad(x, ((0, 0), (pad, pad), (0, 0)))", L_out="(L + 2 * pad - f) // stride + 1"):
    """A nested-loops conv1d_forward with one piece replaced."""
    return f'''def conv1d_forward(x, w, b, stride=1, pad=0):
    m, L, C = x.shape
    f, C, K = w.shape
    L_out = {L_out}
    out = np.zeros((m, L_out, K))
    x_pad = {padded}
    for i in range(m):
        for t in range(L_out):
            s = {start}
            for k in range(K):
                out[i, t, k] = {value}
    return out, (x, w, b, stride, pad)'''


MISTAKES = [
    Mistake(A2, "zero_pad", "zero_pad-one-side", '''def zero_pad(X, pad):
    return np.pad(X, ((0, 0), (pad, 0), (pad, 0), (0, 0)), mode="constant")''',
            hint="em CADA borda", keep=(0.2, 0.2), why="(pad, 0): zeros before only; pad = 0 still passes"),
    Mistake(A2, "zero_pad", "zero_pad-every-axis", '''def zero_pad(X, pad):
    return np.pad(X, pad)''', hint="o eixo 0 (exemplos) não recebe padding", keep=(0.2, 0.2),
            why="np.pad's shorthand pads the examples and the channels too"),
    Mistake(A2, "zero_pad", "zero_pad-slice-pad-minus-pad", '''def zero_pad(X, pad):
    m, n_H, n_W, n_C = X.shape
    X_pad = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C))
    X_pad[:, pad:-pad, pad:-pad, :] = X
    return X_pad''', hint="o corte pad:-pad é vazio", keep=(0.8, 0.8),
            why="pad:-pad is an empty slice when pad = 0"),
    Mistake(A2, "conv_output_size", "conv_output_size-true-division", '''def conv_output_size(n, f, pad=0, stride=1):
    if f > n + 2 * pad:
        raise ValueError("janela maior que a entrada")
    return (n + 2 * pad - f) / stride + 1''', hint="arredonde para baixo", keep=(0.4, 0.75),
            why="/ for //: a float, and 3.5 where 3 is right"),
    Mistake(A2, "conv_output_size", "conv_output_size-pad-once", '''def conv_output_size(n, f, pad=0, stride=1):
    if f > n + 2 * pad:
        raise ValueError("janela maior que a entrada")
    return (n + pad - f) // stride + 1''', hint="o padding entra nas DUAS bordas", keep=(0.5, 0.75),
            why="n + pad for n + 2*pad"),
    Mistake(A2, "conv_single_step", "conv_single_step-float-of-array-bias", '''def conv_single_step(a_slice_prev, W, b):
    s = np.multiply(a_slice_prev, W)
    Z = np.sum(s)
    return Z + float(b)''', hint=".item()", keep=(0.55, 0.6),
            why="deeplearning.ai's float(b) on a (1, 1, 1) bias: TypeError on numpy 2.4"),
    Mistake(A2, "conv_single_step", "conv_single_step-returns-array", '''def conv_single_step(a_slice_prev, W, b):
    return np.sum(a_slice_prev * W) + b''', hint=".item()", keep=(0.55, 0.6),
            why="an array bias makes the sum an array: the number is never taken out"),
    Mistake(A2, "conv_forward", "conv_forward-stride-ignored", conv_forward_loops(start="h, w"),
            hint="o stride foi ignorado", keep=(0.5, 0.65), why="the window starts at (h, w), not (h*stride, w*stride)"),
    Mistake(A2, "conv_forward", "conv_forward-kernel-flipped",
            conv_forward_loops(value="np.sum(a_slice * W[::-1, ::-1, :, c]) + b[c]"),
            hint="você girou o filtro", keep=(0.1, 0.25), why="the textbook convolution, not cross-correlation"),
    Mistake(A2, "conv_forward", "conv_forward-bias-per-element",
            conv_forward_loops(value="np.sum(a_slice * W[:, :, :, c] + b[c])"),
            hint="entra UMA vez por posição", keep=(0.2, 0.3), why="bias inside the sum: added f*f*n_C_prev times"),
    Mistake(A2, "conv_forward", "conv_forward-bias-forgotten", conv_forward_loops(value="np.sum(a_slice * W[:, :, :, c])"),
            hint="o bias b não foi somado", keep=(0.2, 0.3), why="no + b[c]"),
    Mistake(A2, "conv_forward", "conv_forward-pad-twice",
            conv_forward_loops(window="zero_pad(A_prev_pad, pad)[i, vs:vs + f, hs:hs + f, :]"),
            hint="aplicado duas vezes", keep=(0.4, 0.6), why="pads the already padded input again"),
    Mistake(A2, "conv_forward", "conv_forward-window-off-by-one",
            conv_forward_loops(window="a_prev_pad[vs:vs + f - 1, hs:hs + f - 1, :]"),
            hint="shapes incompatíveis", keep=(0.0, 0.0), why="vert_end = vert_start + f - 1"),
    Mistake(A2, "conv_forward", "conv_forward-bias-as-4d-array",
            conv_forward_loops(setup="\n    biases = b.reshape(1, 1, 1, n_C)",
                               value="np.sum(a_slice * W[:, :, :, c]) + biases[:, :, :, c]"),
            hint=".item()", keep=(0.0, 0.0),
            why="deeplearning.ai's (1, 1, 1, n_C) bias: a (1, 1, 1) array stored in Z[i, h, w, c]"),
    Mistake(A2, "conv_forward", "conv_forward-missing-plus-one",
            conv_forward_loops(n_H="(n_H_prev + 2 * pad - f) // stride", n_W="(n_W_prev + 2 * pad - f) // stride"),
            hint="floor((n_H_prev + 2*pad - f) / stride) + 1", keep=(0.0, 0.04), why="the output size without + 1"),
    Mistake(A2, "conv_backward", "conv_backward-slice-minus-pad",
            conv_backward_loops(crop="dA_prev_pad[:, pad:-pad, pad:-pad, :]"),
            hint="-0 é 0", keep=(0.45, 0.6), why="pad:-pad is empty when pad = 0"),
    Mistake(A2, "conv_backward", "conv_backward-slice-minus-pad-forward-broken",
            conv_backward_loops(crop="dA_prev_pad[:, pad:-pad, pad:-pad, :]"),
            hint="-0 é 0", keep=(0.45, 0.6), why="the same slip, behind a conv_forward that crashes",
            cells={"conv_forward": BROKEN_CONV_FORWARD}),
    Mistake(A2, "conv_backward", "conv_backward-db-mean", conv_backward_loops(db="dZ.mean(axis=(0, 1, 2))"),
            hint="db é a SOMA de dZ, não a média", keep=(0.0, 0.15), why="db averaged like a loss"),
    Mistake(A2, "conv_backward", "conv_backward-dW-overwritten",
            conv_backward_loops(dW_update="dW[:, :, :, c] = a_slice * dZ[i, h, w, c]"),
            hint="acumula (com +=)", keep=(0.0, 0.15), why="= for += in dW: only the last window survives"),
    Mistake(A2, "conv_backward", "conv_backward-dA-overwritten",
            conv_backward_loops(dA_update="dA_prev_pad[i, vs:vs + f, hs:hs + f, :] = W[:, :, :, c] * dZ[i, h, w, c]"),
            hint="janelas sobrepostas se acumulam", keep=(0.0, 0.2), why="= for += in dA_prev"),
    Mistake(A2, "count_conv_params", "count_conv_params-one-bias", '''def count_conv_params(f, n_C_prev, n_C, bias=True):
    return f * f * n_C_prev * n_C + (1 if bias else 0)''', hint="um bias por FILTRO", keep=(0.45, 0.55),
            why="one bias for the layer"),
    Mistake(A2, "count_dense_params", "count_dense_params-bias-per-input", '''def count_dense_params(n_in, n_out, bias=True):
    return n_in * n_out + (n_in if bias else 0)''', hint="por neurônio de SAÍDA", keep=(0.45, 0.55),
            why="a bias per input instead of per neuron"),
    Mistake(A2, "conv1d_forward", "conv1d_forward-np-convolve", conv1d_forward_loops(
        value="np.sum(x_pad[i, s:s + f, :] * w[::-1, :, k]) + b[k]"),
        hint="você inverteu o filtro", keep=(0.15, 0.2),
        why="np.convolve's habit: the kernel flipped (true convolution)"),
    Mistake(A2, "conv1d_forward", "conv1d_forward-no-stride", conv1d_forward_loops(start="t"),
            hint="o stride foi ignorado", keep=(0.55, 0.65), why="the window moves one step whatever the stride"),
    Mistake(A2, "conv1d_forward", "conv1d_forward-no-padding", conv1d_forward_loops(
        padded="x", L_out="(L - f) // stride + 1"), hint="o padding foi ignorado", keep=(0.45, 0.55),
        why="pad ignored everywhere: no zeros, and a shorter output"),
    Mistake(A2, "conv1d_forward", "conv1d_forward-no-bias", conv1d_forward_loops(
        value="np.sum(x_pad[i, s:s + f, :] * w[:, :, k])"), hint="o bias b não foi somado", keep=(0.1, 0.15),
        why="b forgotten"),
    Mistake(A2, "conv1d_forward", "conv1d_forward-one-channel", conv1d_forward_loops(
        value="np.sum(x_pad[i, s:s + f, 0] * w[:, 0, k]) + b[k]"), hint="os canais não foram somados",
        keep=(0.35, 0.45), why="only the first input channel is read"),
]

CORRECT = [
    Correct(A2, "zero_pad", "zero_pad-slice-assignment", '''def zero_pad(X, pad):
    m, n_H, n_W, n_C = X.shape
    X_pad = np.zeros((m, n_H + 2 * pad, n_W + 2 * pad, n_C))
    X_pad[:, pad:pad + n_H, pad:pad + n_W, :] = X
    return X_pad'''),
    Correct(A2, "conv_output_size", "conv_output_size-math-floor", '''def conv_output_size(n, f, pad=0, stride=1):
    import math
    if f > n + 2 * pad:
        raise ValueError(f"a janela {f} não cabe em {n} com pad {pad}")
    return int(math.floor((n + 2 * pad - f) / stride)) + 1'''),
    Correct(A2, "conv_single_step", "conv_single_step-einsum-item", '''def conv_single_step(a_slice_prev, W, b):
    return np.einsum("ijk,ijk->", a_slice_prev, W) + np.asarray(b).item()'''),
    Correct(A2, "conv_forward", "conv_forward-sliding-window-einsum", '''def conv_forward(A_prev, W, b, stride=1, pad=0):
    from numpy.lib.stride_tricks import sliding_window_view
    f = W.shape[0]
    A_pad = zero_pad(A_prev, pad)
    windows = sliding_window_view(A_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    Z = np.einsum("mhwcij,ijcn->mhwn", windows, W) + b
    return Z, (A_prev, W, b, stride, pad)'''),
    Correct(A2, "conv_forward", "conv_forward-im2col", '''def im2col(A_pad, f, stride, n_H, n_W):
    m, _, _, n_C_prev = A_pad.shape
    cols = np.empty((m, n_H, n_W, f * f * n_C_prev))
    for h in range(n_H):
        for w in range(n_W):
            patch = A_pad[:, h * stride:h * stride + f, w * stride:w * stride + f, :]
            cols[:, h, w, :] = patch.reshape(m, -1)
    return cols


def conv_forward(A_prev, W, b, stride=1, pad=0):
    f, _, n_C_prev, n_C = W.shape
    n_H = conv_output_size(A_prev.shape[1], f, pad, stride)
    n_W = conv_output_size(A_prev.shape[2], f, pad, stride)
    cols = im2col(zero_pad(A_prev, pad), f, stride, n_H, n_W)
    Z = cols @ W.reshape(-1, n_C) + b
    return Z, (A_prev, W, b, stride, pad)'''),
    Correct(A2, "conv_backward", "conv_backward-einsum-windows", '''def conv_backward(dZ, cache):
    A_prev, W, b, stride, pad = cache
    f = W.shape[0]
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    _, n_H, n_W, n_C = dZ.shape
    A_pad = zero_pad(A_prev, pad)
    dA_pad = np.zeros(A_pad.shape)
    dW = np.zeros(W.shape)
    for h in range(n_H):
        for w in range(n_W):
            rows, cols = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
            dW += np.einsum("mijc,mn->ijcn", A_pad[:, rows, cols, :], dZ[:, h, w, :])
            dA_pad[:, rows, cols, :] += np.einsum("ijcn,mn->mijc", W, dZ[:, h, w, :])
    db = np.sum(dZ, axis=(0, 1, 2))
    return dA_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :], dW, db'''),
    Correct(A2, "count_dense_params", "count_dense_params-conditional", '''def count_dense_params(n_in, n_out, bias=True):
    weights = n_in * n_out
    if bias:
        return weights + n_out
    return weights'''),
    Correct(A2, "conv1d_forward", "conv1d_forward-loops", conv1d_forward_loops()),
    Correct(A2, "conv1d_forward", "conv1d_forward-tensordot", '''def conv1d_forward(x, w, b, stride=1, pad=0):
    f = w.shape[0]
    x_pad = np.pad(x, ((0, 0), (pad, pad), (0, 0)))
    L_out = (x.shape[1] + 2 * pad - f) // stride + 1
    windows = np.stack([x_pad[:, t * stride:t * stride + f, :] for t in range(L_out)], axis=1)
    out = np.tensordot(windows, w, axes=([2, 3], [0, 1])) + b
    return out, (x, w, b, stride, pad)'''),
]
