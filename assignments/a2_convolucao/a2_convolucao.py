# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Tarefa 2 — Convolução
#
# As redes convolucionais (CNNs) são a base da visão computacional moderna: LeNet, AlexNet, VGG
# e ResNet são todas pilhas de camadas convolucionais. Nesta tarefa você vai programar, só com
# numpy, a operação que dá nome a essas redes:
#
# 1. ver uma imagem como uma **matriz de números**;
# 2. entender a convolução como uma **janela que desliza** sobre a imagem;
# 3. programar o **padding**, a fórmula do **tamanho da saída** (com **stride**), o cálculo de
#    **uma janela** e a **camada convolucional completa**, com imagens coloridas e vários filtros;
# 4. usar a sua camada para **detectar bordas** numa foto de verdade;
# 5. programar o **backward** da convolução e ver a rede **aprender sozinha** um filtro de bordas;
# 6. contar parâmetros e entender por que a convolução precisa de **milhares de vezes menos
#    pesos** que uma camada densa;
# 7. levar a convolução para **uma dimensão**, em sinais, em áudio e em texto.
#
# **Como funciona:** cada exercício é uma função com a docstring já escrita. Troque
# `raise NotImplementedError()` pelo seu código, rode a célula e, em seguida, rode a célula de
# verificação logo abaixo: ela confere a sua função em alguns casos simples (quase todos tirados
# dos exemplos das aulas) e, se algo estiver errado, mostra o caso, o valor esperado, o valor
# obtido e uma dica. A nota final vem de testes escondidos, bem mais completos, que rodam quando
# o professor corrige.
#
# **Convenções** (as mesmas do TensorFlow/Keras, para você poder comparar depois):
#
# - um lote de imagens tem shape `(m, n_H, n_W, n_C)`: exemplos, altura, largura e canais
#   (*channels-last*);
# - os filtros de uma camada têm shape `(f, f, n_C_prev, n_C)`: altura e largura do filtro,
#   canais da entrada e número de filtros (que vira o número de canais da saída);
# - os biases têm shape `(n_C,)`, um por filtro.
#
# Use apenas numpy nos exercícios.

# %%
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle
from scipy.signal import convolve2d, correlate2d
from sklearn.datasets import load_sample_image

# Os exemplos numéricos das aulas e as funções que põem uma imagem 2-D no formato das camadas:
# as_batch((n_H, n_W)) -> (1, n_H, n_W, 1) e as_filter((f, f)) -> (f, f, 1, 1).
from dlhelpers.worked_examples import (
    as_batch, as_filter, as_filter_1d, as_sequence, conv1d_example, conv_3x3_filter, conv_6x6_image,
    feature_map_5x5_image, padding_stride_3x3_filter, padding_stride_5x5_image, sharpen_6x6_image, sharpen_filter,
    sobel_vertical_filter, stride_3x3_filter, stride_7x7_image, vertical_edge_filter, x_shaped_filter,
)

np.set_printoptions(precision=4, suppress=True)
# %matplotlib inline

IMAGE_6X6, FILTER_3X3 = conv_6x6_image(), conv_3x3_filter()           # "Operação de Convolução"
IMAGE_7X7, FILTER_STRIDE = stride_7x7_image(), stride_3x3_filter()    # "CNN - Stride"


def show_matrix(ax, matrix, title="", box=None, fmt="{:g}", cmap="Blues"):
    """Desenha uma matriz pequena com os valores escritos; `box` = (linha, coluna, altura,
    largura) destaca uma janela em vermelho."""
    ax.imshow(matrix, cmap=cmap)
    for (i, j), value in np.ndenumerate(matrix):
        ax.text(j, i, fmt.format(value), ha="center", va="center", fontsize=9)
    if box is not None:
        row, col, height, width = box
        ax.add_patch(Rectangle((col - 0.5, row - 0.5), width, height, fill=False, ec="red", lw=3))
    ax.set_title(title)
    ax.set_xticks(range(matrix.shape[1]))
    ax.set_yticks(range(matrix.shape[0]))


# %% [markdown]
# ## 1. Uma imagem é uma matriz de números
#
# Para o computador, uma imagem em tons de cinza é só uma matriz: cada elemento é um **pixel** e
# o seu valor é a **intensidade** naquele ponto. Aqui usamos a escala de 0 a 1: valores perto de
# **0 são escuros** (preto), perto de **1 são claros** (branco), e algo como 0,5 é cinza médio.
# Uma foto colorida tem **três** matrizes empilhadas, uma por canal de cor (vermelho, verde e
# azul), e por isso tem shape `(altura, largura, 3)`.
#
# > **Um pouco de história.** Durante décadas, o exemplo clássico de processamento de imagens foi
# > a "Lenna", uma foto recortada de uma revista de 1972; nos slides ela aparece como uma matriz
# > 256×256, com um recorte 15×15 do olho. O uso foi sendo abandonado por ser inadequado: a
# > própria modelo, Lena Forsén, pediu em 2019 que a foto fosse aposentada, e em 2024 o IEEE
# > deixou de aceitá-la em suas publicações. Aqui fazemos o mesmo exercício com uma foto de amostra
# > que vem com o scikit-learn: um pagode no Palácio de Verão, em Pequim.
#
# A célula abaixo carrega a foto, transforma em cinza com a média ponderada usual dos canais
# ($0{,}299\,R + 0{,}587\,G + 0{,}114\,B$, o olho humano é mais sensível ao verde), divide por 255
# para ficar entre 0 e 1 e pega um pixel a cada dois (metade da resolução, para as contas ficarem
# rápidas). À direita, um recorte 15×15 do canto do telhado, com o valor de cada pixel escrito:
# o telhado escuro fica perto de 0,1 e o céu, perto de 0,9.

# %%
china_rgb = load_sample_image("china.jpg")[::2, ::2] / 255.0  # (214, 320, 3), valores em [0, 1]
china_gray = china_rgb @ np.array([0.299, 0.587, 0.114])      # (214, 320)
print("foto colorida:", china_rgb.shape, " foto cinza:", china_gray.shape)
print("menor e maior intensidade:", china_gray.min().round(3), china_gray.max().round(3))

row0, col0 = 60, 150
patch = china_gray[row0:row0 + 15, col0:col0 + 15]
fig, (ax_img, ax_patch) = plt.subplots(1, 2, figsize=(12.5, 5.4), gridspec_kw={"width_ratios": [1.3, 1]})
ax_img.imshow(china_gray, cmap="gray", vmin=0, vmax=1)
ax_img.add_patch(Rectangle((col0, row0), 15, 15, fill=False, ec="red", lw=2))
ax_img.set_title("foto em tons de cinza (214 x 320)")
ax_patch.imshow(patch, cmap="gray", vmin=0, vmax=1)
for (i, j), value in np.ndenumerate(patch):
    ax_patch.text(j, i, f"{value:.1f}", ha="center", va="center", fontsize=7,
                  color="white" if value < 0.5 else "black")
