"""The trusted side of the sandbox: starts the worker, sends it calls, reads plain results.

Student code only ever runs in the worker process (``worker.py``, locked in by
``jail.py``; both sides speak ``wire.py``). This side never
unpickles, never executes anything the worker sends, reads arrays with ``allow_pickle=False``,
puts a wall-clock deadline on every exchange, and restarts the worker after a crash or a
timeout, so that one bad function costs only the tests that touch it.

Isolation: where ``unshare`` can create namespaces (Linux, root or user namespaces), the worker
gets no network, its own PID space and a mount namespace in which the project, the solutions,
the hidden suites and the course folder are hidden. Elsewhere the worker still runs in its own
process with resource limits, a scrubbed environment and a temporary working directory, and a
loud warning says that the stronger mode is off (see docs/grading.md).
"""
from __future__ import annotations

import functools
import itertools
import json
import os
import shutil
import signal
import site
import struct
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import autograder
from autograder.sandbox import wire
from autograder.sandbox.error_hints import Frame, describe
from autograder.sandbox.jail import THREAD_VARIABLES

# The worker runs the very package this process imported (a checkout or an installed wheel),
# whatever `autograder` the interpreter would find on its own path; -I keeps the environment
# variables, the user site and the current folder (the job's files) out of its sys.path.
WORKER_BOOTSTRAP = (
    "import importlib.util, sys\n"
    "spec = importlib.util.spec_from_file_location('autograder', sys.argv[1])\n"
    "sys.modules['autograder'] = package = importlib.util.module_from_spec(spec)\n"
    "spec.loader.exec_module(package)\n"
    "from autograder.sandbox.worker import main\n"
    "main(sys.argv[2])\n"
)
UNSHARE = ["unshare", "--fork", "--pid", "--mount-proc", "--net", "--mount", "--kill-child"]
MAX_MESSAGE_BYTES = 1 << 30


class SandboxError(Exception):
    """Base of what can go wrong with a student call; the message is Portuguese feedback."""


class StudentCodeError(SandboxError):
    """The student's function raised. The message (``error_hints.describe``) begins with the
    exception's class name, ``error_type``; then where it happened and, for the common mistakes,
    a Portuguese explanation and hint. ``brief`` is the message without them, for a suite that
    adds a more specific hint of its own."""

    def __init__(self, message: str, error_type: str | None = None, brief: str | None = None):
        super().__init__(message)
        self.error_type = error_type
        self.brief = message if brief is None else brief


class BrokenExercise(StudentCodeError):
    """The exercise cannot be called: its cell was deleted or no longer defines its function.
    The message says what to restore."""


class CallTimeout(SandboxError):
    """The student's function did not answer in time."""


class WorkerDied(SandboxError):
    """The worker process ended during a call (os._exit, a signal, the memory limit...)."""


@dataclass
class Limits:
    memory_bytes: int = 3 << 30
    cpu_seconds: int = 300
    call_timeout: float = 20.0
    load_timeout: float = 60.0
    # Processes and threads the student's code may start: none for numpy code; TensorFlow needs
    # a thread pool (Keras assignments), and a Jupyter kernel a few processes.
    threads: int = 0


@functools.lru_cache(maxsize=1)
def namespaces_available() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run([*UNSHARE, "true"], capture_output=True)
    return probe.returncode == 0


def _warn_weak_mode() -> None:
    message = (
        "dlgrade: Linux namespaces are not available here (unshare failed): student code runs "
        "WITHOUT network, filesystem and PID isolation, only with resource limits and a "
        "temporary directory. Grade on a machine where `unshare --net --mount --pid` works "
        "(root, or unprivileged user namespaces enabled) for the full sandbox."
    )
    warnings.warn(message, RuntimeWarning, stacklevel=3)
    print(message, file=sys.stderr)


def _checked_seed(seed: int | None) -> int:
    """numpy takes seeds in [0, 2**32); None means the default seed."""
    seed = wire.DEFAULT_SEED if seed is None else int(seed)
    if not 0 <= seed < 2**32:
        raise ValueError(f"rng_seed must be in [0, 2**32), not {seed}")
    return seed


