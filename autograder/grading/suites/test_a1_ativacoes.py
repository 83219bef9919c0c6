"""Hidden suite of a1_ativacoes: each function against the reference on seeded random cases."""
import numpy as np
import pytest

from autograder.grading import expect
from autograder.grading.caches import expect_usable_cache, grade_backward
from autograder.grading.expect import case, diagnose, expect_close, numerical_gradients
from autograder.sandbox.trusted_side import StudentCodeError
from solutions import activations as ref

SEEDS = range(4)
SHAPES = [(6,), (3, 4), (2, 3, 2, 2)]
RANDOM_SHAPES = [case(seed, shape, id=f"aleatório {seed}, shape {shape}") for seed in SEEDS for shape in SHAPES]


def random_array(seed, shape):
    return expect.random_array(seed, shape, scale=3.0)


def expect_reference(student, function, *args, case, hint=None, mistakes=(), when_raising=None, **kwargs):
    """The student's function against the reference on the same arguments. ``mistakes``: typical
    wrong values (value, hint), recomputed here, that name the slip when the student's output
    reproduces one (``hint`` otherwise). ``when_raising``: (piece of the error, hint) for the
    errors a naive formula raises on these arguments (math.exp's OverflowError...)."""
    expected = getattr(ref, function)(*args, **kwargs)
    try:
        got = student.call(function, *args, **kwargs)
    except StudentCodeError as error:
        if when_raising and when_raising[0] in str(error):
            raise AssertionError(f"{case}: a sua função lançou um erro: {error.brief}\ndica: {when_raising[1]}") from None
        raise
    expect_close(expected, got, case=case, hint=diagnose(got, expected, mistakes, default=hint))


def expect_forward(student, layer, x, *, case, hint=None, mistakes=(), **kwargs):
    """The output of the student's ``<layer>_forward``, a pair (out, cache), against the reference."""
    out, _ = student.forward(f"{layer}_forward", x, **kwargs)
    expected = getattr(ref, f"{layer}_forward")(x, **kwargs)[0]
    expect_close(expected, out, case=case, hint=diagnose(out, expected, mistakes, default=hint))


def expect_backward(student, layer, x, dout, *, case, hint=None, numerical=False, mistakes=(), **kwargs):
    """The student's ``<layer>_backward`` against the reference backward or, with ``numerical``,
    centered differences of the reference forward; on the cache of the student's own forward
    where it works with that backward, else on the reference's (caches.grade_backward).
    ``mistakes``: (wrong dx, hint) diagnoses."""
    forward = getattr(ref, f"{layer}_forward")
    if numerical:
        (expected,) = numerical_gradients(lambda v: forward(v, **kwargs), [x], dout)
    else:
        expected = getattr(ref, f"{layer}_backward")(dout, forward(x, **kwargs)[1])
    expected = expected + 0.0  # no -0 in the feedback (dout * 0 where dout < 0)

    def check(got):
        expect_close(expected, got, case=case, hint=diagnose(got, expected, mistakes, default=hint),
                     tolerance=1e-5 if numerical else expect.REL_TOLERANCE)

    grade_backward(student, f"{layer}_forward", (x,), (dout,), check, kwargs=kwargs, reference=forward)


def expect_forward_cache(student, layer, x, dout, *, case, **kwargs):
    """The forward's test_cache: the cache of the student's ``<layer>_forward`` is the documented
    one, or one the student's backward reads."""
    forward = getattr(ref, f"{layer}_forward")
    expected = getattr(ref, f"{layer}_backward")(dout, forward(x, **kwargs)[1])
    expect_usable_cache(student, f"{layer}_forward", (x,), (dout,), expected, case=case, kwargs=kwargs,
                        reference=forward, inputs={"x": x})


def with_zeros(seed, shape):
    """A random array whose every third element (from the first) is exactly 0: the kink."""
    x = random_array(seed, shape)
    x.flat[::3] = 0.0
    return x


