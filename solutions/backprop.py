"""Dense layer, losses, gradient checking, dropout and optimizers (assignment a4_backprop)."""
import numpy as np

from dlhelpers.validation import (
    as_float_array,
    require_ndim,
    require_same_keys,
    require_shape,
)


def dense_forward(x, W, b):
    """
    Passo forward de uma camada densa (totalmente conectada): out = x @ W + b.

    Entradas:
    - x: entradas, shape (m, d): m exemplos com d atributos.
    - W: pesos, shape (d, k): uma coluna por neurônio.
    - b: biases, shape (k,).

    Retorna uma tupla:
    - out: saída, shape (m, k).
    - cache: o que o passo backward precisa (x, W, b).
    """
    x = as_float_array(x, "x")
    W = as_float_array(W, "W")
    b = as_float_array(b, "b")
    require_ndim(x, 2, "x", "(m, d)")
    require_shape(W, (x.shape[1], None), "W")
    require_shape(b, (W.shape[1],), "b")
    out = x @ W + b
    cache = (x, W, b)
    return out, cache


def dense_backward(dout, cache):
    """
    Passo backward de uma camada densa.

    Entradas:
    - dout: gradiente em relação à saída, shape (m, k).
    - cache: a tupla (x, W, b) guardada por dense_forward.

    Retorna uma tupla:
    - dx: gradiente em relação a x, shape (m, d).
    - dW: gradiente em relação a W, shape (d, k).
    - db: gradiente em relação a b, shape (k,).
    """
    x, W, b = cache
    dout = as_float_array(dout, "dout")
    require_shape(dout, (x.shape[0], W.shape[1]), "dout")
    dx = dout @ W.T
    dW = x.T @ dout
    db = dout.sum(axis=0)
    return dx, dW, db


def mse_loss(y_pred, y):
    """
    Erro quadrático médio: a média, sobre todos os elementos, de (y_pred - y)**2
    (o mesmo que keras.losses.MeanSquaredError para entradas 2-D).

    Entradas:
    - y_pred: previsões, array de qualquer shape, por exemplo (m, k).
    - y: valores verdadeiros, mesmo shape de y_pred.

    Retorna uma tupla:
    - loss: float, a perda.
    - dy_pred: gradiente da perda em relação a y_pred, mesmo shape de y_pred.
    """
    y_pred = as_float_array(y_pred, "y_pred")
    y = as_float_array(y, "y")
    require_shape(y, y_pred.shape, "y")
    diff = y_pred - y
    loss = float(np.mean(diff**2))
    dy_pred = 2 * diff / diff.size
    return loss, dy_pred


def binary_cross_entropy(p, y):
    """
    Entropia cruzada binária média: -média(y*log(p) + (1 - y)*log(1 - p)).
    Como no Keras, p é limitada ao intervalo [1e-7, 1 - 1e-7] antes do log (assim log(0) nunca
    acontece); onde p foi cortada, o gradiente é zero.

    Entradas:
    - p: probabilidades previstas da classe positiva, array de qualquer shape, por exemplo (m,).
    - y: rótulos 0 ou 1 (ou probabilidades-alvo), mesmo shape de p.

    Retorna uma tupla:
    - loss: float, a perda média sobre todos os elementos.
    - dp: gradiente da perda em relação a p, mesmo shape de p.
    """
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_shape(y, p.shape, "y")
    eps = 1e-7
    p_clipped = np.clip(p, eps, 1 - eps)
    loss = float(-np.mean(y * np.log(p_clipped) + (1 - y) * np.log(1 - p_clipped)))
    inside = (p >= eps) & (p <= 1 - eps)
    dp = (p_clipped - y) / (p_clipped * (1 - p_clipped)) / p.size * inside
    return loss, dp


def softmax_cross_entropy(logits, y):
    """
    Entropia cruzada categórica aplicada à softmax das pontuações (logits), média sobre os
    exemplos: -média_i log(softmax(logits_i)[y_i]).

    Entradas:
    - logits: pontuações, shape (m, K), uma linha por exemplo e uma coluna por classe.
    - y: rótulos inteiros, shape (m,), com valores em 0..K-1.

    Retorna uma tupla:
    - loss: float, a perda média.
    - dlogits: gradiente em relação a logits, shape (m, K).
    """
    logits = as_float_array(logits, "logits")
    require_ndim(logits, 2, "logits", "(m, K)")
    y = np.asarray(y)
    m, n_classes = logits.shape
    require_shape(y, (m,), "y")
    if y.dtype.kind not in "iu" or y.min() < 0 or y.max() >= n_classes:
        raise ValueError(
            f"`y` deve conter rótulos inteiros entre 0 e {n_classes - 1}, mas contém {y[:5]}..."
        )
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = float(-np.mean(log_probs[np.arange(m), y]))
    dlogits = np.exp(log_probs)
    dlogits[np.arange(m), y] -= 1
    dlogits /= m
    return loss, dlogits