ax_patch.set_title("recorte 15 x 15: cada quadrado é um número")
ax_patch.set_xticks([])
ax_patch.set_yticks([])
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 2. Convolução: uma janela que desliza
#
# A convolução pega um **filtro** (ou *kernel*), uma matriz pequena de pesos, e o passa por toda a
# imagem, como uma lupa. Em cada posição:
#
# 1. sobreponha o filtro a uma **janela** da imagem do mesmo tamanho;
# 2. multiplique cada peso pelo pixel embaixo dele;
# 3. some tudo: o resultado é **um** número da saída.
#
# Depois a janela anda uma casa para a direita e repete; ao chegar no fim da linha, desce uma
# casa e recomeça. A matriz de saída se chama **mapa de características** (*feature map*) ou mapa
# de ativação: ela diz, para cada posição, o quanto aquela região da imagem "parece" com o filtro.
#
# Com índices começando em zero, para uma imagem $A$ e um filtro $w$ de tamanho $f \times f$:
#
# $$Z_{ij} = \sum_{i'=0}^{f-1} \sum_{j'=0}^{f-1} A_{i+i',\, j+j'}\; w_{i'j'}$$
#
# **O exemplo das aulas.** Imagem 6×6 e filtro 3×3:
#
# $$A = \begin{bmatrix} 1&0&0&0&3&4\\ 2&0&0&2&4&6\\ 4&1&1&2&4&6\\ 4&1&2&5&5&5\\ 3&2&3&3&0&0\\ 8&2&2&1&1&0 \end{bmatrix}
# \qquad w = \begin{bmatrix} 1&2&3\\ 0&4&-1\\ 0&1&-2 \end{bmatrix}$$
#
# - **Primeira janela** (linhas 0–2, colunas 0–2):
#   $1\cdot1 + 0\cdot2 + 0\cdot3 + 2\cdot0 + 0\cdot4 + 0\cdot(-1) + 4\cdot0 + 1\cdot1 + 1\cdot(-2) = 0$.
# - **Janela das linhas 0–2, colunas 2–4** (a conta que o slide mostra):
#   $0\cdot1 + 0\cdot2 + 3\cdot3 + 0\cdot0 + 2\cdot4 + 4\cdot(-1) + 1\cdot0 + 2\cdot1 + 4\cdot(-2) = 7$.
#
# Repetindo para as 16 posições possíveis, a saída é 4×4:
#
# $$Z = \begin{bmatrix} 0&-5&7&20\\ 2&0&\mathbf{15}&33\\ 7&9&35&43\\ 15&29&38&31 \end{bmatrix}$$
#
# > **Um deslize no slide.** O slide mostra **11** na segunda linha, terceira coluna (linha 1,
# > coluna 2, contando do zero). A janela ali é $\begin{bmatrix}0&2&4\\1&2&4\\2&5&5\end{bmatrix}$, e
# > a conta dá $(0 + 4 + 12) + (0 + 8 - 4) + (0 + 5 - 10) = 15$. O valor correto é **15**; o
# > resto da tabela do slide está certo.
#
# A figura abaixo (calculada com `scipy.signal.correlate2d`, porque a sua versão ainda não
# existe) mostra a janela que gera o 7.

# %%
Z_example = correlate2d(IMAGE_6X6, FILTER_3X3, mode="valid")
fig, axes = plt.subplots(1, 3, figsize=(13, 4.2), gridspec_kw={"width_ratios": [6, 3, 4]})
show_matrix(axes[0], IMAGE_6X6, "imagem 6 x 6", box=(0, 2, 3, 3))
show_matrix(axes[1], FILTER_3X3, "filtro 3 x 3", cmap="Oranges")
show_matrix(axes[2], Z_example, "saída 4 x 4", box=(0, 2, 1, 1), cmap="Greens")
plt.tight_layout()
plt.show()

# %% [markdown]
# Repare em dois problemas:
#
# 1. **A imagem encolhe.** Uma imagem $n \times n$ com um filtro $f \times f$ dá uma saída
#    $(n - f + 1) \times (n - f + 1)$: 6×6 virou 4×4. Empilhando várias camadas, a imagem sumiria
#    em poucas camadas.
# 2. **As bordas pesam menos.** O pixel do canto só cai dentro de **uma** janela; um pixel do
#    meio cai em **nove**. A informação das bordas quase não chega à saída.
#
# A contagem abaixo mostra, para cada pixel da imagem 6×6, em quantas janelas 3×3 ele aparece.

# %%
coverage = correlate2d(np.ones((4, 4)), np.ones((3, 3)), mode="full")  # janelas que cobrem cada pixel
print(coverage.astype(int))

# %% [markdown]
# ## 3. Padding: uma moldura de zeros
#
# A solução para os dois problemas é o **padding** (preenchimento): antes de convoluir, cercamos a
# imagem com uma moldura de $p$ pixels de valor zero. A imagem 6×6 com $p = 1$ vira 8×8, e a saída
# passa a ter tamanho
#
# $$(n + 2p - f + 1) \times (n + 2p - f + 1) \quad\Rightarrow\quad 6 + 2 \cdot 1 - 3 + 1 = 6.$$
#
# Ou seja, com filtro 3×3 e $p = 1$ a saída **preserva o tamanho** da entrada, e agora os pixels
# da borda também ficam no centro de uma janela. Em geral, com filtro de tamanho ímpar $f$ e
# stride 1, $p = (f - 1)/2$ mantém o tamanho. No Keras isso é `padding="same"`; sem padding
# (`padding="valid"`, o padrão) a saída encolhe.
#
# **Exercício 1.** Escreva `zero_pad`. A entrada é um **lote** `(m, n_H, n_W, n_C)`: o padding vai
# só na altura e na largura, nunca nos exemplos nem nos canais. (Dica: `np.pad` aceita um par
# `(antes, depois)` por eixo.)

# %% exercise="zero_pad" points=1

# %%
padded = zero_pad(as_batch(IMAGE_6X6), 1)
print("shape do lote com padding:", padded.shape)
print(padded[0, :, :, 0])

# %% [markdown]
# ## 4. Stride e o tamanho da saída
#
# Nem sempre a janela anda de uma em uma casa. O **stride** $s$ (passo) diz quantos pixels ela
# pula a cada movimento. Com $s = 2$ a janela anda de duas em duas casas, e a saída fica com mais
# ou menos metade da altura e da largura: é um jeito barato de reduzir a imagem.
#
# No exemplo das aulas, uma imagem 7×7 e um filtro 3×3 com stride 2: as janelas começam nas
# colunas 0, 2 e 4 (a próxima começaria na 6 e passaria da borda), e o mesmo nas linhas. A saída
# é 3×3, e o primeiro valor é 91 (você vai conferir na seção 5).
#
# Juntando padding e stride, o tamanho da saída em cada eixo é
#
# $$n_{\text{saída}} = \left\lfloor \frac{n + 2p - f}{s} \right\rfloor + 1$$
#
# O $\lfloor\cdot\rfloor$ é o arredondamento para baixo: quando a última janela não cabe inteira,
# ela é descartada. Com $s = 1$ a fórmula volta a ser $n + 2p - f + 1$.
#
# | entrada $n$ | filtro $f$ | padding $p$ | stride $s$ | saída |
# |---|---|---|---|---|
# | 6 | 3 | 0 | 1 | 4 |
# | 6 | 3 | 1 | 1 | 6 |
# | 7 | 3 | 0 | 2 | 3 |
# | 8 | 3 | 0 | 2 | 3 (a conta dá 3,5) |
# | 32 | 5 | 0 | 1 | 28 |
#
# > **Sobre a notação do slide.** O slide de stride escreve a fórmula como $[i - k/s] + 1$. Os
# > colchetes são o arredondamento para baixo, mas faltou um parêntese: a divisão por $s$ se
# > aplica à diferença toda, $\lfloor (i - k)/s \rfloor + 1$ (com padding,
# > $\lfloor (i + 2p - k)/s \rfloor + 1$). Com $i = 7$, $k = 3$, $s = 2$: $\lfloor 4/2 \rfloor + 1 = 3$.
#
# **Exercício 2.** Escreva `conv_output_size`. O resultado é uma quantidade de pixels, então
# deve ser um `int` (use a divisão inteira `//`). Se a janela não couber na entrada, mesmo com o
# padding ($f > n + 2p$), não existe saída: levante um `ValueError` com uma mensagem que diga
# isso, em vez de devolver um número sem sentido.

# %% exercise="conv_output_size" points=1

# %% [markdown]
# O modelo para o CIFAR-10 das aulas empilha três `Conv2D` com filtros 3×3 e `strides=2`, sem
# padding, sobre imagens 32×32. Veja como a imagem encolhe a cada camada:

# %%
size = 32
for layer in range(1, 4):
    new_size = conv_output_size(size, 3, pad=0, stride=2)
    print(f"Conv2D {layer}: {size} x {size} -> {new_size} x {new_size}")
    size = new_size

