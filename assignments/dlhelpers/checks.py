"""Visible checks: run a student's function on a few public cases and answer in Portuguese.

Each assignment's cases are data (name, inputs, expected output, hint) in ``visible_cases/``.
``check_exercise(function)`` runs the cases of that function, prints one line when all pass and,
at the first failing case, stops with a message that names the case, shows expected vs. got and
gives the hint. A function that still raises NotImplementedError stops Run-All with a friendly
message instead of a traceback.

The checks refuse, on any numpy, what the grading machine's numpy (2.4) refuses: an array with
ndim > 0 used as a number (``float(np.array([1.0]))``, ``Z[i, j] = <array of shape (1, 1, 1)>``),
which numpy 1.25-2.x only warn about, and a result that should be a number but is such an
array. So a student never passes here and fails at grading for that reason.
"""
from __future__ import annotations

import copy
import importlib
import pkgutil
import re
import sys
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from dlhelpers import visible_cases

RTOL = 1e-6
ATOL = 1e-8
SMALL_ARRAY = 12  # arrays up to this many elements are printed whole, larger ones summarised
POINTED = 3  # differing positions a message about a larger array shows, with both values
# numpy 1.25-2.x: DeprecationWarning "Conversion of an array with ndim > 0 to a scalar is
# deprecated"; newer numpy raises TypeError/ValueError for the same code. The checks turn the
# warning into an error, so the student sees on numpy 2.0 what grading (numpy 2.4) will do.
SCALAR_DEPRECATION = r"Conversion of an array with ndim > 0 to a scalar"
_SCALAR_ERRORS = re.compile(
    r"Conversion of an array with ndim > 0 to a scalar"
    r"|only (0-dimensional|length-1|size-1) arrays can be converted"
    r"|setting an array element with a sequence"
)
SCALAR_TRAP_CAUSE = (
    "um array com dimensões (por exemplo de shape (1,) ou (1, 1, 1)) foi usado onde o numpy "
    "espera um único número: em float(...), int(...) ou ao guardar o valor numa posição, como "
    "em Z[i, j] = valor. O numpy da correção recusa isso (versões anteriores só davam um aviso), "
    "então esta verificação também recusa."
)
SCALAR_TRAP_HINT = (
    "tire o número de dentro do array com .item() (x.item()) ou reduza-o com np.sum(...) antes "
    "de converter ou guardar; e confira o shape do que você guarda."
)


@dataclass(frozen=True)
class Case:
    """One visible case.

    - name: what the case is, in Portuguese ("lista do slide: [-2, -1, 0, 1, 2, 3]").
    - inputs: the positional arguments; or, when ``needs`` names other exercise functions, a
      callable that receives them and returns the arguments (a backward pass needs its forward).
    - expected: the expected value of the compared output.
    - hint: what to look at when the case fails.
    - output: picks the compared value from the result (default: the whole result);
      ``part(names, name)`` checks that the result is the tuple ``names`` and picks one element,
      ``forward_output`` picks ``out`` from a forward's ``(out, cache)``.
    - verify: for results that are not numbers (a Keras model, a tf.data.Dataset), a function
      that returns None when the result is right, or what is wrong, in Portuguese; ``expected``
      is then a short description of what a right result looks like.
    - calls: with ``verify``, how many times to call the function (a random augmentation);
      verify then receives the list of results.
    """

    name: str
    inputs: Any
    expected: Any
    hint: str
    kwargs: dict = field(default_factory=dict)
    output: Callable[[Any], Any] | None = None
    needs: tuple[str, ...] = ()
    verify: Callable[[Any], str | None] | None = None
    calls: int = 1


class _CleanError(Exception):
    """An error that Jupyter shows as its message alone, without a traceback."""

    def _render_traceback_(self):
        return str(self).splitlines()


class ExerciseNotDone(_CleanError):
    """The exercise still has the stub: Run-All stops here."""


class CheckFailed(_CleanError, AssertionError):
    """A visible case failed."""


def _all_cases() -> dict[str, list[Case]]:
    cases: dict[str, list[Case]] = {}
    for info in pkgutil.iter_modules(visible_cases.__path__):
        module = importlib.import_module(f"{visible_cases.__name__}.{info.name}")
        for name, function_cases in module.CASES.items():
            cases.setdefault(name, []).extend(function_cases)
    return cases


