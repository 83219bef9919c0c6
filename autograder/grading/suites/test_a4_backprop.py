"""Hidden suite of a4_backprop: the dense layer, the losses, gradient checking, dropout and the
optimizers, each against the reference on seeded random cases and the 2-2-2 example of the
slides; every gradient also against centered differences of the reference forward.

Where a wrong answer is a typical mistake, the test recomputes that mistake here (trusted side)
from the same inputs and, when the student's output reproduces it, names it in the hint.
"""
import numpy as np
import pytest
from dlhelpers.checks import difference, returned_parts
from dlhelpers.worked_examples import (
    APPLE_HIDDEN_GRADIENT,
    APPLE_LEARNING_RATE,
    apple_features,
    apple_first_hidden_unit,
    apple_hidden_outputs,
    apple_network_outputs,
    apple_output_weights,
    apple_targets,
    dropout_example,
)

from autograder.grading.caches import expect_usable_cache, grade_backward
from autograder.grading.expect import (
    REL_TOLERANCE,
    case,
    diagnose,
    expect_close,
    expect_parts,
    numerical_gradients,
    random_array,
    relatively_close,
)
from autograder.sandbox.wire import PROBES, Probe
from solutions import backprop as ref

SEEDS = range(3)
GRAD_TOLERANCE = 1e-5  # against numerical gradients
LOSS_NAMES = ("loss", "gradiente")


def loss_and_gradient(student, function, *args, case):
    """(loss, gradient) of the student's loss function. A loss that comes back as a one-element
    array counts as a number: the wire format turns a 0-d array (np.float64 is fine) into shape (1,)."""
    loss, grad = returned_parts(student.call(function, *args), LOSS_NAMES, case)
    if isinstance(loss, np.ndarray) and loss.size == 1:
        loss = loss.reshape(())
    return loss, grad


def expect_loss_part(student, function, inputs, name, *, case, mistakes=(), default=None, expected=None,
                     tolerance=REL_TOLERANCE):
    """The loss or the gradient (``name``) of the student's loss function against ``expected``
    (default: the reference's), with the hint of a typical mistake the student's value reproduces."""
    position = LOSS_NAMES.index(name)
    got = loss_and_gradient(student, function, *inputs, case=case)[position]
    if expected is None:
        expected = getattr(ref, function)(*inputs)[position]
    expect_close(expected, got, case=f"{case}, {'perda' if name == 'loss' else name}", tolerance=tolerance,
                 hint=diagnose(got, expected, mistakes, default=default))


def expect_array_shape(got, shape, case):
    """Fails unless ``got`` is a finite numeric array of this shape (values not compared)."""
    problem = difference(np.zeros(shape), got, close=lambda have, want: np.ones(np.shape(have), dtype=bool))
    if problem:
        raise AssertionError(f"{case}: {problem}")
    return np.asarray(got, dtype=np.float64)


# --- the 2-2-2 network of the slides (seed 002) ------------------------------------------------

def slide_output_delta():
    output = apple_network_outputs()
    _, d_output = ref.mse_loss(output, apple_targets())
    return d_output * output * (1 - output)  # [[0.14559, -0.04659]]


# --- dense -------------------------------------------------------------------------------------

DENSE_SHAPES = [(1, 1, 1), (1, 3, 2), (2, 4, 3), (3, 1, 5), (4, 7, 2), (5, 3, 6), (2, 5, 5)]
DENSE_CASES = [case(seed, shape, id=f"aleatório {seed}, m={shape[0]}, d={shape[1]}, k={shape[2]}")
               for seed in SEEDS for shape in DENSE_SHAPES]


def dense_inputs(seed, shape):
    m, d, k = shape
    return random_array(seed, (m, d)), random_array(seed + 10, (d, k)), random_array(seed + 20, (k,))


def dense_mistakes(dout, x, W):
    """Typical wrong (dx, dW, db) of a dense backward."""
    m = len(x)
    right = (dout @ W.T, x.T @ dout, dout.sum(axis=0))
    return [
        ((right[0], right[1], dout.sum(axis=1)),
         "db soma dout ao longo dos exemplos (axis=0), não dos neurônios: o shape de db é o de b, (k,)."),
        ((right[0], right[1], dout.sum()),
         "db soma só ao longo dos exemplos (axis=0): um valor por neurônio, shape (k,)."),
        ((right[0] / m, right[1] / m, right[2] / m),
         "não divida por m: a média da perda já está em dout."),
        ((right[0], right[1], dout.mean(axis=0)),
         "db é a SOMA de dout ao longo dos exemplos, sem dividir por m."),
        ((dout @ W if W.shape[0] == W.shape[1] else None, right[1], right[2]),
         "dx = dout @ W.T: (m, k) @ (k, d) dá o shape de x."),
        ((right[0], dout.T @ x, right[2]), "dW = x.T @ dout, com o shape de W, (d, k)."),
    ]


DENSE_HINTS = {"dx": "dx = dout @ W.T.", "dW": "dW = x.T @ dout.", "db": "db = dout.sum(axis=0)."}
DENSE_NAMES = ("dx", "dW", "db")


def expect_dense_forward(student, x, W, b, *, case, hint, mistakes=()):
    """The output of the student's dense_forward, a pair (out, cache), against the reference, with
    the hint of a typical mistake (value, hint) the output reproduces, else ``hint``."""
    out, _ = student.forward("dense_forward", x, W, b)
    expected = ref.dense_forward(x, W, b)[0]
    expect_close(expected, out, case=case, hint=diagnose(out, expected, mistakes, default=hint))


def expect_dense_backward(student, x, W, b, dout, *, case, hints=DENSE_HINTS, expected=None, tolerance=REL_TOLERANCE):
    """The student's dense_backward against ``expected`` (default: the reference's gradients), with
    the hints of the typical mistakes; on the cache of the student's dense_forward where it works
    with that backward, else on the reference's (caches.grade_backward)."""
    if expected is None:
        expected = ref.dense_backward(dout, ref.dense_forward(x, W, b)[1])

    def check(got):
        expect_parts(expected, got, DENSE_NAMES, case=case, hints=hints, mistakes=dense_mistakes(dout, x, W),
                     tolerance=tolerance)

    grade_backward(student, "dense_forward", (x, W, b), (dout,), check, reference=ref.dense_forward)


