"""Hidden suite of a5_rnn_lstm: RNN and LSTM cells and sequences, each against the reference on
seeded random cases (batch sizes 1-5, hidden sizes 1-5, sequence lengths 1, 2, 5 and 10) and the
"hello" walk-through of the slides; every backward also against centered differences of the
reference forward. A backward is graded on the cache of the student's own forward where it works
with that backward, else on the reference's (autograder.grading.caches): never on a forward's bug.

Where a wrong answer is a typical mistake (gates in another order, BPTT without the gradient from
the next step...), the test recomputes that mistake here (trusted side) from the same inputs and,
when the student's output reproduces it, names it in the hint.
"""
from itertools import permutations

import numpy as np
import pytest
from dlhelpers.checks import returned_parts
from dlhelpers.worked_examples import hello_one_hot, hello_output_weights_slide, hello_weights

from autograder.grading.caches import expect_usable_cache, grade_backward
from autograder.grading.expect import REL_TOLERANCE, case, diagnose, expect_close, expect_parts, numerical_gradients
from solutions import recurrent as ref

SEEDS = range(3)
GRAD_TOLERANCE = 1e-5  # against numerical gradients
KERAS_ORDER = "ifco"
GATE_ORDER_HINT = ("a ordem das portas em Wx, Wh e b é i, f, c, o, como no Keras (o seu resultado corresponde "
                   "à ordem {}).")


LSTM_CELL_OUTPUTS = ("h_next", "c_next", "cache")


FORWARD_OUTPUTS = ("out", "cache")


def expect_forward(student, function, args, *, case, mistakes=(), default=None):
    """The output of the student's ``function``, a pair (out, cache), against the reference's,
    with the hint of a typical mistake (value, hint) the output reproduces, else ``default``."""
    out, _ = student.forward(function, *args)
    expected = getattr(ref, function)(*args)[0]
    expect_close(expected, out, case=case, hint=diagnose(out, expected, mistakes, default=default))


def expect_backward(student, forward, args, upstream, names, *, case, hints, mistakes, expected=None,
                    tolerance=REL_TOLERANCE):
    """The student's backward of ``forward`` on the upstream gradients, against ``expected``
    (default: the reference's gradients); on the cache of the student's own forward where it works
    with that backward, else on the reference's (caches.grade_backward). For the sequences, the
    student's rnn_backward runs with the student's own rnn_cell_backward."""
    backward = forward.replace("forward", "backward")
    if expected is None:
        expected = getattr(ref, backward)(*upstream, getattr(ref, forward)(*args)[-1])

    def check(got):
        expect_parts(expected, got, names, case=case, hints=hints, mistakes=mistakes, tolerance=tolerance)

    grade_backward(student, forward, args, upstream, check, reference=getattr(ref, forward))


def expect_forward_cache(student, forward, args, upstream, names, *, case):
    """The forward's test_cache: the cache of the student's ``forward`` is the documented one, or
    one the student's backward reads (``names``: the backward's gradients)."""
    reference = getattr(ref, forward)
    expected = getattr(ref, forward.replace("forward", "backward"))(*upstream, reference(*args)[-1])
    argument_names = {"rnn_cell_forward": ("x_t", "h_prev", "Wx", "Wh"),
                      "lstm_cell_forward": ("x_t", "h_prev", "c_prev", "Wx", "Wh")}.get(forward, ())
    expect_usable_cache(student, forward, args, upstream, expected, case=case, reference=reference,
                        inputs=dict(zip(argument_names, args)))


def sigmoid(z):
    return (1 + np.tanh(z / 2)) / 2


# --- the "hello" walk-through of the slides (seed 004) -----------------------------------------

def hello_dh():
    """dL/dh of the walk-through: outputs y_t = W_hy h_t, softmax cross-entropy against 'ello'."""
    h, _ = ref.rnn_forward(hello_one_hot("hell"), np.zeros((1, 3)), *hello_weights())
    W_hy = hello_output_weights_slide()
    dh = np.zeros_like(h)
    for t, target in enumerate(hello_one_hot("ello")[0]):
        logits = h[:, t] @ W_hy.T
        e = np.exp(logits - logits.max())
        dh[:, t] = (e / e.sum() - target) @ W_hy
    return dh


# --- RNN cell ----------------------------------------------------------------------------------

CELL_SHAPES = [(1, 1, 1), (1, 3, 2), (2, 4, 3), (3, 2, 5), (5, 3, 4), (2, 3, 3)]
CELL_CASES = [case(seed, shape, id=f"aleatório {seed}, m={shape[0]}, D={shape[1]}, H={shape[2]}")
              for seed in SEEDS for shape in CELL_SHAPES]
