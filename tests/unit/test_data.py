"""The dataset loaders of dlhelpers.data (issue 6): every layout on small PNG/JPEG fixtures that
the tests write, every kind of bad data and its Portuguese message naming the file, the real ELPV
data and the course's split protocol, and the Kaggle download's messages (no package, no
credentials, no network in a real network namespace)."""
import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from dlhelpers import data
from dlhelpers.data import (
    ELPV_CLASS_NAMES,
    KaggleDownloadError,
    default_cache_dir,
    download_kaggle_dataset,
    load_elpv,
    load_image_csv,
    load_image_folder,
    load_image_splits,
    stratified_split,
    stratified_split_indices,
)

from tests.support import REPO_ROOT

HELPERS = REPO_ROOT / "assignments" / "dlhelpers"


# --------------------------------------------------------------------------------------------
# Fixtures written by the tests
# --------------------------------------------------------------------------------------------

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


@pytest.fixture
def folder_dataset(tmp_path):
    """root/<class>/... with three classes of 3, 2 and 1 images: RGB PNG, grey JPEG, grey PNG,
    in different sizes, plus the clutter a real folder has (hidden files, checkpoints, notes)."""
    root = tmp_path / "flores"
    pixels = {}
    for i in range(3):
        pixels[f"rosa/r{i}.png"] = write_image(root / "rosa" / f"r{i}.png", 20, 16, "RGB", seed=i)
    for i in range(2):
        write_image(root / "cacto" / f"c{i}.JPG", 24, 24, "L", seed=10 + i)
    pixels["tulipa/t0.png"] = write_image(root / "tulipa" / "t0.png", 12, 30, "L", seed=20)
    (root / "rosa" / ".DS_Store").write_bytes(b"\x00\x01garbage")
    (root / "rosa" / "notas.txt").write_text("não é imagem")
    write_image(root / ".ipynb_checkpoints" / "x.png", 5, 5, "RGB")
    write_image(root / "__MACOSX" / "rosa" / "._r0.png", 5, 5, "RGB")
    (root / "LEIAME.md").write_text("arquivo solto na raiz")
    return root, pixels


# --------------------------------------------------------------------------------------------
# One folder per class
# --------------------------------------------------------------------------------------------

def test_image_folder_rgb_shapes_labels_and_class_order(folder_dataset):
    root, _ = folder_dataset
    X, y, class_names = load_image_folder(root, image_size=(8, 10))
    assert class_names == ["cacto", "rosa", "tulipa"]
    assert X.shape == (6, 8, 10, 3) and X.dtype == np.float32
    assert y.dtype.kind == "i" and y.tolist() == [0, 0, 1, 1, 1, 2]
    assert 0.0 <= X.min() and X.max() <= 1.0 and X.std() > 0.01
    # a grey image loaded as RGB has three equal channels
    assert np.array_equal(X[0, ..., 0], X[0, ..., 1]) and np.array_equal(X[0, ..., 0], X[0, ..., 2])


def test_image_folder_grayscale_and_square_size(folder_dataset):
    root, _ = folder_dataset
    X, y, class_names = load_image_folder(root, image_size=12, color_mode="grayscale")
    assert X.shape == (6, 12, 12, 1) and X.dtype == np.float32
    assert np.bincount(y).tolist() == [2, 3, 1]


def test_image_folder_without_resize_keeps_the_exact_pixels(tmp_path):
    root = tmp_path / "dados"
    a = write_image(root / "a" / "1.png", 9, 7, "RGB", seed=1)
    b = write_image(root / "b" / "1.png", 9, 7, "RGB", seed=2)
    X, y, class_names = load_image_folder(root, image_size=None)
    assert X.shape == (2, 9, 7, 3)
    np.testing.assert_array_equal(X[0], a.astype(np.float32) / 255)
    np.testing.assert_array_equal(X[1], b.astype(np.float32) / 255)
    assert X.max() <= 1.0


def test_image_folder_without_resize_needs_equal_sizes(folder_dataset):
    root, _ = folder_dataset
    with pytest.raises(ValueError, match="tamanhos diferentes") as error:
        load_image_folder(root, image_size=None)
    assert "image_size" in str(error.value) and "rosa" in str(error.value)


