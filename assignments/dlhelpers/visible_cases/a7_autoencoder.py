"""Visible cases of a7_autoencoder (standardize_images is a6's, whose cases apply here too).

TensorFlow is imported only inside the verify functions, so that the numpy notebooks, which load
every case module, never import it.
"""
import numpy as np

from dlhelpers.checks import Case

RECONSTRUCTION_LOSSES = {"mse", "mean_squared_error", "meansquarederror", "mae", "mean_absolute_error",
                         "meanabsoluteerror", "huber", "log_cosh", "logcosh"}


def _images(seed, shape):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def loss_name(loss) -> str:
    """The compiled loss as a lower-case name ('mse', 'meansquarederror', ...)."""
    name = loss if isinstance(loss, str) else getattr(loss, "name", None) or type(loss).__name__
    return str(name).lower()


# --- build_autoencoder ---
def verify_autoencoder(input_shape, code_size):
    def verify(model):
        import keras

        from dlhelpers.autoencoders import split_autoencoder

        if not isinstance(model, keras.Model):
            return f"build_autoencoder deve devolver um keras.Model, mas devolveu {type(model).__name__}"
        if tuple(model.input_shape[1:]) != tuple(input_shape):
            return f"a entrada do modelo é {model.input_shape[1:]}; use keras.Input(shape=input_shape)"
        if tuple(model.output_shape[1:]) != tuple(input_shape):
            return (f"a saída do modelo tem shape {model.output_shape[1:]}, mas deveria ser igual à entrada "
                    f"{tuple(input_shape)}: a última Conv2DTranspose deve ter n_C filtros e cada "
                    "Conv2DTranspose com strides=2 dobra a altura e a largura")
        if getattr(model, "optimizer", None) is None:
            return "o modelo não foi compilado: chame model.compile(optimizer=..., loss='mse')"
        if loss_name(model.loss) not in RECONSTRUCTION_LOSSES:
            return f"a perda {model.loss!r} não mede reconstrução: use loss='mse' (erro quadrático médio)"
        if "Conv2D" not in [type(layer).__name__ for layer in model.layers]:
            return "o codificador deve ser convolucional: use Conv2D com strides=2"
        try:
            encoder, decoder = split_autoencoder(model)
        except ValueError as problem:
            return str(problem)
        if tuple(encoder.output_shape[1:]) != (code_size,):
            return f"a camada 'code' tem saída {encoder.output_shape[1:]}; deveria ter code_size = {code_size} números"
        images = _images(1, (3, *input_shape))
        direct = np.asarray(model(images, training=False))
        through_code = np.asarray(decoder(encoder(images, training=False), training=False))
        if not np.allclose(direct, through_code, atol=1e-4):
            return ("a saída não é o decodificador aplicado ao código: toda a informação deve passar pela "
                    "camada 'code' (nada de ligações que pulem o gargalo)")
        return None

    return verify


# --- train_autoencoder ---
def tiny_autoencoder():
    import keras

    keras.utils.set_random_seed(0)
    inputs = keras.Input((4, 4, 1))
    x = keras.layers.Conv2D(2, 3, strides=2, padding="same", activation="relu")(inputs)
    code = keras.layers.Dense(3, name="code")(keras.layers.Flatten()(x))
    x = keras.layers.Reshape((2, 2, 2))(keras.layers.Dense(8, activation="relu")(code))
    outputs = keras.layers.Conv2DTranspose(1, 3, strides=2, padding="same")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse",
                  run_eagerly=True)  # sem compilar um tf.function: a verificação fica rápida
    return model


def train_autoencoder_inputs():
    X = _images(2, (12, 4, 4, 1))
    return (tiny_autoencoder(), X[:8], X[8:], 3, 4)