RNN_CELL_NAMES = ("dx_t", "dh_prev", "dWx", "dWh", "db")
RNN_CELL_HINTS = {
    "dx_t": "primeiro leve dh_next para dentro da tanh (a derivada da tanh sai de h_next, que está no cache); "
            "depois volte pela multiplicação por Wx, conferindo os shapes: dx_t tem o shape de x_t.",
    "dh_prev": "primeiro leve dh_next para dentro da tanh (a derivada da tanh sai de h_next); depois volte "
               "pela multiplicação por Wh, conferindo os shapes: dh_prev tem o shape de h_prev.",
    "dWx": "o gradiente de um peso junta a entrada que ele multiplicou (x_t) com o gradiente depois da tanh; "
           "dWx tem o shape de Wx, (D, H).",
    "dWh": "o gradiente de um peso junta a entrada que ele multiplicou (h_prev) com o gradiente depois da tanh; "
           "dWh tem o shape de Wh, (H, H).",
    "db": "db soma, sobre os exemplos, o gradiente depois da tanh: shape (H,).",
}


def rnn_weights(rng, D, H):
    return 0.5 * rng.standard_normal((D, H)), 0.5 * rng.standard_normal((H, H)), 0.3 * rng.standard_normal(H)


def rnn_cell_inputs(seed, shape):
    m, D, H = shape
    rng = np.random.default_rng(seed)
    x, h_prev = rng.standard_normal((m, D)), np.tanh(rng.standard_normal((m, H)))
    return (x, h_prev, *rnn_weights(rng, D, H))


def rnn_cell_forward_mistakes(x, h_prev, Wx, Wh, b):
    a = x @ Wx + h_prev @ Wh + b
    return [
        (a, "aplique tanh: h_next = tanh(x_t @ Wx + h_prev @ Wh + b)."),
        (sigmoid(a), "a ativação da célula RNN simples (SimpleRNN) é tanh, não sigmoide."),
        (np.tanh(x @ Wx + h_prev @ Wh), "faltou somar o bias b."),
        (np.tanh(x @ Wx + b), "some h_prev @ Wh: a memória do passo anterior."),
        (np.tanh(x @ Wh + h_prev @ Wx + b) if Wx.shape == Wh.shape else None,
         "x_t multiplica Wx (kernel) e h_prev multiplica Wh (recurrent kernel)."),
        (np.tanh(x @ Wx + h_prev @ Wh.T + b), "layout do Keras: h_prev @ Wh, sem transpor Wh."),
    ]


def rnn_cell_grads(dh_next, x, h_prev, Wx, Wh, b, slope="right", transpose_wh=True):
    """The gradients of one RNN step, right or with one typical mistake."""
    h_next = np.tanh(x @ Wx + h_prev @ Wh + b)
    da = {"right": dh_next * (1 - h_next**2), "none": dh_next,
          "twice": dh_next * (1 - np.tanh(h_next) ** 2), "h_prev": dh_next * (1 - h_prev**2)}[slope]
    return da @ Wx.T, da @ (Wh.T if transpose_wh else Wh), x.T @ da, h_prev.T @ da, da.sum(axis=0)


def rnn_cell_backward_mistakes(dh_next, x, h_prev, Wx, Wh, b):
    right = rnn_cell_grads(dh_next, x, h_prev, Wx, Wh, b)
    m = len(x)
    return [
        (rnn_cell_grads(dh_next, x, h_prev, Wx, Wh, b, "none"),
         "multiplique dh_next pela derivada da tanh (calculada a partir de h_next, que está no cache) antes de "
         "tudo."),
        (rnn_cell_grads(dh_next, x, h_prev, Wx, Wh, b, "twice"),
         "h_next já é tanh(a): na derivada da tanh use h_next como está, sem aplicar tanh de novo."),
        (rnn_cell_grads(dh_next, x, h_prev, Wx, Wh, b, "h_prev"),
         "a derivada da tanh usa a saída deste passo, h_next, não h_prev."),
        (rnn_cell_grads(dh_next, x, h_prev, Wx, Wh, b, transpose_wh=False),
         "dh_prev volta por Wh transposta: como Wh é quadrada, o shape não denuncia a falta da transposição."),
        ((*right[:4], right[4] / m), "db é a SOMA de da sobre os exemplos, sem dividir por m."),
        ((right[0], right[1], right[2] / m, right[3] / m, right[4] / m),
         "não divida por m: a média da perda já está em dh_next."),
    ]


