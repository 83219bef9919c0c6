"""Calibration set of autograder/instructor/similarity.py: correct solutions of two exercises written
independently, in the styles different students use, and disguised copies of some of them.

Each solution is the code a student writes under the signature; ``submitted`` puts the release
notebook's docstring back under the ``def`` line, as in a real solution cell. Every solution
must be correct (tests/unit/instructor/test_similarity.py runs them against solutions/), so the set cannot
drift into code no student would hand in.

- ``INDEPENDENT[grade_id]``: author -> source. Different people, different styles: no pair of
  these may be flagged, not even the look-alike nested loops (ana, gabi and ivo write the
  deeplearning.ai four loops; pa and pg the pooling ones).
- ``COPIES[grade_id]``: copier -> (original author, source). Renamed variables, comments added
  or removed, reformatting, reordered independent statements, swapped loops, an unused line or
  helper: every copy must be flagged with its original (and with another copy of the same
  original).
"""
from __future__ import annotations

import functools
import itertools

import numpy as np

CONV = "conv_forward"
POOL = "pool_forward"
ASSIGNMENT = {CONV: "a2_convolucao", POOL: "a3_pooling"}

INDEPENDENT: dict[str, dict[str, str]] = {CONV: {}, POOL: {}}
COPIES: dict[str, dict[str, tuple[str, str]]] = {CONV: {}, POOL: {}}

# ---------------------------------------------------------------------------------------------
# conv_forward(A_prev, W, b, stride=1, pad=0) -> (Z, cache), independent solutions
# ---------------------------------------------------------------------------------------------

# The deeplearning.ai way: four loops, the notebook's zero_pad and conv_single_step.
INDEPENDENT[CONV]["ana"] = '''def conv_forward(A_prev, W, b, stride=1, pad=0):
    # SEU CÓDIGO AQUI
    # dimensões da entrada e dos filtros
    (m, n_H_prev, n_W_prev, n_C_prev) = A_prev.shape
    (f, f, n_C_prev, n_C) = W.shape
    n_H = int((n_H_prev - f + 2 * pad) / stride) + 1
    n_W = int((n_W_prev - f + 2 * pad) / stride) + 1
    Z = np.zeros((m, n_H, n_W, n_C))
    A_prev_pad = zero_pad(A_prev, pad)
    for i in range(m):                      # cada exemplo
        a_prev_pad = A_prev_pad[i]
        for h in range(n_H):                # eixo vertical da saída
            vert_start = h * stride
            vert_end = vert_start + f
            for w in range(n_W):            # eixo horizontal
                horiz_start = w * stride
                horiz_end = horiz_start + f
                for c in range(n_C):        # cada filtro
                    a_slice_prev = a_prev_pad[vert_start:vert_end, horiz_start:horiz_end, :]
                    weights = W[:, :, :, c]
                    biases = b[c]
                    Z[i, h, w, c] = conv_single_step(a_slice_prev, weights, biases)
    cache = (A_prev, W, b, stride, pad)
    return Z, cache'''

# Loops over the output positions, the whole batch at once; zero padding written by hand.
INDEPENDENT[CONV]["bruno"] = '''def conv_forward(A_prev, W, b, stride=1, pad=0):
    m, H, Wd, C = A_prev.shape
    f, _, _, n_C = W.shape
    if pad > 0:
        Xp = np.zeros((m, H + 2*pad, Wd + 2*pad, C))
        Xp[:, pad:-pad, pad:-pad, :] = A_prev
    else:
        Xp = A_prev
    Ho = 1 + (H + 2*pad - f) // stride
    Wo = 1 + (Wd + 2*pad - f) // stride
    Z = np.empty((m, Ho, Wo, n_C))
    for r in range(Ho):
        for s in range(Wo):
            win = Xp[:, r*stride:r*stride+f, s*stride:s*stride+f, :]   # (m, f, f, C)
            for k in range(n_C):
                Z[:, r, s, k] = (win * W[:, :, :, k]).sum(axis=(1, 2, 3)) + b[k]
    return Z, (A_prev, W, b, stride, pad)'''

