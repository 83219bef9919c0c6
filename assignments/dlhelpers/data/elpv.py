"""The ELPV solar-cell images (the ``elpv-dataset`` package), with a cache of resized copies."""
from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import numpy as np
from PIL import Image

from dlhelpers.data.cache import default_cache_dir
from dlhelpers.data.images import RESAMPLE, decode_all, parse_image_size
from dlhelpers.validation import require_choice

ELPV_LABEL_MODES = ("binary", "levels", "probability")
ELPV_CLASS_NAMES = {
    "binary": ("funcional", "defeituosa"),
    "levels": ("0", "1/3", "2/3", "1"),
}


def _elpv_package_folder() -> Path:
    try:
        spec = importlib.util.find_spec("elpv_dataset")
    except (ImportError, ValueError):
        spec = None
    if spec is None or not spec.origin:
        if "NBGRADER_EXECUTION" in os.environ:  # the grader hides the data from graded code
            raise ModuleNotFoundError(
                "Durante a correção automática o ELPV fica escondido do seu código, para que nenhum "
                "código corrigido leia as imagens de teste; por isso esta célula e as que usam os dados "
                "não rodam aqui. A nota vem dos testes escondidos, que treinam o seu modelo com as suas "
                "funções e o avaliam fora do seu código. No seu computador tudo roda normalmente.",
                name="elpv_dataset",
            )
        raise ModuleNotFoundError(
            "O pacote `elpv-dataset` (as imagens de células solares do ELPV) não está instalado. "
            "Instale com `pip install elpv-dataset` (no Colab ou no Jupyter: `%pip install "
            "elpv-dataset` numa célula), reinicie o kernel se for preciso e rode a célula de novo.",
            name="elpv_dataset",
        )
    return Path(spec.origin).parent


def _elpv_version(package: Path) -> str:
    about = package / "__about__.py"
    try:
        match = re.search(r"__version__\s*=\s*['\"]([^'\"]+)", about.read_text())
        return match.group(1) if match else "unknown"
    except OSError:
        return "unknown"


def _read_elpv_annotations(labels_csv: Path):
    """``labels.csv`` of the package: ``images/cellNNNN.png  probability  type`` per line."""
    names, probabilities, types = [], [], []
    for line_number, line in enumerate(labels_csv.read_text().splitlines(), start=1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) < 3:
            raise ValueError(f"Linha {line_number} de '{labels_csv}' fora do formato esperado: {line!r}.")
        names.append(fields[0])
        probabilities.append(float(fields[1]))
        types.append(fields[2])
    return names, np.asarray(probabilities, dtype=np.float64), np.asarray(types)


def _elpv_raw(size, cache: bool, cache_dir) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """uint8 images ``(m, H, W)``, probabilities ``(m,)`` and module types ``(m,)``."""
    package = _elpv_package_folder()
    data_folder = package / "data"
    labels_csv = data_folder / "labels.csv"
    height, width = size if size is not None else (300, 300)
    cache_file = None
    if cache:
        folder = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
        cache_file = folder / "elpv" / f"elpv-{_elpv_version(package)}-{height}x{width}.npz"
        try:
            with np.load(cache_file, allow_pickle=False) as stored:
                images, probabilities, types = stored["images"], stored["probabilities"], stored["types"]
            if images.shape[1:] == (height, width) and len(images) == len(probabilities) == len(types):
                return images, probabilities, types
        except Exception:  # noqa: BLE001 - absent, partial or from another layout: decode again
            pass

    if labels_csv.is_file():
        names, probabilities, types = _read_elpv_annotations(labels_csv)
        paths = [data_folder / name for name in names]
        images = np.empty((len(paths), height, width), dtype=np.uint8)
        for index, array in enumerate(decode_all(paths, size, channels=1)):
            if array.dtype != np.uint8:
                array = np.rint(array * 255).astype(np.uint8)
            images[index] = array
    else:  # another layout of the package: use its own reader, then resize
        from elpv_dataset.utils import load_dataset

        originals, probabilities, types = load_dataset()
        types = np.asarray(types)
        if size is None:
            images = np.asarray(originals, dtype=np.uint8)
        else:
            images = np.stack([
                np.asarray(Image.fromarray(image).resize((width, height), RESAMPLE))
                for image in originals
            ])

    if cache_file is not None:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            partial = cache_file.with_name(f"{cache_file.stem}.{os.getpid()}.partial")
            with open(partial, "wb") as handle:
                np.savez(handle, images=images, probabilities=probabilities, types=types)
            os.replace(partial, cache_file)
        except OSError:  # read-only home, full disk: the cache is only an optimisation
            pass
    return images, probabilities, types


def load_elpv(image_size=None, label_mode="binary", cache=True, cache_dir=None):
    """
    Carrega o ELPV: 2624 imagens de eletroluminescência (300x300, tons de cinza) de células
    solares, cada uma com a probabilidade de defeito dada por especialistas (0, 1/3, 2/3 ou 1) e o
    tipo do módulo (monocristalino ou policristalino). Precisa do pacote `elpv-dataset`.

    A primeira chamada decodifica os PNGs (alguns segundos); as seguintes, com o mesmo
    `image_size`, leem uma cópia guardada na pasta de cache (ver `default_cache_dir`).

    Entradas:
    - image_size: None (mantém 300x300), um inteiro (ex.: 96 ou 128, imagens quadradas, bom para
      a CPU) ou uma tupla (altura, largura). Redimensionamento bilinear.
    - label_mode: "binary" (padrão) -> 1 = defeituosa (probabilidade >= 0.5), 0 = funcional;
      "levels" -> os 4 níveis 0, 1/3, 2/3, 1 viram 0, 1, 2, 3;
      "probability" -> a probabilidade original, float32.
    - cache: se True (padrão), guarda e reaproveita as imagens já redimensionadas.
    - cache_dir: pasta do cache (padrão: `default_cache_dir()`).

    Retorna uma tupla (X, y, types):
    - X: array float32 de shape (2624, H, W, 1), valores em [0, 1].
    - y: array int64 de shape (2624,) (float32 com label_mode="probability"); os nomes das
      classes estão em ELPV_CLASS_NAMES[label_mode].
    - types: array de strings de shape (2624,), 'mono' ou 'poly'.
    """
    size = parse_image_size(image_size)
    require_choice(label_mode, ELPV_LABEL_MODES, "label_mode")
    images, probabilities, types = _elpv_raw(size, cache, cache_dir)
    X = np.divide(images[..., None], np.float32(255.0), dtype=np.float32)
    if label_mode == "binary":
        y = (probabilities >= 0.5).astype(np.int64)
    elif label_mode == "levels":
        y = np.rint(probabilities * 3).astype(np.int64)
    else:
        y = probabilities.astype(np.float32)
    return X, y, np.asarray(types).astype(str)