def relu_backward_mistakes(x, dout):
    """Typical wrong ReLU gradients on (x, dout): (dx, hint)."""
    return [
        (dout * (x >= 0), RELU_AT_ZERO),
        (dout * (x < 0), "a máscara está invertida: o gradiente passa onde x era POSITIVO e é zerado no resto."),
        (dout * (x <= 0), "a máscara está invertida: o gradiente passa onde x era POSITIVO e é zerado no resto."),
        (dout * np.maximum(x, 0), "a derivada da ReLU é 0 ou 1 (uma máscara), não o valor de ReLU(x): "
                                  "multiplique dout pela máscara de x > 0."),
        (dout * x, "a derivada da ReLU é 0 ou 1 (uma máscara), não o próprio x: multiplique dout pela máscara."),
        (x > 0, "faltou a regra da cadeia: multiplique a máscara pelo dout recebido."),
    ]


def leaky_backward_mistakes(x, dout, alpha):
    """Typical wrong leaky ReLU gradients on (x, dout): (dx, hint)."""
    return [
        (dout * np.where(x >= 0, 1.0, alpha), LEAKY_AT_ZERO),
        (np.where(x > 0, dout, alpha), "onde x <= 0, a derivada alpha também multiplica dout (regra da cadeia)."),
        (dout * np.where(x > 0, alpha, 1.0), "alpha é a inclinação da parte NEGATIVA: onde x > 0 a derivada é 1."),
        (dout * (x > 0), "na Leaky ReLU o gradiente não é zerado onde x <= 0: ele é multiplicado por alpha."),
        (dout * np.where(x > 0, x, alpha * x), "a derivada é 1 ou alpha (uma inclinação), não o valor da saída."),
    ]


RELU_AT_ZERO = ("convenção em x == 0: a ReLU não é derivável ali, e por convenção (a do TensorFlow) a derivada em "
                "x == 0 é 0: o gradiente passa só onde x > 0, estritamente.")
LEAKY_AT_ZERO = ("convenção em x == 0: na Leaky ReLU, x == 0 fica na parte de inclinação alpha (x <= 0), como diz a "
                 "docstring; ali o gradiente é alpha * dout, não dout.")


@pytest.mark.grade("neuron_forward")
class TestNeuronForward:
    @pytest.mark.parametrize("seed,d", [case(s, d, id=f"aleatório {s}, d={d}") for s in SEEDS for d in (1, 3, 7)])
    def test_random(self, student, seed, d):
        """Soma ponderada em casos aleatórios"""
        x, w = random_array(seed, d), random_array(seed + 100, d)
        b = float(random_array(seed + 200, ()))
        dot = float(np.dot(x, w))
        expect_reference(student, "neuron_forward", x, w, b, case=f"d={d}",
                         hint="z = soma de x[i] * w[i], mais b (uma vez).", mistakes=[
                             (dot + d * b, "o bias entra uma vez só, depois da soma: não o some a cada x[i] * w[i]."),
                             (dot, "parece que o bias b não foi somado."),
                             (float(np.sum(x + w)) + b, "cada entrada é MULTIPLICADA pelo seu peso (x[i] * w[i]), "
                                                        "e os produtos é que são somados."),
                         ])

    def test_bias_only(self, student):
        """Só o bias é diferente de zero"""
        expect_close(2.5, student.call("neuron_forward", np.zeros(4), np.ones(4), 2.5),
                     case="entradas zero, bias 2.5", hint="só o bias é diferente de zero: confira b.")


OVERFLOW = ("OverflowError", "math.exp estoura para |x| grande (e math só aceita números): trabalhe com arrays do "
                             "numpy e use exp(-|x|), que nunca estoura.")


@pytest.mark.grade("sigmoid")
class TestSigmoid:
    @pytest.mark.parametrize("seed,shape", RANDOM_SHAPES)
    def test_random(self, student, seed, shape):
        """Sigmoide em casos aleatórios"""
        x = random_array(seed, shape)
        expect_reference(student, "sigmoid", x, case=f"shape {shape}", when_raising=OVERFLOW, mistakes=[
            (ref.sigmoid(-x), "confira o sinal do expoente: sigma(x) = 1 / (1 + exp(-x)); o seu resultado é sigma(-x)."),
            (np.exp(-x), "faltou o 1 + ... no denominador: sigma(x) = 1 / (1 + exp(-x))."),
        ])

    def test_extremes(self, student):
        """Valores extremos (|x| até 1e4) sem NaN"""
        expect_reference(student, "sigmoid", np.array([-1e4, -750.0, -30.0, 0.0, 30.0, 750.0, 1e4]),
                         case="|x| até 1e4", hint="use exp(-|x|) para não estourar.", when_raising=OVERFLOW)


