"""`dlgrade collect ASSIGNMENT`: after the deadline, each student's counting submission to the
service goes to ``submitted/<student>/<assignment>/`` with nbgrader's ``timestamp.txt``, so that
`dlgrade autograde` (which finds the service's results in the course's cache), feedback, export,
the class report and Moodle follow unchanged.

``counting = "last"`` takes the student's latest submission; ``"best"`` the one with the highest
score (the later one on a tie; a submission never graded does not count). A folder already
holding that same submission is left as it is, so nothing is graded again.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from autograder.service.store import GRADED, ServiceStore, SubmissionRow

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"  # nbgrader's Exchange.timestamp_format


@dataclass
class Collected:
    copied: list[str] = field(default_factory=list)     # students whose folder was written
    unchanged: list[str] = field(default_factory=list)  # already held that submission
    skipped: dict[str, str] = field(default_factory=dict)  # student -> why nothing counts


def counting_submissions(rows: list[SubmissionRow], counting: str) -> tuple[dict[str, SubmissionRow], dict[str, str]]:
    """(student -> the submission that counts, student -> why none does) from ``rows``, newest first."""
    chosen, skipped = {}, {}
    for row in rows:
        if counting == "last":
            chosen.setdefault(row.student_id, row)
        elif row.status == GRADED:
            best = chosen.get(row.student_id)
            if best is None or row.score > best.score:  # newest first: a tie keeps the later one
                chosen[row.student_id] = row
    for row in rows:
        if row.student_id not in chosen:
            skipped[row.student_id] = "no graded submission (counting = best)"
    return chosen, skipped


def collect(course: Path, assignment: str, db_url: str | None = None) -> Collected:
    from autograder.course.folder import CourseError, course_config
    from autograder.service.policy import GradingService, PolicyError, policy_for
    from autograder.service.store import store_url

    course = Path(course).resolve()
    try:
        policy = policy_for(GradingService(config=course_config(course)), assignment)
    except (PolicyError, FileNotFoundError) as error:
        raise CourseError(str(error)) from None
    store = ServiceStore(store_url(course, db_url))
    chosen, skipped = counting_submissions(store.submissions_of(assignment=assignment), policy.counting)
    result = Collected(skipped=skipped)
    for student, row in sorted(chosen.items()):
        notebook, files = store.content(row.id)
        target = course / "submitted" / student / assignment
        wanted = {f"{assignment}.ipynb": notebook, **files,
                  "timestamp.txt": row.submitted_at.strftime(TIMESTAMP_FORMAT).encode()}
        if target.is_dir() and same_files(target, wanted):
            result.unchanged.append(student)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{assignment}-", dir=target.parent))
        for name, content in wanted.items():
            (staging / Path(name).name).write_bytes(content)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)  # the folder appears whole
        result.copied.append(student)
    return result


def same_files(folder: Path, wanted: dict[str, bytes]) -> bool:
    present = {p.name for p in folder.iterdir()}
    return present == set(wanted) and all((folder / n).read_bytes() == c for n, c in wanted.items())
