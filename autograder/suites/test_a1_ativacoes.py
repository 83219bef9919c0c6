"""Hidden suite of a1_ativacoes: each function against the reference on seeded random cases."""
import numpy as np
import pytest

from autograder import expect
from autograder.expect import case, expect_close, numerical_gradients
from solutions import activations as ref

SEEDS = range(4)
SHAPES = [(6,), (3, 4), (2, 3, 2, 2)]
RANDOM_SHAPES = [case(seed, shape, id=f"aleatório {seed}, shape {shape}") for seed in SEEDS for shape in SHAPES]


def random_array(seed, shape):
    return expect.random_array(seed, shape, scale=3.0)


def expect_reference(student, function, *args, case, hint=None, **kwargs):
    """The student's function against the reference on the same arguments."""
    expect_close(getattr(ref, function)(*args, **kwargs), student.call(function, *args, **kwargs), case=case, hint=hint)


def expect_forward(student, layer, x, *, case, hint=None, **kwargs):
    """The output of the student's ``<layer>_forward``, a pair (out, cache), against the reference."""
    out, _ = student.forward(f"{layer}_forward", x, **kwargs)
    expect_close(getattr(ref, f"{layer}_forward")(x, **kwargs)[0], out, case=case, hint=hint)


def expect_backward(student, layer, x, dout, *, case, hint=None, numerical=False, **kwargs):
    """The student's ``<layer>_backward`` on the cache of the student's own forward, against the
    reference backward or, with ``numerical``, centered differences of the reference forward."""
    _, cache = student.forward(f"{layer}_forward", x, **kwargs)
    forward = getattr(ref, f"{layer}_forward")
    if numerical:
        (expected,) = numerical_gradients(lambda v: forward(v, **kwargs), [x], dout)
    else:
        expected = getattr(ref, f"{layer}_backward")(dout, forward(x, **kwargs)[1])
    expect_close(expected, student.call(f"{layer}_backward", dout, cache), case=case, hint=hint,
                 tolerance=1e-5 if numerical else expect.REL_TOLERANCE)


@pytest.mark.grade("neuron_forward")
class TestNeuronForward:
    @pytest.mark.parametrize("seed,d", [case(s, d, id=f"aleatório {s}, d={d}") for s in SEEDS for d in (1, 3, 7)])
    def test_random(self, student, seed, d):
        """Soma ponderada em casos aleatórios"""
        x, w = random_array(seed, d), random_array(seed + 100, d)
        b = float(random_array(seed + 200, ()))
        expect_reference(student, "neuron_forward", x, w, b, case=f"d={d}",
                         hint="z = soma de x[i] * w[i], mais b (uma vez).")

    def test_bias_only(self, student):
        """Só o bias é diferente de zero"""
        expect_close(2.5, student.call("neuron_forward", np.zeros(4), np.ones(4), 2.5),
                     case="entradas zero, bias 2.5", hint="só o bias é diferente de zero: confira b.")


@pytest.mark.grade("sigmoid")
class TestSigmoid:
    @pytest.mark.parametrize("seed,shape", RANDOM_SHAPES)
    def test_random(self, student, seed, shape):
        """Sigmoide em casos aleatórios"""
        expect_reference(student, "sigmoid", random_array(seed, shape), case=f"shape {shape}")

    def test_extremes(self, student):
        """Valores extremos (|x| até 1e4) sem NaN"""
        expect_reference(student, "sigmoid", np.array([-1e4, -750.0, -30.0, 0.0, 30.0, 750.0, 1e4]),
                         case="|x| até 1e4", hint="use exp(-|x|) para não estourar.")


@pytest.mark.grade("tanh")
class TestTanh:
    @pytest.mark.parametrize("seed,shape", RANDOM_SHAPES)
    def test_random(self, student, seed, shape):
        """Tanh em casos aleatórios"""
        expect_reference(student, "tanh", random_array(seed, shape), case=f"shape {shape}")

    def test_extremes(self, student):
        """Valores extremos"""
        expect_reference(student, "tanh", np.array([-1e4, -20.0, 0.0, 20.0, 1e4]), case="|x| até 1e4")


@pytest.mark.grade("softmax")
class TestSoftmax:
    @pytest.mark.parametrize("seed,shape,axis", [
        case(s, shape, axis, id=f"aleatório {s}, shape {shape}, axis={axis}")
        for s in SEEDS for shape, axis in (((5,), -1), ((4, 3), -1), ((4, 3), 0), ((2, 3, 4), 1))])
    def test_random(self, student, seed, shape, axis):
        """Softmax em casos aleatórios"""
        expect_reference(student, "softmax", random_array(seed, shape), axis=axis, case=f"shape {shape}, axis={axis}",
                         hint="faça max, exp e soma ao longo de axis, com keepdims=True.")

    def test_large_scores(self, student):
        """Pontuações grandes (estabilidade)"""
        expect_reference(student, "softmax", np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]]),
                         case="pontuações de ±1000", hint="subtraia o máximo de cada linha antes da exp.")


@pytest.mark.grade("relu_forward")
class TestReluForward:
    @pytest.mark.parametrize("seed,shape", RANDOM_SHAPES)
    def test_random(self, student, seed, shape):
        """ReLU em casos aleatórios"""
        expect_forward(student, "relu", random_array(seed, shape), case=f"shape {shape}")


@pytest.mark.grade("relu_backward")
class TestReluBackward:
    @pytest.mark.parametrize("seed,shape", RANDOM_SHAPES)
    def test_random(self, student, seed, shape):
        """Gradiente da ReLU em casos aleatórios"""
        x, dout = random_array(seed, shape), random_array(seed + 50, shape)
        x.flat[0] = 0.0  # the kink: the derivative at 0 is taken as 0
        expect_backward(student, "relu", x, dout, case=f"shape {shape}", hint="dx = dout onde x > 0 e 0 onde x <= 0.")

    def test_numerical_gradient(self, student):
        """Gradiente igual ao gradiente numérico"""
        expect_backward(student, "relu", random_array(7, (3, 5)), random_array(8, (3, 5)), numerical=True,
                        case="diferenças centradas")


ALPHA_CASES = [case(s, a, id=f"aleatório {s}, alpha={a}") for s in SEEDS for a in (0.01, 0.2, 0.5)]


@pytest.mark.grade("leaky_relu_forward")
class TestLeakyReluForward:
    @pytest.mark.parametrize("seed,alpha", ALPHA_CASES)
    def test_random(self, student, seed, alpha):
        """Leaky ReLU em casos aleatórios"""
        expect_forward(student, "leaky_relu", random_array(seed, (4, 5)), alpha=alpha, case=f"alpha={alpha}",
                       hint="use o alpha recebido, não um valor fixo.")


@pytest.mark.grade("leaky_relu_backward")
class TestLeakyReluBackward:
    @pytest.mark.parametrize("seed,alpha", ALPHA_CASES)
    def test_random(self, student, seed, alpha):
        """Gradiente da Leaky ReLU em casos aleatórios"""
        expect_backward(student, "leaky_relu", random_array(seed, (4, 5)), random_array(seed + 50, (4, 5)),
                        alpha=alpha, case=f"alpha={alpha}", hint="a derivada é 1 onde x > 0 e alpha onde x <= 0.")

    def test_numerical_gradient(self, student):
        """Gradiente igual ao gradiente numérico"""
        expect_backward(student, "leaky_relu", random_array(9, (3, 5)), random_array(10, (3, 5)), alpha=0.2,
                        numerical=True, case="diferenças centradas, alpha=0.2")
