"""Results of sandboxed execution and trusted grading, cached per course by content.

`dlgrade autograde` computes them in parallel processes while one serial `nbgrader autograde`
runs beside them: when that pass reaches a submission it takes the result from here (waiting
if a parallel process has claimed it and is still computing) and only writes the gradebook
(SQLite takes one writer at a time). A key covers everything a result depends on: the assignment, the notebook's cells and
the grading code itself, so a changed submission or a changed suite never reuses a stale
result; a miss only costs time. The cache lives in the course folder, which the sandbox hides
from student code.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

import autograder
import solutions
from autograder.builder import HELPERS_DIR

CACHE_DIR_NAME = ".dlgrade_cache"


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of the code that decides results: solutions, suites, grader, sandbox, helpers."""
    digest = hashlib.sha256()
    roots = [Path(solutions.__file__).parent, Path(autograder.__file__).parent, HELPERS_DIR]
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def key(kind: str, assignment: str, payload) -> str:
    text = json.dumps([kind, assignment, payload, code_version()], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def execution_key(assignment: str, notebook) -> str:
    return key("execute", assignment, [[c.cell_type, c.source] for c in notebook.cells])


def grading_key(submission) -> str:
    return key("grade", submission.assignment_id, [submission.cells, submission.attachments or {}])


class ResultCache:
    def __init__(self, course_root: Path, assignment: str):
        self.folder = Path(course_root) / CACHE_DIR_NAME / assignment

    def get(self, cache_key: str):
        path = self.folder / f"{cache_key}.json"
        if not path.is_file():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None

    def claim(self, cache_key: str) -> bool:
        """Marks ``cache_key`` as being computed by this process; False if another has it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            handle = os.open(self.folder / f"{cache_key}.lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return False
        with os.fdopen(handle, "w") as stream:
            stream.write(str(os.getpid()))
        return True

    def release(self, cache_key: str) -> None:
        (self.folder / f"{cache_key}.lock").unlink(missing_ok=True)

    def wait(self, cache_key: str, timeout: float = 3600.0):
        """The cached value; if another live process has claimed the key, waits for it.
        None when there is nothing to wait for (then the caller computes it)."""
        lock = self.folder / f"{cache_key}.lock"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.get(cache_key)
            if value is not None:
                return value
            try:
                owner = int(lock.read_text())
                os.kill(owner, 0)
            except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
                return self.get(cache_key)  # no live owner: finished just now, or never coming
            time.sleep(0.05)
        return None

    def put(self, cache_key: str, value) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(value, stream, ensure_ascii=False)
        os.replace(temporary, self.folder / f"{cache_key}.json")  # readers never see half a file
