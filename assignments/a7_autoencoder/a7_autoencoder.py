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
# # Tarefa 7 — Autoencoders: comprimir, reconstruir e achar defeitos
#
# Até aqui, toda rede que você treinou tinha um **rótulo** para acertar: a classe de um dígito,
# "funcional" ou "defeituosa". Um **autoencoder** aprende sem rótulos. A tarefa dele parece boba:
# devolver na saída a mesma imagem que recebeu na entrada. O truque é que, no meio do caminho, a
# imagem precisa passar por um **gargalo** estreito:
#
# - o **codificador** (*encoder*) $f$ comprime a entrada $x$ num **código** $h = f(x)$ com poucos
#   números (os "dados comprimidos");
# - o **decodificador** (*decoder*) $g$ tenta reconstruir a entrada a partir do código:
#   $x' = g(h)$;
# - o treino ajusta $f$ e $g$ juntos para que $g(f(x)) = x' \approx x$, minimizando o erro de
#   reconstrução $\frac{1}{n}\sum (x - x')^2$.
#
# Como o código é bem menor que a imagem (nesta tarefa, 2 números para um dígito de 64 pixels e 16
# números para uma célula solar de 2.304 pixels), a rede não consegue simplesmente copiar: ela é
# obrigada a descobrir **o que é importante** nos dados e descartar o resto. O codificador é feito
# de blocos convolucionais que reduzem a imagem; o decodificador, de blocos que aumentam a resolução
# de volta.
#
# **Para que serve.** Comprimir e visualizar dados (o código é uma descrição curta de cada
# exemplo), remover ruído, gerar exemplos novos e, o que vamos fazer com as células solares da
# tarefa 6, **detectar anomalias**: um autoencoder treinado só com células boas reconstrói bem
# células boas e mal as defeituosas.
#
# **Variações.** O nosso é um autoencoder *subcompleto* (o código é menor que a entrada). Há
# outros: o **esparso** (código grande, mas com uma penalidade que deixa a maioria dos valores em
# zero), o **contrativo** (penaliza o quanto o código muda quando a entrada muda um pouco), o **de
# remoção de ruído** (*denoising*: recebe a imagem com ruído e aprende a devolver a limpa; você vai
# ver um na seção 3) e o **variacional** (VAE), que aprende uma distribuição de códigos e serve
# para gerar dados novos.
#
# > **Outra rede que aprende sem rótulos: o mapa auto-organizável (SOM).** Proposto por Teuvo
# > Kohonen em 1982, o SOM é uma grade de neurônios (por exemplo 10x10), cada um com um vetor de
# > pesos do tamanho da entrada. Para cada exemplo, o neurônio cujos pesos estão **mais perto** dele
# > vence, e ele e os vizinhos **na grade** puxam os pesos um pouco na direção do exemplo. Não há
# > retropropagação nem decodificador: é aprendizado por competição. No fim, neurônios vizinhos
# > respondem a exemplos parecidos, e a grade vira um mapa 2-D dos dados, a mesma ideia do espaço
# > de códigos em 2-D que você vai ver na seção 3.
#
# > **Um pouco de história: as *deep belief networks*.** Em 2006, treinar redes com muitas camadas
# > ainda não funcionava: o gradiente sumia no caminho (a tarefa 1 mostrou por quê) e as redes
# > profundas ficavam piores que as rasas. Geoffrey Hinton e colegas contornaram isso com o
# > **pré-treino camada por camada**: cada camada era treinada sozinha, sem rótulos, para
# > reconstruir a saída da anterior (com máquinas de Boltzmann restritas, nas *deep belief
# > networks*, e depois com autoencoders empilhados); só no fim a rede inteira era ajustada com
# > rótulos por retropropagação. Foi o que reacendeu o interesse por redes profundas. Hoje, com a
# > ReLU, inicializações melhores, batch normalization e o Adam, treinamos tudo de uma vez, de
# > ponta a ponta, como nesta tarefa; mas a ideia de aprender representações sem rótulos continua
# > viva nos autoencoders.
#
# **Roteiro:**
# 1. o modelo: `build_autoencoder`;
# 2. o treino: `train_autoencoder`, nos dígitos manuscritos 8x8 do scikit-learn;
# 3. reconstruções, o espaço dos códigos em 2-D, o decodificador como gerador e um autoencoder que
#    remove ruído;
# 4. o erro de reconstrução de cada imagem;
# 5. células solares: um autoencoder treinado **só com células funcionais**;
# 6. um limiar com poucos alarmes falsos;
# 7. a avaliação do detector: curva ROC e AUC;
# 8. para ir além: uma GAN pequena, outro jeito de treinar um gerador.
#
# **Como funciona:** como nas outras tarefas, cada exercício é uma função com a docstring pronta;
# troque `raise NotImplementedError()` pelo seu código e rode a verificação logo abaixo. A nota vem
# de testes escondidos: eles conferem cada função e **treinam o seu autoencoder** com a sua
# `train_autoencoder` em células funcionais do ELPV, medindo, fora do seu código, como o erro de
# reconstrução separa células boas de defeituosas em imagens que o seu código nunca vê.
#
# **Tempo de execução.** O notebook inteiro roda em cerca de um minuto numa CPU comum. Na correção
# automática ele roda numa versão reduzida (menos épocas e imagens menores).

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # menos mensagens do TensorFlow
import keras
import tensorflow as tf
from keras import layers
from sklearn.datasets import load_digits