@pytest.mark.grade("rnn_cell_forward")
class TestRnnCellForward:
    @pytest.mark.parametrize("seed,shape", CELL_CASES)
    def test_random(self, student, seed, shape):
        """Um passo da RNN em casos aleatórios"""
        args = rnn_cell_inputs(seed, shape)
        expect_forward(student, "rnn_cell_forward", args, case=f"m={shape[0]}, D={shape[1]}, H={shape[2]}",
                       mistakes=rnn_cell_forward_mistakes(*args), default="h_next = tanh(x_t @ Wx + h_prev @ Wh + b).")

    def test_bias_only(self, student):
        """Só o bias é diferente de zero"""
        args = (np.zeros((2, 3)), np.zeros((2, 2)), np.ones((3, 2)), np.ones((2, 2)), np.array([0.5, -1.5]))
        expect_forward(student, "rnn_cell_forward", args, case="x_t e h_prev zero, b = (0.5, -1.5)",
                       default="só o bias é diferente de zero: h_next = tanh(b) em cada linha.")

    @pytest.mark.parametrize("step", [case(1, id="passo 1: 'h' com h0 = 0"), case(2, id="passo 2: 'e' com h1")])
    def test_hello(self, student, step):
        """Exemplo 'hello' do slide"""
        x, weights = hello_one_hot("he"), hello_weights()
        h_prev = np.zeros((1, 3)) if step == 1 else ref.rnn_cell_forward(x[:, 0], np.zeros((1, 3)), *weights)[0]
        args = (x[:, step - 1], h_prev, *weights)
        expect_forward(student, "rnn_cell_forward", args, case=f"'hello', passo {step}",
                       mistakes=rnn_cell_forward_mistakes(*args),
                       default="o slide mostra W_xh (3, 4); o kernel do Keras, Wx, é a transposta (4, 3). "
                               "h_next = tanh(x_t @ Wx + h_prev @ Wh + b).")

    def test_cache(self, student):
        """O cache devolvido serve ao rnn_cell_backward"""
        shape = (2, 4, 3)
        dh_next = np.random.default_rng(90).standard_normal((shape[0], shape[2]))
        expect_forward_cache(student, "rnn_cell_forward", rnn_cell_inputs(9, shape), (dh_next,), RNN_CELL_NAMES,
                             case="m=2, D=4, H=3")


def expect_rnn_cell_backward(student, args, dh_next, *, case, expected=None, tolerance=REL_TOLERANCE):
    expect_backward(student, "rnn_cell_forward", args, (dh_next,), RNN_CELL_NAMES, case=case, hints=RNN_CELL_HINTS,
                    mistakes=rnn_cell_backward_mistakes(dh_next, *args), expected=expected, tolerance=tolerance)


@pytest.mark.grade("rnn_cell_backward")
class TestRnnCellBackward:
    @pytest.mark.parametrize("seed,shape", CELL_CASES)
    def test_random(self, student, seed, shape):
        """Gradientes de um passo da RNN em casos aleatórios"""
        dh_next = np.random.default_rng(seed + 50).standard_normal((shape[0], shape[2]))
        expect_rnn_cell_backward(student, rnn_cell_inputs(seed, shape), dh_next,
                                 case=f"m={shape[0]}, D={shape[1]}, H={shape[2]}")

    @pytest.mark.parametrize("seed,shape", [case(s, shape, id=f"m={shape[0]}, D={shape[1]}, H={shape[2]}")
                                            for s, shape in enumerate([(1, 2, 3), (3, 3, 2), (4, 1, 4)])])
    def test_numerical_gradient(self, student, seed, shape):
        """Gradientes iguais aos gradientes numéricos"""
        args = rnn_cell_inputs(seed + 20, shape)
        dh_next = np.random.default_rng(seed + 60).standard_normal((shape[0], shape[2]))
        expect_rnn_cell_backward(student, args, dh_next, case="diferenças centradas", tolerance=GRAD_TOLERANCE,
                                 expected=tuple(numerical_gradients(ref.rnn_cell_forward, list(args), dh_next)))

    def test_hello(self, student):
        """Exemplo 'hello' do slide: gradientes do primeiro passo"""
        args = (hello_one_hot("h")[:, 0], np.zeros((1, 3)), *hello_weights())
        expect_rnn_cell_backward(student, args, hello_dh()[:, 0], case="'hello', passo 1")


# --- RNN over a sequence -----------------------------------------------------------------------

SEQ_SHAPES = [(1, 1, 1, 1), (2, 1, 3, 2), (1, 2, 2, 3), (3, 2, 4, 3), (2, 5, 3, 4), (1, 5, 1, 2),
              (3, 10, 2, 3), (2, 10, 3, 1)]


