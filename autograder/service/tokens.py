"""`dlgrade tokens`: one secret per student of the course's gradebook, for the grading service.

The CSV it writes (``student_id,token`` and ``link`` with ``--url``) is what the instructor hands
out, one line per student (Moodle's messaging, a personal link). Only the tokens' hashes are kept
(``store``), so a run shows the tokens it creates: running it again keeps every existing token and
lists only the students who had none; ``--rotate`` replaces one leaked token."""
from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import quote

from autograder.course.folder import CourseError, put_nbgrader_helpers_on_path
from autograder.course.gradebook import gradebook_url
from autograder.service.store import ServiceStore, store_url

ROSTER_COLUMNS = ("id", "first_name", "last_name", "email", "lms_user_id")  # nbgrader's roster


def read_roster(path: Path) -> list[dict]:
    """The rows of a roster CSV with nbgrader's columns (``id`` required)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    if rows and "id" not in rows[0]:
        raise CourseError(f"{path}: a roster needs an 'id' column (nbgrader's columns: {', '.join(ROSTER_COLUMNS)})")
    missing = [number for number, row in enumerate(rows, start=2) if not (row.get("id") or "").strip()]
    if missing:
        raise CourseError(f"{path}: line {missing[0]} has no student id")
    return rows


def gradebook_students(course_dir: Path, roster: list[dict] | None = None) -> list[str]:
    """The gradebook's student ids, after adding the roster's students to it."""
    from nbgrader.api import Gradebook

    database, course_id = gradebook_url(course_dir)
    put_nbgrader_helpers_on_path()
    with Gradebook(database, course_id) as gradebook:
        for row in roster or ():
            fields = {key: (row.get(key) or "").strip() or None for key in ROSTER_COLUMNS if key != "id"}
            gradebook.update_or_create_student(row["id"].strip(), **fields)
        return sorted(student.id for student in gradebook.students)


def write_tokens(course_dir: Path, out: Path, roster: Path | None = None, url: str | None = None,
                 rotate: str | None = None, db_url: str | None = None) -> tuple[int, int]:
    """Issues the missing tokens (or, with ``rotate``, a new one for that student) and writes the
    CSV of the tokens issued to ``out``. Returns (tokens written, students who keep theirs)."""
    course_dir = Path(course_dir)
    students = gradebook_students(course_dir, read_roster(roster) if roster else None)
    store = ServiceStore(store_url(course_dir, db_url))
    if rotate is not None:
        if rotate not in students:
            raise CourseError(f"{rotate} is not a student of the gradebook of {course_dir}")
        issued = {rotate: store.issue(rotate, replace=True)}
    else:
        issued = {student: token for student in students if (token := store.issue(student)) is not None}
    columns = ["student_id", "token"] + (["link"] if url else [])
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for student, token in issued.items():
            row = [student, token]
            if url:
                row.append(f"{url.rstrip('/')}/?token={quote(token)}")
            writer.writerow(row)
    out.chmod(0o600)  # secrets
    return len(issued), len(students) - len(issued)
