"""The course's split protocol (dlhelpers.data.splits): scikit-learn's stratified 75/25 with
random_state=0 on the ELPV labels, the validation part, and arrays."""

import numpy as np
import pytest

from dlhelpers.data import (
    stratified_split,
    stratified_split_indices,
)



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