@pytest.mark.grade("dense_forward")
class TestDenseForward:
    @pytest.mark.parametrize("seed,shape", DENSE_CASES)
    def test_random(self, student, seed, shape):
        """Camada densa em casos aleatórios"""
        x, W, b = dense_inputs(seed, shape)
        expect_dense_forward(student, x, W, b, case=f"m={shape[0]}, d={shape[1]}, k={shape[2]}", mistakes=[
            (x @ W, "faltou somar o bias b a cada linha."),
            (x @ W + b.sum(), "some b[c] à coluna c (broadcasting de b com shape (k,)), não a soma de b."),
        ], hint="out = x @ W + b: produto de matrizes (m, d) @ (d, k), mais b somado a cada linha.")

    def test_slide_first_hidden_unit(self, student):
        """Exemplo 2-2-2 do slide: primeiro neurônio oculto"""
        expect_dense_forward(student, apple_features(), *apple_first_hidden_unit(),
                             case="maçã (0.22, 0.93), w = (0.11, 0.25), b = 0.30",
                             hint="0.11*0.22 + 0.25*0.93 + 0.30 = 0.5567.")

    def test_bias_only(self, student):
        """Só o bias é diferente de zero"""
        expect_dense_forward(student, np.zeros((3, 2)), random_array(5, (2, 4)), np.array([1.5, -1.0, 0.25, 2.0]),
                             case="entradas zero",
                             hint="só o bias é diferente de zero: confira b, somado a cada linha.")

    def test_cache(self, student):
        """O cache devolvido serve ao dense_backward"""
        x, W, b = dense_inputs(7, (3, 4, 2))
        dout = random_array(37, (3, 2))
        expect_usable_cache(student, "dense_forward", (x, W, b), (dout,),
                            ref.dense_backward(dout, ref.dense_forward(x, W, b)[1]), case="m=3, d=4, k=2",
                            reference=ref.dense_forward, inputs={"x": x, "W": W, "b": b})


@pytest.mark.grade("dense_backward")
class TestDenseBackward:
    @pytest.mark.parametrize("seed,shape", DENSE_CASES)
    def test_random(self, student, seed, shape):
        """Gradientes da camada densa em casos aleatórios"""
        expect_dense_backward(student, *dense_inputs(seed, shape), random_array(seed + 30, (shape[0], shape[2])),
                              case=f"m={shape[0]}, d={shape[1]}, k={shape[2]}")

    @pytest.mark.parametrize("seed,shape", [case(s, shape, id=f"m={shape[0]}, d={shape[1]}, k={shape[2]}")
                                            for s, shape in enumerate([(1, 2, 3), (3, 4, 2), (5, 3, 3)])])
    def test_numerical_gradient(self, student, seed, shape):
        """Gradientes iguais aos gradientes numéricos"""
        x, W, b = dense_inputs(seed + 40, shape)
        dout = random_array(seed + 50, (shape[0], shape[2]))
        expect_dense_backward(student, x, W, b, dout, case="diferenças centradas", tolerance=GRAD_TOLERANCE,
                              expected=tuple(numerical_gradients(ref.dense_forward, [x, W, b], dout)))

    def test_slide_output_layer(self, student):
        """Exemplo 2-2-2 do slide: camada de saída (dE/dw5 = 0.09255)"""
        expect_dense_backward(student, apple_hidden_outputs(), apple_output_weights(), np.zeros(2),
                              slide_output_delta(),
                              case="saídas ocultas (0.63569, 0.67195), deltas (0.14559, -0.04659)",
                              hints={**DENSE_HINTS, "dW": "dW = x.T @ dout: dE/dw5 = Saída(h1) * delta_o1 = "
                                                          "0.63569 * 0.14559."})

    def test_slide_hidden_layer(self, student):
        """Exemplo 2-2-2 do slide: camada oculta (dE/dw1 = 0.00185, o valor corrigido)"""
        hidden = apple_hidden_outputs()[0, 0]
        dout = np.array([[APPLE_HIDDEN_GRADIENT * hidden * (1 - hidden)]])
        expect_dense_backward(student, apple_features(), *apple_first_hidden_unit(), dout,
                              case="maçã (0.22, 0.93), dout = 0.03635 * 0.23159",
                              hints={**DENSE_HINTS,
                                     "dW": "dW = x.T @ dout: dE/dw1 = 0.03635 * 0.23159 * 0.22 = 0.00185."})


# --- losses ------------------------------------------------------------------------------------

MSE_SHAPES = [(1, 1), (1, 4), (3, 1), (2, 3), (5, 2), (4,), (2, 3, 2)]
MSE_CASES = [case(seed, shape, id=f"aleatório {seed}, shape {shape}") for seed in range(2) for shape in MSE_SHAPES]


def mse_inputs(seed, shape):
    return random_array(seed, shape), random_array(seed + 10, shape)


def mse_loss_mistakes(y_pred, y):
    diff = y_pred - y
    return [
        (np.sum(diff**2), "a perda é a MÉDIA de (y_pred - y)**2 sobre todos os elementos, não a soma."),
        (np.mean(diff**2) / 2, "sem o fator 1/2: a perda é média((y_pred - y)**2)."),
        (np.sqrt(np.mean(diff**2)), "não tire a raiz: o MSE é a média dos quadrados."),
        (np.mean(np.sum(diff**2, axis=-1)), "divida por todos os elementos (m·k), não só pelo número de exemplos."),
    ]


def mse_gradient_mistakes(y_pred, y):
    diff = y_pred - y
    n, m = diff.size, diff.shape[0]
    return [
        (diff / n, "faltou o 2 da derivada: a derivada de (y_pred - y)**2 é 2 (y_pred - y)."),
        (2 * diff / m, "divida por todos os elementos (N = y_pred.size), não só pelo número de exemplos."),
        (2 * diff, "divida por todos os elementos (N = y_pred.size): a perda é uma média."),
        (diff, "a derivada de média((y_pred - y)**2) é 2 (y_pred - y) / N: faltou o 2 e dividir por N."),
        (-2 * diff / n, "sinal trocado: derive em relação a y_pred, 2 (y_pred - y) / N."),
    ]


