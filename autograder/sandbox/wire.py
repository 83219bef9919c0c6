"""The sandbox's wire format, shared by the trusted side (``autograder.sandbox.trusted_side``) and the worker.

A message is a JSON header plus an ``.npz`` of plain numeric arrays, read with
``allow_pickle=False``; values are JSON skeletons (``encode``/``decode``) whose arrays live in
that ``.npz``. Anything that is not plain data crosses as an ``Opaque`` marker, never as an
object. Standard library and numpy only: the worker imports this before its jail hides the
project, and the trusted side must be able to read it without anything heavy.
"""
from __future__ import annotations

import io
import json
import os
import select
import struct
import time

import numpy as np

# What the worker seeds Python's, numpy's and (when imported) TensorFlow's generators with
# before loading the cells and before each call, when the request names no other seed.
DEFAULT_SEED = 0


class Ref:
    """A value that stays in the worker (a cache): result ``call_id``, element ``path``."""

    def __init__(self, call_id, path=()):
        self.call_id, self.path = call_id, tuple(path)

    def __repr__(self):
        return f"Ref({self.call_id}, {self.path})"


class Probe:
    """A scalar test function known to both sides by name (numerical_gradient's ``f``)."""

    def __init__(self, name):
        self.name = name


# What a Probe's name means: the worker passes the function to student code, the suite computes
# the expected gradient from the same function.
PROBES = {
    "sum_of_squares": lambda x: float(np.sum(x**2)),
    "sin_times_square": lambda x: float(np.sum(np.sin(x) * x**2) + np.sum(x) ** 2),
    "weighted_cubes": lambda x: float(np.sum(np.arange(1, x.size + 1).reshape(x.shape) * x**3)),
}


class KerasModelSpec:
    """A Keras model as plain data: its JSON config, its weights, how it was compiled. The
    trusted side rebuilds the model from this (built-in layers only) and runs it itself."""

    def __init__(self, config, weights, compiled, loss):
        self.config, self.weights, self.compiled, self.loss = config, weights, compiled, loss


class Opaque:
    """Something the worker returned that is not plain data: never equal to an expected value."""

    def __init__(self, type_name):
        self.type_name = type_name

    def __repr__(self):
        return f"<{self.type_name}>"


def _is_tensor(value) -> bool:
    """A TensorFlow tensor (eager): it crosses as the numpy array it holds."""
    return type(value).__module__.split(".")[0] == "tensorflow" and callable(getattr(value, "numpy", None))


def _is_keras_model(value) -> bool:
    return (type(value).__module__.split(".")[0] in ("keras", "tf_keras")
            and callable(getattr(value, "to_json", None)) and callable(getattr(value, "get_weights", None)))


def encode(value, arrays, keep_paths=(), call_id=None, path=()):
    """JSON skeleton of ``value``; numeric arrays go into ``arrays`` (name -> ndarray). Elements
    at ``keep_paths`` become references to result ``call_id`` instead of crossing."""
    if path in keep_paths:
        return {"ref": [call_id, list(path)]}
    if isinstance(value, Ref):
        return {"ref": [value.call_id, list(value.path)]}
    if isinstance(value, Probe):
        return {"probe": value.name}
    if value is None:
        return {"none": True}
    if isinstance(value, (bool, np.bool_)):
        return {"bool": bool(value)}
    if isinstance(value, (int, float, np.integer, np.floating)):
        return {"num": float(value) if isinstance(value, (float, np.floating)) else int(value)}
    if isinstance(value, str):
        return {"str": value}
    if isinstance(value, np.ndarray) and value.dtype.kind in "biuf":
        name = f"a{len(arrays)}"
        arrays[name] = np.array(value, order="C")  # a copy that keeps 0-d arrays 0-d
        return {"array": name}
    if isinstance(value, (tuple, list)):
        kind = "tuple" if isinstance(value, tuple) else "list"
        return {kind: [encode(v, arrays, keep_paths, call_id, path + (i,)) for i, v in enumerate(value)]}
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"dict": {k: encode(v, arrays, keep_paths, call_id, path + (k,)) for k, v in value.items()}}
    if _is_tensor(value):
        try:
            array = np.asarray(value.numpy())
        except Exception:  # noqa: BLE001 - a symbolic tensor has no value
            return {"opaque": type(value).__name__}
        return encode(array if array.ndim else array[()], arrays, keep_paths, call_id, path)
    if isinstance(value, KerasModelSpec) or _is_keras_model(value):
        if not isinstance(value, KerasModelSpec):
            value = KerasModelSpec(value.to_json(), value.get_weights(),
                                   getattr(value, "optimizer", None) is not None, str(getattr(value, "loss", None)))
        weights = [encode(np.asarray(w), arrays) for w in value.weights]
        return {"keras_model": {"config": str(value.config), "weights": weights,
                                "compiled": bool(value.compiled), "loss": str(value.loss)}}
    return {"opaque": type(value).__name__}


def decode(skeleton, arrays, resolve_ref=None, resolve_probe=None):
    """The value a skeleton describes. ``arrays`` is an open ``np.load`` (allow_pickle=False)."""
    (kind, content), = skeleton.items()
    if kind == "array":
        array = arrays[content]
        if array.dtype.kind not in "biuf":
            return Opaque(f"array of {array.dtype}")
        return array
    if kind == "num" or kind == "bool" or kind == "str":
        return content
    if kind == "none":
        return None
    if kind in ("tuple", "list"):
        items = [decode(s, arrays, resolve_ref, resolve_probe) for s in content]
        return tuple(items) if kind == "tuple" else items
    if kind == "dict":
        return {k: decode(s, arrays, resolve_ref, resolve_probe) for k, s in content.items()}
    if kind == "ref":
        return resolve_ref(content[0], content[1]) if resolve_ref else Ref(content[0], content[1])
    if kind == "probe":
        return resolve_probe(content) if resolve_probe else Probe(content)
    if kind == "keras_model":
        weights = [decode(w, arrays) for w in content["weights"]]
        if any(isinstance(w, Opaque) for w in weights):
            return Opaque("keras model with non-numeric weights")
        return KerasModelSpec(str(content["config"]), weights, bool(content["compiled"]), str(content["loss"]))
    return Opaque(content)


def pack(header: dict, arrays: dict) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    head = json.dumps(header).encode()
    return struct.pack(">I", len(head)) + head + buffer.getvalue()


def unpack(message: bytes):
    (size,) = struct.unpack(">I", message[:4])
    header = json.loads(message[4 : 4 + size])
    arrays = np.load(io.BytesIO(message[4 + size :]), allow_pickle=False)
    return header, arrays


def write_message(fd: int, message: bytes) -> None:
    data = struct.pack(">Q", len(message)) + message
    while data:
        written = os.write(fd, data)
        data = data[written:]


def read_exactly(fd: int, size: int, deadline: float | None = None) -> bytes:
    """``size`` bytes from ``fd``; EOFError when the other side closed it, TimeoutError when
    ``deadline`` (a time.monotonic() value) passes first."""
    chunks, remaining = [], size
    while remaining:
        if deadline is not None:
            ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise TimeoutError("deadline passed")
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise EOFError("pipe closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_message(fd: int) -> bytes:
    (size,) = struct.unpack(">Q", read_exactly(fd, 8))
    return read_exactly(fd, size)
