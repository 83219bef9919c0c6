"""The sandboxed worker: runs a student's notebook code and computes its outputs, nothing else.

The trusted grader (``autograder.sandbox.trusted_side``) starts it with ``python -I`` inside fresh Linux
namespaces, talks to it over two inherited pipes (``autograder.sandbox.wire``) and never executes
student code itself. The worker locks itself in (``autograder.sandbox.jail``: allowlisted root,
limits, user ``nobody``) before running any student code. Once jailed it no longer sees the
project, so everything it needs is imported at the top (standard library and numpy; nbformat
and nbclient, from the kept environment, only in execute mode).
"""
from __future__ import annotations

import json
import os
import random
import re
import sys
import traceback

import numpy as np

from autograder.sandbox.jail import (
    THREAD_VARIABLES,
    WORK_DIR,
    apply_limits,
    bring_up_loopback,
    build_sandbox,
    drop_privileges,
)
from autograder.sandbox.wire import (
    DEFAULT_SEED,
    PROBES,
    decode,
    encode,
    pack,
    read_message,
    unpack,
    write_message,
)

# Taken before any student code runs, so that replacing them in its modules changes nothing here.
_seed_random, _seed_numpy = random.seed, np.random.seed


def seed_generators(seed: int) -> None:
    """Seeds what the student's code left unseeded, so a grade never depends on chance: Python's
    ``random``, numpy's global generator and, only when the student's code imported them, Keras
    and TensorFlow (which also get deterministic ops)."""
    _seed_random(seed)
    _seed_numpy(seed)
    keras, tensorflow = sys.modules.get("keras"), sys.modules.get("tensorflow")
    try:
        if keras is not None:
            keras.utils.set_random_seed(seed)
    except Exception:  # noqa: BLE001 - a student environment may lack it
        pass
    try:
        if tensorflow is not None:
            tensorflow.random.set_seed(seed)
            # tf.random.get_global_generator() would otherwise start from the clock, which op
            # determinism refuses; a seeded one is both allowed and repeatable.
            tensorflow.random.set_global_generator(tensorflow.random.Generator.from_seed(seed))
            # Only once seeded: with determinism on, TensorFlow refuses random ops without a seed.
            tensorflow.config.experimental.enable_op_determinism()
    except Exception:  # noqa: BLE001 - a student environment may lack them
        pass


CELL_FILE = re.compile(r"<celula(\d+)>")
MAX_FRAMES = 20


def describe_error(error: BaseException) -> dict:
    """The student's error as plain data for the trusted side, which words it for the student
    (``autograder.sandbox.error_hints``): the exception's public class names (most specific first, so
    that numpy's private ``_UFuncOutputCastingError`` reads as ``UFuncTypeError``), its message,
    and the student's frames only, outermost first, as [cell index, line, function]."""
    types = list(dict.fromkeys(c.__name__ for c in type(error).__mro__
                               if not c.__name__.startswith("_") and c is not object))
    try:
        message = str(error)
    except Exception:  # noqa: BLE001 - a student's exception class may break __str__
        message = ""
    frames = []
    for frame in traceback.extract_tb(error.__traceback__):
        cell = CELL_FILE.fullmatch(frame.filename or "")
        if cell:
            frames.append([int(cell.group(1)), frame.lineno or 0, frame.name])
    if isinstance(error, SyntaxError) and CELL_FILE.fullmatch(error.filename or ""):
        # Raised by compile(): the cell never ran, so the traceback has no frame of it.
        frames.append([int(CELL_FILE.fullmatch(error.filename).group(1)), error.lineno or 0, "<module>"])
        message = error.msg or message
    return {"types": types or ["Exception"], "message": message[:2000], "frames": frames[-MAX_FRAMES:]}


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
        seed_generators(header.get("seed", DEFAULT_SEED))
        result = function(*args, **kwargs)
        results[header["id"]] = result
        return result, {tuple(p) for p in header.get("keep", [])}

    def fetch(header):
        """A value kept here (a trained model, a tf.data.Dataset), or its first ``items`` elements
        when it is iterated (running the student's pipeline here)."""
        value = resolve_ref(*header["ref"])
        if header.get("items") is not None:
            seed_generators(header.get("seed", DEFAULT_SEED))  # iterating runs the student's augmentation
            iterator = iter(value)
            value = [item for _, item in zip(range(header["items"]), iterator)]
        return value, set()

    def answer(call_id, compute):
        """Sends the encoded result of ``compute()``, or the student's error (``describe_error``)."""
        out_arrays: dict = {}
        try:
            value, keep = compute()
            reply = {"op": "result", "id": call_id, "value": encode(value, out_arrays, keep, call_id)}
        except BaseException as error:  # noqa: BLE001 - student code: anything can be raised
            out_arrays = {}
            reply = {"op": "error", "id": call_id, "error": describe_error(error)}
        write_message(responses, pack(reply, out_arrays))

    while True:
        try:
            header, arrays = unpack(read_message(requests))
        except EOFError:
            return
        op = header["op"]
        if op == "load":
            seed_generators(header.get("seed", DEFAULT_SEED))
            errors = {}
            for index, source in enumerate(header["cells"]):
                write_message(responses, pack({"op": "loading", "cell": index}, {}))
                try:
                    exec(compile(source, f"<celula{index}>", "exec"), namespace)  # noqa: S102
                except BaseException as error:  # noqa: BLE001 - SystemExit included: it is student code
                    errors[index] = describe_error(error)
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


def main(config_json: str) -> None:
    config = json.loads(config_json)
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
                       "TF_CPP_MIN_LOG_LEVEL": "3",  # errors too: CUDA's on a machine without GPU
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
    main(sys.argv[1])