from dlhelpers.autoencoders import split_autoencoder
from dlhelpers.data import load_elpv, stratified_split_indices

# %matplotlib inline

# %% [markdown]
# ### Configuração do experimento
#
# `EM_CORRECAO` é verdadeiro quando o nbgrader roda o notebook para corrigir; aí usamos um orçamento
# pequeno. Na correção, o ELPV fica escondido do código corrigido: as células que leem as células
# solares param ali, e a nota vem dos testes escondidos.

# %%
EM_CORRECAO = "NBGRADER_EXECUTION" in os.environ
SEED = 0
if EM_CORRECAO:
    DIGITS_EPOCHS, ELPV_SIZE, ELPV_EPOCHS = 5, 32, 3
else:
    DIGITS_EPOCHS, ELPV_SIZE, ELPV_EPOCHS = 60, 48, 25
CODE_SIZE = 16  # números no código de uma célula solar
keras.utils.set_random_seed(SEED)
tf.get_logger().setLevel("ERROR")  # sem avisos do TensorFlow no meio dos resultados
print(f"dígitos: {DIGITS_EPOCHS} épocas; ELPV: {ELPV_SIZE}x{ELPV_SIZE}, código de {CODE_SIZE} números, "
      f"{ELPV_EPOCHS} épocas" + (" (modo de correção)" if EM_CORRECAO else ""))

# %% [markdown]
# ## 1. O autoencoder
#
# O nosso autoencoder é uma sequência de camadas com o código no meio:
#
# | parte | camada | saída (para uma imagem 8x8x1, código de 2) |
# | --- | --- | --- |
# | entrada | | 8x8x1 |
# | codificador | `Conv2D(16, 3, strides=2, padding="same")`, ReLU | 4x4x16 |
# | | `Conv2D(32, 3, strides=2, padding="same")`, ReLU | 2x2x32 |
# | | `Flatten` | 128 |
# | **código** | `Dense(code_size, name="code")`, linear | **2** |
# | decodificador | `Dense(128)`, ReLU | 128 |
# | | `Reshape((2, 2, 32))` | 2x2x32 |
# | | `Conv2DTranspose(16, 3, strides=2, padding="same")`, ReLU | 4x4x16 |
# | | `Conv2DTranspose(n_C, 3, strides=2, padding="same")`, linear | 8x8x1 |
#
# Duas peças novas:
#
# - uma `Conv2D` com `strides=2` e `padding="same"` anda de 2 em 2 pixels e divide altura e largura
#   por 2 (a conta do `conv_output_size` da tarefa 2), fazendo o papel de um pooling que aprende;
# - a `Conv2DTranspose` com `strides=2` faz o caminho inverso: cada pixel da entrada "espalha" o
#   filtro numa região 3x3 da saída, que tem o **dobro** da altura e da largura. Ela aprende a
#   aumentar a resolução.
#
# O código é a saída de uma `Dense` **linear** (sem ativação): ele pode assumir qualquer valor,
# positivo ou negativo. A última camada também é linear, porque as imagens normalizadas têm pixels
# negativos. A perda é o erro quadrático médio (`"mse"`) entre a saída e a própria entrada.
#
# Como o codificador divide altura e largura por 2 duas vezes, elas precisam ser múltiplos de 4
# (8x8, 32x32, 48x48...). O nome `"code"` na camada do meio importa: é por ele que
# `split_autoencoder` (do `dlhelpers`) separa o codificador do decodificador mais adiante.
#
# **Exercício 1.** Escreva `build_autoencoder`. Use `input_shape` e `code_size` recebidos (nada de
# números fixos) e só camadas prontas do Keras: a correção reconstrói o seu modelo a partir da
# configuração dele e confere que **toda a informação passa pelo código**.

