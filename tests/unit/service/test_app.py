"""What a student may read of a submission: tests only where the profile shows them before the deadline."""
from datetime import datetime, timezone
from types import SimpleNamespace

from autograder.service.app import public_submission
from autograder.service.store import GRADED, QUEUED

REPORT = {"cells": {"conv_forward": {"score": 2.5, "max_score": 5.0, "tests": [
    {"name": "test_stride_2", "passed": False, "message": "forma errada", "code": "def test_stride_2(): ..."}]}}}


def row(status=GRADED, report=REPORT):
    return SimpleNamespace(id="a" * 32, assignment="a2_convolucao", student_id="3001", status=status, score=2.5,
                           max_score=5.0, report=report, message=None,
                           submitted_at=datetime(2026, 12, 1, 12, tzinfo=timezone.utc))


def test_tests_mode_shows_each_tests_name_and_message_never_its_code():
    public = public_submission(row(), SimpleNamespace(feedback_before_deadline="tests"))
    assert public["cells"]["conv_forward"]["tests"] == [{"name": "test_stride_2", "passed": False, "message": "forma errada"}]
    assert public["feedback_page"] and public["message"] == "Corrigida: nota 2,5 de 5."


def test_score_mode_shows_the_score_per_exercise_only():
    public = public_submission(row(), SimpleNamespace(feedback_before_deadline="score"))
    assert public["cells"] == {"conv_forward": {"score": 2.5, "max_score": 5.0, "tests": []}}
    assert not public["feedback_page"]


def test_a_queued_submission_has_no_cells_yet():
    public = public_submission(row(QUEUED, report=None), SimpleNamespace(feedback_before_deadline="tests"))
    assert public["status"] == "queued" and public["cells"] == {} and not public["feedback_page"]
    assert public["submitted_at"] == "2026-12-01T12:00:00+00:00"
