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


@pytest.mark.grade("neuron_forward")
class TestNeuronForward:
    @pytest.mark.parametrize("seed,d", [case(s, d, id=f"aleatório {s}, d={d}") for s in SEEDS for d in (1, 3, 7)])
    def test_random(self, student, seed, d):
        """Soma ponderada em casos aleatórios"""
        x, w = random_array(seed, d), random_array(seed + 100, d)
        b = float(random_array(seed + 200, ()))
        expect_close(ref.neuron_forward(x, w, b), student.call("neuron_forward", x, w, b),
                     case=f"d={d}", hint="z = soma de x[i] * w[i], mais b (uma vez).")

    def test_bias_only(self, student):
        """Só o bias é diferente de zero"""
        expect_close(2.5, student.call("neuron_forward", np.zeros(4), np.ones(4), 2.5),
                     case="entradas zero, bias 2.5", hint="só o bias é diferente de zero: confira b.")


@pytest.mark.grade("sigmoid")
class TestSigmoid:
    @pytest.mark.parametrize("seed,shape", RANDOM_SHAPES)
    def test_random(self, student, seed, shape):
        """Sigmoide em casos aleatórios"""
        x = random_array(seed, shape)
        expect_close(ref.sigmoid(x), student.call("sigmoid", x), case=f"shape {shape}")

    def test_extremes(self, student):
        """Valores extremos (|x| até 1e4) sem NaN"""
        x = np.array([-1e4, -750.0, -30.0, 0.0, 30.0, 750.0, 1e4])
        expect_close(ref.sigmoid(x), student.call("sigmoid", x), case="|x| até 1e4",
                     hint="use exp(-|x|) para não estourar.")


@pytest.mark.grade("tanh")
class TestTanh:
    @pytest.mark.parametrize("seed,shape", RANDOM_SHAPES)
    def test_random(self, student, seed, shape):
        """Tanh em casos aleatórios"""
        x = random_array(seed, shape)
        expect_close(ref.tanh(x), student.call("tanh", x), case=f"shape {shape}")

    def test_extremes(self, student):
        """Valores extremos"""
        x = np.array([-1e4, -20.0, 0.0, 20.0, 1e4])
        expect_close(ref.tanh(x), student.call("tanh", x), case="|x| até 1e4")


@pytest.mark.grade("softmax")
class TestSoftmax:
    @pytest.mark.parametrize("seed,shape,axis", [
        case(s, shape, axis, id=f"aleatório {s}, shape {shape}, axis={axis}")
        for s in SEEDS for shape, axis in (((5,), -1), ((4, 3), -1), ((4, 3), 0), ((2, 3, 4), 1))])
    def test_random(self, student, seed, shape, axis):
        """Softmax em casos aleatórios"""
        z = random_array(seed, shape)
        expect_close(ref.softmax(z, axis=axis), student.call("softmax", z, axis=axis),
                     case=f"shape {shape}, axis={axis}", hint="faça max, exp e soma ao longo de axis, com keepdims=True.")

    def test_large_scores(self, student):
        """Pontuações grandes (estabilidade)"""
        z = np.array([[1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0]])
        expect_close(ref.softmax(z), student.call("softmax", z), case="pontuações de ±1000",
                     hint="subtraia o máximo de cada linha antes da exp.")


@pytest.mark.grade("relu_forward")
class TestReluForward:
    @pytest.mark.parametrize("seed,shape", RANDOM_SHAPES)
    def test_random(self, student, seed, shape):
        """ReLU em casos aleatórios"""
        x = random_array(seed, shape)
        out, _ = student.forward("relu_forward", x)
        expect_close(ref.relu_forward(x)[0], out, case=f"shape {shape}")


@pytest.mark.grade("relu_backward")
class TestReluBackward:
    @pytest.mark.parametrize("seed,shape", RANDOM_SHAPES)
    def test_random(self, student, seed, shape):
        """Gradiente da ReLU em casos aleatórios"""
        x, dout = random_array(seed, shape), random_array(seed + 50, shape)
        x.flat[0] = 0.0  # the kink: the derivative at 0 is taken as 0
        _, cache = student.forward("relu_forward", x)
        _, ref_cache = ref.relu_forward(x)
        expect_close(ref.relu_backward(dout, ref_cache), student.call("relu_backward", dout, cache),
                     case=f"shape {shape}", hint="dx = dout onde x > 0 e 0 onde x <= 0.")

    def test_numerical_gradient(self, student):
        """Gradiente igual ao gradiente numérico"""
        x, dout = random_array(7, (3, 5)), random_array(8, (3, 5))
        _, cache = student.forward("relu_forward", x)
        (expected,) = numerical_gradients(ref.relu_forward, [x], dout)
        expect_close(expected, student.call("relu_backward", dout, cache), case="diferenças centradas",
                     tolerance=1e-5)


@pytest.mark.grade("leaky_relu_forward")
class TestLeakyReluForward:
    @pytest.mark.parametrize("seed,alpha", [case(s, a, id=f"aleatório {s}, alpha={a}") for s in SEEDS for a in (0.01, 0.2, 0.5)])
    def test_random(self, student, seed, alpha):
        """Leaky ReLU em casos aleatórios"""
        x = random_array(seed, (4, 5))
        out, _ = student.forward("leaky_relu_forward", x, alpha=alpha)
        expect_close(ref.leaky_relu_forward(x, alpha)[0], out, case=f"alpha={alpha}",
                     hint="use o alpha recebido, não um valor fixo.")


@pytest.mark.grade("leaky_relu_backward")
class TestLeakyReluBackward:
    @pytest.mark.parametrize("seed,alpha", [case(s, a, id=f"aleatório {s}, alpha={a}") for s in SEEDS for a in (0.01, 0.2, 0.5)])
    def test_random(self, student, seed, alpha):
        """Gradiente da Leaky ReLU em casos aleatórios"""
        x, dout = random_array(seed, (4, 5)), random_array(seed + 50, (4, 5))
        _, cache = student.forward("leaky_relu_forward", x, alpha=alpha)
        _, ref_cache = ref.leaky_relu_forward(x, alpha)
        expect_close(ref.leaky_relu_backward(dout, ref_cache), student.call("leaky_relu_backward", dout, cache),
                     case=f"alpha={alpha}", hint="a derivada é 1 onde x > 0 e alpha onde x <= 0.")

    def test_numerical_gradient(self, student):
        """Gradiente igual ao gradiente numérico"""
        x, dout = random_array(9, (3, 5)), random_array(10, (3, 5))
        _, cache = student.forward("leaky_relu_forward", x, alpha=0.2)
        (expected,) = numerical_gradients(lambda v: ref.leaky_relu_forward(v, 0.2), [x], dout)
        expect_close(expected, student.call("leaky_relu_backward", dout, cache), case="diferenças centradas, alpha=0.2",
                     tolerance=1e-5)