# %% exercise="build_autoencoder" points=3

# %%
digits = load_digits()
X_digits = (digits.images / 16.0).astype("float32")[..., np.newaxis]  # (1797, 8, 8, 1), pixels de 0 a 1
y_digits = digits.target
digits_autoencoder = build_autoencoder(X_digits.shape[1:], code_size=2)
digits_autoencoder.summary()

# %% [markdown]
# Repare na ordem de grandeza: 64 pixels entram e só **2 números** passam pelo meio. Os 10.211
# parâmetros se contam como na tarefa 2: 160 ($3 \cdot 3 \cdot 1 \cdot 16 + 16$) e 4.640 nas
# convoluções do codificador, 258 ($128 \cdot 2 + 2$) na `Dense` do código, 384 na `Dense` que
# volta e 4.624 + 145 nas `Conv2DTranspose` (a mesma conta de uma `Conv2D`: cada filtro tem
# $3 \cdot 3 \cdot n_{C,ant}$ pesos e um bias). Numa célula solar 48x48 a conta muda: o `Flatten`
# passa a ter $12 \cdot 12 \cdot 32 = 4.608$ números e as duas `Dense` em volta do código ficam
# com a maior parte dos parâmetros.
#
# ## 2. O treino: copiar a entrada
#
# Treinar um autoencoder é um `model.fit` em que **a entrada e o alvo são as mesmas imagens**. Com
# uma validação (imagens que a rede não usa para aprender), guardamos os pesos da época com a
# menor perda de validação, como fizemos na tarefa 6 com o `EarlyStopping(restore_best_weights=True)`.
#
# **Exercício 2.** Escreva `train_autoencoder`. Na correção, os testes escondidos treinam o seu
# autoencoder com ela em células solares funcionais e medem, fora do seu código, a reconstrução e a
# detecção de defeitos.

# %% exercise="train_autoencoder" points=3

# %%
digit_splits = stratified_split_indices(y_digits, test_size=0.25, random_state=0)
digits_train, digits_test = digit_splits["train"], digit_splits["test"]
history = train_autoencoder(digits_autoencoder, X_digits[digits_train], X_digits[digits_test],
                            epochs=DIGITS_EPOCHS, batch_size=32, seed=SEED)
plt.figure(figsize=(5, 3))
plt.plot(history.history["loss"], label="treino")
plt.plot(history.history["val_loss"], label="validação")
plt.xlabel("época")
plt.ylabel("erro quadrático médio")
plt.legend()
plt.show()
print(f"erro de reconstrução na validação: {min(history.history['val_loss']):.4f}")

# %% [markdown]
# ## 3. O que o autoencoder aprendeu
#
# ### Reconstruções
#
# Primeira linha: dígitos que a rede não viu no treino. Segunda: o que ela devolve depois de
# espremer cada um em **dois números**. As reconstruções ficam borradas (dois números não guardam
# todos os detalhes), mas a forma geral de cada dígito sobrevive.

# %%
examples = digits_test[:10]
reconstructions = digits_autoencoder.predict(X_digits[examples], verbose=0)
fig, axes = plt.subplots(2, 10, figsize=(12, 2.8))
for column, index in enumerate(examples):
    axes[0, column].imshow(X_digits[index, :, :, 0], cmap="gray_r", vmin=0, vmax=1)
    axes[1, column].imshow(reconstructions[column, :, :, 0], cmap="gray_r", vmin=0, vmax=1)
    axes[0, column].set_title(str(y_digits[index]))
for ax in axes.ravel():
    ax.axis("off")
axes[0, 0].text(-4, 4, "original", rotation=90, va="center")
axes[1, 0].text(-4, 4, "reconstrução", rotation=90, va="center")
plt.show()

