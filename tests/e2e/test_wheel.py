"""The package as an instructor installs it: a wheel in a fresh virtual environment, used from a
folder outside the checkout, builds a course and grades."""
import json
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support import REPO_ROOT
ASSIGNMENT = "a1_ativacoes"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools writes build/ and *.egg-info beside the sources.
    sources = tmp_path_factory.mktemp("sources") / "dlgrade"
    shutil.copytree(REPO_ROOT, sources, ignore=shutil.ignore_patterns(
        ".git", ".venv", "build", "*.egg-info", "__pycache__", "cache", ".pytest_cache"))
    # No build isolation: the build backend (setuptools, in [dev]) is already here, offline.
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                             "--quiet", "--wheel-dir", str(out), str(sources)],
                            capture_output=True, text=True, cwd=out)
    assert result.returncode == 0, result.stderr[-3000:]
    (path,) = out.glob("dlgrade-*.whl")
    return path


def test_wheel_carries_the_suites_cases_and_authoring_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("autograder/suites/pytest.ini", "autograder/suites/conftest.py",
                     f"autograder/suites/test_{ASSIGNMENT}.py", f"dlhelpers/visible_cases/{ASSIGNMENT}.py",
                     f"assignments/{ASSIGNMENT}/{ASSIGNMENT}.py", f"assignments/{ASSIGNMENT}/profile.toml",
                     "assignments/projeto_final/profile.toml", "solutions/convolution.py",
                     "autograder/templates/class_report.html.j2"):
        assert expected in names, expected
    assert not [n for n in names if n.startswith("tests/") or "__pycache__" in n]
    assert not [n for n in names if n.startswith("assignments/dlhelpers/")], "dlhelpers twice in the wheel"
    # Every file of an assignment folder (what the build copies beside its notebook) is there.
    assignment_files = {str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "assignments").rglob("*")
                        if p.is_file() and "dlhelpers" not in p.parts and "__pycache__" not in p.parts}
    assert assignment_files <= names, sorted(assignment_files - names)


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """A fresh venv outside the checkout with only the wheel installed; its dependencies come
    from this environment's site-packages through a .pth file (no network at test time)."""
    venv = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    dependencies = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (purelib / "dlgrade_dependencies.pth").write_text("\n".join(dependencies) + "\n")
    result = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                             "--no-index", "--quiet", str(wheel)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return venv


def run(venv, *args, cwd):
    # The dependencies' programs (alembic, which nbgrader runs by name) come with them.
    path = f"{venv / 'bin'}:{Path(sys.executable).parent}:/usr/bin:/bin"
    return subprocess.run([str(venv / "bin" / "dlgrade"), *args], capture_output=True, text=True, cwd=cwd,
                          env={"PATH": path, "HOME": str(cwd)})


def test_installed_wheel_builds_a_course_and_grades(installed, tmp_path):
    where = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import autograder, solutions, assignments, dlhelpers, autograder.paths as p;"
                            "print(autograder.__file__, solutions.__file__, p.ASSIGNMENTS_DIR, p.HELPERS_DIR);"
                            "assert p.checkout_root() is None"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert str(REPO_ROOT) not in where.stdout and where.stdout.count(str(installed)) == 4, where.stdout

    course = tmp_path / "curso"
    init = run(installed, "init", str(course), "--assignment", ASSIGNMENT, cwd=tmp_path)
    assert init.returncode == 0, init.stdout + init.stderr
    reports = {}
    for kind in ("source", "release"):
        notebook = course / kind / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        result = run(installed, "check", "--json", str(notebook), cwd=tmp_path)
        assert result.returncode == 0, result.stderr[-3000:]
        reports[kind] = json.loads(result.stdout)
    assert reports["source"]["score"] == reports["source"]["max_score"] > 0
    assert reports["release"]["score"] == 0
