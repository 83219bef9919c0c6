"""The ELPV loader (dlhelpers.data.elpv) on the real package data: counts, the cache of resized
copies, the full-size images, and the messages when the package is missing or hidden by the grader."""
import sys

import numpy as np
import pytest

from dlhelpers.data import (
    ELPV_CLASS_NAMES,
    load_elpv,
)



def test_elpv_annotations_counts(elpv_annotations):
    probabilities, types = elpv_annotations
    assert len(probabilities) == 2624
    binary = (probabilities >= 0.5).astype(int)
    assert np.bincount(binary).tolist() == [1803, 821]
    assert np.bincount(np.rint(probabilities * 3).astype(int)).tolist() == [1508, 295, 106, 715]
    assert (types == "mono").sum() == 1074 and (types == "poly").sum() == 1550


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
