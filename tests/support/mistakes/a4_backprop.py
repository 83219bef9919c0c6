"""Realistic student code for a4_backprop: the dense layer's backward, the losses and their
gradients, gradient checking, dropout and the optimizers (see tests/support/mistakes/__init__.py)."""
from tests.support.mistakes import Correct, Mistake

A4 = "a4_backprop"

STUB = {
    "dense_forward": "def dense_forward(x, W, b):\n    raise NotImplementedError()\n",
    "dropout_forward": "def dropout_forward(x, rate, training, seed=None):\n    raise NotImplementedError()\n",
}


def mistake(function, name, source, hint, keep, why, cells=None):
    return Mistake(A4, function, f"{function}-{name}", source, hint, keep, why, cells or {})


def correct(function, name, source, cells=None):
    return Correct(A4, function, f"{function}-{name}", source, cells or {})


MISTAKES = [
    # --- dense_backward ------------------------------------------------------------------------
    mistake("dense_backward", "wrong-transpose", '''def dense_backward(dout, cache):
    x, W, b = cache
    dx = dout @ W.T
    dW = dout.T @ x
    db = np.sum(dout, axis=0)
    return dx, dW, db
''', "com o shape de W", (0.0, 0.2), "dW = dout.T @ x: the transpose of the right dW, shape (k, d)"),
    mistake("dense_backward", "db-over-neurons", '''def dense_backward(dout, cache):
    x, W, b = cache
    dx = np.dot(dout, W.T)
    dW = np.dot(x.T, dout)
    db = np.sum(dout, axis=1)
    return dx, dW, db
''', "ao longo dos exemplos (axis=0)", (0.0, 0.2), "db summed over the wrong axis"),
    mistake("dense_backward", "db-mean", '''def dense_backward(dout, cache):
    x, W, b = cache
    return dout @ W.T, x.T @ dout, dout.mean(axis=0)
''', "SOMA de dout", (0.2, 0.45), "db averaged over the batch (right only when m = 1)"),
    mistake("dense_backward", "divided-by-m", '''def dense_backward(dout, cache):
    x, W, b = cache
    m = x.shape[0]
    dx = dout @ W.T / m
    dW = x.T @ dout / m
    db = dout.sum(axis=0) / m
    return dx, dW, db
''', "não divida por m", (0.2, 0.45), "the 1/m of the loss applied a second time"),
    mistake("dense_backward", "db-axis-with-stub-forward", '''def dense_backward(dout, cache):
    x, W, b = cache
    dx = dout @ W.T
    dW = x.T @ dout
    db = dout.sum(axis=1)
    return dx, dW, db
''', "ao longo dos exemplos (axis=0)", (0.0, 0.2),
        "a backward bug while the forward is still a stub: reported all the same",
        cells={"dense_forward": STUB["dense_forward"]}),
    # --- losses --------------------------------------------------------------------------------
    mistake("mse_loss", "gradient-without-2", '''def mse_loss(y_pred, y):
    diff = y_pred - y
    loss = np.mean(diff ** 2)
    dy_pred = diff / diff.size
    return loss, dy_pred
''', "faltou o 2 da derivada", (0.35, 0.55), "d/dx of x**2 taken as x"),
    mistake("mse_loss", "mean-over-examples", '''def mse_loss(y_pred, y):
    m = y_pred.shape[0]
    loss = np.sum((y_pred - y) ** 2) / m
    dy_pred = 2 * (y_pred - y) / m
    return loss, dy_pred
''', "divida por todos os elementos", (0.1, 0.5), "divides by the number of examples, not of elements"),
    mistake("binary_cross_entropy", "no-clipping", '''def binary_cross_entropy(p, y):
    N = p.size
    loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    dp = (p - y) / (p * (1 - p)) / N
    return loss, dp
''', "np.clip", (0.85, 0.95), "log(0) at p = 0 or 1: nan/inf (the clipping convention, its own tests)"),
    mistake("binary_cross_entropy", "clipped-gradient-not-zero", '''def binary_cross_entropy(p, y):
    eps = 1e-7
    q = np.clip(p, eps, 1 - eps)
    loss = -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))
    dp = (q - y) / (q * (1 - q)) / p.size
    return float(loss), dp
''', "onde p foi cortada", (0.9, 0.99), "clips, but keeps a gradient where p was clipped (Keras gives 0)"),
    mistake("binary_cross_entropy", "sum-not-mean", '''def binary_cross_entropy(p, y):
    q = np.clip(p, 1e-7, 1 - 1e-7)
    inside = (p >= 1e-7) & (p <= 1 - 1e-7)
    loss = -np.sum(y * np.log(q) + (1 - y) * np.log(1 - q))
    dp = (q - y) / (q * (1 - q)) * inside
    return loss, dp
''', "MÉDIA sobre os elementos", (0.0, 0.3), "sum of the per-element losses instead of their mean"),
    mistake("binary_cross_entropy", "float-of-a-1x1-matrix", '''def binary_cross_entropy(p, y):
    eps = 1e-7
    P = np.clip(p, eps, 1 - eps).reshape(-1, 1)
    Y = y.reshape(-1, 1)
    N = P.shape[0]
    cost = -(Y.T @ np.log(P) + (1 - Y).T @ np.log(1 - P)) / N
    inside = ((p >= eps) & (p <= 1 - eps)).reshape(-1, 1)
    dp = ((P - Y) / (P * (1 - P)) / N * inside).reshape(p.shape)
    return float(cost), dp
''', ".item()", (0.0, 0.05), "deeplearning.ai's cost as a (1, 1) product: float() of it raises on numpy >= 2.x"),
    mistake("softmax_cross_entropy", "gradient-not-divided-by-m", '''def softmax_cross_entropy(logits, y):
    m = logits.shape[0]
    z = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(m), y]))
    dlogits = probs.copy()
    dlogits[np.arange(m), y] -= 1
    return loss, dlogits
''', "divida por m", (0.55, 0.75), "the gradient of the sum, not of the mean"),
    mistake("softmax_cross_entropy", "no-max-shift", '''def softmax_cross_entropy(logits, y):
    m = logits.shape[0]
    exps = np.exp(logits)
    probs = exps / np.sum(exps, axis=1, keepdims=True)
    loss = -np.sum(np.log(probs[range(m), y])) / m
    one_hot = np.zeros_like(probs)
    one_hot[range(m), y] = 1
    return loss, (probs - one_hot) / m
''', "subtraia o máximo de cada linha", (0.85, 0.92), "exp overflows for logits of 1000 (the stability convention)"),
    # --- gradient checking ---------------------------------------------------------------------
    mistake("numerical_gradient", "one-sided", '''def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    fx = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        grad[i] = (f(x) - fx) / h
        x[i] = old
    return grad
''', "diferença CENTRADA", (0.0, 0.1), "forward differences, as in the definition of the derivative"),
    mistake("numerical_gradient", "fixed-step", '''def numerical_gradient(f, x, h=1e-5):
    eps = 1e-5
    x = x.astype(np.float64)
    grad = np.zeros(x.shape)
    for i in range(x.size):
        plus, minus = x.copy().ravel(), x.copy().ravel()
        plus[i] += eps
        minus[i] -= eps
        grad.ravel()[i] = (f(plus.reshape(x.shape)) - f(minus.reshape(x.shape))) / (2 * eps)
    return grad
''', "use o h recebido", (0.6, 0.8), "its own step instead of the argument h"),
    mistake("numerical_gradient", "not-restored", '''def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        x[i] += h
        f_plus = f(x)
        x[i] -= 2 * h
        f_minus = f(x)
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
''', "valor original", (0.6, 0.8), "x[i] left at x[i] - h before the next position"),
    # --- dropout -------------------------------------------------------------------------------
    mistake("dropout_forward", "not-inverted", '''def dropout_forward(x, rate, training, seed=None):
    if not training:
        return x, None
    rng = np.random.default_rng(seed)
    mask = rng.random(x.shape) > rate
    return x * mask, mask
''', "dropout invertido", (0.75, 0.95), "classic dropout: no 1 / (1 - rate) scaling in training"),
    mistake("dropout_forward", "rate-as-keep-probability", '''def dropout_forward(x, rate, training, seed=None):
    if not training:
        return x, None
    rng = np.random.default_rng(seed)
    keep = rng.random(x.shape) < rate
    mask = keep / rate if rate > 0 else keep * 1.0
    return x * mask, mask
''', "probabilidade de DESCARTAR", (0.3, 0.8), "deeplearning.ai's keep_prob read into Keras's rate"),
    mistake("dropout_backward", "scale-forgotten", '''def dropout_backward(dout, cache):
    if cache is None:
        return dout
    return dout * (cache > 0)
''', "1 / (1 - rate), a escala do forward", (0.2, 0.4), "the mask's zeros applied, its scale not"),
    mistake("dropout_backward", "scale-forgotten-with-stub-forward", '''def dropout_backward(dout, cache):
    if cache is None:
        return dout
    keep = cache != 0
    return np.where(keep, dout, 0.0)
''', "1 / (1 - rate), a escala do forward", (0.2, 0.4),
        "the same bug while the forward is still a stub: reported all the same",
        cells={"dropout_forward": STUB["dropout_forward"]}),
    # --- optimizers ----------------------------------------------------------------------------
    mistake("sgd_step", "uphill", '''def sgd_step(params, grads, lr):
    return {k: params[k] + lr * grads[k] for k in params}
''', "CONTRA o gradiente", (0.0, 0.2), "the sign of the step"),
    mistake("sgd_step", "in-place", '''def sgd_step(params, grads, lr):
    for k in params:
        params[k] -= lr * grads[k]
    return params
''', "não modifique params", (0.75, 0.9), "updates the caller's arrays in place"),
    mistake("adam_step", "no-bias-correction", '''def adam_step(params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-7):
    if state is None:
        state = {"t": 0, "m": {k: np.zeros_like(v) for k, v in params.items()},
                 "v": {k: np.zeros_like(v) for k, v in params.items()}}
    t = state["t"] + 1
    new_params, m, v = {}, {}, {}
    for k in params:
        m[k] = beta1 * state["m"][k] + (1 - beta1) * grads[k]
        v[k] = beta2 * state["v"][k] + (1 - beta2) * grads[k] ** 2
        new_params[k] = params[k] - lr * m[k] / (np.sqrt(v[k]) + eps)
    return new_params, {"t": t, "m": m, "v": v}
''', "correção de viés", (0.0, 0.3), "the moments used without their bias correction"),
    mistake("adam_step", "t-incremented-late", '''def adam_step(params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-7):
    if state is None:
        state = {"t": 0, "m": {k: np.zeros_like(v) for k, v in params.items()},
                 "v": {k: np.zeros_like(v) for k, v in params.items()}}
    t = state["t"]
    lr_t = lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    new_params, m, v = {}, {}, {}
    for k in params:
        m[k] = beta1 * state["m"][k] + (1 - beta1) * grads[k]
        v[k] = beta2 * state["v"][k] + (1 - beta2) * grads[k] ** 2
        new_params[k] = params[k] - lr_t * m[k] / (np.sqrt(v[k]) + eps)
    return new_params, {"t": t + 1, "m": m, "v": v}
''', "primeiro passo usa t = 1", (0.0, 0.3), "t incremented after the update: the first step divides by 1 - beta1**0 = 0"),
    mistake("adam_step", "eps-on-corrected-moment", '''def adam_step(params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-7):
    t = 1 if state is None else state["t"] + 1
    m_old = state["m"] if state else {k: 0.0 for k in params}
    v_old = state["v"] if state else {k: 0.0 for k in params}
    m = {k: beta1 * m_old[k] + (1 - beta1) * grads[k] for k in params}
    v = {k: beta2 * v_old[k] + (1 - beta2) * grads[k] ** 2 for k in params}
    new_params = {}
    for k in params:
        m_hat = m[k] / (1 - beta1 ** t)
        v_hat = v[k] / (1 - beta2 ** t)
        new_params[k] = params[k] - lr * m_hat / (np.sqrt(v_hat) + eps)
    return new_params, {"t": t, "m": m, "v": v}
''', "eps soma-se a sqrt(v)", (0.75, 0.95), "the paper's eps placement, not Keras's (the eps convention, its own tests)"),
    mistake("adam_step", "state-mutated", '''def adam_step(params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-7):
    if state is None:
        state = {"t": 0, "m": {k: np.zeros_like(v) for k, v in params.items()},
                 "v": {k: np.zeros_like(v) for k, v in params.items()}}
    state["t"] += 1
    t = state["t"]
    lr_t = lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    new_params = {}
    for k in params:
        state["m"][k] = beta1 * state["m"][k] + (1 - beta1) * grads[k]
        state["v"][k] = beta2 * state["v"][k] + (1 - beta2) * grads[k] ** 2
        new_params[k] = params[k] - lr_t * state["m"][k] / (np.sqrt(state["v"][k]) + eps)
    return new_params, state
''', "não modifique o state recebido", (0.8, 0.95), "updates the state received in place"),
]