# %% [markdown]
# ## 5. Uma janela, um filtro
#
# Agora o cálculo de uma única posição da saída. Numa CNN a entrada quase sempre tem vários
# canais (3 numa foto colorida, dezenas ou centenas nas camadas do meio da rede). Por isso a
# janela é um **bloco** `(f, f, n_C_prev)` e o filtro tem a **mesma profundidade** da entrada.
# Multiplicamos elemento a elemento, somamos **tudo** (altura, largura e canais) e acrescentamos o
# bias $b$ do filtro:
#
# $$z = \sum_{i'=0}^{f-1} \sum_{j'=0}^{f-1} \sum_{c} a_{i' j' c}\; W_{i' j' c} + b$$
#
# **Exercício 3.** Escreva `conv_single_step`. Ela deve devolver um número (`float`), mesmo que
# `b` chegue como um array de um único elemento.

# %% exercise="conv_single_step" points=1

# %%
window_first = IMAGE_6X6[0:3, 0:3].reshape(3, 3, 1)
window_slide = IMAGE_6X6[0:3, 2:5].reshape(3, 3, 1)
window_stride = IMAGE_7X7[0:3, 0:3].reshape(3, 3, 1)
print("primeira janela do exemplo 6x6:", conv_single_step(window_first, FILTER_3X3.reshape(3, 3, 1), 0.0))
print("janela do slide (colunas 2-4):  ", conv_single_step(window_slide, FILTER_3X3.reshape(3, 3, 1), 0.0))
print("primeira janela do exemplo 7x7: ", conv_single_step(window_stride, FILTER_STRIDE.reshape(3, 3, 1), 0.0))

# %% [markdown]
# ## 6. A camada convolucional completa
#
# Uma camada convolucional junta tudo:
#
# - recebe um lote `A_prev` de shape `(m, n_H_prev, n_W_prev, n_C_prev)`;
# - aplica padding, se houver;
# - tem `n_C` filtros, cada um de shape `(f, f, n_C_prev)`: juntos, `W` tem shape
#   `(f, f, n_C_prev, n_C)`, e `b` tem um bias por filtro;
# - **cada filtro produz um mapa de características**, e os `n_C` mapas empilhados são os canais
#   da saída `Z`, de shape `(m, n_H, n_W, n_C)`.
#
# Para uma imagem colorida, a fórmula das aulas soma também sobre os canais de cor:
#
# $$(A * w)_{ij} = \sum_{c=1}^{3} \sum_{i'=0}^{K-1} \sum_{j'=0}^{K-1} A(i + i',\, j + j',\, c)\; w(i', j', c)$$
#
# Com stride $s$, padding e vários filtros, a posição $(h, w)$ do canal $k$ da saída do exemplo
# $m$ é
#
# $$Z[m, h, w, k] = \sum_{i'=0}^{f-1} \sum_{j'=0}^{f-1} \sum_{c=0}^{n_{C,\text{prev}}-1}
#   A_{\text{pad}}[m,\; h s + i',\; w s + j',\; c]\; W[i', j', c, k] \; + \; b[k]$$
#
# Ou seja: a janela da saída $(h, w)$ começa na linha $h \cdot s$ e na coluna $w \cdot s$ da
# entrada com padding. Repare que um filtro 3-D, por mais canais que a entrada tenha, produz **um**
# único mapa 2-D; para ter mais canais na saída, usamos mais filtros.
#
# **Exercício 4.** Escreva `conv_forward`. Use as suas funções `zero_pad` e `conv_output_size`.
# Uma implementação direta tem laços sobre os exemplos, as posições $(h, w)$ da saída e os filtros,
# e usa `conv_single_step` (ou o mesmo cálculo vetorizado) em cada janela. Guarde no `cache` o que
# o backward vai precisar: `(A_prev, W, b, stride, pad)`.

# %% exercise="conv_forward" points=3

# %% [markdown]
# Com a sua camada, os exemplos das aulas (imagem cinza = lote de 1 imagem com 1 canal; filtro
# 2-D = camada com 1 filtro):

# %%
def conv_gray(image, kernel, stride=1, pad=0):
    """Uma imagem cinza e um filtro 2-D passando pela SUA conv_forward."""
    Z, _ = conv_forward(as_batch(image), as_filter(kernel), np.zeros(1), stride=stride, pad=pad)
    return Z[0, :, :, 0]


print("6x6 * 3x3 (saída 4x4, com o 15 corrigido):")
print(conv_gray(IMAGE_6X6, FILTER_3X3))
print("\no mesmo com padding p = 1 (a saída continua 6x6):")
print(conv_gray(IMAGE_6X6, FILTER_3X3, pad=1))
print("\n7x7 * 3x3 com stride 2 (saída 3x3, começando em 91):")
print(conv_gray(IMAGE_7X7, FILTER_STRIDE, stride=2))
print("\n5x5 binária * filtro em X (o mapa de características das aulas):")
print(conv_gray(feature_map_5x5_image(), x_shaped_filter()))

# %% [markdown]
# Repare que, com padding, o miolo 4×4 da saída é exatamente a saída sem padding; o padding só
# acrescentou uma moldura de valores novos, vindos das janelas centradas nos pixels da borda.
#
# No último exemplo, a entrada é uma imagem binária 5×5 (só zeros e uns) e o filtro tem a forma
# de um **X**, com 1 nos cantos e no centro. Cada valor do mapa de características conta quantas
# das cinco casas do X caem sobre pixels acesos: os valores 4 marcam as janelas mais parecidas
# com o X.
#
# As aulas trazem também um exemplo com padding **e** stride ao mesmo tempo: uma imagem 5×5 com
# $p = 1$ (vira 7×7), filtro 3×3 e $s = 2$, o que dá $\lfloor (5 + 2 - 3)/2 \rfloor + 1 = 3$. O
# primeiro valor da saída, 1, confere com o slide; os outros valores impressos no slide não
# batem com a entrada e o filtro que aparecem nele (provavelmente a figura original usava outra
# entrada). Com a entrada e o filtro do slide, a saída correta é a da célula abaixo.

# %%
print(conv_gray(padding_stride_5x5_image(), padding_stride_3x3_filter(), stride=2, pad=1))

# %% [markdown]
# ## 7. Detecção de bordas numa foto de verdade
#
# Uma **borda** é uma mudança brusca de intensidade: onde um objeto escuro encontra um fundo claro.
# Um filtro que subtrai a coluna da direita da coluna da esquerda responde forte exatamente aí:
#
# $$w_{\text{vertical}} = \begin{bmatrix} 1&0&-1\\ 1&0&-1\\ 1&0&-1 \end{bmatrix}$$
#
# Numa região uniforme, a parte positiva e a negativa se cancelam e a saída é 0. Numa borda
# vertical, com o lado claro à esquerda, a saída é grande e positiva; com o lado claro à direita,
# grande e negativa. Primeiro, um exemplo de brinquedo: uma imagem 6×6 com a metade esquerda clara
# (10) e a direita escura (0).

# %%
half_bright = np.array([[10, 10, 10, 0, 0, 0]] * 6, dtype=float)
vertical_edge = vertical_edge_filter()
horizontal_edge = vertical_edge.T
print(conv_gray(half_bright, vertical_edge))

# %% [markdown]
# A saída acende (30) exatamente nas colunas do meio, onde está a borda, e é zero nas regiões
# lisas. O filtro transposto, $w_{\text{horizontal}} = w_{\text{vertical}}^\top$, faz o mesmo para
# bordas horizontais.
#
# Agora na foto. Vamos usar os **dois** filtros de uma vez, numa camada com `n_C = 2`: `W` tem shape
# `(3, 3, 1, 2)` e a saída tem **dois canais**, um mapa de características por filtro. É assim que
# uma camada convolucional real funciona: muitos filtros, muitos mapas. O último painel combina
# os dois mapas na intensidade total da borda, $\sqrt{Z_{\text{vert}}^2 + Z_{\text{horiz}}^2}$.

# %%
W_edges = np.stack([vertical_edge, horizontal_edge], axis=-1)[:, :, np.newaxis, :]  # (3, 3, 1, 2)
Z_edges, _ = conv_forward(as_batch(china_gray), W_edges, np.zeros(2), stride=1, pad=1)
print("entrada:", as_batch(china_gray).shape, " filtros:", W_edges.shape, " saída:", Z_edges.shape)

