"""The sandboxed worker: runs a student's notebook code and computes its outputs, nothing else.

This file is self-contained (standard library and numpy only) because, once the sandbox is up,
the project's folders are no longer visible to it. The trusted grader (``autograder.sandbox``)
starts it with ``python -I`` inside fresh Linux namespaces (``unshare``: network, mount, PID),
talks to it over two inherited pipes, and never executes student code itself.

Inside the namespaces the worker, still root there, assembles a new root from an allowlist, the
system folders (read-only), the Python environment (read-only) and the job folder, with a
private /tmp, and chroots into it: every other folder of the machine (the project, other
checkouts, the course, home folders) does not exist for student code. It then sets resource
limits, drops to the unprivileged user ``nobody`` and only then runs student code. Results go
back as JSON skeletons plus an ``.npz`` of plain numeric arrays that the trusted side reads with
``allow_pickle=False``. The wire format (``encode``/``decode``) lives here so both sides share it.
"""
from __future__ import annotations

import ctypes
import io
import json
import os
import resource
import struct
import sys
import traceback

import numpy as np

NOBODY = 65534
NEW_ROOT = "/mnt"  # where the sandbox's root is assembled (a tmpfs), then chroot
WORK_DIR = "/dlgrade-work"  # the job folder, inside the sandbox's root (a name no kept path uses)
SYSTEM_PATHS = ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")
MS_RDONLY, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 32, 4096, 16384, 1 << 18


# --- wire format, shared with the trusted side ---------------------------------------------


class Ref:
    """A value that stays in the worker (a cache): result ``call_id``, element ``path``."""

    def __init__(self, call_id, path=()):
        self.call_id, self.path = call_id, tuple(path)

    def __repr__(self):
        return f"Ref({self.call_id}, {self.path})"


class Probe:
    """A scalar test function known to the worker by name (numerical_gradient's ``f``)."""

    def __init__(self, name):
        self.name = name


class KerasModelSpec:
    """A Keras model as plain data: its JSON config, its weights, how it was compiled. The
    trusted side rebuilds the model from this (built-in layers only) and runs it itself."""

    def __init__(self, config, weights, compiled, loss):
        self.config, self.weights, self.compiled, self.loss = config, weights, compiled, loss


def _is_tensor(value) -> bool:
    """A TensorFlow tensor (eager): it crosses as the numpy array it holds."""
    return type(value).__module__.split(".")[0] == "tensorflow" and callable(getattr(value, "numpy", None))


def _is_keras_model(value) -> bool:
    return (type(value).__module__.split(".")[0] in ("keras", "tf_keras")
            and callable(getattr(value, "to_json", None)) and callable(getattr(value, "get_weights", None)))


class Opaque:
    """Something the worker returned that is not plain data: never equal to an expected value."""

    def __init__(self, type_name):
        self.type_name = type_name

    def __repr__(self):
        return f"<{self.type_name}>"


def encode(value, arrays, keep_paths=(), call_id=None, path=()):
    """JSON skeleton of ``value``; numeric arrays go into ``arrays`` (name -> ndarray)."""
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
    import select
    import time

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


# --- scalar functions for numerical_gradient ------------------------------------------------

PROBES = {
    "sum_of_squares": lambda x: float(np.sum(x**2)),
    "sin_times_square": lambda x: float(np.sum(np.sin(x) * x**2) + np.sum(x) ** 2),
    "weighted_cubes": lambda x: float(np.sum(np.arange(1, x.size + 1).reshape(x.shape) * x**3)),
}


# --- the sandbox --------------------------------------------------------------------------


def _mount(source, target, fstype, flags, data=""):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.mount(source.encode(), target.encode(), fstype.encode(), flags, data.encode()) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"mount {source} on {target}: {os.strerror(error)}")


def _bind(source: str, target: str, read_only: bool = True) -> None:
    os.makedirs(target, exist_ok=True)
    _mount(source, target, "", MS_BIND | MS_REC)
    if read_only:
        _mount("none", target, "", MS_BIND | MS_REC | MS_REMOUNT | MS_RDONLY)


