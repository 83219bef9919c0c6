"""A real JupyterHub for the tests, on 127.0.0.1: its proxy (configurable-http-proxy), users who
log in with any password (DummyAuthenticator), their servers started as processes of this machine
(SimpleLocalProcessSpawner, a home folder each under the test's folder), `dlgrade serve --hub` as a
managed service, and a "tester" service whose token does what an administrator would.

Also runs code in a user's kernel over the server's websocket, as JupyterLab does."""
import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import requests

from tests.support import DLGRADE

START_TIMEOUT = 300  # a loaded CI machine is slow to start the Hub, the service's Dask and a server
TESTER_TOKEN = uuid.uuid4().hex
SERVICE = "dlgrade"


def missing_pieces() -> str | None:
    """Why a JupyterHub cannot run here (None when it can)."""
    if shutil.which("configurable-http-proxy") is None:
        return "configurable-http-proxy (npm) is not installed: `make system-packages` installs it as root"
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "jupyterhub is not installed: pip install 'dlgrade[hub]'"
    if not (Path(sys.executable).parent / "jupyterhub-singleuser").exists():
        return "jupyterhub-singleuser is not next to this Python"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Hub:
    """``with Hub(folder, course, users=..., admins=...) as hub: hub.url``."""

    def __init__(self, folder: Path, course: Path, users: list[str], admins: list[str], workers: int = 1):
        self.folder, self.course, self.users, self.admins, self.workers = Path(folder), Path(course), users, admins, workers
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port, self.service_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.service_url = f"{self.url}/services/{SERVICE}/"

    def config(self) -> str:
        bin_dir = Path(sys.executable).parent
        serve = [DLGRADE, "serve", "--hub", "--course", str(self.course), "--workers", str(self.workers)]
        tester_scopes = ["admin:users", "admin:servers", "access:servers", "tokens", "list:users"]
        return f"""
c.JupyterHub.bind_url = "{self.url}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.pid_file = "{self.folder / 'proxy.pid'}"
c.JupyterHub.db_url = "sqlite:///{self.folder / 'hub.sqlite'}"
c.JupyterHub.cookie_secret_file = "{self.folder / 'cookie_secret'}"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allowed_users = {set(self.users)!r}
c.Authenticator.admin_users = {set(self.admins)!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{self.folder / 'home' / '{username}'}"
c.Spawner.cmd = ["{bin_dir / 'jupyterhub-singleuser'}"]
c.Spawner.args = ["--ServerApp.allow_root=True"]
c.Spawner.start_timeout = {START_TIMEOUT}
c.Spawner.http_timeout = {START_TIMEOUT}
c.Spawner.environment = {{"DLGRADE_URL": "{self.service_url}"}}
c.Spawner.server_token_scopes = ["users:activity!user", "access:servers!server", "access:services!service={SERVICE}"]
c.JupyterHub.services = [
    {{"name": "{SERVICE}", "url": "http://127.0.0.1:{self.service_port}", "command": {serve!r},
      "oauth_no_confirm": True}},
    {{"name": "tester", "api_token": "{TESTER_TOKEN}"}},
]
c.JupyterHub.load_roles = [
    {{"name": "user", "scopes": ["self", "access:services!service={SERVICE}"]}},
    {{"name": "tester", "scopes": {tester_scopes!r}, "services": ["tester"]}},
]
"""

    def start(self):
        config = self.folder / "jupyterhub_config.py"
        config.write_text(self.config(), encoding="utf-8")
        self.log_path = self.folder / "jupyterhub.log"
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([str(Path(sys.executable).parent / "jupyterhub"), "-f", str(config)],
                                        cwd=self.folder, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True, env={**os.environ, "CONFIGPROXY_AUTH_TOKEN": uuid.uuid4().hex})
        self.wait(lambda: requests.get(f"{self.url}/hub/api", timeout=10).status_code == 200, "the Hub's API")
        # The service answers through the proxy once its Dask cluster is up (401: alive, no token).
        self.wait(lambda: requests.get(f"{self.service_url}api/assignments", timeout=10).status_code == 401,
                  "dlgrade serve behind the Hub's proxy")
        return self

    def wait(self, ready, what: str):
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyterhub exited {self.process.returncode}:\n{self.output()}")
            try:
                if ready():
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{what} did not come up in {START_TIMEOUT} s:\n{self.output()}")

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """A call to the Hub's REST API with the tester's token."""
        return requests.request(method, f"{self.url}/hub/api{path}", headers={"Authorization": f"token {TESTER_TOKEN}"},
                                timeout=60, **kwargs)

    def token_for(self, user: str, scopes: list[str]) -> str:
        """A new API token of ``user`` with ``scopes`` (as the user would make on the Hub's token page)."""
        made = self.api("POST", f"/users/{user}/tokens", json={"scopes": scopes, "note": "teste"})
        assert made.status_code == 201, made.text
        return made.json()["token"]

    def start_server(self, user: str):
        started = self.api("POST", f"/users/{user}/server")
        assert started.status_code in (201, 202), started.text
        self.wait(lambda: self.api("GET", f"/users/{user}").json()["servers"].get("", {}).get("ready"),
                  f"{user}'s server")

    def server(self, user: str, method: str, path: str, **kwargs) -> requests.Response:
        """A call to ``user``'s Jupyter server's API, through the proxy, with the tester's token."""
        return requests.request(method, f"{self.url}/user/{user}/api{path}",
                                headers={"Authorization": f"token {TESTER_TOKEN}"}, timeout=60, **kwargs)

    def run_in_kernel(self, user: str, kernel_id: str, code: str, timeout: float = 900) -> dict:
        """Executes ``code`` in the kernel: {"stdout": ..., "error": (ename, evalue) or None}."""
        return asyncio.run(self._execute(f"ws://127.0.0.1:{self.port}/user/{user}/api/kernels/{kernel_id}/channels",
                                         code, timeout))

    async def _execute(self, address: str, code: str, timeout: float) -> dict:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        connection = await websocket_connect(HTTPRequest(address, headers={"Authorization": f"token {TESTER_TOKEN}"}))
        msg_id, session = uuid.uuid4().hex, uuid.uuid4().hex
        header = {"msg_id": msg_id, "session": session, "username": "teste", "msg_type": "execute_request",
                  "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        await connection.write_message(json.dumps({
            "header": header, "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        stdout, error = [], None
        deadline = time.monotonic() + timeout
        try:
            while True:
                raw = await asyncio.wait_for(connection.read_message(), max(1.0, deadline - time.monotonic()))
                if raw is None:
                    raise RuntimeError("the kernel's websocket closed")
                message = json.loads(raw)
                if message.get("parent_header", {}).get("msg_id") != msg_id or message.get("channel") != "iopub":
                    continue
                kind, content = message["header"]["msg_type"], message["content"]
                if kind == "stream":
                    stdout.append(content["text"])
                elif kind == "error":
                    error = (content["ename"], content["evalue"])
                elif kind == "status" and content["execution_state"] == "idle":
                    return {"stdout": "".join(stdout), "error": error}
        finally:
            connection.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        import psutil

        # The Hub starts its proxy, service and servers each in a session of its own: find them first.
        try:
            spawned = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            spawned = []
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the Hub stops its service, servers and proxy
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.process.kill()
        for process in spawned:  # whatever outlived it (a Dask worker of the service)
            try:
                process.kill()
            except psutil.NoSuchProcess:
                pass
        self.log.close()