# %% [markdown]
# ### O espaço dos códigos
#
# Cada dígito virou um ponto num plano: o seu código $h = f(x)$. Abaixo, o código de cada dígito
# de validação, colorido pela classe verdadeira. **A rede nunca viu os rótulos**; mesmo assim,
# dígitos iguais tendem a ficar perto uns dos outros, porque para reconstruí-los bem o código
# precisa separar formas diferentes. Na execução de referência, 0, 2, 4 e 6 ganharam regiões
# próprias, e os outros se misturam no meio: com só dois números, a rede guarda o que mais pesa no
# erro de reconstrução, que é a forma geral, e um 3, um 5 e um 9 têm formas gerais parecidas.

# %%
encoder, decoder = split_autoencoder(digits_autoencoder)
codes = encoder.predict(X_digits[digits_test], verbose=0)
plt.figure(figsize=(6.5, 5.5))
points = plt.scatter(codes[:, 0], codes[:, 1], c=y_digits[digits_test], cmap="tab10", s=12)
plt.colorbar(points, ticks=range(10), label="dígito")
plt.xlabel("código[0]")
plt.ylabel("código[1]")
plt.title("códigos dos dígitos de validação")
plt.show()

# %% [markdown]
# ### O decodificador como gerador
#
# O decodificador sozinho é uma função de **dois números para uma imagem**. Podemos dar a ele
# códigos que nenhum dígito de verdade produziu: abaixo, uma grade de pontos do plano acima,
# decodificados. Andando pela grade, uma forma se transforma aos poucos em outra. É a semente da
# ideia dos modelos **generativos**: os autoencoders variacionais organizam esse espaço para que
# todo ponto dê uma imagem plausível, e as GANs (fim do notebook) aprendem um gerador de outra
# forma.

# %%
low, high = np.percentile(codes, [5, 95], axis=0)
grid = np.array([[a, b] for b in np.linspace(high[1], low[1], 8) for a in np.linspace(low[0], high[0], 8)],
                dtype="float32")
generated = decoder.predict(grid, verbose=0)
fig, axes = plt.subplots(8, 8, figsize=(5.5, 5.5))
for ax, image in zip(axes.ravel(), generated):
    ax.imshow(image[:, :, 0], cmap="gray_r", vmin=0, vmax=1)
    ax.axis("off")
fig.suptitle("decodificador aplicado a uma grade de códigos")
plt.show()

# %% [markdown]
# ### Um autoencoder que remove ruído
#
# No autoencoder **de remoção de ruído** (*denoising*), a entrada é a imagem com ruído e o alvo é
# a imagem limpa. Para acertar, a rede precisa aprender como um dígito "deveria" ser. Usamos a sua
# `build_autoencoder` com um código maior (16 números) e um `fit` direto, com entradas e alvos
# diferentes.

# %%
rng = np.random.default_rng(SEED)
noisy = np.clip(X_digits + rng.normal(0, 0.3, X_digits.shape), 0, 1).astype("float32")
denoiser = build_autoencoder(X_digits.shape[1:], code_size=16)
denoiser.fit(noisy[digits_train], X_digits[digits_train], epochs=DIGITS_EPOCHS, batch_size=32, verbose=0)
cleaned = denoiser.predict(noisy[examples], verbose=0)
fig, axes = plt.subplots(3, 10, figsize=(12, 4))
for column, index in enumerate(examples):
    for row, image in enumerate((X_digits[index], noisy[index], cleaned[column])):
        axes[row, column].imshow(image[:, :, 0], cmap="gray_r", vmin=0, vmax=1)
for ax in axes.ravel():
    ax.axis("off")
for row, label in enumerate(("original", "com ruído", "limpo")):
    axes[row, 0].text(-4, 4, label, rotation=90, va="center")
plt.show()

# %% [markdown]
# ## 4. O erro de reconstrução de cada imagem
#
# A perda do treino é uma média sobre todas as imagens do lote. Para detectar anomalias, queremos
# um número **por imagem**: a média, sobre todos os pixels e canais, do quadrado da diferença
# entre a imagem e a sua reconstrução.
#
# **Exercício 3.** Escreva `reconstruction_errors`.

# %% exercise="reconstruction_errors" points=1

# %% [markdown]
# Quais dígitos o autoencoder de dois números reconstrói pior?

