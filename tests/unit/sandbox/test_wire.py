"""The sandbox's wire format: every kind of value round-trips, anything else arrives opaque,
pickles are never loaded, and the pipe readers fail cleanly on a closed pipe, a passed deadline
or an oversized message."""
import os
import struct
import threading
import time

import numpy as np
import pytest

from autograder.sandbox.trusted_side import MAX_MESSAGE_BYTES, CallTimeout, WorkerDied, read_reply
from autograder.sandbox.wire import (
    KerasModelSpec,
    Opaque,
    Probe,
    Ref,
    decode,
    encode,
    pack,
    read_exactly,
    read_message,
    unpack,
    write_message,
)

unpickled = []


def _record_unpickling():
    unpickled.append(True)


class Explosive:
    """Runs code when unpickled: what a hostile worker would send."""

    def __reduce__(self):
        return _record_unpickling, ()


def crossed(value, **encode_options):
    """``value`` after the full trip: encode, pack, unpack, decode."""
    arrays = {}
    skeleton = encode(value, arrays, **encode_options)
    header, payload = unpack(pack({"value": skeleton}, arrays))
    return decode(header["value"], payload)


@pytest.fixture
def pipe():
    read_end, write_end = os.pipe()
    ends = {"read": read_end, "write": write_end}
    yield ends
    for fd in ends.values():
        if fd is not None:
            os.close(fd)


def close(ends, which):
    os.close(ends[which])
    ends[which] = None


@pytest.mark.parametrize("value", [None, True, False, 0, -7, 2**40, 1.5, -0.0, "", "ação ∑"],
                         ids=repr)
def test_scalars_cross_unchanged(value):
    got = crossed(value)
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("value, expected", [
    (np.int64(-3), -3), (np.uint8(200), 200), (np.float32(0.5), 0.5), (np.float64(2.25), 2.25),
    (np.bool_(True), True),
], ids=lambda v: repr(v))
def test_numpy_scalars_cross_as_python_numbers(value, expected):
    got = crossed(value)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "int8", "int32", "int64", "uint8", "uint64", "bool"])
@pytest.mark.parametrize("shape", [(), (1,), (3, 4), (2, 3, 4, 5), (0, 3)])
def test_numeric_arrays_cross_with_shape_dtype_and_values(dtype, shape):
    array = np.array(np.arange(int(np.prod(shape))).reshape(shape) % 5, dtype=dtype)
    got = crossed(array)
    assert isinstance(got, np.ndarray)
    assert got.dtype == array.dtype and got.shape == array.shape
    np.testing.assert_array_equal(got, array)


def test_non_contiguous_arrays_cross_as_their_values():
    array = np.arange(24.0).reshape(4, 6)[::2, ::-3].T
    np.testing.assert_array_equal(crossed(array), array)


def test_nested_containers_keep_their_kinds():
    value = {"out": (np.ones((2, 2)), [1, 2.5, None]), "inner": {"flag": True, "name": "x", "empty": []},
             "pair": ((), [()])}
    got = crossed(value)
    assert set(got) == {"out", "inner", "pair"}
    assert isinstance(got["out"], tuple) and isinstance(got["out"][1], list)
    np.testing.assert_array_equal(got["out"][0], np.ones((2, 2)))
    assert got["out"][1] == [1, 2.5, None]
    assert got["inner"] == {"flag": True, "name": "x", "empty": []}
    assert got["pair"] == ((), [()])


def test_refs_and_probes_cross_by_name():
    ref, probe = crossed((Ref(4, (1, "cache")), Probe("sum_of_squares")))
    assert isinstance(ref, Ref) and (ref.call_id, ref.path) == (4, (1, "cache"))
    assert isinstance(probe, Probe) and probe.name == "sum_of_squares"


def test_kept_positions_become_refs_and_resolvers_replace_them():
    arrays = {}
    skeleton = encode((np.zeros(2), {"w": np.ones(3)}), arrays, keep_paths={(1,)}, call_id=9)
    out, ref = decode(skeleton, unpack(pack({}, arrays))[1])
    assert isinstance(ref, Ref) and (ref.call_id, ref.path) == (9, (1,))
    np.testing.assert_array_equal(out, np.zeros(2))
    resolved = decode(encode([Ref(9, (1,)), Probe("weighted_cubes")], {}), {},
                      resolve_ref=lambda call_id, path: ("kept", call_id, tuple(path)),
                      resolve_probe=lambda name: ("probe", name))
    assert resolved == [("kept", 9, (1,)), ("probe", "weighted_cubes")]


def test_keras_model_specs_cross_with_their_weights():
    weights = [np.arange(6, dtype=np.float32).reshape(2, 3), np.zeros(3, dtype=np.float32)]
    got = crossed(KerasModelSpec('{"class_name": "Sequential"}', weights, True, "mse"))
    assert isinstance(got, KerasModelSpec)
    assert (got.config, got.compiled, got.loss) == ('{"class_name": "Sequential"}', True, "mse")
    assert len(got.weights) == 2
    for sent, received in zip(weights, got.weights):
        assert received.dtype == sent.dtype
        np.testing.assert_array_equal(received, sent)


def test_a_keras_model_with_a_non_numeric_weight_arrives_opaque():
    arrays = {}
    skeleton = encode(KerasModelSpec("{}", [np.ones(2)], False, "None"), arrays)
    arrays["a0"] = np.array(["text"])  # what a hostile worker could put in the payload
    assert isinstance(decode(skeleton, unpack(pack({}, arrays))[1]), Opaque)


