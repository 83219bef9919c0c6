"""Visible cases of a6_cnn_keras (and of the final project's build_model).

Numbers are compared as in the other notebooks. Keras models, augmented tensors and tf.data
pipelines are not numbers: their cases have a ``verify`` function that says, in Portuguese, what
is wrong. TensorFlow is imported only inside those functions, so that the numpy notebooks, which
load every case module, never import it.
"""
import numpy as np

from dlhelpers.checks import Case, returned_parts

# --- standardize_images ---
TWO_IMAGES = np.array([[[1.0, 2.0], [3.0, 4.0]], [[10.0, 10.0], [10.0, 30.0]]])[..., np.newaxis]  # (2, 2, 2, 1)
TWO_IMAGES_STANDARDIZED = np.array([
    [[-1.3416402, -0.4472134], [0.4472134, 1.3416402]],
    [[-0.5773501, -0.5773501], [-0.5773501, 1.7320504]],
])[..., np.newaxis]
FLAT_IMAGE = np.full((1, 3, 3, 1), 7.0)  # desvio padrão zero

# --- cosine_learning_rate ---
# warmup de 1 época: 0.01 * 1/2; depois meio cosseno de 0.01 até 0 ao longo das épocas 1..10.
COSINE_CASES = [
    ((0, 10, 0.01), 0.005, "época 0: o aquecimento começa em base_lr * 1 / (warmup_epochs + 1)"),
    ((1, 10, 0.01), 0.01, "a primeira época depois do aquecimento usa base_lr inteira"),
    ((5, 10, 0.01), 0.005868240888334652, "época 5 de 10: progresso (5 - 1) / (10 - 1) do meio cosseno"),
    ((9, 10, 0.01), 0.0003015368960704584, "a última época (9) fica perto de min_lr, sem chegar a ele"),
]


def _images(seed, shape):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


# --- augment ---
def dihedral_views(image):
    """The 8 rotations/mirrors of a square image (n, n, c)."""
    views = []
    for k in range(4):
        rotated = np.rot90(image, k, axes=(0, 1))
        views += [rotated, rotated[:, ::-1]]
    return views


def matching_view(out, image):
    """Index of the flip/rotation of ``image`` (n, n, c) that ``out`` is an increasing affine
    function of (brightness and contrast changed), or None."""
    out = np.asarray(out, dtype=np.float64)
    if out.shape != image.shape or out.std() == 0:
        return None
    for index, view in enumerate(dihedral_views(image)):
        if abs(np.corrcoef(out.ravel(), view.ravel())[0, 1] - 1.0) < 1e-4:
            return index
    return None


AUGMENT_IMAGE = np.arange(16, dtype=np.float32).reshape(4, 4, 1) - 7.5
AUGMENT_CALLS = 24


def verify_augment(results):
    """24 results of augment on one image: shape and label kept, each output an affine change
    (brightness/contrast) of a flip or rotation of the input, and not always the same one."""
    image = AUGMENT_IMAGE
    seen = set()
    for result in results:
        try:
            out, label = returned_parts(result, ("imagem", "rótulo"), "augment")
        except AssertionError as wrong_form:
            return str(wrong_form)
        out, label = np.asarray(out, dtype=np.float64), np.asarray(label)
        if out.shape != image.shape:
            return f"a imagem aumentada tem shape {out.shape}; deveria manter {image.shape}"
        if label.shape != () or int(label) != 1:
            return f"o rótulo mudou: entrou 1, saiu {label.tolist()}"
        view = matching_view(out, image)
        if view is None:
            return ("a imagem aumentada não é um espelhamento/rotação da original (com brilho e "
                    "contraste): a transformação mudou o conteúdo da célula")
        seen.add(view)
    if len(seen) < 2:
        return "em 24 chamadas saiu sempre a mesma transformação: o aumento precisa ser sorteado a cada chamada"
    return None


# --- make_dataset ---
def _batches(dataset):
    return [(np.asarray(images), np.asarray(labels)) for images, labels in dataset]


