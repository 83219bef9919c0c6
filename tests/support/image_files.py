"""Image files the data tests write, and a digest that proves the loaders never modify them."""
import hashlib

import numpy as np
from PIL import Image


def write_image(path, height, width, mode="RGB", seed=0):
    """A random image saved with the format of the suffix; returns its pixels as saved."""
    rng = np.random.default_rng(seed)
    shape = (height, width, 3) if mode == "RGB" else (height, width)
    if mode == "I;16":
        pixels = rng.integers(0, 65536, size=shape, dtype=np.uint16)
    else:
        pixels = rng.integers(0, 256, size=shape, dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path)
    return pixels


def digest(root):
    """Hash of every file under root: the loaders must never modify their input."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}
