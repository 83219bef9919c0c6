"""Visible cases of a4_backprop: the 2-2-2 worked example of the slides and a few simple values."""
import numpy as np

from dlhelpers.checks import Case, forward_output, part
from dlhelpers.worked_examples import (
    APPLE_LEARNING_RATE, apple_features, apple_first_hidden_unit, apple_hidden_outputs, apple_network_outputs,
    apple_output_weights, apple_targets, dropout_example,
)

LOSS_PARTS = ("loss", "gradiente")
DENSE_GRADIENTS = ("dx", "dW", "db")
ADAM_PARTS = ("params", "state")


def distinct_values(result):
    """The distinct values of the output of dropout_forward."""
    return np.unique(np.asarray(forward_output(result)))


def dropped_share(result):
    """The share of zeroed units in the output of dropout_forward, rounded to one decimal."""
    return round(float(np.mean(np.asarray(forward_output(result)) == 0)), 1)


def dropped_share_and_largest(dx):
    """[share of zeros in dx rounded to one decimal, largest value of dx]."""
    dx = np.asarray(dx)
    return np.array([round(float(np.mean(dx == 0)), 1), float(dx.max())])


BATCH_X = np.array([[1.0, 2.0], [3.0, -1.0]])
BATCH_W = np.array([[1.0, 0.0, -1.0], [0.5, 2.0, 0.25]])
BATCH_B = np.array([0.1, -0.2, 0.3])
BATCH_DOUT = np.array([[1.0, 0.0, -1.0], [2.0, 1.0, 0.5]])

SLIDE_DROPOUT = np.tile(dropout_example()[0], (2500, 1))  # {1, 2, 3, 4} 2 500 vezes


def _dropout_backward_training(dropout_forward):
    """10 000 units, rate 0.2: the forward's own output comes back as dout."""
    out, cache = dropout_forward(np.ones(10000), 0.2, True, seed=0)
    return (np.array(out, dtype=np.float64), cache)


def _adam_second_step(adam_step):
    """The arguments of Adam's second step: the student's first step gives params and state."""
    params, state = adam_step({"w": np.array([1.0, -2.0, 0.5])}, {"w": np.array([0.1, -0.3, 0.0])}, None,
                              lr=0.1)
    return (params, {"w": np.array([0.2, 0.1, -0.4])}, state)


