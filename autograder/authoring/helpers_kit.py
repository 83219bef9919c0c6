"""The student's environment: the helper kit (a wheel of ``dlhelpers`` alone) and the first cell
of every notebook, which installs that kit where it is missing and compares the student's
library versions with the ones the course grades with.

`dlgrade init` writes the wheel beside each notebook (release/<id>/dlhelpers-<version>-py3-none-any.whl)
and records, in the first cell, the versions of the environment that runs it (the grading
environment) and the kit's location given by ``--helpers-url``. A notebook opened alone on
Colab then installs the kit from that URL or Drive path, or from the wheel uploaded beside it,
or says in Portuguese what to upload.

The wheel is written with zipfile (a pure-Python wheel is a zip with three metadata files), so
building it needs neither network, nor pip, nor setuptools in the instructor's environment.
"""
from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import zipfile
from pathlib import Path

from autograder.paths import HELPERS_DIR

PACKAGE = "dlhelpers"
# The packages whose versions the first cell compares: numpy always; TensorFlow and Keras in
# the Keras notebooks (a profile with ``keras = true``).
NUMPY_PACKAGES = ("numpy",)
KERAS_PACKAGES = ("numpy", "tensorflow", "keras")
# A fixed timestamp: the same sources give the same wheel, byte for byte.
_ZIP_TIME = (2020, 1, 1, 0, 0, 0)


def helpers_version() -> str:
    """The kit's version: dlgrade's (the helpers change with it)."""
    try:
        return importlib.metadata.version("dlgrade")
    except importlib.metadata.PackageNotFoundError:
        return "0"


def wheel_name(version: str | None = None) -> str:
    return f"{PACKAGE}-{version or helpers_version()}-py3-none-any.whl"


def course_versions(keras: bool) -> dict[str, str]:
    """package -> version in this environment (the one that grades), for the first cell."""
    versions = {}
    for package in KERAS_PACKAGES if keras else NUMPY_PACKAGES:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions


def _record_hash(data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"sha256={digest}"


def _helper_files(helpers_dir: Path) -> list[Path]:
    return sorted(p for p in helpers_dir.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"))


def write_helpers_wheel(destination: Path, helpers_dir: Path = HELPERS_DIR) -> Path:
    """Writes the installable wheel of the ``dlhelpers`` package alone into ``destination``
    (a folder) and returns its path."""
    version = helpers_version()
    dist_info = f"{PACKAGE}-{version}.dist-info"
    metadata = "\n".join([
        "Metadata-Version: 2.1",
        f"Name: {PACKAGE}",
        f"Version: {version}",
        "Summary: Helper kit of the Deep Learning II notebooks (visible checks, worked examples, data loaders)",
        "Requires-Python: >=3.10",
        "Requires-Dist: numpy",
        "",
    ])
    wheel = "\n".join(["Wheel-Version: 1.0", "Generator: dlgrade", "Root-Is-Purelib: true",
                       "Tag: py3-none-any", ""])
    entries = [(f"{PACKAGE}/{p.relative_to(helpers_dir).as_posix()}", p.read_bytes())
               for p in _helper_files(helpers_dir)]
    entries += [(f"{dist_info}/METADATA", metadata.encode()), (f"{dist_info}/WHEEL", wheel.encode()),
                (f"{dist_info}/top_level.txt", f"{PACKAGE}\n".encode())]
    record = "".join(f"{name},{_record_hash(data)},{len(data)}\n" for name, data in entries)
    record += f"{dist_info}/RECORD,,\n"
    entries.append((f"{dist_info}/RECORD", record.encode()))

    destination = Path(destination)
    destination.mkdir(parents=True, exist_ok=True)
    path = destination / wheel_name(version)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return path


# The first cell of every notebook. Students read it first: short, commented in Portuguese.
# The logic that does not need the kit (installing it) is here; the version comparison lives in
# dlhelpers.environment, importable once the kit is there.
_CELL = '''\
# Preparação do ambiente: rode esta célula antes das outras (não é preciso alterá-la).
# Se o kit do curso (o pacote dlhelpers) não estiver disponível, como no Colab, ela o instala;
# depois compara as versões das suas bibliotecas com as usadas na correção.
COURSE_VERSIONS = {versions!r}  # versões com que o professor corrige
HELPERS_URL = {url!r}  # de onde instalar o kit (link ou caminho); vazio: o arquivo abaixo
HELPERS_WHEEL = {wheel!r}  # o kit, ao lado deste notebook


class HelpersMissing(Exception):
    def _render_traceback_(self):  # o Jupyter mostra só a mensagem, sem traceback
        return str(self).splitlines()


def install_helpers():
    """Instala o kit (dlhelpers) se ele ainda não puder ser importado."""
    import importlib.util, os, re, subprocess, sys, urllib.request

    if importlib.util.find_spec("dlhelpers") is not None:
        return
    beside = [p for p in (HELPERS_WHEEL, "/content/" + HELPERS_WHEEL) if os.path.exists(p)]
    source, installed = (beside[0] if beside else HELPERS_URL), False
    try:
        if source.startswith("/content/drive/") and not os.path.exists(source):
            from google.colab import drive  # um caminho no Google Drive: monta o Drive
            drive.mount("/content/drive")
        if "://" in source:  # um link (do Google Drive também): baixa o arquivo primeiro
            drive_id = re.search(r"drive\\.google\\.com/.*(?:/d/|id=)([\\w-]+)", source)
            url = f"https://drive.google.com/uc?export=download&id={{drive_id[1]}}" if drive_id else source
            source = urllib.request.urlretrieve(url, HELPERS_WHEEL)[0]
        if source and not os.path.exists(source):
            print(f"O kit não foi encontrado em {{source}}.")
        elif source:
            pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", source],
                                 capture_output=True, text=True)
            installed = pip.returncode == 0
            if not installed:
                print(pip.stdout[-1000:] + pip.stderr[-1000:])
    except Exception as error:  # sem internet, link quebrado, Drive não montado...
        print(f"Não foi possível instalar o kit de {{source}}: {{error}}")
    importlib.invalidate_caches()
    if not installed or importlib.util.find_spec("dlhelpers") is None:
        raise HelpersMissing(
            "✋ Falta o kit do curso (o pacote dlhelpers), que as células deste notebook usam.\\n"
            f"   Envie o arquivo {{HELPERS_WHEEL}} (ele está no material da tarefa, junto\\n"
            "   deste notebook) para a mesma pasta do notebook. No Colab: clique no ícone de pasta,\\n"
            "   à esquerda, e arraste o arquivo para lá. Depois rode esta célula de novo."
        ) from None


install_helpers()
from dlhelpers.environment import compare_versions

compare_versions(COURSE_VERSIONS)
'''


def environment_cell(keras: bool, helpers_url: str | None = None, versions: dict[str, str] | None = None) -> str:
    """The source of the notebook's first cell."""
    versions = course_versions(keras) if versions is None else versions
    return _CELL.format(versions=versions, url=helpers_url or "", wheel=wheel_name())
