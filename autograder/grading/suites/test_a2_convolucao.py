"""Hidden suite of a2_convolucao: each function against the reference on seeded random cases,
the lectures' worked examples, and numerical gradients for the backward pass."""
import re

import numpy as np
import pytest
from dlhelpers.worked_examples import (
    as_batch,
    as_filter,
    as_filter_1d,
    as_sequence,
    conv1d_example,
    conv_3x3_filter,
    conv_6x6_image,
    feature_map_5x5_image,
    padding_stride_3x3_filter,
    padding_stride_5x5_image,
    stride_3x3_filter,
    stride_7x7_image,
    x_shaped_filter,
)

from autograder.grading.caches import expect_usable_cache, grade_backward
from autograder.grading.expect import (
    case,
    diagnose,
    expect_close,
    expect_parts,
    numerical_gradients,
    random_array,
    rel_error,
)
from autograder.sandbox.trusted_side import StudentCodeError
from solutions import convolution as ref

# Layer geometries: (m, n_H_prev, n_W_prev, n_C_prev, f, n_C, stride, pad, name).
GEOMETRIES = [
    (1, 4, 4, 1, 2, 1, 1, 0, "1 imagem 4x4, 1 canal, filtro 2x2"),
    (2, 5, 7, 3, 3, 2, 1, 1, "5x7 (não quadrada), 3 canais, pad 1"),
    (3, 7, 5, 2, 3, 4, 2, 0, "7x5, stride 2, 4 filtros"),
    (2, 9, 9, 4, 3, 3, 3, 2, "9x9, 4 canais, stride 3, pad 2"),
    (1, 6, 8, 3, 1, 4, 1, 0, "filtro 1x1"),
    (1, 6, 7, 2, 1, 2, 3, 1, "filtro 1x1, stride 3, pad 1"),
    (2, 5, 5, 2, 5, 3, 1, 0, "janela do tamanho da entrada (saída 1x1)"),
    (2, 3, 3, 2, 5, 2, 1, 1, "janela do tamanho da entrada com padding"),
    (3, 8, 6, 2, 3, 2, 2, 0, "janelas que não alcançam a última linha e coluna"),
    (1, 9, 7, 3, 4, 2, 3, 1, "filtro par 4x4, stride 3, pad 1"),
    (2, 6, 9, 1, 2, 4, 2, 2, "pad 2, stride 2"),
    (1, 2, 9, 2, 2, 3, 1, 0, "altura 2, largura 9"),
    (3, 5, 4, 4, 3, 1, 1, 2, "pad 2, um único filtro"),
    (2, 7, 7, 3, 3, 3, 3, 0, "stride 3 sem padding"),
    (1, 1, 1, 4, 1, 2, 1, 0, "imagem 1x1"),
    (2, 4, 6, 2, 3, 2, 2, 1, "stride 2 e pad 1"),
    (1, 9, 9, 1, 3, 1, 1, 1, "9x9 cinza, pad 1 mantém o tamanho"),
]
GEOMETRY_CASES = [case(seed, geometry, id=f"aleatório {seed}: {geometry[-1]}")
                  for seed, geometry in enumerate(GEOMETRIES)]
# Small geometries for centered differences (every weight costs two reference forwards).
GRADIENT_GEOMETRIES = [
    case(100, (2, 5, 4, 2, 3, 2, 1, 0), id="5x4, stride 1, sem padding"),
    case(101, (2, 5, 5, 3, 3, 2, 2, 1), id="5x5, stride 2, pad 1"),
    case(102, (1, 7, 6, 2, 2, 3, 3, 2), id="7x6, filtro 2x2, stride 3, pad 2"),
]


def layer(seed, geometry):
    """Random A_prev, W, b for a geometry, its stride and pad, and the case's name."""
    m, n_H, n_W, n_C_prev, f, n_C, stride, pad = geometry[:8]
    A, W = random_array(seed, (m, n_H, n_W, n_C_prev)), random_array(seed + 1000, (f, f, n_C_prev, n_C))
    name = f"A_prev {A.shape}, W {W.shape}, stride={stride}, pad={pad}"
    return A, W, random_array(seed + 2000, (n_C,)), stride, pad, name


def layer_and_gradient(seed, geometry):
    """A random layer as ``layer`` gives it, and a random dZ of its output's shape."""
    A, W, b, stride, pad, name = layer(seed, geometry)
    dZ = random_array(seed + 3000, ref.conv_forward(A, W, b, stride=stride, pad=pad)[0].shape)
    return A, W, b, stride, pad, dZ, name


def expect_whole_number(expected, got, *, case, hint):
    """Exact comparison of counts and sizes: a float with the right value is accepted here
    (the type has its own tests)."""
    if isinstance(got, np.ndarray) and got.shape == () and got.dtype.kind in "biuf":
        got = got.item()
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        kind = "None (faltou um return?)" if got is None else type(got).__name__
        raise AssertionError(f"{case}: esperava um número inteiro, mas veio {kind}\ndica: {hint}")
    if got != expected:
        raise AssertionError(f"{case}: valor diferente: esperado {expected}, obtido {got!r}\ndica: {hint}")


def matching_hints(candidates, expected, got, default):
    """The hints of every (value, hint) slip that gives the student's wrong number; when two slips
    give the same number here, both are named."""
    hints = list(dict.fromkeys(hint for value, hint in candidates if value != expected and got == value))
    return " Ou: ".join(hints) if hints else default


def expect_value_error(student, function, *args, case, hint, **kwargs):
    """An invalid input must make the student's function raise ValueError."""
    try:
        got = student.call(function, *args, **kwargs)
    except StudentCodeError as error:
        if str(error).startswith("ValueError"):
            return
        raise AssertionError(f"{case}: esperava ValueError, mas a função lançou {error.brief}\ndica: {hint}") from None
    raise AssertionError(f"{case}: esperava ValueError, mas a função devolveu {got!r}\ndica: {hint}")


