"""One rule for what graded code cannot see, used by both autograde steps: the notebook's
Run-All (``SandboxedExecute``) and the hidden suite's calls (the ``student`` fixture).

Inside the sandbox only the system, the Python environment and the job folder exist; these
paths are hidden on top of that (an installed ``solutions`` package lies inside the
environment). Without namespaces (the weaker mode) nothing can be hidden; see docs/grading.md.
"""
from __future__ import annotations

from pathlib import Path

from autograder.paths import ASSIGNMENTS_DIR, AUTOGRADER_DIR, SOLUTIONS_DIR, checkout_root, package_folders

COURSE_CONFIG = "nbgrader_config.py"


def course_root(folder: Path) -> Path | None:
    """The nbgrader course holding ``folder`` (the first ancestor with nbgrader_config.py)."""
    folder = Path(folder).resolve()
    for candidate in [folder, *folder.parents]:
        if (candidate / COURSE_CONFIG).is_file():
            return candidate
    return None


def hidden_from_graded_code(profile, *folders: Path) -> list[Path]:
    """What student code must not see while ``profile``'s assignment is graded: the answers
    (solutions/), the suites and the grader (autograder/), the authoring files, the checkout,
    the submission's folders and the course holding them (gradebook, other students), and the
    profile's hidden packages (a dataset's test split)."""
    paths = {SOLUTIONS_DIR, AUTOGRADER_DIR, ASSIGNMENTS_DIR}
    root = checkout_root()
    if root:
        paths.add(root)
    for folder in folders:
        if folder is None:
            continue
        paths.add(Path(folder))
        course = course_root(folder)
        if course:
            paths.add(course)
    for package in profile.hidden_packages:
        paths.update(package_folders(package))
    return sorted({Path(p).resolve() for p in paths})