def seq_id(shape):
    m, T, D, H = shape
    return f"m={m}, T={T}, D={D}, H={H}"


SEQ_CASES = [case(seed, shape, id=f"aleatório {seed}, {seq_id(shape)}") for seed in range(2) for shape in SEQ_SHAPES]
RNN_NAMES = ("dx", "dh0", "dWx", "dWh", "db")
RNN_HINTS = {
    "dx": "percorra os passos de trás para frente: dx[:, t] é o dx_t da célula no passo t (se você usa "
          "rnn_cell_backward, confira antes os testes dela).",
    "dh0": "dh0 é o dh_prev que sai do passo t = 0, o último processado no backward.",
    "dWx": "dWx soma as contribuições de todos os passos.",
    "dWh": "dWh soma as contribuições de todos os passos.",
    "db": "db soma as contribuições de todos os passos.",
}


def rnn_seq_inputs(seed, shape):
    m, T, D, H = shape
    rng = np.random.default_rng(seed + 200)
    x, h0 = rng.standard_normal((m, T, D)), np.tanh(rng.standard_normal((m, H)))
    return (x, h0, *rnn_weights(rng, D, H))


def rnn_forward_mistakes(x, h0, Wx, Wh, b):
    h, _ = ref.rnn_forward(x, h0, Wx, Wh, b)
    always_h0 = np.stack([ref.rnn_cell_forward(x[:, t], h0, Wx, Wh, b)[0] for t in range(x.shape[1])], axis=1)
    return [
        (ref.rnn_forward(x, np.zeros_like(h0), Wx, Wh, b)[0], "comece do estado inicial h0 recebido, não de zeros."),
        (np.concatenate([h0[:, None], h[:, :-1]], axis=1),
         "h[:, t] é o estado DEPOIS do passo t (o h_next da célula), não o h_prev."),
        (always_h0, "cada passo usa o estado do passo anterior: h_prev = h[:, t-1] (h0 só no primeiro)."),
        (h[:, -1], "devolva os estados de todos os passos, shape (m, T, H), não só o último."),
    ]


def bptt(dh, x, h0, Wx, Wh, b, carry=True, accumulate=True, own_dh=True, keep_dh0=True):
    """Backpropagation through time, right or with one typical mistake."""
    _, caches = ref.rnn_forward(x, h0, Wx, Wh, b)
    T = x.shape[1]
    dx = np.zeros_like(x)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh_next = np.zeros_like(h0)
    for t in reversed(range(T)):
        incoming = (dh[:, t] if own_dh or t == T - 1 else 0) + (dh_next if carry else 0)
        dx[:, t], dh_next, dWx_t, dWh_t, db_t = ref.rnn_cell_backward(incoming, caches[t])
        if accumulate:
            dWx, dWh, db = dWx + dWx_t, dWh + dWh_t, db + db_t
        else:
            dWx, dWh, db = dWx_t, dWh_t, db_t
    return dx, (dh_next if keep_dh0 else np.zeros_like(h0)), dWx, dWh, db


def rnn_backward_mistakes(dh, x, h0, Wx, Wh, b):
    return [
        (bptt(dh, x, h0, Wx, Wh, b, carry=False),
         "no passo t some o gradiente que vem do passo t+1 (o dh_prev calculado no passo t+1) a dh[:, t]."),
        (bptt(dh, x, h0, Wx, Wh, b, own_dh=False),
         "o estado h[:, t] recebe gradiente de dois lados: dh[:, t], da perda naquele passo, e o do passo t+1."),
        (bptt(dh, x, h0, Wx, Wh, b, accumulate=False),
         "some (+=) os gradientes dos pesos de todos os passos: os pesos são compartilhados ao longo do tempo."),
        (bptt(dh, x, h0, Wx, Wh, b, keep_dh0=False), "dh0 é o dh_prev que sai do passo t = 0, não zero."),
    ]


def last_step_only(dh):
    only = np.zeros_like(dh)
    only[:, -1] = dh[:, -1]
    return only


