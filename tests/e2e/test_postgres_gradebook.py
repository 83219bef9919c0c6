"""The gradebook on a real PostgreSQL server (Debian's package), through nbgrader's db_url:
a course made with `dlgrade init --db-url`, graded by `dlgrade autograde`, exported to CSV.
The test starts its own server in a temporary folder, reachable only by a Unix socket."""
import csv
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from tests.support import DLGRADE
from tests.support.postgres import PostgresServer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def postgres():
    with PostgresServer() as server:
        yield server.create("gradebook")


def test_autograde_and_export_with_a_postgresql_gradebook(postgres, tmp_path):
    course = tmp_path / "course"
    built = subprocess.run([DLGRADE, "init", str(course), "--assignment", "a1_ativacoes", "--db-url", postgres],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    assert not (course / "gradebook.db").exists()  # nothing went to SQLite
    source = course / "source" / "a1_ativacoes" / "a1_ativacoes.ipynb"
    release = course / "release" / "a1_ativacoes" / "a1_ativacoes.ipynb"
    for student, notebook in (("ana", source), ("bruno", release), ("carla", source)):
        folder = course / "submitted" / student / "a1_ativacoes"
        folder.mkdir(parents=True)
        nb = nbformat.read(notebook, as_version=4)
        nb.cells.append(nbformat.v4.new_markdown_cell(f"entregue por {student}"))
        nbformat.write(nb, folder / "a1_ativacoes.ipynb")

    graded = subprocess.run([DLGRADE, "autograde", "a1_ativacoes", "--course", str(course), "--workers", "2"],
                            capture_output=True, text=True, timeout=600)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    exported = subprocess.run([shutil.which("nbgrader", path=str(Path(DLGRADE).parent)), "export"],
                              cwd=course, capture_output=True, text=True, timeout=300)
    assert exported.returncode == 0, exported.stderr
    with open(course / "grades.csv", newline="") as stream:
        scores = {r["student_id"]: float(r["score"]) for r in csv.DictReader(stream)}
    assert scores == {"ana": 9.0, "bruno": 0.0, "carla": 9.0}
