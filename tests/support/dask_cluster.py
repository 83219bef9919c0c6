"""A real Dask cluster on 127.0.0.1 for the tests and the benchmark: a `dask scheduler` and
`dask worker` processes, each in its own process group (killed means gone: no nanny)."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

DASK = str(Path(sys.executable).parent / "dask")
# Hiding a folder from the workers takes a mount namespace: root (or user namespaces) and unshare.
CAN_HIDE_FOLDERS = os.geteuid() == 0 and shutil.which("unshare") is not None


class DaskProcesses:
    """``with DaskProcesses(run_dir, ["w1", "w2"], hidden=folder) as cluster: cluster.address``.
    With ``hidden``, the workers run in a mount namespace where that folder is an empty tmpfs."""

    def __init__(self, run_dir: Path, names=("w1", "w2"), hidden: Path | None = None):
        self.run_dir, self.names, self.hidden = Path(run_dir), list(names), hidden
        self.scheduler_file = self.run_dir / "scheduler.json"
        self.workers: dict[str, subprocess.Popen] = {}

    def _start(self, command):
        return subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def __enter__(self):
        from distributed import Client

        self.log = open(self.run_dir / "dask.log", "w")
        self.scheduler = self._start([DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                      "--scheduler-file", str(self.scheduler_file)])
        for name in self.names:
            worker = [DASK, "worker", "--scheduler-file", str(self.scheduler_file), "--name", name,
                      "--nthreads", "1", "--no-nanny", "--no-dashboard", "--death-timeout", "60"]
            if self.hidden is not None and CAN_HIDE_FOLDERS:
                worker = ["unshare", "--mount", "sh", "-c", f'mount -t tmpfs none "{self.hidden}" && exec "$0" "$@"',
                          *worker]
            self.workers[name] = self._start(worker)
        while not self.scheduler_file.exists():
            if self.scheduler.poll() is not None:
                raise RuntimeError((self.run_dir / "dask.log").read_text())
            time.sleep(0.2)
        self.address = json.loads(self.scheduler_file.read_text())["address"]
        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(len(self.names), timeout=120)
        return self

    def kill(self, name: str) -> None:
        os.killpg(self.workers[name].pid, signal.SIGKILL)
        self.workers[name].wait()

    def __exit__(self, *exc):
        for process in [*self.workers.values(), self.scheduler]:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()
        self.log.close()