def build_sandbox(job_dir: str, hide: list[str], keep: list[str]) -> None:
    """Inside new mount/PID/network namespaces, as root there: assemble a root holding only the
    system folders, the folders in ``keep`` (the Python environment) and the job at WORK_DIR,
    hide ``hide`` (answer packages inside the environment) behind empty tmpfs, and chroot."""
    _mount("none", "/", "", MS_REC | MS_PRIVATE)  # nothing done here reaches the host
    _mount("tmpfs", NEW_ROOT, "tmpfs", 0, "mode=0755,size=64m")
    for path in SYSTEM_PATHS:
        if os.path.islink(path):  # usr-merged systems: /bin -> usr/bin
            os.symlink(os.readlink(path), NEW_ROOT + path)
        elif os.path.isdir(path):
            _bind(path, NEW_ROOT + path)
    _bind("/dev", NEW_ROOT + "/dev", read_only=False)
    # Fresh /tmp and /dev/shm first: a kept environment may live under /tmp (a CI checkout).
    for path in ("/dev/shm", "/tmp"):
        os.makedirs(NEW_ROOT + path, exist_ok=True)
        _mount("tmpfs", NEW_ROOT + path, "tmpfs", 0, "mode=1777,size=256m")
    for path in keep:
        _bind(path, NEW_ROOT + path)
    for path in hide:
        # Only answer folders inside the kept environment (an installed `solutions` package);
        # never a folder that holds a kept one (the project holding its .venv).
        holds_kept = any(k == path or k.startswith(path.rstrip("/") + "/") for k in keep)
        if os.path.isdir(NEW_ROOT + path) and not holds_kept:
            _mount("tmpfs", NEW_ROOT + path, "tmpfs", MS_RDONLY, "mode=0755,size=1m")
    os.makedirs(NEW_ROOT + "/proc")
    _mount("proc", NEW_ROOT + "/proc", "proc", 0)  # this PID namespace's processes only
    _bind(job_dir, NEW_ROOT + WORK_DIR, read_only=False)
    os.chown(NEW_ROOT + WORK_DIR, NOBODY, NOBODY)
    os.chroot(NEW_ROOT)
    os.chdir("/")


def apply_limits(memory_bytes: int, cpu_seconds: int, processes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 20, 64 << 20))
    # Processes and threads of `nobody`: none when serving calls; a few for a Jupyter kernel.
    resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))


def bring_up_loopback() -> None:
    """A Jupyter kernel talks to its client over loopback, which starts down in a new network
    namespace. Only loopback: the namespace has no other interface."""
    import subprocess

    subprocess.run(["ip", "link", "set", "lo", "up"], check=False, capture_output=True)


def drop_privileges() -> None:
    if os.getuid() == 0:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)


# --- the loop -----------------------------------------------------------------------------


def short_traceback(error: BaseException) -> str:
    """The student's error in a few lines (their frames only, no worker internals)."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith("<celula")]
    where = f" (célula {frames[-1].filename[7:-1]}, linha {frames[-1].lineno})" if frames else ""
    if isinstance(error, NotImplementedError) and not str(error):
        return "NotImplementedError: a função ainda não foi implementada" + where
    return f"{type(error).__name__}: {error}"[:500] + where


def serve(requests: int, responses: int) -> None:
    namespace = {"__name__": "__main__"}
    results: dict[int, object] = {}

    def resolve_ref(call_id, path):
        value = results[call_id]
        for step in path:
            value = value[step]
        return value

    def resolve_probe(name):
        return PROBES[name]

    def call(header, arrays):
        """The student's function on the decoded arguments; parts of the result in ``keep`` stay here."""
        name = header["function"]
        function = namespace.get(name)
        if not callable(function):
            raise NameError(f"a função {name} não está definida no notebook")
        args = decode(header["args"], arrays, resolve_ref, resolve_probe)
        kwargs = decode(header["kwargs"], arrays, resolve_ref, resolve_probe)
        result = function(*args, **kwargs)
        results[header["id"]] = result
        return result, {tuple(p) for p in header.get("keep", [])}

    def fetch(header):
        """A value kept here (a trained model, a tf.data.Dataset), or its first ``items`` elements
        when it is iterated (running the student's pipeline here)."""
        value = resolve_ref(*header["ref"])
        if header.get("items") is not None:
            iterator = iter(value)
            value = [item for _, item in zip(range(header["items"]), iterator)]
        return value, set()

    def answer(call_id, compute):
        """Sends the encoded result of ``compute()``, or the student's error in a few lines."""
        out_arrays: dict = {}
        try:
            value, keep = compute()
            reply = {"op": "result", "id": call_id, "value": encode(value, out_arrays, keep, call_id)}
        except BaseException as error:  # noqa: BLE001 - student code: anything can be raised
            out_arrays = {}
            reply = {"op": "error", "id": call_id, "error": short_traceback(error)}
        write_message(responses, pack(reply, out_arrays))

    while True:
        try:
            header, arrays = unpack(read_message(requests))
        except EOFError:
            return
        op = header["op"]
        if op == "load":
            errors = {}
            for index, source in enumerate(header["cells"]):
                write_message(responses, pack({"op": "loading", "cell": index}, {}))
                try:
                    exec(compile(source, f"<celula{index}>", "exec"), namespace)  # noqa: S102
                except BaseException as error:  # noqa: BLE001 - SystemExit included: it is student code
                    errors[index] = short_traceback(error)
            write_message(responses, pack({"op": "loaded", "errors": errors}, {}))
        elif op == "call":
            answer(header["id"], lambda: call(header, arrays))
        elif op == "fetch":
            answer(header["id"], lambda: fetch(header))


