"""The gradebook on a real PostgreSQL server (Debian's package), through nbgrader's db_url:
a course made with `dlgrade init --db-url`, graded by `dlgrade autograde`, exported to CSV.
The test starts its own server in a temporary folder, reachable only by a Unix socket."""
import csv
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import nbformat
import pytest

from tests.support import DLGRADE

pytestmark = pytest.mark.slow


def postgres_bin():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    bin_dir = postgres_bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL server binaries not installed (.ci/run installs Debian's postgresql)")
    # Not under pytest's tmp folder: that one is private to root and the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="dlgrade-postgres-"))
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    as_user = []
    if os.getuid() == 0:  # PostgreSQL refuses to run as root
        user = pwd.getpwnam("postgres")
        for path in (folder, sockets):
            os.chown(path, user.pw_uid, user.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]

    def run(*command):
        result = subprocess.run(as_user + [str(bin_dir / command[0]), *command[1:]], capture_output=True, text=True)
        if result.returncode != 0:
            log = folder / "server.log"
            raise RuntimeError(f"{command[0]} failed: {result.stderr}\n{log.read_text() if log.exists() else ''}")

    run("initdb", "-D", str(data), "-A", "trust", "-U", "dlgrade")
    run("pg_ctl", "-D", str(data), "-w", "-l", str(folder / "server.log"),
        "-o", f"-k {sockets} -c listen_addresses='' -c fsync=off", "start")
    try:
        run("createdb", "-h", str(sockets), "-U", "dlgrade", "gradebook")
        yield f"postgresql+psycopg://dlgrade@/gradebook?host={sockets}"
    finally:
        run("pg_ctl", "-D", str(data), "-m", "fast", "stop")
        shutil.rmtree(folder, ignore_errors=True)


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
