"""Reference convolutional autoencoder (assignment a7_autoencoder).

An autoencoder learns to copy its input through a narrow middle: the encoder f squeezes an
image x into a code h = f(x) of ``code_size`` numbers, the decoder g rebuilds x' = g(h), and
training makes g(f(x)) close to x. Trained only on functional ELPV cells, it learns what a good
cell looks like; a defective cell is rebuilt worse, so its reconstruction error flags it.

Images are channels-last, (m, n_H, n_W, n_C), with n_H and n_W multiples of 4 (the encoder
halves them twice). The code is the output of the Dense layer named "code", shape (m, code_size).
"""
import numpy as np



def build_autoencoder(input_shape, code_size):
    """
    Constrói e compila um autoencoder convolucional.

    - Codificador: duas Conv2D 3x3 com strides=2 e padding "same" (cada uma divide altura e
      largura por 2) e ReLU; Flatten; uma Dense linear de code_size unidades chamada "code".
    - Decodificador, o caminho de volta: uma Dense com ReLU que devolve o número de valores do
      último mapa do codificador; Reshape para esse mapa; duas Conv2DTranspose 3x3 com
      strides=2 (cada uma dobra altura e largura), a última linear e com n_C filtros.

    Entradas:
    - input_shape: tupla (n_H, n_W, n_C), a shape de uma imagem; n_H e n_W múltiplos de 4.
    - code_size: tamanho do código (a camada do meio, chamada "code").

    Retorna:
    - model: keras.Model compilado (Adam, perda erro quadrático médio "mse"), entrada
      (m, n_H, n_W, n_C), saída (m, n_H, n_W, n_C), a reconstrução; a camada "code" tem saída
      (m, code_size).
    """
    import keras
    from keras import layers

    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(inputs)
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
    feature_map = tuple(x.shape[1:])  # (n_H/4, n_W/4, 32)
    x = layers.Flatten()(x)
    code = layers.Dense(code_size, name="code")(x)
    x = layers.Dense(int(np.prod(feature_map)), activation="relu")(code)
    x = layers.Reshape(feature_map)(x)
    x = layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="relu")(x)
    outputs = layers.Conv2DTranspose(input_shape[-1], 3, strides=2, padding="same")(x)
    model = keras.Model(inputs, outputs, name="autoencoder")
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss="mse")
    return model


def train_autoencoder(model, X_train, X_val=None, epochs=30, batch_size=32, seed=0, verbose=0):
    """
    Treina um autoencoder compilado para reconstruir as próprias entradas: a entrada e o alvo
    são as mesmas imagens. Com validação, guarda os pesos da época com a menor perda de
    validação (EarlyStopping com restore_best_weights).

    Entradas:
    - model: keras.Model compilado (por exemplo, o de `build_autoencoder`).
    - X_train: imagens de treino, shape (m, n_H, n_W, n_C).
    - X_val: imagens de validação (opcional), shape (m_val, n_H, n_W, n_C).
    - epochs: número máximo de épocas.
    - batch_size: exemplos por lote.
    - seed: semente do embaralhamento (os pesos já criados não mudam).
    - verbose: 0 (silencioso), 1 ou 2, como em model.fit.

    Retorna:
    - history: keras.callbacks.History; history.history tem "loss" e, com validação,
      "val_loss", um valor por época.
    """
    import keras

    keras.utils.set_random_seed(seed)
    callbacks, validation = [], None
    if X_val is not None:
        validation = (X_val, X_val)
        callbacks.append(keras.callbacks.EarlyStopping(monitor="val_loss", patience=epochs,
                                                       restore_best_weights=True))
    return model.fit(X_train, X_train, validation_data=validation, epochs=epochs, batch_size=batch_size,
                     shuffle=True, callbacks=callbacks, verbose=verbose)


def reconstruction_errors(X, X_rec):
    """
    Erro de reconstrução de cada imagem: a média dos quadrados das diferenças entre a imagem e
    a sua reconstrução, sobre todos os pixels e canais.

    Entradas:
    - X: imagens originais, shape (m, n_H, n_W, n_C).
    - X_rec: reconstruções, mesma shape.

    Retorna:
    - errors: array float de shape (m,), um erro por imagem.
    """
    X, X_rec = np.asarray(X, dtype=np.float64), np.asarray(X_rec, dtype=np.float64)
    return np.mean((X - X_rec) ** 2, axis=tuple(range(1, X.ndim)))


def anomaly_threshold(normal_errors, false_alarm_rate=0.05):
    """
    Limiar de alarme escolhido só com exemplos normais: o erro que apenas a fração
    false_alarm_rate dos exemplos normais ultrapassa (o quantil 1 - false_alarm_rate).

    Entradas:
    - normal_errors: array de shape (m,), erros de reconstrução de exemplos normais (por
      exemplo, das células funcionais da validação).
    - false_alarm_rate: fração de exemplos normais que aceitamos ver acima do limiar.

    Retorna:
    - threshold: float; um exemplo com erro maior que ele é marcado como anomalia.
    """
    return float(np.quantile(np.asarray(normal_errors, dtype=np.float64), 1.0 - false_alarm_rate))


def evaluate_detector(y_true, scores, threshold):
    """
    Avalia um detector de anomalias que dá uma pontuação a cada exemplo (quanto maior, mais
    suspeito), com o scikit-learn.

    Entradas:
    - y_true: array de shape (m,), 1 = anomalia (célula defeituosa), 0 = normal.
    - scores: array de shape (m,), a pontuação de cada exemplo (o erro de reconstrução).
    - threshold: limiar; scores > threshold são marcados como anomalias.

    Retorna um dicionário com:
    - "roc_auc": float, a área sob a curva ROC (roc_auc_score), que não depende do limiar.
    - "fpr", "tpr": arrays, os pontos da curva ROC (roc_curve): taxa de falsos positivos e de
      verdadeiros positivos.
    - "detection_rate": float, fração das anomalias com score > threshold.
    - "false_alarm_rate": float, fração dos exemplos normais com score > threshold.
    """
    from sklearn.metrics import roc_auc_score, roc_curve

    y_true = np.asarray(y_true)
    scores = np.asarray(scores, dtype=np.float64)
    fpr, tpr, _ = roc_curve(y_true, scores)
    flagged = scores > threshold
    return {
        "roc_auc": float(roc_auc_score(y_true, scores)),
        "fpr": fpr,
        "tpr": tpr,
        "detection_rate": float(flagged[y_true == 1].mean()),
        "false_alarm_rate": float(flagged[y_true == 0].mean()),
    }