# %%
digit_errors = reconstruction_errors(X_digits[digits_test], digits_autoencoder.predict(X_digits[digits_test], verbose=0))
for digit in range(10):
    print(f"dígito {digit}: erro médio {digit_errors[y_digits[digits_test] == digit].mean():.4f}")

# %% [markdown]
# ## 5. Células solares: aprender como é uma célula boa
#
# Agora o problema da tarefa 6, visto de outro jeito. Lá, a CNN aprendeu com exemplos das duas
# classes. Numa fábrica nova, porém, defeitos são raros e variados (uma trinca nova não se parece
# com as que já vimos), e rotular milhares de imagens custa caro. A **detecção de anomalias**
# pergunta só "esta célula se parece com as boas?":
#
# 1. treinamos o autoencoder **apenas com células funcionais**;
# 2. ele aprende a reconstruir bem o que é comum nelas (as barras de contato, a textura do
#    silício, as bordas);
# 3. numa célula defeituosa, as regiões escuras da trinca não se parecem com nada que ele viu: a
#    reconstrução "conserta" a célula e o erro de reconstrução fica **grande**.
#
# O rótulo só é usado no fim, para **avaliar** o detector.
#
# Como na tarefa 6, cada imagem é normalizada com a própria média e o próprio desvio padrão, para
# que o brilho geral da foto não conte como defeito.
#
# **Exercício 4.** Escreva `standardize_images` (a mesma da tarefa 6: uma revisão rápida).

# %% exercise="standardize_images" points=1

# %%
X_cells, y_cells, cell_types = load_elpv(ELPV_SIZE)
X_cells = standardize_images(X_cells)
cell_splits = stratified_split_indices(y_cells, random_state=0)  # o teste de 656 células da tarefa 6
train_part, test_part = cell_splits["train"], cell_splits["test"]
functional = train_part[y_cells[train_part] == 0]
functional = np.random.default_rng(SEED).permutation(functional)
n_val = len(functional) // 8
val_cells, fit_cells = functional[:n_val], functional[n_val:]
print(f"treino: {len(fit_cells)} células funcionais; validação: {len(val_cells)} funcionais; "
      f"teste: {len(test_part)} células ({y_cells[test_part].sum()} defeituosas)")

cell_autoencoder = build_autoencoder(X_cells.shape[1:], CODE_SIZE)
cell_history = train_autoencoder(cell_autoencoder, X_cells[fit_cells], X_cells[val_cells],
                                 epochs=ELPV_EPOCHS, batch_size=32, seed=SEED)
print(f"erro de reconstrução na validação: {min(cell_history.history['val_loss']):.4f}")

# %% [markdown]
# Veja a reconstrução de células funcionais e defeituosas do teste e, na última linha, o **mapa de
# erro** $(x - x')^2$ de cada pixel: nas defeituosas, ele acende onde está o defeito (uma trinca
# em X aparece como um X no mapa), porque o autoencoder "pintou" ali a célula boa que ele conhece.
# Repare também nas funcionais policristalinas, com manchas de grãos: a textura delas acende o
# mapa sem defeito nenhum. Guarde isso para a seção 7.

# %%
test_reconstructions = cell_autoencoder.predict(X_cells[test_part], verbose=0)
chosen = np.concatenate([np.flatnonzero(y_cells[test_part] == 0)[:4], np.flatnonzero(y_cells[test_part] == 1)[:4]])
fig, axes = plt.subplots(3, 8, figsize=(13, 5.4))
for column, index in enumerate(chosen):
    original, rebuilt = X_cells[test_part[index], :, :, 0], test_reconstructions[index, :, :, 0]
    axes[0, column].imshow(original, cmap="gray")
    axes[0, column].set_title("funcional" if y_cells[test_part[index]] == 0 else "defeituosa", fontsize=9)
    axes[1, column].imshow(rebuilt, cmap="gray", vmin=original.min(), vmax=original.max())
    axes[2, column].imshow((original - rebuilt) ** 2, cmap="magma", vmin=0, vmax=4)
for ax in axes.ravel():
    ax.axis("off")
for row, label in enumerate(("original", "reconstrução", "erro")):
    axes[row, 0].text(-6, ELPV_SIZE / 2, label, rotation=90, va="center")
plt.show()

