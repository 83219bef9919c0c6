"""A course folder as nbgrader lays it out: its configuration (nbgrader_config.py), the
nbgrader commands run in it, and the submissions it holds (submitted/<student>/<assignment>/).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONFIG_NAME = "nbgrader_config.py"


class CourseError(Exception):
    """A course folder cannot be created, read or worked on; the message says why."""


def course_config(course: Path):
    """The course's nbgrader configuration, as nbgrader reads it from its nbgrader_config.py."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    config.merge(PyFileConfigLoader(CONFIG_NAME, path=str(course)).load_config())
    return config


def course_directory(course_dir: Path):
    """The course's nbgrader CourseDirectory, configured by its nbgrader_config.py."""
    from nbgrader.coursedir import CourseDirectory

    if not (Path(course_dir) / CONFIG_NAME).is_file():
        raise CourseError(f"{course_dir} is not a course directory (no {CONFIG_NAME})")
    return CourseDirectory(config=course_config(Path(course_dir)), root=str(Path(course_dir).resolve()))


def put_nbgrader_helpers_on_path() -> None:
    """nbgrader's Gradebook runs ``alembic`` by name when it creates a database: this process's
    environment bin/ must be on PATH (it is not when the venv was not activated)."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def run_nbgrader(course_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """Runs an nbgrader command in the course directory, as an instructor would."""
    # nbgrader runs helper programs (alembic) by name: the environment's bin/ must be on PATH.
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course_dir, capture_output=True, text=True, env=env
    )
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-15:])
        raise CourseError(f"nbgrader {' '.join(args)} failed:\n{tail}")
    return result


def submitted_notebooks(course: Path, assignment: str) -> list[tuple[str, Path]]:
    """(student id, notebook) of every submission, nbgrader's layout:
    submitted/<student>/<assignment>/<assignment>.ipynb."""
    found = []
    for folder in sorted((course / "submitted").glob(f"*/{assignment}")):
        notebook = folder / f"{assignment}.ipynb"
        found.append((folder.parent.name, notebook))
    return found
