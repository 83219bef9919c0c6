"""Reference Keras CNN for ELPV solar-cell defects (assignments a6_cnn_keras and projeto_final).

One function per step of the pipeline, each an exercise of the notebooks: per-image
normalisation (`standardize_images`), label-preserving augmentation (`augment`), tf.data input
pipelines (`make_dataset`), the model (`build_model`, the contract), the learning-rate schedule
(`cosine_learning_rate`), training (`train_model`) and evaluation with scikit-learn
(`evaluate_predictions`, `misclassified_indices`). `run_pipeline` chains them on ELPV for a given
budget (a few epochs on a subset in the tests). The full-size runs against the accuracy goal, with
the levers tried beside this reference, are tests/benchmarks/bench_elpv_cnn.py. Data loading and
the split protocol are the public loaders' (dlhelpers.data).

Images are channels-last, (m, n_H, n_W, n_C). Labels are integers: for ELPV 0 = functional,
1 = defective (defect probability >= 0.5, the protocol of Deitsch et al. 2019).
"""
import math
import time

import numpy as np

IMAGE_SIZE = 128
EPOCHS = 40
BATCH_SIZE = 32
CLASS_NAMES = ("funcional", "defeituosa")


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
        x = layers.BatchNormalization(momentum=0.9)(x)  # médias móveis que acompanham treinos curtos
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
    train = make_dataset(X_train, y_train, batch_size, training=True, seed=seed)
    # shuffle=False: o make_dataset já embaralha a cada época.
    return model.fit(train, validation_data=validation, epochs=epochs, callbacks=callbacks,
                     shuffle=False, verbose=verbose)


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


def run_pipeline(image_size=IMAGE_SIZE, epochs=EPOCHS, batch_size=BATCH_SIZE, subset=None, val_size=None,
                 seed=0, data=None, verbose=0):
    """The whole ELPV pipeline, from loading to test metrics, for a budget of epochs and images.

    The test split is always the protocol's (stratified 75/25, random_state=0); ``subset`` keeps
    a stratified sample of that many training images; ``val_size`` carves a validation part out
    of the training part (its best epoch is restored). ``data`` is an (X, y) pair already loaded
    with dlhelpers.data.load_elpv(image_size). Returns the metrics of `evaluate_predictions` plus
    "model", "history", "train_seconds", "n_params", "n_train" and "probs" (m_test, 2).
    """
    import keras
    from dlhelpers.data import load_elpv, stratified_split, stratified_split_indices

    X, y = data if data is not None else load_elpv(image_size)[:2]
    splits = stratified_split(standardize_images(X), y, val_size=val_size)
    (X_train, y_train), (X_test, y_test) = splits["train"], splits["test"]
    X_val, y_val = splits.get("val", (None, None))
    if subset is not None and subset < len(X_train):
        keep = stratified_split_indices(y_train, test_size=1 - subset / len(X_train), random_state=seed)["train"]
        X_train, y_train = X_train[keep], y_train[keep]

    keras.utils.set_random_seed(seed)
    model = build_model(input_shape=X_train.shape[1:], n_classes=len(CLASS_NAMES))
    start = time.perf_counter()
    history = train_model(model, X_train, y_train, X_val, y_val, epochs=epochs,
                          batch_size=batch_size, seed=seed, verbose=verbose)
    train_seconds = time.perf_counter() - start
    probs = model.predict(X_test, batch_size=128, verbose=0)
    result = evaluate_predictions(y_test, probs.argmax(axis=1))
    result.update(model=model, history=history, train_seconds=train_seconds,
                  n_params=model.count_params(), n_train=len(X_train), probs=probs)
    return result


def build_alexnet(input_shape=(227, 227, 3), n_classes=1000):
    """
    Constrói a AlexNet (Krizhevsky, Sutskever e Hinton, 2012) com os tamanhos do artigo, numa
    torre só (sem a divisão em duas GPUs):

    - conv1: 96 filtros 11x11, stride 4, ReLU -> normalização -> max pooling 3x3, stride 2;
    - conv2: 256 filtros 5x5, padding "same", ReLU -> normalização -> max pooling 3x3, stride 2;
    - conv3, conv4: 384 filtros 3x3, padding "same", ReLU;
    - conv5: 256 filtros 3x3, padding "same", ReLU -> max pooling 3x3, stride 2;
    - Flatten -> Dense(4096, ReLU) -> Dropout(0.5) -> Dense(4096, ReLU) -> Dropout(0.5);
    - Dense(n_classes) com softmax.

    A normalização é `keras.layers.UnitNormalization()`: como a normalização local de resposta
    (LRN) do artigo, ela divide as ativações de cada posição por uma norma calculada através dos
    canais, e não tem parâmetros.

    Entradas:
    - input_shape: tupla (n_H, n_W, n_C), a shape de uma imagem (no artigo, 227x227x3).
    - n_classes: número de classes (1000 no ImageNet).

    Retorna:
    - model: keras.Model (não compilado), entrada (m, n_H, n_W, n_C), saída (m, n_classes) de
      probabilidades que somam 1.
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(96, 11, strides=4, activation="relu", name="conv1")(inputs)
    x = layers.UnitNormalization(name="norm1")(x)
    x = layers.MaxPooling2D(pool_size=3, strides=2, name="pool1")(x)
    x = layers.Conv2D(256, 5, padding="same", activation="relu", name="conv2")(x)
    x = layers.UnitNormalization(name="norm2")(x)
    x = layers.MaxPooling2D(pool_size=3, strides=2, name="pool2")(x)
    x = layers.Conv2D(384, 3, padding="same", activation="relu", name="conv3")(x)
    x = layers.Conv2D(384, 3, padding="same", activation="relu", name="conv4")(x)
    x = layers.Conv2D(256, 3, padding="same", activation="relu", name="conv5")(x)
    x = layers.MaxPooling2D(pool_size=3, strides=2, name="pool5")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(4096, activation="relu", name="fc6")(x)
    x = layers.Dropout(0.5, name="drop6")(x)
    x = layers.Dense(4096, activation="relu", name="fc7")(x)
    x = layers.Dropout(0.5, name="drop7")(x)
    outputs = layers.Dense(n_classes, activation="softmax", name="fc8")(x)
    return keras.Model(inputs, outputs, name="alexnet")
