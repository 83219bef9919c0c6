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
# # Tarefa 3 — Pooling, pooling global e flatten
#
# Numa rede convolucional, as convoluções encontram padrões (bordas, texturas, formas) e
# produzem **mapas de características** (*feature maps*). Antes de chegar às camadas densas que
# classificam, esses mapas passam por duas operações que você vai programar aqui, só com numpy:
#
# 1. o **pooling** (máximo e média), que encolhe altura e largura de cada mapa guardando o que
#    importa, com os passos *forward* e *backward*;
# 2. o **pooling global**, que resume um mapa inteiro em um único número;
# 3. o **flatten** (achatamento), que transforma os mapas em um vetor para a camada densa.
#
# No caminho, você vai aplicar o seu pooling a mapas de bordas de uma foto de verdade e ver o
# que sobra deles.
#
# **Como funciona:** cada exercício é uma função com a docstring já escrita. Troque
# `raise NotImplementedError()` pelo seu código, rode a célula e, em seguida, rode a célula de
# verificação logo abaixo: ela confere a sua função em alguns casos simples (os exemplos das
# aulas) e, se algo estiver errado, mostra o caso, o valor esperado, o valor obtido e uma dica.
# A nota final vem de testes escondidos, bem mais completos, que rodam quando o professor corrige.
#
# Use apenas numpy nos exercícios. As imagens seguem a convenção do Keras (*channels-last*):
# um lote de imagens tem shape $(m, n_H, n_W, n_C)$ — exemplos, altura, largura, canais.

# %%
import numpy as np
import matplotlib.pyplot as plt

# Os exemplos numéricos das aulas; as_batch((n_H, n_W)) -> (1, n_H, n_W, 1), um lote com 1 exemplo
# e 1 canal.
from dlhelpers.worked_examples import (
    POOLING_SLIDES, as_batch, flatten_3x3_matrix, pooling_7x7_image, pooling_table, sobel_vertical_filter,
)

np.set_printoptions(precision=4, suppress=True)
# %matplotlib inline


def as_table(A):
    """O caminho inverso: o único canal do único exemplo de A, como tabela 2-D."""
    return A[0, :, :, 0]


# %% [markdown]
# ## 1. Para que serve o pooling?
#
# Uma arquitetura convolucional típica (LeNet, AlexNet, as redes das aulas sobre CIFAR-10)
# repete o bloco **convolução → ReLU → pooling** algumas vezes e termina com **flatten → camadas
# densas → softmax**. A camada de pooling faz um "resumo" de cada mapa de características:
# uma janela pequena (por exemplo $2 \times 2$) percorre o mapa e cada região vira um único
# número, o **máximo** ou a **média** dos valores da região.
#
# Por que isso ajuda?
#
# - **Reduz altura e largura.** Com janela $2 \times 2$ e passo 2, cada mapa fica com um quarto
#   dos valores. As camadas seguintes fazem menos contas e usam menos memória. O número de
#   canais não muda: cada mapa é resumido separadamente.
# - **Guarda as respostas mais fortes.** No max pooling, se um filtro de borda respondeu forte em
#   algum ponto da região, essa resposta sobrevive; respostas fracas (muitas vezes ruído) somem.
# - **Dá um pouco de invariância à translação.** Se um padrão se desloca um pixel sem sair da
#   janela, o máximo da janela continua o mesmo: a rede fica menos sensível à posição exata das
#   características. Você vai ver isso acontecer daqui a pouco.
# - **Não tem nenhum parâmetro para aprender.** Só tem dois *hiperparâmetros*, escolhidos por
#   quem monta a rede: o tamanho da janela $f$ e o passo (*stride*) $s$. O treino não muda nada
#   no pooling; no backward, ele só encaminha o gradiente para a camada anterior.
#
# Como as saídas ficam menores, a parte densa do fim da rede também fica menor, com menos pesos;
# é por isso que as aulas dizem que o pooling ajuda a evitar *overfitting*.