@pytest.mark.grade("mse_loss")
class TestMseLoss:
    @pytest.mark.parametrize("seed,shape", MSE_CASES)
    def test_loss(self, student, seed, shape):
        """Valor do MSE em casos aleatórios"""
        y_pred, y = mse_inputs(seed, shape)
        expect_loss_part(student, "mse_loss", (y_pred, y), "loss", case=f"shape {shape}",
                         mistakes=mse_loss_mistakes(y_pred, y),
                         default="média de (y_pred - y)**2 sobre todos os elementos.")

    @pytest.mark.parametrize("seed,shape", MSE_CASES)
    def test_gradient(self, student, seed, shape):
        """Gradiente do MSE em casos aleatórios"""
        y_pred, y = mse_inputs(seed, shape)
        expect_loss_part(student, "mse_loss", (y_pred, y), "gradiente", case=f"shape {shape}",
                         mistakes=mse_gradient_mistakes(y_pred, y),
                         default="dy_pred = 2 (y_pred - y) / N, N = número total de elementos.")

    @pytest.mark.parametrize("seed,shape", [case(0, (3, 2), id="shape (3, 2)"), case(1, (4,), id="shape (4,)")])
    def test_numerical_gradient(self, student, seed, shape):
        """Gradiente igual ao gradiente numérico"""
        y_pred, y = mse_inputs(seed + 60, shape)
        (expected,) = numerical_gradients(lambda p: ref.mse_loss(p, y), [y_pred], 1.0)
        expect_loss_part(student, "mse_loss", (y_pred, y), "gradiente", case=f"diferenças centradas, shape {shape}",
                         mistakes=mse_gradient_mistakes(y_pred, y), expected=expected, tolerance=GRAD_TOLERANCE)

    def test_slide_example(self, student):
        """Exemplo 2-2-2 do slide: E_total = 0.25893 e dE/dSaída(o1) = 0.67657"""
        output, target = apple_network_outputs(), apple_targets()
        name = "saídas (0.68657, 0.74484), alvos (0.01, 0.99)"
        expect_loss_part(student, "mse_loss", (output, target), "loss", case=name,
                         mistakes=mse_loss_mistakes(output, target), default="(0.67657² + 0.24516²) / 2 = 0.25893.")
        expect_loss_part(student, "mse_loss", (output, target), "gradiente", case=name,
                         mistakes=mse_gradient_mistakes(output, target),
                         default="2 (y_pred - y) / N com N = 2: sobra y_pred - y = (0.67657, -0.24516).")


BCE_SHAPES = [(1,), (5,), (3, 2), (4, 1), (2, 2, 2)]
BCE_CASES = [case(seed, shape, id=f"aleatório {seed}, shape {shape}") for seed in range(2) for shape in BCE_SHAPES]
BCE_CASES += [case(2, (6,), id="alvos não binários, shape (6,)")]
EPS = 1e-7


def bce_inputs(seed, shape):
    rng = np.random.default_rng(seed + 70)
    p = rng.uniform(0.03, 0.97, shape)
    y = rng.uniform(0, 1, shape) if seed == 2 else (rng.random(shape) < 0.5).astype(np.float64)
    return p, y


def bce_loss_mistakes(p, y):
    def loss(eps, reduce=np.mean):
        q = np.clip(p, eps, 1 - eps) if eps else p
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(-reduce(y * np.log(q) + (1 - y) * np.log(1 - q)))
    return [
        (loss(EPS, np.sum), "a perda é a MÉDIA sobre os elementos, não a soma."),
        (-loss(EPS), "sinal trocado: a perda é -média(y log p + (1 - y) log(1 - p)), um número positivo."),
        *[(loss(eps), "limite p ao intervalo [1e-7, 1 - 1e-7] (np.clip), como no Keras.")
          for eps in (1e-8, 1e-12, 1e-15, 0)],
    ]


def bce_gradient_mistakes(p, y):
    q = np.clip(p, EPS, 1 - EPS)
    inside = (p >= EPS) & (p <= 1 - EPS)
    raw = (q - y) / (q * (1 - q))
    return [
        (raw / p.size, "onde p foi cortada (fora de [1e-7, 1 - 1e-7]) o gradiente é zero, como no Keras."),
        (raw * inside, "divida por N = p.size: a perda é uma média."),
        (-raw * inside / p.size, "sinal trocado: dL/dp = (p - y) / (p (1 - p)) / N."),
    ]


@pytest.mark.grade("binary_cross_entropy")
class TestBinaryCrossEntropy:
    @pytest.mark.parametrize("seed,shape", BCE_CASES)
    def test_loss(self, student, seed, shape):
        """Valor da entropia cruzada binária em casos aleatórios"""
        p, y = bce_inputs(seed, shape)
        expect_loss_part(student, "binary_cross_entropy", (p, y), "loss", case=f"shape {shape}",
                         mistakes=bce_loss_mistakes(p, y),
                         default="-média(y log p + (1 - y) log(1 - p)) sobre todos os elementos.")

    @pytest.mark.parametrize("seed,shape", BCE_CASES)
    def test_gradient(self, student, seed, shape):
        """Gradiente da entropia cruzada binária em casos aleatórios"""
        p, y = bce_inputs(seed, shape)
        expect_loss_part(student, "binary_cross_entropy", (p, y), "gradiente", case=f"shape {shape}",
                         mistakes=bce_gradient_mistakes(p, y),
                         default="dL/dp = (p - y) / (p (1 - p)) / N, com N = p.size.")

    @pytest.mark.parametrize("seed,shape", [case(0, (4,), id="shape (4,)"), case(1, (2, 3), id="shape (2, 3)")])
    def test_numerical_gradient(self, student, seed, shape):
        """Gradiente igual ao gradiente numérico"""
        p, y = bce_inputs(seed + 5, shape)
        (expected,) = numerical_gradients(lambda q: ref.binary_cross_entropy(q, y), [p], 1.0)
        expect_loss_part(student, "binary_cross_entropy", (p, y), "gradiente",
                         case=f"diferenças centradas, shape {shape}", mistakes=bce_gradient_mistakes(p, y),
                         expected=expected, tolerance=GRAD_TOLERANCE)

    CLIPPED = (np.array([0.0, 1.0, 0.0, 1.0, 1e-9, 1 - 1e-9, 0.3]), np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0]))
    CLIPPED_NAME = "p = (0, 1, 0, 1, 1e-9, 1 - 1e-9, 0.3)"

    def test_clipped_loss(self, student):
        """p exatamente 0 e 1: perda finita, com p cortada em [1e-7, 1 - 1e-7]"""
        expect_loss_part(student, "binary_cross_entropy", self.CLIPPED, "loss", case=self.CLIPPED_NAME,
                         mistakes=bce_loss_mistakes(*self.CLIPPED),
                         default="limite p a [1e-7, 1 - 1e-7] (np.clip) antes do log, como no Keras.")

    def test_clipped_gradient(self, student):
        """p exatamente 0 e 1: gradiente zero onde p foi cortada"""
        expect_loss_part(student, "binary_cross_entropy", self.CLIPPED, "gradiente", case=self.CLIPPED_NAME,
                         mistakes=bce_gradient_mistakes(*self.CLIPPED),
                         default="onde p foi cortada o gradiente é zero; nas outras posições, "
                                 "(p - y) / (p (1 - p)) / N.")