# --- zero_pad ------------------------------------------------------------------------------

PAD_CASES = [
    case(seed, shape, pad, id=f"aleatório {seed}, shape {shape}, pad={pad}")
    for seed, (shape, pad) in enumerate([
        ((1, 3, 3, 1), 1), ((2, 4, 5, 3), 2), ((3, 5, 2, 2), 1), ((1, 1, 1, 4), 3),
        ((2, 2, 7, 1), 2), ((3, 6, 6, 4), 1), ((1, 9, 4, 2), 3), ((2, 3, 3, 3), 0),
    ])]


def zero_pad_hint(X, pad, got):
    default = "acrescente pad zeros antes e depois da altura (eixo 1) e da largura (eixo 2): em np.pad, " \
              "((0, 0), (pad, pad), (pad, pad), (0, 0))."
    if not isinstance(got, np.ndarray) or got.ndim != 4:
        return default
    m, n_H, n_W, n_C = X.shape
    if got.shape[0] != m:
        return "o eixo 0 (exemplos) não recebe padding: use (0, 0) para ele."
    if got.shape[3] != n_C:
        return "o eixo 3 (canais) não recebe padding: use (0, 0) para ele."
    if got.shape[1:3] == (n_H + pad, n_W + pad):
        return "pad zeros em CADA borda: antes e depois, (pad, pad), não só de um lado."
    if pad == 0 and got.shape[1:3] == (0, 0):
        return EMPTY_SLICE
    return default


EMPTY_SLICE = ("com pad = 0, o corte pad:-pad é vazio (-0 é 0, e x[0:0] não tem nada): corte com "
               "pad:pad + n_H e pad:pad + n_W, que vale para todo pad.")


EMPTY_SHAPE = re.compile(r"[(,]\s*0\s*[,)]")  # a shape with an axis of size 0, in numpy's error message


def call_zero_pad(student, X, pad, case):
    """The student's zero_pad(X, pad); with pad = 0, the error of a slice pad:-pad (empty) is named."""
    try:
        return student.call("zero_pad", X, pad)
    except StudentCodeError as error:
        if pad == 0 and "broadcast" in str(error) and EMPTY_SHAPE.search(str(error)):
            raise AssertionError(f"{case}: a sua função lançou um erro: {error.brief}\ndica: {EMPTY_SLICE}") from None
        raise


@pytest.mark.grade("zero_pad")
class TestZeroPad:
    @pytest.mark.parametrize("seed,shape,pad", PAD_CASES)
    def test_random(self, student, seed, shape, pad):
        """Padding em casos aleatórios"""
        X = random_array(seed, shape)
        name = f"shape {shape}, pad={pad}"
        got = call_zero_pad(student, X, pad, name)
        expect_close(ref.zero_pad(X, pad), got, case=name, hint=zero_pad_hint(X, pad, got))

    def test_slide_example(self, student):
        """Imagem 6x6 das aulas com pad 1 vira 8x8"""
        X = as_batch(conv_6x6_image())
        got = student.call("zero_pad", X, 1)
        expect_close(ref.zero_pad(X, 1), got, case="6x6, pad=1", hint=zero_pad_hint(X, 1, got))

    def test_pad_zero(self, student):
        """pad = 0 devolve a mesma imagem"""
        X = random_array(50, (2, 3, 4, 2))
        got = call_zero_pad(student, X, 0, "pad=0")
        expect_close(X, got, case="pad=0", hint=zero_pad_hint(X, 0, got))


# --- conv_output_size ----------------------------------------------------------------------

# (n, f, pad, stride): the lectures' sizes, edge cases, and a seeded random spread.
SIZES = [
    (6, 3, 0, 1), (6, 3, 1, 1), (7, 3, 0, 2), (8, 3, 0, 2), (32, 5, 0, 1), (32, 3, 0, 2), (15, 3, 0, 2),
    (5, 3, 1, 2), (5, 5, 0, 1), (3, 5, 1, 1), (9, 1, 0, 3), (9, 2, 0, 3), (1, 1, 0, 1),
    (10, 4, 2, 3), (28, 5, 2, 1), (224, 7, 3, 2), (13, 3, 1, 3), (11, 2, 0, 2), (4, 3, 2, 3),
]


def random_sizes(seed, count):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n, pad, stride = int(rng.integers(1, 40)), int(rng.integers(0, 3)), int(rng.integers(1, 4))
        yield n, int(rng.integers(1, n + 2 * pad + 1)), pad, stride


SIZES += random_sizes(7, 8)
SIZE_CASES = [case(*size, id=f"n={size[0]}, f={size[1]}, pad={size[2]}, stride={size[3]}") for size in SIZES]


