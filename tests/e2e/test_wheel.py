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
    for expected in ("autograder/grading/suites/pytest.ini", "autograder/grading/suites/conftest.py",
                     f"autograder/grading/suites/test_{ASSIGNMENT}.py", f"dlhelpers/visible_cases/{ASSIGNMENT}.py",
                     f"assignments/{ASSIGNMENT}/{ASSIGNMENT}.py", f"assignments/{ASSIGNMENT}/profile.toml",
                     "assignments/projeto_final/profile.toml", "solutions/convolution.py",
                     "autograder/instructor/templates/class_report.html.j2", "autograder/course/templates/feedback/index.html.j2",
                     "autograder/course/templates/feedback/conf.json"):
        assert expected in names, expected
    assert not [n for n in names if n.startswith("tests/") or "__pycache__" in n]
    assert not [n for n in names if n.startswith("assignments/dlhelpers/")], "dlhelpers twice in the wheel"
    # Every file of an assignment folder (what the build copies beside its notebook) is there.
    assignment_files = {str(p.relative_to(REPO_ROOT)) for p in (REPO_ROOT / "assignments").rglob("*")
                        if p.is_file() and "dlhelpers" not in p.parts and "__pycache__" not in p.parts}
    assert assignment_files <= names, sorted(assignment_files - names)


def bare_venv(folder: Path) -> Path:
    """A venv where dlhelpers is not importable but pip and numpy are (this environment's
    site-packages through a .pth file: its editable install of dlhelpers is not activated)."""
    venv = folder / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  capture_output=True, text=True, check=True).stdout.strip())
    dependencies = [p for p in site.getsitepackages() if Path(p).is_dir()]
    (purelib / "dlgrade_dependencies.pth").write_text("\n".join(dependencies) + "\n")
    return python


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """A fresh venv outside the checkout with only the wheel installed; its dependencies come
    from this environment's site-packages through a .pth file (no network at test time)."""
    python = bare_venv(tmp_path_factory.mktemp("venv"))
    venv = python.parent.parent
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


# The helper kit: a notebook opened alone (Colab) installs dlhelpers from the wheel `dlgrade
# init` writes, from the instructor's URL or path, or says what to upload. Offline: a local path
# and a file:// URL stand in for the URL; pip never reaches an index (PIP_NO_INDEX).

@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    from autograder.authoring.helpers_kit import write_helpers_wheel

    return write_helpers_wheel(tmp_path_factory.mktemp("kit"))


def run_first_cell(python: Path, cwd: Path, helpers_url: str = ""):
    from autograder.authoring.helpers_kit import environment_cell

    cwd.mkdir(exist_ok=True)
    cell = cwd / "first_cell.py"
    cell.write_text(environment_cell(keras=False, helpers_url=helpers_url), encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run([str(python), str(cell)], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def importable(python: Path, cwd: Path) -> bool:
    probe = subprocess.run([str(python), "-c", "import dlhelpers.checks, dlhelpers.environment"],
                           capture_output=True, text=True, cwd=cwd)
    return probe.returncode == 0


def test_the_kit_is_a_wheel_of_dlhelpers_alone(kit):
    from autograder.paths import HELPERS_DIR

    names = set(zipfile.ZipFile(kit).namelist())
    assert kit.name.startswith("dlhelpers-") and kit.name.endswith("-py3-none-any.whl")
    assert {"dlhelpers/__init__.py", "dlhelpers/checks.py", "dlhelpers/environment.py",
            "dlhelpers/visible_cases/a2_convolucao.py"} <= names
    assert not [n for n in names if not n.startswith(("dlhelpers/", "dlhelpers-")) or "__pycache__" in n]
    shipped = {f"dlhelpers/{p.relative_to(HELPERS_DIR).as_posix()}" for p in HELPERS_DIR.rglob("*.py")
               if "__pycache__" not in p.parts}
    assert shipped <= names


@pytest.mark.parametrize("where", ["a path", "a file URL", "beside the notebook"])
def test_the_first_cell_installs_the_kit_where_dlhelpers_is_missing(kit, tmp_path, where):
    python = bare_venv(tmp_path)
    notebook_folder = tmp_path / "notebook"
    notebook_folder.mkdir()
    assert not importable(python, notebook_folder)
    url = {"a path": str(kit), "a file URL": kit.as_uri(), "beside the notebook": ""}[where]
    if where == "beside the notebook":
        shutil.copy(kit, notebook_folder / kit.name)
    result = run_first_cell(python, notebook_folder, url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✔ Ambiente pronto: numpy" in result.stdout
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert importable(python, elsewhere)  # installed in the venv, not found beside the file


def test_the_first_cell_says_what_to_upload_when_there_is_no_kit(kit, tmp_path):
    python = bare_venv(tmp_path)
    result = run_first_cell(python, tmp_path / "notebook", helpers_url=str(tmp_path / "missing" / kit.name))
    assert result.returncode != 0
    assert "Falta o kit do curso" in result.stderr and f"Envie o arquivo {kit.name}" in result.stderr
    assert "No Colab: clique no ícone de pasta" in result.stderr and "O kit não foi encontrado em" in result.stdout
    assert not importable(python, tmp_path / "notebook")