CASES = {
    "dense_forward": [
        Case("primeiro neurônio oculto do slide: maçã (0.22, 0.93), w1 = 0.11, w2 = 0.25, b = 0.30",
             (apple_features(), *apple_first_hidden_unit()), np.array([[0.5567]]),
             "cada saída é a soma de x[i, j] * W[j, c] sobre j, mais b[c]: 0.11*0.22 + 0.25*0.93 + 0.30.",
             output=forward_output),
        Case("lote de 2 exemplos, 2 atributos, 3 neurônios",
             (BATCH_X, BATCH_W, BATCH_B), np.array([[2.1, 3.8, -0.2], [2.6, -2.2, -2.95]]),
             "x (m, d) vezes W (d, k) dá (m, k): use o produto de matrizes x @ W (não x * W) e some b.",
             output=forward_output),
        Case("entradas todas zero: só o bias sobra",
             (np.zeros((2, 3)), np.arange(6.0).reshape(3, 2), np.array([1.5, -1.0])),
             np.array([[1.5, -1.0], [1.5, -1.0]]),
             "só o bias é diferente de zero: b (k,) é somado a cada linha da saída (broadcasting).",
             output=forward_output),
    ],
    "dense_backward": [
        Case("camada de saída do slide: dout = deltas [[0.14559, -0.04659]], x = saídas ocultas "
             "[[0.63569, 0.67195]]; compara dW (dE/dw5 = 0.09255)",
             lambda dense_forward: (np.array([[0.14559, -0.04659]]),
                                    dense_forward(apple_hidden_outputs(), apple_output_weights(), np.zeros(2))[1]),
             np.array([[0.0925501071, -0.0296167971], [0.0978292005, -0.0313061505]]),
             "cada peso recebe (entrada que ele multiplica) * (gradiente da saída a que ele leva): o "
             "que liga h1 a o1 recebe Saída(h1) * delta_o1 = 0.63569 * 0.14559. Num lote isso é um "
             "produto de matrizes com x transposta, e dW tem o shape de W, (d, k).",
             output=part(DENSE_GRADIENTS, "dW"), needs=("dense_forward",)),
        Case("lote de 2 exemplos: compara dx",
             lambda dense_forward: (BATCH_DOUT, dense_forward(BATCH_X, BATCH_W, BATCH_B)[1]),
             np.array([[2.0, 0.25], [1.5, 3.125]]),
             "dx tem o shape de x, (m, d): é dout (m, k) num produto de matrizes com W transposta "
             "(k, d), não com W nem elemento a elemento.",
             output=part(DENSE_GRADIENTS, "dx"), needs=("dense_forward",)),
        Case("lote de 2 exemplos: compara db",
             lambda dense_forward: (BATCH_DOUT, dense_forward(BATCH_X, BATCH_W, BATCH_B)[1]),
             np.array([3.0, 1.0, -0.5]),
             "o mesmo b serve a todos os exemplos: db soma dout ao longo dos exemplos (axis=0).",
             output=part(DENSE_GRADIENTS, "db"), needs=("dense_forward",)),
    ],
    "mse_loss": [
        Case("exemplo 2-2-2 do slide: saídas (0.68657, 0.74484), alvos (0.01, 0.99); compara a perda",
             (apple_network_outputs(), apple_targets()), 0.25892519525,
             "a média de (y_pred - y)**2 sobre todos os elementos: (0.67657² + 0.24516²) / 2 = 0.25893.",
             output=part(LOSS_PARTS, "loss")),
        Case("exemplo 2-2-2 do slide: compara o gradiente (dE/dSaída(o1) = 0.67657)",
             (apple_network_outputs(), apple_targets()), np.array([[0.67657, -0.24516]]),
             "a derivada de média((y_pred - y)**2) é 2 * (y_pred - y) / N, com N = número total de "
             "elementos; aqui N = 2, então sobra y_pred - y.",
             output=part(LOSS_PARTS, "gradiente")),
        Case("3 exemplos com 1 saída cada: (perda, gradiente)",
             (np.array([[1.0], [2.0], [3.0]]), np.array([[1.0], [1.0], [1.0]])),
             (1.6666666666666667, np.array([[0.0], [0.6666666666666666], [1.3333333333333333]])),
             "erros 0, 1 e 2: perda (0 + 1 + 4) / 3; gradiente 2 * erro / 3. Devolva um float e um array "
             "com o shape de y_pred."),
    ],
    "binary_cross_entropy": [
        Case("p = (0.9, 0.2, 0.6), y = (1, 0, 1): compara a perda",
             (np.array([0.9, 0.2, 0.6]), np.array([1.0, 0.0, 1.0])), 0.2797765635793423,
             "-média(y log p + (1 - y) log(1 - p)) = -(log 0.9 + log 0.8 + log 0.6) / 3.",
             output=part(LOSS_PARTS, "loss")),
        Case("p = (0.9, 0.2, 0.6), y = (1, 0, 1): compara o gradiente",
             (np.array([0.9, 0.2, 0.6]), np.array([1.0, 0.0, 1.0])),
             np.array([-0.3703703703703704, 0.4166666666666666, -0.5555555555555556]),
             "a derivada de cada termo é (p - y) / (p (1 - p)); não esqueça de dividir por N = 3 (a média).",
             output=part(LOSS_PARTS, "gradiente")),
        Case("previsões certeiras e erradas: p = (0, 1), y = (1, 0)",
             (np.array([0.0, 1.0]), np.array([1.0, 0.0])), (16.1180956512215, np.array([0.0, 0.0])),
             "limite p a [1e-7, 1 - 1e-7] antes do log (np.clip), assim log(0) não acontece: a perda fica "
             "-log(1e-7) ≈ 16.118. Onde p foi cortada, o gradiente é zero."),
    ],
    "softmax_cross_entropy": [
        Case("1 exemplo, logits (2, 1, 0.1), classe certa 0: compara a perda",
             (np.array([[2.0, 1.0, 0.1]]), np.array([0])), 0.41703001627783354,
             "a perda é -log(softmax(logits)[classe certa]) = -log(0.659).",
             output=part(LOSS_PARTS, "loss")),
        Case("2 exemplos, classes certas (2, 0): (perda, gradiente)",
             (np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]]), np.array([2, 0])),
             (0.7531091265562451,
              np.array([[0.04501528658519022, 0.12236423552739882, -0.1673795221125891],
                        [-0.33333333333333337, 0.16666666666666666, 0.16666666666666666]])),
             "a perda é a MÉDIA sobre os m exemplos; o gradiente é (softmax(logits) - one_hot(y)) / m: "
             "subtraia 1 na coluna da classe certa de cada linha e divida pelo número de exemplos."),
        Case("logits grandes (1000, 1001, 1002), classe 2: (perda, gradiente)",
             (np.array([[1000.0, 1001.0, 1002.0]]), np.array([2])),
             (0.4076059644443804, np.array([[0.09003057317038043, 0.24472847105479764, -0.3347590442251782]])),
             "exp(1000) estoura: subtraia o máximo de cada linha antes da exp; o resultado é o mesmo dos "
             "logits (0, 1, 2)."),
    ],
    "numerical_gradient": [
        Case("f(x) = soma(x²) em x = (1, -2, 3): o gradiente é 2x",
             (lambda v: np.sum(v ** 2), np.array([1.0, -2.0, 3.0])), np.array([2.0, -4.0, 6.0]),
             "para cada posição i: (f(x + h e_i) - f(x - h e_i)) / (2h), mexendo em uma posição de cada vez "
             "e devolvendo-a ao valor original depois."),
        Case("f(x) = soma(sen x) em x = (0, 1, 2): o gradiente é cos x",
             (lambda v: np.sum(np.sin(v)), np.array([0.0, 1.0, 2.0])),
             np.array([1.0, 0.5403023058681398, -0.4161468365471424]),
             "use o passo h = 1e-5 do argumento padrão e a diferença centrada (dividida por 2h)."),
        Case("x com shape (2, 2) e f(x) = produto de todos os elementos: cada derivada é o produto dos outros",
             (lambda v: np.prod(v), np.array([[1.0, 2.0], [3.0, 4.0]])), np.array([[24.0, 12.0], [8.0, 6.0]]),
             "o gradiente tem o shape de x: percorra todas as posições (np.ndindex(x.shape)). Aqui cada "
             "derivada depende das outras posições: devolva cada uma ao valor original antes da próxima."),
        Case("f(x) = soma(x³) em x = (1, 2) com h = 0.1: a diferença centrada dá 3x² + h²",
             (lambda v: np.sum(v ** 3), np.array([1.0, 2.0])), np.array([3.01, 12.01]),
             "use o h recebido. Com a diferença centrada sai 3x² + h² = (3.01, 12.01); uma diferença "
             "para a frente, (f(x + h) - f(x)) / h, daria (3.31, 13.21).",
             kwargs={"h": 0.1}),
    ],
    "dropout_forward": [
        Case("inferência (training=False): a camada não faz nada",
             (np.array([[1.0, 2.0], [3.0, 4.0]]), 0.5, False), np.array([[1.0, 2.0], [3.0, 4.0]]),
             "fora do treino, devolva uma cópia de x sem zerar nem escalar nada.",
             output=forward_output),
        Case("exemplo do slide x = {1, 2, 3, 4} com p = 0.25, repetido em 2 500 linhas: valores distintos "
             "da saída",
             (SLIDE_DROPOUT, dropout_example()[1], True), np.array([0.0, 1.3333333333333333, 2.6666666666666665, 4.0,
                                                    5.3333333333333330]),
             "cada unidade vira 0 ou x / (1 - 0.25): as sobreviventes são multiplicadas por 1/0.75.",
             kwargs={"seed": 0}, output=distinct_values),
        Case("10 000 unidades com p = 0.2: fração das unidades zeradas (arredondada)",
             (np.ones(10000), 0.2, True), 0.2,
             "rate é a probabilidade de DESCARTAR: zere onde o número aleatório é menor que rate "
             "(por exemplo, mantenha onde rng.random(x.shape) >= rate).",
             kwargs={"seed": 0}, output=dropped_share),
    ],
    "dropout_backward": [
        Case("inferência: o gradiente passa inteiro",
             lambda dropout_forward: (np.array([[0.5, -1.0], [2.0, 3.0]]),
                                      dropout_forward(np.ones((2, 2)), 0.5, False)[1]),
             np.array([[0.5, -1.0], [2.0, 3.0]]),
             "fora do treino o forward é a identidade, então dx = dout.",
             needs=("dropout_forward",)),
        Case("treino, p = 0.2 em 10 000 unidades, dout = a própria saída do forward: "
             "[fração de zeros em dx, maior valor de dx]",
             _dropout_backward_training, np.array([0.2, 1.5625]),
             "multiplique dout pela MESMA máscara do forward (guardada no cache), com a mesma escala "
             "1/(1 - rate): as unidades descartadas recebem gradiente zero e as outras 1.25 * 1.25.",
             output=dropped_share_and_largest, needs=("dropout_forward",)),
    ],
    "sgd_step": [
        Case("atualização de w5 no exemplo do slide: w5 = 0.40, dE/dw5 = 0.09255, eta = 0.5",
             ({"w5": apple_output_weights()[0, 0]}, {"w5": np.array(0.09255)}, APPLE_LEARNING_RATE), {"w5": 0.353725},
             "p_novo = p - lr * grad: 0.40 - 0.5 * 0.09255."),
        Case("dois parâmetros, W (2, 2) e b (2,), lr = 0.1",
             ({"W": np.array([[1.0, 2.0], [3.0, 4.0]]), "b": np.array([0.5, -0.5])},
              {"W": np.array([[0.1, -0.2], [0.0, 1.0]]), "b": np.array([1.0, -1.0])}, 0.1),
             {"W": np.array([[0.99, 2.02], [3.0, 3.9]]), "b": np.array([0.4, -0.4])},
             "devolva um dict novo com as mesmas chaves, atualizando cada parâmetro com o seu próprio gradiente."),
    ],
    "adam_step": [
        Case("primeiro passo (state=None), lr = 0.1: compara os parâmetros",
             ({"w": np.array([1.0, -2.0, 0.5])}, {"w": np.array([0.1, -0.3, 0.0])}, None),
             {"w": np.array([0.9000031621776634, -1.9000010540814425, 0.5])},
             "no primeiro passo m e v começam em zero e t vira 1; com a correção de viés o passo fica quase "
             "lr * sinal(grad). Gradiente zero não move o parâmetro.",
             kwargs={"lr": 0.1}, output=part(ADAM_PARTS, "params")),
        Case("segundo passo, lr = 0.1, partindo do estado devolvido pelo seu primeiro passo",
             _adam_second_step, {"w": np.array([0.8034863246862083, -1.8599795972807862, 0.5744130940695357])},
             "no segundo passo t = 2: m = beta1*m + (1 - beta1)*grad, v = beta2*v + (1 - beta2)*grad**2 e "
             "lr_t = lr * sqrt(1 - beta2**2) / (1 - beta1**2). Guarde t, m e v no estado.",
             kwargs={"lr": 0.1}, output=part(ADAM_PARTS, "params"), needs=("adam_step",)),
        Case("hiperparâmetros padrão (lr = 0.001, eps = 1e-7), dois parâmetros, gradientes pequenos",
             ({"W": np.array([[0.5, -0.5]]), "b": np.array([0.0])},
              {"W": np.array([[2.0, -0.01]]), "b": np.array([1e-8])}, None),
             {"W": np.array([[0.49900000158113633, -0.4990003161277976]]), "b": np.array([-3.152309183260214e-06])},
             "confira os padrões do Keras (lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-7) e que eps é somado "
             "FORA da raiz: m / (sqrt(v) + eps).",
             output=part(ADAM_PARTS, "params")),
    ],
}