# %% [markdown]
# ## 2. Max pooling e average pooling
#
# ### O exemplo das aulas, região por região
#
# Tome a tabela $4 \times 4$ das aulas e uma janela $2 \times 2$ com stride 2. A janela cobre
# quatro regiões que não se sobrepõem, e cada uma vira o seu máximo:
#
# $$
# \begin{bmatrix} 1 & 3 & 2 & 4 \\ 5 & 6 & 7 & 8 \\ 3 & 2 & 1 & 0 \\ 9 & 8 & 4 & 2 \end{bmatrix}
# \quad\longrightarrow\quad
# \begin{bmatrix} 6 & 8 \\ 9 & 4 \end{bmatrix}
# $$
#
# | região | valores | máximo |
# |---|---|---|
# | superior esquerda (linhas 0–1, colunas 0–1) | 1, 3, 5, 6 | **6** |
# | superior direita (linhas 0–1, colunas 2–3) | 2, 4, 7, 8 | **8** |
# | inferior esquerda (linhas 2–3, colunas 0–1) | 3, 2, 9, 8 | **9** |
# | inferior direita (linhas 2–3, colunas 2–3) | 1, 0, 4, 2 | **4** |
#
# Mais dois exemplos das aulas, com a mesma janela $2 \times 2$ e stride 2:
#
# $$
# \begin{bmatrix} 1 & 3 & 2 & 1 \\ 2 & 9 & 1 & 1 \\ 1 & 3 & 2 & 3 \\ 5 & 6 & 1 & 2 \end{bmatrix}
# \longrightarrow
# \begin{bmatrix} 9 & 2 \\ 6 & 3 \end{bmatrix}
# \qquad\qquad
# \begin{bmatrix} 0 & 15 & 25 & 9 \\ 21 & 7 & 1 & 18 \\ 23 & 8 & 18 & 3 \\ 6 & 17 & 7 & 18 \end{bmatrix}
# \longrightarrow
# \begin{bmatrix} 21 & 25 \\ 23 & 18 \end{bmatrix}
# $$
#
# ### O tamanho da saída
#
# Sem padding (como `padding="valid"` no Keras, o padrão das camadas de pooling), a saída tem
#
# $$
# n_H = \left\lfloor \frac{n_{H_{prev}} - f}{s} \right\rfloor + 1,
# \qquad
# n_W = \left\lfloor \frac{n_{W_{prev}} - f}{s} \right\rfloor + 1,
# $$
#
# a mesma fórmula da convolução, $\frac{n + 2p - f}{s} + 1$, com $p = 0$. O piso
# $\lfloor\cdot\rfloor$ importa quando a conta não é exata: com $n = 5$, $f = 2$ e $s = 2$, a
# saída tem $\lfloor 3/2 \rfloor + 1 = 2$ linhas, e a última linha da entrada, que não completa
# uma janela, é ignorada.
#
# **Exemplo das aulas com janelas sobrepostas.** Uma imagem $7 \times 7$ com janela
# $3 \times 3$ e stride 2 dá uma saída de $\lfloor (7 - 3)/2 \rfloor + 1 = 3$ por $3$. A primeira
# janela cobre as linhas 0–2 e as colunas 0–2, com os valores $1, 0, 0, 2, 0, 0, 4, 1, 1$:
# o primeiro valor da saída é $\max = 4$. Como o passo (2) é menor que a janela (3), janelas
# vizinhas compartilham uma linha ou uma coluna. Esse é o *overlapping max pooling* que a AlexNet
# usa, também com $f = 3$ e $s = 2$.
#
# ### Average pooling
#
# Em vez do máximo, cada região vira a sua **média**. Na tabela $4 \times 4$ do início:
#
# $$
# \frac{1+3+5+6}{4} = 3{,}75 \qquad \frac{2+4+7+8}{4} = 5{,}25 \qquad
# \frac{3+2+9+8}{4} = 5{,}5 \qquad \frac{1+0+4+2}{4} = 1{,}75
# $$
#
# O max pooling entrega a característica mais marcante de cada região; o average pooling entrega
# um valor "suavizado", que mistura tudo o que há nela. Nas camadas internas das CNNs o máximo é
# o mais comum, mas a média é útil quando se quer suavizar.
#
# ### Lotes e canais
#
# A entrada `A_prev` tem shape $(m, n_{H_{prev}}, n_{W_{prev}}, n_C)$. Cada canal de cada exemplo
# é resumido sozinho: a saída `A` tem shape $(m, n_H, n_W, n_C)$, com os mesmos $m$ e $n_C$.
#
# **Exercício 1.** Escreva `pool_forward`, com `mode="max"` ou `mode="average"`.
#
# *Dica:* a janela da posição $(h, w)$ da saída começa na linha $h \cdot s$ e na coluna
# $w \cdot s$ da entrada e tem $f$ linhas e $f$ colunas. Para um $(h, w)$ fixo, a fatia
# `A_prev[:, linhas, colunas, :]` tem shape $(m, f, f, n_C)$; reduzindo os eixos 1 e 2 (com
# `np.max` ou `np.mean` e `axis=(1, 2)`), você obtém os $m \times n_C$ valores de `A[:, h, w, :]`
# de uma vez. Guarde no `cache` o que o backward vai precisar.

