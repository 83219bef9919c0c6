"""The exchange of a course made by `dlgrade init`: its root is an existing folder of the course,
so nbgrader's formgrader does not warn that the exchange directory does not exist (a course that
collects from Moodle), and `--exchange` makes that folder usable by every student."""
import logging
import stat

import pytest

from autograder.cli import build_parser
from autograder.course import create as course_module
from autograder.course.folder import course_config


@pytest.fixture
def make_course(tmp_path):
    """A real course made by init_course (nbgrader generates its one assignment)."""
    def make(**options):
        directory = tmp_path / "curso"
        course_module.init_course(directory, only=["a1_ativacoes"], **options)
        return directory
    return make


def formgrader_api(directory, caplog):
    """nbgrader's API as the formgrader builds it, on the course's configuration."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = course_config(directory)
    with caplog.at_level(logging.WARNING):
        return NbGraderAPI(CourseDirectory(config=config, root=str(directory)), config=config)


def test_a_course_that_collects_from_the_lms_has_an_existing_exchange_and_no_warning(make_course, caplog):
    directory = make_course()
    config = course_config(directory)
    assert config.Exchange.root == str(directory / "exchange") and (directory / "exchange").is_dir()
    assert "zip_collect" in (directory / "nbgrader_config.py").read_text(encoding="utf-8")
    api = formgrader_api(directory, caplog)
    # what the formgrader's manage_assignments page shows the "does not exist" warning on
    assert api.exchange_missing is False and api.exchange_root == str(directory / "exchange")
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


def test_the_exchange_root_follows_the_course_folder(make_course, tmp_path):
    moved = tmp_path / "movido"
    make_course().rename(moved)
    assert course_config(moved).Exchange.root == str(moved / "exchange")


def test_init_exchange_sets_up_a_folder_every_student_can_write(make_course, caplog):
    directory = make_course(exchange=True)
    root = directory / "exchange"
    assert course_config(directory).Exchange.root == str(root)
    assert stat.S_IMODE(root.stat().st_mode) == 0o777
    assert "--exchange" in (directory / "nbgrader_config.py").read_text(encoding="utf-8")
    assert formgrader_api(directory, caplog).exchange_missing is False


def test_the_exchange_option_of_init():
    assert build_parser().parse_args(["init", "c", "--exchange"]).exchange is True
    assert build_parser().parse_args(["init", "c"]).exchange is False
