"""Long polls: `GET /api/submissions/<id>?wait=S` holds its answer, without a thread, until the
grading loop (another thread) finishes that submission, ``S`` seconds pass or the service stops.

A student waiting minutes for a verdict then costs the service a request every ``S`` seconds,
not one every two, and reads the verdict the moment it is stored."""
from __future__ import annotations

import asyncio

MAX_WAIT_SECONDS = 30.0  # below the read timeouts of proxies (the Hub's, nginx's 60 s)


class Waiters:
    """The requests waiting, by submission id; ``finished`` may be called from any thread."""

    def __init__(self):
        self.loop: asyncio.AbstractEventLoop | None = None
        self.waiting: dict[str, set[asyncio.Future]] = {}

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def register(self, submission_id: str) -> asyncio.Future:
        """A future that ``finished(submission_id)`` resolves (register before the last read of the
        store: a verdict stored after that read is never missed)."""
        future = asyncio.get_running_loop().create_future()
        self.waiting.setdefault(submission_id, set()).add(future)
        return future

    async def wait(self, submission_id: str, future: asyncio.Future, seconds: float) -> None:
        try:
            await asyncio.wait_for(asyncio.shield(future), timeout=seconds)
        except asyncio.TimeoutError:
            pass
        finally:
            self.forget(submission_id, future)

    def forget(self, submission_id: str, future: asyncio.Future) -> None:
        futures = self.waiting.get(submission_id)
        if futures is not None:
            futures.discard(future)
            if not futures:
                del self.waiting[submission_id]

    def finished(self, submission_id: str) -> None:
        """The grading loop stored this submission's verdict (thread-safe)."""
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._wake, submission_id)

    def wake_all(self) -> None:
        """The service stops: every waiting request answers now, with what the store has."""
        for submission_id in list(self.waiting):
            self._wake(submission_id)

    def _wake(self, submission_id: str) -> None:
        for future in self.waiting.pop(submission_id, ()):
            if not future.done():
                future.set_result(None)