# %% exercise="pool_forward" points=3

# %% [markdown]
# Os exemplos das aulas, agora calculados pela **sua** função:

# %%
slide_tables = {f"tabela do slide {slide}": pooling_table(slide) for slide in POOLING_SLIDES}
for title, table in slide_tables.items():
    pooled, _ = pool_forward(as_batch(table), f=2, stride=2, mode="max")
    print(f"{title}, max pooling 2x2 com stride 2:\n{as_table(pooled)}\n")

averaged, _ = pool_forward(as_batch(slide_tables["tabela do slide 000"]), f=2, stride=2, mode="average")
print(f"tabela do slide 000, average pooling 2x2 com stride 2:\n{as_table(averaged)}\n")

image_7x7 = pooling_7x7_image()
pooled_7x7, cache_7x7 = pool_forward(as_batch(image_7x7), f=3, stride=2, mode="max")
print("imagem 7x7, janela 3x3, stride 2 -> shape", pooled_7x7.shape)
print(as_table(pooled_7x7))

# %% [markdown]
# ### Um pouco de invariância à translação
#
# Abaixo, um único ponto forte (9) numa tabela $4 \times 4$ muda de lugar. Enquanto ele fica
# dentro da mesma janela $2 \times 2$, a saída do max pooling é idêntica: para a camada seguinte,
# nada mudou. Quando ele atravessa a fronteira de uma janela, a saída muda. A invariância é
# parcial, vale para deslocamentos pequenos; empilhar vários blocos convolução + pooling a
# estende a deslocamentos maiores.

# %%
for row, column in [(0, 0), (1, 1), (0, 2)]:
    spot = np.zeros((4, 4))
    spot[row, column] = 9
    pooled, _ = pool_forward(as_batch(spot), f=2, stride=2)
    print(f"ponto forte na linha {row}, coluna {column} -> max pooling: {as_table(pooled).tolist()}")

# %% [markdown]
# ## 3. Mapas de características antes e depois do pooling
#
# Agora com uma foto de verdade: uma das imagens de exemplo do scikit-learn, convertida para tons
# de cinza e reduzida para $160 \times 240$ pixels. Três filtros de borda clássicos de
# $3 \times 3$ (Sobel vertical, Sobel horizontal e um Laplaciano, que realça contornos em todas
# as direções) percorrem a imagem e produzem três mapas de características. Como a convolução é
# assunto da tarefa 2, aqui ela vem pronta, da função `correlate2d` do SciPy: o filtro desliza
# sobre a imagem sem ser invertido, exatamente como numa camada `Conv2D`. Depois, a ReLU,
# `np.maximum(mapa, 0)`, apaga as respostas negativas, como em `Conv2D(..., activation="relu")`;
# por isso cada mapa de Sobel guarda só um dos sentidos da borda (do claro para o escuro, por
# exemplo), e não os dois.
#
# Os três mapas, empilhados como canais, formam uma entrada de shape $(1, 158, 238, 3)$ para o
# **seu** `pool_forward`.

