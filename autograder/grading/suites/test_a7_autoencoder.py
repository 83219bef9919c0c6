"""Hidden suite of a7_autoencoder: the functions against the reference and, for
train_autoencoder, a real training run of the student's autoencoder inside the worker, judged here.

The training run: the student's build_autoencoder and train_autoencoder on functional cells of
the ELPV training split at 32x32 (a fixed budget of images and epochs), with functional
validation cells. The trained model comes back as config + weights; in this trusted process it
reconstructs the 656 cells of the protocol's test split, which never enter the worker (the
package is hidden from it), and the detection metrics are computed here.
"""
import numpy as np
import pytest
from dlhelpers.autoencoders import split_autoencoder
from dlhelpers.data import load_elpv, stratified_split_indices
from dlhelpers.visible_cases.a7_autoencoder import RECONSTRUCTION_LOSSES, loss_name
from sklearn.metrics import roc_auc_score

from autograder.grading.expect import case, expect_close
from autograder.grading.keras_models import ModelRejected, rebuild
from autograder.grading.suites.keras_checks import once_per_case
from autograder.grading.suites.test_a6_cnn_keras import TestStandardizeImages  # noqa: F401 - collected here too
from solutions import autoencoder as ref
from solutions.cnn import standardize_images

# The training budget of the hidden run and its tiers. The run is seeded (the worker seeds
# Python, numpy and Keras and turns on TensorFlow's op determinism before each call), so the same
# notebook always gets the same numbers. `make bench-a7-tiers` measures honest solutions over
# seeds against these tiers.
FIXTURE_SIZE = 32
FIXTURE_CODE_SIZE = 16
FIXTURE_TRAIN_IMAGES = 800
FIXTURE_VAL_IMAGES = 150
FIXTURE_EPOCHS = 15
TRAINING_TIMEOUT = 240
TRAINING_RNG_SEED = 0
# Mean squared error on functional test cells over that of always answering the mean training
# image: honest runs 0.34-0.39, one epoch of training 1.8.
RECONSTRUCTION_RATIO_LIMIT = 0.6
# ROC AUC of the error relative to the cell type (the notebook's last detector); always the same
# score gives 0.5, an untrained autoencoder about 0.55, one epoch of training about 0.68.
AUC_TIERS = (0.65, 0.70)

MODEL_CASES = [
    case((8, 8, 1), 2, id="8x8x1, código 2"),
    case((32, 32, 1), 16, id="32x32x1, código 16"),
    case((12, 20, 3), 6, id="12x20x3, código 6"),
]
MAX_PARAMETERS = 5_000_000


def built_autoencoder(student, input_shape, code_size):
    spec = student.call("build_autoencoder", input_shape, code_size, timeout=60)
    try:
        return spec, rebuild(spec)
    except ModelRejected as rejected:
        raise AssertionError(f"build_autoencoder{input_shape, code_size}: {rejected}") from None


