"""`dlgrade serve`: the grading service's process, from start to a clean stop.

At start the store sends back to the queue whatever a crash cut off, the Dask cluster starts (or
is reached at ``--scheduler``) and the grading loop resumes the queue. SIGTERM or Ctrl-C stops
the listener first (no new submission is acknowledged), lets requests in progress finish, then
cancels the tasks in flight and requeues them for the next start: nothing acknowledged is lost.
"""
from __future__ import annotations

import asyncio
import logging
import signal
import sys
from pathlib import Path

from autograder.course.folder import CONFIG_NAME, CourseError

log = logging.getLogger("dlgrade.serve")


def serve(course: Path, host: str = "127.0.0.1", port: int | None = None, workers: int = 2, scheduler: str | None = None,
          hub: bool = False, db_url: str | None = None) -> int:
    import tornado.httpserver
    import tornado.netutil

    from autograder.parallel.autograde import open_client, workers_alive
    from autograder.grading.task import import_grading_code
    from autograder.service.app import DISCARD_UP_TO, Service, make_app
    from autograder.service.dispatcher import Dispatcher
    from autograder.service.policy import PolicyError
    from autograder.service.hub import hub_users_from_environment, service_address
    from autograder.service.store import store_url

    course = Path(course).resolve()
    if not (course / CONFIG_NAME).is_file():
        raise CourseError(f"{course} is not a course directory (no {CONFIG_NAME})")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s dlgrade serve: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False  # the cluster's own INFO lines stay out of the service's log
    store = open_store(store_url(course, db_url))
    hub_users = hub_users_from_environment(settings_of(course).hub_admin_group) if hub else None
    prefix = hub_users.prefix if hub_users is not None else "/"
    if hub_users is not None and port is None:
        host, port = service_address() or (host, 8700)
    try:
        service = Service(course, store, hub=hub_users, prefix=prefix)
    except PolicyError as error:
        raise CourseError(str(error)) from None
    sockets = tornado.netutil.bind_sockets(8700 if port is None else port, address=host)  # before the cluster: a busy port changes nothing
    client, cluster = open_client(scheduler, workers)
    try:
        client.run(import_grading_code)
        slots = 2 * max(workers_alive(client), 1)
        service.dispatcher = Dispatcher(course, store, client, slots, on_finished=service.waiters.finished)
        asyncio.run(run_until_stopped(make_app(service), sockets, service, DISCARD_UP_TO))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return 0


def open_store(url: str):
    """The service's store, checked writable at start (CourseError with the reason otherwise)."""
    from sqlalchemy.exc import SQLAlchemyError

    from autograder.service.store import ServiceStore

    try:
        store = ServiceStore(url)
        store.secret("cookie")
        return store
    except SQLAlchemyError as error:
        raise CourseError(f"cannot write to the service's database at {url}: {str(error).splitlines()[0]} "
                          "(a read-only folder, a full disk, or a server that is down?)") from None


def settings_of(course: Path):
    from autograder.course.folder import course_config
    from autograder.service.policy import GradingService

    return GradingService(config=course_config(course))


async def run_until_stopped(app, sockets, service, max_body_size: int) -> None:
    import tornado.httpserver

    server = tornado.httpserver.HTTPServer(app, max_body_size=max_body_size, xheaders=True)
    server.add_sockets(sockets)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    service.waiters.bind(loop)
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    service.dispatcher.start()
    address = sockets[0].getsockname()
    queued = len(service.store.queued())
    print(f"dlgrade serve: listening on http://{address[0]}:{address[1]}{service.prefix} "
          f"({', '.join(service.assignments) or 'no assignment'}; {queued} queued)", file=sys.stderr, flush=True)
    await stopped.wait()
    print("dlgrade serve: stopping: no new submissions; what is queued stays for the next start",
          file=sys.stderr, flush=True)
    server.stop()
    service.waiters.wake_all()  # long polls answer now, with the status the store has
    try:
        await asyncio.wait_for(server.close_all_connections(), timeout=10)
    except asyncio.TimeoutError:
        pass
    await asyncio.get_running_loop().run_in_executor(None, service.dispatcher.stop)
    print("dlgrade serve: stopped", file=sys.stderr, flush=True)
