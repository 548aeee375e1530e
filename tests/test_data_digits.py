"""The shipped 8×8 digits: content, fixed split, packaging, agreement with scikit-learn's copy."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import nnlib
from nnlib import data

ROOT = Path(__file__).resolve().parents[1]


def rows_sorted(x, y):
    """(image, label) rows in a canonical order, to compare collections as multisets."""
    table = np.column_stack([x, y])
    return table[np.lexsort(table.T[::-1])]


def test_shapes_dtypes_and_pixel_range():
    x, y = data.load_digits()
    assert x.shape == (1797, 64) and x.dtype == np.float32
    assert y.shape == (1797,) and y.dtype == np.int64
    assert x.min() == 0.0 and x.max() == 1.0
    # pixels were counts 0..16 of a 4×4 block, divided by 16
    np.testing.assert_array_equal(x * 16, np.round(x * 16))
    images, y2 = data.load_digits(flatten=False)
    assert images.shape == (1797, 8, 8)
    np.testing.assert_array_equal(images.reshape(1797, 64), x)
    np.testing.assert_array_equal(y2, y)


def test_about_180_of_each_digit():
    _, y = data.load_digits()
    counts = np.bincount(y)
    assert len(counts) == 10 and counts.sum() == 1797
    assert counts.min() >= 170 and counts.max() <= 190


def test_images_match_their_labels():
    # Nearest class mean, fitted on the training split, scores far above the 10% of chance on
    # the test split only if every image sits beside its own label.
    x_tr, y_tr = data.load_digits("train")
    x_te, y_te = data.load_digits("test")
    means = np.stack([x_tr[y_tr == d].mean(axis=0) for d in range(10)])
    distance = ((x_te[:, None, :] - means[None]) ** 2).sum(axis=2)
    assert np.mean(distance.argmin(axis=1) == y_te) > 0.85


def test_fixed_split_sizes_partition_and_strata():
    x, y = data.load_digits()
    x_tr, y_tr = data.load_digits("train")
    x_te, y_te = data.load_digits("test")
    assert (len(x_tr), len(x_te)) == (1437, 360)
    assert x_tr.shape[1:] == x_te.shape[1:] == (64,) and y_te.dtype == np.int64
    # train and test together are exactly the whole set, each image used once
    np.testing.assert_array_equal(
        rows_sorted(np.concatenate([x_tr, x_te]), np.concatenate([y_tr, y_te])), rows_sorted(x, y)
    )
    # stratified: every digit gives 20% of its images to the test set (rounded)
    for digit, count in enumerate(np.bincount(y)):
        assert abs(np.count_nonzero(y_te == digit) - 0.2 * count) < 1


def test_split_is_reproducible_whatever_the_global_seed():
    nnlib.manual_seed(1)
    first = data.load_digits("test")
    nnlib.manual_seed(2)
    second = data.load_digits("TEST")
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


def test_stored_split_is_the_documented_one():
    # DIGITS_LICENSE.md says how the stored split was drawn; that recipe must reproduce it.
    x, y = data.load_digits()
    _, _, (x_te, y_te) = data.train_val_test_split(x, y, test=0.2, rng=0)
    x_stored, y_stored = data.load_digits("test")
    np.testing.assert_array_equal(x_te, x_stored)
    np.testing.assert_array_equal(y_te, y_stored)
    license_text = (ROOT / "nnlib/data/files/DIGITS_LICENSE.md").read_text()
    assert "train_val_test_split(np.arange(1797), labels, test=0.2, rng=0)" in license_text


def test_load_dataset_and_bad_split():
    x, y = data.load_dataset("digits", split="train")
    x2, y2 = data.load_digits("train")
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    with pytest.raises(ValueError, match=r"unknown digits split 'val'.*\(valid: train, test\)"):
        data.load_digits("val")


def test_licence_gives_attribution():
    text = (ROOT / "nnlib/data/files/DIGITS_LICENSE.md").read_text()
    for needed in ("Alpaydin", "Kaynak", "UCI", "1998", "10.24432/C50P49", "CC BY 4.0"):
        assert needed in text


def test_data_files_are_declared_as_package_data():
    tomllib = pytest.importorskip("tomllib")  # Python >= 3.11
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["nnlib"]
    package = ROOT / "nnlib"
    shipped = {p for pattern in patterns for p in package.glob(pattern)}
    for name in ("digits.npz", "DIGITS_LICENSE.md"):
        assert package / "data" / "files" / name in shipped


def test_loading_digits_needs_neither_sklearn_nor_pooch():
    code = (
        "import sys, nnlib.data\n"
        "x, y = nnlib.data.load_digits('test')\n"
        "print(len(x), 'sklearn' in sys.modules, 'pooch' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["360", "False", "False"]


def test_same_data_as_scikit_learn():
    datasets = pytest.importorskip("sklearn.datasets")  # an optional cross-check only
    reference = datasets.load_digits()
    x, y = data.load_digits()
    np.testing.assert_array_equal(x * 16, reference.data)
    np.testing.assert_array_equal(y, reference.target)
    np.testing.assert_array_equal(data.load_digits(flatten=False)[0] * 16, reference.images)