# %% [markdown]
# ## 6. Um limiar com poucos alarmes falsos
#
# O detector dá uma **pontuação** a cada célula (o erro de reconstrução) e precisa de um
# **limiar**: acima dele, a célula vai para revisão. Como escolher o limiar sem olhar defeitos?
# Com as células **funcionais da validação**: se aceitamos que 5% das células boas sejam separadas
# à toa (alarmes falsos), o limiar é o erro que só 5% delas ultrapassam, ou seja, o **quantil 95%**
# dos erros das funcionais.
#
# **Exercício 5.** Escreva `anomaly_threshold`.

# %% exercise="anomaly_threshold" points=1

# %%
val_errors = reconstruction_errors(X_cells[val_cells], cell_autoencoder.predict(X_cells[val_cells], verbose=0))
test_errors = reconstruction_errors(X_cells[test_part], test_reconstructions)
threshold = anomaly_threshold(val_errors, false_alarm_rate=0.05)
y_test_cells = y_cells[test_part]
plt.figure(figsize=(7, 3.5))
bins = np.linspace(0, np.percentile(test_errors, 99), 40)
plt.hist(test_errors[y_test_cells == 0], bins, alpha=0.6, label="funcionais (teste)")
plt.hist(test_errors[y_test_cells == 1], bins, alpha=0.6, label="defeituosas (teste)")
plt.axvline(threshold, color="black", linestyle="--", label="limiar (5% de alarmes falsos)")
plt.xlabel("erro de reconstrução")
plt.legend()
plt.show()

# %% [markdown]
# ## 7. Avaliar o detector: curva ROC e AUC
#
# Cada limiar troca detecções por alarmes falsos. A **curva ROC** mostra essa troca para **todos**
# os limiares: no eixo x, a taxa de falsos positivos (funcionais marcadas); no y, a taxa de
# verdadeiros positivos (defeituosas encontradas). A **AUC** (área sob a curva) resume a curva num
# número que não depende do limiar: é a probabilidade de uma célula defeituosa sorteada ter erro
# maior que uma funcional sorteada. 0,5 é o acaso (a diagonal), 1,0 é a separação perfeita.
#
# **Exercício 6.** Escreva `evaluate_detector` com `roc_curve` e `roc_auc_score` do
# `sklearn.metrics`.

# %% exercise="evaluate_detector" points=2

# %%
detector = evaluate_detector(y_test_cells, test_errors, threshold)
print(f"AUC no teste: {detector['roc_auc']:.3f}")
print(f"com o limiar de 5% de alarmes falsos: {detector['detection_rate']:.1%} das defeituosas encontradas, "
      f"{detector['false_alarm_rate']:.1%} das funcionais marcadas")
for kind in ("mono", "poly"):
    mask = cell_types[test_part] == kind
    print(f"  só células {kind}: AUC {evaluate_detector(y_test_cells[mask], test_errors[mask], threshold)['roc_auc']:.3f}")

# %% [markdown]
# ### Uma régua para cada tipo de célula
#
# As células policristalinas têm uma textura granulada que nenhum código de 16 números guarda por
# inteiro: mesmo boas, elas são reconstruídas pior que as monocristalinas, e um limiar único
# mistura as duas escalas. Uma correção simples, que ainda não usa nenhum defeito: dividir o erro
# de cada célula pela **mediana dos erros das células funcionais do mesmo tipo** na validação.

# %%
typical = {kind: np.median(val_errors[cell_types[val_cells] == kind]) for kind in ("mono", "poly")}
relative_errors = test_errors / np.array([typical[kind] for kind in cell_types[test_part]])
relative_val = val_errors / np.array([typical[kind] for kind in cell_types[val_cells]])
relative = evaluate_detector(y_test_cells, relative_errors, anomaly_threshold(relative_val, 0.05))
print(f"AUC com o erro relativo ao tipo: {relative['roc_auc']:.3f} (antes: {detector['roc_auc']:.3f})")
print(f"com o limiar de 5% de alarmes falsos: {relative['detection_rate']:.1%} das defeituosas encontradas")

plt.figure(figsize=(4.8, 4.5))
plt.plot(detector["fpr"], detector["tpr"], label=f"erro bruto (AUC {detector['roc_auc']:.2f})")
plt.plot(relative["fpr"], relative["tpr"], label=f"erro relativo ao tipo (AUC {relative['roc_auc']:.2f})")
plt.plot([0, 1], [0, 1], color="gray", linestyle=":", label="acaso")
plt.xlabel("taxa de falsos positivos")
plt.ylabel("taxa de verdadeiros positivos")
plt.legend(loc="lower right")
plt.show()

