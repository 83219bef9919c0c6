"""Reference Keras CNN for ELPV solar-cell defects (assignment a6_cnn_keras).

The pipeline, one function per step, so that the notebook can turn each into an exercise:
load and downscale ELPV (`load_elpv`), normalise (`standardize_images`), the stratified split
(`split_train_test`, also used to carve the validation set), label-preserving augmentation
(`augment`), tf.data pipelines (`make_dataset`), the model (`build_model`, the contract), the
learning-rate schedule (`cosine_learning_rate`), training with callbacks (`train_model`),
prediction with test-time augmentation (`predict_tta`), evaluation with scikit-learn
(`evaluate_predictions`, `misclassified_indices`) and the whole run for a given budget
(`run_pipeline`: full run for the benchmark, a few epochs on a subset for the grading fast path).

Images are channels-last, (m, n_H, n_W, 1). Labels are integers: 0 = functional, 1 = defective
(defect probability >= 0.5, the protocol of Deitsch et al. 2019).
"""
import math
import time

import numpy as np

IMAGE_SIZE = 128
CLASS_NAMES = ("funcional", "defeituosa")
DEFECT_THRESHOLD = 0.5


def load_elpv(image_size=IMAGE_SIZE, threshold=DEFECT_THRESHOLD):
    """
    Carrega o ELPV (2624 células solares em eletroluminescência, 300x300, tons de cinza) do
    pacote `elpv-dataset` e reduz cada imagem para image_size x image_size (média de áreas,
    que preserva melhor as trincas finas do que pegar um pixel a cada tantos).

    Entradas:
    - image_size: lado das imagens reduzidas, em pixels (padrão 128).
    - threshold: a célula é "defeituosa" (rótulo 1) quando a probabilidade de defeito anotada
      (0, 1/3, 2/3 ou 1) é >= threshold; senão é "funcional" (rótulo 0).

    Retorna uma tupla:
    - X: array float32 de shape (m, image_size, image_size, 1), valores em [0, 255].
    - y: array int32 de shape (m,), rótulos 0 ou 1.
    - types: array de strings de shape (m,), o tipo do módulo ("mono" ou "poly").
    """
    import tensorflow as tf
    from elpv_dataset.utils import load_dataset

    images, probs, types = load_dataset()
    chunks = []
    for start in range(0, len(images), 256):  # em blocos, para não criar um array enorme de float
        batch = images[start:start + 256, :, :, np.newaxis].astype(np.float32)
        chunks.append(tf.image.resize(batch, (image_size, image_size), method="area").numpy())
    X = np.concatenate(chunks).astype(np.float32)
    y = (probs >= threshold).astype(np.int32)
    return X, y, types


def standardize_images(X):
    """
    Normaliza cada imagem separadamente: subtrai a média e divide pelo desvio padrão dos seus
    próprios pixels. Assim o brilho e o contraste de cada foto (que variam de módulo para módulo)
    não importam, só o padrão de claros e escuros dentro da célula.

    Entradas:
    - X: array de shape (m, n_H, n_W, n_C).

    Retorna:
    - X_norm: array float32 de mesma shape, cada imagem com média 0 e desvio padrão 1.
    """
    X = np.asarray(X, dtype=np.float32)
    mean = X.mean(axis=(1, 2, 3), keepdims=True)
    std = X.std(axis=(1, 2, 3), keepdims=True)
    return (X - mean) / (std + 1e-6)


def split_train_test(X, y, test_size=0.25, seed=0):
    """
    Divide os exemplos em dois conjuntos, estratificado: a proporção de cada classe fica igual
    nos dois (importante quando as classes são desbalanceadas). Serve tanto para separar o teste
    (test_size=0.25, seed=0 é o protocolo do ELPV) quanto para tirar a validação de dentro do
    treino.

    Entradas:
    - X: array de shape (m, ...), os exemplos.
    - y: array de shape (m,), os rótulos inteiros.
    - test_size: fração dos exemplos que vai para o segundo conjunto.
    - seed: semente do sorteio (a mesma semente dá sempre a mesma divisão).

    Retorna uma tupla (X_train, X_test, y_train, y_test), com m_test = ceil(test_size * m)
    e m_train = m - m_test.
    """
    from sklearn.model_selection import train_test_split

    return train_test_split(X, y, test_size=test_size, stratify=y, random_state=seed)


def augment(image, label):
    """
    Aumento de dados que respeita a física das células: espelhar (horizontal e vertical) e girar
    de 90 graus não muda se a célula tem trinca ou não; um pouco de variação de brilho e contraste
    imita câmeras e exposições diferentes. Roda dentro de um tf.data.Dataset (operações do
    TensorFlow, sorteadas a cada época).

    Entradas:
    - image: tensor float32 de shape (n_H, n_W, n_C), uma imagem já normalizada (n_H == n_W).
    - label: o rótulo da imagem (não muda).

    Retorna uma tupla:
    - image_aug: tensor de shape (n_H, n_W, n_C), a imagem transformada.
    - label: o mesmo rótulo.
    """
    import tensorflow as tf

    image = tf.image.random_flip_left_right(image)
    image = tf.image.random_flip_up_down(image)
    image = tf.image.rot90(image, k=tf.random.uniform([], 0, 4, dtype=tf.int32))
    contrast = tf.random.uniform([], 0.9, 1.1)
    brightness = tf.random.uniform([], -0.1, 0.1)
    return image * contrast + brightness, label


