"""The task a grading machine runs for `dlgrade autograde`: one submission, plain data in and
plain data out, so that a Dask worker needs this package and nothing of the course.

In: ``{"assignment": id, "files": {relative path: bytes}}`` (the folder nbgrader grades in:
the notebook, the handed-in files, the source folder's files), plus ``"grade"`` (the trusted
grader's limit overrides) and/or ``"run_all"`` (Run-All's settings) for the results the course's
cache still lacks. Out: ``{"grade": report, "execute": executed cells}`` for those asked.
"""
from __future__ import annotations

import tempfile
from pathlib import Path


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder``, by path relative to it (what travels to the worker)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write_folder(files: dict[str, bytes], folder: Path) -> None:
    for relative, content in files.items():
        target = (folder / relative).resolve()
        if folder.resolve() not in target.parents:
            raise ValueError(f"a file outside the task's folder: {relative}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)


def run_grading_task(task: dict) -> dict:
    """Grades and/or executes one submission in a temporary folder of this machine."""
    import nbformat
    from nbgrader.preprocessors import ClearOutput

    from autograder.grading.grader import grade_notebook
    from autograder.grading.run_all import run_all

    assignment = task["assignment"]
    with tempfile.TemporaryDirectory(prefix="dlgrade-task-") as workdir:
        folder = Path(workdir) / assignment
        write_folder(task["files"], folder)
        notebook = folder / f"{assignment}.ipynb"
        results = {}
        if task.get("grade") is not None:
            results["grade"] = grade_notebook(notebook, attachments_dir=folder, **task["grade"])
        if task.get("run_all") is not None:
            nb, _ = ClearOutput().preprocess(nbformat.read(notebook, as_version=4), {})
            results["execute"] = run_all(nb, assignment, folder, task["run_all"])
        return results


def import_grading_code() -> None:
    """Imports what a task needs, once per worker, before the first submission arrives."""
    import nbgrader.preprocessors  # noqa: F401

    import autograder.grading.grader
    import autograder.grading.run_all  # noqa: F401
