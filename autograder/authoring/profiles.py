"""One profile per assignment: how it is graded, declared once beside its authoring file.

``assignments/<id>/profile.toml`` (every key optional; an absent file means all defaults)::

    keras = true                        # a Keras notebook: KERAS_DEFAULTS below for the limits
    cell_timeout = 300                  # seconds per cell when nbgrader runs the notebook
    call_timeout = 60                   # seconds per call of a student's function (hidden suite)
    load_timeout = 90                   # seconds to load the notebook's code in the grading worker
    memory_gib = 12                     # address space of the sandboxed worker
    cpu_seconds = 900                   # CPU time of the sandboxed worker
    threads = 64                        # processes/threads student code may start
    handed_in = ["predicoes_teste.csv"] # files handed in beside the notebook, graded by the suite
    hidden_packages = ["elpv_dataset"]  # installed packages graded code must not see (test data)
    visible_checks_seconds = 3.0        # goal for all visible checks (make bench-notebooks)
    run_all_seconds = 15.0              # goal for Run-All of the source notebook (ditto)
    # Official grading before the deadline (`dlgrade serve`; each can be overridden per course):
    deadline = "2026-12-20T23:59:00-03:00"  # ISO 8601 with a time zone (none: open until collected)
    submissions_per_day = 10            # per student, a rolling 24 h
    feedback_before_deadline = "tests"  # "score": the score per exercise; "tests": each test's message too
    counting = "last"                   # which submission `dlgrade collect` hands in: "last" or "best"

Read by ``dlgrade init`` (the nbgrader configuration), the sandbox limits of both autograde
steps, the suites' ``student`` fixture, the submission loader and the benchmarks. The nbgrader
configuration may still override the limits per course (``SandboxedExecute``, ``TrustedGrade``).
"""
from __future__ import annotations

import dataclasses
import functools
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from autograder.paths import ASSIGNMENTS_DIR

PROFILE_NAME = "profile.toml"


class ProfileError(Exception):
    """A profile.toml that cannot be read; the message names the file and the key."""


@dataclass(frozen=True)
class Profile:
    assignment: str
    keras: bool = False
    cell_timeout: int = 60
    call_timeout: float = 20.0
    load_timeout: float = 60.0
    memory_gib: float = 3.0
    cpu_seconds: int = 300
    threads: int = 0
    handed_in: tuple[str, ...] = ()
    hidden_packages: tuple[str, ...] = ()
    visible_checks_seconds: float = 1.0
    run_all_seconds: float = 15.0
    deadline: str | None = None
    submissions_per_day: int = 10
    feedback_before_deadline: str = "tests"
    counting: str = "last"
    source: Path | None = field(default=None, compare=False)

    @property
    def memory_bytes(self) -> int:
        return int(self.memory_gib * (1 << 30))

    def limits(self, **overrides):
        """The sandbox limits of this assignment's grading worker (``overrides`` win when set)."""
        from autograder.sandbox.trusted_side import Limits

        values = {"memory_bytes": self.memory_bytes, "cpu_seconds": self.cpu_seconds,
                  "call_timeout": self.call_timeout, "load_timeout": self.load_timeout,
                  "threads": self.threads}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return Limits(**values)


CHOICES = {"feedback_before_deadline": ("score", "tests"), "counting": ("last", "best")}
_FIELDS = {f.name: f for f in dataclasses.fields(Profile) if f.name not in ("assignment", "source")}
# What a Keras notebook needs unless its profile says otherwise: TensorFlow's import and thread
# pools, its memory, and training calls (which pass their own, longer deadlines).
KERAS_DEFAULTS = {"cell_timeout": 300, "call_timeout": 60.0, "load_timeout": 90.0, "memory_gib": 12.0,
                  "cpu_seconds": 900, "threads": 64, "visible_checks_seconds": 3.0}


def deadline_of(text: str) -> datetime:
    """The deadline an ISO 8601 text with a time zone names; ValueError otherwise."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone (write it like 2026-12-20T23:59:00-03:00)")
    return moment


def _typed(path: Path, name: str, value):
    expected = _FIELDS[name].type
    if name in CHOICES:
        if value not in CHOICES[name]:
            raise ProfileError(f"{path}: {name} must be one of {', '.join(map(repr, CHOICES[name]))}")
        return value
    if name == "deadline":
        if isinstance(value, datetime):  # TOML's own date-time, unquoted
            value = value.isoformat()
        try:
            deadline_of(value if isinstance(value, str) else "")
        except ValueError as error:
            raise ProfileError(f"{path}: deadline must be an ISO 8601 date and time with a time zone ({error})") from None
        return value
    if expected == "tuple[str, ...]":
        if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise ProfileError(f"{path}: {name} must be a list of strings")
        return tuple(value)
    if expected == "bool":
        if not isinstance(value, bool):
            raise ProfileError(f"{path}: {name} must be true or false")
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ProfileError(f"{path}: {name} must be a non-negative number")
    return int(value) if expected == "int" else float(value)


@functools.lru_cache(maxsize=None)
def load_profile(assignment: str, root: Path = ASSIGNMENTS_DIR) -> Profile:
    """The profile of ``assignment`` (defaults for every key its profile.toml leaves out)."""
    path = Path(root) / assignment / PROFILE_NAME
    if not path.is_file():
        return Profile(assignment)
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ProfileError(f"{path}: {error}") from None
    unknown = sorted(set(table) - set(_FIELDS))
    if unknown:
        raise ProfileError(f"{path}: unknown key(s) {', '.join(unknown)}; known: {', '.join(_FIELDS)}")
    values = {k: _typed(path, k, v) for k, v in table.items()}
    if values.get("keras"):
        values = {**KERAS_DEFAULTS, **values}
    return Profile(assignment, source=path, **values)