vertical_map, horizontal_map = Z_edges[0, :, :, 0], Z_edges[0, :, :, 1]
limit = np.percentile(np.abs(Z_edges), 99)
fig, axes = plt.subplots(2, 2, figsize=(11, 7.6))
panels = [
    (china_gray, "foto original", dict(cmap="gray", vmin=0, vmax=1)),
    (vertical_map, "canal 0: filtro de bordas verticais", dict(cmap="gray", vmin=-limit, vmax=limit)),
    (horizontal_map, "canal 1: filtro de bordas horizontais", dict(cmap="gray", vmin=-limit, vmax=limit)),
    (np.hypot(vertical_map, horizontal_map), "intensidade total da borda", dict(cmap="magma", vmin=0, vmax=limit)),
]
for ax, (image, title, style) in zip(axes.ravel(), panels):
    ax.imshow(image, **style)
    ax.set_title(title)
    ax.axis("off")
plt.tight_layout()
plt.show()

# %% [markdown]
# No mapa vertical aparecem as colunas e as laterais do pagode; no horizontal, os beirais dos
# telhados e a linha do horizonte sobre o lago. Cinza médio é 0 (nada acontece ali), branco é
# uma passagem de claro para escuro (da esquerda para a direita, ou de cima para baixo) e preto,
# de escuro para claro. O céu e a água, lisos, ficam apagados nos dois. Com padding 1 os mapas
# têm o mesmo tamanho da foto, 214×320.
#
# Esses filtros foram escritos à mão. Numa CNN, ninguém escolhe os pesos: os valores
# $w_1, \dots, w_9$ de cada filtro são **parâmetros aprendidos** pelo gradiente, e a rede descobre
# sozinha os detectores de que precisa: bordas nas primeiras camadas, texturas e partes de objetos
# nas seguintes. Você vai ver isso acontecer na seção 10.
#
# ### Desfoque e nitidez
#
# Bordas não são a única coisa que um filtro 3×3 faz. Dois efeitos clássicos de edição de imagens
# também são convoluções:
#
# - **desfoque** (*blur*) com a **média 3×3**, todos os pesos iguais a $1/9$: cada pixel vira a
#   média da sua vizinhança, e as mudanças bruscas ficam suaves;
# - **nitidez** (*sharpen*), com o filtro das aulas
#   $$w_{\text{nitidez}} = \begin{bmatrix} 0&-1&0\\ -1&5&-1\\ 0&-1&0 \end{bmatrix}$$
#   que compara cada pixel com os quatro vizinhos e aumenta a diferença entre eles.
#
# Nos dois filtros, os pesos somam 1: numa região lisa, a saída é igual à entrada. O slide aplica
# o filtro de nitidez a uma imagem 6×6 clara nas bordas (7) e escura no miolo (2), mas não mostra
# o resultado. Com a sua `conv_forward`:

# %%
print(conv_gray(sharpen_6x6_image(), sharpen_filter()))

# %% [markdown]
# Cada pixel de dentro da imagem é 0,5 mais escuro que a média dos seus quatro vizinhos, e
# o filtro multiplica essa diferença por 4: todos os valores descem 2, e o miolo, que era 2,
# chega a 0. É isso que a nitidez faz: o que já era mais escuro que os vizinhos fica ainda mais
# escuro, e o que era mais claro, ainda mais claro.
#
# Na foto, os dois filtros vão juntos numa camada com `n_C = 2`, como os de borda. Para o efeito
# aparecer, olhamos de perto um recorte 80×80 do pagode (sem padding, as saídas têm 78×78).

# %%
average = np.full((3, 3), 1 / 9)
W_blur_sharpen = np.stack([average, sharpen_filter()], axis=-1)[:, :, np.newaxis, :]  # (3, 3, 1, 2)
crop = china_gray[30:110, 110:190]
Z_blur_sharpen, _ = conv_forward(as_batch(crop), W_blur_sharpen, np.zeros(2))  # sem padding: 78x78
print("entrada:", as_batch(crop).shape, " filtros:", W_blur_sharpen.shape, " saída:", Z_blur_sharpen.shape)

fig, axes = plt.subplots(1, 3, figsize=(12, 4.3))
panels = [(crop, "recorte original"), (Z_blur_sharpen[0, :, :, 0], "canal 0: média 3x3 (desfoque)"),
          (Z_blur_sharpen[0, :, :, 1], "canal 1: nitidez")]
for ax, (image, title) in zip(axes, panels):
    ax.imshow(image, cmap="gray", vmin=0, vmax=1)  # o que passa de [0, 1] fica preto ou branco
    ax.set_title(title)
    ax.axis("off")
plt.tight_layout()
plt.show()

# %% [markdown]
# Com a média, as telhas e os beirais perdem o contorno. Com a nitidez, os mesmos detalhes ficam
# mais marcados, e o ruído da foto também: o filtro não sabe distinguir um detalhe de verdade de
# um pixel fora do lugar (repare no granulado que aparece no céu). Fora isso, as regiões lisas,
# como o céu, quase não mudam nas duas saídas.

# %% [markdown]
# ## 8. Convolução em imagens coloridas
#
# Para a foto colorida, a entrada tem `n_C_prev = 3` e cada filtro tem shape `(3, 3, 3)`: uma
# fatia 3×3 para cada canal de cor. A saída de cada filtro ainda é **um** mapa 2-D, porque a soma
# passa pelos três canais (a fórmula da seção 6). Abaixo, uma camada com três filtros escritos à
# mão, `W` de shape `(3, 3, 3, 3)`:
#
# - **"vermelho"**: média 3×3 de $R - (G + B)/2$, positiva onde a cor puxa para o vermelho;
# - **"verde"**: média 3×3 de $G - (R + B)/2$, positiva na vegetação;
# - **bordas verticais em cor**: o filtro de bordas da seção 7 nas três fatias, dividido por 3.
#
# Cada filtro tem $3 \cdot 3 \cdot 3 = 27$ pesos e um bias.

# %%
W_color = np.zeros((3, 3, 3, 3))
W_color[:, :, :, 0] = average[:, :, np.newaxis] * np.array([1.0, -0.5, -0.5])  # vermelho
W_color[:, :, :, 1] = average[:, :, np.newaxis] * np.array([-0.5, 1.0, -0.5])  # verde
W_color[:, :, :, 2] = vertical_edge[:, :, np.newaxis] / 3                       # bordas
Z_color, _ = conv_forward(china_rgb[np.newaxis], W_color, np.zeros(3), pad=1)
print("entrada:", china_rgb[np.newaxis].shape, " filtros:", W_color.shape, " saída:", Z_color.shape)

fig, axes = plt.subplots(1, 4, figsize=(16, 3.4))
axes[0].imshow(china_rgb)
axes[0].set_title("foto colorida (3 canais)")
titles = ["filtro 0: vermelho", "filtro 1: verde", "filtro 2: bordas verticais"]
for k, (ax, title) in enumerate(zip(axes[1:], titles)):
    feature_map = Z_color[0, :, :, k]
    if k < 2:
        ax.imshow(np.maximum(feature_map, 0), cmap="magma")  # só a parte positiva, como faria uma ReLU
    else:
        edge_limit = np.percentile(np.abs(feature_map), 99)
        ax.imshow(feature_map, cmap="gray", vmin=-edge_limit, vmax=edge_limit)
    ax.set_title(title)
for ax in axes:
    ax.axis("off")
plt.tight_layout()
plt.show()

# %% [markdown]
# O filtro "vermelho" acende nas colunas e no telhado do pagode; o "verde", nas árvores dos dois
# lados e nos detalhes verdes dos beirais; o terceiro mostra as bordas verticais, como na versão
# cinza. Três filtros, três canais de saída. Nas redes de verdade é igual, só que com 32, 64 ou
# 128 filtros aprendidos, e a camada seguinte convolui esse volume de muitos canais do mesmo jeito.