# %%
from PIL import Image
from scipy.signal import correlate2d
from sklearn.datasets import load_sample_image

photo = load_sample_image("china.jpg")                          # (427, 640, 3), inteiros 0..255
grey_full = photo @ np.array([0.299, 0.587, 0.114]) / 255.0     # luminância, valores em [0, 1]
grey = np.asarray(Image.fromarray(grey_full.astype(np.float32)).resize((240, 160)), dtype=float)

edge_filters = {
    "bordas verticais (Sobel)": sobel_vertical_filter(),
    "bordas horizontais (Sobel)": sobel_vertical_filter().T,
    "contornos (Laplaciano)": np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]]),
}
responses = [correlate2d(grey, kernel, mode="valid") for kernel in edge_filters.values()]
feature_maps = np.maximum(np.stack(responses, axis=-1), 0)[np.newaxis]   # ReLU, lote de 1 exemplo

max_pooled, _ = pool_forward(feature_maps, f=2, stride=2, mode="max")
average_pooled, _ = pool_forward(feature_maps, f=2, stride=2, mode="average")


def count(array):
    """Quantos valores o array guarda, com o ponto separando os milhares."""
    return f"{array.size:,}".replace(",", ".")


print(f"imagem em cinza:          {grey.shape}")
print(f"mapas de características:  {feature_maps.shape} -> {count(feature_maps)} valores")
print(f"depois do max pooling:     {max_pooled.shape} -> {count(max_pooled)} valores")
print(f"depois do average pooling: {average_pooled.shape} -> {count(average_pooled)} valores")

# %%
plt.figure(figsize=(4.5, 3))
plt.imshow(grey, cmap="gray")
plt.title(f"imagem em cinza {grey.shape[0]}×{grey.shape[1]}")
plt.axis("off")
plt.show()

fig, axes = plt.subplots(3, 3, figsize=(13, 8.5))
for channel, name in enumerate(edge_filters):
    bright = np.percentile(feature_maps[0, :, :, channel], 99.5)   # mesma escala de cor na linha
    panels = [
        ("antes do pooling", feature_maps),
        ("max pooling 2×2, stride 2", max_pooled),
        ("average pooling 2×2, stride 2", average_pooled),
    ]
    for ax, (stage, maps) in zip(axes[channel], panels):
        ax.imshow(maps[0, :, :, channel], cmap="magma", vmin=0, vmax=bright)
        ax.set_title(f"{name}\n{stage}: {maps.shape[1]}×{maps.shape[2]}", fontsize=9)
        ax.axis("off")
plt.tight_layout()
plt.show()

# %% [markdown]
# Com um quarto dos valores, os mapas depois do pooling ainda mostram os mesmos contornos do
# pagode: é essa a ideia de "resumir sem perder o essencial". A diferença entre máximo e média
# aparece de perto. Abaixo, um recorte de $32 \times 32$ do mapa de bordas verticais e o que
# sobra dele ($16 \times 16$) em cada tipo de pooling, pixel por pixel:

# %%
top, left = 60, 100
crop = feature_maps[:, top:top + 32, left:left + 32, :1]       # (1, 32, 32, 1): só o 1º mapa
crop_max, _ = pool_forward(crop, f=2, stride=2, mode="max")
crop_average, _ = pool_forward(crop, f=2, stride=2, mode="average")

fig, axes = plt.subplots(1, 4, figsize=(15, 3.8))
axes[0].imshow(grey, cmap="gray")
axes[0].add_patch(plt.Rectangle((left, top), 32, 32, fill=False, edgecolor="red", linewidth=2))
axes[0].set_title("onde fica o recorte")
axes[0].axis("off")
for ax, (stage, maps) in zip(axes[1:], [("recorte do mapa", crop), ("max pooling", crop_max),
                                        ("average pooling", crop_average)]):
    ax.imshow(as_table(maps), cmap="magma", vmin=0, vmax=crop.max(), interpolation="nearest")
    ax.set_title(f"{stage}: {maps.shape[1]}×{maps.shape[2]}")
    ax.axis("off")