def execute_notebook(requests: int, responses: int, work_dir: str) -> None:
    """Runs a whole notebook in a Jupyter kernel started here, inside the sandbox, cell by cell:
    errors and timeouts become cell outputs, and a kernel that dies costs only the cell it was
    running (a new kernel takes the following cells). Sends back the executed notebook as JSON."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    header, _ = unpack(read_message(requests))
    notebook = nbformat.reads(header["notebook"], as_version=4)
    client = NotebookClient(
        notebook, timeout=header["cell_timeout"], kernel_name="python3", allow_errors=True,
        interrupt_on_timeout=True, resources={"metadata": {"path": work_dir}},
        extra_arguments=["--HistoryManager.hist_file=:memory:"],
    )
    next_cell = 0
    while next_cell < len(notebook.cells):
        with client.setup_kernel():
            for index in range(next_cell, len(notebook.cells)):
                next_cell = index + 1
                cell = notebook.cells[index]
                try:
                    client.execute_cell(cell, index)
                except DeadKernelError:
                    cell.outputs.append(nbformat.v4.new_output(
                        "error", ename="DeadKernelError", evalue="o kernel morreu ao executar esta célula",
                        traceback=["DeadKernelError: o kernel morreu ao executar esta célula"]))
                    break
    write_message(responses, pack({"op": "executed", "notebook": nbformat.writes(notebook)}, {}))


def main() -> None:
    config = json.loads(sys.argv[1])
    requests, responses = config["requests_fd"], config["responses_fd"]
    executing = config.get("mode") == "execute"
    if config["isolate"]:
        if executing:
            bring_up_loopback()  # before the chroot, while `ip` is the host's
        build_sandbox(config["job_dir"], config["hide"], config["keep"])
        work_dir = WORK_DIR
    else:
        work_dir = config["job_dir"]
    os.chdir(work_dir)
    apply_limits(config["memory_bytes"], config["cpu_seconds"], max(config.get("threads", 0), 64 if executing else 0))
    drop_privileges()
    os.environ.clear()
    os.environ.update({"HOME": work_dir, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MPLBACKEND": "Agg",
                       "JUPYTER_RUNTIME_DIR": os.path.join(work_dir, ".jupyter-runtime"),
                       "MPLCONFIGDIR": os.path.join(work_dir, ".matplotlib"),
                       "TF_CPP_MIN_LOG_LEVEL": "2",
                       **{name: "1" for name in THREAD_VARIABLES}})
    if executing:
        # As under nbgrader's own Execute: notebooks read it to take their grading fast path.
        os.environ["NBGRADER_EXECUTION"] = "autograde"
    sys.path.insert(0, work_dir)  # the public helpers (dlhelpers) travel with the job
    # Student prints go nowhere: only the pipes carry results.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    if executing:
        execute_notebook(requests, responses, work_dir)
    else:
        serve(requests, responses)


if __name__ == "__main__":
    main()