# %% [markdown]
# ## 9. Correlação cruzada ou convolução?
#
# Um detalhe de nomenclatura. Em matemática e processamento de sinais, a **convolução** gira o
# filtro 180° antes de deslizá-lo: $(A * w)_{ij} = \sum_{i',j'} A_{i-i',\,j-j'}\, w_{i'j'}$. A
# operação sem giro, que você programou, se chama **correlação cruzada** (ela mede o quanto cada
# região da imagem se parece com o filtro). As bibliotecas de deep learning (TensorFlow com
# `tf.nn.conv2d`, Keras com `Conv2D`, PyTorch) calculam a correlação cruzada e a chamam de
# convolução. Para uma rede isso não faz diferença: os pesos são aprendidos, e se a versão girada
# fosse melhor, a rede simplesmente aprenderia os pesos girados.
#
# No scipy, as duas existem com os nomes certos. Com o exemplo 6×6 das aulas:

# %%
mine = conv_gray(IMAGE_6X6, FILTER_3X3)
print("sua conv_forward é igual a correlate2d?             ",
      np.allclose(mine, correlate2d(IMAGE_6X6, FILTER_3X3, mode="valid")))
print("sua conv_forward é igual a convolve2d?              ",
      np.allclose(mine, convolve2d(IMAGE_6X6, FILTER_3X3, mode="valid")))
print("com o filtro girado 180°, é igual a convolve2d?     ",
      np.allclose(conv_gray(IMAGE_6X6, FILTER_3X3[::-1, ::-1]), convolve2d(IMAGE_6X6, FILTER_3X3, mode="valid")))

# %% [markdown]
# ## 10. O backward da convolução
#
# Para treinar, precisamos dos gradientes. O backward recebe `dZ`, o gradiente da perda $L$ em
# relação à saída da camada (mesmo shape de `Z`), e devolve três gradientes:
#
# - **`dA_prev`** $= \partial L / \partial A_{\text{prev}}$, shape da entrada: o que a camada
#   passa para trás, para a camada anterior continuar a regra da cadeia;
# - **`dW`** $= \partial L / \partial W$, shape dos filtros: como mudar cada peso de cada filtro;
# - **`db`** $= \partial L / \partial b$, shape `(n_C,)`: como mudar o bias de cada filtro.
#
# A ideia é seguir o forward ao contrário. No forward, cada janela $(m, h, w)$ e cada filtro $k$
# produziram $Z[m, h, w, k]$ a partir de
# $A_{\text{pad}}[m,\ hs : hs + f,\ ws : ws + f,\ :]$ e de $W[:, :, :, k]$. Então:
#
# $$db[k] = \sum_{m,h,w} dZ[m,h,w,k]$$
#
# (o bias entrou somado em **todas** as posições do mapa $k$);
#
# $$dW[:, :, :, k] = \sum_{m,h,w} A_{\text{pad}}[m,\ hs : hs + f,\ ws : ws + f,\ :]\; dZ[m,h,w,k]$$
#
# (o mesmo filtro foi usado em todas as janelas, então os gradientes de todas as janelas se
# **somam**: é o preço, e a vantagem, do compartilhamento de pesos);
#
# $$dA_{\text{pad}}[m,\ hs : hs + f,\ ws : ws + f,\ :] \mathrel{+}= \sum_k W[:, :, :, k]\; dZ[m,h,w,k]$$
#
# (cada janela devolve o filtro, escalado pelo gradiente que chegou nela, para os pixels que ela
# cobriu; como as janelas se sobrepõem, um pixel recebe contribuições de várias janelas e elas se
# **acumulam**). No fim, tire a moldura do padding: `dA_prev` é o miolo de `dA_pad`.
#
# **Exercício 5.** Escreva `conv_backward`. O `cache` é o que a sua `conv_forward` guardou.

# %% exercise="conv_backward" points=3

# %% [markdown]
# ### Conferindo com diferenças finitas
#
# Um jeito independente de testar um gradiente: mexer um pouquinho num único peso e ver quanto a
# perda muda. Para um peso $W_e$ e um $h$ pequeno,
#
# $$\frac{\partial L}{\partial W_e} \approx \frac{L(W_e + h) - L(W_e - h)}{2h}.$$
#
# Abaixo, a perda é $L = \sum Z \odot G$ para um array fixo $G$ (assim $dZ = G$), numa camada com
# lote de 2, 3 canais de entrada, 4 filtros, padding 1 e stride 2, e conferimos **uma** entrada
# de `dW`. (Na tarefa 4 você vai escrever uma função geral de gradiente numérico.)

# %%
rng = np.random.default_rng(2)
A_check = rng.standard_normal((2, 5, 5, 3))
W_check = rng.standard_normal((3, 3, 3, 4))
b_check = rng.standard_normal(4)
Z_check, cache_check = conv_forward(A_check, W_check, b_check, stride=2, pad=1)
G = rng.standard_normal(Z_check.shape)
dA_check, dW_check, db_check = conv_backward(G, cache_check)

entry, h = (1, 2, 0, 3), 1e-5
W_plus, W_minus = W_check.copy(), W_check.copy()
W_plus[entry] += h
W_minus[entry] -= h
loss_plus = np.sum(conv_forward(A_check, W_plus, b_check, stride=2, pad=1)[0] * G)
loss_minus = np.sum(conv_forward(A_check, W_minus, b_check, stride=2, pad=1)[0] * G)
estimate = (loss_plus - loss_minus) / (2 * h)
print(f"dW{entry} do seu backward: {dW_check[entry]:.8f}")
print(f"estimativa numérica:         {estimate:.8f}")
print("shapes:", dA_check.shape, dW_check.shape, db_check.shape)

# %% [markdown]
# ### A rede aprende um filtro de bordas
#
# As aulas perguntam: numa imagem complexa, como escolher o melhor filtro? Resposta: deixe a rede
# descobrir os pesos $w_1, \dots, w_9$. Vamos fazer isso em miniatura. Pegamos um recorte 32×32 da
# foto (normalizado para média 0 e desvio 1) e, como "resposta certa", a saída do filtro de Sobel
# vertical, $\begin{bmatrix}1&0&-1\\2&0&-2\\1&0&-1\end{bmatrix}$, uma versão do filtro vertical que
# dá mais peso à linha do meio. Começamos com pesos aleatórios pequenos e fazemos descida do
# gradiente no erro quadrático médio, usando **a sua** `conv_forward` e **a sua** `conv_backward`.

# %%
sobel_vertical = sobel_vertical_filter()
crop = china_gray[60:92, 120:152]
X_train = as_batch((crop - crop.mean()) / crop.std())
Y_train, _ = conv_forward(X_train, as_filter(sobel_vertical), np.zeros(1))

rng = np.random.default_rng(0)
W_learn = rng.normal(0.0, 0.1, (3, 3, 1, 1))
b_learn = np.zeros(1)
W_start = W_learn[:, :, 0, 0].copy()
learning_rate, losses = 0.1, []
for step in range(150):
    Z_learn, cache_learn = conv_forward(X_train, W_learn, b_learn)
    error = Z_learn - Y_train
    losses.append(np.mean(error ** 2))
    _, dW_learn, db_learn = conv_backward(2 * error / error.size, cache_learn)  # dL/dZ do erro quadrático médio
    W_learn = W_learn - learning_rate * dW_learn
    b_learn = b_learn - learning_rate * db_learn

print(f"perda inicial {losses[0]:.4f}, perda final {losses[-1]:.2e}")
fig, axes = plt.subplots(1, 5, figsize=(18, 3.4), gridspec_kw={"width_ratios": [1, 1, 1.4, 1, 1]})
axes[0].imshow(crop, cmap="gray")
axes[0].set_title("recorte usado no treino")
axes[0].axis("off")
show_matrix(axes[1], np.round(W_start, 2) + 0.0, "filtro inicial (aleatório)", fmt="{:.2f}", cmap="coolwarm")
axes[2].semilogy(losses)
axes[2].set_xlabel("passo da descida do gradiente")
axes[2].set_title("erro quadrático médio (escala log)")
show_matrix(axes[3], np.round(W_learn[:, :, 0, 0], 2) + 0.0, "filtro aprendido", fmt="{:.2f}", cmap="coolwarm")
show_matrix(axes[4], sobel_vertical, "filtro de Sobel (alvo)", cmap="coolwarm")
plt.tight_layout()
plt.show()

