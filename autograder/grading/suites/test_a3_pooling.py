"""Hidden suite of a3_pooling: each function against the reference on seeded random cases, the
lectures' pooling tables, ties, and numerical gradients for the backward pass."""
import numpy as np
import pytest
from dlhelpers.worked_examples import (
    POOLING_SLIDES,
    as_batch,
    flatten_3x3_matrix,
    pooling_7x7_image,
    pooling_table,
)

from autograder.grading.caches import expect_usable_cache, grade_backward
from autograder.grading.expect import case, diagnose, expect_close, numerical_gradients, random_array
from solutions import pooling as ref

MODES = ("max", "average")

# Ties in every window: the first maximum, reading the window row by row, takes the gradient.
TIES = [[2, 7, 7, 1], [7, 0, 1, 1], [4, 4, 9, 9], [4, 4, 9, 9]]

# Pooling geometries: (m, n_H_prev, n_W_prev, n_C, f, stride, name).
GEOMETRIES = [
    (1, 4, 4, 1, 2, 2, "4x4, janela 2, stride 2"),
    (2, 5, 5, 3, 2, 2, "5x5, janela 2, stride 2: a última linha e coluna ficam de fora"),
    (3, 7, 7, 2, 3, 2, "7x7, janelas 3x3 sobrepostas, stride 2"),
    (2, 6, 9, 4, 3, 3, "6x9 (não quadrada), janela 3, stride 3"),
    (1, 8, 8, 2, 2, 3, "stride 3 maior que a janela 2"),
    (2, 5, 7, 3, 1, 2, "janela 1x1, stride 2"),
    (1, 4, 4, 3, 4, 1, "janela do tamanho da entrada"),
    (2, 3, 8, 2, 3, 1, "altura igual à janela (3x8), stride 1"),
    (3, 9, 6, 1, 2, 1, "janela 2, stride 1 (sobreposição)"),
    (2, 9, 9, 4, 4, 3, "9x9, janela 4, stride 3"),
    (1, 6, 5, 2, 3, 2, "6x5, janela 3, stride 2: sobra a última linha"),
]
GEOMETRY_CASES = [case(seed, geometry, mode, id=f"aleatório {seed}, {mode}: {geometry[-1]}")
                  for mode in MODES for seed, geometry in enumerate(GEOMETRIES)]
GRADIENT_CASES = [case(100 + seed, geometry, mode, id=f"{mode}: {name}")
                  for seed, (geometry, name) in enumerate([
                      ((2, 5, 5, 2, 2, 2), "5x5, janela 2, stride 2"),
                      ((1, 7, 6, 2, 3, 2), "7x6, janelas 3x3 sobrepostas, stride 2"),
                  ]) for mode in MODES]


def random_pooling(seed, geometry, mode):
    """A random A_prev for a geometry, its window and stride, and the case's name."""
    m, n_H, n_W, n_C, f, stride = geometry[:6]
    A = random_array(seed, (m, n_H, n_W, n_C))
    return A, f, stride, f"A_prev {A.shape}, f={f}, stride={stride}, mode={mode!r}"


# --- pool_forward --------------------------------------------------------------------------