@pytest.mark.grade("tanh")
class TestTanh:
    @pytest.mark.parametrize("seed,shape", RANDOM_SHAPES)
    def test_random(self, student, seed, shape):
        """Tanh em casos aleatórios"""
        x = random_array(seed, shape)
        expect_reference(student, "tanh", x, case=f"shape {shape}", when_raising=OVERFLOW, mistakes=[
            (ref.sigmoid(x), "isso é a sigmoide; a tanh vai de -1 a 1: (e^x - e^-x) / (e^x + e^-x)."),
            (2 * ref.sigmoid(x) - 1, "tanh(x) = 2*sigma(2x) - 1: o argumento da sigmoide é 2x."),
        ])

    def test_extremes(self, student):
        """Valores extremos"""
        expect_reference(student, "tanh", np.array([-1e4, -20.0, 0.0, 20.0, 1e4]), case="|x| até 1e4",
                         when_raising=OVERFLOW,
                         hint="para |x| grande, e^x estoura e a fórmula direta vira inf/inf = nan: reescreva-a com "
                              "exp(-2|x|), que nunca estoura, ou use a tanh pronta do numpy.")


SOFTMAX_AXIS_HINT = "faça max, exp e soma ao longo de axis, com keepdims=True."


def softmax_mistakes(z, axis):
    """Typical wrong softmaxes of z along ``axis``: (p, hint)."""
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return [
        (ref.softmax(z, axis=-1), "use o argumento axis recebido, não um eixo fixo: aqui axis="
                                  f"{axis}, e as probabilidades somam 1 ao longo dele."),
        (ref.softmax(z, axis=0), "use o argumento axis recebido, não um eixo fixo: aqui axis="
                                 f"{axis}, e as probabilidades somam 1 ao longo dele."),
        (e / e.sum(), "a soma do denominador é ao longo de axis (uma distribuição por linha), não do array inteiro."),
        (np.exp(z) / np.exp(z).sum(), "a soma do denominador é ao longo de axis (uma distribuição por linha), "
                                      "não do array inteiro."),
    ]


@pytest.mark.grade("softmax")
class TestSoftmax:
    @pytest.mark.parametrize("seed,shape,axis", [
        case(s, shape, axis, id=f"aleatório {s}, shape {shape}, axis={axis}")
        for s in SEEDS for shape, axis in (((5,), -1), ((4, 3), -1), ((4, 3), 0), ((2, 3, 4), 1))])
    def test_random(self, student, seed, shape, axis):
        """Softmax em casos aleatórios"""
        z = random_array(seed, shape)
        expect_reference(student, "softmax", z, axis=axis, case=f"shape {shape}, axis={axis}",
                         hint=SOFTMAX_AXIS_HINT, mistakes=softmax_mistakes(z, axis))

    def test_large_scores(self, student):
        """Pontuações grandes (estabilidade)"""
        expect_reference(student, "softmax", np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]]),
                         case="pontuações de ±1000", hint="subtraia o máximo de cada linha antes da exp.")

    def test_rows_far_apart(self, student):
        """Linhas em escalas muito diferentes (o máximo de cada linha)"""
        z = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -1002.0]])
        expect_reference(student, "softmax", z, case="uma linha perto de 1000, outra perto de -1000",
                         hint="subtraia o máximo de CADA linha (ao longo de axis, com keepdims=True), não o máximo do "
                              "array inteiro: longe do máximo global, todas as exp de uma linha viram 0 e 0/0 = nan.")


RELU_HINT = "dx = dout onde x > 0 e 0 onde x <= 0."


@pytest.mark.grade("relu_forward")
class TestReluForward:
    @pytest.mark.parametrize("seed,shape", RANDOM_SHAPES)
    def test_random(self, student, seed, shape):
        """ReLU em casos aleatórios"""
        x = random_array(seed, shape)
        expect_forward(student, "relu", x, case=f"shape {shape}", mistakes=[
            (np.max(x, 0), "np.max(x, 0) é o maior elemento ao longo do eixo 0 (ele reduz o array); para comparar "
                           "cada elemento com 0, use a versão elemento a elemento, np.maximum."),
            (np.abs(x), "os negativos viram 0, não o seu valor absoluto."),
            (np.minimum(x, 0), "a ReLU guarda os POSITIVOS e zera os negativos."),
        ])

    def test_cache(self, student):
        """O cache devolvido serve ao relu_backward"""
        expect_forward_cache(student, "relu", with_zeros(13, (3, 4)), random_array(14, (3, 4)), case="shape (3, 4)")