def test_image_folder_sixteen_bit_png_is_scaled_to_0_1(tmp_path):
    root = tmp_path / "raiox"
    deep = write_image(root / "a" / "16bits.png", 6, 5, "I;16", seed=3)
    write_image(root / "b" / "8bits.png", 6, 5, "L", seed=4)
    X, y, _ = load_image_folder(root, image_size=None, color_mode="grayscale")
    np.testing.assert_allclose(X[0, ..., 0], deep / 65535.0, atol=1e-6)
    assert X.max() <= 1.0


def test_image_folder_class_names_and_max_per_class(folder_dataset):
    root, _ = folder_dataset
    X, y, class_names = load_image_folder(root, image_size=4, class_names=["tulipa", "rosa", "cacto"])
    assert class_names == ["tulipa", "rosa", "cacto"] and y.tolist() == [0, 1, 1, 1, 2, 2]
    X, y, _ = load_image_folder(root, image_size=4, max_per_class=2)
    assert np.bincount(y).tolist() == [2, 2, 1]
    X_again, _, _ = load_image_folder(root, image_size=4, max_per_class=2)
    np.testing.assert_array_equal(X, X_again)  # the subset is the same every time


def test_a_load_that_needs_a_lot_of_memory_warns(folder_dataset, monkeypatch):
    root, _ = folder_dataset
    monkeypatch.setattr(data, "MEMORY_WARNING_BYTES", 6 * 8 * 8 * 3 * 4 - 1)  # just below this load
    with pytest.warns(UserWarning, match="max_per_class"):
        load_image_folder(root, image_size=8)


def test_image_folder_unknown_class_in_class_names(folder_dataset):
    root, _ = folder_dataset
    with pytest.raises(ValueError, match="classe desconhecida") as error:
        load_image_folder(root, image_size=4, class_names=["rosa", "cacto"])
    assert "tulipa" in str(error.value)


def test_image_folder_bad_arguments_answer_in_portuguese(folder_dataset):
    root, _ = folder_dataset
    with pytest.raises(ValueError, match="color_mode"):
        load_image_folder(root, color_mode="cinza")
    with pytest.raises(ValueError, match="image_size"):
        load_image_folder(root, image_size="grande")
    with pytest.raises(FileNotFoundError, match="não existe") as error:
        load_image_folder(root / "nada")
    assert "nada" in str(error.value)


# --------------------------------------------------------------------------------------------
# Bad data in a folder layout: the message names the file, the input is untouched
# --------------------------------------------------------------------------------------------

def test_corrupt_png_is_named(folder_dataset):
    root, _ = folder_dataset
    corrupt = root / "rosa" / "r9_corrompida.png"
    corrupt.write_bytes(b"isto nao e um png" * 10)
    before = digest(root)
    with pytest.raises(ValueError, match="corrompido") as error:
        load_image_folder(root, image_size=8)
    assert str(corrupt) in str(error.value)
    assert digest(root) == before


def test_truncated_jpeg_is_named(folder_dataset):
    root, _ = folder_dataset
    whole = root / "cacto" / "c0.JPG"
    truncated = root / "cacto" / "c2_cortada.jpg"
    truncated.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) // 2])
    with pytest.raises(ValueError) as error:
        load_image_folder(root, image_size=8)
    assert str(truncated) in str(error.value)


def test_empty_class_folder_is_named(folder_dataset):
    root, _ = folder_dataset
    (root / "girassol").mkdir()
    (root / "girassol" / "leia.txt").write_text("sem imagens")
    with pytest.raises(ValueError, match="não tem nenhuma imagem") as error:
        load_image_folder(root, image_size=8)
    assert "girassol" in str(error.value)


def test_a_split_root_given_as_class_root_gets_a_hint(tmp_path):
    root = tmp_path / "xray"
    write_image(root / "train" / "NORMAL" / "a.png", 8, 8, "L")
    write_image(root / "test" / "NORMAL" / "b.png", 8, 8, "L")
    with pytest.raises(ValueError, match="load_image_splits"):
        load_image_folder(root, image_size=8)


