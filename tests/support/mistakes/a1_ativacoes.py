"""Realistic student code for a1_ativacoes: wrong implementations with the hint each must get,
and correct ones in styles of their own (see tests/support/mistakes/__init__.py)."""
from tests.support.mistakes import Correct, Mistake

A1 = "a1_ativacoes"

# A forward that crashes (a typo): the backward tests then fall back to the documented cache.
BROKEN_RELU_FORWARD = '''def relu_forward(x):
    out = np.maximum(x, 0)
    return out, X'''

MISTAKES = [
    Mistake(A1, "neuron_forward", "neuron_forward-bias-per-element", '''def neuron_forward(x, w, b):
    z = 0.0
    for i in range(len(x)):
        z += x[i] * w[i] + b
    return z''', hint="o bias entra uma vez só", keep=(0.25, 0.35),
            why="bias added inside the loop, once per input; only d = 1 survives"),
    Mistake(A1, "neuron_forward", "neuron_forward-float-of-column-product", '''def neuron_forward(x, w, b):
    z = x.reshape(1, -1) @ w.reshape(-1, 1) + b
    return float(z)''', hint=".item()", keep=(0.0, 0.0),
            why="float() of a (1, 1) array: a DeprecationWarning on numpy 2.0, a TypeError on 2.4"),
    Mistake(A1, "sigmoid", "sigmoid-sign-flipped", '''def sigmoid(x):
    return 1 / (1 + np.exp(x))''', hint="confira o sinal do expoente", keep=(0.0, 0.0),
            why="exp(x) instead of exp(-x)"),
    Mistake(A1, "sigmoid", "sigmoid-math-exp-loop", '''def sigmoid(x):
    import math
    out = np.zeros(x.shape)
    for i in range(x.size):
        out.flat[i] = 1 / (1 + math.exp(-x.flat[i]))
    return out''', hint="exp(-|x|)", keep=(0.9, 0.95),
            why="math.exp element by element: OverflowError for x = -1e4"),
    Mistake(A1, "tanh", "tanh-direct-formula-overflows", '''def tanh(x):
    return (np.exp(x) - np.exp(-x)) / (np.exp(x) + np.exp(-x))''', hint="inf/inf = nan", keep=(0.9, 0.95),
            why="the textbook formula: inf/inf for |x| = 1e4"),
    Mistake(A1, "tanh", "tanh-from-sigmoid-without-2x", '''def tanh(x):
    return 2 * sigmoid(x) - 1''', hint="o argumento da sigmoide é 2x", keep=(0.05, 0.1),
            why="tanh(x) = 2 sigma(2x) - 1 remembered without the 2x"),
    Mistake(A1, "softmax", "softmax-axis-ignored", '''def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)''', hint="use o argumento axis recebido", keep=(0.5, 0.6),
            why="the last axis hard-coded"),
    Mistake(A1, "softmax", "softmax-without-max-shift", '''def softmax(z, axis=-1):
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)''', hint="subtraia o máximo de cada linha", keep=(0.85, 0.9),
            why="the unstable softmax: exp(1000) = inf"),
    Mistake(A1, "softmax", "softmax-global-max", '''def softmax(z, axis=-1):
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=axis, keepdims=True)''', hint="não o máximo do array inteiro", keep=(0.9, 0.96),
            why="subtracts the array's maximum: rows far below it underflow to 0/0"),
    Mistake(A1, "softmax", "softmax-sum-over-everything", '''def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis, keepdims=True))
    return e / e.sum()''', hint="não do array inteiro", keep=(0.2, 0.25),
            why="normalises by the sum of the whole array"),
    Mistake(A1, "softmax", "softmax-without-keepdims", '''def softmax(z, axis=-1):
    e = np.exp(z - np.max(z, axis=axis))
    return e / np.sum(e, axis=axis)''', hint="shapes incompatíveis", keep=(0.4, 0.5),
            why="reductions without keepdims: broadcasting fails (or works by chance on axis 0)"),
    Mistake(A1, "relu_forward", "relu_forward-np-max", '''def relu_forward(x):
    out = np.max(x, 0)
    return out, x''', hint="np.maximum", keep=(0.0, 0.08), why="np.max (a reduction) for np.maximum"),
    Mistake(A1, "relu_forward", "relu_forward-keeps-negatives", '''def relu_forward(x):
    out = np.minimum(x, 0)
    return out, x''', hint="guarda os POSITIVOS", keep=(0.0, 0.08), why="minimum for maximum"),
    Mistake(A1, "relu_backward", "relu_backward-gradient-at-zero", '''def relu_backward(dout, cache):
    x = cache
    return dout * (x >= 0)''', hint="convenção em x == 0", keep=(0.9, 0.95),
            why="passes the gradient at x == 0 (TensorFlow gives 0 there)"),
    Mistake(A1, "relu_backward", "relu_backward-multiplies-by-x", '''def relu_backward(dout, cache):
    x = cache
    return dout * x''', hint="não o próprio x", keep=(0.0, 0.0), why="the input for the derivative"),
    Mistake(A1, "relu_backward", "relu_backward-inverted-mask-forward-broken", '''def relu_backward(dout, cache):
    dx = dout.copy()
    dx[cache > 0] = 0
    return dx''', hint="a máscara está invertida", keep=(0.0, 0.0),
            why="inverted mask, behind a forward that crashes: the fallback cache still reports it",
            cells={"relu_forward": BROKEN_RELU_FORWARD}),
    Mistake(A1, "relu_backward", "relu_backward-without-chain-rule", '''def relu_backward(dout, cache):
    return (cache > 0).astype(float)''', hint="regra da cadeia", keep=(0.0, 0.0),
            why="returns the local derivative, forgetting dout"),
    Mistake(A1, "leaky_relu_forward", "leaky_relu_forward-alpha-on-positives", '''def leaky_relu_forward(x, alpha=0.01):
    out = np.where(x > 0, alpha * x, x)
    return out, (x, alpha)''', hint="alpha multiplica só a parte NEGATIVA", keep=(0.0, 0.08),
            why="the branches of np.where swapped"),
    Mistake(A1, "leaky_relu_forward", "leaky_relu_forward-fixed-alpha", '''def leaky_relu_forward(x, alpha=0.01):
    out = np.where(x > 0, x, 0.01 * x)
    return out, (x, alpha)''', hint="use o alpha recebido", keep=(0.3, 0.39),
            why="the default alpha hard-coded: only alpha = 0.01 passes"),
    Mistake(A1, "leaky_relu_backward", "leaky_relu_backward-gradient-at-zero", '''def leaky_relu_backward(dout, cache):
    x, alpha = cache
    return dout * np.where(x >= 0, 1.0, alpha)''', hint="convenção em x == 0", keep=(0.9, 0.95),
            why="x == 0 put in the slope-1 part"),
    Mistake(A1, "leaky_relu_backward", "leaky_relu_backward-alpha-without-dout", '''def leaky_relu_backward(dout, cache):
    x, alpha = cache
    return np.where(x > 0, dout, alpha)''', hint="regra da cadeia", keep=(0.0, 0.0),
            why="alpha returned instead of alpha * dout"),
]

