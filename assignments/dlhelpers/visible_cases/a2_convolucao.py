"""Visible cases of a2_convolucao: the slides' worked examples and a few small arrays."""
import numpy as np

from dlhelpers.checks import Case, forward_output, part
from dlhelpers.worked_examples import (
    as_batch, as_filter, as_filter_1d, as_sequence, conv1d_example, conv1d_example_output, conv_3x3_filter,
    conv_6x6_image, conv_6x6_output, stride_3x3_filter, stride_7x7_image,
)

GRADIENTS = ("dA_prev", "dW", "db")


def is_int(value):
    """1.0 when a size came back as an integer (Python or numpy), 0.0 otherwise."""
    return float(isinstance(value, (int, np.integer)) and not isinstance(value, bool))


# A batch of 2 images 3x3 with 2 channels (the second channel is -1/2 of the first) and 2 filters
# 2x2: filter 0 mixes both channels, filter 1 only reads channel 0.
BATCH_A = np.concatenate([np.arange(1.0, 19.0).reshape(2, 3, 3, 1),
                          -np.arange(1.0, 19.0).reshape(2, 3, 3, 1) / 2], axis=3)
BATCH_W = np.zeros((2, 2, 2, 2))
BATCH_W[:, :, 0, 0] = [[1, 0], [0, -1]]
BATCH_W[:, :, 1, 0] = [[1, 1], [1, 1]]
BATCH_W[:, :, 0, 1] = [[0, 1], [1, 0]]
BATCH_B = np.array([0.5, -1.0])

