"""The grading service's database, in the course: SQLite in WAL mode by default
(``dlgrade-service.db`` in the course folder), or any SQLAlchemy URL (the course's PostgreSQL).
It holds each student's course token as a SHA-256 hash, never the token itself."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Column, DateTime, MetaData, String, Table, create_engine, event, select

STORE_NAME = "dlgrade-service.db"
TOKEN_BYTES = 32  # 256 bits of randomness: a fast hash is enough, no salt or stretching needed

metadata = MetaData()
student_tokens = Table(
    "dlgrade_student_tokens", metadata,
    Column("student_id", String(255), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def store_url(course_dir: Path, db_url: str | None = None) -> str:
    return db_url or f"sqlite:///{Path(course_dir).resolve() / STORE_NAME}"


class ServiceStore:
    """The service's tables at ``url`` (created when missing)."""

    def __init__(self, url: str):
        self.engine = create_engine(url)
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