# Two loops, np.tensordot contracts a window of the batch with every filter; np.pad.
INDEPENDENT[CONV]["carla"] = '''def conv_forward(A_prev, W, b, stride=1, pad=0):
    f = W.shape[0]
    n_H = conv_output_size(A_prev.shape[1], f, pad, stride)
    n_W = conv_output_size(A_prev.shape[2], f, pad, stride)
    A_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    Z = np.zeros((A_prev.shape[0], n_H, n_W, W.shape[-1]))
    # para cada posição da saída, contrai (f, f, n_C_prev) de uma vez com todos os filtros
    for h in range(n_H):
        top = h * stride
        for w in range(n_W):
            left = w * stride
            patch = A_pad[:, top:top + f, left:left + f, :]
            Z[:, h, w, :] = np.tensordot(patch, W, axes=([1, 2, 3], [0, 1, 2]))
    Z = Z + b
    cache = (A_prev, W, b, stride, pad)
    return Z, cache'''

# No loop: sliding_window_view, then einsum.
INDEPENDENT[CONV]["diego"] = '''from numpy.lib.stride_tricks import sliding_window_view

def conv_forward(A_prev, W, b, stride=1, pad=0):
    f = W.shape[0]
    padded = np.pad(A_prev, [(0, 0), (pad, pad), (pad, pad), (0, 0)], mode="constant")
    # janelas: (m, n_H, n_W, n_C_prev, f, f)
    windows = sliding_window_view(padded, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    Z = np.einsum("mhwcij,ijcn->mhwn", windows, W) + b
    return Z, (A_prev, W, b, stride, pad)'''

# im2col in a helper of her own, one matrix product; zero padding by hand.
INDEPENDENT[CONV]["eduarda"] = '''def im2col(X, f, stride, n_H, n_W):
    # cada janela f x f x C vira uma linha
    m, _, _, C = X.shape
    cols = np.zeros((m, n_H, n_W, f * f * C))
    for h in range(n_H):
        for w in range(n_W):
            cols[:, h, w, :] = X[:, h * stride:h * stride + f, w * stride:w * stride + f, :].reshape(m, -1)
    return cols.reshape(m * n_H * n_W, -1)


def conv_forward(A_prev, W, b, stride=1, pad=0):
    m, H, L, C = A_prev.shape
    f, n_C = W.shape[0], W.shape[3]
    X = np.zeros((m, H + 2 * pad, L + 2 * pad, C))
    X[:, pad:pad + H, pad:pad + L, :] = A_prev
    n_H = (H + 2 * pad - f) // stride + 1
    n_W = (L + 2 * pad - f) // stride + 1
    cols = im2col(X, f, stride, n_H, n_W)
    Z = cols @ W.reshape(-1, n_C) + b
    Z = Z.reshape(m, n_H, n_W, n_C)
    return Z, (A_prev, W, b, stride, pad)'''

# as_strided windows and np.tensordot; a dict as cache.
INDEPENDENT[CONV]["fabio"] = '''def conv_forward(A_prev, W, b, stride=1, pad=0):
    A = np.pad(A_prev, ((0,0),(pad,pad),(pad,pad),(0,0)))
    m, Hp, Wp, C = A.shape
    f, _, _, K = W.shape
    out_h = (Hp - f) // stride + 1
    out_w = (Wp - f) // stride + 1
    sm, sh, sw, sc = A.strides
    view = np.lib.stride_tricks.as_strided(
        A, shape=(m, out_h, out_w, f, f, C),
        strides=(sm, sh * stride, sw * stride, sh, sw, sc), writeable=False)
    Z = np.tensordot(view, W, axes=3) + b
    return Z, {"A_prev": A_prev, "W": W, "b": b, "stride": stride, "pad": pad}'''

# Four loops again (example, filter, row, column), padding by hand, np.sum inline.
INDEPENDENT[CONV]["gabi"] = '''def conv_forward(A_prev, W, b, stride=1, pad=0):
    m, altura, largura, canais = A_prev.shape
    f = W.shape[0]
    n_filtros = W.shape[3]
    # padding feito à mão
    A_pad = np.zeros((m, altura + 2 * pad, largura + 2 * pad, canais))
    A_pad[:, pad:pad + altura, pad:pad + largura, :] = A_prev
    H_out = (altura + 2 * pad - f) // stride + 1
    W_out = (largura + 2 * pad - f) // stride + 1
    saida = np.zeros((m, H_out, W_out, n_filtros))
    for n in range(m):
        for k in range(n_filtros):
            for y in range(H_out):
                for x in range(W_out):
                    y0 = y * stride
                    x0 = x * stride
                    regiao = A_pad[n, y0:y0 + f, x0:x0 + f, :]
                    saida[n, y, x, k] = np.sum(regiao * W[..., k]) + b[k]
    return saida, (A_prev, W, b, stride, pad)'''

