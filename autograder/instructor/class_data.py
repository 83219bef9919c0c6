"""One assignment's class as the report reads it after autograde: each student's scores from the
gradebook, verdicts from the grading cache, solution code from the submitted notebooks
(``collect``). Nothing is graded again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from autograder.course.folder import submitted_notebooks
from autograder.course.gradebook import read_assignment
from autograder.grading.result_cache import ResultCache
from autograder.grading.submission import SubmissionError, load_submission


@dataclass
class StudentResult:
    """One student's standing in the assignment."""
    student: str
    name: str = ""
    score: float | None = None               # the gradebook's, after the late penalty (None: no submission)
    cells: dict[str, float] = field(default_factory=dict)  # grade_id -> score, the gradebook's
    seconds_late: float = 0.0
    pending: bool = False                    # written answers still to grade by hand
    report: dict | None = None               # the trusted grader's report (tests and messages)
    problem: str | None = None               # why it could not be graded
    submitted: bool = False                  # a notebook lies in submitted/
    code: dict[str, str] = field(default_factory=dict)  # grade_id -> the solution cell's source

    @property
    def autograded(self) -> bool:
        """Graded by the hidden suite: its tests and hints count. (A notebook nbgrader could
        not read may still have a 0 in the gradebook: it is listed apart, with why.)"""
        return self.score is not None and self.problem is None

    @property
    def graded(self) -> bool:
        """Autograded, with nothing left to grade by hand: its scores count."""
        return self.autograded and not self.pending

    @property
    def label(self) -> str:
        return f"{self.name} ({self.student})" if self.name else self.student


@dataclass
class ClassData:
    assignment: str
    points: dict[str, float]                 # grade cell -> points (autograded and written answers)
    students: list[StudentResult]
    starter: dict[str, str] = field(default_factory=dict)  # grade_id -> the release's cell source
    max_score: float | None = None           # the gradebook's (None: the sum of ``points``)

    @property
    def graded(self) -> list[StudentResult]:
        return [s for s in self.students if s.graded]

    @property
    def autograded(self) -> list[StudentResult]:
        return [s for s in self.students if s.autograded]


def solution_code(notebook: Path) -> dict[str, str]:
    """grade_id -> source of each exercise's solution cell that the notebook still has; {} for
    a file that is not a notebook. A student who deleted one exercise cell is still compared on
    the others (load_submission lists it as broken and keeps the rest)."""
    try:
        submission = load_submission(notebook)
    except SubmissionError:
        return {}
    return {grade_id: submission.cells[index] for grade_id, index in submission.cell_of.items()}


def collect(course: Path, assignment: str) -> ClassData:
    """Reads the gradebook, the grading cache and the submitted notebooks of ``assignment``."""
    course = Path(course).resolve()
    cache = ResultCache(course, assignment)
    record = read_assignment(course, assignment)
    students = {student: StudentResult(student, name) for student, name in record.names.items()}
    for student, submission in record.submissions.items():
        result = students.setdefault(student, StudentResult(student))
        result.score, result.cells = submission.score, submission.cells
        result.seconds_late, result.pending = submission.seconds_late, submission.needs_manual_grade
    for student_id, notebook in submitted_notebooks(course, assignment):
        result = students.setdefault(student_id, StudentResult(student_id))
        result.submitted = True
        result.code = solution_code(notebook) if notebook.is_file() else {}
        if not notebook.is_file():
            result.problem = f"não há {notebook.name} na entrega"
    for result in students.values():
        report, problem = cache.verdict(result.student)
        result.report = report
        result.problem = result.problem or problem
        if result.submitted and result.score is None and not result.problem:
            result.problem = ("não está no gradebook: a correção falhou (o log do dlgrade autograde diz por quê) "
                              "ou ainda não rodou")
    release = course / "release" / assignment / f"{assignment}.ipynb"
    return ClassData(assignment, record.points, sorted(students.values(), key=lambda s: s.student),
                     solution_code(release) if release.is_file() else {}, record.max_score)
