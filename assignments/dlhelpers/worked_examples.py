"""Os exemplos numéricos das aulas, cada um escrito uma única vez.

As tarefas, as verificações visíveis e os testes usam estes mesmos números. Cada função devolve
uma cópia nova, em float64: você pode alterar o array que recebeu à vontade, a próxima chamada
devolve o exemplo original de novo. Aqui só há entradas e os números que os próprios slides
imprimem (onde a conta do slide escorrega, o valor já vem corrigido e a docstring avisa).

As imagens e os filtros dos exemplos são 2-D; ``as_batch`` e ``as_filter`` os colocam no formato
das camadas (lote channels-last e filtros do Keras).
"""
from __future__ import annotations

import numpy as np


def _array(values) -> np.ndarray:
    return np.array(values, dtype=np.float64)


def as_batch(image) -> np.ndarray:
    """Uma imagem cinza ou tabela 2-D, shape (n_H, n_W), vira um lote com 1 exemplo e 1 canal:
    shape (1, n_H, n_W, 1)."""
    image = _array(image)
    return image.reshape(1, *image.shape, 1)


def as_filter(kernel) -> np.ndarray:
    """Um filtro 2-D, shape (f, f), vira os pesos de uma camada com 1 canal de entrada e 1 filtro:
    shape (f, f, 1, 1)."""
    kernel = _array(kernel)
    return kernel.reshape(*kernel.shape, 1, 1)


# --- Tarefa 1: o neurônio e as ativações -------------------------------------------------------

def neuron_example() -> tuple[np.ndarray, np.ndarray, float]:
    """O neurônio das aulas: entradas A = 2 e B = 5, pesos 3 e 6, bias -2.

    Retorna (x, w, b): x e w com shape (2,), b um número. A soma ponderada é 2*3 + 5*6 = 36 e,
    com o bias, 34."""
    return _array([2, 5]), _array([3, 6]), -2.0


def rain_example() -> tuple[np.ndarray, np.ndarray, float]:
    """"Está a chover?": (dia/noite, temperatura, mês) = (0, 12, 11), pesos (0.1, 1, 1), bias 1.

    Retorna (x, w, b): x e w com shape (3,), b um número. A soma ponderada com o bias é 24 (o
    slide escreve 23, mas a conta dá 24); como 24 > 20, o degrau responde "está chovendo"."""
    return _array([0, 12, 11]), _array([0.1, 1, 1]), 1.0


def relu_example_values() -> np.ndarray:
    """A lista da ReLU nas aulas, shape (6,): [-2, -1, 0, 1, 2, 3] -> [0, 0, 0, 1, 2, 3]."""
    return _array([-2, -1, 0, 1, 2, 3])


def convolution_responses() -> np.ndarray:
    """Respostas de uma convolução antes da ReLU, shape (5,): [-1, -0.5, 0, 1, 1.5] -> [0, 0, 0, 1, 1.5]."""
    return _array([-1, -0.5, 0, 1, 1.5])


# --- Tarefa 2: convolução ----------------------------------------------------------------------

def conv_6x6_image() -> np.ndarray:
    """A imagem 6x6 de "Operação de Convolução", shape (6, 6)."""
    return _array([
        [1, 0, 0, 0, 3, 4],
        [2, 0, 0, 2, 4, 6],
        [4, 1, 1, 2, 4, 6],
        [4, 1, 2, 5, 5, 5],
        [3, 2, 3, 3, 0, 0],
        [8, 2, 2, 1, 1, 0],
    ])


def conv_3x3_filter() -> np.ndarray:
    """O filtro 3x3 do mesmo exemplo, shape (3, 3)."""
    return _array([[1, 2, 3], [0, 4, -1], [0, 1, -2]])


def conv_6x6_output() -> np.ndarray:
    """A saída 4x4 do slide (imagem 6x6 * filtro 3x3, sem padding, stride 1), shape (4, 4).

    Na linha 1, coluna 2 o slide imprime 11; a conta da janela [[0, 2, 4], [1, 2, 4], [2, 5, 5]]
    dá 15, o valor usado aqui."""
    return _array([[0, -5, 7, 20], [2, 0, 15, 33], [7, 9, 35, 43], [15, 29, 38, 31]])