SCE_SHAPES = [(1, 2), (1, 5), (1, 3), (2, 3), (3, 4), (4, 2), (5, 6), (3, 10)]
SCE_CASES = [case(seed, shape, id=f"aleatório {seed}, m={shape[0]}, K={shape[1]}")
             for seed in range(2) for shape in SCE_SHAPES]
LARGE_LOGITS = [
    case(np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]]), np.array([2, 2]),
         id="logits (1000, 1001, 1002) e (-1000, 0, 1000)"),
    case(np.array([[1000.0, -1000.0], [-1000.0, 1000.0], [0.0, 1000.0]]), np.array([1, 1, 0]),
         id="classe certa com logit 2000 abaixo do maior"),
]


def sce_inputs(seed, shape):
    m, n_classes = shape
    logits = random_array(seed + 80, shape, scale=3.0)
    return logits, np.random.default_rng(seed + 90).integers(0, n_classes, m)


def softmax_rows(logits):
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def sce_loss_mistakes(logits, y):
    loss = ref.softmax_cross_entropy(logits, y)[0]
    return [(loss * len(y), "a perda é a MÉDIA sobre os m exemplos, não a soma.")]


def sce_gradient_mistakes(logits, y):
    m = len(y)
    probs = softmax_rows(logits)
    one_hot = np.eye(logits.shape[1])[y]
    return [
        (probs - one_hot, "divida por m: a perda é a média sobre os exemplos."),
        (probs / m, "subtraia 1 na coluna da classe certa de cada linha: (softmax - one_hot) / m."),
        (probs, "o gradiente é (softmax(logits) - one_hot(y)) / m."),
        ((probs - one_hot) / logits.size, "divida só por m (o número de exemplos), não por m·K."),
        ((one_hot - probs) / m, "sinal trocado: (softmax - one_hot) / m."),
    ]


@pytest.mark.grade("softmax_cross_entropy")
class TestSoftmaxCrossEntropy:
    @pytest.mark.parametrize("seed,shape", SCE_CASES)
    def test_loss(self, student, seed, shape):
        """Valor da entropia cruzada em casos aleatórios"""
        logits, y = sce_inputs(seed, shape)
        expect_loss_part(student, "softmax_cross_entropy", (logits, y), "loss", case=f"m={shape[0]}, K={shape[1]}",
                         mistakes=sce_loss_mistakes(logits, y),
                         default="-média_i log(softmax(logits_i)[y_i]), média sobre os m exemplos.")

    @pytest.mark.parametrize("seed,shape", SCE_CASES)
    def test_gradient(self, student, seed, shape):
        """Gradiente da entropia cruzada em casos aleatórios"""
        logits, y = sce_inputs(seed, shape)
        expect_loss_part(student, "softmax_cross_entropy", (logits, y), "gradiente",
                         case=f"m={shape[0]}, K={shape[1]}", mistakes=sce_gradient_mistakes(logits, y),
                         default="(softmax(logits) - one_hot(y)) / m.")

    @pytest.mark.parametrize("seed,shape", [case(0, (1, 4), id="m=1, K=4"), case(1, (3, 3), id="m=3, K=3")])
    def test_numerical_gradient(self, student, seed, shape):
        """Gradiente igual ao gradiente numérico"""
        logits, y = sce_inputs(seed + 3, shape)
        (expected,) = numerical_gradients(lambda z: ref.softmax_cross_entropy(z, y), [logits], 1.0)
        expect_loss_part(student, "softmax_cross_entropy", (logits, y), "gradiente",
                         case=f"diferenças centradas, m={shape[0]}, K={shape[1]}",
                         mistakes=sce_gradient_mistakes(logits, y), expected=expected, tolerance=GRAD_TOLERANCE)

    @pytest.mark.parametrize("logits,y", LARGE_LOGITS)
    def test_large_logits_loss(self, student, logits, y):
        """Logits grandes (±1000): perda sem estouro"""
        expect_loss_part(student, "softmax_cross_entropy", (logits, y), "loss", case="logits de ±1000",
                         mistakes=sce_loss_mistakes(logits, y),
                         default="subtraia o máximo de cada linha e use log softmax = (z - max) - "
                                 "log(soma(exp(z - max))), sem calcular log(0).")

    @pytest.mark.parametrize("logits,y", LARGE_LOGITS)
    def test_large_logits_gradient(self, student, logits, y):
        """Logits grandes (±1000): gradiente sem estouro"""
        expect_loss_part(student, "softmax_cross_entropy", (logits, y), "gradiente", case="logits de ±1000",
                         mistakes=sce_gradient_mistakes(logits, y),
                         default="subtraia o máximo de cada linha antes da exp.")


# --- numerical gradient ------------------------------------------------------------------------

NUMERICAL_CASES = [
    case("sum_of_squares", (5,), None, id="soma(x²), shape (5,)"),
    case("sum_of_squares", (2, 3), None, id="soma(x²), shape (2, 3)"),
    case("sin_times_square", (1,), None, id="soma(sen(x) x²) + soma(x)², shape (1,)"),
    case("sin_times_square", (4,), None, id="soma(sen(x) x²) + soma(x)², shape (4,)"),
    case("sin_times_square", (3, 2), None, id="soma(sen(x) x²) + soma(x)², shape (3, 2)"),
    case("weighted_cubes", (3,), None, id="soma(k x_k³), shape (3,)"),
    case("weighted_cubes", (2, 2, 2), None, id="soma(k x_k³), shape (2, 2, 2)"),
    case("weighted_cubes", (4,), 1e-3, id="soma(k x_k³), h = 1e-3"),
    case("weighted_cubes", (2, 2), 0.1, id="soma(k x_k³), h = 0.1"),
    case("sin_times_square", (3,), 0.05, id="soma(sen(x) x²) + soma(x)², h = 0.05"),
]


def one_sided(f, x, h, forward=True):
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        moved = x.copy()
        moved[index] += h if forward else -h
        grad[index] = (f(moved) - f(x)) / h if forward else (f(x) - f(moved)) / h
    return grad


