"""Hidden tests shared by the Keras notebooks (a6_cnn_keras and projeto_final): the build_model
contract and evaluate_predictions. The test modules import these classes, so pytest collects
them under each notebook's grade cells.

A student's model crosses from the worker as config + weights; everything said about it here
(layers, parameters, probabilities) is computed in this trusted process (autograder.grading.keras_models).
"""
import numpy as np
import pytest

from autograder.grading.expect import case, expect_close
from autograder.grading.keras_models import ModelRejected, has_conv_and_pooling, rebuild, summarize
from solutions import cnn as ref

MAX_PARAMETERS = 5_000_000  # a CPU-sized CNN; the reference has about 0.4 million
MIN_PARAMETERS = 500
MODEL_CASES = [
    case((48, 48, 1), 2, id="48x48x1, 2 classes"),
    case((64, 64, 3), 5, id="64x64x3, 5 classes"),
    case((40, 56, 1), 3, id="40x56x1, 3 classes"),
]


def once_per_case(build):
    """``build(input_shape, n_classes)`` computed once per case (building and shipping a model
    costs about a second); a case whose build failed fails every test that uses it, with the
    same error."""
    cache = {}

    def of(input_shape, n_classes):
        key = (tuple(input_shape), n_classes)
        if key not in cache:
            try:
                cache[key] = build(input_shape, n_classes)
            except Exception as error:  # noqa: BLE001 - the verdict of every test of this case
                cache[key] = error
        if isinstance(cache[key], Exception):
            raise cache[key]
        return cache[key]

    return of


def model_summary(student, input_shape, n_classes):
    spec = student.call("build_model", input_shape, n_classes, timeout=60)
    try:
        return spec, summarize(spec)
    except ModelRejected as rejected:
        raise AssertionError(f"build_model{input_shape, n_classes}: {rejected}") from None


@pytest.mark.grade("build_model")
class TestBuildModel:
    @pytest.fixture(scope="class")
    def built(self, student):
        """model_summary of each case, computed once."""
        return once_per_case(lambda input_shape, n_classes: model_summary(student, input_shape, n_classes))

    @pytest.mark.parametrize("input_shape,n_classes", MODEL_CASES)
    def test_shapes(self, built, input_shape, n_classes):
        """Entrada e saída com as shapes pedidas"""
        _, summary = built(input_shape, n_classes)
        assert summary.input_shape == tuple(input_shape), (
            f"a entrada do modelo é {summary.input_shape}, mas input_shape era {input_shape}: "
            "use keras.Input(shape=input_shape)")
        assert summary.output_units == n_classes, (
            f"a saída tem {summary.output_units} unidades, mas n_classes era {n_classes}")

    @pytest.mark.parametrize("input_shape,n_classes", MODEL_CASES)
    def test_softmax_probabilities(self, built, input_shape, n_classes):
        """A saída são probabilidades (softmax) que somam 1"""
        spec, _ = built(input_shape, n_classes)
        images = np.random.default_rng(0).standard_normal((4, *input_shape)).astype(np.float32)
        probs = np.asarray(rebuild(spec).predict(images, verbose=0))
        assert probs.shape == (4, n_classes), f"a saída do modelo tem shape {probs.shape}"
        assert np.all(probs >= 0) and np.allclose(probs.sum(axis=1), 1.0, atol=1e-4), (
            "as saídas não somam 1 em cada linha: a última camada deve usar activation='softmax'")

    @pytest.mark.parametrize("input_shape,n_classes", MODEL_CASES[:1])
    def test_convolutions_and_pooling(self, built, input_shape, n_classes):
        """Pelo menos duas Conv2D e uma camada de pooling"""
        _, summary = built(input_shape, n_classes)
        assert has_conv_and_pooling(summary), (
            f"o modelo tem as camadas {summary.layer_types}: precisa de pelo menos duas Conv2D e "
            "uma de pooling (MaxPooling2D, AveragePooling2D ou um pooling global)")

    @pytest.mark.parametrize("input_shape,n_classes", MODEL_CASES[:1])
    def test_compiled(self, built, input_shape, n_classes):
        """Compilado, com uma perda de classificação"""
        _, summary = built(input_shape, n_classes)
        assert summary.compiled, "o modelo não foi compilado: chame model.compile(...) antes de devolvê-lo"
        assert "crossentropy" in summary.loss.lower() or "CrossEntropy" in summary.loss, (
            f"a perda {summary.loss!r} não é de classificação: use sparse_categorical_crossentropy")

    @pytest.mark.parametrize("input_shape,n_classes", MODEL_CASES[:2])
    def test_parameter_budget(self, built, input_shape, n_classes):
        """Um número de parâmetros razoável para treinar numa CPU"""
        _, summary = built(input_shape, n_classes)
        assert MIN_PARAMETERS <= summary.parameters <= MAX_PARAMETERS, (
            f"o modelo tem {summary.parameters:,} parâmetros; o limite é de {MIN_PARAMETERS:,} a "
            f"{MAX_PARAMETERS:,}. Flatten seguido de uma Dense grande costuma ser o culpado: "
            "use GlobalAveragePooling2D ou mais pooling antes da parte densa")