def verify_make_dataset_evaluation(dataset):
    """training=False: batches of 4, 4 and 2, in the original order, images unchanged."""
    X, y = _images(0, (10, 4, 4, 1)), np.arange(10)
    batches = _batches(dataset)
    sizes = [len(labels) for _, labels in batches]
    if sizes != [4, 4, 2]:
        return f"os lotes deveriam ter 4, 4 e 2 exemplos, mas têm {sizes}"
    labels = np.concatenate([labels for _, labels in batches])
    if labels.tolist() != y.tolist():
        return f"sem treino, a ordem deve ser mantida: rótulos {labels.tolist()}"
    images = np.concatenate([images for images, _ in batches])
    if images.shape != X.shape or not np.allclose(images, X, atol=1e-6):
        return "sem treino, as imagens devem sair exatamente como entraram (sem aumento)"
    return None


def verify_make_dataset_training(dataset):
    """training=True: every example once per epoch, shuffled, shapes kept."""
    batches = _batches(dataset)
    labels = np.concatenate([labels for _, labels in batches])
    if sorted(labels.tolist()) != list(range(10)):
        return f"cada exemplo deve aparecer uma vez por época; rótulos vistos: {labels.tolist()}"
    if any(images.shape[1:] != (4, 4, 1) for images, _ in batches):
        return "as imagens dos lotes mudaram de shape"
    orders = {tuple(np.concatenate([lab for _, lab in _batches(dataset)]).tolist()) for _ in range(4)}
    if len(orders | {tuple(labels.tolist())}) < 2 or labels.tolist() == list(range(10)):
        return "no treino, os exemplos devem ser embaralhados (e de novo a cada época)"
    return None


def make_dataset_inputs(training):
    return (_images(0, (10, 4, 4, 1)), np.arange(10), 4, training)


# --- build_model ---
def verify_model(input_shape, n_classes):
    def verify(model):
        import keras

        if not isinstance(model, keras.Model):
            return f"build_model deve devolver um keras.Model, mas devolveu {type(model).__name__}"
        if tuple(model.input_shape[1:]) != tuple(input_shape):
            return f"a entrada do modelo tem shape {model.input_shape}; deveria ser (None, *{input_shape})"
        if tuple(model.output_shape) != (None, n_classes):
            return f"a saída do modelo tem shape {model.output_shape}; deveria ser (None, {n_classes})"
        if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
            return "o modelo não foi compilado: chame model.compile(optimizer=..., loss=..., metrics=[...])"
        kinds = [type(layer).__name__ for layer in model.layers]
        if kinds.count("Conv2D") < 2:
            return f"o modelo deve ter pelo menos duas camadas Conv2D; tem {kinds.count('Conv2D')}"
        if not {"MaxPooling2D", "AveragePooling2D", "GlobalMaxPooling2D", "GlobalAveragePooling2D"} & set(kinds):
            return "o modelo deve ter uma camada de pooling (MaxPooling2D, por exemplo)"
        probs = np.asarray(model(_images(1, (3, *input_shape)), training=False))
        if probs.shape != (3, n_classes) or np.any(probs < 0) or not np.allclose(probs.sum(axis=1), 1.0, atol=1e-4):
            return "a saída não são probabilidades que somam 1: a última camada deve usar activation='softmax'"
        return None
    return verify


# --- train_model ---
def tiny_model():
    import keras

    keras.utils.set_random_seed(0)
    inputs = keras.Input((6, 6, 1))
    pooled = keras.layers.GlobalAveragePooling2D()(keras.layers.Conv2D(2, 3)(inputs))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(pooled))
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"], run_eagerly=True)  # sem compilar um tf.function: a verificação fica rápida
    return model


def train_model_inputs():
    X = _images(2, (12, 6, 6, 1))
    y = np.arange(12) % 2
    return (tiny_model(), X[:8], y[:8], X[8:], y[8:], 3, 4)


def verify_history(history):
    curves = getattr(history, "history", None)
    if not isinstance(curves, dict):
        return f"train_model deve devolver o History de model.fit, mas devolveu {type(history).__name__}"
    for key in ("loss", "val_loss"):
        if key not in curves:
            return f"o histórico não tem a curva {key!r}: passou validation_data para model.fit?"
        if len(curves[key]) != 3:
            return f"a curva {key!r} tem {len(curves[key])} valores; com epochs=3 deveria ter 3"
    return None