@pytest.mark.grade("numerical_gradient")
class TestNumericalGradient:
    @pytest.mark.parametrize("probe,shape,h", NUMERICAL_CASES)
    def test_probe(self, student, probe, shape, h):
        """Diferenças centradas de uma função conhecida"""
        x = random_array(len(probe) + len(shape), shape, scale=1.5)
        f = PROBES[probe]
        step = 1e-5 if h is None else h
        expected = ref.numerical_gradient(f, x, h=step)
        got = student.call("numerical_gradient", Probe(probe), x) if h is None else \
            student.call("numerical_gradient", Probe(probe), x, h=h)
        hint = diagnose(got, expected, [
            (one_sided(f, x, step), "use a diferença CENTRADA: (f(x + h e_i) - f(x - h e_i)) / (2h)."),
            (one_sided(f, x, step, forward=False), "use a diferença CENTRADA: (f(x + h e_i) - f(x - h e_i)) / (2h)."),
            (2 * expected, "divida por 2h: a distância entre x + h e x - h é 2h."),
            (expected / 2, "divida por 2h, não por 4h."),
            (ref.numerical_gradient(f, x), "use o h recebido como argumento, não um valor fixo."),
        ], default="para cada posição i, mexa só em x[i] (+h e -h), calcule (f(x+) - f(x-)) / (2h) e devolva "
                   "x[i] ao valor original antes da próxima posição.")
        expect_close(expected, got, case=f"f = {probe}, shape {shape}" + (f", h = {h}" if h else ""),
                     hint=hint)


# --- dropout -----------------------------------------------------------------------------------

BIG = (100, 200)  # 20 000 units: the share of zeros is within about 0.0035 of rate


def no_zero_array(seed, shape):
    """Random values away from zero, so that out / x recovers the mask."""
    rng = np.random.default_rng(seed)
    return rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)


def expect_dropout_values(x, rate, got, case):
    """Every output is 0 or x / (1 - rate): the inverted-dropout convention."""
    out = expect_array_shape(got, x.shape, case)
    scaled = x / (1 - rate)
    ok = (out == 0) | relatively_close(1e-6)(out, scaled)
    if ok.all():
        return out
    kept = out != 0
    if np.allclose(out[kept], x[kept], rtol=1e-6, atol=0):
        hint = "as unidades que sobrevivem são multiplicadas por 1 / (1 - rate) (dropout invertido)."
    elif rate > 0 and np.allclose(out[kept], x[kept] / rate, rtol=1e-6, atol=0):
        hint = "divida por (1 - rate), a probabilidade de MANTER a unidade, não por rate."
    elif np.allclose(out[kept], x[kept] * (1 - rate), rtol=1e-6, atol=0):
        hint = "divida por (1 - rate) em vez de multiplicar."
    else:
        hint = "cada unidade vira 0 (descartada) ou x / (1 - rate) (mantida)."
    first = tuple(int(i) for i in np.argwhere(~ok)[0])
    raise AssertionError(
        f"{case}: {int((~ok).sum())} de {ok.size} saídas não são nem 0 nem x / (1 - rate); primeira na posição "
        f"{first}: x = {x[first]:.6g}, esperado 0 ou {scaled[first]:.6g}, obtido {out[first]:.6g}\ndica: {hint}")


def dropped_units(x, got, case):
    """The mask of dropped units (out == 0) of a training output, after checking that every output
    is 0 or x times one same factor: whatever the scale (its own test: the slide example), so
    that a dropout right everywhere but at the scaling convention loses that test only."""
    out = expect_array_shape(got, x.shape, case)
    kept = out != 0
    if kept.any():
        factor = np.median(out[kept] / x[kept])
        ok = ~kept | relatively_close(1e-6)(out, x * factor)
        if factor > 0 and ok.all():
            return ~kept
        first = tuple(int(i) for i in np.argwhere(~ok if not ok.all() else kept)[0])
        raise AssertionError(
            f"{case}: as saídas não zeradas não são x multiplicado por uma mesma escala positiva; na posição {first}: "
            f"x = {x[first]:.6g}, obtido {out[first]:.6g}\n"
            "dica: cada unidade vira 0 (descartada) ou x vezes a mesma escala (mantida); nada de somar ou "
            "sortear um valor novo por unidade.")
    return ~kept