@pytest.mark.grade("rnn_forward")
class TestRnnForward:
    @pytest.mark.parametrize("seed,shape", SEQ_CASES)
    def test_random(self, student, seed, shape):
        """RNN sobre uma sequência em casos aleatórios"""
        args = rnn_seq_inputs(seed, shape)
        expect_forward(student, "rnn_forward", args, case=seq_id(shape), mistakes=rnn_forward_mistakes(*args),
                       default="para t = 0..T-1: h_t = rnn_cell_forward(x[:, t], h_{t-1}, ...), com h_{-1} = h0; "
                               "guarde h_t em h[:, t] (confira antes os testes de rnn_cell_forward).")

    def test_hello(self, student):
        """Exemplo 'hello' do slide: estados de 'h', 'e', 'l', 'l'"""
        args = (hello_one_hot("hell"), np.zeros((1, 3)), *hello_weights())
        expect_forward(student, "rnn_forward", args, case="'hell', h0 = 0", mistakes=rnn_forward_mistakes(*args),
                       default="h[0, 0] deve ser (0.69317, 0.89955, 0.80212) e h[0, 1] (0.93653, 0.94910, 0.76234), "
                               "como no slide.")

    def test_cache(self, student):
        """O cache devolvido serve ao rnn_backward"""
        shape = (2, 5, 3, 4)
        dh = np.random.default_rng(91).standard_normal((shape[0], shape[1], shape[3]))
        expect_forward_cache(student, "rnn_forward", rnn_seq_inputs(19, shape), (dh,), RNN_NAMES,
                             case=seq_id(shape))


def expect_rnn_backward(student, args, dh, *, case, expected=None, tolerance=REL_TOLERANCE):
    expect_backward(student, "rnn_forward", args, (dh,), RNN_NAMES, case=case, hints=RNN_HINTS,
                    mistakes=rnn_backward_mistakes(dh, *args), expected=expected, tolerance=tolerance)


@pytest.mark.grade("rnn_backward")
class TestRnnBackward:
    @pytest.mark.parametrize("seed,shape,mode", [
        case(index, shape, mode, id=f"{seq_id(shape)}, dh {label}")
        for mode, label in (("all", "em todos os passos"), ("last", "só no último passo"))
        for index, shape in enumerate(SEQ_SHAPES)])
    def test_random(self, student, seed, shape, mode):
        """Retropropagação através do tempo em casos aleatórios"""
        m, T, _, H = shape
        dh = np.random.default_rng(seed + 300).standard_normal((m, T, H))
        if mode == "last":
            dh = last_step_only(dh)
        where = "só no último passo" if mode == "last" else "em todos os passos"
        expect_rnn_backward(student, rnn_seq_inputs(seed + 10, shape), dh, case=f"{seq_id(shape)}, dh {where}")

    @pytest.mark.parametrize("shape", [case(shape, id=seq_id(shape))
                                       for shape in [(2, 1, 2, 3), (1, 2, 3, 2), (2, 5, 2, 3), (1, 10, 2, 2)]])
    def test_numerical_gradient(self, student, shape):
        """Gradientes iguais aos gradientes numéricos"""
        args = rnn_seq_inputs(shape[1] + 40, shape)
        dh = np.random.default_rng(shape[1] + 400).standard_normal((shape[0], shape[1], shape[3]))
        expect_rnn_backward(student, args, dh, case=f"diferenças centradas, {seq_id(shape)}", tolerance=GRAD_TOLERANCE,
                            expected=tuple(numerical_gradients(ref.rnn_forward, list(args), dh)))

    def test_hello(self, student):
        """Exemplo 'hello' do slide: BPTT da perda de prever 'ello'"""
        args = (hello_one_hot("hell"), np.zeros((1, 3)), *hello_weights())
        expect_rnn_backward(student, args, hello_dh(),
                            case="'hell' -> 'ello', saídas y_t = W_hy h_t e entropia cruzada")


# --- LSTM --------------------------------------------------------------------------------------

LSTM_CELL_SHAPES = [(1, 1, 1), (1, 3, 2), (2, 4, 3), (3, 2, 5), (5, 3, 4), (2, 2, 2)]
LSTM_CELL_CASES = [case(seed, shape, id=f"aleatório {seed}, m={shape[0]}, D={shape[1]}, H={shape[2]}")
                   for seed in SEEDS for shape in LSTM_CELL_SHAPES]
LSTM_CELL_NAMES = ("dx_t", "dh_prev", "dc_prev", "dWx", "dWh", "db")
LSTM_CELL_HINTS = {
    "dx_t": "junte os gradientes das quatro portas (já multiplicados pelas derivadas das suas ativações) na "
            "ordem i, f, c, o, como em z; depois volte pela multiplicação por Wx, conferindo os shapes.",
    "dh_prev": "volte pela multiplicação por Wh com o gradiente de z (as quatro portas na ordem i, f, c, o).",
    "dc_prev": "c_next recebe gradiente por dois caminhos (dc_next e o que volta por h_next = o * tanh(c_next)); "
               "c_prev entrou em c_next multiplicada pela porta de esquecimento.",
    "dWx": "dWx junta x_t com o gradiente de z (portas na ordem i, f, c, o): shape (D, 4H).",
    "dWh": "dWh junta h_prev com o gradiente de z (portas na ordem i, f, c, o): shape (H, 4H).",
    "db": "db soma sobre os exemplos o gradiente de z (portas na ordem i, f, c, o): shape (4H,).",
}
WRONG_ORDERS = ["".join(p) for p in permutations(KERAS_ORDER) if "".join(p) != KERAS_ORDER]