@pytest.mark.grade("relu_backward")
class TestReluBackward:
    @pytest.mark.parametrize("seed,shape", RANDOM_SHAPES)
    def test_random(self, student, seed, shape):
        """Gradiente da ReLU em casos aleatórios"""
        x, dout = random_array(seed, shape), random_array(seed + 50, shape)
        expect_backward(student, "relu", x, dout, case=f"shape {shape}", hint=RELU_HINT,
                        mistakes=relu_backward_mistakes(x, dout))

    def test_numerical_gradient(self, student):
        """Gradiente igual ao gradiente numérico"""
        expect_backward(student, "relu", random_array(7, (3, 5)), random_array(8, (3, 5)), numerical=True,
                        case="diferenças centradas", hint=RELU_HINT)

    def test_gradient_at_zero(self, student):
        """Convenção: em x == 0 o gradiente da ReLU é 0"""
        x, dout = with_zeros(11, (4, 6)), random_array(12, (4, 6))
        expect_backward(student, "relu", x, dout, case="x com zeros exatos", hint=RELU_AT_ZERO,
                        mistakes=relu_backward_mistakes(x, dout))


ALPHA_CASES = [case(s, a, id=f"aleatório {s}, alpha={a}") for s in SEEDS for a in (0.01, 0.2, 0.5)]
LEAKY_HINT = "a derivada é 1 onde x > 0 e alpha onde x <= 0."


@pytest.mark.grade("leaky_relu_forward")
class TestLeakyReluForward:
    @pytest.mark.parametrize("seed,alpha", ALPHA_CASES)
    def test_random(self, student, seed, alpha):
        """Leaky ReLU em casos aleatórios"""
        x = random_array(seed, (4, 5))
        expect_forward(student, "leaky_relu", x, alpha=alpha, case=f"alpha={alpha}",
                       hint="x onde x > 0 e alpha * x onde x <= 0, com o alpha recebido.", mistakes=[
                           (ref.leaky_relu_forward(x, alpha=0.01)[0], "use o alpha recebido, não um valor fixo."),
                           (np.where(x > 0, alpha * x, x), "alpha multiplica só a parte NEGATIVA (x <= 0); os "
                                                           "positivos passam sem mudança."),
                           (alpha * x, "alpha multiplica só a parte NEGATIVA (x <= 0); os positivos passam sem "
                                       "mudança."),
                           (np.maximum(x, 0), "na Leaky ReLU os negativos não viram 0: são multiplicados por alpha."),
                       ])

    def test_cache(self, student):
        """O cache devolvido serve ao leaky_relu_backward"""
        expect_forward_cache(student, "leaky_relu", with_zeros(15, (3, 4)), random_array(16, (3, 4)), alpha=0.2,
                             case="shape (3, 4), alpha=0.2")


@pytest.mark.grade("leaky_relu_backward")
class TestLeakyReluBackward:
    @pytest.mark.parametrize("seed,alpha", ALPHA_CASES)
    def test_random(self, student, seed, alpha):
        """Gradiente da Leaky ReLU em casos aleatórios"""
        x, dout = random_array(seed, (4, 5)), random_array(seed + 50, (4, 5))
        expect_backward(student, "leaky_relu", x, dout, alpha=alpha, case=f"alpha={alpha}", hint=LEAKY_HINT,
                        mistakes=leaky_backward_mistakes(x, dout, alpha))

    def test_numerical_gradient(self, student):
        """Gradiente igual ao gradiente numérico"""
        expect_backward(student, "leaky_relu", random_array(9, (3, 5)), random_array(10, (3, 5)), alpha=0.2,
                        numerical=True, case="diferenças centradas, alpha=0.2", hint=LEAKY_HINT)

    def test_gradient_at_zero(self, student):
        """Convenção: em x == 0 o gradiente da Leaky ReLU é alpha * dout"""
        x, dout = with_zeros(13, (4, 6)), random_array(14, (4, 6))
        expect_backward(student, "leaky_relu", x, dout, alpha=0.2, case="x com zeros exatos, alpha=0.2",
                        hint=LEAKY_AT_ZERO, mistakes=leaky_backward_mistakes(x, dout, 0.2))