CORRECT = [
    correct("dense_backward", "einsum", '''def dense_backward(dout, cache):
    x, W, _ = cache
    dx = np.einsum("mk,dk->md", dout, W)
    dW = np.einsum("md,mk->dk", x, dout)
    db = np.einsum("mk->k", dout)
    return dx, dW, db
'''),
    correct("dense_backward", "loops-with-stub-forward", '''def dense_backward(dout, cache):
    x, W, b = cache
    m, d = x.shape
    k = W.shape[1]
    dx, dW, db = np.zeros((m, d)), np.zeros((d, k)), np.zeros(k)
    for i in range(m):
        db += dout[i]
        dW += np.outer(x[i], dout[i])
        dx[i] = W @ dout[i]
    return dx, dW, db
''', cells={"dense_forward": STUB["dense_forward"]}),
    correct("dropout_backward", "where-with-stub-forward", '''def dropout_backward(dout, cache):
    return dout.copy() if cache is None else np.where(cache != 0, dout * cache, 0.0)
''', cells={"dropout_forward": STUB["dropout_forward"]}),
    correct("softmax_cross_entropy", "logsumexp-one-hot", '''def softmax_cross_entropy(logits, y):
    m, K = logits.shape
    top = np.max(logits, axis=1, keepdims=True)
    log_norm = top + np.log(np.sum(np.exp(logits - top), axis=1, keepdims=True))
    log_probs = logits - log_norm
    one_hot = np.eye(K)[y]
    loss = -np.sum(one_hot * log_probs) / m
    return loss, (np.exp(log_probs) - one_hot) / m
'''),
    correct("adam_step", "paper-form-scaled-eps", '''def adam_step(params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-7):
    state = state or {"t": 0, "m": {}, "v": {}}
    t = state["t"] + 1
    m, v, out = {}, {}, {}
    for name, p in params.items():
        g = np.asarray(grads[name], dtype=float)
        m[name] = beta1 * state["m"].get(name, 0.0) + (1 - beta1) * g
        v[name] = beta2 * state["v"].get(name, 0.0) + (1 - beta2) * g * g
        m_hat = m[name] / (1 - beta1 ** t)
        v_hat = v[name] / (1 - beta2 ** t)
        # Keras's eps sits on sqrt(v); on sqrt(v_hat) it is eps / sqrt(1 - beta2**t)
        out[name] = p - lr * m_hat / (np.sqrt(v_hat) + eps / np.sqrt(1 - beta2 ** t))
    return out, {"t": t, "m": m, "v": v}
'''),
    correct("binary_cross_entropy", "where-masks", '''def binary_cross_entropy(p, y):
    eps = 1e-7
    q = np.minimum(np.maximum(p, eps), 1 - eps)
    per_element = np.where(y == 1, -np.log(q), 0.0) + np.where(y == 0, -np.log(1 - q), 0.0)
    soft = (y != 0) & (y != 1)
    per_element = np.where(soft, -(y * np.log(q) + (1 - y) * np.log(1 - q)), per_element)
    grad = np.where((p < eps) | (p > 1 - eps), 0.0, (q - y) / (q * (1 - q)))
    return per_element.mean().item(), grad / p.size
'''),
]
