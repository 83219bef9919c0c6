"""Neurons and activation functions (assignment a1_ativacoes)."""
import numpy as np

from dlhelpers.validation import as_float_array, require_ndim, require_shape


def neuron_forward(x, w, b):
    """
    Calcula a soma ponderada de um neurônio: cada entrada vezes o seu peso, mais o bias.
    Nenhuma função de ativação é aplicada aqui.

    Entradas:
    - x: array de shape (d,) com as entradas do neurônio.
    - w: array de shape (d,) com um peso para cada entrada.
    - b: número real, o bias.

    Retorna:
    - z: float, igual a x[0]*w[0] + ... + x[d-1]*w[d-1] + b.
    """
    x = as_float_array(x, "x")
    w = as_float_array(w, "w")
    require_ndim(x, 1, "x", "(d,)")
    require_shape(w, x.shape, "w")
    return float(np.dot(x, w) + b)


def sigmoid(x):
    """
    Função sigmoide (logística), elemento a elemento: sigma(x) = 1 / (1 + exp(-x)).
    Deve ser numericamente estável: nada de overflow para |x| até 1e4.

    Entradas:
    - x: array de qualquer shape.

    Retorna:
    - s: array com o mesmo shape de x, valores em (0, 1).
    """
    x = as_float_array(x, "x")
    # exp(-|x|) never overflows; the two branches are the same function written two ways.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def tanh(x):
    """
    Tangente hiperbólica, elemento a elemento: tanh(x) = (e^x - e^-x) / (e^x + e^-x).

    Entradas:
    - x: array de qualquer shape.

    Retorna:
    - t: array com o mesmo shape de x, valores em (-1, 1).
    """
    x = as_float_array(x, "x")
    return np.tanh(x)


def softmax(z, axis=-1):
    """
    Softmax ao longo de um eixo: exp(z_i) / soma_j exp(z_j). Transforma pontuações em uma
    distribuição de probabilidade. Numericamente estável (subtraia o máximo antes da exp).

    Entradas:
    - z: array de qualquer shape, por exemplo (m, K) com K pontuações por exemplo.
    - axis: eixo ao longo do qual as probabilidades somam 1 (padrão: o último).

    Retorna:
    - p: array com o mesmo shape de z; p.sum(axis=axis) é 1 em toda parte.
    """
    z = as_float_array(z, "z")
    shifted = z - np.max(z, axis=axis, keepdims=True)
    exp = np.exp(shifted)
    return exp / np.sum(exp, axis=axis, keepdims=True)


def relu_forward(x):
    """
    Passo forward da ReLU: ReLU(x) = max(0, x), elemento a elemento.

    Entradas:
    - x: array de qualquer shape.

    Retorna uma tupla:
    - out: array com o mesmo shape de x.
    - cache: o que o passo backward precisa (a entrada x).
    """
    x = as_float_array(x, "x")
    out = np.maximum(x, 0)
    cache = x
    return out, cache


def relu_backward(dout, cache):
    """
    Passo backward da ReLU: o gradiente passa onde a entrada era positiva e é zerado no resto
    (inclusive em x == 0).

    Entradas:
    - dout: gradiente vindo da camada seguinte, mesmo shape de x.
    - cache: a entrada x guardada pelo forward.

    Retorna:
    - dx: gradiente em relação a x, mesmo shape de x.
    """
    x = cache
    dout = as_float_array(dout, "dout")
    require_shape(dout, x.shape, "dout")
    return dout * (x > 0)


def leaky_relu_forward(x, alpha=0.01):
    """
    Passo forward da Leaky ReLU: x quando x > 0, alpha * x quando x <= 0.
    Os valores negativos são atenuados em vez de zerados, o que evita neurônios "mortos".

    Entradas:
    - x: array de qualquer shape.
    - alpha: inclinação da parte negativa (padrão 0.01).

    Retorna uma tupla:
    - out: array com o mesmo shape de x.
    - cache: o que o passo backward precisa (x e alpha).
    """
    x = as_float_array(x, "x")
    out = np.where(x > 0, x, alpha * x)
    cache = (x, alpha)
    return out, cache


def leaky_relu_backward(dout, cache):
    """
    Passo backward da Leaky ReLU: a derivada é 1 onde x > 0 e alpha onde x <= 0.

    Entradas:
    - dout: gradiente vindo da camada seguinte, mesmo shape de x.
    - cache: a tupla (x, alpha) guardada pelo forward.

    Retorna:
    - dx: gradiente em relação a x, mesmo shape de x.
    """
    x, alpha = cache
    dout = as_float_array(dout, "dout")
    require_shape(dout, x.shape, "dout")
    return dout * np.where(x > 0, 1.0, alpha).astype(dout.dtype)
