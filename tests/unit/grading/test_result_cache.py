"""The course's result cache: atomic values, one claim per key across processes, and waiting
for a value that another process is computing (or not, when that process is gone)."""
import json
import multiprocessing
import os
import time

import pytest

from autograder.grading import result_cache
from autograder.grading.result_cache import ResultCache

# fork: the children need no import of their own and share the test's tmp_path.
processes = multiprocessing.get_context("fork")
ASSIGNMENT = "a2_convolucao"


def claim_in_child(folder, key, results):
    results.put(ResultCache(folder, ASSIGNMENT).claim(key))


def compute_in_child(folder, key, claimed, value):
    """What a parallel grader does: claim, compute for a while, put, release."""
    cache = ResultCache(folder, ASSIGNMENT)
    assert cache.claim(key)
    claimed.set()
    time.sleep(0.3)
    cache.put(key, value)
    cache.release(key)


def run_child(target, *args):
    child = processes.Process(target=target, args=args)
    child.start()
    child.join()
    assert child.exitcode == 0
    return child


def no_sleeping(seconds):
    raise AssertionError("wait() waited although it had nothing to wait for")


@pytest.fixture
def cache(tmp_path):
    return ResultCache(tmp_path, ASSIGNMENT)


def test_put_then_get_returns_the_value(cache):
    value = {"score": 2.5, "verdicts": [["conv_forward", True]], "mensagem": "ação"}
    assert cache.get("k") is None
    cache.put("k", value)
    assert cache.get("k") == value
    assert ResultCache(cache.folder.parent.parent, ASSIGNMENT).get("k") == value  # another instance


def test_put_replaces_the_old_value_whole(cache, monkeypatch):
    cache.put("k", {"version": 1})
    cache.put("k", {"version": 2})
    assert cache.get("k") == {"version": 2}

    def dump_half_then_fail(value, stream, **options):
        stream.write('{"version": ')
        raise OSError("disk full")

    monkeypatch.setattr(result_cache.json, "dump", dump_half_then_fail)
    with pytest.raises(OSError):
        cache.put("k", {"version": 3})
    monkeypatch.undo()
    assert cache.get("k") == {"version": 2}  # readers never see half a file


def test_a_corrupt_file_reads_as_none(cache):
    cache.folder.mkdir(parents=True)
    (cache.folder / "k.json").write_text('{"score": 1', encoding="utf-8")
    assert cache.get("k") is None
    (cache.folder / "k.json").write_text("", encoding="utf-8")
    assert cache.get("k") is None


def test_a_file_that_is_not_utf8_reads_as_none(cache):
    cache.folder.mkdir(parents=True)
    (cache.folder / "k.json").write_bytes(b"\xff\xfe not utf-8")
    assert cache.get("k") is None


def test_a_claim_is_exclusive_until_released(cache):
    assert cache.claim("k")
    assert not cache.claim("k")
    assert cache.claim("other")  # per key
    cache.release("k")
    assert cache.claim("k")
    cache.release("k")
    cache.release("k")  # releasing twice is harmless


def test_a_claim_is_exclusive_across_processes(cache, tmp_path):
    results = processes.Queue()
    assert cache.claim("mine")
    run_child(claim_in_child, tmp_path, "mine", results)
    assert results.get() is False

    run_child(claim_in_child, tmp_path, "theirs", results)
    assert results.get() is True
    assert not cache.claim("theirs")


def test_processes_racing_for_a_key_get_exactly_one_claim(tmp_path):
    results = processes.Queue()
    children = [processes.Process(target=claim_in_child, args=(tmp_path, "k", results)) for _ in range(6)]
    for child in children:
        child.start()
    for child in children:
        child.join()
    assert sorted(results.get() for _ in children) == [False] * 5 + [True]


def test_wait_returns_the_value_put_by_the_process_holding_the_claim(cache, tmp_path):
    claimed = processes.Event()
    child = processes.Process(target=compute_in_child, args=(tmp_path, "k", claimed, {"score": 7}))
    child.start()
    try:
        assert claimed.wait(timeout=120), "the child never claimed the key"
        assert cache.wait("k") == {"score": 7}
    finally:
        child.join()
    assert child.exitcode == 0


def test_wait_returns_none_at_once_when_the_owner_is_dead(cache, monkeypatch):
    dead = run_child(os.getpid)  # exited and reaped: its pid names no process
    cache.folder.mkdir(parents=True)
    (cache.folder / "k.lock").write_text(str(dead.pid))
    monkeypatch.setattr(result_cache.time, "sleep", no_sleeping)
    assert cache.wait("k") is None
    assert not cache.claim("k")  # the stale lock stays: the caller computes without it


def test_wait_returns_none_at_once_when_nobody_claimed_the_key(cache, monkeypatch):
    monkeypatch.setattr(result_cache.time, "sleep", no_sleeping)
    assert cache.wait("k") is None


def test_wait_returns_a_cached_value_at_once_even_while_claimed(cache, monkeypatch):
    cache.put("k", [1, 2, 3])
    assert cache.claim("k")  # held by this live process
    monkeypatch.setattr(result_cache.time, "sleep", no_sleeping)
    assert cache.wait("k") == [1, 2, 3]


def test_keys_change_with_the_payload_the_assignment_and_the_kind():
    payload = [["import numpy as np", "def relu(x): ..."], {}]
    same = result_cache.key("grade", "a1_ativacoes", json.loads(json.dumps(payload)))
    assert result_cache.key("grade", "a1_ativacoes", payload) == same
    others = {
        result_cache.key("grade", "a1_ativacoes", [["import numpy as np", "def relu(x): 0"], {}]),
        result_cache.key("grade", "a1_ativacoes", [payload[0], {"predicoes_teste.csv": "abc"}]),
        result_cache.key("grade", "a2_convolucao", payload),
        result_cache.key("execute", "a1_ativacoes", payload),
    }
    assert same not in others and len(others) == 4


def test_a_lock_never_appears_empty(cache):
    """The owner's pid is in the lock from the moment it exists (a waiter reading an empty lock
    would take the owner for dead and compute the result a second time)."""
    assert cache.claim("k")
    assert (cache.folder / "k.lock").read_text() == str(os.getpid())
    assert not list(cache.folder.glob("*.claim"))  # no leftovers from the claim


def test_a_lock_whose_pid_belongs_to_another_user_is_not_waited_for(cache, monkeypatch):
    """Claims are made by the instructor's own processes: a pid of another user was reused
    after the owner died (a reboot, a killed batch), and waiting for it would take an hour."""
    cache.folder.mkdir(parents=True)
    (cache.folder / "k.lock").write_text("1")

    def kill(pid, signal):
        raise PermissionError

    monkeypatch.setattr(os, "kill", kill)
    monkeypatch.setattr(time, "sleep", lambda seconds: pytest.fail("waited for a dead owner"))
    assert cache.wait("k") is None


def test_a_value_that_cannot_be_written_leaves_no_temporary_file(cache):
    with pytest.raises(TypeError):
        cache.put("k", {"x": object()})
    assert not list(cache.folder.glob("*.tmp"))