def stride_7x7_image() -> np.ndarray:
    """A imagem 7x7 de "CNN - Stride", shape (7, 7)."""
    return _array([
        [2, 3, 7, 4, 6, 2, 9],
        [6, 6, 9, 8, 7, 4, 3],
        [3, 4, 8, 3, 8, 9, 7],
        [7, 8, 3, 6, 6, 3, 4],
        [4, 2, 1, 8, 3, 4, 6],
        [3, 2, 4, 1, 9, 8, 3],
        [0, 1, 3, 9, 2, 1, 4],
    ])


def stride_3x3_filter() -> np.ndarray:
    """O filtro 3x3 do exemplo de stride, shape (3, 3). Com stride 2 a saída é 3x3 e o primeiro
    valor, o que o slide imprime, é 91."""
    return _array([[3, 4, 4], [1, 0, 2], [-1, 0, 3]])


def padding_stride_5x5_image() -> np.ndarray:
    """A entrada 5x5 de "CNN - Padding" (padding 1 e stride 2 com o filtro abaixo), shape (5, 5)."""
    return _array([[2, 2, 3, 3, 3], [0, 1, 3, 0, 3], [2, 3, 0, 1, 3], [3, 3, 2, 1, 2], [3, 3, 0, 2, 3]])


def padding_stride_3x3_filter() -> np.ndarray:
    """O filtro 3x3 do exemplo de padding e stride, shape (3, 3). O primeiro valor da saída, 1,
    confere com o slide; os outros valores impressos no slide vêm de outra entrada."""
    return _array([[2, 0, 1], [1, 0, 0], [0, 1, 1]])


def feature_map_5x5_image() -> np.ndarray:
    """A entrada binária 5x5 do exemplo de mapa de características, shape (5, 5)."""
    return _array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]])


def x_shaped_filter() -> np.ndarray:
    """O filtro em forma de X do mesmo exemplo, shape (3, 3)."""
    return _array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])


def sharpen_6x6_image() -> np.ndarray:
    """A imagem 6x6 de "CNN - Kernel or Filter or Feature Detectors", shape (6, 6): clara na
    borda (7) e cada vez mais escura até o miolo (2), como uma tigela."""
    return _array([
        [7, 6, 5, 5, 6, 7],
        [6, 4, 3, 3, 4, 6],
        [5, 3, 2, 2, 3, 5],
        [5, 3, 2, 2, 3, 5],
        [6, 4, 3, 3, 4, 6],
        [7, 6, 5, 5, 6, 7],
    ])


def sharpen_filter() -> np.ndarray:
    """O filtro de nitidez (*sharpen*) do mesmo slide, shape (3, 3): 5 no centro e -1 nos quatro
    vizinhos. Os pesos somam 1, então uma região lisa passa sem mudar. O slide não imprime a
    saída: sem padding e com stride 1 ela é 4x4, de 2 nos cantos a 0 no miolo."""
    return _array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])


def vertical_edge_filter() -> np.ndarray:
    """Filtro de bordas verticais, shape (3, 3): a coluna da esquerda menos a da direita. A
    transposta detecta bordas horizontais."""
    return _array([[1, 0, -1], [1, 0, -1], [1, 0, -1]])


def sobel_vertical_filter() -> np.ndarray:
    """Filtro de Sobel vertical, shape (3, 3): o de bordas verticais com peso 2 na linha do meio.
    A transposta é o Sobel horizontal."""
    return _array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])


# --- Tarefa 3: pooling e flatten ---------------------------------------------------------------

POOLING_SLIDES = ("000", "004", "002")