def pool_forward_hint(A, f, stride, mode, got):
    expected = ref.pool_forward(A, f, stride, mode)[0]
    other = "average" if mode == "max" else "max"
    if isinstance(got, np.ndarray) and got.shape != expected.shape:
        default = ("shape da saída: (m, n_H, n_W, n_C) com n_H = floor((n_H_prev - f) / stride) + 1 (e n_W da "
                   "mesma forma); m e n_C não mudam.")
        if got.ndim == 4 and got.shape[:3] == expected.shape[:3]:
            default = "cada canal é resumido separadamente: reduza só a altura e a largura (eixos 1 e 2)."
    else:
        default = (f"A[i, h, w, c] é o {'máximo' if mode == 'max' else 'valor médio'} de "
                   "A_prev[i, h*stride : h*stride + f, w*stride : w*stride + f, c].")
    candidates = [(ref.pool_forward(A, f, stride, other)[0],
                   f"você calculou o {'máximo' if other == 'max' else 'valor médio'}: confira o argumento mode "
                   "('max' é o máximo, 'average' é a média)."),
                  (np.broadcast_to((expected.max if mode == "max" else expected.mean)(axis=3, keepdims=True),
                                   expected.shape),
                   "cada canal é resumido separadamente: a janela é A_prev[i, linhas, colunas, c], de um canal só, "
                   "não de todos os canais juntos.")]
    if mode == "average" and f > 1:
        candidates += [(expected * f * f, "a média é a soma da janela dividida pelo número de posições dela (f*f)."),
                       (expected * f, "divida pela área da janela, f*f posições, não por f.")]
    if stride != 1:
        stride_one = ref.pool_forward(A, f, 1, mode)[0]
        hint = ("parece que o stride foi ignorado: a janela da saída (h, w) começa na linha h*stride e na coluna "
                "w*stride da entrada.")
        candidates += [(stride_one, hint), (stride_one[:, :expected.shape[1], :expected.shape[2]], hint)]
    if stride != f and f <= min(A.shape[1:3]):
        candidates.append((ref.pool_forward(A, f, f, mode)[0],
                           "use o stride recebido, não o tamanho da janela f, como passo."))
    return diagnose(got, expected, candidates, default)


@pytest.mark.grade("pool_forward")
class TestPoolForward:
    @pytest.mark.parametrize("seed,geometry,mode", GEOMETRY_CASES)
    def test_random(self, student, seed, geometry, mode):
        """Pooling em casos aleatórios"""
        A, f, stride, name = random_pooling(seed, geometry, mode)
        out, _ = student.forward("pool_forward", A, f, stride, mode=mode)
        expect_close(ref.pool_forward(A, f, stride, mode)[0], out, case=name,
                     hint=pool_forward_hint(A, f, stride, mode, out))

    @pytest.mark.parametrize("table,f,stride,mode", [
        *[case(pooling_table(slide), 2, 2, "max", id=f"tabela 4x4 do slide {slide}, max 2x2, stride 2")
          for slide in POOLING_SLIDES],
        case(pooling_7x7_image(), 3, 2, "max", id="imagem 7x7 do slide 000, max 3x3, stride 2"),
        case(pooling_table("000"), 2, 2, "average", id="tabela 4x4 do slide 000, average 2x2, stride 2"),
    ])
    def test_slide_examples(self, student, table, f, stride, mode):
        """Tabelas das aulas"""
        A = as_batch(table)
        name = f"f={f}, stride={stride}, mode={mode!r}"
        out, _ = student.forward("pool_forward", A, f, stride, mode=mode)
        expect_close(ref.pool_forward(A, f, stride, mode)[0], out, case=name,
                     hint=pool_forward_hint(A, f, stride, mode, out))

    def test_default_mode(self, student):
        """Sem o argumento mode: max pooling"""
        A = random_array(40, (2, 4, 6, 3))
        out, _ = student.forward("pool_forward", A, 2, 2)
        expect_close(ref.pool_forward(A, 2, 2)[0], out, case="pool_forward(A_prev, 2, 2)",
                     hint="o padrão é mode=\"max\".")

    def test_channels_apart(self, student):
        """Cada canal é resumido sozinho"""
        A = np.stack([pooling_table("004"), pooling_table("002")], axis=-1)[np.newaxis]
        out, _ = student.forward("pool_forward", A, 2, 2, mode="max")
        expect_close(ref.pool_forward(A, 2, 2)[0], out, case="tabelas 004 e 002 como 2 canais",
                     hint="tire o máximo só sobre altura e largura (eixos 1 e 2), nunca sobre os canais.")

    def test_cache(self, student):
        """O cache devolvido serve ao pool_backward"""
        for mode in MODES:
            A, f, stride, name = random_pooling(2, GEOMETRIES[2], mode)
            out, cache = ref.pool_forward(A, f, stride, mode)
            dA = random_array(502, out.shape)
            expect_usable_cache(student, "pool_forward", (A, f, stride), (dA,), ref.pool_backward(dA, cache),
                                case=name, kwargs={"mode": mode}, reference=ref.pool_forward, inputs={"A_prev": A})


# --- pool_backward -------------------------------------------------------------------------

