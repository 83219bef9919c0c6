"""The cache a forward hands to its backward: its contract per forward, what differs in a
student's cache, and a backward graded on its own merit.

A backward is graded on the student's own cache where that cache works with the student's
backward (any layout the student chose); where it does not (None, another type or length, a
forward that crashes, values that disagree with the contract), on the reference forward's cache,
the tuple the notebook documents. A correct backward so never pays for its forward's cache, and
the forward's own ``test_cache`` reports the cache with a Portuguese hint (``expect_usable_cache``).
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from dlhelpers.checks import FORWARD_PARTS, returned_parts

from autograder.sandbox.trusted_side import CallTimeout, StudentCodeError

# The contract: the elements of each forward's cache, in order, as the notebooks document them
# (solutions/ computes them). A name alone is a cache that is that one value; a list of step
# caches is written ("list", <step forward>).
CACHE_FIELDS = {
    "relu_forward": "x",
    "leaky_relu_forward": ("x", "alpha"),
    "conv_forward": ("A_prev", "W", "b", "stride", "pad"),
    "pool_forward": ("A_prev", "f", "stride", "mode"),
    "dense_forward": ("x", "W", "b"),
    "dropout_forward": "mask",
    "rnn_cell_forward": ("x_t", "h_prev", "Wx", "Wh", "h_next"),
    "rnn_forward": ("list", "rnn_cell_forward"),
    "lstm_cell_forward": ("x_t", "h_prev", "c_prev", "Wx", "Wh", "i", "f", "g", "o", "c_next"),
}
# A cache that is one value, as the notebooks describe it.
SINGLE_VALUES = {"x": "x, a própria entrada", "mask": "a máscara já escalada (mask)"}
# What each forward returns; the cache is the last element.
FORWARD_RETURNS = {"lstm_cell_forward": ("h_next", "c_next", "cache")}

CACHE_TOLERANCE = 1e-6


def forward_returns(forward: str) -> tuple[str, ...]:
    return FORWARD_RETURNS.get(forward, FORWARD_PARTS)


def contract_text(forward: str) -> str:
    """The documented cache of ``forward`` as students read it: "(A_prev, W, b, stride, pad)"."""
    fields = CACHE_FIELDS[forward]
    if isinstance(fields, str):
        return SINGLE_VALUES.get(fields, fields)
    if fields[0] == "list":
        return f"a lista dos caches de {fields[1]}, um por passo, cada um {contract_text(fields[1])}"
    return f"({', '.join(fields)})"


def _kind(value) -> str:
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"um array de shape {value.shape}"
    if isinstance(value, tuple):
        return f"uma tupla de {len(value)} elemento{'' if len(value) == 1 else 's'}"
    if isinstance(value, list):
        return f"uma lista de {len(value)} elemento{'' if len(value) == 1 else 's'}"
    if isinstance(value, dict):
        return f"um dict (chaves {', '.join(map(str, value))})"
    return f"um {type(value).__name__}"


def same_value(got, expected) -> bool:
    """Whether one element of a cache is the contract's (arrays within CACHE_TOLERANCE)."""
    if expected is None:
        return got is None
    if isinstance(expected, (tuple, list)):
        return (isinstance(got, (tuple, list)) and len(got) == len(expected)
                and all(same_value(g, e) for g, e in zip(got, expected)))
    if isinstance(expected, str):
        return got == expected
    try:
        have = np.asarray(got, dtype=np.float64)
        want = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if have.shape != want.shape:
        return False
    return bool(np.all(np.abs(have - want) <= CACHE_TOLERANCE * np.maximum(1e-8, np.abs(have) + np.abs(want))))


def _element_hint(name: str, got, expected, inputs: dict) -> str:
    """Why element ``name`` of the cache is not the contract's: the typical mistakes by name."""
    if got is None:
        return f"o elemento {name} é None"
    padded = inputs.get("padded")
    if padded is not None and name in ("A_prev", "x") and same_value(got, padded):
        return (f"o elemento {name} é a entrada com padding (A_pad), não a entrada recebida: guarde {name} "
                "como chegou; o backward refaz o padding")
    shape_got, shape_expected = np.shape(got) if _numeric(got) else None, np.shape(expected)
    if shape_got is not None and shape_got != shape_expected and not isinstance(expected, str):
        return f"o elemento {name} tem shape {shape_got}, mas o contrato pede {shape_expected}"
    original = inputs.get(name)
    if original is not None and same_value(expected, original):
        return (f"o elemento {name} não é mais a entrada recebida: o seu forward alterou {name} (com +=, *= ou "
                "uma atribuição por índice) antes de guardá-lo; trabalhe numa cópia (ex.: .copy())")
    return f"o elemento {name} tem valores diferentes dos que o contrato pede"