def random_labels(seed, m, n_classes):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, n_classes, m)
    y_pred = np.where(rng.random(m) < 0.6, y_true, rng.integers(0, n_classes, m))
    return y_true, y_pred


@pytest.mark.grade("evaluate_predictions")
class TestEvaluatePredictions:
    @pytest.mark.parametrize("seed,n_classes", [case(s, k, id=f"aleatório {s}, {k} classes")
                                                for s in range(3) for k in (2, 3, 5)])
    def test_accuracy_and_confusion_matrix(self, student, seed, n_classes):
        """Acurácia e matriz de confusão em casos aleatórios"""
        y_true, y_pred = random_labels(seed, 40, n_classes)
        names = tuple(f"classe_{k}" for k in range(n_classes))
        expected = ref.evaluate_predictions(y_true, y_pred, names)
        got = student.call("evaluate_predictions", y_true, y_pred, names)
        assert isinstance(got, dict), f"a função deve devolver um dict, mas devolveu {type(got).__name__}"
        for key in ("accuracy", "confusion_matrix", "report"):
            assert key in got, f"falta a chave {key!r} no dict devolvido"
        expect_close(expected["accuracy"], got["accuracy"], case=f"{n_classes} classes, accuracy")
        expect_close(expected["confusion_matrix"], got["confusion_matrix"], case=f"{n_classes} classes, confusion_matrix",
                     hint="linha = classe verdadeira, coluna = prevista; labels=range(len(class_names))")

    def test_a_class_never_predicted(self, student):
        """Uma classe que nunca é prevista ainda aparece na matriz"""
        y_true, y_pred = np.array([0, 1, 2, 2, 1]), np.array([0, 0, 0, 0, 0])
        names = ("a", "b", "c")
        got = student.call("evaluate_predictions", y_true, y_pred, names)
        expect_close(ref.evaluate_predictions(y_true, y_pred, names)["confusion_matrix"],
                     got["confusion_matrix"], case="classes 1 e 2 nunca previstas",
                     hint="passe labels=list(range(len(class_names))) ao confusion_matrix")

    def test_report_names_the_classes(self, student):
        """O relatório de classificação usa os nomes das classes"""
        y_true, y_pred = random_labels(7, 30, 3)
        names = ("maçã", "banana", "laranja")
        report = student.call("evaluate_predictions", y_true, y_pred, names)["report"]
        assert isinstance(report, str), f"'report' deve ser o texto do classification_report, não {type(report).__name__}"
        missing = [n for n in names if n not in report]
        assert not missing and "recall" in report, (
            f"o relatório não mostra {missing or 'a revocação'}: use classification_report(..., target_names=...)")