class FakeTensor:
    """Duck-types an eager TensorFlow tensor (the codec looks at the module and ``numpy``)."""

    __module__ = "tensorflow.python.framework.ops"

    def __init__(self, value):
        self.value = value

    def numpy(self):
        return self.value


class FakeKerasModel:
    __module__ = "keras.src.models.sequential"
    optimizer, loss = object(), "binary_crossentropy"

    def to_json(self):
        return '{"class_name": "Sequential"}'

    def get_weights(self):
        return [np.full((2, 2), 3.0)]


def test_tensors_cross_as_arrays_and_models_as_specs_without_tensorflow():
    array, scalar, model = crossed([FakeTensor(np.eye(2)), FakeTensor(np.float32(1.5)), FakeKerasModel()])
    np.testing.assert_array_equal(array, np.eye(2))
    assert scalar == 1.5 and isinstance(scalar, float)
    assert isinstance(model, KerasModelSpec)
    assert (model.config, model.compiled, model.loss) == ('{"class_name": "Sequential"}', True, "binary_crossentropy")
    np.testing.assert_array_equal(model.weights[0], np.full((2, 2), 3.0))


class AlwaysEqual:
    def __eq__(self, other):
        return True


@pytest.mark.parametrize("value, type_name", [
    (np.array([1, "a"], dtype=object), "ndarray"),
    (np.array([1 + 2j]), "ndarray"),
    (np.array(["text"]), "ndarray"),
    (AlwaysEqual(), "AlwaysEqual"),
    ({1: "a"}, "dict"),
    ({"a": 1, (2,): 3}, "dict"),
    ({1, 2}, "set"),
    (b"bytes", "bytes"),
    (lambda: 0, "function"),
], ids=lambda v: v if isinstance(v, str) else None)
def test_anything_else_arrives_as_an_opaque_marker(value, type_name):
    got = crossed(value)
    assert isinstance(got, Opaque) and got.type_name == type_name
    assert not (got == 0) and not (got == type_name) and repr(got) == f"<{type_name}>"


def test_an_unknown_skeleton_kind_arrives_opaque():
    assert isinstance(decode({"pickle": "gASV"}, {}), Opaque)


def test_pack_and_unpack_carry_the_header_and_arrays():
    arrays = {"a0": np.arange(5), "a1": np.ones((2, 0))}
    header, payload = unpack(pack({"op": "call", "id": 3, "text": "ç"}, arrays))
    assert header == {"op": "call", "id": 3, "text": "ç"}
    assert sorted(payload.files) == ["a0", "a1"]
    np.testing.assert_array_equal(payload["a0"], arrays["a0"])
    assert payload["a1"].shape == (2, 0)


def test_unpack_never_loads_a_pickled_object_array():
    unpickled.clear()
    message = pack({"value": {"array": "a0"}}, {"a0": np.array([Explosive()], dtype=object)})
    header, payload = unpack(message)
    with pytest.raises(ValueError, match="allow_pickle"):
        decode(header["value"], payload)
    assert unpickled == []


def test_messages_cross_a_pipe_in_many_chunks(pipe):
    message = pack({"op": "result"}, {"a0": np.arange(1 << 19, dtype=np.float64)})  # 4 MiB: past the pipe buffer
    writer = threading.Thread(target=write_message, args=(pipe["write"], message))
    writer.start()
    received = read_message(pipe["read"])
    writer.join()
    assert received == message


def test_read_exactly_raises_eof_when_the_other_side_closes(pipe):
    os.write(pipe["write"], b"abc")
    close(pipe, "write")
    with pytest.raises(EOFError):
        read_exactly(pipe["read"], 8)


def test_read_exactly_with_a_deadline_still_sees_eof(pipe):
    close(pipe, "write")
    with pytest.raises(EOFError):
        read_exactly(pipe["read"], 1, deadline=time.monotonic() + 60)


def test_read_exactly_raises_timeout_once_the_deadline_passes(pipe):
    os.write(pipe["write"], b"half")  # the writer stays open but sends no more
    with pytest.raises(TimeoutError):
        read_exactly(pipe["read"], 8, deadline=time.monotonic() + 0.01)


def test_read_reply_refuses_a_message_larger_than_the_cap(pipe):
    os.write(pipe["write"], struct.pack(">Q", MAX_MESSAGE_BYTES + 1))
    with pytest.raises(WorkerDied, match="grande demais"):
        read_reply(pipe["read"], time.monotonic() + 60)


def test_read_reply_turns_garbage_into_worker_died(pipe):
    body = struct.pack(">I", 5) + b"{nope"
    os.write(pipe["write"], struct.pack(">Q", len(body)) + body)
    with pytest.raises(WorkerDied, match="ilegível"):
        read_reply(pipe["read"], time.monotonic() + 60)


def test_read_reply_maps_a_closed_pipe_and_a_passed_deadline(pipe):
    with pytest.raises(CallTimeout):
        read_reply(pipe["read"], time.monotonic() + 0.01)
    close(pipe, "write")
    with pytest.raises(WorkerDied):
        read_reply(pipe["read"], time.monotonic() + 60)


def test_read_reply_returns_what_the_worker_packed(pipe):
    write_message(pipe["write"], pack({"op": "result", "id": 1}, {"a0": np.ones(3)}))
    header, payload = read_reply(pipe["read"], time.monotonic() + 60)
    assert header == {"op": "result", "id": 1}
    np.testing.assert_array_equal(payload["a0"], np.ones(3))
