"""Dataset loaders of the Deep Learning II notebooks (a6_cnn_keras and projeto_final).

Public and shipped with every released notebook, so it holds nothing secret and imports neither
the reference implementations nor the grading machinery; TensorFlow is not imported either (the
notebooks import it). Every loader returns numpy arrays in the Keras layout: images
``(m, H, W, C)`` float32 in [0, 1], integer labels ``(m,)`` and the class names in label order.

Layouts: the ELPV solar-cell images (the ``elpv-dataset`` package), one folder per class, a CSV
of file name and label, pre-split train/val/test folders, and a Kaggle download into a cache
folder. Bad data raises ``ValueError`` (``FileNotFoundError`` for a missing path) with a message
in Portuguese that names the file; the input files are only ever read. The data cards (source,
license, split protocol, pitfalls) live in the repository's ``datasets/`` folder.
"""
from __future__ import annotations

import contextlib
import csv
import importlib.util
import io
import json
import os
import re
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from dlhelpers.validation import require_choice, require_int

__all__ = [
    "IMAGE_EXTENSIONS",
    "ELPV_CLASS_NAMES",
    "KaggleDownloadError",
    "default_cache_dir",
    "load_elpv",
    "stratified_split_indices",
    "stratified_split",
    "load_image_folder",
    "load_image_csv",
    "load_image_splits",
    "download_kaggle_dataset",
]

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")
COLOR_MODES = ("rgb", "grayscale")
ELPV_LABEL_MODES = ("binary", "levels", "probability")
ELPV_CLASS_NAMES = {
    "binary": ("funcional", "defeituosa"),
    "levels": ("0", "1/3", "2/3", "1"),
}
SPLIT_FOLDER_NAMES = {
    "train": ("train", "training"),
    "val": ("val", "valid", "validation"),
    "test": ("test", "testing"),
}
CACHE_ENV_VAR = "DLGRADE_CACHE_DIR"
KAGGLE_COMPLETE_MARKER = ".dlgrade-download-complete"
# Folders that zip tools and Jupyter leave behind; never a class.
IGNORED_FOLDERS = ("__MACOSX", "__pycache__")
MEMORY_WARNING_BYTES = 4 * 1024**3

_RESAMPLE = getattr(Image, "Resampling", Image).BILINEAR
_SIXTEEN_BIT_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I")


class KaggleDownloadError(RuntimeError):
    """The Kaggle download failed: credentials missing or refused, no network, unknown dataset."""


# --------------------------------------------------------------------------------------------
# Cache folder
# --------------------------------------------------------------------------------------------

def _repository_root() -> Path | None:
    """The dlgrade repository holding this file (``assignments/dlhelpers/data.py``), if any."""
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


# --------------------------------------------------------------------------------------------
# Argument checks and image decoding
# --------------------------------------------------------------------------------------------

def _image_size(image_size) -> tuple[int, int] | None:
    """``None``, an int (square) or ``(H, W)`` -> ``None`` or ``(H, W)``."""
    if image_size is None:
        return None
    if isinstance(image_size, (tuple, list)) and len(image_size) == 2:
        height = require_int(image_size[0], "image_size[0]", minimum=1)
        width = require_int(image_size[1], "image_size[1]", minimum=1)
        return height, width
    try:
        side = require_int(image_size, "image_size", minimum=1)
    except ValueError:
        raise ValueError(
            f"`image_size` deve ser None, um inteiro (imagem quadrada) ou uma tupla (altura, "
            f"largura), mas recebeu {image_size!r}."
        ) from None
    return side, side


def _existing_folder(path, name: str) -> Path:
    folder = Path(path).expanduser()
    if not folder.exists():
        raise FileNotFoundError(f"A pasta `{name}` não existe: '{folder}'. Confira o caminho.")
    if not folder.is_dir():
        raise ValueError(f"`{name}` deveria ser uma pasta, mas '{folder}' é um arquivo.")
    return folder


