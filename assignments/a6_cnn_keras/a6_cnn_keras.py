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
# # Tarefa 6 — Uma CNN em Keras para inspecionar células solares
#
# Nas tarefas anteriores você programou, só com numpy, cada peça de uma rede convolucional:
# convolução, pooling, camadas densas, perdas, retropropagação, dropout, Adam. Agora essas peças
# viram camadas prontas do **Keras**, e o problema deixa de ser de brinquedo.
#
# **O problema.** Uma fábrica de painéis solares fotografa cada célula com **eletroluminescência**
# (EL): passa-se corrente pela célula e uma câmera infravermelha registra a luz que ela emite. Regiões
# que não conduzem (trincas, pedaços desconectados, defeitos de solda) aparecem **escuras**. Um
# inspetor olha milhares dessas imagens por dia; queremos uma rede que aponte sozinha as células
# defeituosas.
#
# **Os dados: ELPV.** 2.624 imagens reais de 300x300 pixels em tons de cinza, de 44 módulos
# (monocristalinos e policristalinos), publicadas por Buerhop-Lutz, Deitsch et al. Cada célula
# recebeu de especialistas uma **probabilidade de defeito**: 0, 1/3, 2/3 ou 1. Seguimos o protocolo
# do artigo de Deitsch et al. (2019): a célula é **defeituosa** quando essa probabilidade é pelo
# menos 0,5. No artigo, uma VGG-19 pré-treinada no ImageNet e ajustada numa GPU acertou **88,4%**
# das células de teste. Aqui você vai treinar uma CNN **do zero**, numa CPU.
#
# **Por que Keras?** Ninguém escreve `conv_forward` à mão no dia a dia: usa-se um *framework* que
# já traz as camadas, calcula os gradientes sozinho (diferenciação automática) e roda na GPU. Aqui
# usamos o **TensorFlow** (Google) com o **Keras**, a sua interface de alto nível, em que um modelo
# é uma pilha de camadas. Os outros nomes que você vai encontrar: o **PyTorch** (criado no
# Facebook, hoje o mais usado em pesquisa) e o **JAX** (Google, numpy com gradientes e compilação).
# O Keras 3 roda sobre qualquer um dos três. O **Theano** (Universidade de Montreal, desde 2007) e
# o **Caffe** (Berkeley, desde 2013) foram pioneiros e hoje são históricos: não recebem mais
# novidades, mas muitas ideias deles vivem nos atuais. As ideias das tarefas 1 a 5 valem em
# qualquer um deles; muda só a sintaxe.
#
# **Roteiro:**
# 1. normalizar as imagens;
# 2. conhecer os dados e dividi-los em treino, validação e teste;
# 3. aumento de dados (*data augmentation*) e um pipeline `tf.data`;
# 4. o modelo: `Conv2D`, pooling, *batch normalization* e *dropout*;
# 5. a taxa de aprendizado e o treino, com as curvas de aprendizado;
# 6. a avaliação no teste: acurácia, matriz de confusão, relatório de classificação e os erros.
#
# **Como funciona:** como antes, cada exercício é uma função com a docstring pronta; troque
# `raise NotImplementedError()` pelo seu código e rode a verificação logo abaixo. A nota vem de
# testes escondidos: eles conferem cada função e **treinam o seu modelo** com a sua `train_model`
# num pedaço do ELPV, medindo a acurácia numas imagens que o seu código nunca vê.
#
# **Tempo de execução.** O treino completo deste notebook leva alguns minutos numa CPU comum (bem
# menos com GPU no Colab). Na correção automática o notebook roda numa versão reduzida (imagens
# menores, menos exemplos e épocas), para caber em um minuto; os números que você vê aqui são os
# do seu treino completo.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # menos mensagens do TensorFlow
import keras
import tensorflow as tf
from keras import layers

from dlhelpers.data import load_elpv, stratified_split, stratified_split_indices

# %matplotlib inline

# %% [markdown]
# ### Configuração do experimento
#
# `EM_CORRECAO` é verdadeiro quando o nbgrader roda o notebook para corrigir (ele define a
# variável de ambiente `NBGRADER_EXECUTION`). Nesse caso usamos um orçamento pequeno; no seu
# computador, o treino completo. Você pode mudar os valores do treino completo à vontade.
#
# Na correção, o ELPV fica escondido do código corrigido (ninguém treina com as imagens de
# teste): as células que leem os dados param ali, e a nota vem dos testes escondidos, que treinam
# o modelo com as suas funções e o avaliam fora do seu código.

# %%
EM_CORRECAO = "NBGRADER_EXECUTION" in os.environ
CLASS_NAMES = ("funcional", "defeituosa")

if EM_CORRECAO:
    IMAGE_SIZE, N_TRAIN_IMAGES, EPOCHS = 48, 600, 4
else:
    IMAGE_SIZE, N_TRAIN_IMAGES, EPOCHS = 96, None, 20  # None = todas as imagens de treino
BATCH_SIZE = 32
SEED = 0
keras.utils.set_random_seed(SEED)
print(f"imagens {IMAGE_SIZE}x{IMAGE_SIZE}, {EPOCHS} épocas" + (" (modo de correção)" if EM_CORRECAO else ""))