# %% [markdown]
# Partindo de números aleatórios, a descida do gradiente chegou ao filtro de Sobel, sem que
# ninguém dissesse quais deviam ser os pesos: só havia exemplos de entrada e da saída desejada.
# Uma CNN faz exatamente isso, com milhões de exemplos e centenas de filtros, e a "saída
# desejada" vem da perda da tarefa (por exemplo, acertar a classe da imagem).

# %% [markdown]
# ## 11. Quantos parâmetros? Convolução × camada densa
#
# Uma camada convolucional com `n_C` filtros $f \times f$ sobre uma entrada de `n_C_prev` canais
# tem $f \cdot f \cdot n_{C,\text{prev}} \cdot n_C$ pesos, mais um bias por filtro. Esse número
# **não depende do tamanho da imagem**: os mesmos filtros deslizam por todas as posições
# (compartilhamento de pesos), e cada saída olha só para uma região pequena da entrada (campo
# receptivo local). Uma camada densa com `n_in` entradas e `n_out` neurônios liga todo mundo a todo
# mundo: $n_{\text{in}} \cdot n_{\text{out}}$ pesos, mais um bias por neurônio.
#
# **O exemplo das aulas.** Entrada 32×32×3 (uma imagem do CIFAR-10), 64 filtros 5×5, saída
# 28×28×64 (pois $32 - 5 + 1 = 28$). Sem contar os biases:
#
# - convolução: $5 \cdot 5 \cdot 3 \cdot 64 = 4\,800$ pesos;
# - uma camada densa que levasse a mesma entrada achatada ($32 \cdot 32 \cdot 3 = 3\,072$ números)
#   à mesma saída achatada ($28 \cdot 28 \cdot 64 = 50\,176$ números):
#   $3\,072 \cdot 50\,176 = 154\,140\,672$ pesos, uns **154 milhões**;
# - a densa precisaria de cerca de **32 mil vezes** mais pesos (a conta exata dá 32 113).
#
# Em float32, 154 milhões de pesos são mais de 600 MB para uma única camada, contra 19 KB da
# convolução.
#
# **Exercícios 6 e 7.** Escreva `count_conv_params` e `count_dense_params`.

# %% exercise="count_conv_params" points=1

# %% exercise="count_dense_params" points=1

# %%
conv_weights = count_conv_params(5, 3, 64, bias=False)
dense_weights = count_dense_params(32 * 32 * 3, 28 * 28 * 64, bias=False)
print(f"convolução: {conv_weights:>13,} pesos")
print(f"densa:      {dense_weights:>13,} pesos")
print(f"razão:      {dense_weights / conv_weights:>13,.0f} vezes")

# %% [markdown]
# E o modelo do CIFAR-10 das aulas inteiro: três `Conv2D` 3×3 com stride 2 (32, 64 e 128 filtros),
# `Flatten`, `Dense(1024)` e `Dense(10)`. As três convoluções, juntas, têm menos de 100 mil
# parâmetros; a primeira camada densa sozinha tem mais de um milhão. É por isso que as CNNs
# reduzem bastante a imagem (com stride ou pooling) antes de achatá-la.

# %%
size, channels, rows = 32, 3, []
for filters in (32, 64, 128):
    new_size = conv_output_size(size, 3, stride=2)
    rows.append((f"Conv2D({filters}, 3, strides=2)", (new_size, new_size, filters),
                 count_conv_params(3, channels, filters)))
    size, channels = new_size, filters
flat = size * size * channels
rows.append(("Flatten", (flat,), 0))
rows.append(("Dense(1024)", (1024,), count_dense_params(flat, 1024)))
rows.append(("Dense(10)", (10,), count_dense_params(1024, 10)))
for name, shape, params in rows:
    print(f"{name:<26} saída {str(shape):<15} {params:>10,} parâmetros")
print(f"{'total':<42} {sum(p for _, _, p in rows):>10,} parâmetros")

# %% [markdown]
# ## 12. Convolução 1-D: sinais e texto
#
# Nem todo dado é uma imagem. Um áudio, as leituras de um sensor ao longo do dia, o preço de uma
# ação, uma frase: tudo isso é uma **sequência**, uma fila de valores ordenados no tempo (ou na
# posição do texto). E a intuição das imagens continua valendo: valores vizinhos costumam ser
# parecidos, e os padrões que interessam são **locais** (uma batida num áudio, um salto numa
# série temporal, duas ou três palavras seguidas numa frase). Por isso a convolução funciona
# muito bem com uma dimensão só: no lugar da matriz temos um vetor, e o filtro é um vetor curto
# que desliza ao longo dele.
#
# **O exemplo das aulas.** O sinal $x = [1, 2]$ e o filtro $w = [1, -1]$ têm o mesmo tamanho, então
# só existe **uma** janela, e a saída é um único número:
#
# $$1 \cdot 1 + 2 \cdot (-1) = -1.$$
#
# Num sinal mais comprido, a janela de tamanho $f$ anda $s$ casas de cada vez (o stride), e a
# saída na posição $t$ é
#
# $$\text{out}_t = \sum_{i=0}^{f-1} x_{t s + i}\; w_i + b.$$
#
# Com o filtro $[1, -1]$, cada saída é a diferença entre um valor e o seguinte: zero onde o sinal
# fica parado, grande onde ele **muda de repente**. É o detector de bordas da seção 7, em 1-D.
#
# **Canais.** Uma sequência também pode ter vários canais em cada passo: o áudio estéreo tem 2,
# um acelerômetro tem 3 (os eixos x, y e z) e, num texto, cada palavra vira um vetor de números
# (um *embedding*) com dezenas ou centenas de dimensões. Então, como no Keras (`Conv1D`):
#
# - um lote de sequências tem shape `(m, L, C)`: exemplos, comprimento e canais;
# - os filtros têm shape `(f, C, K)`: tamanho do filtro, canais da entrada e número de filtros;
# - os biases têm shape `(K,)`;
# - a saída tem shape `(m, L_out, K)`, com a mesma fórmula de tamanho da seção 4:
#   $L_{\text{out}} = \lfloor (L + 2p - f)/s \rfloor + 1$.
#
# Cada filtro soma sobre a janela **e** sobre todos os canais, exatamente como o filtro 2-D somava
# altura, largura e canais. O padding acrescenta $p$ zeros no começo e no fim de cada sequência
# (só no eixo do comprimento, nunca nos exemplos nem nos canais).
#
# **Exercício 8.** Escreva `conv1d_forward`. É a sua `conv_forward` com um eixo a menos: valem as
# mesmas ideias de padding, stride, soma sobre os canais e um bias por filtro, e a sua
# `conv_output_size` continua servindo para o tamanho da saída. Como no TensorFlow
# (`tf.nn.conv1d`), é correlação cruzada: o filtro **não** é invertido.

# %% exercise="conv1d_forward" points=2

# %%
signal_example, kernel_example = conv1d_example()
out_example, _ = conv1d_forward(as_sequence(signal_example), as_filter_1d(kernel_example), np.zeros(1))
print("sinal:", signal_example, " filtro:", kernel_example, " saída:", out_example[0, :, 0])

# %% [markdown]
# ### Um sinal de verdade: suavizar e achar o salto
#
# Agora um sinal com cara de medida real. Geramos 2 segundos de um sensor amostrado 200 vezes por
# segundo (400 valores): uma oscilação lenta (uma senoide de 1 Hz), um **salto** de repente em
# $t = 1{,}2$ s (um aparelho que liga, por exemplo) e **ruído** por cima de tudo. Duas tarefas
# clássicas de processamento de sinais viram, cada uma, um filtro:
#
# - **suavizar** (tirar o ruído): a **média móvel** de 15 valores, o filtro $[1/15, \dots, 1/15]$.
#   Com $p = 7$ zeros em cada ponta, a saída tem o mesmo comprimento da entrada (a regra
#   $p = (f - 1)/2$ da seção 3);
# - **achar mudanças bruscas**: a diferença $[1, -1]$ do exemplo das aulas.
#
# Os dois filtros cabem numa única camada com $K = 2$ filtros do mesmo tamanho, `w` de shape
# `(15, 1, 2)`: o segundo filtro é uma diferença "larga", a média dos 7 valores da esquerda menos a
# média dos 7 da direita. Para comparar, também passamos o $[1, -1]$ puro pelo sinal com ruído.