# --- build_alexnet ---
# The layers that fix shapes and parameters, for input (227, 227, 3) and 1000 classes: the hand
# table of the notebook (normalisation, Dropout and activation layers are not listed).
ALEXNET_LAYERS = [
    ("Conv2D", (55, 55, 96), 34_944), ("MaxPooling2D", (27, 27, 96), 0),
    ("Conv2D", (27, 27, 256), 614_656), ("MaxPooling2D", (13, 13, 256), 0),
    ("Conv2D", (13, 13, 384), 885_120), ("Conv2D", (13, 13, 384), 1_327_488),
    ("Conv2D", (13, 13, 256), 884_992), ("MaxPooling2D", (6, 6, 256), 0),
    ("Flatten", (9216,), 0), ("Dense", (4096,), 37_752_832),
    ("Dense", (4096,), 16_781_312), ("Dense", (1000,), 4_097_000),
]
ALEXNET_PARAMETERS = 62_378_344
ALEXNET_LAYER_HINTS = {
    0: "conv1: 96 filtros 11x11 com strides=4 e sem padding deixam 55x55x96",
    1: "depois da conv1 (e da normalização), MaxPooling2D com pool_size=3 e strides=2",
    2: "conv2: 256 filtros 5x5 com padding='same' mantêm 27x27",
    3: "depois da conv2 (e da normalização), outro MaxPooling2D 3x3 com stride 2",
    4: "conv3: 384 filtros 3x3 com padding='same'",
    5: "conv4: 384 filtros 3x3 com padding='same'",
    6: "conv5: 256 filtros 3x3 com padding='same'",
    7: "depois da conv5, o terceiro MaxPooling2D 3x3 com stride 2",
    8: "Flatten antes das camadas densas: 6 * 6 * 256 = 9216 números",
    9: "fc6: Dense com 4096 unidades e ReLU",
    10: "fc7: Dense com 4096 unidades e ReLU",
    11: "fc8: Dense com n_classes unidades e softmax",
}


def verify_alexnet(model):
    import keras

    if not isinstance(model, keras.Model):
        return f"build_alexnet deve devolver um keras.Model, mas devolveu {type(model).__name__}"
    if tuple(model.input_shape) != (None, 227, 227, 3) or tuple(model.output_shape) != (None, 1000):
        return (f"entrada {model.input_shape} e saída {model.output_shape}; esperadas (None, 227, 227, 3) "
                "e (None, 1000): use input_shape e n_classes")
    got = [(type(layer).__name__, tuple(layer.output.shape[1:]), layer.count_params()) for layer in model.layers
           if type(layer).__name__ in ("Conv2D", "MaxPooling2D", "AveragePooling2D", "Flatten", "Dense")]
    for index, expected in enumerate(ALEXNET_LAYERS):
        if index >= len(got):
            return f"faltam camadas a partir da {index + 1}ª (sem contar normalização e dropout): {ALEXNET_LAYER_HINTS[index]}"
        if got[index] != expected:
            kind, shape, params = got[index]
            return (f"a {index + 1}ª camada (sem contar normalização e dropout) é {kind} com saída {shape} e "
                    f"{params:,} parâmetros; esperado {expected[0]} com saída {expected[1]} e {expected[2]:,}. "
                    f"Dica: {ALEXNET_LAYER_HINTS[index]}")
    if len(got) > len(ALEXNET_LAYERS):
        return f"há camadas a mais depois da fc8: {[kind for kind, _, _ in got[len(ALEXNET_LAYERS):]]}"
    kinds = [type(layer).__name__ for layer in model.layers]
    if sum(kind.endswith("Normalization") for kind in kinds) != 2:
        return "a AlexNet tem 2 camadas de normalização (depois da conv1 e da conv2): use layers.UnitNormalization()"
    if kinds.count("Dropout") != 2:
        return f"a AlexNet tem 2 camadas Dropout (depois da fc6 e da fc7); o modelo tem {kinds.count('Dropout')}"
    if model.count_params() != ALEXNET_PARAMETERS:
        return (f"o modelo tem {model.count_params():,} parâmetros, esperado {ALEXNET_PARAMETERS:,}: a "
                "normalização não deve ter parâmetros (UnitNormalization, não BatchNormalization)")
    return None