# %% [markdown]
# ## 1. Normalizar cada imagem
#
# Redes aprendem melhor quando as entradas estão numa escala parecida, perto de zero (a mesma
# razão por trás da *batch normalization*, mais adiante). Nas células do ELPV há um motivo a mais:
# o brilho geral muda de módulo para módulo e com a exposição da câmera, mas o que indica defeito é
# o **contraste dentro da célula** (uma linha escura, uma área apagada).
#
# Por isso vamos normalizar **cada imagem com as suas próprias estatísticas**:
#
# $$x' = \frac{x - \mu_{imagem}}{\sigma_{imagem} + 10^{-6}}$$
#
# Depois disso toda imagem tem média 0 e desvio padrão 1. O $10^{-6}$ evita divisão por zero numa
# imagem constante. Como cada imagem usa só os próprios pixels, nenhuma informação do teste vaza
# para o treino.
#
# **Exercício 1.** Escreva `standardize_images`.

# %% exercise="standardize_images" points=1

# %% [markdown]
# ## 2. Os dados
#
# `load_elpv` (do pacote `dlhelpers`, que acompanha a tarefa) lê as imagens do pacote
# `elpv-dataset` e as reduz para `IMAGE_SIZE` x `IMAGE_SIZE`. Imagens menores deixam o treino
# muito mais rápido, ao custo de apagar os detalhes mais finos (algumas trincas têm 1 ou 2 pixels
# de largura em 300x300). A primeira leitura leva alguns segundos; as seguintes usam uma cópia em
# cache.

# %%
X_all, y_all, module_types = load_elpv(IMAGE_SIZE)
counts = np.bincount(y_all)
print("X:", X_all.shape, X_all.dtype, " y:", y_all.shape)
for label, name in enumerate(CLASS_NAMES):
    print(f"  {name:>10}: {counts[label]:4d} células ({counts[label] / len(y_all):.1%})")
print("tipos de módulo:", dict(zip(*np.unique(module_types, return_counts=True))))

# %% [markdown]
# As classes são **desbalanceadas**: cerca de 69% das células são funcionais. Um "modelo" que
# sempre responde *funcional* já acerta uns 69%; esse é o piso que qualquer CNN precisa superar
# com folga. Veja algumas células de cada classe:

# %%
levels = load_elpv(IMAGE_SIZE, label_mode="probability")[1]
fig, axes = plt.subplots(2, 6, figsize=(12, 5))
rng = np.random.default_rng(1)
for row, label in enumerate((0, 1)):
    for ax, index in zip(axes[row], rng.choice(np.flatnonzero(y_all == label), 6, replace=False)):
        ax.imshow(X_all[index, :, :, 0], cmap="gray")
        ax.set_title(f"{CLASS_NAMES[label]}\np(defeito) = {levels[index]:.2f}", fontsize=9)
        ax.axis("off")
plt.tight_layout()
plt.show()

# %% [markdown]
# ### Treino, validação e teste
#
# Como vimos nas aulas, dividimos os dados em três partes com papéis diferentes:
#
# - **treino**: a rede aprende os pesos com estes exemplos;
# - **validação**: a rede nunca aprende com eles, mas nós os usamos para escolher hiperparâmetros
#   (épocas, taxa de aprendizado) e acompanhar o sobreajuste durante o treino;
# - **teste**: usado **uma vez**, no fim, para medir o modelo em dados que ele nunca viu.
#
# A divisão é **estratificada** (cada parte tem a mesma proporção de defeituosas) e segue o
# protocolo fixo da disciplina: 25% para teste com `random_state=0`, o que dá 656 imagens de teste,
# sempre as mesmas. A validação sai só do treino (15% dele).

# %%
splits = stratified_split(standardize_images(X_all), y_all, test_size=0.25, val_size=0.15, random_state=0)
X_train, y_train = splits["train"]
X_val, y_val = splits["val"]
X_test, y_test = splits["test"]
if N_TRAIN_IMAGES is not None:  # modo de correção: uma amostra do treino
    X_train, y_train = X_train[:N_TRAIN_IMAGES], y_train[:N_TRAIN_IMAGES]
for part, labels in (("treino", y_train), ("validação", y_val), ("teste", y_test)):
    print(f"{part:>10}: {len(labels):4d} imagens, {labels.mean():.1%} defeituosas")

# %% [markdown]
# ## 3. Aumento de dados
#
# Com poucas imagens a rede tende a decorar o treino (*overfitting*). O **aumento de dados** cria
# variações de cada imagem que **não mudam a classe**, sorteadas de novo a cada época. Para
# células solares, espelhar e girar de 90° não muda nada: uma trinca continua trinca. Uma pequena
# variação de brilho e contraste imita câmeras e exposições diferentes. Já um zoom forte ou um
# recorte poderiam esconder justamente o defeito, por isso ficam de fora.
#
# **Exercício 2.** Escreva `augment`, usando operações do TensorFlow (`tf.image`), para que ela
# rode dentro do pipeline `tf.data` da próxima seção. Lá dentro o TensorFlow monta um grafo: um
# `if` do Python sobre um tensor sorteado não funciona (use as funções `random_*` do `tf.image`
# ou `tf.cond`), e o sorteio precisa ser do TensorFlow (`tf.random`), não do numpy, para mudar a
# cada imagem.