# Shift and accumulate: one einsum per filter weight (di, dj), the bias broadcast first.
INDEPENDENT[CONV]["helena"] = '''def conv_forward(A_prev, W, b, stride=1, pad=0):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, _, _, n_C = W.shape
    n_H = (n_H_prev + 2 * pad - f) // stride + 1
    n_W = (n_W_prev + 2 * pad - f) // stride + 1
    A_pad = zero_pad(A_prev, pad)
    Z = np.broadcast_to(b, (m, n_H, n_W, n_C)).copy()
    # soma a contribuição de cada peso (di, dj) do filtro para todas as saídas de uma vez
    for di in range(f):
        for dj in range(f):
            fatia = A_pad[:, di:di + stride * (n_H - 1) + 1:stride, dj:dj + stride * (n_W - 1) + 1:stride, :]
            Z += np.einsum("mhwc,cn->mhwn", fatia, W[di, dj])
    return Z, (A_prev, W, b, stride, pad)'''

# The four loops a third time, np.pad and np.sum: the closest to gabi without being hers.
INDEPENDENT[CONV]["ivo"] = '''def conv_forward(A_prev, W, b, stride=1, pad=0):
    m, n_H_prev, n_W_prev, n_C_prev = A_prev.shape
    f, f, n_C_prev, n_C = W.shape
    n_H = (n_H_prev - f + 2 * pad) // stride + 1
    n_W = (n_W_prev - f + 2 * pad) // stride + 1
    A_prev_pad = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode='constant', constant_values=0)
    Z = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    inicio_v = h * stride
                    inicio_h = w * stride
                    janela = A_prev_pad[i, inicio_v:inicio_v + f, inicio_h:inicio_h + f, :]
                    Z[i, h, w, c] = np.sum(janela * W[:, :, :, c]) + b[c]
    cache = (A_prev, W, b, stride, pad)
    return Z, cache'''

# ---------------------------------------------------------------------------------------------
# conv_forward, disguised copies
# ---------------------------------------------------------------------------------------------

# ana's, renamed, comments gone, the shape unpacking without parentheses, n_W before n_H and
# the horizontal bounds before the vertical ones, the slice taken outside the filter loop.
COPIES[CONV]["joao"] = ("ana", '''def conv_forward(A_prev, W, b, stride=1, pad=0):
    m, alt_ant, larg_ant, canais_ant = A_prev.shape
    f, f, canais_ant, n_filtros = W.shape
    larg = int((larg_ant - f + 2 * pad) / stride) + 1
    alt = int((alt_ant - f + 2 * pad) / stride) + 1
    Z = np.zeros((m, alt, larg, n_filtros))
    X_pad = zero_pad(A_prev, pad)
    for ex in range(m):
        x_pad = X_pad[ex]
        for lin in range(alt):
            ini_v = lin * stride
            fim_v = ini_v + f
            for col in range(larg):
                ini_h = col * stride
                fim_h = ini_h + f
                for filtro in range(n_filtros):
                    fatia = x_pad[ini_v:fim_v, ini_h:fim_h, :]
                    pesos = W[:, :, :, filtro]
                    vies = b[filtro]
                    Z[ex, lin, col, filtro] = conv_single_step(fatia, pesos, vies)
    cache = (A_prev, W, b, stride, pad)
    return Z, cache''')

# carla's with the loops swapped (columns outside), the tensordot call over three lines, the
# bias added inside the loop, new comments and an unused line.
COPIES[CONV]["karla"] = ("carla", '''def conv_forward(A_prev, W, b, stride=1, pad=0):
    # tamanho do filtro
    f = W.shape[0]
    n_C = W.shape[3]  # número de filtros
    n_H = conv_output_size(A_prev.shape[1], f, pad, stride)
    n_W = conv_output_size(A_prev.shape[2], f, pad, stride)
    A_p = np.pad(A_prev, ((0, 0), (pad, pad), (pad, pad), (0, 0)))
    Z = np.zeros((A_prev.shape[0], n_H, n_W, W.shape[-1]))
    for j in range(n_W):
        left = j * stride
        for i in range(n_H):
            top = i * stride
            janela = A_p[:, top:top + f, left:left + f, :]
            Z[:, i, j, :] = np.tensordot(
                janela, W,
                axes=([1, 2, 3], [0, 1, 2]))
    Z = Z + b
    cache = (A_prev, W, b, stride, pad)
    return Z, cache''')

