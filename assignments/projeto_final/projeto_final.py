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
# # Projeto final — um classificador de imagens para um problema real
#
# Chegou a hora de juntar tudo num problema escolhido por você. Como combinado nas aulas
# ("Trabalho"), escolha um conjunto de dados de imagens no **Kaggle** de uma área aplicada
# (indústria, medicina, agricultura, meio ambiente...) e construa, treine e avalie uma CNN para ele.
# Sugestões com cartão pronto em `datasets/` do repositório da disciplina: radiografias de tórax
# (pneumonia), PlantVillage (doenças de folhas), células de malária. Este modelo já vem rodando,
# sem internet, com o **ELPV** (células solares da tarefa 6), para você ver o caminho inteiro antes
# de trocar pelos seus dados.
#
# **Estrutura e nota (20 pontos):**
#
# | parte | como é corrigida | pontos |
# |---|---|---|
# | 1. O problema | pelo professor (rubrica) | 2 |
# | 2. Cartão do conjunto de dados | pelo professor | 3 |
# | 3. Exploração dos dados | pelo professor | 2 |
# | 4. O modelo (`build_model`) | automática: o contrato do modelo | 4 |
# | 5. Avaliação (`evaluate_predictions`) | automática: comparada com a referência | 2 |
# | 6. Previsões no teste (`predicoes_teste.csv`) | automática: métricas recalculadas do arquivo | 3 |
# | 7. Discussão | pelo professor | 4 |
#
# **Entrega:** este notebook **e** o arquivo `predicoes_teste.csv` que ele escreve (na mesma
# pasta). Os dados do Kaggle não vão para a correção; por isso as métricas automáticas são
# recalculadas a partir das previsões que você entrega. O professor confere a coerência entre o
# arquivo, as saídas do notebook e o texto.
#
# **Rubrica das partes escritas** (cada uma): clareza e correção dos conceitos; uso de números
# do seu próprio experimento; honestidade sobre limitações. Respostas genéricas, que serviriam a
# qualquer conjunto de dados, valem pouco.

# %%
import os

import matplotlib.pyplot as plt
import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import keras
import tensorflow as tf
from keras import layers

from dlhelpers.data import (download_kaggle_dataset, load_elpv, load_image_csv, load_image_folder,
                            load_image_splits, stratified_split)
from dlhelpers.predictions import save_predictions

# %matplotlib inline

# %% [markdown]
# ## 1. O problema
#
# Descreva o problema em poucas linhas: quem usaria o classificador, que decisão ele apoia, o que
# acontece quando ele erra (um falso negativo e um falso positivo custam o mesmo?) e qual seria uma
# acurácia útil na prática.

# %% [markdown] answer="problema" points=2
# Inspeção de células solares por eletroluminescência (ELPV): o classificador aponta células
# defeituosas numa linha de produção ou numa usina, para que um técnico revise só as suspeitas.
# Um falso negativo deixa passar uma célula que perde potência e pode aquecer (mais grave); um
# falso positivo custa uma revisão manual. Como referência, a VGG-19 de Deitsch et al. (2019)
# acertou 88,4%; abaixo de uns 80% o inspetor humano ainda teria de olhar quase tudo.

# %% [markdown]
# ## 2. O conjunto de dados
#
# Escolha o formato dos seus dados na célula de configuração abaixo. Os carregadores do
# `dlhelpers.data` aceitam os formatos mais comuns do Kaggle:
#
# - `"pasta"`: uma subpasta por classe (`raiz/classe_a/*.jpg`, `raiz/classe_b/*.jpg`): `load_image_folder`;
# - `"csv"`: um CSV com o nome do arquivo e o rótulo: `load_image_csv`;
# - `"divididas"`: pastas `train/`, `val/` e `test/`, cada uma com uma subpasta por classe:
#   `load_image_splits`;
# - `"elpv"`: o exemplo pronto, sem internet.
#
# Para baixar do Kaggle, preencha `KAGGLE_DATASET` ("dono/nome", como aparece na URL) e configure
# as suas credenciais (`~/.kaggle/kaggle.json`); o download vai para uma pasta de cache e só
# acontece uma vez. `DATA_PATH` é então relativo à pasta baixada.
#
# Use imagens pequenas (64 a 128 pixels) e, se o conjunto for grande, `MAX_PER_CLASS` para
# treinar em minutos numa CPU.

# %% tags=["configuracao"]
SOURCE = "elpv"            # "elpv", "pasta", "csv" ou "divididas"
KAGGLE_DATASET = None      # ex.: "paultimothymooney/chest-xray-pneumonia"
DATA_PATH = None           # pasta (ou CSV) dos dados, relativa à pasta baixada se KAGGLE_DATASET
CSV_COLUMNS = ("filename", "label")  # colunas de arquivo e rótulo, para SOURCE = "csv"
COLOR_MODE = "rgb"         # "rgb" ou "grayscale"
IMAGE_SIZE = 96
MAX_PER_CLASS = None       # ex.: 1000 para limitar o tamanho na CPU
EPOCHS = 20
BATCH_SIZE = 32
SEED = 0