# %%
rate, seconds = 200, 2.0
t = np.arange(int(rate * seconds)) / rate                       # (400,) instantes, em segundos
rng = np.random.default_rng(0)
clean = np.sin(2 * np.pi * 1.0 * t) + 1.0 * (t >= 1.2)          # oscilação + salto em t = 1,2 s
noisy = clean + rng.normal(0.0, 0.25, t.shape)                  # ruído de desvio 0,25

f_demo = 15
moving_average = np.full(f_demo, 1 / f_demo)
wide_difference = np.concatenate([np.full(7, 1 / 7), [0.0], np.full(7, -1 / 7)])
w_demo = np.stack([moving_average, wide_difference], axis=-1)[:, np.newaxis, :]   # (15, 1, 2)
out_demo, _ = conv1d_forward(as_sequence(noisy), w_demo, np.zeros(2), pad=7)
step_raw, _ = conv1d_forward(as_sequence(noisy), as_filter_1d(kernel_example), np.zeros(1))
print("entrada:", as_sequence(noisy).shape, " filtros:", w_demo.shape, " saída:", out_demo.shape,
      " diferença [1, -1]:", step_raw.shape)

smooth, edges = out_demo[0, :, 0], out_demo[0, :, 1]
print(f"maior salto encontrado pela diferença larga: t = {t[np.argmin(edges)]:.3f} s")
fig, axes = plt.subplots(3, 1, figsize=(11, 8), sharex=True)
axes[0].plot(t, noisy, color="0.7", lw=1, label="sinal com ruído")
axes[0].plot(t, smooth, color="C0", lw=2, label="média móvel de 15 (filtro 0)")
axes[0].plot(t, clean, "k--", lw=1, label="sinal sem ruído")
axes[0].legend(loc="upper left")
axes[0].set_title("suavização")
axes[1].plot(t[:-1], step_raw[0, :, 0], color="C1", lw=1)
axes[1].set_title("diferença [1, -1] no sinal com ruído (saída com 399 valores, sem padding)")
axes[2].plot(t, edges, color="C2", lw=2)
axes[2].axvline(1.2, color="k", ls=":", lw=1)
axes[2].set_title("diferença larga (filtro 1): média da esquerda menos média da direita")
axes[2].set_xlabel("tempo (s)")
plt.tight_layout()
plt.show()

# %% [markdown]
# O que os gráficos mostram:
#
# - A **média móvel** apaga quase todo o ruído e segue a curva limpa; o salto, que era um degrau,
#   vira uma rampa de 15 amostras. Na ponta direita a curva despenca: ali parte da janela está
#   sobre os zeros do padding, e a média os inclui (na ponta esquerda o sinal já está perto de 0,
#   então quase não se nota). É o problema das bordas da seção 2, agora em 1-D.
# - A **diferença $[1, -1]$** sozinha se perde no ruído: a diferença entre dois vizinhos soma o
#   ruído dos dois, e a saída pula para cima e para baixo o tempo todo. O salto deveria aparecer
#   como um pico **negativo** (com este filtro a saída é $x_t - x_{t+1}$, negativa quando o sinal
#   sobe), mas há outros picos, para cima e para baixo, não muito menores.
# - A **diferença larga** compara médias em vez de valores soltos: o ruído quase se cancela e
#   sobra um vale bem marcado em $t = 1{,}2$ s; a oscilação lenta vira uma onda pequena. Na ponta
#   direita aparece um pico falso: para o filtro, os zeros do padding são uma "queda" do sinal.
#
# Numa rede `Conv1D`, esses filtros não seriam escritos à mão: como os da seção 10, seriam
# aprendidos a partir dos dados.
#
# ### Um som: frequências e um filtro que tira o apito
#
# O áudio é o exemplo mais comum de sinal 1-D. Um microfone mede a **pressão do ar** muitas
# vezes por segundo, e o som vira uma sequência de números: cada valor é uma **amostra**. A
# qualidade de CD usa 44 100 amostras por segundo; aqui usamos 8 000 (a taxa de uma ligação
# telefônica), então um segundo de som é um vetor de 8 000 valores, exatamente como uma imagem é
# uma matriz de pixels.
#
# Olhando só a fila de números é difícil dizer o que se ouve. Por isso quem trabalha com áudio
# olha também as **frequências**: todo som é uma soma de senoides, e a **transformada de Fourier**
# (`np.fft.rfft`) diz quanto de cada frequência existe no sinal. Esse é o **espectro**. Se
# calcularmos o espectro de pedacinhos curtos, um depois do outro, e os pusermos lado a lado,
# temos o **espectrograma**: uma imagem com o tempo na horizontal, a frequência na vertical e a
# intensidade nas cores. Muitos sistemas de reconhecimento de fala entregam o som a uma CNN
# justamente nesse formato, como se fosse uma foto.
#
# Vamos sintetizar um segundo de som com três ingredientes: um **tom grave** de 220 Hz (a nota
# lá), um **apito agudo** de 2 500 Hz, mais fraco, e um pouco de **chiado** (ruído). Para tirar o
# apito, usamos um **filtro passa-baixa**: deixa passar as frequências baixas e barra as altas. E
# um filtro desses é... uma convolução! Muitos "efeitos" de um editor de áudio (realçar graves
# ou agudos, eco, reverberação) são convoluções do som com um filtro escolhido. Aplicamos dois
# filtros com a **sua** `conv1d_forward`, os dois com padding para manter as 8 000 amostras:
#
# - a **média móvel** de 15 valores do exemplo anterior, que já suaviza, ou seja, atenua o que varia
#   depressa;
# - um filtro de 31 valores feito para cortar acima de 1 000 Hz (uma *sinc janelada*: a função
#   $\text{sinc}$, que é o passa-baixa "ideal", cortada em 31 valores e com as pontas amaciadas por
#   uma janela de Hamming; os detalhes ficam para um curso de processamento de sinais).
#
# Para medir o efeito, lemos no espectro a amplitude de cada componente antes e depois do filtro,
# em **decibéis**: $20 \log_{10}(\text{depois}/\text{antes})$. Menos 20 dB é uma amplitude 10 vezes
# menor; menos 60 dB, 1 000 vezes menor.

# %%
sample_rate = 8000                                              # amostras por segundo
t_audio = np.arange(sample_rate) / sample_rate                  # 1 segundo: (8000,) instantes
rng_audio = np.random.default_rng(0)
tone = 0.5 * np.sin(2 * np.pi * 220 * t_audio)                  # tom grave, 220 Hz
whistle = 0.2 * np.sin(2 * np.pi * 2500 * t_audio)              # apito agudo, 2 500 Hz
sound = tone + whistle + rng_audio.normal(0.0, 0.02, t_audio.shape)   # + chiado