def lstm_weights(rng, D, H, scale=0.5):
    return (scale * rng.standard_normal((D, 4 * H)), scale * rng.standard_normal((H, 4 * H)),
            0.3 * rng.standard_normal(4 * H))


def lstm_cell_inputs(seed, shape, scale=0.5):
    m, D, H = shape
    rng = np.random.default_rng(seed + 500)
    x, h_prev, c_prev = rng.standard_normal((m, D)), np.tanh(rng.standard_normal((m, H))), rng.standard_normal((m, H))
    return (x, h_prev, c_prev, *lstm_weights(rng, D, H, scale))


def lstm_cell(x, h_prev, c_prev, Wx, Wh, b, order=KERAS_ORDER, squash_c=True, candidate=np.tanh, forget=True):
    """One LSTM step reading the 4 blocks of z as the gates ``order``, right or with one mistake."""
    z = x @ Wx + h_prev @ Wh + b
    gate = dict(zip(order, np.split(z, 4, axis=1)))
    i, f, o, g = sigmoid(gate["i"]), sigmoid(gate["f"]), sigmoid(gate["o"]), candidate(gate["c"])
    c_next = (f * c_prev if forget else 0) + i * g
    return o * (np.tanh(c_next) if squash_c else c_next), c_next


def forget_on_candidate(x, h_prev, c_prev, Wx, Wh, b):
    """The forget gate on the candidate and the input gate on the old memory: f and i swapped in c_next."""
    return lstm_cell(x, h_prev, c_prev, Wx, Wh, b, order="fico")


FORGET_HINT = ("a porta de esquecimento f decide quanto da memória ANTIGA (c_prev) fica; a porta de entrada i, "
               "quanto do candidato g entra.")


def lstm_cell_forward_mistakes(*args):
    return [
        (forget_on_candidate(*args), FORGET_HINT),
        *[(lstm_cell(*args, order=order), GATE_ORDER_HINT.format(", ".join(order))) for order in WRONG_ORDERS],
        (lstm_cell(*args, squash_c=False), "h_next = o * tanh(c_next): faltou a tanh da memória."),
        (lstm_cell(*args, candidate=sigmoid), "o candidato g usa tanh, não sigmoide (só i, f e o são sigmoides)."),
        (lstm_cell(*args, forget=False), "c_next = f * c_prev + i * g: faltou a memória antiga, f * c_prev."),
    ]


def lstm_cell_grads(dh_next, dc_next, x, h_prev, c_prev, Wx, Wh, b, order=KERAS_ORDER, concat=None,
                    two_paths=True):
    """Gradients of one LSTM step whose forward reads the gates in ``order`` and whose backward
    stacks dz in ``concat`` (default: the same order); right for the Keras order."""
    z = x @ Wx + h_prev @ Wh + b
    gate = dict(zip(order, np.split(z, 4, axis=1)))
    i, f, o, g = sigmoid(gate["i"]), sigmoid(gate["f"]), sigmoid(gate["o"]), np.tanh(gate["c"])
    c_next = f * c_prev + i * g
    tanh_c = np.tanh(c_next)
    dc = dc_next + (dh_next * o * (1 - tanh_c**2) if two_paths else 0)
    dz_gate = {"i": dc * g * i * (1 - i), "f": dc * c_prev * f * (1 - f), "c": dc * i * (1 - g**2),
               "o": dh_next * tanh_c * o * (1 - o)}
    dz = np.concatenate([dz_gate[name] for name in (concat or order)], axis=1)
    return dz @ Wx.T, dz @ Wh.T, dc * f, x.T @ dz, h_prev.T @ dz, dz.sum(axis=0)