plt.tight_layout()
plt.show()
print(f"maior resposta: no recorte {crop.max():.3f}, depois do max pooling {crop_max.max():.3f}, "
      f"depois do average pooling {crop_average.max():.3f}")

# %% [markdown]
# O max pooling mantém intactas as respostas mais fortes: uma borda fina, de um pixel de largura,
# continua tão brilhante quanto antes. No average pooling, essa mesma borda é misturada com os
# vizinhos apagados da janela e perde intensidade. É por isso que, nas camadas internas das CNNs,
# o máximo costuma ser a escolha padrão: o que interessa é *se* o padrão apareceu na região.

# %% [markdown]
# ## 4. O backward do pooling
#
# O pooling não tem parâmetros, então o backward só precisa de uma coisa: o gradiente da perda em
# relação à entrada, `dA_prev`, a partir do gradiente em relação à saída, `dA`. Cada posição
# $(h, w)$ da saída depende apenas da sua janela; basta ver como ela depende de cada valor da
# janela.
#
# **Max pooling.** A saída é o máximo da janela. Se um valor que não é o máximo mudar um
# pouquinho, a saída não muda: derivada 0. Se o máximo mudar, a saída muda junto: derivada 1.
# Então o gradiente $dA_{h,w}$ vai **inteiro para a posição do máximo** da janela, e as outras
# posições recebem zero. Em caso de empate, adotamos a regra do TensorFlow: recebe o gradiente só
# o **primeiro** máximo, lendo a janela linha por linha (é o que `np.argmax` devolve).
#
# **Average pooling.** A saída é $\frac{1}{f^2}\sum$ dos valores da janela, então a derivada em
# relação a cada um deles é $\frac{1}{f^2}$: o gradiente $dA_{h,w}$ é **dividido igualmente**
# entre as $f^2$ posições.
#
# **Janelas sobrepostas.** Quando $s < f$, um valor da entrada pertence a mais de uma janela e
# influencia mais de uma saída. Pela regra da cadeia, as contribuições **se somam**:
#
# $$
# \frac{\partial L}{\partial A_{prev}[i, j]}
# = \sum_{(h, w)\,:\ (i, j)\ \in\ \text{janela}(h, w)} \frac{\partial L}{\partial A[h, w]}
#   \cdot \frac{\partial A[h, w]}{\partial A_{prev}[i, j]},
# \qquad
# \frac{\partial A[h, w]}{\partial A_{prev}[i, j]} =
# \begin{cases}
#   1 \text{ ou } 0 & \text{max: 1 só se } (i, j) \text{ é o (primeiro) máximo da janela} \\
#   1/f^2 & \text{average}
# \end{cases}
# $$
#
# **Exemplo.** Na tabela do slide 000 com max pooling $2 \times 2$ e $dA$ todo igual a 1, o
# gradiente chega só às posições de 6, 8, 9 e 4; com average pooling e
# $dA = \begin{bmatrix} 4 & 8 \\ 12 & 16 \end{bmatrix}$, cada bloco $2 \times 2$ recebe
# $dA/4$:
#
# $$
# \text{max:}\
# \begin{bmatrix} 0 & 0 & 0 & 0 \\ 0 & 1 & 0 & 1 \\ 0 & 0 & 0 & 0 \\ 1 & 0 & 1 & 0 \end{bmatrix}
# \qquad\qquad
# \text{average:}\
# \begin{bmatrix} 1 & 1 & 2 & 2 \\ 1 & 1 & 2 & 2 \\ 3 & 3 & 4 & 4 \\ 3 & 3 & 4 & 4 \end{bmatrix}
# $$
#
# **Exercício 2.** Escreva `pool_backward`. Ele recebe o `cache` do **seu** `pool_forward`.
#
# *Dica:* comece com `dA_prev` cheio de zeros e percorra as posições $(h, w)$ da saída (e, se
# preferir, também os exemplos e os canais). Para o max, `np.argmax` sobre a janela achatada
# encontra o primeiro máximo e `np.unravel_index` converte esse índice em (linha, coluna). Use
# sempre `+=`, nunca `=`, para que janelas sobrepostas acumulem.