@pytest.mark.grade("dropout_forward")
class TestDropoutForward:
    @pytest.mark.parametrize("shape,rate", [case((3, 4), 0.3, id="shape (3, 4), rate 0.3"),
                                            case((2, 3, 4, 5), 0.6, id="shape (2, 3, 4, 5), rate 0.6"),
                                            case((7,), 0.5, id="shape (7,), rate 0.5")])
    def test_inference_is_identity(self, student, shape, rate):
        """Na avaliação (training=False) a saída é x"""
        x = no_zero_array(1, shape)
        out, _ = student.forward("dropout_forward", x, rate, False, seed=3)
        expect_close(x, out, case=f"training=False, rate {rate}", hint=diagnose(out, x, [
            (x * (1 - rate), "no dropout invertido a escala é feita no treino: na avaliação devolva x sem mudança."),
            (x / (1 - rate), "na avaliação não escale nem zere nada: devolva x."),
        ], default="fora do treino, devolva x sem zerar nem escalar nada."))

    @pytest.mark.parametrize("shape,rate,seed", [case(BIG, 0.2, 0, id="20 000 unidades, rate 0.2"),
                                                 case(BIG, 0.5, 1, id="20 000 unidades, rate 0.5"),
                                                 case(BIG, 0.7, 2, id="20 000 unidades, rate 0.7"),
                                                 case((2, 3, 4, 5), 0.4, 3, id="shape (2, 3, 4, 5), rate 0.4")])
    def test_training_values(self, student, shape, rate, seed):
        """No treino cada saída é 0 ou x vezes uma mesma escala"""
        x = no_zero_array(seed + 10, shape)
        out, _ = student.forward("dropout_forward", x, rate, True, seed=seed)
        dropped_units(x, out, f"training=True, rate {rate}")

    @pytest.mark.parametrize("rate,seed", [case(r, s, id=f"20 000 unidades, rate {r}")
                                           for s, r in enumerate((0.2, 0.5, 0.7))])
    def test_share_of_zeros(self, student, rate, seed):
        """A fração de unidades zeradas é rate"""
        x = no_zero_array(seed + 20, BIG)
        out, _ = student.forward("dropout_forward", x, rate, True, seed=seed + 100)
        out = expect_array_shape(out, x.shape, f"rate {rate}")
        share = float(np.mean(out == 0))
        margin = 5 * np.sqrt(rate * (1 - rate) / x.size)  # five standard deviations of the sampling error
        if abs(share - rate) > margin:
            hint = ("rate é a probabilidade de DESCARTAR (zerar) cada unidade, não de mantê-la."
                    if abs(share - (1 - rate)) <= margin else
                    "zere cada unidade, independentemente, com probabilidade rate (ex.: onde rng.random(x.shape) < rate).")
            raise AssertionError(f"rate {rate} em {x.size} unidades: {share:.4f} das saídas são zero, esperado "
                                 f"{rate} ± {margin:.4f}\ndica: {hint}")

    def test_rate_zero_keeps_everything(self, student):
        """Com rate = 0 nenhuma unidade é descartada"""
        x = no_zero_array(30, (20, 50))
        out, _ = student.forward("dropout_forward", x, 0.0, True, seed=5)
        expect_close(x, out, case="rate 0, training=True", hint="com rate = 0 a saída é x: nada é zerado e 1/(1 - 0) = 1.")

    def test_same_seed_same_mask(self, student):
        """A mesma semente dá a mesma máscara"""
        x = no_zero_array(31, (40, 50))
        first, _ = student.forward("dropout_forward", x, 0.5, True, seed=123)
        second, _ = student.forward("dropout_forward", x, 0.5, True, seed=123)
        first = dropped_units(x, first, "seed 123, primeira chamada")
        second = dropped_units(x, second, "seed 123, segunda chamada")
        if not np.array_equal(first, second):
            raise AssertionError(
                f"duas chamadas com seed=123: {int((first != second).sum())} de {x.size} unidades mudaram de "
                "destino (zerada numa chamada, mantida na outra)\n"
                "dica: crie o gerador com a semente recebida, np.random.default_rng(seed), a cada chamada.")

    def test_different_seeds_different_masks(self, student):
        """Sementes diferentes dão máscaras diferentes"""
        x = no_zero_array(32, (40, 50))
        first, _ = student.forward("dropout_forward", x, 0.5, True, seed=1)
        second, _ = student.forward("dropout_forward", x, 0.5, True, seed=2)
        if np.array_equal(dropped_units(x, first, "seed 1"), dropped_units(x, second, "seed 2")):
            raise AssertionError("seed=1 e seed=2 deram exatamente a mesma máscara em 2 000 unidades\n"
                                 "dica: use a semente recebida, np.random.default_rng(seed), não uma semente fixa.")

    def test_without_seed(self, student):
        """Sem semente (seed=None) também funciona"""
        x = no_zero_array(33, (30, 40))
        out, _ = student.forward("dropout_forward", x, 0.25, True)
        dropped = dropped_units(x, out, "seed=None, rate 0.25")
        if not 0 < np.mean(dropped) < 0.5:
            raise AssertionError(f"seed=None, rate 0.25 em 1 200 unidades: {np.mean(dropped):.3f} das saídas são zero\n"
                                 "dica: com seed=None o gerador é sorteado, mas a máscara continua com rate de zeros.")

    @pytest.mark.grade("dropout_forward", weight=2)
    def test_slide_example(self, student):
        """Dropout invertido (exemplo do slide): mantidas vezes 1 / (1 - p), a média de x = {1, 2, 3, 4} se preserva"""
        values, rate = dropout_example()
        x = np.tile(values, (2500, 1))
        out, _ = student.forward("dropout_forward", x, rate, True, seed=0)
        out = expect_dropout_values(x, rate, out, "x = {1, 2, 3, 4}, p = 0.25")
        expect_close(x.mean(axis=0), out.mean(axis=0), case="média de cada coluna da saída", tolerance=0.03,
                     hint="o dropout invertido preserva a média: {1, 2, 3, 4} em média.")

    def test_cache(self, student):
        """O cache devolvido serve ao dropout_backward"""
        x, dout = no_zero_array(34, (4, 6)), random_array(35, (4, 6))

        def own_mask(parts):  # the mask the student's forward applied, already scaled
            return expect_array_shape(parts[0], x.shape, "a saída do seu dropout_forward (rate 0.5)") / x

        expect_usable_cache(student, "dropout_forward", (x, 0.5, True), (dout,), lambda parts: dout * own_mask(parts),
                            case="rate 0.5, training=True", kwargs={"seed": 4}, reference=ref.dropout_forward,
                            contract_cache=own_mask,
                            hint="no treino, a máscara já escalada (0 ou 1 / (1 - rate) em cada unidade)")


@pytest.mark.grade("dropout_backward")
class TestDropoutBackward:
    @pytest.mark.parametrize("shape,rate,seed", [case((4, 5), 0.2, 0, id="shape (4, 5), rate 0.2"),
                                                 case((2, 3, 4), 0.5, 1, id="shape (2, 3, 4), rate 0.5"),
                                                 case((50, 40), 0.7, 2, id="shape (50, 40), rate 0.7"),
                                                 case((1, 6), 0.4, 3, id="shape (1, 6), rate 0.4"),
                                                 case((3, 2, 2, 5), 0.25, 4, id="shape (3, 2, 2, 5), rate 0.25")])
    def test_training(self, student, shape, rate, seed):
        """No treino o gradiente passa pela mesma máscara do forward"""
        x, dout = no_zero_array(seed + 40, shape), random_array(seed + 50, shape)

        def check_with_mask(got, mask, case):
            out = x * mask
            expected = dout * mask
            expect_close(expected, got, case=case, hint=diagnose(got, expected, [
                (dout * (out != 0), "o gradiente também é multiplicado por 1 / (1 - rate), a escala do forward."),
                (dout * out, "multiplique dout pela máscara guardada no cache, não pela saída."),
                (dout, "zere o gradiente das unidades descartadas: dx = dout * máscara."),
            ], default="dx = dout * máscara, a mesma máscara (já escalada) do forward, guardada no cache."))

        def own_mask(parts):  # the student's own mask, already scaled
            return expect_array_shape(parts[0], shape, f"a saída do seu dropout_forward (rate {rate})") / x

        grade_backward(
            student, "dropout_forward", (x, rate, True), (dout,), kwargs={"seed": seed}, reference=ref.dropout_forward,
            check=lambda got: check_with_mask(got, ref.dropout_forward(x, rate, True, seed=seed)[1],
                                              f"rate {rate}, dx = dout * máscara do cache"),
            own_check=lambda got, parts: check_with_mask(got, own_mask(parts),
                                                         f"rate {rate}, dx = dout * (saída / x) do mesmo forward"),
            contract_cache=own_mask)

    def test_inference(self, student):
        """Na avaliação o gradiente passa inteiro"""
        x, dout = no_zero_array(60, (3, 4)), random_array(61, (3, 4))
        grade_backward(student, "dropout_forward", (x, 0.5, False), (dout,), reference=ref.dropout_forward,
                       check=lambda got: expect_close(dout, got, case="training=False", hint=(
                           "fora do treino o forward é a identidade, então dx = dout (o cache pode ser None).")))

    def test_rate_zero(self, student):
        """Com rate = 0 o gradiente passa inteiro"""
        x, dout = no_zero_array(62, (5, 3)), random_array(63, (5, 3))
        grade_backward(student, "dropout_forward", (x, 0.0, True), (dout,), kwargs={"seed": 1},
                       reference=ref.dropout_forward,
                       check=lambda got: expect_close(dout, got, case="rate 0, training=True", hint=(
                           "com rate = 0 nenhuma unidade é descartada e a escala é 1: dx = dout.")))