def _is_hidden(entry_name: str) -> bool:
    return entry_name.startswith(".") or entry_name in IGNORED_FOLDERS


def _is_image_file(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_EXTENSIONS and not _is_hidden(path.name)


def _decode(path: Path, size: tuple[int, int] | None, channels: int) -> np.ndarray:
    """One image -> uint8 ``(H, W)``/``(H, W, 3)``, or float32 in [0, 1] for 16-bit images."""
    with Image.open(path) as image:
        if size is not None and image.format == "JPEG":
            # The JPEG decoder can scale by 1/2, 1/4 or 1/8 while decoding (never below size).
            image.draft("L" if channels == 1 else "RGB", (size[1], size[0]))
        image.load()
        if image.mode in _SIXTEEN_BIT_MODES:
            values = np.asarray(image, dtype=np.float32) / np.float32(65535.0)
            plane = Image.fromarray(np.clip(values, 0.0, 1.0).astype(np.float32))  # mode "F"
            if size is not None and plane.size != (size[1], size[0]):
                plane = plane.resize((size[1], size[0]), _RESAMPLE)
            array = np.clip(np.asarray(plane, dtype=np.float32), 0.0, 1.0)
            return array if channels == 1 else np.repeat(array[:, :, None], 3, axis=2)
        image = image.convert("L" if channels == 1 else "RGB")
        if size is not None and image.size != (size[1], size[0]):
            image = image.resize((size[1], size[0]), _RESAMPLE)
        return np.asarray(image, dtype=np.uint8)


def _decode_or_explain(path: Path, size, channels: int) -> np.ndarray:
    try:
        return _decode(path, size, channels)
    except FileNotFoundError:
        raise FileNotFoundError(f"A imagem '{path}' não existe.") from None
    except Exception as error:  # Pillow raises OSError, SyntaxError, ValueError, EOFError...
        raise ValueError(
            f"Não consegui ler a imagem '{path}': o arquivo está corrompido, incompleto ou não é "
            f"uma imagem ({type(error).__name__}: {error}). Apague ou substitua esse arquivo."
        ) from error


def _decode_all(paths: list[Path], size, channels: int):
    """Yields the decoded images in the order of ``paths``, decoding in a few threads: Pillow
    releases the GIL while it decodes and resizes, and a few more threads than cores hide the
    latency of network folders (Google Drive on Colab, NFS on JupyterHub)."""
    workers = min(16, (os.cpu_count() or 1) + 4, len(paths))
    if workers <= 1:
        for path in paths:
            yield _decode_or_explain(path, size, channels)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = pool.map(lambda path: _decode_or_explain(path, size, channels), paths)
        try:
            yield from results
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _warn_if_large(count: int, height: int, width: int, channels: int) -> None:
    needed = count * height * width * channels * 4
    if needed > MEMORY_WARNING_BYTES:
        warnings.warn(
            f"Carregar {count} imagens de {height}x{width}x{channels} em float32 ocupa "
            f"{needed / 1024**3:.1f} GiB de memória. Se faltar memória, use um `image_size` "
            f"menor ou `max_per_class`.",
            UserWarning,  # not ResourceWarning: Python hides those by default
            stacklevel=3,
        )


def _load_images(paths: list[Path], image_size, color_mode: str) -> np.ndarray:
    """Decodes ``paths`` into one float32 array ``(m, H, W, C)`` in [0, 1]."""
    channels = 1 if color_mode == "grayscale" else 3
    X = None
    for index, (path, array) in enumerate(zip(paths, _decode_all(paths, image_size, channels))):
        if X is None:
            height, width = array.shape[:2]
            _warn_if_large(len(paths), height, width, channels)
            X = np.empty((len(paths), height, width, channels), dtype=np.float32)
        elif array.shape[:2] != X.shape[1:3]:
            raise ValueError(
                f"As imagens têm tamanhos diferentes: '{path}' tem {array.shape[0]}x"
                f"{array.shape[1]} (altura x largura), mas '{paths[0]}' tem {X.shape[1]}x"
                f"{X.shape[2]}. Passe `image_size=(altura, largura)` para redimensionar todas."
            )
        array = array.reshape(X.shape[1:])
        if array.dtype == np.uint8:
            np.divide(array, np.float32(255.0), out=X[index], dtype=np.float32)
        else:
            X[index] = array
    if X is None:
        return np.empty((0, 0, 0, channels), dtype=np.float32)
    return X


def _subsample(paths: list[Path], max_per_class, random_state: int) -> list[Path]:
    if max_per_class is None or len(paths) <= max_per_class:
        return paths
    rng = np.random.default_rng(random_state)
    chosen = np.sort(rng.choice(len(paths), size=max_per_class, replace=False))
    return [paths[i] for i in chosen]


def _check_common(image_size, color_mode, max_per_class):
    size = _image_size(image_size)
    require_choice(color_mode, COLOR_MODES, "color_mode")
    if max_per_class is not None:
        require_int(max_per_class, "max_per_class", minimum=1)
    return size


# --------------------------------------------------------------------------------------------
# ELPV
# --------------------------------------------------------------------------------------------

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
        for index, array in enumerate(_decode_all(paths, size, channels=1)):
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
                np.asarray(Image.fromarray(image).resize((width, height), _RESAMPLE))
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
    size = _image_size(image_size)
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


# --------------------------------------------------------------------------------------------
# The split protocol
# --------------------------------------------------------------------------------------------

def _train_test_split():
    try:
        from sklearn.model_selection import train_test_split
    except ImportError as error:
        raise ModuleNotFoundError(
            "A divisão estratificada usa o scikit-learn, que não está instalado. Instale com "
            "`pip install scikit-learn` e rode a célula de novo.",
            name="sklearn",
        ) from error
    return train_test_split


def _fraction(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise ValueError(f"`{name}` deve ser uma fração entre 0 e 1 (ex.: 0.25), mas recebeu {value!r}.")
    return float(value)


def stratified_split_indices(y, test_size=0.25, val_size=None, random_state=0):
    """
    O protocolo de divisão da disciplina: treino/teste estratificado (cada classe aparece na
    mesma proporção nas duas partes), 75/25 com random_state=0, como
    `sklearn.model_selection.train_test_split(..., test_size=0.25, stratify=y, random_state=0)`;
    opcionalmente, uma parte de validação tirada só do treino (o teste não muda).

    Entradas:
    - y: array de shape (m,), os rótulos usados para estratificar.
    - test_size: fração do total que vai para o teste (padrão 0.25).
    - val_size: None (sem validação) ou a fração do *treino* que vira validação (ex.: 0.2 ->
      15% do total com test_size=0.25), também estratificada.
    - random_state: semente da divisão (padrão 0).

    Retorna:
    - splits: dict com "train", "test" (e "val" se val_size foi dado), cada um um array int de
      índices em y, na ordem que o train_test_split devolve (X_train = X[splits["train"]]).
    """
    train_test_split = _train_test_split()
    labels = np.asarray(y)
    if labels.ndim != 1:
        raise ValueError(f"`y` deve ter 1 dimensão (m,), mas tem shape {labels.shape}.")
    test_size = _fraction(test_size, "test_size")
    random_state = require_int(random_state, "random_state", minimum=0)
    indices = np.arange(len(labels))
    train, test = train_test_split(indices, test_size=test_size, stratify=labels, random_state=random_state)
    splits = {"train": train}
    if val_size is not None:
        val_size = _fraction(val_size, "val_size")
        train, val = train_test_split(train, test_size=val_size, stratify=labels[train],
                                      random_state=random_state)
        splits = {"train": train, "val": val}
    splits["test"] = test
    return splits


def stratified_split(X, y, test_size=0.25, val_size=None, random_state=0):
    """
    Aplica `stratified_split_indices` a X e y (o protocolo 75/25 estratificado, random_state=0).

    Entradas:
    - X: array de shape (m, ...), por exemplo imagens (m, H, W, C).
    - y: array de shape (m,), os rótulos.
    - test_size, val_size, random_state: como em `stratified_split_indices`.

    Retorna:
    - splits: dict com "train", "test" (e "val" se val_size foi dado), cada um uma tupla
      (X_parte, y_parte) com shapes (m_parte, ...) e (m_parte,).
    """
    examples, labels = np.asarray(X), np.asarray(y)
    if len(examples) != len(labels):
        raise ValueError(
            f"`X` e `y` devem ter o mesmo número de exemplos, mas têm {len(examples)} e {len(labels)}."
        )
    indices = stratified_split_indices(labels, test_size=test_size, val_size=val_size,
                                       random_state=random_state)
    return {name: (examples[part], labels[part]) for name, part in indices.items()}


# --------------------------------------------------------------------------------------------
# One folder per class
# --------------------------------------------------------------------------------------------

def _class_folders(root: Path) -> dict[str, Path]:
    return {
        entry.name: Path(entry.path)
        for entry in sorted(os.scandir(root), key=lambda entry: entry.name)
        if entry.is_dir() and not _is_hidden(entry.name)
    }


def _images_in(folder: Path, class_name: str) -> list[Path]:
    entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    images = [Path(entry.path) for entry in entries if entry.is_file() and _is_image_file(Path(entry.path))]
    if images:
        return images
    subfolders = [entry.name for entry in entries if entry.is_dir() and not _is_hidden(entry.name)]
    message = (
        f"A pasta da classe '{class_name}' ('{folder}') não tem nenhuma imagem "
        f"(extensões aceitas: {', '.join(IMAGE_EXTENSIONS)})."
    )
    if subfolders:
        shown = ", ".join(subfolders[:5]) + (", ..." if len(subfolders) > 5 else "")
        message += (
            f" Ela tem subpastas ({shown}): talvez a pasta raiz deva ser um nível abaixo, ou os "
            f"dados já venham divididos em treino/validação/teste (use `load_image_splits`)."
        )
    else:
        message += " Apague a pasta vazia ou coloque as imagens dessa classe nela."
    raise ValueError(message)


def _folder_dataset(root: Path, class_names, max_per_class, random_state, missing_ok=False):
    """(paths, labels, class_names) of a per-class layout under ``root``."""
    folders = _class_folders(root)
    if not folders:
        loose = [name for name in sorted(os.listdir(root)) if _is_image_file(root / name)]
        message = f"Não encontrei pastas de classe em '{root}': o formato esperado é raiz/classe/imagem."
        if loose:
            message += (
                f" As imagens ({loose[0]}, ...) estão direto na raiz: separe-as em uma subpasta "
                f"por classe ou, se os rótulos estão num CSV, use `load_image_csv`."
            )
        raise ValueError(message)
    if class_names is None:
        class_names = list(folders)
    else:
        class_names = [str(name) for name in class_names]
        for name, folder in folders.items():
            if name not in class_names:
                raise ValueError(
                    f"A pasta '{folder}' é de uma classe desconhecida, '{name}': as classes "
                    f"esperadas são {class_names}. Renomeie ou remova essa pasta."
                )
        absent = [name for name in class_names if name not in folders]
        if absent and not missing_ok:
            raise ValueError(f"Em '{root}' faltam as pastas das classes {absent} (esperadas: {class_names}).")
        if absent:
            warnings.warn(f"'{root}' não tem exemplos das classes {absent}.", UserWarning, stacklevel=4)
    if len(class_names) == 1:
        warnings.warn(
            f"'{root}' tem uma única pasta de classe ('{class_names[0]}'): para classificar são "
            f"precisas pelo menos duas. Confira se a raiz está no nível certo.",
            UserWarning,
            stacklevel=4,
        )
    paths, labels = [], []
    for label, name in enumerate(class_names):
        if name not in folders:
            continue
        files = _subsample(_images_in(folders[name], name), max_per_class, random_state)
        paths.extend(files)
        labels.extend([label] * len(files))
    return paths, np.asarray(labels, dtype=np.int64), class_names


def load_image_folder(root, image_size=(128, 128), color_mode="rgb", class_names=None,
                      max_per_class=None, random_state=0):
    """
    Carrega imagens organizadas em uma pasta por classe (o formato mais comum no Kaggle):

        root/gato/001.jpg, root/gato/002.png, ..., root/cachorro/001.jpg, ...

    As classes são as subpastas, em ordem alfabética (rótulo 0 = a primeira); dentro de cada
    classe as imagens vêm em ordem de nome. Arquivos ocultos, pastas como `.ipynb_checkpoints` e
    `__MACOSX` e arquivos que não são imagem são ignorados.

    Entradas:
    - root: caminho da pasta raiz.
    - image_size: (altura, largura) ou um inteiro; todas as imagens são redimensionadas
      (bilinear, sem manter a proporção). None mantém o tamanho original, que então deve ser o
      mesmo em todas. Padrão (128, 128).
    - color_mode: "rgb" (3 canais, padrão) ou "grayscale" (1 canal).
    - class_names: None (todas as subpastas) ou a lista de classes, na ordem dos rótulos.
    - max_per_class: None (todas) ou no máximo quantas imagens por classe (amostra aleatória
      com `random_state`), útil para treinar na CPU.
    - random_state: semente da amostra de `max_per_class`.

    Retorna uma tupla (X, y, class_names):
    - X: array float32 de shape (m, H, W, C), valores em [0, 1], C = 3 (rgb) ou 1 (grayscale).
    - y: array int64 de shape (m,), rótulos 0..K-1.
    - class_names: lista de K strings; class_names[y[i]] é a classe da imagem i.
    """
    size = _check_common(image_size, color_mode, max_per_class)
    root = _existing_folder(root, "root")
    paths, y, class_names = _folder_dataset(root, class_names, max_per_class, random_state)
    X = _load_images(paths, size, color_mode)
    return X, y, class_names


# --------------------------------------------------------------------------------------------
# A CSV of file name and label
# --------------------------------------------------------------------------------------------

def _label_order(labels: list[str]) -> list[str]:
    """Sorted label values; numerically when they are all integers (so "10" comes after "9")."""
    unique = set(labels)
    try:
        return sorted(unique, key=lambda label: (int(label), label))
    except ValueError:
        return sorted(unique)


def load_image_csv(csv_path, image_dir=None, filename_column="filename", label_column="label",
                   image_size=(128, 128), color_mode="rgb", class_names=None, max_per_class=None,
                   random_state=0, sep=","):
    """
    Carrega imagens listadas em um CSV com uma coluna de nome de arquivo e uma de rótulo:

        filename,label
        img_001.jpg,benigno
        img_002.jpg,maligno

    Entradas:
    - csv_path: caminho do CSV (UTF-8; a primeira linha tem os nomes das colunas).
    - image_dir: pasta das imagens (padrão: a pasta do CSV). Os nomes no CSV são relativos a
      ela (podem ter subpastas, ex.: "treino/img_001.jpg").
    - filename_column: nome da coluna com o arquivo (padrão "filename").
    - label_column: nome da coluna com o rótulo (padrão "label").
    - image_size, color_mode, max_per_class, random_state: como em `load_image_folder`.
    - class_names: None (os valores da coluna de rótulo em ordem: numérica se todos forem
      inteiros, senão alfabética) ou a lista de classes, na ordem dos rótulos.
    - sep: separador do CSV (padrão ",").

    Retorna uma tupla (X, y, class_names):
    - X: array float32 de shape (m, H, W, C), valores em [0, 1], na ordem das linhas do CSV.
    - y: array int64 de shape (m,), rótulos 0..K-1.
    - class_names: lista de K strings; class_names[y[i]] é a classe da imagem i.
    """
    size = _check_common(image_size, color_mode, max_per_class)
    csv_path = Path(csv_path).expanduser()
    if not csv_path.is_file():
        raise FileNotFoundError(f"O arquivo CSV não existe: '{csv_path}'. Confira o caminho.")
    image_dir = _existing_folder(image_dir, "image_dir") if image_dir is not None else csv_path.parent

    with open(csv_path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle, delimiter=sep)
        columns = [name.strip() for name in (reader.fieldnames or [])]
        if not columns:
            raise ValueError(f"O CSV '{csv_path}' está vazio: esperava uma linha de cabeçalho.")
        reader.fieldnames = columns
        for column, argument in ((filename_column, "filename_column"), (label_column, "label_column")):
            if column not in columns:
                raise ValueError(
                    f"O CSV '{csv_path}' não tem a coluna '{column}' (`{argument}`). Colunas "
                    f"encontradas: {columns}. Passe `{argument}=` com o nome certo."
                )
        rows = []
        for row in reader:
            line = reader.line_num
            name = (row.get(filename_column) or "").strip()
            label = (row.get(label_column) or "").strip()
            if not any(isinstance(value, str) and value.strip() for value in row.values()):
                continue  # a blank line
            if not name or not label:
                empty = filename_column if not name else label_column
                raise ValueError(f"A linha {line} de '{csv_path}' tem a coluna '{empty}' vazia.")
            rows.append((line, name, label))
    if not rows:
        raise ValueError(f"O CSV '{csv_path}' não tem nenhuma linha de dados.")

    labels = [label for _, _, label in rows]
    if class_names is None:
        class_names = _label_order(labels)
    else:
        class_names = [str(name) for name in class_names]
        for line, _, label in rows:
            if label not in class_names:
                raise ValueError(
                    f"A linha {line} de '{csv_path}' tem o rótulo '{label}', que não está em "
                    f"`class_names` {class_names}."
                )
    index_of = {name: index for index, name in enumerate(class_names)}

    paths = []
    missing = []
    for line, name, _ in rows:
        path = image_dir / name
        paths.append(path)
        if not path.is_file():
            missing.append((line, name, path))
    if missing:
        line, name, path = missing[0]
        others = f" (e mais {len(missing) - 1} linhas com imagens que faltam)" if len(missing) > 1 else ""
        raise FileNotFoundError(
            f"A linha {line} de '{csv_path}' aponta para a imagem '{name}', mas '{path}' não "
            f"existe{others}. Confira `image_dir` e a coluna '{filename_column}'."
        )

    y = np.asarray([index_of[label] for label in labels], dtype=np.int64)
    if max_per_class is not None:
        keep = []
        for label in range(len(class_names)):
            members = np.flatnonzero(y == label)
            keep.extend(_subsample(list(members), max_per_class, random_state))
        keep = np.sort(np.asarray(keep, dtype=np.int64))
        paths = [paths[i] for i in keep]
        y = y[keep]
    X = _load_images(paths, size, color_mode)
    return X, y, class_names


# --------------------------------------------------------------------------------------------
# Pre-split train/val/test folders
# --------------------------------------------------------------------------------------------

def _split_folders(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for entry in sorted(os.scandir(root), key=lambda entry: entry.name):
        if not entry.is_dir() or _is_hidden(entry.name):
            continue
        for split, aliases in SPLIT_FOLDER_NAMES.items():
            if entry.name.lower() in aliases:
                if split in found:
                    raise ValueError(
                        f"'{root}' tem duas pastas para a mesma parte: '{found[split].name}' e "
                        f"'{entry.name}'. Deixe só uma."
                    )
                found[split] = Path(entry.path)
    return found


def load_image_splits(root, image_size=(128, 128), color_mode="rgb", max_per_class=None,
                      random_state=0):
    """
    Carrega dados já divididos em pastas de treino, validação e teste, cada uma com uma
    subpasta por classe:

        root/train/<classe>/..., root/val/<classe>/..., root/test/<classe>/...

    Também aceita "valid"/"validation", "training" e "testing" (maiúsculas ou minúsculas). A
    pasta de treino é obrigatória; validação e teste são opcionais. As classes vêm do treino
    (ordem alfabética) e têm o mesmo rótulo em todas as partes.

    Entradas:
    - root: caminho da pasta que contém train/ (e val/, test/).
    - image_size, color_mode: como em `load_image_folder`.
    - max_per_class: None ou no máximo quantas imagens por classe em cada parte.
    - random_state: semente da amostra de `max_per_class`.

    Retorna uma tupla (splits, class_names):
    - splits: dict com "train" e, se existirem, "val" e "test"; cada valor é uma tupla (X, y) com
      X float32 de shape (m_parte, H, W, C) em [0, 1] e y int64 de shape (m_parte,).
    - class_names: lista de K strings, as classes do treino; class_names[y[i]] é a classe.
    """
    size = _check_common(image_size, color_mode, max_per_class)
    root = _existing_folder(root, "root")
    folders = _split_folders(root)
    if "train" not in folders:
        found = [name for name in sorted(os.listdir(root)) if (root / name).is_dir() and not _is_hidden(name)]
        raise ValueError(
            f"Não encontrei a pasta de treino ('train') em '{root}'. Subpastas encontradas: "
            f"{found}. Se os dados estão numa pasta dentro dessa, aponte `root` para ela; se não "
            f"estão divididos, use `load_image_folder` e depois `stratified_split`."
        )
    recognised = {path.name for path in folders.values()}
    others = [name for name in sorted(os.listdir(root))
              if (root / name).is_dir() and not _is_hidden(name) and name not in recognised]
    if others:
        warnings.warn(f"Pastas ignoradas em '{root}' (não são train/val/test): {others}.", UserWarning, stacklevel=2)

    train_paths, train_y, class_names = _folder_dataset(folders["train"], None, max_per_class, random_state)
    parts = {"train": (train_paths, train_y)}
    for split in ("val", "test"):
        if split in folders:
            paths, y, _ = _folder_dataset(folders[split], class_names, max_per_class, random_state, missing_ok=True)
            parts[split] = (paths, y)
    splits = {split: (_load_images(paths, size, color_mode), y) for split, (paths, y) in parts.items()}
    shapes = {split: X.shape[1:] for split, (X, _) in splits.items() if len(X)}
    if len(set(shapes.values())) > 1:
        raise ValueError(
            f"As partes têm imagens de tamanhos diferentes {shapes}: passe `image_size=(altura, largura)`."
        )
    return splits, class_names


# --------------------------------------------------------------------------------------------
# Kaggle
# --------------------------------------------------------------------------------------------

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


def load_digits_split(test_size=0.25, random_state=0):
    """Os dígitos escritos à mão que vêm com o scikit-learn (1797 imagens 8x8, classes 0 a 9),
    sem rede: ``(X_train, X_test, y_train, y_test)``.

    Cada imagem vira uma linha de 64 pixels (a ordem das linhas da imagem, como o ``flatten``),
    com valores em [0, 1] (o scikit-learn os guarda de 0 a 16). A divisão é estratificada (a
    mesma proporção de cada dígito no treino e no teste) e fixa para um mesmo ``random_state``.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    pixels = digits.data / 16.0
    return train_test_split(pixels, digits.target, test_size=test_size, stratify=digits.target,
                            random_state=random_state)