CORRECT = [
    Correct(A1, "neuron_forward", "neuron_forward-python-sum", '''def neuron_forward(x, w, b):
    return sum(float(xi) * float(wi) for xi, wi in zip(x, w)) + b'''),
    Correct(A1, "sigmoid", "sigmoid-via-tanh", '''def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=float)))'''),
    Correct(A1, "tanh", "tanh-stable-exp", '''def tanh(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-2 * np.abs(x))
    return np.sign(x) * (1 - e) / (1 + e)'''),
    Correct(A1, "softmax", "softmax-logsumexp", '''def softmax(z, axis=-1):
    m = np.max(z, axis=axis, keepdims=True)
    log_norm = m + np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))
    return np.exp(z - log_norm)'''),
    Correct(A1, "relu_forward", "relu_forward-clip", '''def relu_forward(x):
    return np.clip(x, 0, None), x'''),
    Correct(A1, "relu_backward", "relu_backward-heaviside", '''def relu_backward(dout, cache):
    return dout * np.heaviside(cache, 0.0)'''),
    Correct(A1, "leaky_relu_forward", "leaky_relu_forward-maximum", '''def leaky_relu_forward(x, alpha=0.01):
    return np.maximum(x, alpha * x), (x, alpha)'''),
    Correct(A1, "leaky_relu_backward", "leaky_relu_backward-boolean-index", '''def leaky_relu_backward(dout, cache):
    x, alpha = cache
    dx = np.array(dout, dtype=float, copy=True)
    dx[x <= 0] *= alpha
    return dx'''),
]