# %% [markdown]
# **O que os números mostram.** Na execução de referência (48x48, código de 16 números, 25
# épocas), a AUC do erro bruto ficou em torno de **0,71**; só nas monocristalinas, perto de
# **0,88**, e nas policristalinas, de **0,74**; com o erro relativo ao tipo, em torno de **0,80**,
# e o limiar de 5% encontrou cerca de metade das defeituosas.
#
# Repare também que, no teste, a fração de funcionais marcadas passou dos 5% pedidos (na
# referência, uns 10%). O limiar veio de poucas células (as funcionais da validação), e foram
# essas mesmas células que escolheram a melhor época do treino: elas ficaram um pouco mais bem
# reconstruídas do que células realmente novas. Na fábrica, o limiar seria conferido com um lote
# novo de células boas antes de entrar em uso. Um detector que nunca viu um
# defeito separa bem as células, mas fica atrás da CNN supervisionada da tarefa 6, que aprendeu
# com milhares de exemplos rotulados das duas classes. Em troca, ele não precisa de nenhum rótulo
# de defeito para treinar e não depende de ter visto cada tipo de defeito antes.
#
# **Pergunta (resposta escrita, corrigida pelo professor).** (a) Por que o autoencoder é treinado
# só com células funcionais? O que aconteceria com a detecção se metade do treino fossem células
# defeituosas? (b) Olhe as AUCs por tipo de célula: por que o detector vai melhor nas
# monocristalinas? (c) Cite uma mudança (no código, no modelo ou nos dados) que você testaria para
# melhorar a AUC, e como saberia, sem tocar no teste, se ela ajudou.

# %% [markdown] answer="analise_do_detector" points=2
# Resposta de referência (o professor adapta à execução do aluno): (a) o autoencoder aprende a
# reconstruir o que vê no treino; treinado só com células boas, um defeito é algo novo e é
# reconstruído mal. Com metade de defeituosas, ele aprenderia a reconstruir trincas também, os
# erros das duas classes ficariam parecidos e a AUC cairia para perto de 0,5. (b) As
# monocristalinas são lisas e regulares: o código de 16 números guarda quase tudo delas e qualquer
# mancha escura se destaca; nas policristalinas, a textura granulada já gera erro nas células boas
# e esconde defeitos pequenos. (c) Por exemplo: um código maior ou menor, imagens maiores (trincas
# finas somem em 48x48), um autoencoder por tipo de célula ou o erro medido só nas regiões mais
# escuras; para decidir, comparar a separação numa validação que tenha algumas células
# defeituosas do treino, deixando o teste intocado.

# %% [markdown]
# ## 8. Para ir além: redes adversariais generativas (GANs)
#
# O decodificador da seção 3 já gerava imagens a partir de códigos, mas foi treinado para
# **reconstruir**, e pontos do plano longe dos códigos de verdade dão borrões. Uma **GAN**
# (*generative adversarial network*, Goodfellow e colegas, 2014) treina um gerador de outro jeito,
# com **duas redes que competem**:
#
# - o **gerador** $G$ recebe um vetor de ruído aleatório $z$ e devolve uma imagem $G(z)$: ele faz o
#   papel do decodificador, mas nunca vê uma imagem de verdade;
# - o **discriminador** $D$ recebe uma imagem e diz se ela é real (do conjunto de dados) ou falsa
#   (do gerador): um classificador binário comum, com entropia cruzada binária;
# - a cada passo, $D$ aprende a separar reais de falsas, e $G$ aprende a **enganar** $D$: a perda do
#   gerador é a entropia cruzada de $D(G(z))$ com o rótulo "real". O gradiente que ensina o gerador
#   atravessa o discriminador, pela retropropagação que você escreveu na tarefa 4.
#
# Não há um "erro de reconstrução" que desça até zero: as duas perdas oscilam enquanto uma rede
# alcança a outra. Quando o jogo se equilibra, o discriminador já não separa bem as falsas, e o
# gerador produz imagens parecidas com as reais. Abaixo, uma GAN bem pequena (duas camadas densas em
# cada rede) nos mesmos dígitos 8x8; o `model.fit` não serve aqui (são dois otimizadores com
# objetivos opostos), então escrevemos o passo de treino com `tf.GradientTape`, que grava as contas
# e devolve os gradientes. Roda em uns 10 segundos.