def size_hint(n, f, pad, stride, got):
    expected = ref.conv_output_size(n, f, pad, stride)
    default = "tamanho = floor((n + 2*pad - f) / stride) + 1, com a divisão inteira //."
    if not isinstance(got, (int, float)) or isinstance(got, bool) or got == expected:
        return default
    candidates = [
        ((n + 2 * pad - f) / stride + 1, "arredonde para baixo: a última janela que não cabe inteira é descartada "
                                         "(use a divisão inteira //; o resultado é um int)."),
        (-(-(n + 2 * pad - f) // stride) + 1, "arredonde para baixo (//), não para cima."),
        ((n + 2 * pad - f) // stride, "faltou o + 1 (a primeira janela)."),
        ((n + pad - f) // stride + 1, "o padding entra nas DUAS bordas: n + 2*pad."),
        ((n + 2 * pad - f + 1) // stride, "some 1 depois de dividir pelo stride: floor((n + 2*pad - f) / stride) + 1."),
        (n + 2 * pad - f // stride + 1, "faltou um parêntese: a divisão pelo stride vale para (n + 2*pad - f) inteiro."),
        (n - f + 1, "use os argumentos pad e stride, não só n - f + 1."),
        ((n - f) // stride + 1, "o padding foi esquecido: n + 2*pad."),
        (n + 2 * pad - f + 1, "divida pelo stride: floor((n + 2*pad - f) / stride) + 1."),
    ]
    return matching_hints(candidates, expected, got, default)


@pytest.mark.grade("conv_output_size")
class TestConvOutputSize:
    @pytest.mark.parametrize("n,f,pad,stride", SIZE_CASES)
    def test_values(self, student, n, f, pad, stride):
        """Tamanho da saída"""
        if pad == 0 and stride == 1:  # the defaults
            got = student.call("conv_output_size", n, f)
        else:
            got = student.call("conv_output_size", n, f, pad=pad, stride=stride)
        expect_whole_number(ref.conv_output_size(n, f, pad, stride), got,
                            case=f"n={n}, f={f}, pad={pad}, stride={stride}", hint=size_hint(n, f, pad, stride, got))

    def test_positional(self, student):
        """Argumentos na ordem (n, f, pad, stride)"""
        got = student.call("conv_output_size", 9, 3, 1, 2)
        expect_whole_number(5, got, case="conv_output_size(9, 3, 1, 2)", hint=size_hint(9, 3, 1, 2, got))

    @pytest.mark.parametrize("n,f,pad,stride", [
        case(32, 5, 0, 1, id="n=32, f=5"), case(8, 3, 0, 2, id="n=8, f=3, stride=2 (a conta dá 3.5)"),
        case(13, 4, 2, 3, id="n=13, f=4, pad=2, stride=3")])
    def test_returns_int(self, student, n, f, pad, stride):
        """O tamanho é um int"""
        got = student.call("conv_output_size", n, f, pad=pad, stride=stride)
        if isinstance(got, bool) or not isinstance(got, int):
            raise AssertionError(
                f"n={n}, f={f}, pad={pad}, stride={stride}: esperava um int, mas veio {type(got).__name__} {got!r}\n"
                "dica: devolva um int: a divisão / e o np.floor devolvem float; a divisão inteira // mantém int.")


@pytest.mark.grade("conv_output_size", weight=0.5)
class TestConvOutputSizeInvalid:
    @pytest.mark.parametrize("n,f,pad", [case(3, 5, 0, id="n=3, f=5, pad=0"), case(2, 7, 2, id="n=2, f=7, pad=2")])
    def test_window_too_large(self, student, n, f, pad):
        """Janela maior que a entrada com padding: ValueError"""
        expect_value_error(student, "conv_output_size", n, f, pad=pad, stride=1,
                           case=f"n={n}, f={f}, pad={pad} (n + 2*pad = {n + 2 * pad} < f)",
                           hint="quando f > n + 2*pad, nenhuma janela cabe: lance ValueError com uma mensagem.")


# --- conv_single_step ----------------------------------------------------------------------

B_FORMS = {"float": lambda v: float(v), "array (1,)": lambda v: np.array([v]),
           "array (1, 1, 1)": lambda v: np.full((1, 1, 1), v)}
STEP_CASES = [
    case(seed, f, n_C, form, id=f"aleatório {seed}: janela {f}x{f}x{n_C}, b {form}")
    for seed, (f, n_C, form) in enumerate([
        (1, 1, "float"), (2, 1, "float"), (3, 3, "float"), (4, 2, "array (1,)"), (5, 4, "array (1, 1, 1)"),
        (3, 1, "array (1, 1, 1)"), (2, 4, "array (1,)"), (4, 4, "float"), (1, 3, "array (1, 1, 1)"),
    ])]


def single_step_hint(a, W, b, got):
    default = "multiplique a janela pelo filtro elemento a elemento, some TUDO (altura, largura e canais) e some b."
    got_array = np.asarray(got) if isinstance(got, (int, float, np.ndarray)) else None
    if got_array is None or got_array.dtype.kind not in "biuf":
        return default
    expected = ref.conv_single_step(a, W, b)
    if got_array.shape != ():
        if got_array.size == 1 and rel_error(expected, got_array.item()) <= 1e-6:
            return (f"o valor está certo, mas veio um array de shape {got_array.shape}: devolva um número. Cuidado: "
                    "float(...) de um array com dimensões (como o b de shape (1, 1, 1)) dá erro no numpy novo; "
                    "use .item() ou some tudo com np.sum, que devolve um número.")
        return "devolva um único número: a soma de TODOS os elementos de a_slice_prev * W, mais b."
    if rel_error(expected - float(np.sum(b)), got_array) <= 1e-6:
        return "parece que o bias b não foi somado."
    return default


@pytest.mark.grade("conv_single_step")
class TestConvSingleStep:
    @pytest.mark.parametrize("seed,f,n_C,form", STEP_CASES)
    def test_random(self, student, seed, f, n_C, form):
        """Uma janela em casos aleatórios"""
        a, W = random_array(seed, (f, f, n_C)), random_array(seed + 100, (f, f, n_C))
        b = B_FORMS[form](float(random_array(seed + 200, ())))
        got = student.call("conv_single_step", a, W, b)
        expect_close(ref.conv_single_step(a, W, b), got, case=f"janela {f}x{f}x{n_C}, b {form}",
                     hint=single_step_hint(a, W, b, got))

    @pytest.mark.parametrize("image,weights,row,column", [
        case(conv_6x6_image(), conv_3x3_filter(), 0, 2, id="exemplo 6x6, linhas 0-2, colunas 2-4 -> 7"),
        case(conv_6x6_image(), conv_3x3_filter(), 0, 0, id="exemplo 6x6, primeira janela -> 0"),
        case(conv_6x6_image(), conv_3x3_filter(), 1, 2, id="exemplo 6x6, linhas 1-3, colunas 2-4 -> 15 (não 11)"),
        case(stride_7x7_image(), stride_3x3_filter(), 0, 0, id="exemplo 7x7, primeira janela -> 91"),
    ])
    def test_slide_examples(self, student, image, weights, row, column):
        """Janelas dos exemplos das aulas"""
        a = image[row:row + 3, column:column + 3].reshape(3, 3, 1)
        W = weights.reshape(3, 3, 1)
        got = student.call("conv_single_step", a, W, 0.0)
        expect_close(ref.conv_single_step(a, W, 0.0), got, case=f"janela ({row}, {column})",
                     hint="é o produto elemento a elemento (a * W) somado, não um produto de matrizes (a @ W).")

    def test_bias_only(self, student):
        """Só o bias é diferente de zero"""
        got = student.call("conv_single_step", np.zeros((2, 2, 3)), np.ones((2, 2, 3)), np.array([-1.5]))
        expect_close(-1.5, got, case="janela de zeros, b = [-1.5]",
                     hint="só o bias é diferente de zero: confira que b entra na soma, e devolva um número.")


PAD_TWICE = ("parece que o padding foi aplicado duas vezes: zero_pad uma vez só, em A_prev, e as janelas saem "
             "dessa entrada com padding.")


# --- conv_forward --------------------------------------------------------------------------

def conv_forward_hint(A, W, b, stride, pad, got):
    expected = ref.conv_forward(A, W, b, stride=stride, pad=pad)[0]
    f = W.shape[0]
    twice = PAD_TWICE if pad > 0 else None
    if isinstance(got, np.ndarray) and got.shape != expected.shape:
        default = ("shape da saída: (m, n_H, n_W, n_C) com n_H = floor((n_H_prev + 2*pad - f) / stride) + 1 "
                   "(e n_W da mesma forma); n_C é o número de filtros, W.shape[3].")
        if twice and got.shape == ref.conv_forward(A, W, b, stride=stride, pad=2 * pad)[0].shape:
            return twice
    else:
        default = ("Z[i, h, w, c] é a soma de A_pad[i, h*stride : h*stride + f, w*stride : w*stride + f, :] * "
                   "W[:, :, :, c], mais b[c].")
    no_bias = np.zeros_like(b)
    flipped = W[::-1, ::-1]
    candidates = [(ref.conv_forward(A, W, no_bias, stride=stride, pad=pad)[0],
                   "parece que o bias b não foi somado: some b[c] em todas as posições do canal c."),
                  (ref.conv_forward(A, W, b * W[:, :, :, 0].size, stride=stride, pad=pad)[0],
                   "o bias b[c] entra UMA vez por posição da saída, depois da soma da janela; não o some a cada "
                   "elemento de a_slice * W.")]
    if twice:
        candidates.append((ref.conv_forward(A, W, b, stride=stride, pad=2 * pad)[0][:, :expected.shape[1],
                                                                                  :expected.shape[2]], twice))
    if expected.shape[1] > 1 and expected.shape[2] > 1:
        edges = expected.copy()
        edges[:, -1], edges[:, :, -1] = 0.0, 0.0
        candidates.append((edges, "a última linha e a última coluna da saída ficaram zeradas: os laços de h e w "
                                  "devem percorrer todas as n_H (e n_W) posições da saída."))
    if f > 1:
        candidates += [
            (ref.conv_forward(A, flipped, b, stride=stride, pad=pad)[0],
             "você girou o filtro (convolução de verdade); aqui é correlação cruzada, sem girar: use W como está."),
            (ref.conv_forward(A, flipped, no_bias, stride=stride, pad=pad)[0],
             "você girou o filtro (aqui é correlação cruzada, sem girar) e o bias b não foi somado."),
        ]
    if stride > 1:
        stride_one = ref.conv_forward(A, W, b, stride=1, pad=pad)[0]
        hint = ("parece que o stride foi ignorado: a janela da saída (h, w) começa na linha h*stride e na coluna "
                "w*stride da entrada com padding.")
        candidates += [(stride_one, hint), (stride_one[:, :expected.shape[1], :expected.shape[2]], hint)]
    if pad > 0 and f <= min(A.shape[1:3]):
        candidates.append((ref.conv_forward(A, W, b, stride=stride, pad=0)[0],
                           "parece que o padding foi ignorado: aplique zero_pad(A_prev, pad) antes de deslizar a janela."))
    return diagnose(got, expected, candidates, default)


@pytest.mark.grade("conv_forward")
class TestConvForward:
    @pytest.mark.parametrize("seed,geometry", GEOMETRY_CASES)
    def test_random(self, student, seed, geometry):
        """Camada convolucional em casos aleatórios"""
        A, W, b, stride, pad, name = layer(seed, geometry)
        Z, _ = student.forward("conv_forward", A, W, b, stride=stride, pad=pad)
        expect_close(ref.conv_forward(A, W, b, stride=stride, pad=pad)[0], Z, case=name,
                     hint=conv_forward_hint(A, W, b, stride, pad, Z))

    @pytest.mark.parametrize("image,weights,stride,pad", [
        case(conv_6x6_image(), conv_3x3_filter(), 1, 0,
             id="6x6 * 3x3 -> 4x4 (na linha 1, coluna 2 o certo é 15, não 11)"),
        case(conv_6x6_image(), conv_3x3_filter(), 1, 1, id="6x6 * 3x3 com pad 1 -> 6x6"),
        case(stride_7x7_image(), stride_3x3_filter(), 2, 0, id="7x7 * 3x3 com stride 2 -> 3x3 começando em 91"),
        case(padding_stride_5x5_image(), padding_stride_3x3_filter(), 2, 1, id="5x5 com pad 1 e stride 2 -> 3x3"),
        case(feature_map_5x5_image(), x_shaped_filter(), 1, 0, id="mapa de características 5x5 -> 3x3"),
    ])
    def test_slide_examples(self, student, image, weights, stride, pad):
        """Exemplos das aulas"""
        A, W, b = as_batch(image), as_filter(weights), np.zeros(1)
        name = f"stride={stride}, pad={pad}"
        Z, _ = student.forward("conv_forward", A, W, b, stride=stride, pad=pad)
        expect_close(ref.conv_forward(A, W, b, stride=stride, pad=pad)[0], Z, case=name,
                     hint=conv_forward_hint(A, W, b, stride, pad, Z))

    def test_bias_only(self, student):
        """Entrada de zeros: só o bias sobra"""
        A, W, b = np.zeros((2, 4, 5, 3)), random_array(60, (3, 3, 3, 2)), np.array([0.5, -2.0])
        Z, _ = student.forward("conv_forward", A, W, b, stride=1, pad=1)
        expect_close(ref.conv_forward(A, W, b, stride=1, pad=1)[0], Z, case="A_prev = 0, b = [0.5, -2]",
                     hint="só o bias é diferente de zero: o canal c da saída inteiro deve valer b[c].")

    def test_each_filter_its_own_channel(self, student):
        """Cada filtro produz o próprio canal"""
        A = random_array(61, (1, 4, 4, 3))
        W = np.zeros((2, 2, 3, 3))
        W[0, 0, 0, 0] = 1.0   # filter 0 copies channel 0
        W[1, 1, 2, 1] = 1.0   # filter 1 copies channel 2, shifted by one pixel
        W[:, :, 1, 2] = 0.25  # filter 2 averages channel 1
        b = np.zeros(3)
        Z, _ = student.forward("conv_forward", A, W, b)
        expect_close(ref.conv_forward(A, W, b)[0], Z, case="3 filtros que leem canais diferentes",
                     hint="o canal c da saída usa só o filtro W[:, :, :, c], somando sobre todos os canais da janela.")

    def test_cache(self, student):
        """O cache devolvido serve ao conv_backward"""
        for seed, geometry in ((1, GEOMETRIES[1]), (3, GEOMETRIES[3])):
            A, W, b, stride, pad, dZ, name = layer_and_gradient(seed, geometry)
            expected = ref.conv_backward(dZ, ref.conv_forward(A, W, b, stride=stride, pad=pad)[1])
            expect_usable_cache(student, "conv_forward", (A, W, b), (dZ,), expected, case=name,
                                kwargs={"stride": stride, "pad": pad}, reference=ref.conv_forward,
                                inputs={"A_prev": A, "W": W, "b": b, "padded": ref.zero_pad(A, pad)})


# --- conv1d_forward ------------------------------------------------------------------------

# Sequence layers: (m, L, C, f, K, stride, pad, name).
SEQUENCE_GEOMETRIES = [
    (1, 6, 1, 2, 1, 1, 0, "1 sequência de 6, 1 canal, filtro de 2"),
    (2, 9, 3, 3, 2, 1, 1, "3 canais, pad 1"),
    (3, 10, 2, 3, 4, 2, 0, "stride 2, 4 filtros"),
    (2, 11, 4, 4, 3, 3, 2, "filtro par de 4, stride 3, pad 2"),
    (1, 7, 5, 1, 6, 1, 0, "filtro de tamanho 1"),
    (2, 5, 2, 5, 3, 1, 0, "janela do tamanho da sequência (saída de 1)"),
    (2, 3, 2, 5, 2, 1, 1, "janela maior que a sequência, cabe com o padding"),
    (3, 8, 3, 3, 2, 2, 0, "janelas que não alcançam o último passo"),
    (1, 20, 6, 7, 5, 3, 3, "sequência de 20, 6 canais, stride 3, pad 3"),
    (4, 12, 2, 2, 2, 2, 1, "stride 2 e pad 1, 4 sequências"),
    (2, 15, 8, 5, 4, 1, 2, "8 canais, pad 2 mantém o comprimento"),
]
PAD_TWICE_1D = ("parece que o padding foi aplicado duas vezes: acrescente os zeros uma vez só, em x, e tire as "
                "janelas dessa sequência com padding.")
SEQUENCE_CASES = [case(200 + seed, geometry, id=f"aleatório {200 + seed}: {geometry[-1]}")
                  for seed, geometry in enumerate(SEQUENCE_GEOMETRIES)]


def sequence_layer(seed, geometry):
    """Random x, w, b for a sequence geometry, its stride and pad, and the case's name."""
    m, L, C, f, K, stride, pad = geometry[:7]
    x, w = random_array(seed, (m, L, C)), random_array(seed + 1000, (f, C, K))
    name = f"x {x.shape}, w {w.shape}, stride={stride}, pad={pad}"
    return x, w, random_array(seed + 2000, (K,)), stride, pad, name


def conv1d_forward_hint(x, w, b, stride, pad, got):
    """The hint of the typical slip that gives ``got``, or the general one."""
    expected = ref.conv1d_forward(x, w, b, stride=stride, pad=pad)[0]
    f, C, _ = w.shape
    if isinstance(got, np.ndarray) and got.shape != expected.shape:
        default = ("shape da saída: (m, L_out, K) com L_out = floor((L + 2*pad - f) / stride) + 1; K é o número "
                   "de filtros, w.shape[2].")
    else:
        default = "out[i, t, k] é a soma de x_pad[i, t*stride : t*stride + f, :] * w[:, :, k], mais b[k]."

    def forward(weights=w, bias=b, stride=stride, pad=pad):
        return ref.conv1d_forward(x, weights, bias, stride=stride, pad=pad)[0]

    no_bias = np.zeros_like(b)
    candidates = [(forward(bias=no_bias), "parece que o bias b não foi somado: some b[k] em todas as posições do "
                                          "canal k da saída.")]
    if f > 1:
        candidates += [
            (forward(weights=w[::-1]), "você inverteu o filtro (convolução de verdade, como np.convolve); aqui é "
                                       "correlação cruzada, como no tf.nn.conv1d: use w na ordem em que veio."),
            (forward(weights=w[::-1], bias=no_bias), "você inverteu o filtro (aqui é correlação cruzada, sem "
                                                     "inverter) e o bias b não foi somado."),
        ]
    if C > 1:
        def one_channel(c):
            only = np.zeros_like(w)
            only[:, c] = w[:, c]
            return forward(weights=only)
        not_summed = ("os canais não foram somados: cada filtro k multiplica a janela inteira, com TODOS os canais "
                      "(shape (f, C)), por w[:, :, k] e soma tudo.")
        candidates += [(one_channel(0), not_summed), (one_channel(C - 1), not_summed),
                       (forward(weights=w / C), "os canais entram somados, não pela média.")]
    if stride > 1:
        stride_one = forward(stride=1)
        hint = ("parece que o stride foi ignorado: a janela da saída t começa na posição t*stride da entrada "
                "com padding.")
        candidates += [(stride_one, hint), (stride_one[:, :expected.shape[1]], hint)]
    if pad > 0:
        if f <= x.shape[1]:
            candidates.append((forward(pad=0), "parece que o padding foi ignorado: acrescente pad zeros no começo "
                                               "e no fim do eixo do comprimento antes de deslizar a janela."))
        twice = forward(pad=2 * pad)
        if isinstance(got, np.ndarray) and got.shape == twice.shape and got.shape != expected.shape:
            return PAD_TWICE_1D
        candidates.append((twice[:, :expected.shape[1]], PAD_TWICE_1D))
    return diagnose(got, expected, candidates, default)


@pytest.mark.grade("conv1d_forward")
class TestConv1dForward:
    @pytest.mark.parametrize("seed,geometry", SEQUENCE_CASES)
    def test_random(self, student, seed, geometry):
        """Convolução 1-D em casos aleatórios"""
        x, w, b, stride, pad, name = sequence_layer(seed, geometry)
        out, _ = student.forward("conv1d_forward", x, w, b, stride=stride, pad=pad)
        expect_close(ref.conv1d_forward(x, w, b, stride=stride, pad=pad)[0], out, case=name,
                     hint=conv1d_forward_hint(x, w, b, stride, pad, out))

    def test_slide_example(self, student):
        """Exemplo das aulas: [1, 2] com o filtro [1, -1] dá -1"""
        signal, kernel = conv1d_example()
        x, w, b = as_sequence(signal), as_filter_1d(kernel), np.zeros(1)
        out, _ = student.forward("conv1d_forward", x, w, b)
        expect_close(ref.conv1d_forward(x, w, b)[0], out, case="sinal [1, 2], filtro [1, -1]",
                     hint=conv1d_forward_hint(x, w, b, 1, 0, out))

    @pytest.mark.parametrize("signal,kernel,stride,pad", [
        case([1, 2, 3, 3, 0, 5], [1, -1], 1, 0, id="diferença [1, -1] num sinal de 6 valores"),
        case([3, 6, 9, 3, 1, 7, 2], [1 / 3, 1 / 3, 1 / 3], 1, 1, id="média móvel de 3 com pad 1"),
        case([1, 4, 2, 8, 5, 7, 3, 6, 9], [1, 0, -2], 2, 0, id="filtro [1, 0, -2] com stride 2"),
        case([2, -1, 4, 0, 3], [1, 2, -1, 3], 2, 2, id="filtro de 4 com stride 2 e pad 2"),
    ])
    def test_small_signals(self, student, signal, kernel, stride, pad):
        """Sinais pequenos com um filtro"""
        x, w, b = as_sequence(signal), as_filter_1d(kernel), np.array([0.5])
        out, _ = student.forward("conv1d_forward", x, w, b, stride=stride, pad=pad)
        expect_close(ref.conv1d_forward(x, w, b, stride=stride, pad=pad)[0], out,
                     case=f"sinal {signal}, filtro {np.round(kernel, 3).tolist()}, stride={stride}, pad={pad}",
                     hint=conv1d_forward_hint(x, w, b, stride, pad, out))

    def test_bias_only(self, student):
        """Entrada de zeros: só o bias sobra"""
        x, w, b = np.zeros((2, 6, 3)), random_array(260, (3, 3, 2)), np.array([0.5, -2.0])
        out, _ = student.forward("conv1d_forward", x, w, b, stride=1, pad=1)
        expect_close(ref.conv1d_forward(x, w, b, stride=1, pad=1)[0], out, case="x = 0, b = [0.5, -2]",
                     hint="só o bias é diferente de zero: o canal k da saída inteiro deve valer b[k].")

    def test_each_filter_its_own_channel(self, student):
        """Cada filtro produz o próprio canal da saída"""
        x = random_array(261, (1, 7, 3))
        w = np.zeros((2, 3, 3))
        w[0, 0, 0] = 1.0   # filter 0 copies channel 0
        w[1, 2, 1] = 1.0   # filter 1 copies channel 2, one step later
        w[:, 1, 2] = 0.5   # filter 2 averages channel 1 over two steps
        b = np.zeros(3)
        out, _ = student.forward("conv1d_forward", x, w, b)
        expect_close(ref.conv1d_forward(x, w, b)[0], out, case="3 filtros que leem canais diferentes",
                     hint="o canal k da saída usa só o filtro w[:, :, k], somando sobre todos os canais da janela.")


# --- conv_backward -------------------------------------------------------------------------

GRADIENT_NAMES = ("dA_prev", "dW", "db")


def conv_backward_hints(A, W, b, stride, pad, dZ, got):
    """One hint per gradient, by name, sharpened when the wrong term matches a typical slip."""
    dA, dW, db = ref.conv_backward(dZ, ref.conv_forward(A, W, b, stride=stride, pad=pad)[1])
    hints = [  # in the order of GRADIENT_NAMES
        "dA_prev: cada janela (h, w) devolve W[:, :, :, c] * dZ[i, h, w, c] aos pixels que cobriu, com += "
        "(janelas sobrepostas se acumulam); calcule em dA_pad e, no fim, corte a moldura do padding.",
        "dW: dW[:, :, :, c] acumula (com +=) a janela de A_pad vezes dZ[i, h, w, c], somando sobre TODAS as janelas "
        "e TODOS os exemplos; use a entrada com padding.",
        "db: db[c] é a soma de dZ[..., c] sobre exemplos, altura e largura; shape (n_C,), como b.",
    ]
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return dict(zip(GRADIENT_NAMES, hints))
    got_dA, got_dW, got_db = got
    if isinstance(got_dA, np.ndarray) and pad > 0 and got_dA.shape == ref.zero_pad(A, pad).shape:
        hints[0] = ("dA_prev veio com a moldura do padding: no fim, corte-a, "
                    "dA_prev = dA_pad[:, pad:pad + n_H_prev, pad:pad + n_W_prev, :].")
    if isinstance(got_dA, np.ndarray) and pad == 0 and got_dA.ndim == 4 and 0 in got_dA.shape[1:3]:
        hints[0] = ("com pad = 0, cortar com dA_pad[:, pad:-pad, pad:-pad, :] dá um array vazio (-0 é 0): "
                    "corte com pad:pad + n_H_prev e pad:pad + n_W_prev.")
    count = dZ.shape[0] * dZ.shape[1] * dZ.shape[2]
    if count > 1:
        hints[2] = diagnose(got_db, db, [(db / count, "db é a SOMA de dZ, não a média.")], hints[2])
    if dZ.shape[0] > 1:
        hints[1] = diagnose(got_dW, dW, [(dW / dZ.shape[0], "dW é a soma sobre os exemplos, não a média.")], hints[1])
    hints[0] = diagnose(got_dA, dA, [(np.zeros_like(dA), "dA_prev ficou zerado: acumule W * dZ em dA_pad "
                                                         "e devolva o miolo dele.")], hints[0])
    return dict(zip(GRADIENT_NAMES, hints))


def expect_conv_backward(student, A, W, b, stride, pad, dZ, case_name, expected=None, tolerance=1e-6, hints=None):
    """The student's conv_backward against ``expected`` (default: the reference's gradients),
    gradient by gradient, on the cache of the student's conv_forward where it works with that
    backward, else on the reference's cache (caches.grade_backward)."""
    if expected is None:
        expected = ref.conv_backward(dZ, ref.conv_forward(A, W, b, stride=stride, pad=pad)[1])

    def call(cache):
        try:
            return student.call("conv_backward", dZ, cache)
        except StudentCodeError as error:
            if pad == 0 and "broadcast" in str(error) and EMPTY_SHAPE.search(str(error)):
                raise AssertionError(
                    f"{case_name}: a sua função lançou um erro: {error.brief}\n"
                    "dica: com pad = 0, cortar com dA_pad[:, pad:-pad, pad:-pad, :] dá um array vazio (-0 é 0): "
                    "corte com pad:pad + n_H_prev e pad:pad + n_W_prev.") from None
            raise

    def check(got):
        expect_parts(expected, got, GRADIENT_NAMES, case=case_name, tolerance=tolerance,
                     hints=hints or conv_backward_hints(A, W, b, stride, pad, dZ, got))

    grade_backward(student, "conv_forward", (A, W, b), (dZ,), check, kwargs={"stride": stride, "pad": pad},
                   reference=ref.conv_forward, call=call)


@pytest.mark.grade("conv_backward")
class TestConvBackward:
    @pytest.mark.parametrize("seed,geometry", GEOMETRY_CASES)
    def test_random(self, student, seed, geometry):
        """Gradientes da convolução em casos aleatórios"""
        expect_conv_backward(student, *layer_and_gradient(seed, geometry))

    @pytest.mark.parametrize("seed,geometry", GRADIENT_GEOMETRIES)
    def test_numerical_gradient(self, student, seed, geometry):
        """Gradientes iguais aos gradientes numéricos"""
        A, W, b, stride, pad, dZ, name = layer_and_gradient(seed, geometry)
        expected = numerical_gradients(lambda A, W, b: ref.conv_forward(A, W, b, stride=stride, pad=pad),
                                       [A, W, b], dZ)
        expect_conv_backward(student, A, W, b, stride, pad, dZ, f"diferenças centradas, {name}",
                             expected=tuple(expected), tolerance=1e-5)

    @pytest.mark.parametrize("stride,pad,position", [
        case(1, 0, (1, 2), id="stride 1, sem padding, dZ só na posição (1, 2)"),
        case(2, 1, (1, 1), id="stride 2, pad 1, dZ só na posição (1, 1)"),
    ])
    def test_single_gradient(self, student, stride, pad, position):
        """Um único dZ diferente de zero"""
        A, W, b = random_array(70, (1, 5, 5, 2)), random_array(71, (3, 3, 2, 2)), np.zeros(2)
        dZ = np.zeros(ref.conv_forward(A, W, b, stride=stride, pad=pad)[0].shape)
        dZ[0, position[0], position[1], 1] = 2.0
        row, column = position[0] * stride, position[1] * stride
        hints = {
            "dA_prev": f"dA_pad[0, {row}:{row + 3}, {column}:{column + 3}, :] deve ser 2 * W[:, :, :, 1] (a janela "
                       "que gerou aquela saída), zero no resto; depois corte a moldura do padding.",
            "dW": f"dW[:, :, :, 1] deve ser 2 * a janela A_pad[0, {row}:{row + 3}, {column}:{column + 3}, :]; "
                  "dW[:, :, :, 0] deve ser zero.",
            "db": "db deve ser [0, 2]: a soma de dZ de cada filtro.",
        }
        expect_conv_backward(student, A, W, b, stride, pad, dZ,
                             f"stride={stride}, pad={pad}, dZ[0, {position[0]}, {position[1]}, 1] = 2", hints=hints)

    def test_small_example(self, student):
        """A 3x3, filtro 2x2, dZ = [[1, -1], [2, 0]]"""
        A, W = as_batch(np.arange(1.0, 10.0).reshape(3, 3)), as_filter([[1, 2], [3, 4]])
        expect_conv_backward(student, A, W, np.zeros(1), 1, 0, as_batch([[1, -1], [2, 0]]), "A 3x3, W 2x2")


# --- parameter counts ----------------------------------------------------------------------

CONV_COUNTS = [(5, 3, 64, False), (5, 3, 64, True), (3, 3, 32, None), (1, 1, 1, True), (1, 16, 8, False),
               (3, 64, 128, True), (7, 3, 64, False), (2, 4, 3, None), (11, 3, 96, True), (3, 128, 256, False),
               (4, 1, 1, True), (3, 512, 512, None)]
DENSE_COUNTS = [(3072, 50176, False), (1152, 1024, None), (2, 3, True), (784, 128, True), (128, 10, None),
                (1, 1, False), (1, 1, True), (4096, 4096, True), (10, 1, False), (3, 7, True), (100, 100, False),
                (25088, 4096, None)]


def bias_label(bias):
    return "bias padrão" if bias is None else f"bias={bias}"


def conv_count_hint(f, n_C_prev, n_C, bias, got):
    with_bias = bias is not False
    weights = f * f * n_C_prev * n_C
    candidates = [
        (weights, "com bias=True (o padrão), some um bias por filtro: + n_C."),
        (weights + n_C, "com bias=False não há biases: só f*f*n_C_prev*n_C."),
        (weights + 1, "um bias por FILTRO (n_C biases), não um só."),
        (weights + weights, "um bias por filtro (n_C), não um por peso."),
        (f * f * n_C + (n_C if with_bias else 0), "cada filtro tem a profundidade da entrada: f*f*n_C_prev pesos."),
        (f * n_C_prev * n_C + (n_C if with_bias else 0), "o filtro é f x f: f*f*n_C_prev pesos por filtro."),
        ((f * f * n_C_prev + (1 if with_bias else 0)), "são n_C filtros: multiplique por n_C."),
    ]
    expected = ref.count_conv_params(f, n_C_prev, n_C, bias=with_bias)
    default = "cada filtro tem f*f*n_C_prev pesos e são n_C filtros; com bias, mais n_C."
    return matching_hints(candidates, expected, got, default)


def dense_count_hint(n_in, n_out, bias, got):
    with_bias = bias is not False
    candidates = [
        (n_in * n_out, "com bias=True (o padrão), some um bias por neurônio: + n_out."),
        (n_in * n_out + n_out, "com bias=False não há biases: só n_in*n_out."),
        (n_in * n_out + n_in, "um bias por neurônio de SAÍDA (n_out), não por entrada."),
        (n_in + n_out, "uma densa liga CADA entrada a CADA saída: n_in*n_out pesos."),
        (n_in * n_out + 1, "um bias por neurônio (n_out biases), não um só."),
    ]
    expected = ref.count_dense_params(n_in, n_out, bias=with_bias)
    default = "n_in*n_out pesos; com bias, mais n_out."
    return matching_hints(candidates, expected, got, default)


@pytest.mark.grade("count_conv_params")
class TestCountConvParams:
    @pytest.mark.parametrize("f,n_C_prev,n_C,bias", [
        case(*c, id=f"f={c[0]}, n_C_prev={c[1]}, n_C={c[2]}, {bias_label(c[3])}") for c in CONV_COUNTS])
    def test_values(self, student, f, n_C_prev, n_C, bias):
        """Parâmetros de uma Conv2D"""
        kwargs = {} if bias is None else {"bias": bias}
        got = student.call("count_conv_params", f, n_C_prev, n_C, **kwargs)
        expect_whole_number(ref.count_conv_params(f, n_C_prev, n_C, bias=bias is not False), got,
                            case=f"f={f}, n_C_prev={n_C_prev}, n_C={n_C}, {bias_label(bias)}",
                            hint=conv_count_hint(f, n_C_prev, n_C, bias, got))


@pytest.mark.grade("count_dense_params")
class TestCountDenseParams:
    @pytest.mark.parametrize("n_in,n_out,bias", [
        case(*c, id=f"n_in={c[0]}, n_out={c[1]}, {bias_label(c[2])}") for c in DENSE_COUNTS])
    def test_values(self, student, n_in, n_out, bias):
        """Parâmetros de uma camada densa"""
        kwargs = {} if bias is None else {"bias": bias}
        got = student.call("count_dense_params", n_in, n_out, **kwargs)
        expect_whole_number(ref.count_dense_params(n_in, n_out, bias=bias is not False), got,
                            case=f"n_in={n_in}, n_out={n_out}, {bias_label(bias)}",
                            hint=dense_count_hint(n_in, n_out, bias, got))