_POOLING_TABLES = {
    "000": ([[1, 3, 2, 4], [5, 6, 7, 8], [3, 2, 1, 0], [9, 8, 4, 2]], [[6, 8], [9, 4]]),
    "004": ([[1, 3, 2, 1], [2, 9, 1, 1], [1, 3, 2, 3], [5, 6, 1, 2]], [[9, 2], [6, 3]]),
    "002": ([[0, 15, 25, 9], [21, 7, 1, 18], [23, 8, 18, 3], [6, 17, 7, 18]], [[21, 25], [23, 18]]),
}


def pooling_table(slide: str) -> np.ndarray:
    """A tabela 4x4 de max pooling do slide ``slide`` ("000", "004" ou "002"), shape (4, 4)."""
    return _array(_POOLING_TABLES[slide][0])


def max_pooled_table(slide: str) -> np.ndarray:
    """O resultado que o slide ``slide`` imprime para a sua tabela com max pooling 2x2 e stride 2,
    shape (2, 2)."""
    return _array(_POOLING_TABLES[slide][1])


def pooling_7x7_image() -> np.ndarray:
    """A imagem 7x7 de "Max Pooling" (janela 3x3, stride 2), shape (7, 7): a imagem 6x6 da
    convolução (conv_6x6_image) com mais uma coluna à direita e mais uma linha embaixo. O slide
    imprime o primeiro valor: max(1, 0, 0, 2, 0, 0, 4, 1, 1) = 4."""
    image = np.zeros((7, 7))
    image[:6, :6] = conv_6x6_image()
    image[:6, 6] = [1, 2, 3, 6, 5, 4]
    image[6] = [7, 1, 1, 2, 2, 1, 3]
    return image


def flatten_3x3_matrix() -> np.ndarray:
    """A matriz 3x3 do exemplo de Flatten, shape (3, 3); linha por linha ela vira
    1, 1, 0, 4, 2, 1, 0, 2, 1."""
    return _array([[1, 1, 0], [4, 2, 1], [0, 2, 1]])


# --- Tarefa 4: a rede 2-2-2 da maçã, dropout ---------------------------------------------------

APPLE_LEARNING_RATE = 0.5  # eta da atualização dos pesos no slide
APPLE_HIDDEN_GRADIENT = 0.03635  # dE/dSaída(h1) do slide


def apple_features() -> np.ndarray:
    """A maçã da rede 2-2-2: forma 0.22 e massa 0.93, shape (1, 2) (um exemplo, 2 atributos)."""
    return _array([[0.22, 0.93]])


def apple_targets() -> np.ndarray:
    """Os alvos das duas saídas, shape (1, 2)."""
    return _array([[0.01, 0.99]])


def apple_first_hidden_unit() -> tuple[np.ndarray, np.ndarray]:
    """Pesos e bias do primeiro neurônio oculto: w1 = 0.11, w2 = 0.25, b = 0.30.

    Retorna (W, b) no formato de dense_forward: W com shape (2, 1), b com shape (1,). A entrada
    do neurônio é 0.11*0.22 + 0.25*0.93 + 0.30 = 0.5567."""
    return _array([[0.11], [0.25]]), _array([0.30])


def apple_hidden_outputs() -> np.ndarray:
    """Saída(h1) e Saída(h2) impressas no slide, shape (1, 2)."""
    return _array([[0.63569, 0.67195]])


def apple_network_outputs() -> np.ndarray:
    """Saída(o1) e Saída(o2) impressas no slide, shape (1, 2)."""
    return _array([[0.68657, 0.74484]])


def apple_output_weights() -> np.ndarray:
    """Pesos da camada de saída, shape (2, 2): w5 = 0.40 liga h1 a o1 (o slide não imprime todos
    os pesos; estes são os do tutorial de Matt Mazur em que o exemplo se baseia)."""
    return _array([[0.40, 0.45], [0.50, 0.55]])


def dropout_example() -> tuple[np.ndarray, float]:
    """O dropout das aulas: x = {1, 2, 3, 4} com p = 0.25. Retorna (x, p), x com shape (4,)."""
    return _array([1, 2, 3, 4]), 0.25


# --- Tarefa 5: "hello", letra por letra ----------------------------------------------------------