def loop_max_backward(A, dA, f, stride, rule="first", accumulate=True):
    """The max-pooling gradient under another tie rule or with = instead of +=: the diagnoses."""
    dA_prev = np.zeros(A.shape)
    m, n_H, n_W, n_C = dA.shape
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    rows, columns = slice(h * stride, h * stride + f), slice(w * stride, w * stride + f)
                    window = A[i, rows, columns, c]
                    mask = window == window.max()
                    if rule != "all":
                        flat = np.flatnonzero(mask)
                        mask = np.zeros_like(mask)
                        mask.flat[flat[0] if rule == "first" else flat[-1]] = True
                    if accumulate:
                        dA_prev[i, rows, columns, c] += mask * dA[i, h, w, c]
                    else:
                        dA_prev[i, rows, columns, c][mask] = dA[i, h, w, c]
    return dA_prev


def pool_backward_hint(A, f, stride, mode, dA, got):
    expected = ref.pool_backward(dA, ref.pool_forward(A, f, stride, mode)[1])
    if isinstance(got, np.ndarray) and got.shape != expected.shape:
        return "dA_prev tem o shape de A_prev, a entrada do forward."
    if mode == "average":
        default = ("cada janela divide dA[i, h, w, c] igualmente entre as suas f*f posições, com += (janelas "
                   "sobrepostas se acumulam).")
        candidates = [(expected * f * f, "divida o gradiente de cada janela por f*f, o número de posições dela."),
                      (expected * f, "divida por f*f (a área da janela), não por f.")]
    else:
        default = ("o gradiente de cada janela vai inteiro para a posição do máximo da janela, com += (janelas "
                   "sobrepostas se acumulam).")
        candidates = [
            (loop_max_backward(A, dA, f, stride, rule="all"),
             "convenção de empates: só o PRIMEIRO máximo (lendo a janela linha por linha, como no TensorFlow) recebe "
             "o gradiente; np.argmax devolve justamente o primeiro."),
            (loop_max_backward(A, dA, f, stride, rule="last"),
             "convenção de empates: o gradiente vai para o PRIMEIRO máximo (linha por linha), não para o último."),
            (loop_max_backward(A, dA, f, stride, accumulate=False),
             "use += em dA_prev: quando as janelas se sobrepõem, uma posição pode ser o máximo de mais de uma "
             "janela e os gradientes se somam."),
        ]
    candidates.append((ref.pool_backward(dA, ref.pool_forward(A, f, stride, "average" if mode == "max" else "max")[1]),
                       "você usou o backward do outro modo: confira o mode guardado no cache."))
    return diagnose(got, expected, candidates, default)


def expect_pool_backward(student, A, f, stride, mode, dA, expected, *, case, hint=None, tolerance=1e-6):
    """The student's pool_backward against ``expected`` on the cache of the student's
    pool_forward where it works with that backward, else on the reference's
    (caches.grade_backward). ``hint(got)``: the hint for a wrong answer (default:
    ``pool_backward_hint``)."""
    def check(got):
        expect_close(expected, got, case=case, tolerance=tolerance,
                     hint=hint(got) if hint else pool_backward_hint(A, f, stride, mode, dA, got))

    grade_backward(student, "pool_forward", (A, f, stride), (dA,), check, kwargs={"mode": mode},
                   reference=ref.pool_forward)


