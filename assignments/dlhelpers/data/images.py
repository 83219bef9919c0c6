"""Decoding image files into the Keras layout ``(m, H, W, C)`` float32 in [0, 1], and the argument
checks every image loader shares."""
from __future__ import annotations

import os
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image

from dlhelpers.validation import require_choice, require_int

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp")
COLOR_MODES = ("rgb", "grayscale")
# Folders that zip tools and Jupyter leave behind; never a class.
IGNORED_FOLDERS = ("__MACOSX", "__pycache__")
MEMORY_WARNING_BYTES = 4 * 1024**3

RESAMPLE = getattr(Image, "Resampling", Image).BILINEAR
_SIXTEEN_BIT_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I")


def parse_image_size(image_size) -> tuple[int, int] | None:
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


def existing_folder(path, name: str) -> Path:
    folder = Path(path).expanduser()
    if not folder.exists():
        raise FileNotFoundError(f"A pasta `{name}` não existe: '{folder}'. Confira o caminho.")
    if not folder.is_dir():
        raise ValueError(f"`{name}` deveria ser uma pasta, mas '{folder}' é um arquivo.")
    return folder


def is_hidden(entry_name: str) -> bool:
    return entry_name.startswith(".") or entry_name in IGNORED_FOLDERS


def is_image_file(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_EXTENSIONS and not is_hidden(path.name)


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
                plane = plane.resize((size[1], size[0]), RESAMPLE)
            array = np.clip(np.asarray(plane, dtype=np.float32), 0.0, 1.0)
            return array if channels == 1 else np.repeat(array[:, :, None], 3, axis=2)
        image = image.convert("L" if channels == 1 else "RGB")
        if size is not None and image.size != (size[1], size[0]):
            image = image.resize((size[1], size[0]), RESAMPLE)
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


def decode_all(paths: list[Path], size, channels: int):
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


def load_images(paths: list[Path], image_size, color_mode: str) -> np.ndarray:
    """Decodes ``paths`` into one float32 array ``(m, H, W, C)`` in [0, 1]."""
    channels = 1 if color_mode == "grayscale" else 3
    X = None
    for index, (path, array) in enumerate(zip(paths, decode_all(paths, image_size, channels))):
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


def subsample(paths: list[Path], max_per_class, random_state: int) -> list[Path]:
    if max_per_class is None or len(paths) <= max_per_class:
        return paths
    rng = np.random.default_rng(random_state)
    chosen = np.sort(rng.choice(len(paths), size=max_per_class, replace=False))
    return [paths[i] for i in chosen]


def check_loader_arguments(image_size, color_mode, max_per_class):
    size = parse_image_size(image_size)
    require_choice(color_mode, COLOR_MODES, "color_mode")
    if max_per_class is not None:
        require_int(max_per_class, "max_per_class", minimum=1)
    return size