# %% exercise="augment" points=2

# %% [markdown]
# Oito sorteios de `augment` para a mesma célula:

# %%
fig, axes = plt.subplots(1, 8, figsize=(14, 2))
for ax in axes:
    view, _ = augment(tf.constant(X_train[0]), tf.constant(y_train[0]))
    ax.imshow(np.asarray(view)[:, :, 0], cmap="gray")
    ax.axis("off")
plt.show()

# %% [markdown]
# ### O pipeline `tf.data`
#
# O `model.fit` pode receber arrays, mas um `tf.data.Dataset` nos deixa encadear as etapas:
# guardar os dados na memória (`cache`), **embaralhar** a cada época (`shuffle`), aplicar o aumento
# (`map`), juntar em **lotes** (`batch`) e preparar o próximo lote enquanto a rede calcula o atual
# (`prefetch`). Lembre das aulas: lotes pequenos dão atualizações rápidas mas ruidosas; lotes
# grandes, atualizações mais estáveis e mais lentas. Com 150 exemplos e lotes de 50, uma época são
# 3 passos de otimização.
#
# Só o treino é embaralhado e aumentado; validação e teste passam como estão, na ordem original.
#
# **Exercício 3.** Escreva `make_dataset`.

# %% exercise="make_dataset" points=1

# %% [markdown]
# ## 4. O modelo
#
# Uma CNN para classificar imagens empilha **blocos**. Cada bloco tem:
#
# - `Conv2D` com filtros 3x3 e `padding="same"`: detectores locais de padrões (bordas, linhas,
#   manchas), como a `conv_forward` que você escreveu na tarefa 2;
# - `BatchNormalization`: normaliza as ativações de cada canal no lote, para que as camadas
#   seguintes recebam valores numa escala estável; o treino fica mais rápido e menos sensível à
#   taxa de aprendizado;
# - a ativação `ReLU`;
# - `MaxPooling2D` 2x2: divide altura e largura por 2 (tarefa 3), o que aumenta o campo de visão
#   dos filtros seguintes e reduz o custo.
#
# A cada bloco dobramos o número de filtros: a imagem fica menor, mas cada posição descreve mais
# coisas. No fim, `GlobalAveragePooling2D` resume cada mapa de ativação num número, o `Dropout`
# desliga ao acaso uma fração dos neurônios durante o treino (nas aulas: 0,2 é comum perto da
# entrada e até 0,5 nas camadas ocultas) e uma `Dense` com **softmax** dá a probabilidade de cada
# classe.
#
# A perda é a entropia cruzada com rótulos inteiros (`sparse_categorical_crossentropy`), o
# otimizador, `AdamW` (o Adam da tarefa 4 com decaimento de pesos).
#
# **Exercício 4.** Escreva `build_model`. O modelo deve ser compilado, ter pelo menos duas camadas
# `Conv2D` e uma de pooling, e terminar em softmax com `n_classes` saídas. Use só camadas prontas
# do Keras (nada de `Lambda`): a correção reconstrói o seu modelo a partir da configuração dele.

# %% exercise="build_model" points=4

# %%
model = build_model(X_train.shape[1:], len(CLASS_NAMES))
model.summary()

# %% [markdown]
# ### Visualizar a rede
#
# A tabela do `summary()` é ótima para contar parâmetros; um **desenho** mostra melhor como as
# camadas se ligam. `keras.utils.plot_model` desenha o grafo do modelo: cada caixa é uma camada,
# com o formato do tensor que **entra** e do que **sai** dela (`None` é o tamanho do lote, que só
# é conhecido na hora do treino). Siga as setas e veja a altura e a largura caírem pela metade a
# cada `MaxPooling2D` enquanto os canais crescem, até o pooling global transformar cada mapa num
# único número. O desenho precisa do pacote `pydot` e do programa `dot` do Graphviz (o Colab já
# tem os dois); se faltar algum, a célula avisa e mostra o `summary()` no lugar.

# %%
import shutil
import tempfile
from pathlib import Path

from IPython.display import Image, display


def show_model_graph(model):
    """Desenha o grafo do modelo; sem pydot ou sem o Graphviz, mostra o model.summary()."""
    try:
        import pydot  # o plot_model precisa dele

        if shutil.which("dot") is None:
            raise ImportError("o programa `dot` do Graphviz não está instalado")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "modelo.png"
            keras.utils.plot_model(model, to_file=str(path), show_shapes=True, show_layer_activations=True, dpi=64)
            display(Image(filename=str(path)))
    except (ImportError, OSError, AssertionError) as error:  # AssertionError: o `dot` do pydot falhou
        print(f"Não deu para desenhar o grafo ({error}). Instale o pydot (pip install pydot) e o Graphviz")
        print("(no Debian/Ubuntu: apt-get install graphviz); por enquanto, fica o resumo em tabela:")
        model.summary()


show_model_graph(model)

