"""The training loop of a4_backprop's demonstrations (XOR and the handwritten digits).

Public and shipped with every released notebook. It holds no exercise: the pieces that do the
work (the dense layer's forward and backward, the loss, the optimizer step) come in as
arguments, and in the notebook they are the functions the student wrote. The unit tests call
the same loop with the reference functions, so the figures the notebook states are the figures
this code reaches.

A network here is a stack of dense layers with tanh between them and nothing after the last
one: its output is a score per class (one score when the loss goes through a sigmoid).
Parameters live in a dict ``{"W1", "b1", "W2", "b2", ...}``, the layout of the notebook's
optimizers.
"""
from __future__ import annotations

import numpy as np


def xor_points():
    """Os quatro pontos do XOR, X (4, 2), e os rótulos (4,): 1 quando exatamente uma entrada vale 1."""
    points = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    labels = np.array([0, 1, 1, 0])
    return points, labels


def init_network(layer_sizes, seed=0):
    """Pesos aleatórios com desvio-padrão 1/sqrt(entradas) e biases zerados.

    ``layer_sizes`` = (entradas, ocultas..., saídas): (2, 1) é um único neurônio com duas
    entradas; (64, 32, 10) tem uma camada oculta de 32 unidades e 10 saídas.
    """
    generator = np.random.default_rng(seed)
    params = {}
    for index, (fan_in, fan_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
        params[f"W{index}"] = generator.normal(0.0, 1 / np.sqrt(fan_in), size=(fan_in, fan_out))
        params[f"b{index}"] = np.zeros(fan_out)
    return params


def _layer_count(params):
    return len([name for name in params if name.startswith("W")])


def network_forward(params, X, dense_forward):
    """Pontuações (m, saídas) da rede e os caches de cada camada (tanh entre as camadas densas)."""
    n_layers = _layer_count(params)
    layer_caches = []
    activation = X
    for index in range(1, n_layers + 1):
        scores, dense_cache = dense_forward(activation, params[f"W{index}"], params[f"b{index}"])
        if index < n_layers:
            activation = np.tanh(scores)
            layer_caches.append((dense_cache, activation))
        else:
            layer_caches.append((dense_cache, None))
    return scores, layer_caches


def network_backward(dscores, caches, dense_backward):
    """Gradientes de todos os parâmetros, da última camada para a primeira."""
    grads = {}
    upstream = dscores
    for index in range(len(caches), 0, -1):
        dense_cache = caches[index - 1][0]
        dinput, grads[f"W{index}"], grads[f"b{index}"] = dense_backward(upstream, dense_cache)
        if index > 1:
            previous_output = caches[index - 2][1]
            upstream = dinput * (1 - previous_output ** 2)  # tanh'(z) = 1 - tanh(z)^2
    return grads


def through_sigmoid(loss):
    """Transforma uma perda sobre probabilidades, ``loss(p, y)``, em uma perda sobre a pontuação
    de um único neurônio de saída: p = sigmoide(pontuação) e, pela regra da cadeia, o gradiente
    da pontuação é o de p vezes p (1 - p)."""

    def loss_on_scores(scores, y):
        probability = 0.5 * (1 + np.tanh(scores[:, 0] / 2))  # the sigmoid, without overflow
        value, dprobability = loss(probability, np.asarray(y, dtype=float))
        slope = probability * (1 - probability)
        return value, (np.asarray(dprobability) * slope)[:, None]

    return loss_on_scores


def predict(params, X, dense_forward):
    """Classe prevista de cada exemplo: a maior pontuação ou, com uma saída só, pontuação > 0
    (sigmoide > 0,5)."""
    scores, _ = network_forward(params, X, dense_forward)
    if scores.shape[1] == 1:
        return (scores[:, 0] > 0).astype(int)
    return np.argmax(scores, axis=1)


def train_network(X, y, layer_sizes, *, dense_forward, dense_backward, loss, optimizer_step, lr,
                  epochs, batch_size=None, seed=0):
    """Treina a rede com mini-lotes embaralhados a cada época e devolve ``(params, history)``.

    - ``loss(scores, y) -> (perda, dscores)``: ``softmax_cross_entropy``, ou
      ``through_sigmoid(binary_cross_entropy)`` para um único neurônio de saída;
    - ``optimizer_step(params, grads, state, lr=lr) -> (params, state)``: ``adam_step``;
    - ``batch_size=None`` usa todos os exemplos em cada passo.

    ``history`` guarda, por época, a perda média dos lotes (``"loss"``) e a acurácia no
    conjunto de treino (``"accuracy"``).
    """
    shuffler = np.random.default_rng(seed)
    params = init_network(layer_sizes, seed=seed)
    state = None
    size = len(X) if batch_size is None else batch_size
    history = {"loss": [], "accuracy": []}
    for _ in range(epochs):
        order = shuffler.permutation(len(X))
        batch_losses = []
        for start in range(0, len(order), size):
            batch = order[start:start + size]
            scores, caches = network_forward(params, X[batch], dense_forward)
            batch_loss, dscores = loss(scores, y[batch])
            grads = network_backward(dscores, caches, dense_backward)
            params, state = optimizer_step(params, grads, state, lr=lr)
            batch_losses.append(float(batch_loss))
        history["loss"].append(float(np.mean(batch_losses)))
        history["accuracy"].append(float(np.mean(predict(params, X, dense_forward) == y)))
    return params, history
