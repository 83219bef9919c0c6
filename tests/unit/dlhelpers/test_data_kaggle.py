"""The Kaggle download (dlhelpers.data.kaggle): a cached dataset needs nothing, and the messages
without the package, without credentials, with a bad identifier and without network (a real
network namespace)."""
import shutil
import subprocess
import sys

import pytest

from dlhelpers import data
from dlhelpers.data import (
    KaggleDownloadError,
    download_kaggle_dataset,
)

from tests.support.image_files import write_image


def test_kaggle_cached_dataset_needs_no_package_no_credentials(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "kaggle", None)
    target = tmp_path / "kaggle" / "dono" / "dados"
    write_image(target / "train" / "a" / "0.png", 4, 4, "L")
    (target / data.KAGGLE_COMPLETE_MARKER).write_text("dono/dados\n")
    path = download_kaggle_dataset("https://www.kaggle.com/datasets/dono/dados", cache_dir=tmp_path)
    assert path == target
    assert "já baixada" in capsys.readouterr().out


def test_kaggle_without_the_package(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "kaggle", None)  # an environment without the client
    with pytest.raises(ModuleNotFoundError, match="pip install kaggle"):
        download_kaggle_dataset("dono/dados", cache_dir=tmp_path)


def test_kaggle_without_credentials(monkeypatch, tmp_path):
    pytest.importorskip("kaggle")
    for name in ("KAGGLE_USERNAME", "KAGGLE_KEY", "KAGGLE_API_TOKEN", "KAGGLE_CONFIG_DIR", "KAGGLE_KERNEL_RUN_TYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    (tmp_path / "home" / ".kaggle").mkdir(parents=True)
    (tmp_path / "home" / ".kaggle" / "kaggle.json").write_text('{"username": "aluna"}')  # no key
    with pytest.raises(KaggleDownloadError, match="credenciais") as error:
        download_kaggle_dataset("dono/dados", cache_dir=tmp_path / "cache")
    assert "KAGGLE_USERNAME" in str(error.value) and "kaggle.json" in str(error.value)
    assert not (tmp_path / "cache" / "kaggle" / "dono" / "dados").exists()


def test_kaggle_bad_identifier():
    with pytest.raises(ValueError, match="dono/nome"):
        download_kaggle_dataset("so-um-nome")


def _network_namespace_works():
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _network_namespace_works(), reason="unshare -n needs root (or user namespaces)")
def test_kaggle_without_network_in_a_network_namespace(tmp_path, run_released_helpers):
    pytest.importorskip("kaggle")
    cache = tmp_path / "cache"
    result = run_released_helpers("""
        from dlhelpers.data import download_kaggle_dataset, KaggleDownloadError
        try:
            download_kaggle_dataset("paultimothymooney/chest-xray-pneumonia")
        except KaggleDownloadError as error:
            print("ERRO:", error)
    """, env_extra={"KAGGLE_USERNAME": "aluna_ficticia", "KAGGLE_KEY": "0" * 32, data.CACHE_ENV_VAR: str(cache)},
        prefix=("unshare", "-n"))
    assert result.returncode == 0, result.stderr
    assert "ERRO: Não consegui conectar ao Kaggle para baixar 'paultimothymooney/chest-xray-pneumonia'" in result.stdout
    assert "conexão com a internet" in result.stdout
    assert not list(cache.rglob(data.KAGGLE_COMPLETE_MARKER))
