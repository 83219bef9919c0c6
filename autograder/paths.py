"""Where the project's parts are, found from the installed packages (a wheel or a checkout).

Imports nothing of the project: modules that only need a path import this, not the builder
(which pulls in jupytext and the solutions).
"""
from __future__ import annotations

import importlib.util
from pathlib import Path


def package_folders(name: str) -> list[Path]:
    """The folders of the installed package ``name`` (none when it is absent), without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return []
    return [Path(p).resolve() for p in spec.submodule_search_locations]


def package_dir(name: str) -> Path:
    """The folder of the installed package ``name``, without importing it."""
    folders = package_folders(name)
    if not folders:
        raise ModuleNotFoundError(f"package {name} is not installed")
    return folders[0]


AUTOGRADER_DIR = Path(__file__).resolve().parent
SUITES_DIR = AUTOGRADER_DIR / "grading" / "suites"
SOLUTIONS_DIR = package_dir("solutions")
# The authoring files: assignments/<id>/<id>.py and each assignment's profile.toml.
ASSIGNMENTS_DIR = package_dir("assignments")
# The public helper package copied beside every notebook (dlhelpers in the wheel).
HELPERS_DIR = package_dir("dlhelpers")


def checkout_root() -> Path | None:
    """The source checkout holding these packages (an editable install), None from a wheel."""
    candidate = AUTOGRADER_DIR.parent
    return candidate if (candidate / "pyproject.toml").is_file() else None


def html_template_basedirs() -> list[str]:
    """``HTMLExporter.extra_template_basedirs`` of a course (its nbgrader_config.py): dlgrade's
    templates/formgrader (nbconvert's MathJax macro, loading MathJax from the Jupyter server
    rather than a CDN), then nbgrader's own formgrader templates, which setting the list
    replaces (the formgrader page's and generate_feedback's templates live there)."""
    return [str(AUTOGRADER_DIR / "course" / "templates" / "formgrader"),
            str(package_dir("nbgrader") / "server_extensions" / "formgrader" / "templates")]
