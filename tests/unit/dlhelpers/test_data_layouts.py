"""The image layouts of dlhelpers.data.layouts (issue 6) on small PNG/JPEG fixtures the tests
write: one folder per class, a CSV of file name and label, pre-split folders; every kind of bad
data and its Portuguese message naming the file; decoding (16-bit, JPEG, sizes) and the memory
warning of dlhelpers.data.images."""
import shutil

import numpy as np
import pytest

from dlhelpers.data import (
    load_image_csv,
    load_image_folder,
    load_image_splits,
)
from dlhelpers.data import images as image_decoding

from tests.support.image_files import digest, write_image


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
    monkeypatch.setattr(image_decoding, "MEMORY_WARNING_BYTES", 6 * 8 * 8 * 3 * 4 - 1)  # just below this load
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