# eduarda's with the helper renamed and commented in English, the two reshapes merged.
COPIES[CONV]["lucas"] = ("eduarda", '''def windows_as_rows(P, f, s, out_h, out_w):
    """Turns each f x f x C window of P into one row."""
    m, _, _, C = P.shape
    rows = np.zeros((m, out_h, out_w, f * f * C))
    for r in range(out_h):
        for c in range(out_w):
            rows[:, r, c, :] = P[:, r * s:r * s + f, c * s:c * s + f, :].reshape(m, -1)
    return rows.reshape(m * out_h * out_w, -1)


def conv_forward(A_prev, W, b, stride=1, pad=0):
    m, H, L, C = A_prev.shape
    f, n_C = W.shape[0], W.shape[3]
    # zero padding
    P = np.zeros((m, H + 2 * pad, L + 2 * pad, C))
    P[:, pad:pad + H, pad:pad + L, :] = A_prev
    out_h = (H + 2 * pad - f) // stride + 1
    out_w = (L + 2 * pad - f) // stride + 1
    rows = windows_as_rows(P, f, stride, out_h, out_w)
    Z = (rows @ W.reshape(-1, n_C) + b).reshape(m, out_h, out_w, n_C)
    return Z, (A_prev, W, b, stride, pad)''')

# gabi's, renamed, the rows and columns loops swapped, the window start computed in one line,
# a comment per loop and an unused line.
COPIES[CONV]["marina"] = ("gabi", '''def conv_forward(A_prev, W, b, stride=1, pad=0):
    m, H, L, C = A_prev.shape
    f = W.shape[0]
    K = W.shape[3]
    A_pad = np.zeros((m, H + 2 * pad, L + 2 * pad, C))
    A_pad[:, pad:pad + H, pad:pad + L, :] = A_prev
    Ho = (H + 2 * pad - f) // stride + 1
    Lo = (L + 2 * pad - f) // stride + 1
    Z = np.zeros((m, Ho, Lo, K))
    total = m * Ho * Lo * K
    for e in range(m):  # exemplos
        for k in range(K):  # filtros
            for col in range(Lo):  # colunas
                for lin in range(Ho):  # linhas
                    a, c = lin * stride, col * stride
                    regiao = A_pad[e, a:a + f, c:c + f, :]
                    Z[e, lin, col, k] = np.sum(regiao * W[..., k]) + b[k]
    return Z, (A_prev, W, b, stride, pad)''')

# diego's with the full module path instead of the import, keywords spelled out, no comment.
COPIES[CONV]["nina"] = ("diego", '''def conv_forward(A_prev, W, b, stride=1, pad=0):
    f = W.shape[0]
    A_pad = np.pad(A_prev, [(0, 0), (pad, pad), (pad, pad), (0, 0)], mode="constant")
    jan = np.lib.stride_tricks.sliding_window_view(A_pad, (f, f), axis=(1, 2))[:, ::stride, ::stride]
    Z = np.einsum("mhwcij,ijcn->mhwn", jan, W) + b
    return Z, (A_prev, W, b, stride, pad)''')

