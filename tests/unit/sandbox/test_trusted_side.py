"""The sandbox's trusted side without TensorFlow: the worker seeds what student code leaves
unseeded (the same call gives the same value in any worker), and the jail keeps every
site-packages the grader itself imports from."""
import os
import site
import sys

import pytest

from autograder.sandbox import trusted_side as sandbox
from autograder.sandbox.trusted_side import Sandbox, StudentCodeError

STUDENT_CODE = '''
import random
import numpy as np
noise_at_load = np.random.rand(3)
def draw(n):
    return np.random.rand(n), random.random()
def drawn_at_load():
    return noise_at_load
def echo_seed(x, seed=None):
    return seed
def reseed_and_draw():
    np.random.seed(123)
    return np.random.rand()
'''


@pytest.fixture(scope="module")
def first():
    with Sandbox([STUDENT_CODE]) as box:
        assert box.start() == {}
        yield box


@pytest.fixture(scope="module")
def second():
    with Sandbox([STUDENT_CODE]) as box:
        yield box


def same(a, b):
    return a[0].tolist() == b[0].tolist() and a[1] == b[1]


def test_unseeded_randomness_repeats_call_after_call_and_across_workers(first, second):
    values = [first.call("draw", 4), first.call("draw", 4), second.call("draw", 4), first.call("draw", 4, rng_seed=0)]
    assert all(same(values[0], other) for other in values[1:])


def test_another_seed_gives_other_values(first, second):
    default = first.call("draw", 4)
    seeded = first.call("draw", 4, rng_seed=7)
    assert not same(default, seeded)
    assert same(seeded, second.call("draw", 4, rng_seed=7))


def test_cells_are_loaded_seeded(first, second):
    assert first.call("drawn_at_load").tolist() == second.call("drawn_at_load").tolist()


def test_the_students_own_seed_argument_still_reaches_the_function(first):
    assert first.call("echo_seed", 1, seed=5) == 5
    assert first.call("echo_seed", 1) is None


def test_a_seed_the_student_sets_wins_and_does_not_leak_into_the_next_call(first):
    assert first.call("reseed_and_draw") == first.call("reseed_and_draw", rng_seed=9)
    assert same(first.call("draw", 4), first.call("draw", 4))


def test_a_seed_numpy_cannot_take_is_refused_here(first):
    with pytest.raises(ValueError):
        first.call("draw", 1, rng_seed=-1)


def test_the_jail_keeps_every_site_packages_on_the_path(tmp_path, monkeypatch):
    other_environment = tmp_path / "env" / "lib" / "python3" / "site-packages"
    debian_style = tmp_path / "usr" / "lib" / "python3" / "dist-packages"
    other_environment.mkdir(parents=True)
    debian_style.mkdir(parents=True)
    missing = tmp_path / "gone" / "site-packages"
    user_site = tmp_path / "home" / "site-packages"
    user_site.mkdir(parents=True)
    not_packages = tmp_path / "project"
    not_packages.mkdir()
    monkeypatch.setattr(site, "getusersitepackages", lambda: str(user_site))
    monkeypatch.setattr(sys, "path", [*sys.path, str(other_environment), str(debian_style), str(missing),
                                      str(user_site), str(not_packages), "site-packages"])
    kept = sandbox.kept_paths()
    assert str(other_environment) in kept and str(debian_style) in kept
    assert sys.prefix in kept and sys.base_prefix in kept
    for absent in (missing, user_site, not_packages):
        assert str(absent) not in kept
    assert all(os.path.isabs(path) for path in kept)


def test_an_error_description_from_the_worker_is_not_trusted():
    """The worker runs student code: whatever it sends for an error is checked field by field and
    becomes a StudentCodeError message, never anything else."""
    box = Sandbox(["pass"], labels=["célula do exercício f"])
    try:
        for raw in ("plain text", 42, None, {"types": [1, None], "message": ["x"], "frames": [["0", 1, "f"], [0, 1]]},
                    {"types": ["ValueError"] * 1000, "message": "m" * 10**6, "frames": "not a list"}):
            error = box.error(raw)
            assert isinstance(error, StudentCodeError) and 0 < len(str(error)) < 5000
        # A cell index the trusted side never sent is named by position, not trusted as a label.
        located = str(box.error({"types": ["ValueError"], "message": "m", "frames": [[99, 3, "f"]]}))
        assert located == "ValueError: m\nonde: em f (na célula 100, linha 3)"
    finally:
        box.close()


TENSORFLOW_CODE = '''
import tensorflow as tf
def global_generator_draw():
    return float(tf.random.get_global_generator().uniform([]))
def unseeded_op_draw():
    return float(tf.random.uniform([]))
'''


@pytest.mark.slow
def test_tensorflow_randomness_is_seeded_and_its_global_generator_still_works():
    """Op determinism refuses a generator seeded from the clock: the worker gives TensorFlow's
    global generator a seeded one, so a correct student's tf.random code keeps working."""
    limits = sandbox.Limits(memory_bytes=12 << 30, threads=64, call_timeout=60, load_timeout=90)
    with Sandbox([TENSORFLOW_CODE], limits=limits) as box:
        assert box.start() == {}
        for name in ("global_generator_draw", "unseeded_op_draw"):
            first, again, other = box.call(name), box.call(name), box.call(name, rng_seed=3)
            assert first == again != other, name
