"""The worker's jail: a root assembled from an allowlist, resource limits, the user ``nobody``.

Runs inside the worker process, in fresh Linux namespaces (``unshare``: network, mount, PID)
where it is still root: ``build_sandbox`` mounts the system folders and the Python environment
read-only on a tmpfs, adds a private /tmp and the job folder, and chroots into it, so every other
folder of the machine (the project, other checkouts, the course, home folders) does not exist
for student code. Then ``apply_limits`` and ``drop_privileges``. Standard library only.
"""
from __future__ import annotations

import ctypes
import os
import resource
import subprocess

NOBODY = 65534
NEW_ROOT = "/mnt"  # where the sandbox's root is assembled (a tmpfs), then chroot
WORK_DIR = "/dlgrade-work"  # the job folder, inside the sandbox's root (a name no kept path uses)
SYSTEM_PATHS = ("/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# BLAS and OpenMP pools pinned to one thread (set on both sides of the pipe): no threads to start.
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS")
MS_RDONLY, MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 1, 32, 4096, 16384, 1 << 18


def _mount(source, target, fstype, flags, data=""):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.mount(source.encode(), target.encode(), fstype.encode(), flags, data.encode()) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"mount {source} on {target}: {os.strerror(error)}")


def _bind(source: str, target: str, read_only: bool = True) -> None:
    os.makedirs(target, exist_ok=True)
    _mount(source, target, "", MS_BIND | MS_REC)
    if read_only:
        _mount("none", target, "", MS_BIND | MS_REC | MS_REMOUNT | MS_RDONLY)


def build_sandbox(job_dir: str, hide: list[str], keep: list[str]) -> None:
    """Inside new mount/PID/network namespaces, as root there: assemble a root holding only the
    system folders, the folders in ``keep`` (the Python environment) and the job at WORK_DIR,
    hide ``hide`` (answer packages inside the environment) behind empty tmpfs, and chroot."""
    _mount("none", "/", "", MS_REC | MS_PRIVATE)  # nothing done here reaches the host
    _mount("tmpfs", NEW_ROOT, "tmpfs", 0, "mode=0755,size=64m")
    for path in SYSTEM_PATHS:
        if os.path.islink(path):  # usr-merged systems: /bin -> usr/bin
            os.symlink(os.readlink(path), NEW_ROOT + path)
        elif os.path.isdir(path):
            _bind(path, NEW_ROOT + path)
    _bind("/dev", NEW_ROOT + "/dev", read_only=False)
    # Fresh /tmp and /dev/shm first: a kept environment may live under /tmp (a CI checkout).
    for path in ("/dev/shm", "/tmp"):
        os.makedirs(NEW_ROOT + path, exist_ok=True)
        _mount("tmpfs", NEW_ROOT + path, "tmpfs", 0, "mode=1777,size=256m")
    for path in keep:
        _bind(path, NEW_ROOT + path)
    for path in hide:
        # Only answer folders inside the kept environment (an installed `solutions` package);
        # never a folder that holds a kept one (the project holding its .venv).
        holds_kept = any(k == path or k.startswith(path.rstrip("/") + "/") for k in keep)
        if os.path.isdir(NEW_ROOT + path) and not holds_kept:
            _mount("tmpfs", NEW_ROOT + path, "tmpfs", MS_RDONLY, "mode=0755,size=1m")
    os.makedirs(NEW_ROOT + "/proc")
    _mount("proc", NEW_ROOT + "/proc", "proc", 0)  # this PID namespace's processes only
    _bind(job_dir, NEW_ROOT + WORK_DIR, read_only=False)
    os.chown(NEW_ROOT + WORK_DIR, NOBODY, NOBODY)
    os.chroot(NEW_ROOT)
    os.chdir("/")


def apply_limits(memory_bytes: int, cpu_seconds: int, processes: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 << 20, 64 << 20))
    # Processes and threads of `nobody`: none when serving calls; a few for a Jupyter kernel.
    resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))


def bring_up_loopback() -> None:
    """A Jupyter kernel talks to its client over loopback, which starts down in a new network
    namespace. Only loopback: the namespace has no other interface."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=False, capture_output=True)


def drop_privileges() -> None:
    if os.getuid() == 0:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