# %%
NOISE_SIZE = 16
GAN_EPOCHS = 3 if EM_CORRECAO else 200
keras.utils.set_random_seed(SEED)
generator = keras.Sequential([keras.Input((NOISE_SIZE,)), layers.Dense(128, activation="relu"),
                              layers.Dense(64, activation="sigmoid"), layers.Reshape((8, 8, 1))], name="gerador")
discriminator = keras.Sequential([keras.Input((8, 8, 1)), layers.Flatten(), layers.Dense(128),
                                  layers.LeakyReLU(0.2), layers.Dense(1)], name="discriminador")  # logit de "real"
generator_optimizer = keras.optimizers.Adam(1e-3, beta_1=0.5)
discriminator_optimizer = keras.optimizers.Adam(1e-3, beta_1=0.5)
bce = keras.losses.BinaryCrossentropy(from_logits=True)


@tf.function
def gan_step(real):
    noise = tf.random.normal((tf.shape(real)[0], NOISE_SIZE))
    with tf.GradientTape() as d_tape, tf.GradientTape() as g_tape:
        fake = generator(noise, training=True)
        real_logits, fake_logits = discriminator(real, training=True), discriminator(fake, training=True)
        d_loss = bce(tf.ones_like(real_logits), real_logits) + bce(tf.zeros_like(fake_logits), fake_logits)
        g_loss = bce(tf.ones_like(fake_logits), fake_logits)  # o gerador quer ouvir "real"
    d_grads = d_tape.gradient(d_loss, discriminator.trainable_variables)
    g_grads = g_tape.gradient(g_loss, generator.trainable_variables)
    discriminator_optimizer.apply_gradients(zip(d_grads, discriminator.trainable_variables))
    generator_optimizer.apply_gradients(zip(g_grads, generator.trainable_variables))
    return d_loss, g_loss


batches = tf.data.Dataset.from_tensor_slices(X_digits).shuffle(len(X_digits), seed=SEED).batch(64, drop_remainder=True)
fixed_noise = tf.random.normal((8, NOISE_SIZE), seed=SEED)  # o mesmo ruído, para ver o gerador evoluir
snapshots, losses = {}, []
for epoch in range(1, GAN_EPOCHS + 1):
    for real in batches:
        losses.append([float(v) for v in gan_step(real)])
    if epoch in (1, GAN_EPOCHS // 10, GAN_EPOCHS):
        snapshots[epoch] = generator(fixed_noise, training=False).numpy()

fig, axes = plt.subplots(len(snapshots), 8, figsize=(10, 1.4 * len(snapshots)))
for row, (epoch, images) in enumerate(snapshots.items()):
    for column, image in enumerate(images):
        axes[row, column].imshow(image[:, :, 0], cmap="gray_r", vmin=0, vmax=1)
        axes[row, column].axis("off")
    axes[row, 0].set_title(f"época {epoch}", fontsize=9, loc="left")
plt.show()
plt.figure(figsize=(6, 3))
plt.plot(np.array(losses)[:, 0], label="discriminador", linewidth=0.6)
plt.plot(np.array(losses)[:, 1], label="gerador", linewidth=0.6)
plt.xlabel("passo")
plt.ylabel("perda")
plt.legend()
plt.show()

# %% [markdown]
# As imagens da última linha vêm só de ruído: o gerador nunca viu um dígito, só a opinião do
# discriminador. Na execução de referência, várias já lembram um 3, um 6 ou um 0; outras ficam no
# meio do caminho, porque a rede é pequena e o treino, curto. E o 3 aparece mais de uma vez: o
# gerador acha um dígito que engana bem e insiste nele. Repare nas perdas: em vez de cair, elas oscilam em volta de um
# equilíbrio. GANs são famosas por serem difíceis de treinar (uma rede pode "vencer" cedo demais, ou
# o gerador pode produzir sempre o mesmo dígito, o *colapso de modos*); os autoencoders
# variacionais trocam um pouco da nitidez das imagens por um treino estável, com uma perda que
# desce como a de qualquer rede.