def lstm_cell_backward_mistakes(dh_next, dc_next, *args):
    return [
        (lstm_cell_grads(dh_next, dc_next, *args, two_paths=False),
         "c_next recebe gradiente por dois caminhos: dc_next e o que volta por h_next = o * tanh(c_next). "
         "Some os dois."),
        *[(lstm_cell_grads(dh_next, dc_next, *args, concat=order),
           f"junte dz na ordem das portas do Keras, i, f, c, o (o seu está na ordem {', '.join(order)}).")
          for order in WRONG_ORDERS],
        *[(lstm_cell_grads(dh_next, dc_next, *args, order=order), GATE_ORDER_HINT.format(", ".join(order)))
          for order in WRONG_ORDERS],
    ]


def lstm_seq_inputs(seed, shape):
    m, T, D, H = shape
    rng = np.random.default_rng(seed + 700)
    x, h0, c0 = rng.standard_normal((m, T, D)), np.tanh(rng.standard_normal((m, H))), rng.standard_normal((m, H))
    return (x, h0, c0, *lstm_weights(rng, D, H))


def lstm_sequence(x, h0, c0, Wx, Wh, b, keep_c=True, output="h", **mistake):
    h_t, c_t, hs, cs = h0, c0, [], []
    for t in range(x.shape[1]):
        h_t, c_next = lstm_cell(x[:, t], h_t, c_t if keep_c else c0, Wx, Wh, b, **mistake)
        c_t = c_next
        hs.append(h_t)
        cs.append(c_t)
    return np.stack(hs if output == "h" else cs, axis=1)


def lstm_forward_mistakes(x, h0, c0, Wx, Wh, b):
    args = (x, h0, c0, Wx, Wh, b)
    h = lstm_sequence(*args)
    return [
        *[(lstm_sequence(*args, order=order), GATE_ORDER_HINT.format(", ".join(order))) for order in WRONG_ORDERS],
        (lstm_sequence(x, h0, np.zeros_like(c0), Wx, Wh, b), "comece da memória inicial c0 recebida, não de zeros."),
        (lstm_sequence(x, np.zeros_like(h0), c0, Wx, Wh, b), "comece do estado inicial h0 recebido, não de zeros."),
        (lstm_sequence(*args, keep_c=False), "passe a memória adiante: cada passo usa o c_next do passo anterior."),
        (lstm_sequence(*args, output="c"), "h guarda os estados ocultos h_t, não as memórias c_t."),
        (np.concatenate([h0[:, None], h[:, :-1]], axis=1),
         "h[:, t] é o estado DEPOIS do passo t (o h_next da célula), não o h_prev."),
        (lstm_sequence(*args, squash_c=False), "h_next = o * tanh(c_next): faltou a tanh da memória."),
    ]


LSTM_CELL_FORWARD_HINTS = {"h_next": "h_next = o * tanh(c_next).", "c_next": "c_next = f * c_prev + i * g."}


def expect_lstm_cell_forward(student, args, *, case, hints=LSTM_CELL_FORWARD_HINTS):
    """h_next and c_next of the student's lstm_cell_forward against the reference's."""
    got = returned_parts(student.call("lstm_cell_forward", *args, keep=(2,)), LSTM_CELL_OUTPUTS, "lstm_cell_forward")
    expect_parts(ref.lstm_cell_forward(*args)[:2], got[:2], LSTM_CELL_OUTPUTS[:2], case=case, hints=hints,
                 mistakes=lstm_cell_forward_mistakes(*args))


@pytest.mark.grade("lstm_cell_forward")
class TestLstmCellForward:
    @pytest.mark.parametrize("seed,shape", LSTM_CELL_CASES)
    def test_random(self, student, seed, shape):
        """Um passo da LSTM em casos aleatórios"""
        expect_lstm_cell_forward(student, lstm_cell_inputs(seed, shape),
                                 case=f"m={shape[0]}, D={shape[1]}, H={shape[2]}")

    def test_bias_only(self, student):
        """Só o bias é diferente de zero: uma porta de cada vez"""
        b = np.array([0.0, 1.0, 2.0, -2.0, 0.5, -1.0, 1.0, -0.5])  # i | f | c | o, H = 2
        args = (np.array([[1.0]]), np.array([[0.3, -0.2]]), np.array([[1.0, -2.0]]), np.zeros((1, 8)),
                np.zeros((2, 8)), b)
        expect_lstm_cell_forward(student, args, case="pesos zero, b = (0, 1 | 2, -2 | 0.5, -1 | 1, -0.5)", hints={
            "h_next": "z = b: i = sigmoid(b[0:2]), f = sigmoid(b[2:4]), g = tanh(b[4:6]), o = sigmoid(b[6:8]).",
            "c_next": "z = b: i = sigmoid(b[0:2]), f = sigmoid(b[2:4]), g = tanh(b[4:6]); c_next = f * c_prev + i * g.",
        })

    @pytest.mark.parametrize("seed", [case(0, id="pesos grandes, m=3, D=2, H=2")])
    def test_saturated_gates(self, student, seed):
        """Portas saturadas (pesos grandes)"""
        expect_lstm_cell_forward(student, lstm_cell_inputs(seed + 30, (3, 2, 2), scale=8.0),
                                 case="pesos grandes (portas perto de 0 ou 1)")

    def test_cache(self, student):
        """O cache devolvido serve ao lstm_cell_backward"""
        shape = (2, 4, 3)
        dh, dc = lstm_upstream(29, shape[0], shape[2], "both")
        expect_forward_cache(student, "lstm_cell_forward", lstm_cell_inputs(29, shape), (dh, dc), LSTM_CELL_NAMES,
                             case="m=2, D=4, H=3")