# %% exercise="pool_backward" points=3

# %% [markdown]
# De volta à imagem $7 \times 7$ com janela $3 \times 3$ e stride 2: com $dA$ todo igual a 1,
# cada uma das 9 janelas manda uma unidade de gradiente para o seu máximo. O 4 da linha 2,
# coluna 0 é o máximo de **duas** janelas sobrepostas (a de cima à esquerda e a do meio à
# esquerda), então recebe 2. Em qualquer caso o total não muda: o pooling só redistribui o
# gradiente, a soma de `dA_prev` é a soma de `dA`.

# %%
gradient_7x7 = pool_backward(np.ones_like(pooled_7x7), cache_7x7)
print("max pooling 3x3, stride 2, dA = 1 em todas as 9 saídas:")
print(as_table(gradient_7x7))
print("soma de dA:", np.ones_like(pooled_7x7).sum(), "| soma de dA_prev:", gradient_7x7.sum())

averaged_7x7, average_cache_7x7 = pool_forward(as_batch(image_7x7), f=3, stride=2, mode="average")
spread = pool_backward(np.ones_like(averaged_7x7), average_cache_7x7)
print("\naverage pooling 3x3, stride 2, dA = 1 (em nonos: quantas janelas cobrem cada posição):")
print(np.round(as_table(spread) * 9).astype(int))
print("soma de dA_prev:", spread.sum())

# %% [markdown]
# ## 5. Pooling global
#
# O pooling global leva a ideia ao extremo: a "janela" é o mapa inteiro. Cada canal vira **um
# único número**, o máximo (*global max pooling*) ou a média (*global average pooling*) de todos
# os seus valores. Um lote de shape $(m, n_H, n_W, n_C)$, com 3 dimensões por exemplo, vira um
# array $(m, n_C)$, com 1 dimensão por exemplo.
#
# **Max pooling × global max pooling**, na tabela do slide 002:
#
# - max pooling $2 \times 2$ com stride 2: uma matriz $\begin{bmatrix} 21 & 25 \\ 23 & 18 \end{bmatrix}$,
#   que ainda diz *onde* estão os valores grandes;
# - global max pooling: só o **25**, o maior valor do mapa todo;
# - global average pooling: $196 / 16 = 12{,}25$, a média dos 16 valores.
#
# Como o resultado já é um vetor por exemplo, o pooling global pode ficar entre as convoluções
# e a camada densa no lugar do flatten (no Keras, `GlobalMaxPooling2D` ou
# `GlobalAveragePooling2D`). Um bônus: o tamanho da saída, $n_C$, não depende da altura e da
# largura da imagem.
#
# **Exercício 3.** Escreva `global_pool`.

# %% exercise="global_pool" points=1

# %%
table_002 = as_batch(slide_tables["tabela do slide 002"])
pooled_002, _ = pool_forward(table_002, f=2, stride=2, mode="max")
print("max pooling 2x2:        shape", pooled_002.shape)
print(as_table(pooled_002))
print("global max pooling:     shape", global_pool(table_002, "max").shape, "->", global_pool(table_002, "max"))
print("global average pooling: shape", global_pool(table_002, "average").shape, "->",
      global_pool(table_002, "average"))

print("\nos 3 mapas da foto, um número por mapa:")
for name, strongest, mean in zip(edge_filters, global_pool(feature_maps, "max")[0],
                                 global_pool(feature_maps, "average")[0]):
    print(f"  {name:28s} máximo {strongest:6.3f}   média {mean:6.3f}")

