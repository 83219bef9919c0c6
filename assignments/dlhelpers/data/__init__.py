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

One module per job: ``cache`` (the cache folder), ``images`` (decoding and the shared argument
checks), ``elpv`` (the ELPV loader), ``splits`` (the split protocol), ``layouts`` (folder, CSV and
pre-split layouts), ``kaggle`` (the download) and ``digits`` (scikit-learn's digits). Students
import everything from ``dlhelpers.data``.
"""
from dlhelpers.data.cache import CACHE_ENV_VAR, default_cache_dir
from dlhelpers.data.digits import load_digits_split
from dlhelpers.data.elpv import ELPV_CLASS_NAMES, ELPV_LABEL_MODES, load_elpv
from dlhelpers.data.images import COLOR_MODES, IGNORED_FOLDERS, IMAGE_EXTENSIONS, MEMORY_WARNING_BYTES
from dlhelpers.data.kaggle import KAGGLE_COMPLETE_MARKER, KaggleDownloadError, download_kaggle_dataset
from dlhelpers.data.layouts import SPLIT_FOLDER_NAMES, load_image_csv, load_image_folder, load_image_splits
from dlhelpers.data.splits import stratified_split, stratified_split_indices

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
    "load_digits_split",
    # the settings the loaders read, for notebooks and tests that name them
    "CACHE_ENV_VAR",
    "COLOR_MODES",
    "ELPV_LABEL_MODES",
    "IGNORED_FOLDERS",
    "KAGGLE_COMPLETE_MARKER",
    "MEMORY_WARNING_BYTES",
    "SPLIT_FOLDER_NAMES",
]
