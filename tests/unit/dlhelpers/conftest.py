"""Fixtures of the dlhelpers tests: the ELPV package's own annotations, and a copy of dlhelpers
outside the repository as a released notebook folder has it."""
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from dlhelpers import data

from tests.support import REPO_ROOT

HELPERS = REPO_ROOT / "assignments" / "dlhelpers"


@pytest.fixture(scope="module")
def elpv_annotations():
    """The package's own annotations, read independently of dlhelpers."""
    pytest.importorskip("elpv_dataset")
    import elpv_dataset

    labels = Path(elpv_dataset.__file__).parent / "data" / "labels.csv"
    table = np.genfromtxt(labels, dtype=["|S19", "<f8", "|S4"], names=["path", "probability", "type"])
    return table["probability"], np.char.decode(table["type"])


@pytest.fixture
def run_released_helpers(tmp_path):
    """Runs code against a copy of dlhelpers outside the repository, as a released notebook
    folder has it, with an empty home: ``run_released_helpers(code, env_extra=None, prefix=())``."""
    def run(code, env_extra=None, prefix=()):
        release = tmp_path / "release"
        if not (release / "dlhelpers").exists():
            shutil.copytree(HELPERS, release / "dlhelpers", ignore=shutil.ignore_patterns("__pycache__"))
        home = tmp_path / "home"
        home.mkdir(exist_ok=True)
        env = {key: value for key, value in os.environ.items()
               if not key.startswith("KAGGLE") and key not in (data.CACHE_ENV_VAR, "XDG_CACHE_HOME", "XDG_CONFIG_HOME")}
        env.update({"HOME": str(home), "PYTHONPATH": str(release)}, **(env_extra or {}))
        return subprocess.run([*prefix, sys.executable, "-c", textwrap.dedent(code)], cwd=release, env=env,
                              capture_output=True, text=True, timeout=120)
    return run