# bruno's, renamed, padded with a checking helper of his own left in the cell (never called):
# the copy grows, so the share of the copy that is bruno's falls.
COPIES[CONV]["otavio"] = ("bruno", '''def confere_formas(A_prev, W, b, stride, pad):
    """Minha verificação das entradas."""
    if A_prev.ndim != 4 or W.ndim != 4:
        raise ValueError("A_prev e W precisam ter 4 dimensões")
    if W.shape[0] != W.shape[1]:
        raise ValueError("o filtro precisa ser quadrado")
    if W.shape[2] != A_prev.shape[3]:
        raise ValueError("canais de W e de A_prev não batem")
    if b.shape != (W.shape[3],):
        raise ValueError("b precisa ter um valor por filtro")
    print("formas ok:", A_prev.shape, W.shape, b.shape, stride, pad)


def conv_forward(A_prev, W, b, stride=1, pad=0):
    m, H, L, C = A_prev.shape
    f, _, _, nf = W.shape
    if pad > 0:
        P = np.zeros((m, H + 2*pad, L + 2*pad, C))
        P[:, pad:-pad, pad:-pad, :] = A_prev
    else:
        P = A_prev
    Ho = 1 + (H + 2*pad - f) // stride
    Lo = 1 + (L + 2*pad - f) // stride
    out = np.empty((m, Ho, Lo, nf))
    for i in range(Ho):
        for j in range(Lo):
            # janela de todos os exemplos
            jan = P[:, i*stride:i*stride+f, j*stride:j*stride+f, :]
            for k in range(nf):
                out[:, i, j, k] = (jan * W[:, :, :, k]).sum(axis=(1, 2, 3)) + b[k]
    return out, (A_prev, W, b, stride, pad)''')

# ---------------------------------------------------------------------------------------------
# pool_forward(A_prev, f, stride, mode="max") -> (A, cache), independent solutions
# ---------------------------------------------------------------------------------------------

# The deeplearning.ai four loops with if / elif.
INDEPENDENT[POOL]["pa"] = '''def pool_forward(A_prev, f, stride, mode="max"):
    # SEU CÓDIGO AQUI
    (m, n_H_prev, n_W_prev, n_C) = A_prev.shape
    n_H = int(1 + (n_H_prev - f) / stride)
    n_W = int(1 + (n_W_prev - f) / stride)
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            vert_start = h * stride
            vert_end = vert_start + f
            for w in range(n_W):
                horiz_start = w * stride
                horiz_end = horiz_start + f
                for c in range(n_C):
                    a_prev_slice = A_prev[i, vert_start:vert_end, horiz_start:horiz_end, c]
                    if mode == "max":
                        A[i, h, w, c] = np.max(a_prev_slice)
                    elif mode == "average":
                        A[i, h, w, c] = np.mean(a_prev_slice)
    cache = (A_prev, f, stride, mode)
    return A, cache'''

# Loops over output positions; the reducing function chosen once.
INDEPENDENT[POOL]["pb"] = '''def pool_forward(A_prev, f, stride, mode="max"):
    reduz = np.max if mode == "max" else np.mean
    m, H, L, C = A_prev.shape
    Ho, Lo = (H - f) // stride + 1, (L - f) // stride + 1
    saida = np.empty((m, Ho, Lo, C))
    for r in range(Ho):
        for s in range(Lo):
            bloco = A_prev[:, r * stride:r * stride + f, s * stride:s * stride + f, :]
            saida[:, r, s, :] = reduz(bloco, axis=(1, 2))
    return saida, (A_prev, f, stride, mode)'''

# sliding_window_view, no loop.
INDEPENDENT[POOL]["pc"] = '''from numpy.lib.stride_tricks import sliding_window_view

def pool_forward(A_prev, f, stride, mode="max"):
    # janelas de shape (m, n_H, n_W, n_C, f, f)
    janelas = sliding_window_view(A_prev, window_shape=(f, f), axis=(1, 2))[:, ::stride, ::stride]
    if mode == "max":
        A = janelas.max(axis=(-2, -1))
    else:
        A = janelas.mean(axis=(-2, -1))
    return A, (A_prev, f, stride, mode)'''

# Accumulates over the window offsets with np.maximum or a sum.
INDEPENDENT[POOL]["pd"] = '''def pool_forward(A_prev, f, stride, mode="max"):
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H = (n_H_prev - f) // stride + 1
    n_W = (n_W_prev - f) // stride + 1
    A = None
    for di in range(f):
        for dj in range(f):
            part = A_prev[:, di:di + stride * (n_H - 1) + 1:stride, dj:dj + stride * (n_W - 1) + 1:stride, :]
            if A is None:
                A = part.copy()
            elif mode == "max":
                A = np.maximum(A, part)
            else:
                A = A + part
    if mode == "average":
        A = A / (f * f)
    cache = (A_prev, f, stride, mode)
    return A, cache'''

