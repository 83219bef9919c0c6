"""Downloading a Kaggle dataset into the cache folder with the official ``kaggle`` client, and
explaining in Portuguese why a download failed."""
from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import re
from pathlib import Path

from dlhelpers.data.cache import default_cache_dir

KAGGLE_COMPLETE_MARKER = ".dlgrade-download-complete"


class KaggleDownloadError(RuntimeError):
    """The Kaggle download failed: credentials missing or refused, no network, unknown dataset."""


_KAGGLE_CREDENTIALS_HELP = (
    "Para baixar do Kaggle: (1) entre em https://www.kaggle.com/settings, seção API, e gere um "
    "token ('Create New Token'), que baixa o arquivo kaggle.json; (2) coloque esse arquivo em "
    "~/.kaggle/kaggle.json (no Linux/macOS rode também `chmod 600 ~/.kaggle/kaggle.json`) ou "
    "defina as variáveis de ambiente KAGGLE_USERNAME e KAGGLE_KEY com os valores do kaggle.json "
    "(no Colab, guarde-os em Secrets e faça os.environ['KAGGLE_USERNAME'] = ... antes de chamar "
    "esta função). Nunca deixe a chave escrita no notebook que você entrega."
)

_NETWORK_ERROR_NAMES = {
    "ConnectionError", "ConnectTimeout", "ReadTimeout", "Timeout", "TimeoutError",
    "MaxRetryError", "NewConnectionError", "NameResolutionError", "ProtocolError", "gaierror",
    "SSLError", "ConnectionRefusedError", "ConnectionResetError", "ChunkedEncodingError",
}


def _kaggle_slug(dataset) -> tuple[str, str]:
    text = str(dataset).strip()
    text = re.sub(r"^https?://(www\.)?kaggle\.com/", "", text)
    text = re.sub(r"^datasets/", "", text).strip("/")
    parts = text.split("/")
    if len(parts) >= 3 and parts[2] == "versions":
        parts = parts[:2]
    if len(parts) != 2 or not all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", part) for part in parts):
        raise ValueError(
            f"`dataset` deve ser o identificador do Kaggle no formato 'dono/nome' (ex.: "
            f"'paultimothymooney/chest-xray-pneumonia') ou a URL do dataset, mas recebeu {dataset!r}."
        )
    return parts[0], parts[1]


def _kaggle_credentials_present() -> bool:
    """Whether any credential the ``kaggle`` client reads exists (checked before importing it:
    the client prints its own English help and exits when there is none)."""
    if os.environ.get("KAGGLE_USERNAME") and os.environ.get("KAGGLE_KEY"):
        return True
    if os.environ.get("KAGGLE_API_TOKEN") or os.environ.get("KAGGLE_KERNEL_RUN_TYPE"):
        return True
    home = Path(os.path.expanduser("~"))
    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    folders = [Path(os.environ["KAGGLE_CONFIG_DIR"])] if os.environ.get("KAGGLE_CONFIG_DIR") else []
    folders += [home / ".kaggle", xdg / "kaggle"]
    for folder in folders:
        config = folder / "kaggle.json"
        if config.is_file():
            try:
                values = json.loads(config.read_text())
            except (OSError, ValueError):
                return True  # let the client report what is wrong with it
            if isinstance(values, dict) and values.get("username") and values.get("key"):
                return True
        if any((folder / name).is_file() for name in ("access_token", "access_token.txt", "credentials.json")):
            return True
    return False


def _http_status(error: BaseException):
    response = getattr(error, "response", None)
    status = getattr(response, "status_code", None) or getattr(error, "status", None)
    return status if isinstance(status, int) else None


def _explain_kaggle_failure(error: BaseException, slug: str) -> KaggleDownloadError:
    chain, seen = [], set()
    current = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    status = next((code for code in map(_http_status, chain) if code), None)
    if status in (401, 403):
        return KaggleDownloadError(
            f"O Kaggle recusou o acesso a '{slug}' (HTTP {status}): confira se o username e a key "
            f"estão certos e válidos e se você aceitou as regras/termos do dataset na página dele "
            f"no Kaggle. " + _KAGGLE_CREDENTIALS_HELP
        )
    if status == 404:
        return KaggleDownloadError(
            f"O Kaggle não encontrou o dataset '{slug}' (HTTP 404): confira o identificador "
            f"'dono/nome' na URL https://www.kaggle.com/datasets/{slug}."
        )
    names = {cls.__name__ for item in chain for cls in type(item).__mro__}
    if names & _NETWORK_ERROR_NAMES:
        return KaggleDownloadError(
            f"Não consegui conectar ao Kaggle para baixar '{slug}': sem acesso à rede (ou a rede "
            f"bloqueia kaggle.com). Verifique sua conexão com a internet e tente de novo. Se os "
            f"dados já estão no seu computador, não precisa baixar: use os loaders direto na pasta "
            f"(`load_image_folder`, `load_image_csv`, `load_image_splits`). "
            f"(Erro original: {type(error).__name__}: {error})"
        )
    return KaggleDownloadError(
        f"O download de '{slug}' do Kaggle falhou: {type(error).__name__}: {error}"
    )


