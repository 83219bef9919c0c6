"""`dlgrade serve` as the tests run it: a real process on 127.0.0.1 (port 0: a free one), its own
local Dask cluster, stopped with SIGTERM or killed with SIGKILL; a course with students and tokens;
a small HTTP client that speaks the contract's API."""
import csv
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import nbformat
import requests

from tests.support import DLGRADE

LISTENING = re.compile(r"listening on (http://[0-9.]+:\d+/\S*)")
START_TIMEOUT = 300  # a loaded CI machine starts Dask slowly; no test asserts on it


class ServiceProcess:
    """``with ServiceProcess(course) as service: service.url``; ``prefix`` runs it under another
    command (a mount namespace)."""

    def __init__(self, course: Path, *extra: str, prefix: list[str] | None = None, env: dict | None = None):
        self.course, self.extra, self.prefix, self.env = Path(course), list(extra), prefix or [], env
        self.log_path = self.course.parent / f"serve-{os.getpid()}-{time.monotonic_ns()}.log"

    def start(self):
        self.log = open(self.log_path, "w")
        command = [*self.prefix, DLGRADE, "serve", "--course", str(self.course), "--port", "0", *self.extra]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
                                        env={**os.environ, **(self.env or {})})
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            found = LISTENING.search(self.log_path.read_text())
            if found:
                self.url = found.group(1)
                return self
            if self.process.poll() is not None:
                raise RuntimeError(f"dlgrade serve exited {self.process.returncode}:\n{self.log_path.read_text()}")
            time.sleep(0.2)
        raise RuntimeError(f"dlgrade serve did not start:\n{self.log_path.read_text()}")

    def stop(self, signum=signal.SIGTERM, timeout=120) -> int:
        """Sends ``signum`` to the service (SIGKILL: to its whole process group, workers too)."""
        if self.process.poll() is None:
            if signum == signal.SIGKILL:
                os.killpg(self.process.pid, signal.SIGKILL)
            else:
                self.process.send_signal(signum)
        code = self.process.wait(timeout=timeout)
        if signum != signal.SIGKILL:
            try:  # the local cluster's processes go with it
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.log.close()
        return code

    def output(self) -> str:
        return self.log_path.read_text()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.stop()
        else:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def issue_tokens(course: Path, students: list[str]) -> dict[str, str]:
    """Adds ``students`` to the gradebook and returns their course tokens (`dlgrade tokens`)."""
    roster = course.parent / "turma.csv"
    roster.write_text("id,first_name,last_name\n" + "".join(f"{s},Aluno,{s}\n" for s in students), encoding="utf-8")
    out = course.parent / f"tokens-{time.monotonic_ns()}.csv"
    subprocess.run([DLGRADE, "tokens", "--course", str(course), "--students", str(roster), "--out", str(out)],
                   check=True, capture_output=True, text=True)
    with open(out, newline="", encoding="utf-8") as handle:
        return {r["student_id"]: r["token"] for r in csv.DictReader(handle)}


class Student:
    """One student's calls to the API, with their token."""

    def __init__(self, url: str, token: str):
        self.url, self.headers = url.rstrip("/"), {"Authorization": f"token {token}"}

    def submit(self, assignment: str, notebook: bytes, files: dict[str, bytes] | None = None,
               filename: str = "notebook.ipynb") -> requests.Response:
        parts = [("notebook", (filename, notebook, "application/x-ipynb+json"))]
        parts += [("files", (name, content)) for name, content in (files or {}).items()]
        return requests.post(f"{self.url}/api/submissions", headers=self.headers, data={"assignment": assignment},
                             files=parts, timeout=120)

    def get(self, path: str) -> requests.Response:
        return requests.get(f"{self.url}{path}", headers=self.headers, timeout=60)

    def verdict(self, submission_id: str, timeout: float = 600) -> dict:
        """The submission once graded or failed (no test asserts on how long that takes)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            response = self.get(f"/api/submissions/{submission_id}?wait=25")  # a long poll, as enviar() asks
            assert response.status_code == 200, response.text
            body = response.json()
            if body["status"] in ("graded", "failed"):
                return body
            time.sleep(0.3)
        raise AssertionError(f"{submission_id} was not graded in {timeout} s")


def wait_for(condition, timeout: float = 600) -> None:
    """Until ``condition()`` holds (AssertionError after ``timeout``; no test asserts on how long)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("condition not reached")


def notebook_bytes(nb) -> bytes:
    return nbformat.writes(nb).encode("utf-8")