def _numeric(value) -> bool:
    try:
        np.asarray(value, dtype=np.float64)
        return True
    except (TypeError, ValueError):
        return False


def cache_problem(forward: str, got, expected, inputs: dict | None = None) -> str | None:
    """None when ``got`` is the contract's cache of ``forward`` (``expected``, the reference
    forward's); otherwise what differs, in Portuguese, naming the elements. ``inputs`` maps an
    element's name to the value the forward received (and "padded" to the padded input), so that a
    mutated or padded input is named as such."""
    fields = CACHE_FIELDS[forward]
    inputs = inputs or {}
    if isinstance(fields, str):
        if same_value(got, expected):
            return None
        if expected is None:
            return f"o cache é {_kind(got)}, mas o contrato pede None neste caso"
        if got is None:
            return f"o cache é None, mas o contrato pede {contract_text(forward)}"
        return _element_hint(fields, got, expected, inputs).replace(f"o elemento {fields}", f"o cache ({fields})", 1)
    if fields[0] == "list":
        step = fields[1]
        if not isinstance(got, (list, tuple)) or not all(isinstance(item, (list, tuple, dict)) for item in got):
            return f"o cache é {_kind(got)}, mas o contrato pede {contract_text(forward)}"
        if len(got) != len(expected):
            return f"o cache tem {len(got)} caches de passo, mas a sequência tem {len(expected)} passos"
        for t, (have, want) in enumerate(zip(got, expected)):
            problem = cache_problem(step, have, want)
            if problem:
                return f"no passo t = {t}, {problem}"
        return None
    if not isinstance(got, (tuple, list)):
        return f"o cache é {_kind(got)}, mas o contrato pede a tupla {contract_text(forward)}, nessa ordem"
    if len(got) != len(fields):
        return (f"o cache é {_kind(got)}, mas o contrato pede a tupla {contract_text(forward)}, com {len(fields)} "
                "elementos nessa ordem")
    wrong = [i for i, (have, want) in enumerate(zip(got, expected)) if not same_value(have, want)]
    if not wrong:
        return None
    moved = {i: j for i in wrong for j, want in enumerate(expected)
             if j != i and same_value(got[i], want) and not same_value(expected[i], want)}
    if len(moved) >= 2:
        order = ", ".join(fields[moved.get(i, i)] for i in range(len(fields)))
        return (f"o cache tem os elementos fora de ordem: ({order}); o contrato pede {contract_text(forward)}, "
                "nessa ordem")
    return _element_hint(fields[wrong[0]], got[wrong[0]], expected[wrong[0]], inputs)


class CacheOutcome:
    """Which cache the backward was graded on: the student's own, or the reference's because the
    student's forward gave none that works (``reason``, Portuguese)."""

    def __init__(self, reason: str | None = None):
        self.reason = reason

    def note(self, forward: str) -> str:
        return (f"(este caso usou o cache de referência {contract_text(forward)}, porque o do seu {forward} não "
                f"serviu: {self.reason}; o teste 'O cache devolvido serve ao {forward.replace('forward', 'backward')}' "
                "diz o que corrigir)")


def _fetched(student, ref):
    """The value of a cache left in the worker, or an Opaque stand-in when it cannot be read."""
    try:
        return student.fetch(ref)
    except (StudentCodeError, CallTimeout) as error:
        return error


def _student_forward(student, forward, args, kwargs):
    """(what the student's forward returned, its cache left in the worker, or None; why there is
    no cache to use, or None)."""
    names = forward_returns(forward)
    try:
        parts = returned_parts(student.call(forward, *args, keep=(len(names) - 1,), **kwargs), names, forward)
    except StudentCodeError as error:
        return None, f"{forward} lançou um erro ({error.brief})"
    except CallTimeout:
        return None, f"{forward} esgotou o tempo"
    except AssertionError:
        return None, f"{forward} não devolveu a tupla ({', '.join(names)})"
    return parts, None