HELLO_LETTERS = "helo"  # o vocabulário, na ordem do one-hot


def hello_one_hot(word: str) -> np.ndarray:
    """As letras de ``word`` em one-hot sobre o vocabulário h, e, l, o: shape (1, T, 4), com
    T = len(word). Uma letra só: hello_one_hot("h")[:, 0] tem shape (1, 4)."""
    x = np.zeros((1, len(word), len(HELLO_LETTERS)))
    for t, letter in enumerate(word):
        x[0, t, HELLO_LETTERS.index(letter)] = 1.0
    return x


def hello_input_weights_slide() -> np.ndarray:
    """W_xh como o slide imprime, shape (H=3, D=4): uma coluna por letra (vetores em coluna)."""
    return _array([
        [0.287027, 0.84606, 0.572392, 0.486813],
        [0.902874, 0.871522, 0.691079, 0.18998],
        [0.537524, 0.09224, 0.558159, 0.491528],
    ])


def hello_weights() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Os pesos da RNN do exemplo no formato do Keras: (Wx, Wh, b).

    - Wx: a transposta do W_xh do slide, shape (D=4, H=3);
    - Wh: o único peso recorrente 0.427043 em cada unidade, 0.427043 * identidade, shape (3, 3);
    - b: 0.567001 em todas as unidades, shape (3,)."""
    return hello_input_weights_slide().T, 0.427043 * np.eye(3), np.full(3, 0.567001)


def hello_states_slide() -> np.ndarray:
    """Os estados h_1 (letra "h") e h_2 (letra "e") impressos no slide, shape (2, 3). O slide
    arredonda os pesos em 6 casas, então a sétima casa pode diferir da conta exata."""
    return _array([[0.69316804, 0.89955366, 0.8021184], [0.93653372, 0.94910403, 0.76234056]])


def hello_recurrent_part_slide() -> np.ndarray:
    """A parte recorrente do passo 2 no slide, h_1 @ Wh + b, shape (3,)."""
    return _array([0.863013, 0.951149, 0.90954])


def hello_output_weights_slide() -> np.ndarray:
    """W_hy como o slide imprime, shape (4, H=3): uma linha por letra; y_t = h_t @ W_hy.T."""
    return _array([
        [0.37168, 0.974829459, 0.830034886],
        [0.39141, 0.282585823, 0.659835709],
        [0.64985, 0.09821557, 0.334287084],
        [0.91266, 0.32581642, 0.144630018],
    ])


def hello_step2_scores_slide() -> np.ndarray:
    """A saída y_2 = W_hy h_2 impressa no slide, shape (4,). O slide multiplica pelo estado
    arredondado em 6 casas, então a conta exata concorda só até a quinta casa, mais ou menos."""
    return _array([1.90607732, 1.13779113, 0.95666016, 1.27422602])


# --- Tarefa 2: convolução 1-D (sinais e texto) ---------------------------------------------------

def conv1d_example() -> tuple[np.ndarray, np.ndarray]:
    """O exemplo de convolução 1-D das aulas: o sinal [1, 2] e o filtro [1, -1], os dois com
    shape (2,). A única janela dá 1*1 + 2*(-1) = -1 (veja ``conv1d_example_output``)."""
    return _array([1, 2]), _array([1, -1])


def conv1d_example_output() -> np.ndarray:
    """A saída do exemplo de convolução 1-D das aulas, shape (1,): [-1]."""
    return _array([-1])


def as_sequence(signal) -> np.ndarray:
    """Um sinal 1-D, shape (L,), vira um lote com 1 exemplo e 1 canal: shape (1, L, 1)."""
    signal = _array(signal)
    return signal.reshape(1, signal.size, 1)


def as_filter_1d(kernel) -> np.ndarray:
    """Um filtro 1-D, shape (f,), vira os pesos de uma camada Conv1D com 1 canal de entrada e 1
    filtro: shape (f, 1, 1)."""
    kernel = _array(kernel)
    return kernel.reshape(kernel.size, 1, 1)
