"""The grading service's database, in the course: SQLite in WAL mode by default
(``dlgrade-service.db`` in the course folder), or any SQLAlchemy URL (the course's PostgreSQL).

It holds each student's course token as a SHA-256 hash, never the token itself, and every
submission the service acknowledged: its bytes (the notebook and the handed-in files), hash,
size, student, assignment and time, committed before the 202 goes out, then its status
(queued -> grading -> graded | failed) and the grader's report. A row in ``grading`` when the
service starts was cut off by a crash: it goes back to ``queued`` and is graded again, so every
acknowledged submission ends with exactly one verdict."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timezone
from pathlib import Path

import json
import uuid
from dataclasses import dataclass

from sqlalchemy import (Column, DateTime, Float, ForeignKey, Integer, LargeBinary, MetaData, String, Table, Text,
                        create_engine, event, func, select)
from sqlalchemy.exc import SQLAlchemyError

STORE_NAME = "dlgrade-service.db"
TOKEN_BYTES = 32  # 256 bits of randomness: a fast hash is enough, no salt or stretching needed

metadata = MetaData()
student_tokens = Table(
    "dlgrade_student_tokens", metadata,
    Column("student_id", String(255), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

submissions = Table(
    "dlgrade_submissions", metadata,
    Column("id", String(32), primary_key=True),
    Column("student_id", String(255), nullable=False, index=True),
    Column("assignment", String(255), nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False, index=True),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("notebook", LargeBinary, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
    Column("score", Float),
    Column("max_score", Float),
    Column("report", Text),     # the trusted grader's report (JSON), when graded
    Column("execution_key", String(64)),  # Run-All's result in the course's cache (the feedback page)
    Column("message", Text),    # why it failed, in Portuguese
    Column("collected", Integer, nullable=False, default=0),
)
submission_files = Table(
    "dlgrade_submission_files", metadata,
    Column("submission_id", String(32), ForeignKey("dlgrade_submissions.id"), primary_key=True),
    Column("name", String(255), primary_key=True),
    Column("content", LargeBinary, nullable=False),
)
service_secrets = Table(
    "dlgrade_service_secrets", metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(255), nullable=False),
)

QUEUED, GRADING, GRADED, FAILED = "queued", "grading", "graded", "failed"


class StoreUnavailable(Exception):
    """The database cannot take a write (a full disk, a read-only folder, a server that is down)."""


@dataclass
class SubmissionRow:
    id: str
    student_id: str
    assignment: str
    submitted_at: datetime
    size: int
    sha256: str
    status: str
    started_at: datetime | None
    finished_at: datetime | None
    score: float | None
    max_score: float | None
    report: dict | None
    execution_key: str | None
    message: str | None


def utc(moment: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back: they were stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def row_of(record) -> SubmissionRow:
    return SubmissionRow(record.id, record.student_id, record.assignment, utc(record.submitted_at), record.size,
                         record.sha256, record.status, utc(record.started_at), utc(record.finished_at), record.score,
                         record.max_score, json.loads(record.report) if record.report else None,
                         record.execution_key, record.message)


SUMMARY_COLUMNS = [c for c in submissions.c if c.name != "notebook"]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def store_url(course_dir: Path, db_url: str | None = None) -> str:
    """Where the service keeps its tables: ``db_url`` when given; else the course's gradebook
    server when the course has one (``dlgrade init --db-url``: a PostgreSQL the instructor backs
    up, beside nbgrader's tables); else ``dlgrade-service.db`` in the course folder (SQLite)."""
    return db_url or gradebook_server_url(Path(course_dir)) or f"sqlite:///{Path(course_dir).resolve() / STORE_NAME}"


def gradebook_server_url(course_dir: Path) -> str | None:
    """The course's gradebook URL when it is a database server (not SQLite), else None."""
    from autograder.course.folder import CONFIG_NAME
    from autograder.course.gradebook import gradebook_url

    if not (course_dir / CONFIG_NAME).is_file():
        return None
    url, _ = gradebook_url(course_dir)
    return None if url.startswith("sqlite") else url


class ServiceStore:
    """The service's tables at ``url`` (created when missing)."""

    def __init__(self, url: str):
        # A server's pooled connections die when it restarts: checked before each use.
        self.engine = create_engine(url, pool_pre_ping=not url.startswith("sqlite"))
        if url.startswith("sqlite"):
            @event.listens_for(self.engine, "connect")
            def _wal(connection, _record):  # readers never wait for the one writer
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA busy_timeout=10000")
        metadata.create_all(self.engine)

    def students_with_tokens(self) -> set[str]:
        with self.engine.connect() as connection:
            return set(connection.execute(select(student_tokens.c.student_id)).scalars())

    def issue(self, student_id: str, replace: bool = False) -> str | None:
        """A new token for ``student_id`` (returned once, stored hashed); None when the student
        already has one and ``replace`` is false."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        row = {"student_id": student_id, "token_hash": token_hash(token), "created_at": datetime.now(timezone.utc)}
        with self.engine.begin() as connection:
            exists = connection.execute(select(student_tokens.c.student_id)
                                        .where(student_tokens.c.student_id == student_id)).first()
            if exists and not replace:
                return None
            if exists:
                connection.execute(student_tokens.update().where(student_tokens.c.student_id == student_id)
                                   .values(token_hash=row["token_hash"], created_at=row["created_at"]))
            else:
                connection.execute(student_tokens.insert().values(**row))
        return token

    def student_for(self, token: str) -> str | None:
        """The student whose token this is, or None (compared in constant time)."""
        wanted = token_hash(token)
        with self.engine.connect() as connection:
            row = connection.execute(select(student_tokens.c.student_id, student_tokens.c.token_hash)
                                     .where(student_tokens.c.token_hash == wanted)).first()
        if row is None or not hmac.compare_digest(row.token_hash, wanted):
            return None
        return row.student_id

    def remove(self, student_id: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(student_tokens.delete().where(student_tokens.c.student_id == student_id))

    def secret(self, name: str) -> str:
        """A random secret kept across restarts (the page's cookie key)."""
        with self.engine.begin() as connection:
            value = connection.execute(select(service_secrets.c.value).where(service_secrets.c.name == name)).scalar()
            if value is None:
                value = secrets.token_urlsafe(TOKEN_BYTES)
                connection.execute(service_secrets.insert().values(name=name, value=value))
        return value

    # Submissions

    def add_submission(self, student_id: str, assignment: str, notebook: bytes, files: dict[str, bytes],
                       now: datetime | None = None) -> SubmissionRow:
        """Stores a submission as queued, in one transaction (committed when this returns);
        StoreUnavailable when the database cannot take it."""
        record = {"id": uuid.uuid4().hex, "student_id": student_id, "assignment": assignment,
                  "submitted_at": now or datetime.now(timezone.utc), "size": len(notebook) + sum(map(len, files.values())),
                  "sha256": hashlib.sha256(notebook).hexdigest(), "notebook": notebook, "status": QUEUED, "collected": 0}
        try:
            with self.engine.begin() as connection:
                connection.execute(submissions.insert().values(**record))
                for name, content in files.items():
                    connection.execute(submission_files.insert().values(submission_id=record["id"], name=name,
                                                                        content=content))
        except SQLAlchemyError as error:
            raise StoreUnavailable(str(error).splitlines()[0]) from None
        return self.submission(record["id"])

    def submission(self, submission_id: str) -> SubmissionRow | None:
        with self.engine.connect() as connection:
            record = connection.execute(select(*SUMMARY_COLUMNS).where(submissions.c.id == submission_id)).first()
        return row_of(record) if record else None

    def content(self, submission_id: str) -> tuple[bytes, dict[str, bytes]]:
        """(the notebook's bytes, the handed-in files by name) of a submission."""
        with self.engine.connect() as connection:
            notebook = connection.execute(select(submissions.c.notebook)
                                          .where(submissions.c.id == submission_id)).scalar_one()
            files = dict(connection.execute(select(submission_files.c.name, submission_files.c.content)
                                            .where(submission_files.c.submission_id == submission_id)).all())
        return notebook, files

    def submissions_of(self, student_id: str | None = None, assignment: str | None = None,
                       limit: int | None = None) -> list[SubmissionRow]:
        """Newest first."""
        query = select(*SUMMARY_COLUMNS).order_by(submissions.c.submitted_at.desc(), submissions.c.id)
        if student_id is not None:
            query = query.where(submissions.c.student_id == student_id)
        if assignment is not None:
            query = query.where(submissions.c.assignment == assignment)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as connection:
            return [row_of(r) for r in connection.execute(query)]

    def submitted_since(self, student_id: str, assignment: str, since: datetime) -> list[datetime]:
        """When ``student_id`` submitted ``assignment`` after ``since``, oldest first."""
        with self.engine.connect() as connection:
            times = connection.execute(select(submissions.c.submitted_at).where(
                submissions.c.student_id == student_id, submissions.c.assignment == assignment,
                submissions.c.submitted_at > since).order_by(submissions.c.submitted_at)).scalars()
            return [utc(t) for t in times]

    def queued(self) -> list[SubmissionRow]:
        """Every queued submission, oldest first."""
        with self.engine.connect() as connection:
            query = select(*SUMMARY_COLUMNS).where(submissions.c.status == QUEUED).order_by(
                submissions.c.submitted_at, submissions.c.id)
            return [row_of(r) for r in connection.execute(query)]

    def requeue_grading(self) -> int:
        """Sends back to the queue what was being graded when the service stopped (or died)."""
        with self.engine.begin() as connection:
            return connection.execute(submissions.update().where(submissions.c.status == GRADING)
                                      .values(status=QUEUED, started_at=None)).rowcount

    def start_grading(self, submission_id: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(submissions.update().where(submissions.c.id == submission_id)
                               .values(status=GRADING, started_at=datetime.now(timezone.utc)))

    def finish(self, submission_id: str, report: dict | None, message: str | None = None,
               execution_key: str | None = None) -> bool:
        """Records the verdict (graded with ``report``, or failed with ``message``) of a
        submission still queued or grading; False when it already had one."""
        values = {"finished_at": datetime.now(timezone.utc), "message": message, "execution_key": execution_key}
        if report is not None:
            values.update(status=GRADED, score=report["score"], max_score=report["max_score"],
                          report=json.dumps(report, ensure_ascii=False))
        else:
            values.update(status=FAILED)
        with self.engine.begin() as connection:
            return connection.execute(submissions.update().where(
                submissions.c.id == submission_id, submissions.c.status.in_((QUEUED, GRADING)))
                .values(**values)).rowcount == 1

    def status_counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return dict(connection.execute(select(submissions.c.status, func.count()).group_by(submissions.c.status)).all())

    def finished_since(self, since: datetime) -> list[tuple[datetime, datetime]]:
        """(submitted_at, finished_at) of the verdicts given after ``since``."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(submissions.c.submitted_at, submissions.c.finished_at)
                                      .where(submissions.c.finished_at > since)).all()
        return [(utc(a), utc(b)) for a, b in rows]