# %%
EM_CORRECAO = "NBGRADER_EXECUTION" in os.environ
if EM_CORRECAO:  # na correção automática, um orçamento pequeno (o resultado que vale é o seu CSV)
    IMAGE_SIZE, EPOCHS, MAX_PER_CLASS = 48, 3, 150
keras.utils.set_random_seed(SEED)

root = download_kaggle_dataset(KAGGLE_DATASET) if KAGGLE_DATASET else None
location = (root / DATA_PATH if DATA_PATH else root) if root is not None else DATA_PATH
presplit = None
CLASS_NAMES = ["funcional", "defeituosa"]  # as classes do ELPV; os outros formatos trazem as suas
if SOURCE == "elpv":
    X, y, _ = load_elpv(IMAGE_SIZE)
    if MAX_PER_CLASS:
        keep = np.concatenate([np.flatnonzero(y == k)[:MAX_PER_CLASS] for k in range(2)])
        X, y = X[keep], y[keep]
elif SOURCE == "pasta":
    X, y, CLASS_NAMES = load_image_folder(location, image_size=IMAGE_SIZE, color_mode=COLOR_MODE,
                                          max_per_class=MAX_PER_CLASS)
elif SOURCE == "csv":
    X, y, CLASS_NAMES = load_image_csv(location, filename_column=CSV_COLUMNS[0], label_column=CSV_COLUMNS[1],
                                       image_size=IMAGE_SIZE, color_mode=COLOR_MODE, max_per_class=MAX_PER_CLASS)
elif SOURCE == "divididas":
    presplit, CLASS_NAMES = load_image_splits(location, image_size=IMAGE_SIZE, color_mode=COLOR_MODE,
                                              max_per_class=MAX_PER_CLASS)
    X = np.concatenate([part[0] for part in presplit.values()])
    y = np.concatenate([part[1] for part in presplit.values()])
else:
    raise ValueError(f"SOURCE deve ser 'elpv', 'pasta', 'csv' ou 'divididas', não {SOURCE!r}")
print(f"{len(X)} imagens {X.shape[1:]}, {len(CLASS_NAMES)} classes: {', '.join(CLASS_NAMES)}")

# %% [markdown]
# **Cartão do conjunto de dados.** Preencha como nos cartões de `datasets/`: origem (link e
# autores), licença, como as imagens foram obtidas e rotuladas (por quem?), classes e quantidades,
# e os vieses ou limitações que você enxerga (aparelhos, hospitais, regiões, duplicatas entre
# imagens do mesmo paciente ou da mesma planta...).

# %% [markdown] answer="cartao_dados" points=3
# ELPV (Buerhop-Lutz et al. 2018; Deitsch et al. 2019), pacote `elpv-dataset`, licença
# CC BY-NC-SA 4.0. 2.624 células de 300x300 pixels de 44 módulos (mono e policristalinos),
# fotografadas por eletroluminescência e anotadas por especialistas com a probabilidade de
# defeito 0, 1/3, 2/3 ou 1; defeituosa = probabilidade >= 0,5 (821 células, 31%). Limitações:
# poucos módulos (células do mesmo módulo podem cair no treino e no teste), rótulos incertos
# nas probabilidades intermediárias, uma única câmera.

# %% [markdown]
# ## 3. Exploração e divisão
#
# Veja quantas imagens há por classe e alguns exemplos. Em seguida, a divisão em treino, validação
# e teste: estratificada, com o teste fixo (`random_state=0`). Se os seus dados já vêm divididos,
# usamos as pastas deles.

# %%
counts = np.bincount(y, minlength=len(CLASS_NAMES))
for name, count in zip(CLASS_NAMES, counts):
    print(f"{name:>20}: {count:5d} ({count / len(y):.1%})")
fig, axes = plt.subplots(1, min(8, len(X)), figsize=(14, 2.2))
for ax, index in zip(np.atleast_1d(axes), np.random.default_rng(SEED).choice(len(X), min(8, len(X)), replace=False)):
    ax.imshow(X[index].squeeze(), cmap="gray" if X.shape[-1] == 1 else None)
    ax.set_title(CLASS_NAMES[y[index]], fontsize=8)
    ax.axis("off")
plt.show()

# %%
if presplit is not None and "test" in presplit:
    X_test, y_test = presplit["test"]
    if "val" in presplit:
        (X_train, y_train), (X_val, y_val) = presplit["train"], presplit["val"]
    else:
        parts = stratified_split(*presplit["train"], test_size=0.15, random_state=0)
        (X_train, y_train), (X_val, y_val) = parts["train"], parts["test"]
else:
    parts = stratified_split(X, y, test_size=0.25, val_size=0.15, random_state=0)
    (X_train, y_train), (X_val, y_val), (X_test, y_test) = parts["train"], parts["val"], parts["test"]

# Normalização com a média e o desvio do treino (por canal), aplicada às três partes.
channel_mean = X_train.mean(axis=(0, 1, 2))
channel_std = X_train.std(axis=(0, 1, 2)) + 1e-6
X_train, X_val, X_test = [(part - channel_mean) / channel_std for part in (X_train, X_val, X_test)]
for part, labels in (("treino", y_train), ("validação", y_val), ("teste", y_test)):
    print(f"{part:>10}: {len(labels):5d} imagens, por classe {np.bincount(labels, minlength=len(CLASS_NAMES)).tolist()}")

