"""What a course's nbgrader gradebook holds of an assignment, for the instructor's tools that
run after grading (the class report, the return to Moodle): read only, never created here.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

from autograder.course.folder import CourseError, course_directory


def gradebook_url(course_dir: Path) -> tuple[str, str]:
    """(the gradebook's SQLAlchemy URL, the course id) from the course's configuration; a
    relative SQLite path is the course folder's, where nbgrader runs."""
    coursedir = course_directory(course_dir)
    database = coursedir.db_url
    if database.startswith("sqlite:///") and not database.startswith("sqlite:////"):
        database = "sqlite:///" + str(Path(course_dir).resolve() / database.removeprefix("sqlite:///"))
    return database, coursedir.course_id


@contextlib.contextmanager
def course_gradebook(course_dir: Path, assignment: str):
    """The course's nbgrader gradebook, open (``CourseDirectory.db_url``, by default gradebook.db
    in the course folder); CourseError unless it can be opened and holds ``assignment``. Never
    creates a SQLite gradebook file."""
    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SQLAlchemyError

    database, course_id = gradebook_url(course_dir)
    if database.startswith("sqlite:///") and not Path(database.removeprefix("sqlite:///")).is_file():
        raise CourseError(f"{course_dir} has no gradebook yet ({database}): grade {assignment} first")
    try:
        gradebook = Gradebook(database, course_id)
    except SQLAlchemyError as error:  # a database server that is down, a wrong password
        raise CourseError(f"cannot open the gradebook at {database}: {str(error).splitlines()[0]}") from None
    with gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            raise CourseError(f"{assignment} is not in the gradebook of {course_dir}: grade it first "
                              f"(dlgrade autograde {assignment})") from None
        yield gradebook


@dataclass
class GradebookSubmission:
    """A submission as the gradebook holds it."""
    score: float              # after nbgrader's late penalty, as `nbgrader export` writes it
    max_score: float
    cells: dict[str, float]   # grade cell -> score (the instructor's manual score where given)
    seconds_late: float
    needs_manual_grade: bool  # a written answer (or a flagged cell) still to grade in formgrader


@dataclass
class GradebookAssignment:
    max_score: float
    points: dict[str, float]                     # grade cell -> points, autograded and written
    names: dict[str, str]                        # every student of the course -> full name
    submissions: dict[str, GradebookSubmission]  # student id -> their submission of it


def read_assignment(course_dir: Path, assignment: str) -> GradebookAssignment:
    """What the course's gradebook holds of ``assignment`` (CourseError as course_gradebook)."""
    with course_gradebook(course_dir, assignment) as gradebook:
        record = gradebook.find_assignment(assignment)
        points = {cell.name: float(cell.max_score) for notebook in record.notebooks for cell in notebook.grade_cells}
        names = {s.id: " ".join(n for n in (s.first_name, s.last_name) if n) for s in gradebook.students}
        submissions = {}
        for submission in gradebook.assignment_submissions(assignment):
            penalty = float(submission.late_submission_penalty or 0.0)
            submissions[submission.student_id] = GradebookSubmission(
                score=max(0.0, float(submission.score) - penalty),
                max_score=float(submission.max_score),
                cells={grade.name: float(grade.score) for notebook in submission.notebooks
                       for grade in notebook.grades},
                seconds_late=float(submission.total_seconds_late or 0.0),
                needs_manual_grade=bool(submission.needs_manual_grade),
            )
        return GradebookAssignment(float(record.max_score), points, names, submissions)