def make_dataset(X, y, batch_size=32, training=False, seed=0):
    """
    Monta o tf.data.Dataset que alimenta o treino ou a avaliação: guarda os dados em cache e,
    no treino, embaralha a cada época e aplica `augment`; lotes de batch_size; prefetch para
    preparar o próximo lote enquanto o modelo calcula o atual.

    Entradas:
    - X: array de shape (m, n_H, n_W, n_C), imagens normalizadas.
    - y: array de shape (m,), rótulos inteiros.
    - batch_size: exemplos por lote.
    - training: se True, embaralha e aumenta os dados.
    - seed: semente do embaralhamento.

    Retorna:
    - dataset: tf.data.Dataset de pares (imagens (b, n_H, n_W, n_C), rótulos (b,)), b <= batch_size.
    """
    import tensorflow as tf

    dataset = tf.data.Dataset.from_tensor_slices((X, y)).cache()
    if training:
        dataset = dataset.shuffle(len(X), seed=seed, reshuffle_each_iteration=True)
        dataset = dataset.map(augment, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def build_model(input_shape, n_classes):
    """
    Constrói e compila uma CNN compacta: blocos Conv2D (3x3) -> BatchNormalization -> ReLU ->
    MaxPooling2D (2x2), que dobram o número de filtros enquanto dividem altura e largura por 2;
    depois GlobalAveragePooling2D, Dropout e uma camada densa com softmax.

    Entradas:
    - input_shape: tupla (n_H, n_W, n_C), a shape de uma imagem.
    - n_classes: número de classes.

    Retorna:
    - model: keras.Model compilado (AdamW, sparse_categorical_crossentropy, métrica accuracy),
      entrada (m, n_H, n_W, n_C), saída (m, n_classes) de probabilidades que somam 1.
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=input_shape)
    x = inputs
    for filters in (16, 32, 64, 128, 256):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)  # o BN já tem o bias
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
        x = layers.MaxPooling2D(2)(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.3)(x)
    outputs = layers.Dense(n_classes, activation="softmax")(x)
    model = keras.Model(inputs, outputs, name="cnn_elpv")
    model.compile(
        optimizer=keras.optimizers.AdamW(learning_rate=2e-3, weight_decay=1e-4),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def cosine_learning_rate(epoch, epochs, base_lr, warmup_epochs=1, min_lr=0.0):
    """
    Taxa de aprendizado da época `epoch` (contando de 0): sobe linearmente durante warmup_epochs
    épocas e depois desce como meio cosseno, de base_lr até min_lr na última época.

    Entradas:
    - epoch: índice da época (0 .. epochs-1).
    - epochs: número total de épocas.
    - base_lr: taxa máxima (a do otimizador compilado).
    - warmup_epochs: épocas de aquecimento.
    - min_lr: taxa no fim do treino.

    Retorna:
    - lr: float, a taxa dessa época.
    """
    if epoch < warmup_epochs:
        return base_lr * (epoch + 1) / (warmup_epochs + 1)
    progress = (epoch - warmup_epochs) / max(1, epochs - warmup_epochs)
    return min_lr + 0.5 * (base_lr - min_lr) * (1.0 + math.cos(math.pi * progress))


def train_model(model, X_train, y_train, X_val=None, y_val=None, epochs=30, batch_size=32,
                seed=0, verbose=0):
    """
    Treina um modelo compilado com tf.data, o cronograma cosseno de `cosine_learning_rate` e,
    quando há validação, guarda os pesos da época com menor perda de validação (EarlyStopping
    com restore_best_weights).

    Entradas:
    - model: keras.Model compilado (por exemplo, o de `build_model`).
    - X_train, y_train: treino, shapes (m, n_H, n_W, n_C) e (m,).
    - X_val, y_val: validação (opcional), mesmas convenções.
    - epochs: número máximo de épocas.
    - batch_size: exemplos por lote.
    - seed: semente (pesos já criados não mudam; vale para o embaralhamento e o aumento).
    - verbose: 0 (silencioso), 1 ou 2, como em model.fit.

    Retorna:
    - history: keras.callbacks.History; history.history tem as curvas de aprendizado
      ("loss", "accuracy" e, com validação, "val_loss", "val_accuracy"), uma entrada por época.
    """
    import keras

    base_lr = float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))
    callbacks = [keras.callbacks.LearningRateScheduler(
        lambda epoch: cosine_learning_rate(epoch, epochs, base_lr, warmup_epochs=1))]
    validation = None
    if X_val is not None:
        validation = make_dataset(X_val, y_val, batch_size=128)
        callbacks.append(keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=epochs, restore_best_weights=True))
    return model.fit(make_dataset(X_train, y_train, batch_size, training=True, seed=seed),
                     validation_data=validation, epochs=epochs, callbacks=callbacks,
                     verbose=verbose)


def predict_tta(model, X, batch_size=128):
    """
    Previsão com aumento no teste (test-time augmentation): a média das probabilidades do modelo
    nas 8 versões de cada imagem obtidas com rotações de 90 graus e espelhamento (todas com o
    mesmo rótulo). Costuma ser um pouco mais precisa que uma única previsão.

    Entradas:
    - model: keras.Model treinado, saída (m, n_classes) de probabilidades.
    - X: array de shape (m, n_H, n_W, n_C), com n_H == n_W.
    - batch_size: lote usado em model.predict.

    Retorna:
    - probs: array de shape (m, n_classes), as probabilidades médias.
    """
    X = np.asarray(X, dtype=np.float32)
    probs = 0.0
    for k in range(4):
        rotated = np.rot90(X, k, axes=(1, 2))
        for view in (rotated, rotated[:, :, ::-1]):
            probs = probs + model.predict(np.ascontiguousarray(view), batch_size=batch_size, verbose=0)
    return probs / 8.0


def evaluate_predictions(y_true, y_pred, class_names=CLASS_NAMES):
    """
    Métricas de classificação com o scikit-learn.

    Entradas:
    - y_true: array de shape (m,), rótulos verdadeiros.
    - y_pred: array de shape (m,), rótulos previstos (por exemplo, probs.argmax(axis=1)).
    - class_names: nomes das classes, na ordem dos rótulos.

    Retorna um dicionário com:
    - "accuracy": float, fração de acertos.
    - "confusion_matrix": array (n_classes, n_classes); linha = classe verdadeira,
      coluna = classe prevista.
    - "report": str, o classification_report (precisão, revocação e F1 por classe).
    """
    from sklearn.metrics import accuracy_score, classification_report, confusion_matrix

    labels = list(range(len(class_names)))
    return {
        "accuracy": float(accuracy_score(y_true, y_pred)),
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels=labels),
        "report": classification_report(y_true, y_pred, labels=labels, target_names=list(class_names),
                                        digits=3, zero_division=0),
    }


def misclassified_indices(y_true, y_pred):
    """
    Índices dos exemplos que o modelo errou, para olhar as imagens e entender os erros.

    Entradas:
    - y_true, y_pred: arrays de shape (m,).

    Retorna:
    - idx: array de inteiros de shape (n_errors,), em ordem crescente.
    """
    return np.flatnonzero(np.asarray(y_true) != np.asarray(y_pred))


def run_pipeline(image_size=IMAGE_SIZE, epochs=30, batch_size=32, subset=None, val_size=0.0,
                 seed=0, tta=True, data=None, verbose=0):
    """
    O pipeline inteiro, do carregamento à avaliação no teste, com um orçamento limitado de
    épocas e de exemplos (o mesmo código do treino completo serve para a correção rápida).

    Entradas:
    - image_size: lado das imagens reduzidas.
    - epochs: épocas de treino.
    - batch_size: exemplos por lote.
    - subset: se não for None, quantos exemplos do treino usar (amostra estratificada).
    - val_size: fração do treino separada para validação (0 = sem validação).
    - seed: semente de tudo o que é sorteado no treino (a divisão treino/teste é sempre a do
      protocolo, random_state=0).
    - tta: se True, avalia com `predict_tta`; senão, com uma única previsão por imagem.
    - data: tupla (X, y) já carregada por `load_elpv` (evita recarregar); None carrega.
    - verbose: repassado a model.fit.

    Retorna um dicionário com "model", "history", "train_seconds", "n_params", "n_train",
    as métricas de `evaluate_predictions` no teste e "probs" (m_test, 2).
    """
    import keras

    X, y = data if data is not None else load_elpv(image_size)[:2]
    X = standardize_images(X)
    X_train, X_test, y_train, y_test = split_train_test(X, y, test_size=0.25, seed=0)
    if subset is not None and subset < len(X_train):
        X_train, _, y_train, _ = split_train_test(X_train, y_train, test_size=len(X_train) - subset, seed=seed)
    X_val = y_val = None
    if val_size:
        X_train, X_val, y_train, y_val = split_train_test(X_train, y_train, test_size=val_size, seed=seed)

    keras.utils.set_random_seed(seed)
    model = build_model(X_train.shape[1:], len(CLASS_NAMES))
    start = time.perf_counter()
    history = train_model(model, X_train, y_train, X_val, y_val, epochs=epochs,
                          batch_size=batch_size, seed=seed, verbose=verbose)
    train_seconds = time.perf_counter() - start
    probs = predict_tta(model, X_test) if tta else model.predict(X_test, batch_size=128, verbose=0)
    result = evaluate_predictions(y_test, probs.argmax(axis=1))
    result.update(model=model, history=history, train_seconds=train_seconds,
                  n_params=model.count_params(), n_train=len(X_train), probs=probs)
    return result
