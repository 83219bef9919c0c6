"""Where the service keeps its tables: --db-url, else the course's gradebook server, else
dlgrade-service.db in the course; and a verdict is recorded once."""
from autograder.course.create import config_text
from autograder.course.folder import CONFIG_NAME
from autograder.service.store import GRADED, STORE_NAME, ServiceStore, store_url

SERVER = "postgresql+psycopg://nbgrader@db.example.edu/gradebook_dl2"


def course_with(folder, db_url):
    folder.mkdir()
    (folder / CONFIG_NAME).write_text(config_text(db_url, ["a1_ativacoes"]), encoding="utf-8")
    return folder


def test_a_course_with_a_gradebook_server_keeps_the_service_there(tmp_path):
    assert store_url(course_with(tmp_path / "curso", SERVER)) == SERVER


def test_a_sqlite_course_keeps_the_service_in_its_own_file(tmp_path):
    course = course_with(tmp_path / "curso", None)
    assert store_url(course) == f"sqlite:///{course.resolve() / STORE_NAME}"
    assert store_url(tmp_path) == f"sqlite:///{tmp_path.resolve() / STORE_NAME}"  # no course configuration


def test_db_url_wins(tmp_path):
    other = f"sqlite:///{tmp_path / 'outro.db'}"
    assert store_url(course_with(tmp_path / "curso", SERVER), other) == other


def test_a_verdict_is_recorded_once(tmp_path):
    store = ServiceStore(store_url(tmp_path))
    row = store.add_submission("1001", "a1_ativacoes", b"{}", {"predicoes.csv": b"id,y\n"})
    assert store.queued()[0].id == row.id and store.content(row.id) == (b"{}", {"predicoes.csv": b"id,y\n"})
    assert store.finish(row.id, {"score": 3.0, "max_score": 4.0})
    assert not store.finish(row.id, None, "outra")
    graded = store.submission(row.id)
    assert (graded.status, graded.score, graded.message) == (GRADED, 3.0, None)