# --- build_alexnet: the architecture, layer by layer, against the reference ---
NORMALIZATION_LAYERS = {"UnitNormalization", "BatchNormalization", "LayerNormalization", "GroupNormalization"}
SKELETON_LAYERS = {"Conv2D", "MaxPooling2D", "AveragePooling2D", "Flatten", "Dense"}


def layer_rows(model):
    """(class name, output shape without the batch axis, parameters, activation) of each layer of
    a Keras model, in order; the activation of a Conv2D or Dense layer is the one it applies, or
    that of an Activation/ReLU layer right after it."""
    rows = []
    for layer in model.layers:
        kind = type(layer).__name__
        activation = getattr(getattr(layer, "activation", None), "__name__", None)
        if kind == "ReLU" or (kind == "Activation" and activation == "relu"):
            if rows and rows[-1][0] in ("Conv2D", "Dense") and rows[-1][3] == "linear":
                rows[-1] = rows[-1][:3] + ("relu",)
            continue
        rows.append((kind, tuple(layer.output.shape[1:]), int(layer.count_params()), activation))
    return rows


def skeleton(rows):
    """The rows that fix the parameter count and the shapes: convolutions, poolings, Flatten and
    Dense layers (normalisation, Dropout and activation layers set aside)."""
    return [row[:3] for row in rows if row[0] in SKELETON_LAYERS]


def skeleton_hint(index, expected, got):
    """Portuguese feedback on the first layer (of the skeleton) that differs from the reference."""
    kind, shape, params = expected
    where = f"a camada {index + 1} da sequência Conv2D/pooling/Flatten/Dense"
    if got is None:
        return f"faltam camadas: {where} deveria ser {kind} com saída {shape}"
    got_kind, got_shape, got_params = got
    if got_kind != kind:
        return (f"{where} é {got_kind}, mas deveria ser {kind} (saída {shape}); a AlexNet tem 5 Conv2D, "
                "3 MaxPooling2D (depois de conv1, conv2 e conv5), Flatten e 3 Dense")
    if kind == "Conv2D" and index == 0 and got_shape != shape:
        return (f"a primeira Conv2D sai com {got_shape}, esperado {shape}: filtros 11x11 com stride 4 "
                "e sem padding (o 'valid', padrão do Keras)")
    if kind == "Conv2D" and got_params != params:
        return (f"{where} (Conv2D) tem {got_params:,} parâmetros, esperado {params:,}: confira o número "
                "de filtros (96, 256, 384, 384, 256) e o tamanho do filtro (11, 5, 3, 3, 3)")
    if kind == "Conv2D" and got_shape != shape:
        return (f"{where} (Conv2D) sai com {got_shape}, esperado {shape}: da segunda convolução em "
                "diante, padding='same' mantém altura e largura")
    if kind == "MaxPooling2D" and got_shape != shape:
        return (f"{where} (MaxPooling2D) sai com {got_shape}, esperado {shape}: o pooling da AlexNet é "
                "sobreposto, janela 3x3 com stride 2")
    if kind == "Dense" and got_shape != shape:
        return (f"{where} (Dense) tem {got_shape[-1]} unidades, esperado {shape[-1]}: as duas camadas "
                "densas ocultas têm 4096 unidades, e a última, n_classes")
    if got_shape != shape or got_params != params:
        return f"{where} ({kind}) sai com {got_shape} e {got_params:,} parâmetros; esperado {shape} e {params:,}"
    return None


def compare_skeletons(expected_rows, got_rows):
    """None when the two skeletons agree, else the Portuguese reason (the first difference)."""
    expected, got = skeleton(expected_rows), skeleton(got_rows)
    for index, row in enumerate(expected):
        other = got[index] if index < len(got) else None
        if other != row:
            return skeleton_hint(index, row, other)
    if len(got) > len(expected):
        extra = [row[0] for row in got[len(expected):]]
        return f"o modelo tem camadas a mais depois da última Dense: {extra}"
    return None