def download_kaggle_dataset(dataset, cache_dir=None, force=False):
    """
    Baixa (e descompacta) um dataset do Kaggle para a pasta de cache, com o cliente oficial
    `kaggle`, e devolve a pasta local. Se o dataset já foi baixado por completo antes, não baixa
    de novo (nem precisa de rede ou credenciais).

    Precisa do pacote `kaggle` (`pip install kaggle`) e das suas credenciais do Kaggle
    (~/.kaggle/kaggle.json ou as variáveis KAGGLE_USERNAME e KAGGLE_KEY).

    Entradas:
    - dataset: identificador 'dono/nome' (ex.: 'paultimothymooney/chest-xray-pneumonia') ou a URL
      https://www.kaggle.com/datasets/dono/nome.
    - cache_dir: pasta do cache (padrão: `default_cache_dir()`); o dataset vai para
      cache_dir/kaggle/dono/nome.
    - force: se True, baixa de novo mesmo que já esteja no cache.

    Retorna:
    - path: pathlib.Path da pasta com os arquivos descompactados; depois use `load_image_folder`,
      `load_image_csv` ou `load_image_splits` nela (ou numa subpasta).

    Erros: ModuleNotFoundError se o pacote `kaggle` não está instalado; KaggleDownloadError sem
    credenciais, sem rede, com acesso recusado ou dataset inexistente.
    """
    owner, name = _kaggle_slug(dataset)
    slug = f"{owner}/{name}"
    folder = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    target = folder / "kaggle" / owner / name
    marker = target / KAGGLE_COMPLETE_MARKER
    if marker.is_file() and not force:
        print(f"Usando a cópia de '{slug}' já baixada em {target}")
        return target

    if importlib.util.find_spec("kaggle") is None:
        raise ModuleNotFoundError(
            "O pacote `kaggle` (o cliente oficial do Kaggle) não está instalado. Instale com "
            "`pip install kaggle` (no Colab ou no Jupyter: `%pip install kaggle` numa célula) e "
            "rode a célula de novo.",
            name="kaggle",
        )
    if not _kaggle_credentials_present():
        raise KaggleDownloadError("Não encontrei suas credenciais do Kaggle. " + _KAGGLE_CREDENTIALS_HELP)

    chatter = io.StringIO()
    try:
        # Importing ``kaggle`` authenticates already; without usable credentials old versions
        # raise OSError and new ones print English help and call exit().
        with contextlib.redirect_stdout(chatter):
            from kaggle.api.kaggle_api_extended import KaggleApi

            api = KaggleApi()
            api.authenticate()
    except ImportError as error:
        raise ModuleNotFoundError(
            f"O pacote `kaggle` está instalado, mas não pôde ser importado ({error}). Reinstale com "
            f"`pip install --upgrade kaggle`.",
            name="kaggle",
        ) from error
    except (OSError, SystemExit, KeyError, ValueError) as error:
        raise KaggleDownloadError(
            "Suas credenciais do Kaggle não puderam ser usadas (o kaggle.json está incompleto ou "
            "inválido?). " + _KAGGLE_CREDENTIALS_HELP
        ) from error

    target.mkdir(parents=True, exist_ok=True)
    marker.unlink(missing_ok=True)
    print(f"Baixando '{slug}' do Kaggle para {target} ...")
    try:
        api.dataset_download_files(slug, path=str(target), unzip=True, quiet=False, force=force)
    except (Exception, SystemExit) as error:  # not KeyboardInterrupt: the student stopped it
        try:
            target.rmdir()  # only when nothing arrived; a partial download stays for the client
        except OSError:
            pass
        raise _explain_kaggle_failure(error, slug) from error
    marker.write_text(f"{slug}\n")
    print(f"Pronto: '{slug}' está em {target}")
    return target
