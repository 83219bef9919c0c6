"""A real PostgreSQL server (Debian's package) for a test: its own data folder, reachable only by a
Unix socket in a temporary folder, started and stopped by the test (``stop``/``start`` in
between, for a database that goes away)."""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class PostgresServer:
    """``with PostgresServer() as server: server.create("gradebook")`` -> a SQLAlchemy URL."""

    def __init__(self):
        self.bin_dir = postgres_bin()
        if self.bin_dir is None:
            pytest.skip("PostgreSQL server binaries not installed (`make test` installs Debian's postgresql)")
        # Not under pytest's tmp folder: that one is private to root and the server runs as postgres.
        self.folder = Path(tempfile.mkdtemp(prefix="dlgrade-postgres-"))
        self.data, self.sockets = self.folder / "data", self.folder / "sockets"
        self.sockets.mkdir()
        self.as_user = []
        if os.getuid() == 0:  # PostgreSQL refuses to run as root
            user = pwd.getpwnam("postgres")
            for path in (self.folder, self.sockets):
                os.chown(path, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, *command: str) -> None:
        result = subprocess.run(self.as_user + [str(self.bin_dir / command[0]), *command[1:]],
                                capture_output=True, text=True)
        if result.returncode != 0:
            log = self.folder / "server.log"
            raise RuntimeError(f"{command[0]} failed: {result.stderr}\n{log.read_text() if log.exists() else ''}")

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.folder / "server.log"),
                 "-o", f"-k {self.sockets} -c listen_addresses='' -c fsync=off", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create(self, name: str) -> str:
        """A new database on this server, as nbgrader and the service take it (SQLAlchemy URL)."""
        self.run("createdb", "-h", str(self.sockets), "-U", "dlgrade", name)
        return f"postgresql+psycopg://dlgrade@/{name}?host={self.sockets}"

    def __enter__(self):
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "dlgrade")
        self.start()
        return self

    def __exit__(self, *exc):
        try:
            self.stop()
        except RuntimeError:
            pass  # already stopped by the test
        shutil.rmtree(self.folder, ignore_errors=True)