@pytest.mark.grade("pool_backward")
class TestPoolBackward:
    @pytest.mark.parametrize("seed,geometry,mode", GEOMETRY_CASES)
    def test_random(self, student, seed, geometry, mode):
        """Gradiente do pooling em casos aleatórios"""
        A, f, stride, name = random_pooling(seed, geometry, mode)
        out, cache = ref.pool_forward(A, f, stride, mode)
        dA = random_array(seed + 500, out.shape)
        expect_pool_backward(student, A, f, stride, mode, dA, ref.pool_backward(dA, cache), case=name)

    @pytest.mark.parametrize("seed,geometry,mode", GRADIENT_CASES)
    def test_numerical_gradient(self, student, seed, geometry, mode):
        """Gradiente igual ao gradiente numérico"""
        A, f, stride, name = random_pooling(seed, geometry, mode)
        dA = random_array(seed + 500, ref.pool_forward(A, f, stride, mode)[0].shape)
        (expected,) = numerical_gradients(lambda A: ref.pool_forward(A, f, stride, mode), [A], dA)
        name = f"diferenças centradas, {name}"
        expect_pool_backward(student, A, f, stride, mode, dA, expected, case=name, tolerance=1e-5)

    def test_slide_route_to_maximum(self, student):
        """Tabela do slide 000, dA = 1: o gradiente vai para 6, 8, 9 e 4"""
        A = as_batch(pooling_table("000"))
        dA = np.ones((1, 2, 2, 1))
        expect_pool_backward(student, A, 2, 2, "max", dA, ref.pool_backward(dA, ref.pool_forward(A, 2, 2)[1]),
                             case="tabela do slide 000, max 2x2, dA = 1")

    def test_slide_7x7_overlapping(self, student):
        """Imagem 7x7 do slide 000, average, janela 3x3, stride 2, dA = 1"""
        expect_slide_7x7(student, "average")

    def test_integer_image(self, student):
        """Entrada de inteiros (a tabela do slide sem ponto decimal)"""
        A = as_batch(pooling_table("000")).astype(np.int64)
        dA = as_batch([[0.5, -1.5], [2.25, 0.75]])
        expected = ref.pool_backward(dA, ref.pool_forward(A, 2, 2)[1])
        expect_pool_backward(student, A, 2, 2, "max", dA, expected, case="tabela do slide 000 como int, dA com frações",
                             hint=lambda got: diagnose(got, expected, [(np.trunc(expected), INTEGER_GRADIENT)],
                                                       default=pool_backward_hint(A, 2, 2, "max", dA, got)))


INTEGER_GRADIENT = ("dA_prev herdou o tipo inteiro de A_prev (np.zeros_like copia o dtype) e as frações do gradiente "
                    "se perderam: crie dA_prev como um array de floats.")


def expect_slide_7x7(student, mode):
    A = as_batch(pooling_7x7_image())
    out, cache = ref.pool_forward(A, 3, 2, mode)
    dA = np.ones_like(out)
    expect_pool_backward(student, A, 3, 2, mode, dA, ref.pool_backward(dA, cache),
                         case=f"imagem 7x7, 3x3, stride 2, mode={mode!r}")


@pytest.mark.grade("pool_backward", weight=0.5)
class TestPoolBackwardTies:
    """The tie rule of max pooling, a convention: its own tests, worth one test together."""

    def test_ties(self, student):
        """Convenção de empates no max pooling: só o primeiro máximo recebe o gradiente"""
        A = as_batch(TIES)
        dA = as_batch([[1.0, 2.0], [3.0, 4.0]])
        expected = as_batch([[0, 1, 2, 0], [0, 0, 0, 0], [3, 0, 4, 0], [0, 0, 0, 0]])
        expect_pool_backward(student, A, 2, 2, "max", dA, expected,
                             case="janelas [[2, 7], [7, 0]], [[7, 1], [1, 1]], só 4 e só 9, dA = [[1, 2], [3, 4]]")

    def test_slide_7x7_ties(self, student):
        """Convenção de empates na imagem 7x7 do slide 000 (max, janela 3x3, stride 2, dA = 1)"""
        expect_slide_7x7(student, "max")


# --- global_pool ---------------------------------------------------------------------------

GLOBAL_SHAPES = [(1, 4, 4, 1), (2, 3, 5, 3), (3, 1, 1, 4), (2, 7, 2, 2), (1, 9, 9, 4)]


def global_pool_hint(A, mode, got):
    expected = ref.global_pool(A, mode)
    if isinstance(got, np.ndarray) and got.shape != expected.shape:
        if got.shape == (A.shape[0], 1, 1, A.shape[3]):
            return "devolva shape (m, n_C): reduza os eixos 1 e 2 sem keepdims."
        return "reduza a altura e a largura (eixos 1 e 2): o resultado tem shape (m, n_C)."
    other = "average" if mode == "max" else "max"
    return diagnose(got, expected, [(ref.global_pool(A, other), "confira o argumento mode ('max' ou 'average').")],
                    f"o {'máximo' if mode == 'max' else 'valor médio'} de cada canal de cada exemplo, "
                    "sobre altura e largura (axis=(1, 2)).")