# %% [markdown]
# **Outras ferramentas para ver uma rede:**
#
# - **Netron** ([netron.app](https://netron.app)): abre um modelo salvo (Keras, TensorFlow,
#   PyTorch, ONNX...) e mostra o grafo no navegador; clicando numa camada você vê os pesos e as
#   configurações dela. A célula abaixo salva o seu modelo num arquivo `.keras` para você arrastar
#   até a página (no Colab, baixe-o pelo painel de arquivos).
# - **TensorBoard**: o painel do TensorFlow que acompanha o treino ao vivo (curvas de perda e de
#   acurácia, histogramas dos pesos) e também desenha o grafo. Basta um *callback* a mais no `fit`:
#   `model.fit(..., callbacks=[keras.callbacks.TensorBoard(log_dir="logs")])`; depois, no Colab,
#   `%load_ext tensorboard` e `%tensorboard --logdir logs` abrem o painel dentro do notebook (fora
#   do Colab, instale antes o pacote `tensorboard`). Aqui desenhamos as curvas com matplotlib.
# - **TensorFlow Playground** ([playground.tensorflow.org](https://playground.tensorflow.org)): não
#   abre o seu modelo, mas deixa você montar no navegador uma rede densa pequena, sobre dados 2-D
#   de brinquedo, e ver cada neurônio e a fronteira de decisão mudarem durante o treino. Ótimo para
#   criar intuição sobre camadas, ativações e taxa de aprendizado.
# - **Deep Visualization Toolbox** (Yosinski e colegas, 2015) e **LSTMVis** (Strobelt e colegas,
#   2017): ferramentas de pesquisa que olham **dentro** da rede treinada. A primeira mostra, ao vivo,
#   os mapas de ativação de cada canal de uma CNN para a imagem da câmera (o que cada filtro
#   "procura"); a segunda, como cada dimensão do estado oculto de uma LSTM sobe e desce ao longo de
#   um texto. Fizemos versões pequenas das duas ideias: os mapas de bordas e os filtros da tarefa 2
#   e a evolução do estado $h_t$ da RNN na tarefa 5.

# %%
model_file = Path(tempfile.mkdtemp(prefix="a6_")) / "modelo.keras"  # uma pasta temporária nova
model.save(model_file)
print(f"modelo salvo em {model_file} ({model_file.stat().st_size / 1e6:.1f} MB): abra-o em netron.app")

# %% [markdown]
# ## 5. Taxa de aprendizado e treino
#
# Uma taxa de aprendizado fixa é um meio-termo ruim: grande, ela faz o treino oscilar no fim;
# pequena, ele anda devagar no começo. Um cronograma comum:
#
# - **aquecimento** (*warmup*): nas primeiras épocas a taxa sobe de forma linear,
#   `base_lr * (epoch + 1) / (warmup_epochs + 1)`, enquanto a batch normalization ainda está
#   aprendendo as escalas;
# - depois, **meio cosseno** de `base_lr` até `min_lr`:
#
# $$\eta = \eta_{min} + \tfrac{1}{2}(\eta_{base} - \eta_{min})\,\big(1 + \cos(\pi \cdot p)\big),
# \qquad p = \frac{epoch - warmup}{\max(1,\ epochs - warmup)}$$
#
# **Exercício 5.** Escreva `cosine_learning_rate`.

# %% exercise="cosine_learning_rate" points=1

# %%
plt.figure(figsize=(5, 3))
plt.plot([cosine_learning_rate(e, EPOCHS, 2e-3) for e in range(EPOCHS)], marker="o")
plt.xlabel("época")
plt.ylabel("taxa de aprendizado")
plt.show()

# %% [markdown]
# ### O treino
#
# `train_model` junta tudo: o pipeline de treino com aumento, o de validação, o cronograma da taxa
# (`keras.callbacks.LearningRateScheduler`) e um `EarlyStopping` que, ao fim, **restaura os pesos
# da época com a menor perda de validação**: a validação escolhe o modelo, o teste continua
# intocado.
#
# **Exercício 6.** Escreva `train_model`. Na correção, os testes escondidos chamam a sua
# `build_model` e a sua `train_model` num pedaço do ELPV e medem a acurácia do modelo treinado em
# imagens de teste que o seu código não vê: acima do acaso vale parte da nota, e faixas de
# acurácia mais altas valem o resto.

# %% exercise="train_model" points=3

# %%
history = train_model(model, X_train, y_train, X_val, y_val, epochs=EPOCHS, batch_size=BATCH_SIZE,
                      seed=SEED, verbose=2)

# %% [markdown]
# ### Curvas de aprendizado
#
# Compare treino e validação. Se a perda de treino continua caindo enquanto a de validação sobe, a
# rede está decorando o treino (*overfitting*): mais aumento de dados, mais dropout ou menos épocas
# ajudam. Se as duas ficam altas, a rede é pequena demais ou treinou pouco.

# %%
curves = history.history
fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 3.5))
ax_loss.plot(curves["loss"], label="treino")
ax_loss.plot(curves["val_loss"], label="validação")
ax_loss.set_title("perda")
ax_acc.plot(curves["accuracy"], label="treino")
ax_acc.plot(curves["val_accuracy"], label="validação")
ax_acc.set_title("acurácia")
for ax in (ax_loss, ax_acc):
    ax.set_xlabel("época")
    ax.legend()
plt.show()