def numerical_gradient(f, x, h=1e-5):
    """
    Gradiente numérico por diferenças centradas: para cada posição i,
    grad[i] = (f(x + h*e_i) - f(x - h*e_i)) / (2*h).
    Serve para conferir um gradiente calculado à mão (gradient checking). O array x do chamador
    não é modificado.

    Entradas:
    - f: função que recebe um array com o shape de x e devolve um número.
    - x: ponto onde o gradiente é calculado, array de qualquer shape.
    - h: tamanho do passo (padrão 1e-5).

    Retorna:
    - grad: array com o mesmo shape de x.
    """
    x = np.array(as_float_array(x, "x"), dtype=np.float64)
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        original = x[index]
        x[index] = original + h
        f_plus = float(f(x))
        x[index] = original - h
        f_minus = float(f(x))
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


def dropout_forward(x, rate, training, seed=None):
    """
    Passo forward do dropout invertido. No treino, cada unidade é zerada com probabilidade
    `rate` e as que sobrevivem são multiplicadas por 1 / (1 - rate), para que a média da saída
    continue igual à da entrada. Fora do treino, a camada não faz nada.

    Entradas:
    - x: ativações, array de qualquer shape.
    - rate: probabilidade de descartar cada unidade, 0 <= rate < 1.
    - training: True no treino, False na avaliação.
    - seed: semente do gerador aleatório (para resultados reproduzíveis) ou None.

    Retorna uma tupla:
    - out: array com o mesmo shape de x.
    - cache: o que o passo backward precisa (a máscara já escalada, ou None fora do treino).
    """
    x = as_float_array(x, "x")
    if not 0 <= rate < 1:
        raise ValueError(f"`rate` deve estar no intervalo [0, 1), mas recebeu {rate}.")
    if not training:
        return x.copy(), None
    rng = np.random.default_rng(seed)
    mask = (rng.random(x.shape) >= rate) / (1 - rate)
    out = x * mask.astype(x.dtype)
    return out, mask


def dropout_backward(dout, cache):
    """
    Passo backward do dropout: o gradiente passa só pelas unidades que sobreviveram, com a mesma
    escala 1 / (1 - rate) do forward.

    Entradas:
    - dout: gradiente em relação à saída, mesmo shape de x.
    - cache: a máscara guardada por dropout_forward (None fora do treino).

    Retorna:
    - dx: gradiente em relação a x, mesmo shape de x.
    """
    mask = cache
    dout = as_float_array(dout, "dout")
    if mask is None:
        return dout.copy()
    require_shape(dout, mask.shape, "dout")
    return dout * mask.astype(dout.dtype)


def sgd_step(params, grads, lr):
    """
    Um passo de descida do gradiente: cada parâmetro anda contra o seu gradiente,
    p_novo = p - lr * grad.

    Entradas:
    - params: dict nome -> array com os parâmetros (por exemplo {"W1": ..., "b1": ...}).
    - grads: dict com as mesmas chaves e arrays do mesmo shape.
    - lr: taxa de aprendizado (learning rate), um número > 0.

    Retorna:
    - new_params: dict novo com os parâmetros atualizados (params não é modificado).
    """
    require_same_keys(params, grads, "params", "grads")
    new_params = {}
    for name, value in params.items():
        value = as_float_array(value, f"params['{name}']")
        grad = as_float_array(grads[name], f"grads['{name}']")
        require_shape(grad, value.shape, f"grads['{name}']")
        new_params[name] = value - lr * grad
    return new_params


def adam_step(params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-7):
    """
    Um passo do otimizador Adam, como em keras.optimizers.Adam:
        t = t + 1
        m = beta1 * m + (1 - beta1) * grad          (média dos gradientes: momento)
        v = beta2 * v + (1 - beta2) * grad**2       (média dos quadrados)
        lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t)   (correção de viés)
        p = p - lr_t * m / (sqrt(v) + eps)

    Entradas:
    - params: dict nome -> array com os parâmetros.
    - grads: dict com as mesmas chaves e arrays do mesmo shape.
    - state: None no primeiro passo; depois, o estado devolvido pelo passo anterior.
    - lr, beta1, beta2, eps: hiperparâmetros do Adam (padrões do Keras).

    Retorna uma tupla:
    - new_params: dict novo com os parâmetros atualizados (params não é modificado).
    - new_state: dict {"t": int, "m": dict de arrays, "v": dict de arrays} para o próximo passo.
    """
    require_same_keys(params, grads, "params", "grads")
    if state is None:
        state = {
            "t": 0,
            "m": {name: np.zeros_like(as_float_array(p, name)) for name, p in params.items()},
            "v": {name: np.zeros_like(as_float_array(p, name)) for name, p in params.items()},
        }
    t = state["t"] + 1
    lr_t = lr * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    new_params, new_m, new_v = {}, {}, {}
    for name, value in params.items():
        value = as_float_array(value, f"params['{name}']")
        grad = as_float_array(grads[name], f"grads['{name}']")
        require_shape(grad, value.shape, f"grads['{name}']")
        new_m[name] = beta1 * state["m"][name] + (1 - beta1) * grad
        new_v[name] = beta2 * state["v"][name] + (1 - beta2) * grad**2
        new_params[name] = value - lr_t * new_m[name] / (np.sqrt(new_v[name]) + eps)
    return new_params, {"t": t, "m": new_m, "v": new_v}