# Backward, small: A = 1..9 (3x3), W = [[1, 2], [3, 4]], b = 0, stride 1, no padding; the gradient
# that arrives at the 2x2 output is [[1, -1], [2, 0]].
SMALL_A = as_batch([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
SMALL_W = as_filter([[1, 2], [3, 4]])
SMALL_DZ = as_batch([[1, -1], [2, 0]])

# Backward with stride 2, padding 1, 2 channels and 2 filters.
STRIDED_A = np.arange(1.0, 19.0).reshape(1, 3, 3, 2)
STRIDED_W = np.array([1, -1, 2, 0, 0, 1, -2, 1, 1, 0, 0, 1, -1, 2, 1, 1], dtype=float).reshape(2, 2, 2, 2)
STRIDED_B = np.array([0.1, -0.2])
STRIDED_DZ = np.array([1, 0, -1, 2, 0.5, 1, 2, -1]).reshape(1, 2, 2, 2)


# 1-D: a batch of 2 sequences of length 3 with 2 channels, and 2 filters of size 2.
SEQUENCES_X = np.array([[[1.0, -2.0], [3.0, 0.5], [-1.0, 2.0]], [[0.0, 1.0], [2.0, -1.0], [4.0, 3.0]]])
SEQUENCES_W = np.array([[[1.0, 0.0], [2.0, -1.0]], [[-1.0, 1.0], [0.5, 0.0]]])
SEQUENCES_B = np.array([0.25, -1.5])


def small_backward_inputs(conv_forward):
    return SMALL_DZ, conv_forward(SMALL_A, SMALL_W, np.zeros(1))[1]


CASES = {
    "zero_pad": [
        Case("imagem 2x2, pad = 1: vira 4x4 com moldura de zeros",
             (as_batch([[1, 2], [3, 4]]), 1),
             as_batch([[0, 0, 0, 0], [0, 1, 2, 0], [0, 3, 4, 0], [0, 0, 0, 0]]),
             "acrescente pad zeros antes e depois na altura (eixo 1) e na largura (eixo 2)."),
        Case("um único pixel, pad = 2: vira 5x5",
             (as_batch([[7]]), 2),
             as_batch([[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 7, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0]]),
             "use o argumento pad (aqui 2), não um 1 fixo."),
        Case("lote de 2 imagens 1x1, pad = 1: continuam 2 imagens",
             (np.array([1.0, 2.0]).reshape(2, 1, 1, 1), 1),
             np.array([[[[0], [0], [0]], [[0], [1], [0]], [[0], [0], [0]]],
                       [[[0], [0], [0]], [[0], [2], [0]], [[0], [0], [0]]]], dtype=float),
             "o eixo 0 (exemplos) não recebe padding: em np.pad use (0, 0) para ele."),
        Case("uma imagem 1x1 com 2 canais, pad = 1: continuam 2 canais",
             (np.array([5.0, 7.0]).reshape(1, 1, 1, 2), 1),
             np.array([[[[0, 0], [0, 0], [0, 0]], [[0, 0], [5, 7], [0, 0]], [[0, 0], [0, 0], [0, 0]]]],
                      dtype=float),
             "o eixo 3 (canais) não recebe padding: em np.pad use (0, 0) para ele."),
    ],
    "conv_output_size": [
        Case("slide: 6x6 com filtro 3x3 -> n - f + 1 = 4", (6, 3), 4,
             "sem padding e com stride 1, a saída é n - f + 1."),
        Case("slide: 6x6, filtro 3x3, padding 1 -> continua 6", (6, 3), 6,
             "o padding soma 2*pad ao tamanho: n + 2*pad - f + 1.", kwargs={"pad": 1}),
        Case("slide: 7x7, filtro 3x3, stride 2 -> 3", (7, 3), 3,
             "divida (n + 2*pad - f) pelo stride antes de somar 1.", kwargs={"stride": 2}),
        Case("8, filtro 3, stride 2: a conta dá 3.5 e a saída é 3", (8, 3), 3,
             "arredonde para baixo: a última janela, que não cabe inteira, é descartada (use //).",
             kwargs={"stride": 2}),
        Case("o resultado é um int? (1 = sim, 0 = não) com n = 32, f = 5", (32, 5), 1.0,
             "a divisão / e o np.floor devolvem float; a divisão inteira // mantém int.", output=is_int),
    ],
    "conv_single_step": [
        Case("janela do slide (linhas 0-2, colunas 2-4 da imagem 6x6) -> 7",
             (conv_6x6_image()[0:3, 2:5].reshape(3, 3, 1), conv_3x3_filter().reshape(3, 3, 1), 0.0), 7.0,
             "multiplique a janela pelo filtro elemento a elemento e some tudo: 0+0+9+0+8-4+0+2-8."),
        Case("primeira janela do exemplo de stride (7x7) -> 91",
             (stride_7x7_image()[0:3, 0:3].reshape(3, 3, 1), stride_3x3_filter().reshape(3, 3, 1), 0.0), 91.0,
             "é o produto elemento a elemento (a * W), não um produto de matrizes (a @ W)."),
        Case("janela de zeros: só o bias sobra", (np.zeros((2, 2, 3)), np.ones((2, 2, 3)), -1.5), -1.5,
             "só o bias é diferente de zero: confira que b entra na soma."),
        Case("2 canais, e b como array de um elemento",
             (np.stack([[[1.0, 2.0], [3.0, 4.0]], np.ones((2, 2))], axis=-1),
              np.stack([[[1.0, 0.0], [0.0, 1.0]], 2 * np.ones((2, 2))], axis=-1), np.array([0.5])), 13.5,
             "some sobre altura, largura e canais (5 + 8) e some b. Aqui b chega como array de um "
             "elemento: devolva um número, não um array; .item() tira o número de dentro do array "
             "(float(...) de um array com dimensões falha no numpy da correção)."),
    ],
    "conv_forward": [
        Case("slide: imagem 6x6 * filtro 3x3 -> 4x4 (na linha 1, coluna 2 o certo é 15, não 11)",
             (as_batch(conv_6x6_image()), as_filter(conv_3x3_filter()), np.zeros(1)), as_batch(conv_6x6_output()),
             "Z[0, h, w, 0] é a soma de A_prev[0, h:h+f, w:w+f, :] * W[:, :, :, 0], mais b[0].",
             output=forward_output),
        Case("slide: o mesmo com padding 1 -> 6x6",
             (as_batch(conv_6x6_image()), as_filter(conv_3x3_filter()), np.zeros(1)),
             as_batch([[6, 0, -4, -9, 0, 22], [12, 0, -5, 7, 20, 41], [21, 2, 0, 15, 33, 45],
                   [25, 7, 9, 35, 43, 36], [25, 15, 29, 38, 31, 15], [42, 22, 24, 12, 7, 0]]),
             "aplique zero_pad(A_prev, pad) antes de deslizar a janela e use pad no tamanho da saída.",
             kwargs={"pad": 1}, output=forward_output),
        Case("slide: 7x7 * 3x3 com stride 2 -> 3x3 começando em 91",
             (as_batch(stride_7x7_image()), as_filter(stride_3x3_filter()), np.zeros(1)),
             as_batch([[91, 100, 88], [69, 91, 117], [44, 72, 74]]),
             "com stride s, a janela da saída (h, w) começa na linha h*s e na coluna w*s da entrada.",
             kwargs={"stride": 2}, output=forward_output),
        Case("lote de 2 imagens 3x3, 2 canais, 2 filtros 2x2 com bias",
             (BATCH_A, BATCH_W, BATCH_B),
             np.array([[[[-9.5, 5.0], [-11.5, 7.0]], [[-15.5, 11.0], [-17.5, 13.0]]],
                       [[[-27.5, 23.0], [-29.5, 25.0]], [[-33.5, 29.0], [-35.5, 31.0]]]]),
             "cada filtro k soma sobre TODOS os canais da janela, usa W[:, :, :, k] e o próprio bias "
             "b[k]; cada exemplo do lote é calculado separadamente.",
             output=forward_output),
    ],
    "conv1d_forward": [
        Case("aulas: sinal [1, 2] com o filtro [1, -1] -> uma janela, 1*1 + 2*(-1) = -1",
             (as_sequence(conv1d_example()[0]), as_filter_1d(conv1d_example()[1]), np.zeros(1)),
             conv1d_example_output().reshape(1, 1, 1),
             "out[0, t, k] é a soma de x[0, t:t+f, :] * w[:, :, k], mais b[k]; aqui, 1*1 + 2*(-1).",
             output=forward_output),
        Case("filtro [1, -1] num sinal de 6 valores -> 5 diferenças entre vizinhos",
             (as_sequence([1, 2, 3, 3, 0, 5]), as_filter_1d([1, -1]), np.zeros(1)),
             as_sequence([-1, -1, 0, 3, -5]),
             "a janela anda uma casa por vez e a saída tem L - f + 1 valores; o filtro não é invertido "
             "(correlação cruzada): a saída em t é x[t] - x[t + 1].",
             output=forward_output),
        Case("média móvel de 3 com pad = 1: o comprimento 4 se mantém",
             (as_sequence([3, 6, 9, 3]), as_filter_1d([1 / 3, 1 / 3, 1 / 3]), np.zeros(1)),
             as_sequence([3, 6, 6, 4]),
             "acrescente pad zeros no começo e no fim do eixo 1 (comprimento) antes de deslizar a janela, "
             "e use pad no tamanho da saída.",
             kwargs={"pad": 1}, output=forward_output),
        Case("filtro [1, 0, -1] com stride 2 num sinal de 7 valores -> 3 saídas",
             (as_sequence([1, 4, 2, 8, 5, 7, 3]), as_filter_1d([1, 0, -1]), np.zeros(1)),
             as_sequence([-1, -3, 2]),
             "com stride s, a janela da saída t começa na posição t*s da entrada (0, 2 e 4 aqui).",
             kwargs={"stride": 2}, output=forward_output),
        Case("lote de 2 sequências, 2 canais, 2 filtros de tamanho 2 com bias",
             (SEQUENCES_X, SEQUENCES_W, SEQUENCES_B),
             np.array([[[-5.5, 3.5], [6.25, -3.0]], [[-0.25, -0.5], [-2.25, 3.5]]]),
             "cada filtro k soma sobre a janela E sobre todos os canais, usa w[:, :, k] e o próprio bias "
             "b[k]; cada sequência do lote é calculada separadamente.",
             output=forward_output),
    ],
    "conv_backward": [
        Case("db: A 3x3, filtro 2x2, dZ = [[1, -1], [2, 0]] -> db = 2",
             small_backward_inputs, np.array([2.0]),
             "só db: ele é a soma de dZ sobre exemplos, altura e largura, um valor por filtro.",
             output=part(GRADIENTS, "db"), needs=("conv_forward",)),
        Case("dW: mesmo caso -> [[7, 9], [13, 15]]",
             small_backward_inputs, as_filter([[7, 9], [13, 15]]),
             "só dW: dW[i, j] soma A_pad[h + i, w + j] * dZ[h, w] sobre todas as janelas "
             "(7 = 1*1 + 2*(-1) + 4*2 + 5*0).",
             output=part(GRADIENTS, "dW"), needs=("conv_forward",)),
        Case("dA_prev: mesmo caso -> 3x3",
             small_backward_inputs, as_batch([[1, 1, -2], [5, 5, -4], [6, 8, 0]]),
             "só dA_prev: cada janela (h, w) soma W * dZ[h, w] nos pixels que cobriu; janelas "
             "sobrepostas se acumulam (use +=).",
             output=part(GRADIENTS, "dA_prev"), needs=("conv_forward",)),
        Case("stride 2, padding 1, 2 canais, 2 filtros: (dA_prev, dW, db)",
             lambda conv_forward: (STRIDED_DZ, conv_forward(STRIDED_A, STRIDED_W, STRIDED_B, 2, 1)[1]),
             (np.array([[[[-1.0, 1.0], [-1.0, 2.0], [5.0, 1.0]],
                         [[1.0, 0.0], [3.0, 4.0], [-1.0, -5.0]],
                         [[1.5, 1.5], [2.0, -1.0], [-4.0, 1.0]]]]),
              np.array([[[[18.0, -9.0], [20.0, -10.0]], [[25.5, -4.0], [28.0, -4.0]]],
                        [[[27.0, -9.0], [28.0, -8.0]], [[36.5, 6.0], [39.0, 8.0]]]]),
              np.array([2.5, 2.0])),
             "as janelas começam em h*stride e w*stride da entrada COM padding; calcule em dA_pad "
             "e, no fim, tire a moldura de pad pixels de cada lado (cuidado: com pad = 0, um corte "
             "[pad:-pad] fica vazio).",
             needs=("conv_forward",)),
    ],
    "count_conv_params": [
        Case("slide: 64 filtros 5x5 sobre 3 canais, sem bias -> 4800", (5, 3, 64), 4800,
             "cada filtro tem f*f*n_C_prev pesos, e são n_C filtros: 5*5*3*64.",
             kwargs={"bias": False}),
        Case("o mesmo com bias -> 4800 + 64 = 4864", (5, 3, 64), 4864,
             "com bias=True, some um bias por filtro (n_C), não um por peso."),
        Case("Conv2D(32, (3, 3)) sobre uma imagem RGB -> 896", (3, 3, 32), 896,
             "3*3*3*32 = 864 pesos, mais 32 biases."),
    ],
    "count_dense_params": [
        Case("slide: 3072 entradas -> 50176 saídas, sem bias -> 154140672", (3072, 50176), 154140672,
             "uma densa liga cada entrada a cada saída: n_in * n_out pesos.", kwargs={"bias": False}),
        Case("Dense(1024) depois do Flatten 3x3x128 do modelo do CIFAR -> 1180672", (1152, 1024), 1180672,
             "1152*1024 pesos, mais um bias por neurônio (1024)."),
        Case("2 entradas, 3 neurônios com bias -> 9", (2, 3), 9,
             "cada neurônio tem n_in pesos e 1 bias: 3*(2+1)."),
    ],
}