@pytest.mark.grade("build_autoencoder")
class TestBuildAutoencoder:
    @pytest.fixture(scope="class")
    def built(self, student):
        """(spec, rebuilt model) of each case, built once."""
        return once_per_case(lambda input_shape, code_size: built_autoencoder(student, input_shape, code_size))

    @pytest.mark.parametrize("input_shape,code_size", MODEL_CASES)
    def test_output_shape_equals_input(self, built, input_shape, code_size):
        """Entrada e saída com a shape da imagem"""
        _, model = built(input_shape, code_size)
        assert tuple(model.input_shape[1:]) == tuple(input_shape), (
            f"a entrada do modelo é {model.input_shape[1:]}, mas input_shape era {input_shape}")
        assert tuple(model.output_shape[1:]) == tuple(input_shape), (
            f"a saída tem shape {model.output_shape[1:]}, mas deveria ser igual à entrada {input_shape}")

    @pytest.mark.parametrize("input_shape,code_size", MODEL_CASES)
    def test_everything_passes_through_the_code(self, built, input_shape, code_size):
        """Um código de code_size números, por onde passa toda a informação"""
        _, model = built(input_shape, code_size)
        try:
            encoder, decoder = split_autoencoder(model)
        except ValueError as problem:
            raise AssertionError(str(problem)) from None
        assert tuple(encoder.output_shape[1:]) == (code_size,), (
            f"a camada 'code' tem saída {encoder.output_shape[1:]}, mas code_size era {code_size}")
        images = np.random.default_rng(0).standard_normal((4, *input_shape)).astype(np.float32)
        direct = np.asarray(model.predict(images, verbose=0))
        through = np.asarray(decoder.predict(encoder.predict(images, verbose=0), verbose=0))
        assert np.allclose(direct, through, atol=1e-4), (
            "a saída não é o decodificador aplicado ao código: toda a informação deve passar pela camada 'code'")

    @pytest.mark.parametrize("input_shape,code_size", MODEL_CASES[1:2])
    def test_convolutional(self, built, input_shape, code_size):
        """Codificador e decodificador convolucionais"""
        _, model = built(input_shape, code_size)
        kinds = [type(layer).__name__ for layer in model.layers]
        code_at = [layer.name for layer in model.layers].index("code")
        assert "Conv2D" in kinds[:code_at], f"o codificador tem as camadas {kinds[:code_at]}: use Conv2D"
        assert {"Conv2DTranspose", "Conv2D", "UpSampling2D"} & set(kinds[code_at + 1:]), (
            f"o decodificador tem as camadas {kinds[code_at + 1:]}: use Conv2DTranspose (ou UpSampling2D e Conv2D)")

    @pytest.mark.parametrize("input_shape,code_size", MODEL_CASES[1:2])
    def test_compiled_for_reconstruction(self, built, input_shape, code_size):
        """Compilado com uma perda de reconstrução"""
        spec, _ = built(input_shape, code_size)
        assert spec.compiled, "o modelo não foi compilado: chame model.compile(optimizer=..., loss='mse')"
        assert loss_name(spec.loss) in RECONSTRUCTION_LOSSES, (
            f"a perda {spec.loss!r} não mede reconstrução: use loss='mse'")

    @pytest.mark.parametrize("input_shape,code_size", MODEL_CASES[1:2])
    def test_parameter_budget(self, built, input_shape, code_size):
        """Um número de parâmetros razoável para treinar numa CPU"""
        _, model = built(input_shape, code_size)
        assert model.count_params() <= MAX_PARAMETERS, (
            f"o autoencoder tem {model.count_params():,} parâmetros para imagens {input_shape}; o limite é "
            f"{MAX_PARAMETERS:,}. Menos filtros ou mais reduções antes do Flatten diminuem as Dense do meio")


@pytest.mark.grade("reconstruction_errors")
class TestReconstructionErrors:
    @pytest.mark.parametrize("seed,shape", [case(s, shape, id=f"aleatório {s}, shape {shape}")
                                            for s in range(2) for shape in ((3, 4, 4, 1), (2, 5, 3, 2))])
    def test_random(self, student, seed, shape):
        """Um erro por imagem, em casos aleatórios"""
        rng = np.random.default_rng(seed)
        X, X_rec = rng.standard_normal(shape), rng.standard_normal(shape)
        expect_close(ref.reconstruction_errors(X, X_rec), student.call("reconstruction_errors", X, X_rec),
                     case=f"shape {shape}", hint="np.mean((X - X_rec) ** 2, axis=(1, 2, 3))")


@pytest.mark.grade("anomaly_threshold")
class TestAnomalyThreshold:
    @pytest.mark.parametrize("seed,rate", [case(s, r, id=f"aleatório {s}, {r:.0%} de alarmes falsos")
                                           for s, r in ((0, 0.05), (1, 0.01), (2, 0.2))])
    def test_random(self, student, seed, rate):
        """O quantil dos erros normais, em casos aleatórios"""
        errors = np.random.default_rng(seed).gamma(2.0, 0.1, 200)
        expect_close(ref.anomaly_threshold(errors, rate), student.call("anomaly_threshold", errors, rate),
                     case=f"false_alarm_rate={rate}", hint="np.quantile(normal_errors, 1 - false_alarm_rate)")

    def test_default_rate(self, student):
        """Sem false_alarm_rate, 5% de alarmes falsos"""
        errors = np.random.default_rng(5).random(60)
        expect_close(ref.anomaly_threshold(errors), student.call("anomaly_threshold", errors),
                     case="padrão", hint="o valor padrão de false_alarm_rate é 0.05")


@pytest.mark.grade("evaluate_detector")
class TestEvaluateDetector:
    @pytest.mark.parametrize("seed", [case(s, id=f"aleatório {s}") for s in range(3)])
    def test_random(self, student, seed):
        """AUC, curva ROC e taxas no limiar, em casos aleatórios"""
        rng = np.random.default_rng(seed)
        y_true = rng.integers(0, 2, 40)
        scores = rng.random(40) + 0.4 * y_true
        threshold = float(np.median(scores))
        expected = ref.evaluate_detector(y_true, scores, threshold)
        got = student.call("evaluate_detector", y_true, scores, threshold)
        assert isinstance(got, dict), f"a função deve devolver um dict, mas devolveu {type(got).__name__}"
        missing = [key for key in expected if key not in got]
        assert not missing, f"faltam as chaves {missing} no dict devolvido"
        for key in ("roc_auc", "detection_rate", "false_alarm_rate"):
            expect_close(expected[key], got[key], case=key,
                         hint="roc_auc_score(y_true, scores); as taxas contam scores > threshold em cada classe")
        for key in ("fpr", "tpr"):
            expect_close(expected[key], got[key], case=key, hint="fpr, tpr, _ = roc_curve(y_true, scores)")