def describe(value) -> str:
    """Short rendering of a value: small arrays whole, large ones summarised."""
    if isinstance(value, (list, int, float, np.number)):
        try:
            value = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            return f"{type(value).__name__} {value!r}"[:200]
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        if value.size <= SMALL_ARRAY:
            return np.array2string(value, precision=6, suppress_small=True, separator=", ").replace("\n", "\n            ")
        return (f"array de shape {value.shape}: mín {value.min():.6g}, máx {value.max():.6g}, "
                f"média {value.mean():.6g}")
    if isinstance(value, np.ndarray):
        return f"array de shape {value.shape} e tipo {value.dtype}"
    if isinstance(value, (tuple, list)):
        return f"{type(value).__name__} com {len(value)} elementos"
    if isinstance(value, dict):
        return f"dict com as chaves {sorted(value)}"
    return repr(value)


def _isclose(got, expected):
    return np.isclose(got, expected, rtol=RTOL, atol=ATOL)


def difference(expected, got, where: str = "", close=_isclose) -> str | None:
    """None when ``got`` matches ``expected``; otherwise what differs, in Portuguese.
    ``close(got, expected)`` says which elements agree (default: np.isclose, RTOL and ATOL)."""
    label = f" em {where}" if where else ""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return f"esperava um dict{label}, mas veio {type(got).__name__}"
        if set(got) != set(expected):
            return f"chaves diferentes{label}: esperadas {sorted(expected)}, obtidas {sorted(got)}"
        for key in expected:
            problem = difference(expected[key], got[key], f"['{key}']", close)
            if problem:
                return problem
        return None
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(expected):
            count = len(got) if isinstance(got, (tuple, list)) else 1
            return (f"esperava uma tupla de {len(expected)} elementos{label}, "
                    f"mas veio {type(got).__name__} com {count}")
        for position, (want, have) in enumerate(zip(expected, got)):
            if have is None and not where:
                return none_in_tuple(position)
            problem = difference(want, have, f"{where} elemento {position}".strip(), close)
            if problem:
                return problem
        return None
    expected_array = np.asarray(expected, dtype=np.float64)
    if got is None:
        return f"a função devolveu None{label}: faltou um return?"
    try:
        got_array = np.asarray(got)
    except Exception:  # noqa: BLE001 - any object that numpy cannot read is a wrong answer
        return f"o resultado{label} não é um número nem um array: {type(got).__name__}"
    if got_array.dtype.kind not in "biuf":
        return f"o resultado{label} deveria ser numérico, mas é {describe(got_array)}"
    if expected_array.ndim == 0 and isinstance(got, np.ndarray) and got.ndim > 0:
        return (f"esperava um número{label}, mas veio um array de shape {got.shape}. O numpy da correção "
                "não aceita um array com dimensões onde se espera um número (float(...), Z[i, j] = ...): "
                "devolva o número, tirando-o do array com .item() ou somando tudo com np.sum(...)"
                if got.size == 1 else
                f"esperava um número{label}, mas veio um array de shape {got.shape}: some ou escolha "
                "os elementos certos para chegar a um único número")
    if got_array.shape != expected_array.shape:
        return f"shape errado{label}: esperado {expected_array.shape}, obtido {got_array.shape}"
    got_array = got_array.astype(np.float64)
    if not np.all(np.isfinite(got_array)) and np.all(np.isfinite(expected_array)):
        if got_array.size <= SMALL_ARRAY:
            return f"o resultado{label} tem NaN ou infinito: {describe(got_array)}"
        bad = ~np.isfinite(got_array)
        return (f"o resultado{label} tem NaN ou infinito em {_count(bad)} (shape {got_array.shape}); "
                f"o primeiro na posição {_position(np.argwhere(bad)[0])}")
    agree = np.asarray(close(got_array, expected_array))
    if np.all(agree):
        return None
    if agree.ndim == 0:
        return f"valor diferente{label}: esperado {expected_array:.6g}, obtido {got_array:.6g}"
    if agree.size > SMALL_ARRAY:
        return pointed_difference(expected_array, got_array, agree, label)
    first = _position(np.argwhere(~agree)[0])
    return (f"valores diferentes{label} ({int((~agree).sum())} de {agree.size}); primeira diferença na "
            f"posição {first}: esperado {expected_array[first]:.6g}, obtido {got_array[first]:.6g}")


