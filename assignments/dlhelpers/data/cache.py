"""The cache folder of the loaders: Kaggle downloads and the resized copies of ELPV."""
from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV_VAR = "DLGRADE_CACHE_DIR"


def _repository_root() -> Path | None:
    """The dlgrade repository holding this file (``assignments/dlhelpers/data/``), if any."""
    for folder in Path(__file__).resolve().parents:
        if ((folder / "pyproject.toml").is_file() and (folder / "datasets").is_dir()
                and (folder / "assignments" / "dlhelpers").is_dir()):
            return folder
    return None


def default_cache_dir() -> Path:
    """
    A pasta onde os downloads (Kaggle) e as cópias redimensionadas do ELPV são guardados.

    Ordem: a variável de ambiente DLGRADE_CACHE_DIR, se definida; ``datasets/cache`` quando
    este arquivo está dentro do repositório da disciplina; senão ``~/.cache/dlgrade`` (ou
    ``$XDG_CACHE_HOME/dlgrade``). A pasta só é criada quando algo é gravado nela.

    Retorna:
    - cache_dir: pathlib.Path da pasta de cache.
    """
    configured = os.environ.get(CACHE_ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    repository = _repository_root()
    if repository is not None:
        return repository / "datasets" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dlgrade"
