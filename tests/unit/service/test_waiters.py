"""Long polls: a waiting request is answered when the grading loop (another thread) stores the
verdict, when its time runs out, or when the service stops; nothing stays registered after."""
import asyncio
import threading

from autograder.service.waiters import Waiters

LONG = 600.0  # a wait that only a wake-up ends within the test (a timeout would leave the future pending)


def run(coroutine):
    return asyncio.run(coroutine)


def test_a_verdict_stored_by_another_thread_wakes_the_waiting_request():
    async def scenario():
        waiters = Waiters()
        waiters.bind(asyncio.get_running_loop())
        future = waiters.register("s1")
        other = waiters.register("s2")
        threading.Thread(target=waiters.finished, args=("s1",)).start()
        await waiters.wait("s1", future, LONG)
        return future.done(), other.done(), set(waiters.waiting)

    assert run(scenario()) == (True, False, {"s2"})


def test_a_verdict_stored_between_register_and_wait_is_not_missed():
    async def scenario():
        waiters = Waiters()
        waiters.bind(asyncio.get_running_loop())
        future = waiters.register("s1")
        waiters.finished("s1")  # before the request starts waiting
        await waiters.wait("s1", future, LONG)
        return future.done(), waiters.waiting

    assert run(scenario()) == (True, {})


def test_the_wait_runs_out_and_leaves_nothing_registered():
    async def scenario():
        waiters = Waiters()
        waiters.bind(asyncio.get_running_loop())
        first, second = waiters.register("s1"), waiters.register("s1")
        await waiters.wait("s1", first, 0.01)
        left = {k: len(v) for k, v in waiters.waiting.items()}
        waiters.forget("s1", second)
        return first.done(), left, waiters.waiting

    assert run(scenario()) == (False, {"s1": 1}, {})


def test_stopping_wakes_every_waiting_request():
    async def scenario():
        waiters = Waiters()
        waiters.bind(asyncio.get_running_loop())
        futures = {name: waiters.register(name) for name in ("s1", "s2")}
        waiting = [asyncio.create_task(waiters.wait(name, f, LONG)) for name, f in futures.items()]
        await asyncio.sleep(0)
        waiters.wake_all()
        await asyncio.gather(*waiting)
        return [f.done() for f in futures.values()], waiters.waiting

    assert run(scenario()) == ([True, True], {})


def test_a_finish_before_the_loop_is_bound_is_ignored():
    Waiters().finished("s1")  # the grading loop may finish a resumed submission before the first request