# %% [markdown]
# ## 6. Flatten
#
# A camada densa recebe um vetor por exemplo, mas o pooling entrega mapas 2-D (um por canal). O
# **flatten** "achata" cada exemplo, **linha por linha**: primeiro a linha 0 inteira, depois a
# linha 1, e assim por diante. A matriz $3 \times 3$ das aulas vira uma coluna de 9 valores:
#
# $$
# \begin{bmatrix} 1 & 1 & 0 \\ 4 & 2 & 1 \\ 0 & 2 & 1 \end{bmatrix}
# \longrightarrow
# (1, 1, 0, 4, 2, 1, 0, 2, 1)
# $$
#
# Do mesmo jeito, uma imagem $28 \times 28$ do MNIST vira um vetor de $28 \cdot 28 = 784$ pixels,
# cada um ligado a um neurônio da camada de entrada, e uma imagem colorida $32 \times 32 \times 3$
# do CIFAR-10 vira $3072$ valores.
#
# **E os canais?** Com *channels-last*, os $n_C$ valores de um mesmo pixel estão lado a lado.
# A ordem do `keras.layers.Flatten` é: os canais do pixel $(0, 0)$, depois os do pixel
# $(0, 1)$, ..., até o fim da linha 0, e então a linha 1. O eixo do lote **não** é achatado:
# $(m, n_H, n_W, n_C) \to (m,\ n_H \cdot n_W \cdot n_C)$.
#
# **Exercício 4.** Escreva `flatten`.

# %% exercise="flatten" points=1

# %%
print("matriz 3x3 do slide 004 ->", flatten(as_batch(flatten_3x3_matrix())))
print("imagem 28x28 do MNIST   ->", flatten(np.zeros((1, 28, 28, 1))).shape)
print("imagem 32x32x3 (CIFAR)  ->", flatten(np.zeros((1, 32, 32, 3))).shape)

n_classes = 10
flat = flatten(max_pooled)
summary = global_pool(max_pooled, "max")
print(f"\nos mapas da foto depois do max pooling, {max_pooled.shape}:")
weights = f"{flat.shape[1] * n_classes:,}".replace(",", ".")
print(f"  flatten     -> {flat.shape}: uma camada densa de {n_classes} neurônios teria {weights} pesos")
print(f"  global max  -> {summary.shape}: a mesma camada teria {summary.shape[1] * n_classes} pesos")

# %% [markdown]
# O flatten preserva tudo, inclusive *onde* cada resposta apareceu, mas gera vetores longos e
# camadas densas com muitos pesos. O pooling global guarda só *quanto* cada filtro respondeu, e
# o vetor é minúsculo. Por isso o pooling (e muitas vezes o pooling global) vem antes das camadas
# densas: reduzir antes de achatar é o que mantém a parte densa da rede de tamanho razoável.
#
# ## Resumo
#
# - O pooling resume cada mapa de características com uma janela $f \times f$ e passo $s$,
#   sem padding: a saída tem $\lfloor (n - f)/s \rfloor + 1$ linhas e colunas, e o número de
#   canais não muda.
# - **Max pooling** guarda a resposta mais forte de cada região (slide 000:
#   $\begin{bmatrix} 6 & 8 \\ 9 & 4 \end{bmatrix}$); **average pooling** guarda a média
#   ($\begin{bmatrix} 3{,}75 & 5{,}25 \\ 5{,}5 & 1{,}75 \end{bmatrix}$).
# - O pooling reduz as contas e a memória, dá um pouco de invariância à translação e não tem
#   nenhum parâmetro para aprender.
# - No backward, o max manda o gradiente para o (primeiro) máximo de cada janela, o average o
#   divide por $f^2$, e janelas sobrepostas somam as suas contribuições.
# - O **pooling global** transforma cada canal em um número: $(m, n_H, n_W, n_C) \to (m, n_C)$.
# - O **flatten** achata cada exemplo linha por linha, canais de cada pixel juntos:
#   $(m, n_H, n_W, n_C) \to (m, n_H n_W n_C)$; $28 \times 28 \to 784$.
# - Na próxima tarefa você vai montar as camadas densas que recebem esses vetores e treinar uma
#   rede inteira com backpropagation.