taps = 31
centered = np.arange(taps) - (taps - 1) / 2                     # -15, ..., 15
low_pass = np.sinc(2 * 1000 / sample_rate * centered) * np.hamming(taps)   # corta acima de 1 000 Hz
low_pass /= low_pass.sum()                                      # soma 1: não muda o volume dos graves
audio_filters = {"média móvel de 15": np.full(15, 1 / 15), "passa-baixa de 31": low_pass}
filtered_sounds = {name: conv1d_forward(as_sequence(sound), as_filter_1d(kernel), np.zeros(1),
                                        pad=(kernel.size - 1) // 2)[0][0, :, 0]
                   for name, kernel in audio_filters.items()}


def amplitude_at(signal, frequency):
    """A amplitude da senoide de `frequency` Hz dentro de `signal` (1 segundo: um Hz por posição)."""
    return 2 * np.abs(np.fft.rfft(signal))[frequency] / signal.size


print(f"som: {sound.shape[0]} amostras; amplitudes: tom {amplitude_at(sound, 220):.3f}, "
      f"apito {amplitude_at(sound, 2500):.3f}")
for name, result in filtered_sounds.items():
    change = {hz: 20 * np.log10(amplitude_at(result, hz) / amplitude_at(sound, hz)) for hz in (220, 2500)}
    print(f"{name}: tom {change[220]:+.1f} dB, apito {change[2500]:+.1f} dB")

# %%
clean_sound = filtered_sounds["passa-baixa de 31"]
frequencies = np.fft.rfftfreq(sound.size, d=1 / sample_rate)
fig, axes = plt.subplots(2, 2, figsize=(11, 7))
first_ms = t_audio < 0.02                                       # os primeiros 20 ms
axes[0, 0].plot(1000 * t_audio[first_ms], sound[first_ms], color="0.6", label="original")
axes[0, 0].plot(1000 * t_audio[first_ms], clean_sound[first_ms], color="C0", label="passa-baixa de 31")
axes[0, 0].set_xlabel("tempo (ms)")
axes[0, 0].set_title("a forma de onda: pressão × tempo")
axes[0, 0].legend(loc="upper right")
for signal, color, label in [(sound, "0.6", "original"), (clean_sound, "C0", "passa-baixa de 31")]:
    axes[0, 1].plot(frequencies, 20 * np.log10(2 * np.abs(np.fft.rfft(signal)) / signal.size + 1e-12),
                    color=color, lw=1, label=label)
axes[0, 1].set_ylim(-140, 0)
axes[0, 1].set_xlabel("frequência (Hz)")
axes[0, 1].set_ylabel("amplitude (dB)")
axes[0, 1].set_title("o espectro: quanto de cada frequência")
axes[0, 1].legend(loc="upper right")
window = np.hanning(256)                                        # pedaços de 32 ms, com meia sobreposição
for ax, signal, title in [(axes[1, 0], sound, "espectrograma: original"),
                          (axes[1, 1], clean_sound, "espectrograma: passa-baixa de 31")]:
    frames = np.lib.stride_tricks.sliding_window_view(signal, 256)[::128] * window
    image = 20 * np.log10(np.abs(np.fft.rfft(frames, axis=1)).T + 1e-6)
    ax.imshow(image, origin="lower", aspect="auto", cmap="magma", vmin=-60, vmax=40,
              extent=(0, signal.size / sample_rate, 0, sample_rate / 2))
    ax.set_xlabel("tempo (s)")
    ax.set_ylabel("frequência (Hz)")
    ax.set_title(title)
plt.tight_layout()
plt.show()

# %% [markdown]
# Para **ouvir** a diferença (o som é gerado aqui mesmo, não precisa de internet; baixe o volume
# antes):

# %%
from IPython.display import Audio, display

display(Audio(sound, rate=sample_rate), Audio(clean_sound, rate=sample_rate))

# %% [markdown]
# O que os números e os gráficos mostram:
#
# - Na **forma de onda**, o original é a onda lenta do tom coberta por uma vibração miúda, o
#   apito. Depois do passa-baixa sobra a onda lenta, lisinha.
# - No **espectro**, o original tem dois picos, em 220 Hz e em 2 500 Hz, sobre um "tapete" baixo e
#   espalhado por todas as frequências: o chiado. O passa-baixa de 31 mantém o tom praticamente
#   intacto (menos de 0,1 dB de diferença) e derruba o apito em cerca de **60 dB**: a amplitude
#   dele cai de 0,2 para uns 0,0002, mil vezes menos. O pico continua lá, mas fica inaudível ao
#   lado do tom. O chiado acima de 1 000 Hz afunda junto.
# - A **média móvel** também é um passa-baixa, só que grosseiro: o apito cai só uns 24 dB (a
#   amplitude fica cerca de 15 vezes menor, e com atenção ainda dá para ouvi-lo) e o próprio tom
#   perde uns 3 dB.
#   Filtros diferentes, do mesmo tamanho, fazem trabalhos de qualidade muito diferente; a forma do
#   filtro é tudo.
# - No **espectrograma**, o tom e o apito viram duas faixas horizontais (a frequência deles não
#   muda com o tempo) e o chiado, um fundo granulado. Depois do filtro, o fundo acima de uns
#   1 000 Hz some e a faixa do apito vira um traço apagado.
#
# Uma rede `Conv1D` que trabalha com áudio aprende filtros como esses sozinha, a partir dos dados:
# os filtros da primeira camada de redes treinadas com som cru costumam virar filtros
# **passa-faixa**, cada um sintonizado numa faixa de frequências.
#
# ### E no texto?
#
# Num texto, cada palavra vira um vetor e a frase vira uma sequência `(L, C)`. Para ver a ideia
# sem embeddings treinados, usamos *one-hot*: com um vocabulário de 6 palavras, cada palavra é um
# vetor de 6 canais com um único 1. Um filtro de tamanho $f = 2$ olha para **pares** de palavras
# vizinhas; abaixo, um filtro que soma 1 quando vê "não" e 1 quando vê "gostei" logo depois, com
# bias $-1$: a saída só chega a 1 no par "não gostei" (e uma ReLU zeraria o resto). É assim que uma
# CNN de texto aprende expressões curtas que mudam o sentido de uma frase.

# %%
vocabulary = ["eu", "não", "gostei", "do", "filme", "adorei"]
sentence = "eu adorei o filme mas não gostei do final".split()
words = [word for word in sentence if word in vocabulary]                       # só as do vocabulário
x_text = np.eye(len(vocabulary))[[vocabulary.index(word) for word in words]]   # (L, C) = (6, 6)
w_text = np.zeros((2, len(vocabulary), 1))
w_text[0, vocabulary.index("não"), 0] = 1.0     # primeira palavra do par
w_text[1, vocabulary.index("gostei"), 0] = 1.0  # segunda palavra do par
out_text, _ = conv1d_forward(x_text[np.newaxis], w_text, np.array([-1.0]))
for first, second, value in zip(words, words[1:], out_text[0, :, 0]):
    print(f"{first + ' ' + second:<14} {value:+.0f}")

# %% [markdown]
# ## Resumo
#
# - Uma imagem é uma matriz de intensidades (0 = preto, 1 = branco); uma foto colorida tem três
#   canais, e um lote tem shape `(m, n_H, n_W, n_C)`.
# - A convolução desliza um filtro pela imagem; cada posição da saída é a soma dos produtos da
#   janela pelo filtro (mais o bias). No exemplo 6×6 * 3×3 a saída é 4×4, e o valor na linha 1,
#   coluna 2 é 15 (não 11).
# - Tamanho da saída: $\lfloor (n + 2p - f)/s \rfloor + 1$. Padding $p = (f-1)/2$ com stride 1
#   preserva o tamanho (6×6 com $p = 1$ continua 6×6); stride 2 reduz mais ou menos pela metade
#   (7×7 → 3×3).
# - Cada filtro tem a profundidade da entrada e produz **um** mapa; `n_C` filtros produzem `n_C`
#   canais. Filtros de bordas verticais e horizontais revelam a estrutura de uma foto.
# - As bibliotecas calculam a correlação cruzada (sem girar o filtro) e a chamam de convolução.
# - No backward, `db` soma `dZ`, `dW` acumula janela × gradiente de todas as posições e `dA_prev`
#   espalha os filtros de volta sobre as janelas; com isso a rede aprende os próprios filtros.
# - Compartilhar pesos é o que torna a convolução viável: 4 800 pesos contra 154 milhões de uma
#   camada densa no mesmo problema.
# - Em 1-D o filtro é um vetor que desliza por uma sequência `(m, L, C)` (sinal, série temporal,
#   texto) com filtros `(f, C, K)`; $[1, 2]$ com o filtro $[1, -1]$ dá $-1$. Uma média móvel
#   suaviza, uma diferença acha mudanças bruscas.
# - Um som é uma sequência de amostras da pressão do ar; o espectro (e o espectrograma, uma imagem
#   tempo × frequência) mostra as suas frequências. Um filtro passa-baixa, que é uma convolução,
#   tirou um apito de 2 500 Hz (cerca de −60 dB) sem mexer no tom de 220 Hz.