def grade_backward(student, forward: str, args, upstream, check: Callable, *, kwargs=None,
                   reference: Callable, call: Callable | None = None, own_check: Callable | None = None,
                   contract_cache=None):
    """Runs ``check(got)`` (raises AssertionError when wrong) on the student's backward of
    ``forward``, called with the ``upstream`` gradients and a cache:

    1. the student's own cache (``forward(*args, **kwargs)``, left in the worker): passes when the
       student's backward is right with it, whatever its layout;
    2. otherwise, when that cache is not the contract's (``contract_cache``, default: the cache of
       ``reference(*args, **kwargs)``), the contract's cache sent by value; its failure ends with a
       line naming the cache used.

    ``call(cache)`` calls the student's backward (default: ``student.call(backward, *upstream,
    cache)``), for a suite that explains some of its errors. Where the right gradients depend on
    what the student's forward returned (dropout's random mask), ``own_check(got, parts)`` checks
    the student's own cache and ``contract_cache(parts)`` gives the contract's. Returns the
    CacheOutcome."""
    kwargs = kwargs or {}
    backward = forward.replace("forward", "backward")
    call = call or (lambda cache: student.call(backward, *upstream, cache))
    own_check = own_check or (lambda got, parts: check(got))
    reference_cache = reference(*args, **kwargs)[-1]
    parts, reason = _student_forward(student, forward, args, kwargs)
    if reason is None:
        try:
            own_check(call(parts[-1]), parts)
            return CacheOutcome()
        except (StudentCodeError, AssertionError) as error:
            failure = error
        expected_cache = contract_cache(parts) if callable(contract_cache) else reference_cache
        problem = cache_problem(forward, _fetched(student, parts[-1]), expected_cache)
        if problem is None:  # the contract's cache: the failure is the backward's own
            raise failure
        reason = problem
    outcome = CacheOutcome(reason)
    try:
        check(call(reference_cache))
    except AssertionError as error:
        raise AssertionError(f"{error}\n{outcome.note(forward)}") from None
    except StudentCodeError as error:
        raise AssertionError(f"{error}\n{outcome.note(forward)}") from None
    return outcome


def expect_usable_cache(student, forward: str, args, upstream, expected_gradients, *, case: str, kwargs=None,
                        reference: Callable, inputs: dict | None = None, hint: str | None = None,
                        contract_cache=None, same_gradients: Callable | None = None):
    """The forward's ``test_cache``: the cache the student's ``forward`` returns is the contract's
    (the reference's, default) or, in a layout of the student's own, one the student's backward
    turns into ``expected_gradients``; otherwise AssertionError "o cache devolvido ..." with the
    difference and ``hint``. ``same_gradients(got, expected)`` compares (default: every element
    within the suites' tolerance). ``contract_cache`` and ``expected_gradients`` may be functions
    of what the student's forward returned (dropout's random mask)."""
    kwargs = kwargs or {}
    names = forward_returns(forward)
    parts = returned_parts(student.call(forward, *args, keep=(len(names) - 1,), **kwargs), names, case)
    if contract_cache is None:
        contract_cache = reference(*args, **kwargs)[-1]
    elif callable(contract_cache):
        contract_cache = contract_cache(parts)
    if callable(expected_gradients):
        expected_gradients = expected_gradients(parts)
    problem = cache_problem(forward, _fetched(student, parts[-1]), contract_cache, inputs)
    if problem is None:
        return
    same_gradients = same_gradients or same_value
    backward = forward.replace("forward", "backward")
    try:
        if same_gradients(student.call(backward, *upstream, parts[-1]), expected_gradients):
            return  # a layout of the student's own that the student's backward reads: fine
    except (StudentCodeError, CallTimeout):
        pass
    message = (f"{case}: o cache devolvido não segue o contrato: {problem}.\n"
               f"dica: o {backward} recebe esse cache e o lê como o enunciado documenta, "
               f"{contract_text(forward)}: devolva o cache nessa forma")
    if hint:
        message += f"; {hint}"
    raise AssertionError(message)