# --- optimizers --------------------------------------------------------------------------------


def param_set(seed, shapes, scale=1.0):
    """Values of either sign with 0.5 <= |value| / scale <= 2: away from zero, so that where eps sits
    (sqrt(v) + eps, as in Keras, or sqrt(v_hat) + eps, as in the paper) shows only in the tests
    written for it."""
    rng = np.random.default_rng(seed)
    return {name: rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape) * scale
            for name, shape in shapes.items()}


NETWORK = {"W1": (3, 4), "b1": (4,), "W2": (4, 2), "b2": (2,)}
SMALL = {"w": (5,)}
ODD = {"kernel": (2, 3, 1), "bias": (1,), "escala": ()}


@pytest.mark.grade("sgd_step")
class TestSgdStep:
    @pytest.mark.parametrize("seed,shapes,lr", [
        case(0, NETWORK, 0.1, id="rede W1, b1, W2, b2, lr 0.1"),
        case(1, NETWORK, 0.01, id="rede W1, b1, W2, b2, lr 0.01"),
        case(2, SMALL, 1.0, id="um vetor w, lr 1"),
        case(3, SMALL, 0.5, id="um vetor w, lr 0.5"),
        case(4, ODD, 0.3, id="shapes (2, 3, 1), (1,) e (), lr 0.3"),
    ])
    def test_random(self, student, seed, shapes, lr):
        """Um passo do SGD em casos aleatórios"""
        params, grads = param_set(seed, shapes), param_set(seed + 10, shapes)
        expected = ref.sgd_step(params, grads, lr)
        got = student.call("sgd_step", params, grads, lr)
        first = next(iter(params))
        hint = "p_novo = p - lr * grad, para cada chave."
        if isinstance(got, dict) and first in got:
            hint = diagnose(got[first], expected[first], [
                (params[first] + lr * grads[first], "ande CONTRA o gradiente: p - lr * grad."),
                (params[first] - grads[first], "multiplique o gradiente pela taxa de aprendizado lr."),
                (-lr * grads[first], "o novo parâmetro é p - lr * grad: faltou o próprio p."),
            ], default=hint)
        expect_close(expected, got, case=f"lr {lr}", hint=hint)

    def test_slide_w5(self, student):
        """Exemplo 2-2-2 do slide: w5 = 0.40, dE/dw5 = 0.09255, eta = 0.5"""
        # shape (1,): the wire format turns 0-d arrays into shape (1,) on the way to the worker
        params, grads = {"w5": apple_output_weights()[0, :1]}, {"w5": np.array([0.09255])}
        expect_close(ref.sgd_step(params, grads, APPLE_LEARNING_RATE),
                     student.call("sgd_step", params, grads, APPLE_LEARNING_RATE),
                     case="w5 - 0.5 * 0.09255", hint="0.40 - 0.5 * 0.09255 = 0.353725.")

    def test_params_not_modified(self, student):
        """O dict params recebido não é modificado"""
        params, grads = param_set(20, NETWORK), param_set(21, NETWORK)
        zeros = {name: np.zeros_like(value) for name, value in params.items()}
        # a copy of params that lives in the worker, passed by reference to the next calls
        kept = student.call("sgd_step", params, zeros, 0.1, keep=((),))
        student.call("sgd_step", kept, grads, 0.1)
        after = student.call("sgd_step", kept, zeros, 0.1)  # reads `kept` back
        expect_close(params, after, case="params depois de um passo",
                     hint="não modifique params (nada de params[k] -= ...): crie um dict novo com p - lr * grad.")


def adam_reference_mistakes(params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-7):
    """Typical wrong Adam steps from the same (right) state: (new params, hint)."""
    state = state or {"t": 0, "m": {k: np.zeros_like(v) for k, v in params.items()},
                      "v": {k: np.zeros_like(v) for k, v in params.items()}}
    t = state["t"] + 1
    mistakes = {}
    for name, value in params.items():
        g = grads[name]
        m = beta1 * state["m"][name] + (1 - beta1) * g
        v = beta2 * state["v"][name] + (1 - beta2) * g**2
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        for key, new in {
            "no_correction": value - lr * m / (np.sqrt(v) + eps),
            "textbook_eps": value - lr * m_hat / (np.sqrt(v_hat) + eps),
            "eps_inside": value - lr * np.sqrt(1 - beta2**t) / (1 - beta1**t) * m / np.sqrt(v + eps),
            "t_fixed": value - lr * np.sqrt(1 - beta2) / (1 - beta1) * m / (np.sqrt(v) + eps),
            "t_late": (value - lr * np.sqrt(1 - beta2**(t - 1)) / (1 - beta1**(t - 1)) * m / (np.sqrt(v) + eps)
                       if t > 1 else None),
        }.items():
            mistakes.setdefault(key, {})[name] = new
    return [
        (mistakes["no_correction"], "faltou a correção de viés: lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t)."),
        (ref.adam_step(params, grads, None, lr, beta1, beta2, eps)[0],
         "use o state do passo anterior (t, m e v acumulados): só o primeiro passo começa do zero."),
        (mistakes["t_fixed"], "incremente t a cada passo e guarde-o no state: a correção de viés usa o t atual."),
        (mistakes["textbook_eps"],
         "como no Keras, eps soma-se a sqrt(v), não a sqrt(v_hat): p - lr_t * m / (sqrt(v) + eps), "
         "com lr_t = lr * sqrt(1 - beta2**t) / (1 - beta1**t)."),
        (mistakes["eps_inside"], "eps fica FORA da raiz: m / (sqrt(v) + eps)."),
        (None if t == 1 else mistakes["t_late"], T_LATE_HINT),
    ]


T_LATE_HINT = ("incremente t ANTES da correção de viés: o primeiro passo usa t = 1 (com t = 0, 1 - beta1**t "
               "é zero e a divisão dá nan).")