LSTM_MODES = (("dh", "só dh_next"), ("dc", "só dc_next"), ("both", "dh_next e dc_next"))


def lstm_upstream(seed, m, H, mode):
    rng = np.random.default_rng(seed + 600)
    dh, dc = rng.standard_normal((m, H)), rng.standard_normal((m, H))
    return (dh if mode != "dc" else np.zeros((m, H))), (dc if mode != "dh" else np.zeros((m, H)))


def lstm_cell_output(x, h_prev, c_prev, Wx, Wh, b):
    """h_next and c_next side by side: one output for numerical_gradients."""
    h_next, c_next, _ = ref.lstm_cell_forward(x, h_prev, c_prev, Wx, Wh, b)
    return (np.concatenate([h_next, c_next], axis=1),)


def expect_lstm_cell_backward(student, args, dh, dc, *, case, expected=None, tolerance=REL_TOLERANCE):
    expect_backward(student, "lstm_cell_forward", args, (dh, dc), LSTM_CELL_NAMES, case=case, hints=LSTM_CELL_HINTS,
                    mistakes=lstm_cell_backward_mistakes(dh, dc, *args), expected=expected, tolerance=tolerance)


@pytest.mark.grade("lstm_cell_backward")
class TestLstmCellBackward:
    @pytest.mark.parametrize("seed,shape,mode", [
        case(index, shape, mode, id=f"m={shape[0]}, D={shape[1]}, H={shape[2]}, {label}")
        for mode, label in LSTM_MODES for index, shape in enumerate(LSTM_CELL_SHAPES)])
    def test_random(self, student, seed, shape, mode):
        """Gradientes de um passo da LSTM em casos aleatórios"""
        dh, dc = lstm_upstream(seed, shape[0], shape[2], mode)
        expect_lstm_cell_backward(student, lstm_cell_inputs(seed + 10, shape), dh, dc,
                                  case=f"m={shape[0]}, D={shape[1]}, H={shape[2]}, {dict(LSTM_MODES)[mode]}")

    @pytest.mark.parametrize("shape,mode", [
        case((2, 3, 2), "dh", id="m=2, D=3, H=2, só dh_next"),
        case((1, 2, 3), "dc", id="m=1, D=2, H=3, só dc_next"),
        case((3, 2, 2), "both", id="m=3, D=2, H=2, dh_next e dc_next"),
        case((2, 1, 1), "both", id="m=2, D=1, H=1, dh_next e dc_next"),
    ])
    def test_numerical_gradient(self, student, shape, mode):
        """Gradientes iguais aos gradientes numéricos"""
        args = lstm_cell_inputs(shape[2] + 40, shape)
        dh, dc = lstm_upstream(shape[0] + 70, shape[0], shape[2], mode)
        expected = tuple(numerical_gradients(lstm_cell_output, list(args), np.concatenate([dh, dc], axis=1)))
        expect_lstm_cell_backward(student, args, dh, dc, case=f"diferenças centradas, {dict(LSTM_MODES)[mode]}",
                                  expected=expected, tolerance=GRAD_TOLERANCE)


@pytest.mark.grade("lstm_forward")
class TestLstmForward:
    @pytest.mark.parametrize("seed,shape", SEQ_CASES)
    def test_random(self, student, seed, shape):
        """LSTM sobre uma sequência em casos aleatórios"""
        args = lstm_seq_inputs(seed, shape)
        expect_forward(student, "lstm_forward", args, case=seq_id(shape), mistakes=lstm_forward_mistakes(*args),
                       default="para t = 0..T-1: h_t, c_t = lstm_cell_forward(x[:, t], h_{t-1}, c_{t-1}, ...), "
                               "começando de h0 e c0; guarde h_t em h[:, t] (confira antes os testes de "
                               "lstm_cell_forward).")
