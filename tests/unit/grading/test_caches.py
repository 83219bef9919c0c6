"""What caches.cache_problem says about a student's cache against the contract's (the reference
forward's), and that the contract table agrees with solutions/."""
import numpy as np
import pytest

from autograder.grading.caches import CACHE_FIELDS, cache_problem, contract_text, same_value
from solutions import activations, backprop, convolution, pooling, recurrent

rng = np.random.default_rng(0)
A, W, b = rng.standard_normal((2, 5, 5, 3)), rng.standard_normal((3, 3, 3, 2)), rng.standard_normal(2)
CONV = convolution.conv_forward(A, W, b, stride=1, pad=1)[1]


def test_the_contract_table_matches_the_reference_caches():
    x = rng.standard_normal((2, 3))
    rnn = (rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), rng.standard_normal((3, 4)),
           rng.standard_normal((4, 4)), rng.standard_normal(4))
    lstm = (rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), rng.standard_normal((2, 4)),
            rng.standard_normal((3, 16)), rng.standard_normal((4, 16)), rng.standard_normal(16))
    caches = {
        "leaky_relu_forward": activations.leaky_relu_forward(x, 0.1)[1],
        "conv_forward": CONV,
        "pool_forward": pooling.pool_forward(A, 2, 2, "max")[1],
        "dense_forward": backprop.dense_forward(x, rng.standard_normal((3, 2)), np.zeros(2))[1],
        "rnn_cell_forward": recurrent.rnn_cell_forward(*rnn)[1],
        "lstm_cell_forward": recurrent.lstm_cell_forward(*lstm)[2],
    }
    for forward, cache in caches.items():
        assert len(cache) == len(CACHE_FIELDS[forward]), forward
        assert cache_problem(forward, cache, cache) is None


@pytest.mark.parametrize("got,piece", [
    (None, "o cache é None"),
    ({"A_prev": A}, "é um dict"),
    (CONV[:4], "com 5 elementos"),
    ((W, A, b, 1, 1), "fora de ordem: (W, A_prev, b, stride, pad)"),
    ((convolution.zero_pad(A, 1), W, b, 1, 1), "entrada com padding"),
    ((A + 1.0, W, b, 1, 1), "o elemento A_prev não é mais a entrada recebida"),
    ((A, W, b, 2, 1), "o elemento stride"),
])
def test_each_difference_is_named(got, piece):
    problem = cache_problem("conv_forward", got, CONV, {"A_prev": A, "padded": convolution.zero_pad(A, 1)})
    assert problem and piece in problem, problem


def test_a_list_for_a_tuple_and_float32_are_the_contract():
    assert cache_problem("conv_forward", [A.astype(np.float32), W, b, 1, 1], CONV) is None


def test_sequences_name_the_step():
    args = (rng.standard_normal((2, 3, 4)), np.zeros((2, 5)), rng.standard_normal((4, 5)),
            rng.standard_normal((5, 5)), rng.standard_normal(5))
    steps = recurrent.rnn_forward(*args)[1]
    assert cache_problem("rnn_forward", list(steps), steps) is None
    wrong = [steps[0], steps[1][:4], steps[2]]
    assert cache_problem("rnn_forward", wrong, steps).startswith("no passo t = 1, o cache é uma tupla de 4")
    assert "lista dos caches" in cache_problem("rnn_forward", steps[-1], steps)
    assert "tem 2 caches de passo" in cache_problem("rnn_forward", steps[:2], steps)


def test_single_value_caches():
    x = rng.standard_normal(4)
    assert cache_problem("relu_forward", x.copy(), x) is None
    assert "x, a própria entrada" in cache_problem("relu_forward", None, x)
    assert cache_problem("dropout_forward", None, None) is None
    assert "None neste caso" in cache_problem("dropout_forward", x, None)
    assert contract_text("dropout_forward") == "a máscara já escalada (mask)"
    assert not same_value("max", "average") and same_value(2, 2.0)