# A list comprehension per output row, then np.stack; the function picked from a dict.
INDEPENDENT[POOL]["pe"] = '''def pool_forward(A_prev, f, stride, mode="max"):
    op = {"max": np.max, "average": np.mean}[mode]
    n_H = (A_prev.shape[1] - f) // stride + 1
    n_W = (A_prev.shape[2] - f) // stride + 1
    linhas = []
    for h in range(n_H):
        linha = [op(A_prev[:, h*stride:h*stride+f, w*stride:w*stride+f, :], axis=(1, 2)) for w in range(n_W)]
        linhas.append(np.stack(linha, axis=1))
    A = np.stack(linhas, axis=1)
    return A, (A_prev, f, stride, mode)'''

# as_strided patches, flattened window, a conditional expression.
INDEPENDENT[POOL]["pf"] = '''def pool_forward(A_prev, f, stride, mode="max"):
    m, H, W, C = A_prev.shape
    oh = (H - f) // stride + 1
    ow = (W - f) // stride + 1
    s0, s1, s2, s3 = A_prev.strides
    patches = np.lib.stride_tricks.as_strided(A_prev, (m, oh, ow, f, f, C), (s0, s1*stride, s2*stride, s1, s2, s3))
    patches = patches.reshape(m, oh, ow, f * f, C)
    out = patches.max(axis=3) if mode == "max" else patches.mean(axis=3)
    return out, (A_prev, f, stride, mode)'''

# Four loops again (example, channel, row, column), array methods: close to pa's shape.
INDEPENDENT[POOL]["pg"] = '''def pool_forward(A_prev, f, stride, mode="max"):
    m, altura, largura, canais = A_prev.shape
    H = (altura - f) // stride + 1
    L = (largura - f) // stride + 1
    A = np.zeros((m, H, L, canais))
    for n in range(m):
        for ch in range(canais):
            for y in range(H):
                for x in range(L):
                    janela = A_prev[n, y*stride:y*stride+f, x*stride:x*stride+f, ch]
                    A[n, y, x, ch] = janela.max() if mode == "max" else janela.mean()
    return A, (A_prev, f, stride, mode)'''

# ---------------------------------------------------------------------------------------------
# pool_forward, disguised copies
# ---------------------------------------------------------------------------------------------

# pa's renamed, comments added, the output sizes with //, the horizontal bounds first.
COPIES[POOL]["qa"] = ("pa", '''def pool_forward(A_prev, f, stride, mode="max"):
    # tamanhos
    (m, H_ant, L_ant, C) = A_prev.shape
    H = int(1 + (H_ant - f) / stride)
    L = int(1 + (L_ant - f) / stride)
    # saída
    saida = np.zeros((m, H, L, C))
    for ex in range(m):
        for lin in range(H):
            ini_v = lin * stride
            fim_v = ini_v + f
            for col in range(L):
                fim_h = col * stride + f
                ini_h = col * stride
                for canal in range(C):
                    janela = A_prev[ex, ini_v:fim_v, ini_h:fim_h, canal]
                    if mode == "max":
                        saida[ex, lin, col, canal] = np.max(janela)
                    elif mode == "average":
                        saida[ex, lin, col, canal] = np.mean(janela)
    cache = (A_prev, f, stride, mode)
    return saida, cache''')

# pb's with the loops swapped, the window over two lines, an unused shape line.
COPIES[POOL]["qb"] = ("pb", '''def pool_forward(A_prev, f, stride, mode="max"):
    m, H, L, C = A_prev.shape
    Ho, Lo = (H - f) // stride + 1, (L - f) // stride + 1
    red = np.max if mode == "max" else np.mean
    out_shape = (m, Ho, Lo, C)
    out = np.empty((m, Ho, Lo, C))
    for c in range(Lo):
        for r in range(Ho):
            janela = A_prev[:, r * stride:r * stride + f,
                            c * stride:c * stride + f, :]
            out[:, r, c, :] = red(janela, axis=(1, 2))
    return out, (A_prev, f, stride, mode)''')

# pc's with the branches turned around, renamed, no comment.
COPIES[POOL]["qc"] = ("pc", '''from numpy.lib.stride_tricks import sliding_window_view

def pool_forward(A_prev, f, stride, mode="max"):
    w = sliding_window_view(A_prev, window_shape=(f, f), axis=(1, 2))[:, ::stride, ::stride]
    if mode == "average":
        out = w.mean(axis=(-2, -1))
    else:
        out = w.max(axis=(-2, -1))
    return out, (A_prev, f, stride, mode)''')


# ---------------------------------------------------------------------------------------------
# Helpers the test and the benchmark share
# ---------------------------------------------------------------------------------------------