def verify_autoencoder_history(history):
    curves = getattr(history, "history", None)
    if not isinstance(curves, dict):
        return f"train_autoencoder deve devolver o History de model.fit, mas devolveu {type(history).__name__}"
    for key in ("loss", "val_loss"):
        if key not in curves:
            return f"o histórico não tem a curva {key!r}: passou validation_data=(X_val, X_val) para model.fit?"
        if len(curves[key]) != 3:
            return f"a curva {key!r} tem {len(curves[key])} valores; com epochs=3 deveria ter 3"
    if "accuracy" in curves:
        return "acurácia não faz sentido numa reconstrução: o alvo são as próprias imagens, não rótulos"
    return None


CASES = {
    "build_autoencoder": [
        Case("dígitos 8x8x1, código de 2 números", ((8, 8, 1), 2),
             "keras.Model compilado com perda 'mse', entrada e saída (None, 8, 8, 1), camada 'code' com 2 saídas",
             "Conv2D(strides=2) x2 -> Flatten -> Dense(code_size, name='code') -> Dense -> Reshape -> "
             "Conv2DTranspose(strides=2) x2; não esqueça o compile",
             verify=verify_autoencoder((8, 8, 1), 2)),
        Case("imagens 12x16 coloridas, código de 5 números", ((12, 16, 3), 5),
             "entrada e saída (None, 12, 16, 3), camada 'code' com 5 saídas",
             "use input_shape e code_size recebidos, sem números fixos (o Reshape usa o shape do último mapa)",
             verify=verify_autoencoder((12, 16, 3), 5)),
    ],
    "train_autoencoder": [
        Case("autoencoder pequeno, 8 imagens de treino e 4 de validação, epochs=3, batch_size=4",
             train_autoencoder_inputs,
             "o History de model.fit com as curvas 'loss' e 'val_loss', 3 valores cada",
             "model.fit(X_train, X_train, validation_data=(X_val, X_val), epochs=epochs, batch_size=batch_size, ...)",
             verify=verify_autoencoder_history),
    ],
    "reconstruction_errors": [
        Case("duas imagens 2x2", (np.array([[[1.0, 2.0], [3.0, 4.0]], [[0.0, 0.0], [0.0, 0.0]]])[..., None],
                                 np.array([[[1.0, 2.0], [3.0, 2.0]], [[1.0, -1.0], [1.0, -1.0]]])[..., None]),
             np.array([1.0, 1.0]),
             "a média de (X - X_rec) ** 2 em cada imagem: axis=(1, 2, 3), um número por imagem"),
        Case("três imagens 2x2x2 iguais às reconstruções", (np.ones((3, 2, 2, 2)), np.ones((3, 2, 2, 2))),
             np.zeros(3), "imagens reconstruídas sem erro têm erro 0; devolva shape (m,)"),
    ],
    "anomaly_threshold": [
        Case("erros 0, 1, ..., 99 e 5% de alarmes falsos", (np.arange(100.0), 0.05), 94.05,
             "o quantil 1 - false_alarm_rate dos erros normais: np.quantile(normal_errors, 0.95)"),
        Case("erros [0.2, 0.4, 0.1, 0.3] e 50% de alarmes falsos", (np.array([0.2, 0.4, 0.1, 0.3]), 0.5), 0.25,
             "metade dos exemplos normais fica acima do quantil 0.5 (a mediana)"),
    ],
    "evaluate_detector": [
        Case("4 células, limiar 0.5", (np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]), 0.5),
             (0.75, 0.5, 0.0),
             "roc_auc_score(y_true, scores); detection_rate = fração das anomalias com score > threshold; "
             "false_alarm_rate = fração das normais com score > threshold",
             output=lambda result: (result["roc_auc"], result["detection_rate"], result["false_alarm_rate"])),
        Case("separação perfeita, limiar 0.5", (np.array([1, 0, 1, 0, 0]), np.array([0.9, 0.2, 0.7, 0.1, 0.6]), 0.5),
             (1.0, 1.0, 1 / 3),
             "a AUC não depende do limiar; os alarmes falsos dependem (0.6 > 0.5)",
             output=lambda result: (result["roc_auc"], result["detection_rate"], result["false_alarm_rate"])),
    ],
}