@pytest.mark.grade("global_pool")
class TestGlobalPool:
    @pytest.mark.parametrize("seed,shape,mode", [case(seed, shape, mode, id=f"aleatório {seed}, {mode}, shape {shape}")
                                                 for mode in MODES for seed, shape in enumerate(GLOBAL_SHAPES)])
    def test_random(self, student, seed, shape, mode):
        """Pooling global em casos aleatórios"""
        A = random_array(seed, shape)
        got = student.call("global_pool", A, mode=mode)
        expect_close(ref.global_pool(A, mode), got, case=f"shape {shape}, mode={mode!r}",
                     hint=global_pool_hint(A, mode, got))

    @pytest.mark.parametrize("mode", [case("max", id="max -> 25"), case("average", id="average -> 12.25")])
    def test_slide_table(self, student, mode):
        """Tabela do slide 002"""
        A = as_batch(pooling_table("002"))
        got = student.call("global_pool", A, mode=mode)
        expect_close(ref.global_pool(A, mode), got, case=f"tabela do slide 002, mode={mode!r}",
                     hint=global_pool_hint(A, mode, got))

    def test_default_mode(self, student):
        """Sem o argumento mode: máximo"""
        A = random_array(30, (2, 3, 3, 2))
        got = student.call("global_pool", A)
        expect_close(ref.global_pool(A), got, case="global_pool(A)", hint="o padrão é mode=\"max\".")


# --- flatten -------------------------------------------------------------------------------

FLATTEN_SHAPES = [(1, 3, 3, 1), (2, 4, 5, 3), (3, 2, 2, 4), (1, 1, 7, 2), (2, 6, 1, 1), (3, 5, 3, 2)]


def flatten_hint(A, got):
    m = A.shape[0]
    expected = ref.flatten(A)
    if isinstance(got, np.ndarray) and got.shape != expected.shape:
        if got.shape == expected.shape[::-1]:
            return "um exemplo por LINHA: shape (m, n_H*n_W*n_C), não a transposta."
        return "cada exemplo vira uma linha: A.reshape(m, -1), com shape (m, n_H*n_W*n_C)."
    candidates = [
        (A.transpose(0, 3, 1, 2).reshape(m, -1),
         "a ordem é a do Keras (channels-last): primeiro os canais do pixel (0, 0), depois os do pixel (0, 1)...; "
         "não transponha os canais para a frente."),
        (A.reshape(m, -1, order="F"), "achate linha por linha (ordem C, a padrão do numpy), não coluna por coluna."),
        (A.transpose(0, 2, 1, 3).reshape(m, -1), "achate linha por linha: a linha 0 inteira, depois a linha 1..."),
    ]
    return diagnose(got, expected, candidates, "achate cada exemplo linha por linha: A.reshape(m, -1).")


@pytest.mark.grade("flatten")
class TestFlatten:
    @pytest.mark.parametrize("seed,shape", [case(seed, shape, id=f"aleatório {seed}, shape {shape}")
                                            for seed, shape in enumerate(FLATTEN_SHAPES)])
    def test_random(self, student, seed, shape):
        """Flatten em casos aleatórios"""
        A = random_array(seed, shape)
        got = student.call("flatten", A)
        expect_close(ref.flatten(A), got, case=f"shape {shape}", hint=flatten_hint(A, got))

    def test_slide_order(self, student):
        """Matriz 3x3 do slide 004, linha por linha"""
        A = as_batch(flatten_3x3_matrix())
        got = student.call("flatten", A)
        expect_close(ref.flatten(A), got, case="[[1, 1, 0], [4, 2, 1], [0, 2, 1]]",
                     hint=flatten_hint(A, got))

    def test_mnist_size(self, student):
        """Imagem 28x28 do MNIST: 784 valores"""
        A = random_array(20, (2, 28, 28, 1))
        got = student.call("flatten", A)
        expect_close(ref.flatten(A), got, case="2 imagens 28x28x1", hint=flatten_hint(A, got))

    def test_channels_of_a_pixel_together(self, student):
        """Os canais de um pixel ficam lado a lado"""
        A = np.arange(1.0, 13.0).reshape(1, 2, 2, 3)
        got = student.call("flatten", A)
        expect_close(np.arange(1.0, 13.0).reshape(1, 12), got, case="A = 1..12 com shape (1, 2, 2, 3)",
                     hint=flatten_hint(A, got))