def test_images_loose_in_root_get_a_hint(tmp_path):
    root = tmp_path / "solto"
    write_image(root / "a.png", 8, 8, "L")
    with pytest.raises(ValueError, match="load_image_csv"):
        load_image_folder(root, image_size=8)


# --------------------------------------------------------------------------------------------
# A CSV of file name and label
# --------------------------------------------------------------------------------------------

@pytest.fixture
def csv_dataset(tmp_path):
    folder = tmp_path / "pele"
    rows = [("img_a.png", "maligno", "RGB"), ("sub/img_b.jpg", "benigno", "RGB"),
            ("img_c.png", "benigno", "L"), ("img_d.jpeg", "nevo", "L"), ("img_e.png", "benigno", "RGB")]
    for i, (name, _, mode) in enumerate(rows):
        write_image(folder / "imagens" / name, 10 + i, 14, mode, seed=i)
    lines = ["filename,label"] + [f"{name},{label}" for name, label, _ in rows]
    csv_path = folder / "rotulos.csv"
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return csv_path, folder / "imagens"


def test_csv_default_columns(csv_dataset):
    csv_path, images = csv_dataset
    before = digest(csv_path.parent)
    X, y, class_names = load_image_csv(csv_path, image_dir=images, image_size=(6, 8))
    assert class_names == ["benigno", "maligno", "nevo"]
    assert y.tolist() == [1, 0, 0, 2, 0]  # the order of the CSV rows
    assert X.shape == (5, 6, 8, 3) and X.dtype == np.float32 and 0 <= X.min() and X.max() <= 1
    assert digest(csv_path.parent) == before


def test_csv_named_columns_numeric_labels_bom_and_default_image_dir(tmp_path):
    folder = tmp_path / "retina"
    for i in range(4):
        write_image(folder / f"{i}.png", 8, 8, "L", seed=i)
    text = "id;extra;grau\n0.png;x;10\n1.png;y;2\n\n2.png;z;9\n3.png;w;2\n"
    (folder / "train.csv").write_bytes("\ufeff".encode() + text.encode())
    X, y, class_names = load_image_csv(folder / "train.csv", filename_column="id", label_column="grau",
                                       image_size=5, color_mode="grayscale", sep=";")
    assert class_names == ["2", "9", "10"]  # numeric order, not "10" < "2"
    assert y.tolist() == [2, 0, 1, 0]
    assert X.shape == (4, 5, 5, 1)


def test_csv_missing_label_column_is_named(csv_dataset):
    csv_path, images = csv_dataset
    with pytest.raises(ValueError) as error:
        load_image_csv(csv_path, image_dir=images, label_column="diagnostico")
    message = str(error.value)
    assert str(csv_path) in message and "diagnostico" in message and "'filename', 'label'" in message


def test_csv_missing_filename_column_is_named(csv_dataset):
    csv_path, images = csv_dataset
    with pytest.raises(ValueError, match="filename_column") as error:
        load_image_csv(csv_path, image_dir=images, filename_column="arquivo")
    assert str(csv_path) in str(error.value)


def test_csv_row_pointing_to_a_missing_image(csv_dataset):
    csv_path, images = csv_dataset
    (images / "img_c.png").unlink()
    with pytest.raises(FileNotFoundError) as error:
        load_image_csv(csv_path, image_dir=images)
    message = str(error.value)
    assert "img_c.png" in message and "linha 4" in message and str(csv_path) in message


def test_csv_empty_label_is_named(csv_dataset):
    csv_path, images = csv_dataset
    csv_path.write_text(csv_path.read_text().replace("nevo", ""))
    with pytest.raises(ValueError, match="linha 5") as error:
        load_image_csv(csv_path, image_dir=images)
    assert "'label' vazia" in str(error.value)