def fixture_data():
    """ELPV at 32x32, standardized here with the reference: functional training and validation
    cells (from the protocol's training split), the protocol's test split and the cell types."""
    X, y, types = load_elpv(FIXTURE_SIZE)
    X = standardize_images(X)
    splits = stratified_split_indices(y, random_state=0)
    functional = np.random.default_rng(1).permutation(splits["train"][y[splits["train"]] == 0])
    fit, val, test = functional[:FIXTURE_TRAIN_IMAGES], functional[-FIXTURE_VAL_IMAGES:], splits["test"]
    return {"train": X[fit], "val": (X[val], types[val]), "test": (X[test], y[test], types[test])}


@pytest.fixture(scope="module")
def elpv_fixture():
    return fixture_data()


def detector_metrics(student, data, rng_seed=TRAINING_RNG_SEED):
    """Trains the student's autoencoder with the student's train_autoencoder in the worker;
    returns, computed here, the reconstruction ratio and the ROC AUC of the type-relative error on
    the test split. ``student`` is the fixture or a Sandbox loaded with the notebook."""
    X_train = data["train"]
    (X_val, val_types), (X_test, y_test, test_types) = data["val"], data["test"]
    model = student.call("build_autoencoder", X_train.shape[1:], FIXTURE_CODE_SIZE, keep=((),), timeout=60,
                         rng_seed=rng_seed)
    student.call("train_autoencoder", model, X_train, X_val, epochs=FIXTURE_EPOCHS, batch_size=32, seed=0,
                 timeout=TRAINING_TIMEOUT, rng_seed=rng_seed)
    spec = student.fetch(model, timeout=60)
    try:
        autoencoder = rebuild(spec)
    except ModelRejected as rejected:
        raise AssertionError(str(rejected)) from None
    if tuple(autoencoder.output_shape[1:]) != X_test.shape[1:]:
        raise AssertionError(f"a saída do autoencoder tem shape {autoencoder.output_shape[1:]}, "
                             f"mas as imagens têm {X_test.shape[1:]}")
    test_errors = ref.reconstruction_errors(X_test, autoencoder.predict(X_test, batch_size=128, verbose=0))
    val_errors = ref.reconstruction_errors(X_val, autoencoder.predict(X_val, batch_size=128, verbose=0))
    mean_image = X_train.mean(axis=0, keepdims=True)
    functional = y_test == 0
    ratio = test_errors[functional].mean() / ref.reconstruction_errors(X_test[functional], np.broadcast_to(
        mean_image, X_test[functional].shape)).mean()
    relative = test_errors.copy()
    for kind in np.unique(test_types):
        relative[test_types == kind] /= max(np.median(val_errors[val_types == kind]), 1e-12)
    auc = roc_auc_score(y_test, relative)
    return {"reconstruction_ratio": float(ratio), "auc": float(auc)}


@pytest.fixture(scope="module")
def trained_metrics(student, elpv_fixture):
    return detector_metrics(student, elpv_fixture)


@pytest.mark.grade("train_autoencoder")
class TestTrainAutoencoder:
    def test_reconstructs_better_than_the_mean_image(self, trained_metrics):
        """O autoencoder treinado reconstrói células funcionais novas melhor que a imagem média"""
        ratio = trained_metrics["reconstruction_ratio"]
        assert ratio < RECONSTRUCTION_RATIO_LIMIT, (
            f"depois do treino, o erro de reconstrução das células funcionais do teste é {ratio:.2f} vezes o de "
            "responder sempre a imagem média do treino (esperado abaixo de "
            f"{RECONSTRUCTION_RATIO_LIMIT}). Confira se train_autoencoder treina o modelo recebido com "
            "model.fit(X_train, X_train, ...), com a entrada como alvo")

    @pytest.mark.parametrize("tier", [case(t, id=f"AUC >= {t:.2f}") for t in AUC_TIERS])
    def test_detection_tier(self, trained_metrics, tier):
        """O erro de reconstrução separa células defeituosas de funcionais (AUC)"""
        auc = trained_metrics["auc"]
        assert auc >= tier, (
            f"AUC {auc:.3f} no teste, abaixo de {tier:.2f} (erro relativo ao tipo de célula, com "
            f"{FIXTURE_TRAIN_IMAGES} células funcionais {FIXTURE_SIZE}x{FIXTURE_SIZE}, código de "
            f"{FIXTURE_CODE_SIZE} e {FIXTURE_EPOCHS} épocas). Confira se a validação guarda os melhores "
            "pesos (restore_best_weights) e se o modelo treina todas as épocas pedidas")
