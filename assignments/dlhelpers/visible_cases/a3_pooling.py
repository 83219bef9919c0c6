"""Visible cases of a3_pooling: the slides' pooling tables and a few small shapes."""
import numpy as np

from dlhelpers.checks import Case, forward_output
from dlhelpers.worked_examples import (
    as_batch, flatten_3x3_matrix, max_pooled_table, pooling_7x7_image, pooling_table,
)

# Tables 004 and 002 as the two channels of one example: shape (1, 4, 4, 2).
TWO_CHANNELS = np.stack([pooling_table("004"), pooling_table("002")], axis=-1)[np.newaxis]
# Tables 000 and 004 as a batch of two examples: shape (2, 4, 4, 1).
TWO_EXAMPLES = np.concatenate([as_batch(pooling_table("000")), as_batch(pooling_table("004"))])

# Ties: in the first window the 7 appears twice, in the second every value is 3.
TIES = [[1, 7, 3, 3], [7, 1, 3, 3]]
# A 3x3 input whose 9 is the maximum of all four 2x2 windows when the stride is 1.
NINE_IN_THE_MIDDLE = [[1, 2, 3], [4, 9, 5], [6, 7, 8]]

CASES = {
    "pool_forward": [
        Case("tabela 4x4 do slide 000, max pooling 2x2 com stride 2",
             (as_batch(pooling_table("000")), 2, 2), as_batch(max_pooled_table("000")),
             "cada região 2x2 vira o seu máximo: {1,3,5,6} -> 6, {2,4,7,8} -> 8, {3,2,9,8} -> 9, "
             "{1,0,4,2} -> 4.", output=forward_output),
        Case("imagem 7x7 do slide 000, janela 3x3 com stride 2 (janelas sobrepostas)",
             (as_batch(pooling_7x7_image()), 3, 2), as_batch([[4, 4, 6], [4, 5, 6], [8, 3, 5]]),
             "a saída tem floor((7 - 3) / 2) + 1 = 3 linhas e 3 colunas; a janela da saída (h, w) "
             "começa na linha h*stride e na coluna w*stride da entrada e tem f linhas e f colunas.",
             output=forward_output),
        Case("tabelas dos slides 004 e 002 como os 2 canais de um mesmo exemplo",
             (TWO_CHANNELS, 2, 2),
             np.stack([max_pooled_table("004"), max_pooled_table("002")], axis=-1)[np.newaxis],
             "cada canal é reduzido separadamente: tire o máximo só sobre altura e largura "
             "(eixos 1 e 2), nunca sobre os canais. Canal 0 -> [[9, 2], [6, 3]], "
             "canal 1 -> [[21, 25], [23, 18]].", output=forward_output),
        Case("average pooling 2x2, stride 2, lote com as tabelas dos slides 000 e 004",
             (TWO_EXAMPLES, 2, 2), np.array([[[[3.75], [5.25]], [[5.5], [1.75]]],
                                             [[[3.75], [1.25]], [[3.75], [2.0]]]]),
             "com mode=\"average\" cada janela vira a sua média, por exemplo (1 + 3 + 5 + 6) / 4 = "
             "3.75; e cada exemplo do lote tem a sua própria saída.",
             kwargs={"mode": "average"}, output=forward_output),
    ],
    "pool_backward": [
        Case("max pooling da tabela do slide 000 com dA = 1 em todas as saídas",
             lambda pool_forward: (np.ones((1, 2, 2, 1)), pool_forward(as_batch(pooling_table("000")), 2, 2)[1]),
             as_batch([[0, 0, 0, 0], [0, 1, 0, 1], [0, 0, 0, 0], [1, 0, 1, 0]]),
             "o gradiente de cada janela vai todo para a posição do máximo (onde estão 6, 8, 9 e 4) "
             "e as outras posições recebem zero.",
             needs=("pool_forward",)),
        Case("empates: a janela [[1, 7], [7, 1]] e a janela só de 3, com dA = [[2, 5]]",
             lambda pool_forward: (np.array([[[[2.0], [5.0]]]]), pool_forward(as_batch(TIES), 2, 2)[1]),
             as_batch([[0, 2, 5, 0], [0, 0, 0, 0]]),
             "quando o máximo aparece mais de uma vez, só o primeiro (lendo a janela linha por "
             "linha) recebe o gradiente; np.argmax devolve justamente o primeiro.",
             needs=("pool_forward",)),
        Case("average pooling da tabela do slide 000 com dA = [[4, 8], [12, 16]]",
             lambda pool_forward: (np.array([[[[4.0], [8.0]], [[12.0], [16.0]]]]),
                                   pool_forward(as_batch(pooling_table("000")), 2, 2, "average")[1]),
             as_batch([[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]),
             "na média, o gradiente de cada janela é dividido igualmente entre as f*f = 4 "
             "posições: 4 / 4 = 1, 8 / 4 = 2, e assim por diante.",
             needs=("pool_forward",)),
        Case("janelas sobrepostas: 3x3, janela 2x2, stride 1, dA = [[1, 2], [3, 4]]",
             lambda pool_forward: (np.array([[[[1.0], [2.0]], [[3.0], [4.0]]]]),
                                   pool_forward(as_batch(NINE_IN_THE_MIDDLE), 2, 1)[1]),
             as_batch([[0, 0, 0], [0, 10, 0], [0, 0, 0]]),
             "o 9 do centro é o máximo das 4 janelas: ele recebe 1 + 2 + 3 + 4 = 10. Acumule com += "
             "em vez de sobrescrever com =.",
             needs=("pool_forward",)),
    ],
    "global_pool": [
        Case("global max pooling da tabela do slide 002",
             (as_batch(pooling_table("002")),), np.array([[25.0]]),
             "o máximo do mapa inteiro (25), com shape (m, n_C) = (1, 1)."),
        Case("global average pooling da tabela do slide 002",
             (as_batch(pooling_table("002")),), np.array([[12.25]]),
             "a média de todos os 16 valores: 196 / 16 = 12.25. Use o argumento mode.",
             kwargs={"mode": "average"}),
        Case("lote de 2 exemplos com as tabelas 000 e 004, global max",
             (TWO_EXAMPLES,), np.array([[9.0], [9.0]]),
             "reduza só os eixos 1 e 2 (altura e largura): cada exemplo e cada canal têm o seu "
             "próprio máximo, e o resultado tem shape (m, n_C) = (2, 1)."),
        Case("tabelas 004 e 002 como 2 canais, global average",
             (TWO_CHANNELS,), np.array([[2.6875, 12.25]]),
             "um número por canal: a média do canal 0 (43 / 16) e a do canal 1 (196 / 16).",
             kwargs={"mode": "average"}),
    ],
    "flatten": [
        Case("matriz 3x3 do slide 004",
             (as_batch(flatten_3x3_matrix()),),
             np.array([[1.0, 1.0, 0.0, 4.0, 2.0, 1.0, 0.0, 2.0, 1.0]]),
             "linha por linha: primeiro a linha 0, depois a linha 1, depois a linha 2; o resultado "
             "tem shape (m, n_H * n_W * n_C) = (1, 9)."),
        Case("2x2 pixels com 2 canais: o pixel (0, 0) vale [1, 2], o (0, 1) vale [3, 4]...",
             (np.array([[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]]),),
             np.array([[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]]),
             "os canais de um pixel ficam juntos (a ordem de keras.layers.Flatten): não separe os "
             "canais nem transponha o array antes de achatar."),
        Case("lote de 2 exemplos 2x2 com 1 canal",
             (np.array([[[[1.0], [2.0]], [[3.0], [4.0]]], [[[5.0], [6.0]], [[7.0], [8.0]]]]),),
             np.array([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]),
             "cada exemplo vira uma linha: o resultado tem shape (m, n_H * n_W * n_C) = (2, 4); "
             "o eixo do lote não é achatado."),
    ],
}
