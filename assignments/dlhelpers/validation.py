"""Input validation shared by the reference functions and the visible checks.

Every error is a ``ValueError`` whose message, in Portuguese, says which argument is wrong, what
was expected and what arrived, so a student can fix the call without reading a traceback.
"""
from __future__ import annotations

import numbers

import numpy as np


def as_float_array(x, name: str) -> np.ndarray:
    """Returns ``x`` as a float array: float32/float64 are kept, other numbers become float64."""
    array = np.asarray(x)
    if array.dtype.kind in "f":
        return array
    if array.dtype.kind in "biu":
        return array.astype(np.float64)
    raise ValueError(
        f"`{name}` deve conter números reais, mas chegou um array de tipo {array.dtype}."
    )


def require_ndim(array: np.ndarray, ndim: int, name: str, layout: str = "") -> None:
    """Raises when ``array`` does not have ``ndim`` dimensions; ``layout`` names them."""
    if array.ndim != ndim:
        expected = f"{ndim} dimensões {layout}".rstrip()
        raise ValueError(
            f"`{name}` deve ter {expected}, mas tem {array.ndim} (shape {array.shape})."
        )


def sequence_inputs(x, h0) -> tuple[np.ndarray, np.ndarray]:
    """The inputs of a recurrent layer as float arrays: ``x`` (m, T, D) and ``h0`` (m, H)."""
    x, h0 = as_float_array(x, "x"), as_float_array(h0, "h0")
    require_ndim(x, 3, "x", "(m, T, D)")
    require_ndim(h0, 2, "h0", "(m, H)")
    return x, h0


def require_shape(array: np.ndarray, shape: tuple, name: str) -> None:
    """Raises when ``array.shape`` differs from ``shape``; ``None`` in ``shape`` matches any size."""
    matches = array.ndim == len(shape) and all(
        want is None or want == got for want, got in zip(shape, array.shape)
    )
    if not matches:
        sizes = ["?" if size is None else str(size) for size in shape]
        pretty = f"({sizes[0]},)" if len(sizes) == 1 else "(" + ", ".join(sizes) + ")"
        raise ValueError(f"`{name}` deveria ter shape {pretty}, mas tem shape {array.shape}.")


def require_int(value, name: str, minimum: int | None = None) -> int:
    """Returns ``value`` as an int after checking it is an integer not below ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"`{name}` deve ser um número inteiro, mas recebeu {value!r}.")
    if minimum is not None and value < minimum:
        raise ValueError(f"`{name}` deve ser um inteiro >= {minimum}, mas recebeu {value}.")
    return int(value)


def require_choice(value, choices: tuple, name: str) -> None:
    """Raises when ``value`` is not one of ``choices``."""
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"`{name}` deve ser um de {options}, mas recebeu {value!r}.")


def require_window_fits(size: int, window: int, pad: int, axis_name: str) -> None:
    """Raises when a ``window`` does not fit in an input of ``size`` padded by ``pad``."""
    padded = size + 2 * pad
    if window > padded:
        raise ValueError(
            f"A janela de tamanho {window} é maior que a {axis_name} da entrada com padding "
            f"({size} + 2*{pad} = {padded}): diminua a janela ou aumente o padding."
        )


def require_same_keys(first: dict, second: dict, first_name: str, second_name: str) -> None:
    """Raises when two dicts of arrays do not have exactly the same keys."""
    if set(first) != set(second):
        raise ValueError(
            f"`{first_name}` e `{second_name}` devem ter as mesmas chaves, mas têm "
            f"{sorted(first)} e {sorted(second)}."
        )