# %% [markdown]
# ## 6. Avaliação no teste
#
# Só agora, com o modelo escolhido, olhamos o teste. A acurácia sozinha engana com classes
# desbalanceadas, então olhamos também:
#
# - a **matriz de confusão**: linha = classe verdadeira, coluna = classe prevista; fora da
#   diagonal estão os erros, e numa inspeção industrial uma célula defeituosa aprovada
#   (falso negativo) costuma custar mais do que uma funcional separada para revisão;
# - o **relatório de classificação**: para cada classe, a **precisão** (das células que o modelo
#   chamou de defeituosas, quantas eram?), a **revocação** (das defeituosas, quantas ele achou?) e o
#   F1, que combina as duas.
#
# **Exercício 7.** Escreva `evaluate_predictions` com as funções do `sklearn.metrics`.

# %% exercise="evaluate_predictions" points=2

# %%
test_probabilities = model.predict(X_test, verbose=0)
y_pred = np.argmax(test_probabilities, axis=1)
metrics = evaluate_predictions(y_test, y_pred)
majority = np.mean(y_test == 0)
print(f"acurácia no teste: {metrics['accuracy']:.3f}  (sempre 'funcional': {majority:.3f}; "
      f"VGG-19 do artigo: 0.884)\n")
print(metrics["report"])

fig, ax = plt.subplots(figsize=(4, 4))
matrix = metrics["confusion_matrix"]
ax.imshow(matrix, cmap="Blues")
for (row, col), count in np.ndenumerate(matrix):
    ax.text(col, row, count, ha="center", va="center", color="white" if count > matrix.max() / 2 else "black")
ax.set_xticks(range(len(CLASS_NAMES)), CLASS_NAMES)
ax.set_yticks(range(len(CLASS_NAMES)), CLASS_NAMES)
ax.set_xlabel("prevista")
ax.set_ylabel("verdadeira")
plt.show()

# %% [markdown]
# ### Onde o modelo erra
#
# Olhar os erros ensina mais do que qualquer número. Nas aulas fizemos isso sorteando exemplos
# mal classificados; aqui mostramos vários de uma vez, com a probabilidade de defeito que os
# especialistas deram a cada célula.
#
# **Exercício 8.** Escreva `misclassified_indices`.

# %% exercise="misclassified_indices" points=1

# %%
errors = misclassified_indices(y_test, y_pred)
test_levels = levels[stratified_split_indices(y_all)["test"]]  # a mesma ordem de X_test
print(f"{len(errors)} erros em {len(y_test)} células de teste")
fig, axes = plt.subplots(2, 6, figsize=(12, 5.6))
for ax, index in zip(axes.ravel(), errors[:12]):
    ax.imshow(X_test[index, :, :, 0], cmap="gray")
    ax.set_title(f"verdadeira: {CLASS_NAMES[y_test[index]]}\nprevista: {CLASS_NAMES[y_pred[index]]}\n"
                 f"p(defeito) anotada = {test_levels[index]:.2f}", fontsize=8)
    ax.axis("off")
for ax in axes.ravel()[len(errors):]:
    ax.axis("off")
plt.tight_layout()
plt.show()

# %% [markdown]
# **Pergunta (resposta escrita, corrigida pelo professor).** Olhe os erros acima e a coluna
# `p(defeito) anotada`. O que eles têm em comum? Quantos são células em que nem os especialistas
# tinham certeza (probabilidade 1/3 ou 2/3)? Cite duas mudanças no pipeline (dados, aumento,
# modelo ou treino) que você testaria para reduzir os falsos negativos, e diga por quê.

# %% [markdown] answer="analise_dos_erros" points=2
# Resposta de referência (o professor adapta à execução do aluno): a maior parte dos erros são
# defeituosas não encontradas. Nas nossas execuções (128x128, várias variantes e sementes), cerca
# de 6 em cada 10 erros são células de probabilidade 1 com um defeito pequeno: dedos interrompidos
# (traços escuros curtos, perpendiculares aos barramentos), pontos escuros e trincas finas sem
# região escura, que a redução da imagem quase apaga. As de probabilidade 2/3, em que os
# especialistas hesitaram, são poucas mas erradas em 2 de cada 3 casos; os falsos alarmes são
# sobretudo policristalinas com manchas escuras do próprio material, e algumas células parecem ter
# o rótulo errado. Mudanças: pesos de classe ou um limiar menor que 0,5 na probabilidade de
# "defeituosa", para trocar falsos negativos por falsos positivos; mais épocas; a média das
# previsões das 8 versões giradas e espelhadas de cada imagem. Só aumentar a resolução (256 px com
# um primeiro bloco de stride 2) não melhorou nos nossos testes.