def _strip_magics(source: str) -> str:
    """IPython magics and shell escapes mean nothing outside Jupyter: drop those lines."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def kept_paths() -> list[str]:
    """What the jail binds read-only besides the system folders: the Python installation, the
    environment, and every site-packages on this side's path (a venv may take its dependencies
    from another environment through a .pth file). Not the user site: -I leaves it out anyway."""
    user_site = site.getusersitepackages()
    packages = {entry for entry in sys.path
                if os.path.isabs(entry) and Path(entry).name in ("site-packages", "dist-packages")
                and entry != user_site and os.path.isdir(entry)}
    return sorted({sys.prefix, sys.base_prefix, str(Path(sys.executable).resolve().parent.parent), *packages})


def spawn_worker(job_dir: Path, mode: str, hide: list[Path], limits: Limits, isolated: bool):
    """Starts the worker on ``job_dir``; returns (process, fd to write requests, fd to read replies)."""
    requests_read, requests_write = os.pipe()
    responses_read, responses_write = os.pipe()
    keep = kept_paths()
    config = {
        "mode": mode,
        "requests_fd": requests_read,
        "responses_fd": responses_write,
        "isolate": isolated,
        "job_dir": str(job_dir),
        "hide": [str(Path(p).resolve()) for p in hide],
        "keep": keep,
        "memory_bytes": limits.memory_bytes,
        "cpu_seconds": limits.cpu_seconds,
        "threads": limits.threads,
    }
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
           **{name: "1" for name in THREAD_VARIABLES}}
    command = [sys.executable, "-I", "-c", WORKER_BOOTSTRAP, autograder.__file__, json.dumps(config)]
    if isolated:
        command = UNSHARE + command
    process = subprocess.Popen(
        command, pass_fds=(requests_read, responses_write), env=env, cwd=job_dir,
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    os.close(requests_read)
    os.close(responses_write)
    return process, requests_write, responses_read


def read_reply(fd: int, deadline: float):
    """One message from the worker, or CallTimeout / WorkerDied; never trusts its content."""
    def read(size):
        try:
            return wire.read_exactly(fd, size, deadline)
        except TimeoutError:
            raise CallTimeout("tempo esgotado") from None
        except EOFError:
            raise WorkerDied("o processo do aluno terminou") from None

    (size,) = struct.unpack(">Q", read(8))
    if size > MAX_MESSAGE_BYTES:
        raise WorkerDied(f"resposta grande demais ({size} bytes)")
    try:
        return wire.unpack(read(size))
    except (ValueError, KeyError, struct.error, json.JSONDecodeError) as error:
        raise WorkerDied(f"resposta ilegível do processo do aluno: {error}") from None


def kill_worker(process) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def execute_notebook(notebook, folder: Path | None, hide: list[Path], limits: Limits | None = None,
                     cell_timeout: int = 60, total_timeout: float | None = None):
    """Runs every cell of ``notebook`` in a Jupyter kernel inside the sandbox (with the files of
    ``folder`` beside it) and returns the executed notebook. Only JSON comes back; it is
    validated as a notebook before use."""
    import nbformat

    limits = limits or Limits()
    isolated = namespaces_available()
    if not isolated:
        _warn_weak_mode()
    job_dir = Path(tempfile.mkdtemp(prefix="dlgrade-run-"))
    try:
        if folder:
            shutil.copytree(folder, job_dir, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.ipynb"))
        for path in [job_dir, *job_dir.rglob("*")]:
            os.chmod(path, 0o777 if path.is_dir() else 0o666)
        process, requests, responses = spawn_worker(job_dir, "execute", hide, limits, isolated)
        deadline = time.monotonic() + (total_timeout or cell_timeout * (len(notebook.cells) + 2) + 60)
        try:
            wire.write_message(requests, wire.pack(
                {"op": "execute", "notebook": nbformat.writes(notebook), "cell_timeout": cell_timeout}, {}))
            header, _ = read_reply(responses, deadline)
            executed = nbformat.reads(header["notebook"], as_version=4)
            nbformat.validate(executed)
            if len(executed.cells) != len(notebook.cells):
                raise WorkerDied("o notebook executado voltou com outras células")
            return executed
        finally:
            os.close(requests)
            os.close(responses)
            kill_worker(process)
    finally:
        shutil.rmtree(job_dir, ignore_errors=True)


@dataclass
class Sandbox:
    """A student's notebook code, loaded in a sandboxed worker, ready to be called.

    ``cells`` are code sources in notebook order; ``helpers`` a folder copied next to them
    (the public dlhelpers package); ``hide`` the folders the worker must not see; ``labels``
    how a student finds each cell in their notebook ("célula do exercício conv_forward"), used
    in error messages (default: "célula N", counting from 1).
    """

    cells: list[str]
    helpers: Path | None = None
    hide: list[Path] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    labels: list[str] | None = None
    load_errors: dict[int, str] = field(default_factory=dict, init=False)
    isolated: bool = field(default=False, init=False)

    def __post_init__(self):
        self._ids = itertools.count()
        self._process = None
        self._skipped: set[int] = set()
        self._job_dir = Path(tempfile.mkdtemp(prefix="dlgrade-job-"))
        os.chmod(self._job_dir, 0o755)
        if self.helpers:
            shutil.copytree(self.helpers, self._job_dir / self.helpers.name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        self.isolated = namespaces_available()
        if not self.isolated:
            _warn_weak_mode()

    # -- process management ------------------------------------------------------------

    def _spawn(self):
        self._process, self._requests, self._responses = spawn_worker(
            self._job_dir, "serve", self.hide, self.limits, self.isolated)

    def _kill(self):
        if self._process is None:
            return
        for fd in (self._requests, self._responses):
            try:
                os.close(fd)
            except OSError:
                pass
        kill_worker(self._process)
        self._process = None

    def _send(self, header, arrays=None):
        try:
            wire.write_message(self._requests, wire.pack(header, arrays or {}))
        except (BrokenPipeError, OSError):
            raise WorkerDied("o processo do aluno terminou antes de receber a chamada") from None

    def _receive(self, deadline):
        return read_reply(self._responses, deadline)

    def start(self) -> dict[int, str]:
        """Starts the worker and runs the cells; a cell that kills the worker or hangs is skipped
        on the next start. Returns {cell index: error} for the cells that failed."""
        while True:
            self._kill()
            self._spawn()
            cells = ["" if i in self._skipped else _strip_magics(c) for i, c in enumerate(self.cells)]
            deadline = time.monotonic() + self.limits.load_timeout
            current = None
            try:
                self._send({"op": "load", "cells": cells, "seed": wire.DEFAULT_SEED})
                while True:
                    header, _ = self._receive(deadline)
                    if header.get("op") == "loading":
                        current = header["cell"]
                    elif header.get("op") == "loaded":
                        errors = {int(k): str(self.error(v)) for k, v in header["errors"].items()}
                        self.load_errors = {**{i: self.load_errors[i] for i in self._skipped}, **errors}
                        return self.load_errors
            except SandboxError as problem:
                if current is None or current in self._skipped:
                    raise WorkerDied(f"o processo do aluno não iniciou: {problem}") from None
                self._skipped.add(current)
                reason = "demorou demais" if isinstance(problem, CallTimeout) else "encerrou o processo"
                self.load_errors[current] = f"a célula {reason} ao ser executada e foi ignorada"

    def call(self, function: str, *args, keep=(), timeout: float | None = None, rng_seed: int | None = None,
             **kwargs):
        """Calls the student's ``function`` in the worker and returns its result as plain data.
        Elements of the result whose positions are in ``keep`` (e.g. the cache of a forward
        pass) stay in the worker and come back as references to pass to later calls. The
        worker seeds the random generators with ``rng_seed`` (None: 0) just before the call;
        not ``seed``, which student functions take as an argument (dropout_forward)."""
        if self._process is None:
            self.start()
        call_id = next(self._ids)
        arrays: dict = {}
        header = {
            "op": "call", "id": call_id, "function": function,
            "args": wire.encode(tuple(args), arrays), "kwargs": wire.encode(dict(kwargs), arrays),
            "keep": [list(k) if isinstance(k, tuple) else [k] for k in keep],
            "seed": _checked_seed(rng_seed),
        }
        return self._exchange(header, arrays, timeout)

    def fetch(self, ref: wire.Ref, items: int | None = None, timeout: float | None = None,
              rng_seed: int | None = None):
        """The value behind ``ref`` (kept by an earlier call) as plain data: a kept Keras model
        comes back as its KerasModelSpec. With ``items``, the first ``items`` elements of
        iterating it instead (a tf.data.Dataset's batches, computed in the worker after seeding
        its generators with ``rng_seed``, as ``call`` does)."""
        if self._process is None:
            raise WorkerDied("o processo do aluno reiniciou e perdeu o valor guardado")
        header = {"op": "fetch", "id": next(self._ids), "ref": [ref.call_id, list(ref.path)], "items": items,
                  "seed": _checked_seed(rng_seed)}
        return self._exchange(header, {}, timeout)

    def _exchange(self, header: dict, arrays: dict, timeout: float | None):
        deadline = time.monotonic() + (timeout or self.limits.call_timeout)
        try:
            self._send(header, arrays)
            reply, payload = self._receive(deadline)
        except SandboxError:
            self._kill()  # the next call starts a fresh worker
            raise
        if reply.get("id") != header["id"]:
            self._kill()
            raise WorkerDied("o processo do aluno respondeu fora de ordem")
        if reply["op"] == "error":
            raise self.error(reply["error"])
        return wire.decode(reply["value"], payload)

    def label(self, index: int) -> str:
        if self.labels and 0 <= index < len(self.labels):
            return self.labels[index]
        return f"célula {index + 1}"

    def error(self, raw) -> StudentCodeError:
        """The worker's description of a student error (``worker.describe_error``),
        checked field by field (the worker is not trusted) and worded for the student."""
        if not isinstance(raw, dict):
            return StudentCodeError(str(raw)[:2000])
        types = [t[:100] for t in raw.get("types", []) if isinstance(t, str)][:30] or ["Exception"]
        message = raw.get("message") if isinstance(raw.get("message"), str) else ""
        frames = []
        for frame in raw.get("frames", []) if isinstance(raw.get("frames"), list) else []:
            if (isinstance(frame, list) and len(frame) == 3 and isinstance(frame[0], int)
                    and isinstance(frame[1], int) and isinstance(frame[2], str)):
                frames.append(Frame(self.label(frame[0]), frame[1], frame[2][:100]))
        message = message[:2000]
        return StudentCodeError(describe(types, message, frames), error_type=types[0],
                                brief=describe(types, message, frames, explain=False))

    def close(self):
        self._kill()
        shutil.rmtree(self._job_dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
