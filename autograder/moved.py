"""Module paths of earlier dlgrade versions, still importable: the nbgrader_config.py that
`dlgrade init` wrote before the rooms (0.1.0 up to December 2026) imports its autograde steps
from ``autograder.nbgrader_steps``, its feedback step from ``autograder.feedback`` and names the
collector ``autograder.lms.MoodleCollector``. Such a course keeps grading with the trusted grader
(were the import to fail, nbgrader would skip the whole file and grade with its own steps).

Each old path is a module assembled, on first import, from the public names of the modules
that hold them now. Nothing in dlgrade imports an old path.
"""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import types

OLD_PATHS = {
    "autograder.nbgrader_steps": ("autograder.course.steps", "autograder.course.handed_in", "autograder.grading.run_all"),
    "autograder.feedback": ("autograder.course.feedback", "autograder.grading.run_all"),
    "autograder.lms": ("autograder.instructor.lms",),
}


class _OldPathLoader(importlib.abc.Loader):
    def create_module(self, spec):
        return types.ModuleType(spec.name, f"Moved: see {', '.join(OLD_PATHS[spec.name])}.")

    def exec_module(self, module):
        for new in OLD_PATHS[module.__name__]:
            source = importlib.import_module(new)
            module.__dict__.update({k: v for k, v in vars(source).items() if not k.startswith("_")})


class _OldPathFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        return importlib.util.spec_from_loader(name, _OldPathLoader()) if name in OLD_PATHS else None


def install() -> None:
    """Makes the old paths importable (once per interpreter)."""
    if not any(isinstance(finder, _OldPathFinder) for finder in sys.meta_path):
        sys.meta_path.append(_OldPathFinder())