# %% [markdown]
# ## 7. Uma arquitetura histórica: a AlexNet
#
# Em 2012, a AlexNet, projetada principalmente por Alex Krizhevsky (com Ilya Sutskever e Geoffrey
# Hinton), venceu o desafio ImageNet (ILSVRC) com **15,3% de erro top-5**, 10,8 pontos percentuais
# abaixo do segundo colocado. Foi a rede que convenceu a área de que profundidade importa e de que
# GPUs tornam viável treinar redes grandes. Ela foi treinada em duas GPUs GTX 580 de 3 GB: a rede
# não cabia numa só, então metade dos mapas de ativação ficava em cada placa.
#
# > **O que aconteceu em volta da AlexNet.** Redes neurais existiam desde os anos 1950, mas as
# > profundas eram consideradas difíceis de treinar. Alguns marcos da virada:
# >
# > - **2006**: Geoffrey Hinton e colegas (Osindero, Teh, Salakhutdinov) mostram que uma rede
# >   profunda, as *deep belief networks*, pode ser treinada camada por camada; na conferência
# >   **NIPS 2006** (hoje NeurIPS), trabalhos de Bengio, LeCun e outros seguem a mesma linha, e o
# >   aprendizado profundo volta ao centro da área;
# > - **2012**: a **AlexNet** vence o ImageNet com folga (esta seção);
# > - **2013–2015**: a **DeepMind** (comprada pelo Google em 2014) treina uma única rede, a DQN,
# >   que aprende a jogar dezenas de jogos de Atari só olhando os pixels da tela e a pontuação,
# >   em muitos deles no nível de um jogador humano ou acima;
# > - **2014**: o **DeepFace**, do Facebook, reconhece se duas fotos de rosto são da mesma pessoa
# >   com acurácia próxima à de pessoas (97,35% contra uns 97,5% no conjunto LFW);
# > - **2016**: o **AlphaGo**, da DeepMind, vence por 4 a 1 o sul-coreano Lee Sedol, um dos
# >   melhores jogadores de Go do mundo, num jogo que se achava estar a uma década do alcance das
# >   máquinas.
#
# A arquitetura tem **5 camadas convolucionais, 3 de max pooling, 2 de normalização, 2 densas
# ocultas e a saída softmax**:
#
# | camada | o que faz | saída |
# | --- | --- | --- |
# | entrada | imagem colorida | 227x227x3 |
# | conv1 | 96 filtros 11x11, stride 4, ReLU | 55x55x96 |
# | norm1, pool1 | normalização; max pooling 3x3, stride 2 | 27x27x96 |
# | conv2 | 256 filtros 5x5, padding "same", ReLU | 27x27x256 |
# | norm2, pool2 | normalização; max pooling 3x3, stride 2 | 13x13x256 |
# | conv3, conv4 | 384 filtros 3x3, padding "same", ReLU | 13x13x384 |
# | conv5 | 256 filtros 3x3, padding "same", ReLU | 13x13x256 |
# | pool5 | max pooling 3x3, stride 2 | 6x6x256 |
# | fc6, fc7 | Flatten; densas de 4096 unidades, ReLU, dropout de 0,5 | 4096 |
# | fc8 | densa com softmax | 1000 |
#
# Alguns detalhes que a tornaram famosa:
#
# - **ReLU** no lugar de tanh ou sigmoide (veja o experimento mais abaixo);
# - **pooling sobreposto**: janela 3x3 andando de 2 em 2, de modo que janelas vizinhas dividem
#   pixels (o artigo relata um erro um pouco menor do que com janelas 2x2 sem sobreposição);
# - **dropout** de 0,5 nas duas densas ocultas, contra o sobreajuste;
# - **aumento de dados** com espelhamento horizontal e recortes aleatórios de 224x224 das imagens
#   de 256x256 (além de variações de cor); é por causa do recorte que muitos textos falam em
#   entrada de 224x224, mas as contas de shape só fecham com 227x227;
# - treino com SGD com momento, lotes de 128, e um conjunto (*ensemble*) de modelos no resultado
#   final.
#
# **Duas adaptações nossas.** (1) Montamos uma **torre só**, sem a divisão entre GPUs: no
# original, conv2, conv4 e conv5 só enxergavam os mapas da própria GPU, o que tem menos pesos; a
# versão de uma torre é a que as bibliotecas costumam reproduzir. (2) O Keras não tem a
# normalização local de resposta (LRN) do artigo, e uma camada `Lambda` em volta de
# `tf.nn.local_response_normalization` não passaria na correção (que só aceita camadas prontas).
# Usamos `layers.UnitNormalization()`: em cada posição (i, j), ela divide o vetor dos canais pela
# sua norma, exatamente o espírito da LRN (que divide cada ativação pela energia dos canais
# vizinhos) e, como ela, **sem parâmetros**. Por isso o total de parâmetros do nosso modelo é o da
# AlexNet de uma torre. Hoje, a `BatchNormalization` ocupa esse lugar nas redes novas, mas ela
# acrescentaria 4 números por canal à conta.
#
# **Exercício 9.** Escreva `build_alexnet` seguindo a tabela acima (use nomes de argumentos do
# Keras como `strides`, `padding`, `pool_size`). Ela não precisa ser compilada: não vamos treiná-la
# (na CPU, uma época do ImageNet levaria dias).

# %% exercise="build_alexnet" points=2

# %%
alexnet = build_alexnet()
alexnet.summary()