def _position(index) -> tuple:
    return tuple(int(i) for i in index)


def _count(wrong: np.ndarray) -> str:
    return f"{int(wrong.sum())} de {wrong.size} posições"


def pointed_difference(expected: np.ndarray, got: np.ndarray, agree: np.ndarray, label: str = "") -> str:
    """What differs between two arrays of the same shape too large to print whole: how many
    positions differ, the first few with both values, and the largest absolute error. Lines
    after the first are indented by two spaces (callers indent the whole message)."""
    wrong = ~agree
    verb = "difere" if int(wrong.sum()) == 1 else "diferem"
    lines = [f"valores diferentes{label}: {_count(wrong)} {verb} do esperado (array de shape {expected.shape})"]
    for index in np.argwhere(wrong)[:POINTED]:
        where = _position(index)
        lines.append(f"  posição {where}: esperado {expected[where]:.6g}, obtido {got[where]:.6g}")
    error = np.abs(got - expected)
    worst = _position(np.unravel_index(int(np.argmax(np.where(np.isnan(error), np.inf, error))), error.shape))
    lines.append(f"  maior erro absoluto: {error[worst]:.3g}, na posição {worst}")
    return "\n".join(lines)


ORDINALS = ("primeiro", "segundo", "terceiro", "quarto", "quinto", "sexto", "sétimo", "oitavo")


def none_in_tuple(position: int, name: str | None = None) -> str:
    """What to say when the function returned a tuple with None at ``position``: it did return,
    but that value was never computed (or was replaced by None)."""
    ordinal = ORDINALS[position] if position < len(ORDINALS) else f"{position + 1}º"
    named = f" ({name})" if name else ""
    return (f"o {ordinal} elemento da tupla devolvida{named} é None: a função tem return, mas esse "
            "valor não foi calculado (confira a variável que você pôs nessa posição da tupla)")


def returned_parts(result, names, where: str = "") -> tuple:
    """The elements of ``result`` when it is a tuple (or list) with one element per name in
    ``names``; otherwise an AssertionError that says, in Portuguese, what came back instead
    (``where`` names the case or the function)."""
    if isinstance(result, (tuple, list)) and len(result) == len(names):
        return tuple(result)
    if isinstance(result, (tuple, list)):
        what = f"{type(result).__name__} com {len(result)} elemento{'' if len(result) == 1 else 's'}"
    else:
        what = "None (faltou um return?)" if result is None else type(result).__name__
    prefix = f"{where}: " if where else ""
    raise AssertionError(f"{prefix}a função deve devolver a tupla ({', '.join(names)}), mas devolveu {what}")


FORWARD_PARTS = ("out", "cache")


def part(names, *chosen):
    """A Case ``output`` for a function that returns the tuple ``names``: checks that form and
    picks the element ``chosen`` (several names: a tuple of those elements)."""
    positions = [names.index(name) for name in chosen]

    def picked(result):
        elements = returned_parts(result, names)
        for position in positions:
            if elements[position] is None:
                raise AssertionError(none_in_tuple(position, names[position]))
        return elements[positions[0]] if len(positions) == 1 else tuple(elements[p] for p in positions)

    return picked


forward_output = part(FORWARD_PARTS, "out")  # the output of a forward's (out, cache)


def _copied(value):
    """A deep copy of plain data (arrays, numbers, lists, dicts): a function that modifies its
    inputs in place must not change the case. Other objects (a Keras model) are passed as they are."""
    if isinstance(value, (np.ndarray, np.generic, int, float, str, bool, type(None))):
        return copy.deepcopy(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_copied(v) for v in value)
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    return value


