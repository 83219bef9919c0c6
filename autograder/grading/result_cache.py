"""Results of sandboxed execution and trusted grading, cached per course by content.

`dlgrade autograde` computes them in parallel processes while one serial `nbgrader autograde`
runs beside them: when that pass reaches a submission it takes the result from here (waiting
if a parallel process has claimed it and is still computing) and only writes the gradebook
(SQLite takes one writer at a time). A key covers everything a result depends on: the
assignment, the notebook's cells, the files beside it, the limits it ran under and the grading
code itself, so a changed submission, suite or course setting never reuses a stale result; a
miss only costs time. The cache lives in the course folder, which the sandbox hides
from student code.
"""
from __future__ import annotations

import fnmatch
import functools
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from autograder.paths import ASSIGNMENTS_DIR, AUTOGRADER_DIR, HELPERS_DIR, SOLUTIONS_DIR

CACHE_DIR_NAME = ".dlgrade_cache"
VERDICTS = "verdicts"  # student id -> key of the grading result the gradebook holds
# nbgrader's default CourseDirectory.ignore: what it never copies into the folder it grades in.
NBGRADER_IGNORE = (".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback")
# Nor digested: the notebooks themselves (their cells are keyed apart) and nbgrader's timestamp.
NOT_IN_FOLDER_DIGEST = (*NBGRADER_IGNORE, "*.ipynb", "timestamp.txt")


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of what decides results: solutions, suites, grader, sandbox, helpers, and the
    assignments' authoring files and profiles (points, limits)."""
    digest = hashlib.sha256()
    for root in (SOLUTIONS_DIR, AUTOGRADER_DIR, HELPERS_DIR, ASSIGNMENTS_DIR):
        for path in sorted([*root.rglob("*.py"), *root.rglob("*.toml"), *root.rglob("*.ini")]):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def folder_digest(folder: Path | None) -> str | None:
    """sha256 of the files beside a notebook (names and bytes): the notebook's Run-All sees them."""
    if folder is None or not Path(folder).is_dir():
        return None
    digest = hashlib.sha256()
    for path in sorted(Path(folder).rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or any(fnmatch.fnmatch(part, pattern) for part in relative.parts
                                     for pattern in NOT_IN_FOLDER_DIGEST):
            continue
        digest.update(str(relative).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def key(kind: str, assignment: str, payload) -> str:
    text = json.dumps([kind, assignment, payload, code_version()], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def execution_key(assignment: str, notebook, folder: Path | None = None, settings: dict | None = None) -> str:
    """Run-All's key: the cells, the files of the folder the notebook runs in, and its limits."""
    cells = [[c.cell_type, c.source] for c in notebook.cells]
    return key("execute", assignment, [cells, folder_digest(folder), settings or {}])


def grading_key(submission, settings: dict | None = None) -> str:
    """The hidden suite's key: the graded code, the handed-in files, and the course's overrides
    of the grading worker's limits."""
    return key("grade", submission.assignment_id, [submission.cells, submission.attachments or {}, settings or {}])


class ResultCache:
    def __init__(self, course_root: Path, assignment: str):
        self.folder = Path(course_root) / CACHE_DIR_NAME / assignment

    def get(self, cache_key: str):
        path = self.folder / f"{cache_key}.json"
        if not path.is_file():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # unreadable, not UTF-8, not JSON: a miss, computed again
            return None

    def claim(self, cache_key: str) -> bool:
        """Marks ``cache_key`` as being computed by this process; False if another has it."""
        self.folder.mkdir(parents=True, exist_ok=True)
        # The lock appears with its owner's pid already in it (a hard link is atomic and fails
        # when the lock exists), so a waiter never reads an empty lock and thinks its owner dead.
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".claim")
        try:
            with os.fdopen(handle, "w") as stream:
                stream.write(str(os.getpid()))
            os.link(temporary, self.folder / f"{cache_key}.lock")
        except FileExistsError:
            return False
        finally:
            os.unlink(temporary)
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
                # No live owner: finished just now, or never coming. (Claims are made by the
                # instructor's own processes: a pid of another user is a reused one.)
                return self.get(cache_key)
            time.sleep(0.05)
        return None

    def put(self, cache_key: str, value) -> None:
        write_json(self.folder / f"{cache_key}.json", value)

    def record_verdict(self, student: str, grading_key: str | None, problem: str | None) -> None:
        """Which grading result is ``student``'s latest verdict (or why there is none): what
        `dlgrade report` reads, without grading again."""
        write_json(self.folder / VERDICTS / f"{student}.json", {"grading_key": grading_key, "problem": problem})

    def verdict(self, student: str) -> tuple[dict | None, str | None]:
        """(the grading report of ``student``'s latest autograde, the reason it could not be
        graded); (None, None) when this cache has no verdict of that student."""
        try:
            record = json.loads((self.folder / VERDICTS / f"{student}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None, None
        report = self.get(record["grading_key"]) if record.get("grading_key") else None
        return report, record.get("problem")


def write_json(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(value, stream, ensure_ascii=False)
        os.replace(temporary, path)  # readers never see half a file
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