@functools.cache
def release_stub(grade_id: str) -> str:
    """The solution cell of ``grade_id`` as students receive it: the source notebook built from
    assignments/ and solutions/, then nbgrader's own ClearSolutions with the course's stub."""
    from nbgrader.preprocessors import ClearSolutions

    from autograder.authoring.builder import build_source_notebook
    from autograder.course.create import CODE_STUB

    notebook = build_source_notebook(ASSIGNMENT[grade_id])
    notebook, _ = ClearSolutions(code_stub={"python": CODE_STUB}).preprocess(notebook, {})
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == f"{grade_id}_code":
            return cell.source
    raise LookupError(f"no solution cell for {grade_id} in {ASSIGNMENT[grade_id]}")


def submitted(grade_id: str, source: str) -> str:
    """``source`` as the solution cell holds it: the release's signature and docstring (the
    lines above ``# SEU CÓDIGO AQUI``) in place of the bare ``def`` line."""
    stub = release_stub(grade_id)
    header, marker, _ = stub.partition("    # SEU CÓDIGO AQUI")
    def_line = stub.splitlines()[0]
    if not marker or def_line not in source:
        raise ValueError(f"a calibration solution of {grade_id} does not start with {def_line!r}")
    return source.replace(def_line + "\n", header, 1)


def lineage() -> dict[str, dict[str, str]]:
    """grade_id -> author -> the author of the code they started from (themselves if independent)."""
    return {
        grade_id: {**{a: a for a in INDEPENDENT[grade_id]},
                   **{c: original for c, (original, _) in COPIES[grade_id].items()}}
        for grade_id in INDEPENDENT
    }


def sources(grade_id: str) -> dict[str, str]:
    """author -> bare source (no docstring), independents and copies."""
    return {**INDEPENDENT[grade_id], **{c: s for c, (_, s) in COPIES[grade_id].items()}}


def submissions(grade_id: str) -> dict[str, str]:
    """author -> solution cell as submitted, independents and copies."""
    return {author: submitted(grade_id, source) for author, source in sources(grade_id).items()}


def labelled_pairs(grade_id: str) -> dict[tuple[str, str], bool]:
    """Every sorted pair of authors -> whether one copied the other (same original code)."""
    origin = lineage()[grade_id]
    return {(a, b): origin[a] == origin[b] for a, b in itertools.combinations(sorted(origin), 2)}


def load(grade_id: str, source: str):
    """The function a calibration solution defines, run in the namespace the notebook gives it
    (numpy as np, and in a2 the earlier exercises zero_pad, conv_output_size, conv_single_step)."""
    from solutions import convolution

    namespace = {"np": np}
    if grade_id == CONV:
        namespace |= {"zero_pad": convolution.zero_pad, "conv_output_size": convolution.conv_output_size,
                      "conv_single_step": convolution.conv_single_step}
    exec(compile(source, f"<{grade_id}>", "exec"), namespace)  # noqa: S102 - our own test data
    return namespace[grade_id]


def reference(grade_id: str):
    from solutions.convolution import conv_forward
    from solutions.pooling import pool_forward

    return {CONV: conv_forward, POOL: pool_forward}[grade_id]


def cases(grade_id: str, seed: int = 0) -> list[tuple]:
    """Random arguments: odd and non-square sizes, one and many channels, strides 1 to 3,
    padding 0 to 2 (convolution) and both pooling modes, overlapping windows included."""
    rng = np.random.default_rng(seed)
    if grade_id == CONV:
        shapes = [((2, 5, 7, 3), 3, 4, 1, 0), ((1, 6, 6, 1), 2, 3, 2, 1), ((3, 7, 5, 2), 3, 2, 3, 2),
                  ((2, 4, 4, 4), 1, 5, 1, 1)]
        return [(rng.standard_normal(a), rng.standard_normal((f, f, a[3], n_C)), rng.standard_normal(n_C), s, p)
                for a, f, n_C, s, p in shapes]
    shapes = [((2, 6, 6, 3), 2, 2), ((1, 7, 5, 1), 3, 1), ((3, 9, 8, 2), 3, 2), ((2, 5, 5, 4), 2, 3)]
    return [(rng.standard_normal(a), f, s, mode) for a, f, s in shapes for mode in ("max", "average")]