# %% [markdown]
# ### Quantos parâmetros?
#
# Uma `Conv2D` com $n_C$ filtros $f \times f$ sobre uma entrada de $n_{C,ant}$ canais tem
# $f \cdot f \cdot n_{C,ant} \cdot n_C$ pesos e $n_C$ vieses (a tarefa 2); uma `Dense` de $n_{ant}$
# entradas e $n$ unidades tem $n_{ant} \cdot n$ pesos e $n$ vieses. Pooling, normalização,
# Flatten e dropout não têm parâmetros. A entrada de fc6 é o Flatten de 6x6x256, ou seja, 9.216
# números.
#
# | camada | saída | conta dos pesos | pesos | vieses | parâmetros |
# | --- | --- | --- | ---: | ---: | ---: |
# | conv1 | 55x55x96 | 11·11·3·96 | 34.848 | 96 | 34.944 |
# | conv2 | 27x27x256 | 5·5·96·256 | 614.400 | 256 | 614.656 |
# | conv3 | 13x13x384 | 3·3·256·384 | 884.736 | 384 | 885.120 |
# | conv4 | 13x13x384 | 3·3·384·384 | 1.327.104 | 384 | 1.327.488 |
# | conv5 | 13x13x256 | 3·3·384·256 | 884.736 | 256 | 884.992 |
# | fc6 | 4096 | 9216·4096 | 37.748.736 | 4.096 | 37.752.832 |
# | fc7 | 4096 | 4096·4096 | 16.777.216 | 4.096 | 16.781.312 |
# | fc8 | 1000 | 4096·1000 | 4.096.000 | 1.000 | 4.097.000 |
# | **total** | | | | | **62.378.344** |
#
# São uns **62 milhões** de parâmetros (os "60 milhões" que se costuma citar). Repare onde eles
# estão: as cinco convoluções somam 3.747.200 (6,0%), e as três densas, 58.631.144, ou seja,
# **94,0% dos parâmetros**. Só a fc6 tem mais de 60% do total. As convoluções fazem quase todo o
# cálculo (cada filtro é aplicado em milhares de posições), mas quase toda a memória está nas
# densas; por isso redes posteriores trocaram o Flatten por um pooling global, como o
# `GlobalAveragePooling2D` do nosso `build_model`.
#
# O Keras confere a conta:

# %%
def print_parameter_counts(model):
    """Imprime o total de parâmetros do modelo e quantos estão nas camadas densas."""
    dense_params = sum(layer.count_params() for layer in model.layers if isinstance(layer, layers.Dense))
    share = f"{dense_params / model.count_params():.1%}".replace(".", ",")
    print(f"parâmetros (Keras): {model.count_params():_}".replace("_", "."))
    print(f"nas camadas densas: {dense_params:_} ({share})".replace("_", "."))


print_parameter_counts(alexnet)

# %% [markdown]
# ### A VGG16: só filtros 3x3
#
# Dois anos depois, no ILSVRC 2014, a **VGG16** (Simonyan e Zisserman, do grupo VGG de Oxford)
# mostrou que uma receita bem simples, repetida, ia mais longe: a equipe ficou em 2º lugar na
# classificação, com 7,3% de erro top-5, menos da metade do erro da AlexNet. São **16 camadas com pesos: 13
# convolucionais e 3 densas**, em cinco blocos; cada bloco empilha 2 ou 3 `Conv2D` com filtros
# **3x3**, `padding="same"` e ReLU, e termina num max pooling 2x2. Os canais dobram de bloco em
# bloco (64, 128, 256, 512, 512) enquanto a imagem de 224x224 cai para 7x7. Nada de filtros 11x11
# ou 5x5 como na AlexNet: **só 3x3**.
#
# Por que só 3x3? Duas convoluções 3x3 seguidas "enxergam" uma janela 5x5 da entrada (cada posição
# da segunda olha 3x3 posições da primeira, e cada uma delas, 3x3 pixels), e três seguidas
# enxergam 7x7. Com $C$ canais de entrada e de saída, sem contar os vieses:
#
# - uma camada 5x5 tem $5 \cdot 5 \cdot C^2 = 25C^2$ pesos; duas 3x3 têm
#   $2 \cdot 3 \cdot 3 \cdot C^2 = 18C^2$, **28% a menos**;
# - uma camada 7x7 tem $49C^2$; três 3x3 têm $27C^2$, **45% a menos**;
# - e entre elas há uma ReLU a mais, que deixa a função mais rica (mais não linear).
#
# O Keras traz a VGG16 pronta em `keras.applications`. Com `weights=None` ela nasce com pesos
# aleatórios, sem baixar nada (os pesos treinados no ImageNet têm mais de 500 MB; é com eles que
# se faz o *transfer learning*, como a VGG-19 do artigo do ELPV). Só vamos contar os parâmetros e
# depois apagar o modelo: ele ocupa uns 550 MB de memória. Na correção automática esta célula não
# roda, para poupar tempo e memória.

# %%
if EM_CORRECAO:
    print("modo de correção: a VGG16 não é montada aqui")
else:
    vgg16 = keras.applications.VGG16(weights=None)  # pesos aleatórios: nada é baixado
    conv_layers = [layer for layer in vgg16.layers if isinstance(layer, layers.Conv2D)]
    dense_layers = [layer for layer in vgg16.layers if isinstance(layer, layers.Dense)]
    print(f"VGG16: {len(conv_layers)} convoluções, {len(dense_layers)} densas,"
          f" filtros {sorted({layer.kernel_size for layer in conv_layers})}")
    print_parameter_counts(vgg16)
    ratio = vgg16.count_params() / alexnet.count_params()
    print(f"são {ratio:.1f} vezes os parâmetros da AlexNet".replace(".", ","))
    del vgg16, conv_layers, dense_layers
    keras.backend.clear_session()  # libera a memória da VGG16 (os modelos acima continuam valendo)

