"""`dlgrade tokens`: one secret per student of the gradebook (roster students added first), stored
only as hashes, kept on a second run, one replaced by --rotate; the CLI's messages."""
import csv
import sqlite3
import subprocess

import pytest

from autograder.course.create import config_text
from autograder.course.folder import CONFIG_NAME, CourseError
from autograder.service.store import STORE_NAME, ServiceStore, store_url, token_hash
from autograder.service.tokens import write_tokens
from tests.support import DLGRADE


@pytest.fixture
def course(tmp_path):
    """A course folder with its nbgrader configuration and no gradebook yet."""
    folder = tmp_path / "curso"
    folder.mkdir()
    (folder / CONFIG_NAME).write_text(config_text(None, ["a1_ativacoes"]), encoding="utf-8")
    roster = tmp_path / "turma.csv"
    roster.write_text("id,first_name,last_name,email,lms_user_id\n1001,Ana,Souza,ana@example.com,11\n"
                      "1002,Bruno,Lima,,\n", encoding="utf-8")
    return folder, roster


def rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_tokens_are_issued_once_and_stored_hashed(course, tmp_path):
    folder, roster = course
    assert write_tokens(folder, tmp_path / "t1.csv", roster=roster, url="https://curso.example/dl2/") == (2, 0)
    first = rows(tmp_path / "t1.csv")
    assert [r["student_id"] for r in first] == ["1001", "1002"]
    assert all(len(r["token"]) >= 40 and r["link"] == f"https://curso.example/dl2/?token={r['token']}" for r in first)
    assert (tmp_path / "t1.csv").stat().st_mode & 0o077 == 0

    store = ServiceStore(store_url(folder))
    assert {store.student_for(r["token"]) for r in first} == {"1001", "1002"}
    assert store.student_for("x" + first[0]["token"]) is None
    raw = sqlite3.connect(folder / STORE_NAME).execute("select student_id, token_hash from dlgrade_student_tokens")
    stored = dict(raw.fetchall())
    assert stored == {r["student_id"]: token_hash(r["token"]) for r in first}
    assert not any(r["token"] in str(stored) for r in first)  # only hashes

    # A second run keeps both tokens and lists no one; a third student gets one.
    assert write_tokens(folder, tmp_path / "t2.csv") == (0, 2)
    assert rows(tmp_path / "t2.csv") == []
    more = tmp_path / "mais.csv"
    more.write_text("id\n1003\n", encoding="utf-8")
    assert write_tokens(folder, tmp_path / "t3.csv", roster=more) == (1, 2)
    assert [r["student_id"] for r in rows(tmp_path / "t3.csv")] == ["1003"]
    assert {store.student_for(r["token"]) for r in first} == {"1001", "1002"}


def test_rotate_replaces_one_token(course, tmp_path):
    folder, roster = course
    write_tokens(folder, tmp_path / "t1.csv", roster=roster)
    old = {r["student_id"]: r["token"] for r in rows(tmp_path / "t1.csv")}
    assert write_tokens(folder, tmp_path / "novo.csv", rotate="1002") == (1, 1)
    (new,) = rows(tmp_path / "novo.csv")
    store = ServiceStore(store_url(folder))
    assert new["student_id"] == "1002" and new["token"] != old["1002"]
    assert store.student_for(old["1002"]) is None and store.student_for(new["token"]) == "1002"
    assert store.student_for(old["1001"]) == "1001"
    with pytest.raises(CourseError, match="not a student"):
        write_tokens(folder, tmp_path / "x.csv", rotate="9999")


def test_a_roster_without_ids_is_refused(course, tmp_path):
    folder, _ = course
    bad = tmp_path / "ruim.csv"
    bad.write_text("nome\nAna\n", encoding="utf-8")
    with pytest.raises(CourseError, match="'id' column"):
        write_tokens(folder, tmp_path / "t.csv", roster=bad)


def test_the_command_line(course, tmp_path):
    folder, roster = course
    result = subprocess.run([DLGRADE, "tokens", "--course", str(folder), "--students", str(roster),
                             "--out", str(tmp_path / "t.csv")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "2 token(s) written" in result.stdout and len(rows(tmp_path / "t.csv")) == 2
    result = subprocess.run([DLGRADE, "tokens", "--course", str(tmp_path), "--out", str(tmp_path / "u.csv")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "not a course directory" in result.stderr