# %% [markdown]
# O que a exploração mostrou? As classes estão balanceadas? As imagens variam em tamanho, cor,
# enquadramento? Há algo que facilite "colar" (marcas d'água, textos, bordas que denunciam a
# classe)? Como isso influencia as escolhas de pré-processamento e de métrica?

# %% [markdown] answer="exploracao" points=2
# As classes são desbalanceadas (69% funcionais): a acurácia deve ser comparada com 69% e
# acompanhada da revocação dos defeitos. As imagens já vêm recortadas e alinhadas, em tons de
# cinza, com brilho variando por módulo; por isso a normalização e o aumento de brilho e contraste.

# %% [markdown]
# ## 4. O modelo
#
# Escreva `build_model` para o **seu** problema: o contrato é o mesmo da tarefa 6 (compilado,
# entrada `input_shape`, saída softmax com `n_classes` unidades, pelo menos duas `Conv2D` e um
# pooling, só camadas prontas do Keras, um número de parâmetros que caiba numa CPU). A arquitetura
# é escolha sua: justifique-a na discussão.

# %% exercise="build_model" points=4

# %%
model = build_model(X_train.shape[1:], len(CLASS_NAMES))
model.summary()

# %%
augmentation = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.05)])
train_data = (tf.data.Dataset.from_tensor_slices((X_train, y_train)).shuffle(len(X_train), seed=SEED)
              .batch(BATCH_SIZE).map(lambda images, labels: (augmentation(images, training=True), labels))
              .prefetch(tf.data.AUTOTUNE))
history = model.fit(train_data, validation_data=(X_val, y_val), epochs=EPOCHS, verbose=2,
                    callbacks=[keras.callbacks.EarlyStopping("val_loss", patience=5, restore_best_weights=True)])

fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 3.2))
for key, ax in (("loss", ax_loss), ("accuracy", ax_acc)):
    ax.plot(history.history[key], label="treino")
    ax.plot(history.history["val_" + key], label="validação")
    ax.set_title(key)
    ax.legend()
plt.show()

# %% [markdown]
# ## 5. Avaliação no teste
#
# **Exercício.** Escreva `evaluate_predictions` (a mesma da tarefa 6): acurácia, matriz de confusão
# e relatório de classificação do scikit-learn.

# %% exercise="evaluate_predictions" points=2

# %%
y_pred = np.argmax(model.predict(X_test, verbose=0), axis=1)
results = evaluate_predictions(y_test, y_pred, CLASS_NAMES)
print(f"acurácia no teste: {results['accuracy']:.3f}")
print(results["report"])
print("matriz de confusão (linhas: verdadeira; colunas: prevista):")
print(results["confusion_matrix"])

# %% [markdown]
# ## 6. As previsões entregues
#
# A célula abaixo salva, para cada imagem de teste, a classe verdadeira e a prevista. Entregue o
# arquivo `predicoes_teste.csv` junto com o notebook: a correção recalcula dele a acurácia, a
# acurácia balanceada e o F1, e compara com a classe mais comum do seu teste.

# %%
ARQUIVO_DE_PREVISOES = "predicoes_teste.csv"  # o nome que a correção procura: não o mude
save_predictions(ARQUIVO_DE_PREVISOES, y_test, y_pred, CLASS_NAMES)

# %% autograded="predicoes_teste" points=3
# Verificação (não altere esta célula): recalcula as métricas do arquivo de previsões.
from dlhelpers.predictions import check_saved_predictions
check_saved_predictions(ARQUIVO_DE_PREVISOES)

# %% [markdown]
# ## 7. Discussão
#
# Responda com os números do seu experimento: (a) o resultado no teste comparado com a classe
# mais comum e, se houver, com a literatura; (b) onde o modelo erra (matriz de confusão, exemplos);
# (c) sinais de sobreajuste nas curvas e o que você fez a respeito; (d) as escolhas de arquitetura e
# de treino e o que testaria com mais tempo; (e) limitações e riscos de usar este modelo na prática.

# %% [markdown] answer="discussao" points=4
# Resposta de referência para o ELPV: cerca de 0,83 a 0,85 de acurácia com 96 pixels, contra 0,69
# da classe mais comum e 0,884 da VGG-19 pré-treinada do artigo. A maior parte dos erros são
# defeituosas com defeitos pequenos (dedos interrompidos, pontos escuros, trincas finas) que a
# redução da imagem quase apaga; as de probabilidade 2/3 são poucas, mas erradas em 2 de cada 3
# casos. As curvas mostram a validação estabilizando depois de umas 10 épocas; o aumento de dados e
# o dropout seguram o sobreajuste. Com mais tempo: mais épocas, a média das previsões das versões
# giradas e espelhadas de cada imagem, pesos de classe e validação cruzada por módulo. Na prática,
# o modelo serviria para triagem, não para substituir a inspeção.