channels = 256
print(f"com C = {channels} canais: uma 5x5 tem {25 * channels**2:_} pesos; duas 3x3 têm {18 * channels**2:_}".replace("_", "."))

# %% [markdown]
# A VGG16 tem **138.357.544 parâmetros**, 2,2 vezes os da AlexNet, e de novo a maior parte está nas
# densas: 123.642.856, ou **89,4%**. Só a primeira delas, que recebe o Flatten de 7x7x512 = 25.088
# números, tem 102.764.544, três quartos da rede. As 13 convoluções somam só 14.714.688. Uma rede
# de filtros pequenos, profunda e regular, foi por anos o ponto de partida mais comum para quem
# adapta uma CNN a um problema novo: a lição das aulas é começar lendo e reaproveitando as
# arquiteturas publicadas, e depois testar como elas se saem nos seus dados.

# %% [markdown]
# ### ReLU contra tanh
#
# O artigo da AlexNet mostra uma CNN de 4 camadas no CIFAR-10 em que a versão com ReLU chega a 25%
# de erro de treino **seis vezes mais rápido** (em épocas) do que a mesma rede com tanh. O motivo:
# a tanh **satura**; para entradas grandes, positivas ou negativas, a derivada dela fica perto de
# zero e o gradiente que volta pela rede encolhe. A ReLU tem derivada 1 em toda a parte positiva.
#
# Vamos repetir o experimento em miniatura, com dados que já vêm no scikit-learn: as 1.797 imagens
# 8x8 de dígitos manuscritos. A mesma CNN pequena (4 convoluções, 2 poolings, uma densa), com a
# mesma semente, o mesmo otimizador (SGD com momento, como na AlexNet) e as mesmas épocas, muda
# só na ativação. Medimos o erro de treino a cada época. O experimento leva poucos segundos.

# %%
from sklearn.datasets import load_digits

digits = load_digits()
X_digits = (digits.images / 16.0).astype("float32")[..., np.newaxis]  # (1797, 8, 8, 1), pixels de 0 a 1
y_digits = digits.target
DIGITS_EPOCHS = 8


def small_cnn(activation):
    keras.utils.set_random_seed(SEED)  # os mesmos pesos iniciais sorteados para as duas versões
    model = keras.Sequential([
        keras.Input((8, 8, 1)),
        layers.Conv2D(16, 3, padding="same", activation=activation),
        layers.Conv2D(16, 3, padding="same", activation=activation),
        layers.MaxPooling2D(2),
        layers.Conv2D(32, 3, padding="same", activation=activation),
        layers.Conv2D(32, 3, padding="same", activation=activation),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(64, activation=activation),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


curves_by_activation = {}
for activation in ("relu", "tanh"):
    run = small_cnn(activation).fit(X_digits, y_digits, epochs=DIGITS_EPOCHS, batch_size=32, verbose=0)
    curves_by_activation[activation] = run.history
    error = 1 - np.array(run.history["accuracy"])
    reached = np.flatnonzero(error < 0.25)
    first = f"na época {reached[0] + 1}" if reached.size else "em nenhuma época"
    print(f"{activation}: erro de treino por época {np.round(error, 3)}; abaixo de 25% {first}")

fig, (ax_loss, ax_error) = plt.subplots(1, 2, figsize=(11, 3.5))
epochs_axis = np.arange(1, DIGITS_EPOCHS + 1)
for activation, style in (("relu", "-o"), ("tanh", "--s")):
    ax_loss.plot(epochs_axis, curves_by_activation[activation]["loss"], style, label=activation)
    ax_error.plot(epochs_axis, 1 - np.array(curves_by_activation[activation]["accuracy"]), style, label=activation)
ax_loss.set_title("perda de treino")
ax_error.set_title("erro de treino")
ax_error.axhline(0.25, color="gray", linewidth=0.8)
for ax in (ax_loss, ax_error):
    ax.set_xlabel("época")
    ax.legend()
plt.show()

# %% [markdown]
# **O que o experimento mostrou.** Na execução de referência, **a tanh não perdeu**: a rede com
# tanh ficou abaixo de 25% de erro já na 2ª época e a com ReLU, na 3ª, e a tanh seguiu um pouco à
# frente até o fim. (Numa outra máquina os números mudam um pouco, mas o quadro é o mesmo.) A
# vantagem de seis vezes do artigo **não se reproduz** nesta escala, e vale entender por quê:
#
# - a nossa rede é rasa e as entradas estão entre 0 e 1; com a inicialização padrão do Keras
#   (Glorot, pensada justamente para a tanh), as ativações ficam na região quase linear da tanh,
#   longe da saturação, e o gradiente passa bem;
# - o ganho da ReLU aparece quando a tanh satura: redes mais fundas e largas, ativações grandes,
#   treinos longos como os da AlexNet (dias no ImageNet). Lá, não pagar a saturação e calcular
#   $\max(0, z)$ em vez de uma exponencial fazem diferença.
#
# A lição vale para qualquer resultado de artigo: um "seis vezes mais rápido" é uma medida numa
# arquitetura, num conjunto de dados e numa inicialização. A ReLU virou o padrão porque escala bem
# para redes profundas, não porque ganha em toda rede pequena.