def test_csv_corrupt_image_is_named(csv_dataset):
    csv_path, images = csv_dataset
    (images / "img_e.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"lixo" * 20)
    with pytest.raises(ValueError, match="corrompido") as error:
        load_image_csv(csv_path, image_dir=images, image_size=8)
    assert str(images / "img_e.png") in str(error.value)


def test_csv_that_does_not_exist(tmp_path):
    with pytest.raises(FileNotFoundError, match="não existe"):
        load_image_csv(tmp_path / "nao_existe.csv")


# --------------------------------------------------------------------------------------------
# Pre-split train/val/test folders
# --------------------------------------------------------------------------------------------

@pytest.fixture
def split_dataset(tmp_path):
    root = tmp_path / "chest_xray"
    counts = {"train": {"NORMAL": 3, "PNEUMONIA": 4}, "valid": {"NORMAL": 1, "PNEUMONIA": 2},
              "Test": {"NORMAL": 2, "PNEUMONIA": 1}}
    for split, classes in counts.items():
        for name, count in classes.items():
            for i in range(count):
                suffix = ".jpeg" if name == "PNEUMONIA" else ".png"
                write_image(root / split / name / f"{i}{suffix}", 16 + i, 20, "L", seed=i)
    write_image(root / "__MACOSX" / "train" / "NORMAL" / "._0.png", 4, 4, "L")
    return root


def test_presplit_folders_share_the_class_order(split_dataset):
    splits, class_names = load_image_splits(split_dataset, image_size=(8, 8), color_mode="grayscale")
    assert class_names == ["NORMAL", "PNEUMONIA"]
    assert sorted(splits) == ["test", "train", "val"]
    assert splits["train"][1].tolist() == [0, 0, 0, 1, 1, 1, 1]
    assert splits["val"][1].tolist() == [0, 1, 1]
    assert splits["test"][1].tolist() == [0, 0, 1]
    for X, y in splits.values():
        assert X.shape[1:] == (8, 8, 1) and X.dtype == np.float32 and len(X) == len(y)
        assert 0 <= X.min() and X.max() <= 1


def test_presplit_rgb_and_a_split_without_a_class(split_dataset):
    shutil.rmtree(split_dataset / "valid" / "NORMAL")
    with pytest.warns(UserWarning, match="NORMAL"):
        splits, class_names = load_image_splits(split_dataset, image_size=6)
    assert splits["val"][1].tolist() == [1, 1]  # PNEUMONIA keeps label 1
    assert splits["train"][0].shape == (7, 6, 6, 3)


def test_presplit_unknown_class_is_named(split_dataset):
    write_image(split_dataset / "Test" / "COVID" / "0.png", 8, 8, "L")
    with pytest.raises(ValueError, match="classe desconhecida") as error:
        load_image_splits(split_dataset, image_size=8)
    assert str(split_dataset / "Test" / "COVID") in str(error.value)


def test_presplit_needs_a_train_folder(split_dataset, tmp_path):
    wrapper = tmp_path / "zip"
    shutil.copytree(split_dataset, wrapper / "chest_xray")
    with pytest.raises(ValueError, match="'train'") as error:
        load_image_splits(wrapper, image_size=8)
    assert "chest_xray" in str(error.value)


def test_presplit_two_folders_for_one_split(split_dataset):
    write_image(split_dataset / "val" / "NORMAL" / "0.png", 8, 8, "L")
    with pytest.raises(ValueError, match="duas pastas"):
        load_image_splits(split_dataset, image_size=8)


def test_presplit_corrupt_image_and_empty_class_are_named(split_dataset):
    bad = split_dataset / "Test" / "PNEUMONIA" / "9.jpeg"
    bad.write_bytes(b"\xff\xd8\xff" + b"\x00" * 50)
    with pytest.raises(ValueError, match="corrompido") as error:
        load_image_splits(split_dataset, image_size=8)
    assert str(bad) in str(error.value)
    bad.unlink()
    (split_dataset / "valid" / "NORMAL" / "0.png").unlink()
    with pytest.raises(ValueError, match="não tem nenhuma imagem") as error:
        load_image_splits(split_dataset, image_size=8)
    assert str(split_dataset / "valid" / "NORMAL") in str(error.value)


# --------------------------------------------------------------------------------------------
# ELPV and the split protocol
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def elpv_annotations():
    """The package's own annotations, read independently of dlhelpers."""
    pytest.importorskip("elpv_dataset")
    import elpv_dataset

    labels = Path(elpv_dataset.__file__).parent / "data" / "labels.csv"
    table = np.genfromtxt(labels, dtype=["|S19", "<f8", "|S4"], names=["path", "probability", "type"])
    return table["probability"], np.char.decode(table["type"])


def test_elpv_annotations_counts(elpv_annotations):
    probabilities, types = elpv_annotations
    assert len(probabilities) == 2624
    binary = (probabilities >= 0.5).astype(int)
    assert np.bincount(binary).tolist() == [1803, 821]
    assert np.bincount(np.rint(probabilities * 3).astype(int)).tolist() == [1508, 295, 106, 715]
    assert (types == "mono").sum() == 1074 and (types == "poly").sum() == 1550


def test_elpv_split_protocol_is_sklearns_stratified_75_25(elpv_annotations):
    from sklearn.model_selection import train_test_split

    y = (elpv_annotations[0] >= 0.5).astype(int)
    splits = stratified_split_indices(y)
    assert list(splits) == ["train", "test"]
    train, test = train_test_split(np.arange(len(y)), test_size=0.25, stratify=y, random_state=0)
    np.testing.assert_array_equal(splits["train"], train)
    np.testing.assert_array_equal(splits["test"], test)
    assert (len(splits["train"]), len(splits["test"])) == (1968, 656)
    assert np.bincount(y[splits["train"]]).tolist() == [1352, 616]
    assert np.bincount(y[splits["test"]]).tolist() == [451, 205]
    for part in splits.values():  # the defective share is the same (31.3%) in both parts
        assert abs(y[part].mean() - y.mean()) < 0.002


def test_split_with_validation_keeps_the_test_part(elpv_annotations):
    y = (elpv_annotations[0] >= 0.5).astype(int)
    plain = stratified_split_indices(y)
    splits = stratified_split_indices(y, val_size=0.2)
    assert list(splits) == ["train", "val", "test"]
    np.testing.assert_array_equal(splits["test"], plain["test"])
    assert sorted(np.concatenate(list(splits.values())).tolist()) == list(range(len(y)))
    assert (len(splits["train"]), len(splits["val"]), len(splits["test"])) == (1574, 394, 656)
    assert abs(y[splits["val"]].mean() - y.mean()) < 0.005


def test_stratified_split_of_arrays_and_bad_arguments():
    X = np.arange(40, dtype=np.float32).reshape(20, 2)
    y = np.array([0] * 12 + [1] * 8)
    splits = stratified_split(X, y, test_size=0.25, val_size=0.2, random_state=0)
    assert [len(splits[k][0]) for k in ("train", "val", "test")] == [12, 3, 5]
    rows = []
    for X_part, y_part in splits.values():
        index = (X_part[:, 0] // 2).astype(int)  # row i of X is (2i, 2i + 1)
        np.testing.assert_array_equal(y[index], y_part)
        rows.extend(index.tolist())
    assert sorted(rows) == list(range(20))
    assert [splits[k][1].sum() for k in ("train", "val", "test")] == [5, 1, 2]
    with pytest.raises(ValueError, match="test_size"):
        stratified_split_indices(y, test_size=25)
    with pytest.raises(ValueError, match="mesmo número"):
        stratified_split(X[:5], y)


@pytest.mark.slow
def test_elpv_full_load_binary_levels_and_cache(tmp_path, elpv_annotations):
    probabilities, types_expected = elpv_annotations
    X, y, types = load_elpv(image_size=96, cache_dir=tmp_path)
    assert X.shape == (2624, 96, 96, 1) and X.dtype == np.float32
    assert 0.0 <= X.min() and X.max() <= 1.0
    assert y.dtype.kind == "i" and np.bincount(y).tolist() == [1803, 821]
    np.testing.assert_array_equal(y, (probabilities >= 0.5).astype(int))
    np.testing.assert_array_equal(types, types_expected)
    (cache_file,) = (tmp_path / "elpv").glob("*96x96.npz")

    # The next load reads the cache: a pixel changed there shows up in what it returns.
    with np.load(cache_file) as stored:
        contents = dict(stored)
    contents["images"][0, 0, 0] = 255 - contents["images"][0, 0, 0]
    np.savez(cache_file, **contents)
    X_levels, y_levels, _ = load_elpv(image_size=96, label_mode="levels", cache_dir=tmp_path)
    assert X_levels[0, 0, 0, 0] != X[0, 0, 0, 0]
    np.testing.assert_array_equal(X_levels[1:], X[1:])
    assert np.bincount(y_levels).tolist() == [1508, 295, 106, 715]
    assert len(ELPV_CLASS_NAMES["levels"]) == 4 and len(ELPV_CLASS_NAMES["binary"]) == 2
    _, y_probability, _ = load_elpv(image_size=96, label_mode="probability", cache_dir=tmp_path)
    np.testing.assert_allclose(y_probability, probabilities, atol=1e-7)


@pytest.mark.slow
def test_elpv_full_size_matches_the_package(tmp_path):
    from elpv_dataset.utils import load_dataset

    images, _, _ = load_dataset()
    X, _, _ = load_elpv(cache=False)
    assert X.shape == (2624, 300, 300, 1)
    np.testing.assert_array_equal(np.rint(X[..., 0] * 255).astype(np.uint8), images)


def test_elpv_without_the_package_says_pip_install(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.setitem(sys.modules, "elpv_dataset", None)  # what Colab looks like
    with pytest.raises(ModuleNotFoundError, match="pip install elpv-dataset"):
        load_elpv(image_size=32)


def test_elpv_hidden_by_the_grader_says_why_not_pip_install(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setitem(sys.modules, "elpv_dataset", None)  # what graded code sees
    with pytest.raises(ModuleNotFoundError, match="correção automática o ELPV fica escondido") as error:
        load_elpv(image_size=32)
    assert "pip install" not in str(error.value)


def test_elpv_bad_label_mode():
    with pytest.raises(ValueError, match="label_mode"):
        load_elpv(label_mode="quatro")


# --------------------------------------------------------------------------------------------
# The cache folder and what ships to students
# --------------------------------------------------------------------------------------------

def test_default_cache_dir_inside_the_repository_and_overridden(monkeypatch, tmp_path):
    monkeypatch.delenv(data.CACHE_ENV_VAR, raising=False)
    assert default_cache_dir() == REPO_ROOT / "datasets" / "cache"
    monkeypatch.setenv(data.CACHE_ENV_VAR, str(tmp_path / "meu_cache"))
    assert default_cache_dir() == tmp_path / "meu_cache"


def run_released_helpers(tmp_path, code, env_extra=None, prefix=()):
    """Runs ``code`` against a copy of dlhelpers outside the repository, as a released
    notebook folder has it, with an empty home."""
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


def test_released_copy_caches_in_the_home_and_imports_nothing_heavy(tmp_path):
    result = run_released_helpers(tmp_path, """
        import sys
        import dlhelpers.data as data
        print(data.default_cache_dir())
        print(sorted(m for m in ("tensorflow", "keras", "solutions", "autograder", "kaggle", "sklearn")
                     if m in sys.modules))
    """)
    assert result.returncode == 0, result.stderr
    cache, imported = result.stdout.split("\n")[:2]
    assert cache == str(tmp_path / "home" / ".cache" / "dlgrade")
    assert imported == "[]"


def test_no_python_package_named_datasets():
    folder = REPO_ROOT / "datasets"
    assert not list(folder.glob("*.py")) and not (folder / "__init__.py").exists()
    cards = ["README.md", "elpv.md", "breast_cancer.md", "chest_xray_pneumonia.md", "plantvillage.md",
             "malaria_cells.md"]
    for card in cards:
        text = (folder / card).read_text(encoding="utf-8")
        assert "\n## Para estudantes\n" in text, card
        if card != "README.md":
            for section in ("Source", "License", "Classes and counts", "How to cite",
                            "Split protocol used in the course", "Pitfalls"):
                assert f"\n## {section}" in text, (card, section)
    if shutil.which("git") and (REPO_ROOT / ".git").exists():
        ignored = subprocess.run(["git", "check-ignore", "-q", "datasets/cache/x.zip"], cwd=REPO_ROOT)
        assert ignored.returncode == 0, "datasets/cache/ must be ignored by git"


# --------------------------------------------------------------------------------------------
# Kaggle
# --------------------------------------------------------------------------------------------

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
def test_kaggle_without_network_in_a_network_namespace(tmp_path):
    pytest.importorskip("kaggle")
    cache = tmp_path / "cache"
    result = run_released_helpers(tmp_path, """
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