def strict_call(function, *args, **kwargs):
    """``function(*args, **kwargs)`` with numpy's deprecation of arrays used as numbers turned
    into an error (it is one on the grading machine's numpy)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=SCALAR_DEPRECATION, category=DeprecationWarning)
        return function(*args, **kwargs)


def scalar_trap(error: BaseException) -> bool:
    """Whether ``error`` is numpy refusing (or, before 2.4, deprecating) an array with ndim > 0
    used as a number."""
    return isinstance(error, (DeprecationWarning, TypeError, ValueError)) and bool(_SCALAR_ERRORS.search(str(error)))


def _run_case(function, case: Case, namespace: dict):
    if case.needs:
        missing = [name for name in case.needs if not callable(namespace.get(name))]
        if missing:
            raise CheckFailed(
                f"✘ {function.__name__}: esta verificação usa {', '.join(missing)}. "
                "Rode antes a célula dessa função."
            )
        args = case.inputs(*(namespace[name] for name in case.needs))
    elif callable(case.inputs):  # inputs built at check time (a fresh Keras model)
        args = case.inputs()
    else:
        args = case.inputs
    if case.calls > 1:
        return [strict_call(function, *_copied(tuple(args)), **_copied(case.kwargs)) for _ in range(case.calls)]
    return strict_call(function, *_copied(tuple(args)), **_copied(case.kwargs))


def _compared_part(case: Case, result):
    """The part of the result a case compares, or a message when the result has the wrong form."""
    if result is None or case.output is None:
        return result, None
    try:
        return case.output(result), None
    except AssertionError as wrong_form:
        return result, str(wrong_form)
    except (TypeError, IndexError, KeyError):
        return result, (f"o resultado não tem o formato esperado ({describe(result)}): "
                      "confira o que a docstring manda devolver, por exemplo a tupla (out, cache)")


def _verified(case: Case, result) -> str | None:
    if result is None:
        return "a função devolveu None: faltou um return?"
    try:
        return case.verify(result)
    except Exception as error:  # noqa: BLE001 - a result of the wrong kind is the feedback
        return f"o resultado não é do tipo esperado ({type(error).__name__}: {error})"


def check_exercise(function, namespace: dict | None = None) -> None:
    """Runs the visible cases of ``function``. ``namespace`` holds the other exercise functions a
    case may need (default: the globals of the caller, i.e. the notebook)."""
    if namespace is None:
        namespace = sys._getframe(1).f_globals
    name = function.__name__
    cases = _all_cases().get(name)
    if not cases:
        raise CheckFailed(f"Não há verificação visível para {name}.")
    for number, case in enumerate(cases, start=1):
        try:
            got = _run_case(function, case, namespace)
        except NotImplementedError:
            raise ExerciseNotDone(
                f"✋ {name} ainda não foi implementada.\n"
                "   Substitua `raise NotImplementedError()` pelo seu código e rode a célula da função "
                "de novo;\n   depois rode esta verificação."
            ) from None
        except (CheckFailed, ExerciseNotDone):
            raise
        except Exception as error:  # noqa: BLE001 - the student's exception is the feedback
            first_line = (str(error).splitlines() or [""])[0]
            if scalar_trap(error):
                raise CheckFailed(
                    f"✘ {name} — caso {number} de {len(cases)}: {case.name}\n"
                    f"  a função lançou {type(error).__name__}: {first_line.split('. ')[0]}\n"
                    f"  o que houve: {SCALAR_TRAP_CAUSE}\n"
                    f"  dica: {SCALAR_TRAP_HINT}"
                ) from None
            raise CheckFailed(
                f"✘ {name} — caso {number} de {len(cases)}: {case.name}\n"
                f"  a função lançou {type(error).__name__}: {error}\n"
                f"  dica: {case.hint}"
            ) from None
        if case.verify is not None:
            problem = _verified(case, got)
            if problem:
                raise CheckFailed(
                    f"✘ {name} — caso {number} de {len(cases)}: {case.name}\n"
                    f"  {problem}\n"
                    f"  esperado: {case.expected}\n"
                    f"  dica: {case.hint}"
                )
            continue
        got, problem = _compared_part(case, got)
        problem = problem or difference(case.expected, got)
        if problem:
            # A message of several lines already points at the differing values: the whole
            # arrays (or their summaries) would only bury them.
            values = ("" if "\n" in problem else
                      f"  esperado: {describe(case.expected)}\n  obtido:   {describe(got)}\n")
            problem = problem.replace("\n", "\n  ")
            raise CheckFailed(
                f"✘ {name} — caso {number} de {len(cases)}: {case.name}\n"
                f"  {problem}\n"
                f"{values}"
                f"  dica: {case.hint}"
            )
    print(f"✔ {name}: {len(cases)} de {len(cases)} casos visíveis corretos.")