CASES = {
    "standardize_images": [
        Case("duas imagens 2x2", (TWO_IMAGES,), TWO_IMAGES_STANDARDIZED,
             "cada imagem usa a própria média e o próprio desvio padrão (axis=(1, 2, 3), keepdims=True)"),
        Case("imagem constante (desvio padrão 0)", (FLAT_IMAGE,), np.zeros((1, 3, 3, 1)),
             "some 1e-6 ao desvio padrão para não dividir por zero"),
    ],
    "augment": [
        Case("imagem 4x4 com rótulo 1, 24 sorteios", (AUGMENT_IMAGE, np.int64(1)), "a mesma shape, o mesmo rótulo, um espelhamento ou "
             "rotação de 90° da imagem (com brilho e contraste levemente alterados), sorteado a cada chamada",
             "use tf.image.random_flip_left_right, random_flip_up_down e tf.image.rot90 com k sorteado",
             verify=verify_augment, calls=AUGMENT_CALLS),
    ],
    "make_dataset": [
        Case("10 exemplos, batch_size=4, training=False", make_dataset_inputs(False),
             "lotes de 4, 4 e 2 exemplos, na ordem original, sem aumento",
             "sem treino: from_tensor_slices -> batch -> prefetch, sem shuffle nem map(augment)",
             verify=verify_make_dataset_evaluation),
        Case("10 exemplos, batch_size=4, training=True", make_dataset_inputs(True),
             "todos os 10 exemplos uma vez por época, embaralhados",
             "no treino: shuffle(len(X), reshuffle_each_iteration=True) e map(augment) antes do batch",
             verify=verify_make_dataset_training),
    ],
    "build_model": [
        Case("imagens 32x32 em tons de cinza, 2 classes", ((32, 32, 1), 2),
             "keras.Model compilado, entrada (None, 32, 32, 1), saída softmax (None, 2), >= 2 Conv2D e pooling",
             "Input(shape=input_shape) ... Dense(n_classes, activation='softmax'); não esqueça o compile",
             verify=verify_model((32, 32, 1), 2)),
        Case("imagens 40x48 coloridas, 4 classes", ((40, 48, 3), 4),
             "keras.Model compilado, entrada (None, 40, 48, 3), saída softmax (None, 4)",
             "use input_shape e n_classes recebidos, sem números fixos",
             verify=verify_model((40, 48, 3), 4)),
    ],
    "build_alexnet": [
        Case("AlexNet original: entrada 227x227x3, 1000 classes", ((227, 227, 3), 1000),
             "keras.Model com as camadas, as shapes e os 62.378.344 parâmetros da tabela do notebook",
             "siga a tabela: 5 Conv2D, 3 MaxPooling2D 3x3/2, 2 UnitNormalization, Flatten, 3 Dense e 2 Dropout",
             verify=verify_alexnet),
    ],
    "cosine_learning_rate": [
        Case(f"epoch={args[0]}, epochs={args[1]}, base_lr={args[2]}", args, expected, hint)
        for args, expected, hint in COSINE_CASES
    ],
    "train_model": [
        Case("modelo pequeno, 8 imagens de treino e 4 de validação, epochs=3, batch_size=4",
             train_model_inputs,
             "o History de model.fit com as curvas 'loss' e 'val_loss', 3 valores cada",
             "model.fit(make_dataset(...treino...), validation_data=make_dataset(...validação...), epochs=epochs, ...)",
             verify=verify_history),
    ],
    "evaluate_predictions": [
        Case("5 exemplos, 2 classes", (np.array([0, 0, 1, 1, 1]), np.array([0, 1, 1, 1, 0])),
             (0.6, np.array([[1, 1], [1, 2]])),
             "accuracy = acertos / total; confusion_matrix com linha = classe verdadeira, coluna = prevista",
             output=lambda result: (result["accuracy"], result["confusion_matrix"])),
        Case("uma classe nunca prevista", (np.array([0, 1, 1, 0]), np.array([0, 0, 0, 0])),
             (0.5, np.array([[2, 0], [2, 0]])),
             "passe labels=range(len(class_names)) ao confusion_matrix para a matriz ter sempre n x n",
             output=lambda result: (result["accuracy"], result["confusion_matrix"])),
    ],
    "misclassified_indices": [
        Case("erros nas posições 1 e 4", (np.array([0, 0, 1, 1, 1]), np.array([0, 1, 1, 1, 0])),
             np.array([1, 4]), "os índices onde y_true != y_pred, em ordem crescente (np.flatnonzero)"),
        Case("nenhum erro", (np.array([1, 0, 1]), np.array([1, 0, 1])), np.zeros(0),
             "sem erros, devolva um array vazio"),
    ],
}