ADAM_NAMES = ("params", "state")


def all_finite(values):
    """Whether every value reads as finite numbers (True for what numpy cannot read: compared elsewhere)."""
    try:
        return all(np.isfinite(np.asarray(value, dtype=np.float64)).all() for value in values)
    except (TypeError, ValueError):
        return True


def adam_run(student, params, grads_list, case_name, hint=None, **hyper):
    """Runs the student's Adam for len(grads_list) steps with its own state, comparing every step."""
    ref_params, ref_state = params, None
    got_params, state = params, None
    for step, grads in enumerate(grads_list, start=1):
        expected, next_ref_state = ref.adam_step(ref_params, grads, ref_state, **hyper)
        result = student.call("adam_step", got_params, grads, state, keep=(1,), **hyper)
        got_params, state = returned_parts(result, ADAM_NAMES, f"{case_name}, passo {step}")
        if isinstance(got_params, dict) and set(got_params) == set(expected):
            mistakes = adam_reference_mistakes(ref_params, grads, ref_state, **hyper)
            if hint:
                mistakes += hint(ref_params, grads, ref_state)
            diagnosis = None
            for name in expected:
                diagnosis = diagnosis or diagnose(got_params[name], expected[name],
                                                  [(wrong and wrong[name], text) for wrong, text in mistakes])
            if diagnosis is None and ref_state is None and not all_finite(got_params.values()):
                diagnosis = T_LATE_HINT
        else:
            diagnosis = None
        expect_close(expected, got_params, case=f"{case_name}, passo {step}",
                     hint=diagnosis or "t += 1; m = beta1 m + (1 - beta1) g; v = beta2 v + (1 - beta2) g²; "
                                       "p - lr * sqrt(1 - beta2**t) / (1 - beta1**t) * m / (sqrt(v) + eps).")
        ref_params, ref_state = expected, next_ref_state


def gradient_sequence(seed, shapes, steps, scale=1.0):
    return [param_set(seed + 100 * step, shapes, scale) for step in range(steps)]


HYPER_CASE_VALUES = {"lr": 0.05, "beta1": 0.8, "beta2": 0.95, "eps": 1e-2}


@pytest.mark.grade("adam_step")
class TestAdamStep:
    @pytest.mark.parametrize("seed,shapes,steps", [
        case(seed, shapes, steps, id=f"{label}, {steps} passo{'s' if steps > 1 else ''}")
        for seed, (label, shapes) in enumerate([("rede W1, b1, W2, b2", NETWORK), ("shapes (2, 3, 1), (1,) e ()", ODD)])
        for steps in (1, 2, 5)])
    def test_steps(self, student, seed, shapes, steps):
        """Passos do Adam com o estado devolvido pelo passo anterior"""
        params = param_set(seed, shapes)
        adam_run(student, params, gradient_sequence(seed + 1, shapes, steps), "padrões do Keras")

    @pytest.mark.parametrize("name", list(HYPER_CASE_VALUES))
    def test_hyperparameter(self, student, name):
        """Hiperparâmetro recebido é usado"""
        value = HYPER_CASE_VALUES[name]
        others = {"lr": 0.05, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7}
        others[name] = value
        scale = 1e-2 if name == "eps" else 1.0  # eps matters when sqrt(v) is small
        params = param_set(30, NETWORK)
        grads = gradient_sequence(31, NETWORK, 3, scale)

        def mistakes(params, grads, state):
            given = dict(others)
            given[name] = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-7}[name]
            return [(ref.adam_step(params, grads, state, **given)[0],
                     f"use o {name} recebido como argumento ({value}), não um valor fixo.")]

        adam_run(student, params, grads, f"{name} = {value}", hint=mistakes, **others)

    def test_small_gradients(self, student):
        """Gradientes pequenos: eps somado fora da raiz, como no Keras"""
        params = {"W": np.array([[0.5, -0.5]]), "b": np.array([0.0])}
        grads = [{"W": np.array([[2.0, -0.01]]), "b": np.array([1e-8])},
                 {"W": np.array([[1e-7, 0.3]]), "b": np.array([-2e-8])}]
        adam_run(student, params, grads, "gradientes de 1e-8 a 2")

    def test_slide_like_second_step(self, student):
        """Segundo passo com lr = 0.1 (exemplo do notebook)"""
        params = {"w": np.array([1.0, -2.0, 0.5])}
        grads = [{"w": np.array([0.1, -0.3, 0.0])}, {"w": np.array([0.2, 0.1, -0.4])}]
        adam_run(student, params, grads, "w = (1, -2, 0.5), lr 0.1", lr=0.1)

    def test_state_not_modified(self, student):
        """O state recebido não é modificado"""
        params, shapes = param_set(40, NETWORK), NETWORK
        g1, g2 = gradient_sequence(41, shapes, 2)
        expected1, ref_state = ref.adam_step(params, g1, None)
        expected2, _ = ref.adam_step(expected1, g2, ref_state)
        got1, state = returned_parts(student.call("adam_step", params, g1, None, keep=(1,)), ADAM_NAMES, "passo 1")
        expect_close(expected1, got1, case="passo 1", hint="t += 1; m = beta1 m + (1 - beta1) g; v = beta2 v + "
                     "(1 - beta2) g²; p - lr * sqrt(1 - beta2**t) / (1 - beta1**t) * m / (sqrt(v) + eps).")
        for attempt in ("primeira", "segunda"):
            got2, _ = returned_parts(student.call("adam_step", expected1, g2, state, keep=(1,)), ADAM_NAMES, "passo 2")
            expect_close(expected2, got2, case=f"passo 2 repetido com o mesmo state, {attempt} vez",
                         hint="não modifique o state recebido: devolva um state novo (dicts m e v novos, t + 1).")

    def test_params_not_modified(self, student):
        """O dict params recebido não é modificado"""
        params, grads = param_set(50, NETWORK), param_set(51, NETWORK)
        zeros = {name: np.zeros_like(value) for name, value in params.items()}
        # with zero gradients and no state Adam does not move: a copy of params kept in the worker
        kept, _ = returned_parts(student.call("adam_step", params, zeros, None, keep=((0,),)), ADAM_NAMES, "cópia")
        student.call("adam_step", kept, grads, None, keep=(1,))
        after, _ = returned_parts(student.call("adam_step", kept, zeros, None, keep=(1,)), ADAM_NAMES, "releitura")
        expect_close(params, after, case="params depois de um passo",
                     hint="não modifique params (nada de params[k] -= ...): crie um dict novo.")
