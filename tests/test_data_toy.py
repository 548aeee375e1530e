"""nnlib.data toy problems and helpers: shapes, seeding, geometry, noise, splits, scaling."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import nnlib
from nnlib import data

CLASSIFIERS = {  # generator -> number of classes with default arguments
    data.xor: 2,
    data.two_moons: 2,
    data.circles: 2,
    data.spirals: 2,
    data.blobs: 3,
    data.linearly_separable: 2,
}


def least_squares_accuracy(x, y):
    """Training accuracy of the best linear classifier in the least-squares sense.

    Fits w, b to the targets ±1 by least squares and predicts sign(w·x + b): no line does
    much better than this on the nonlinear problems, and on separable data it is near 1.
    """
    design = np.column_stack([x.astype(np.float64), np.ones(len(x))])
    target = np.where(y == 1, 1.0, -1.0)
    w = np.linalg.lstsq(design, target, rcond=None)[0]
    return np.mean((design @ w > 0) == (y == 1))


def perceptron_converges(x, y, epochs=100):
    """True if the perceptron rule reaches zero training errors: the data is separable."""
    design = np.column_stack([x.astype(np.float64), np.ones(len(x))])
    sign = np.where(y == 1, 1.0, -1.0)
    w = np.zeros(3)
    for _ in range(epochs):
        mistakes = 0
        for xi, si in zip(design, sign, strict=True):
            if si * (xi @ w) <= 0:
                w += si * xi
                mistakes += 1
        if mistakes == 0:
            return True
    return False


# ---------------------------------------------------------------- shapes, dtypes, seeds


@pytest.mark.parametrize("make", CLASSIFIERS, ids=lambda f: f.__name__)
def test_classification_shapes_dtypes_and_balance(make):
    for n in (1, 7, 150):
        x, y = make(n=n, rng=0)
        assert x.shape == (n, 2) and x.dtype == np.float32
        assert y.shape == (n,) and y.dtype == np.int64
        counts = np.bincount(y, minlength=CLASSIFIERS[make])
        assert len(counts) == CLASSIFIERS[make]
        assert counts.max() - counts.min() <= 1  # balanced
    x64, _ = make(n=10, rng=0, dtype=np.float64)
    assert x64.dtype == np.float64


@pytest.mark.parametrize("make", CLASSIFIERS, ids=lambda f: f.__name__)
def test_same_seed_same_data_other_seed_other_data(make):
    x1, y1 = make(n=50, rng=3)
    x2, y2 = make(n=50, rng=3)
    x3, _ = make(n=50, rng=4)
    np.testing.assert_array_equal(x1, x2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(x1, x3)
    # rng=None follows nnlib.manual_seed, as layers do
    nnlib.manual_seed(11)
    x4, _ = make(n=50)
    nnlib.manual_seed(11)
    x5, _ = make(n=50)
    np.testing.assert_array_equal(x4, x5)
    # a Generator is used as given and advanced
    g = np.random.default_rng(5)
    assert not np.array_equal(make(n=50, rng=g)[0], make(n=50, rng=g)[0])


@given(n=st.integers(1, 400), arms=st.integers(2, 6), seed=st.integers(0, 2**16))
def test_spirals_and_blobs_balance_any_class_count(n, arms, seed):
    for _, y in (data.spirals(n, arms=arms, rng=seed), data.blobs(n, classes=arms, rng=seed)):
        counts = np.bincount(y, minlength=arms)
        assert counts.sum() == n and len(counts) == arms
        assert counts.max() - counts.min() <= 1


def test_classes_are_shuffled_not_sorted():
    _, y = data.two_moons(n=200, rng=0)
    assert np.count_nonzero(np.diff(y)) > 50  # sorted labels would change class once


# ---------------------------------------------------------------- geometry


def test_line_separates_only_the_linearly_separable_set():
    x, y = data.linearly_separable(n=500, rng=1)
    assert least_squares_accuracy(x, y) > 0.97
    assert perceptron_converges(x, y)
    for make in (data.xor, data.circles, data.two_moons, data.spirals):
        xs, ys = make(n=500, rng=1)
        accuracy = least_squares_accuracy(xs, ys)
        assert accuracy < 0.92, f"{make.__name__}: a line classifies {accuracy:.0%}"
    for make in (data.xor, data.circles):  # symmetric: a line is no better than guessing
        assert least_squares_accuracy(*make(n=500, rng=1)) < 0.7


def test_linearly_separable_keeps_its_margin():
    # The classes lie at least 2·margin apart along the (unknown) normal of the true line,
    # hence at least that far apart in the plane too.
    margin = 0.2
    x, y = data.linearly_separable(n=400, margin=margin, rng=2, dtype=np.float64)
    assert perceptron_converges(x, y)
    gaps = np.linalg.norm(x[y == 1][:, None, :] - x[y == 0][None, :, :], axis=2)
    assert gaps.min() >= 2 * margin - 1e-12


def test_circles_radii_and_two_moons_shapes_without_noise():
    x, y = data.circles(n=300, noise=0.0, factor=0.3, rng=0, dtype=np.float64)
    radius = np.linalg.norm(x, axis=1)
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)

    x, y = data.two_moons(n=300, noise=0.0, rng=0, dtype=np.float64)
    np.testing.assert_allclose(np.linalg.norm(x[y == 0], axis=1), 1.0)  # upper: unit circle
    assert (x[y == 0, 1] >= 0).all()
    centre = np.array([1.0, 0.5])  # lower moon: unit circle around (1, 0.5), below it
    np.testing.assert_allclose(np.linalg.norm(x[y == 1] - centre, axis=1), 1.0)
    assert (x[y == 1, 1] <= 0.5 + 1e-12).all()


def test_xor_labels_follow_the_quadrants():
    x, y = data.xor(n=400, rng=0)
    np.testing.assert_array_equal(y, (x[:, 0] > 0) != (x[:, 1] > 0))
    assert np.abs(x).max() <= 1


def test_spiral_arms_are_rotations_of_each_other():
    x, y = data.spirals(n=600, arms=3, noise=0.0, rng=0, dtype=np.float64)
    r = np.linalg.norm(x, axis=1)
    # undo each arm's rotation 2πk/3: all points then lie on one curve, θ = 2π·r (mod 2π)
    theta = np.arctan2(x[:, 1], x[:, 0]) - 2 * np.pi * y / 3
    np.testing.assert_allclose(np.cos(theta), np.cos(2 * np.pi * r), atol=1e-9)
    np.testing.assert_allclose(np.sin(theta), np.sin(2 * np.pi * r), atol=1e-9)


def test_blobs_centres_and_spread():
    centers = np.array([[5.0, 0.0, 1.0], [-5.0, 2.0, 0.0]])
    x, y = data.blobs(n=4000, centers=centers, std=0.3, rng=0, dtype=np.float64)
    assert x.shape == (4000, 3)
    for k in range(2):
        np.testing.assert_allclose(x[y == k].mean(axis=0), centers[k], atol=0.05)
        np.testing.assert_allclose(x[y == k].std(axis=0), 0.3, rtol=0.1)


def test_logic_gates_truth_tables():
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    expected = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "xor": [0, 1, 1, 0], "nand": [1, 1, 1, 0]}
    for name, truth in expected.items():
        x, y = data.logic_gate(name)
        np.testing.assert_array_equal(x, corners)
        np.testing.assert_array_equal(y, truth)
        assert y.dtype == np.int64
        # the table is the boolean function itself
        a, b = corners[:, 0].astype(bool), corners[:, 1].astype(bool)
        fn = {"and": a & b, "or": a | b, "xor": a ^ b, "nand": ~(a & b)}[name]
        np.testing.assert_array_equal(y, fn)
    x, y = data.logic_gate("XOR", copies=25, noise=0.1, rng=0)
    assert x.shape == (100, 2) and y.shape == (100,)
    np.testing.assert_array_equal(y, np.tile(expected["xor"], 25))
    offsets = x - np.tile(corners, (25, 1))
    assert 0.07 < offsets.std() < 0.13


@pytest.mark.parametrize("name", ["sin", "abs", "step", "poly"])
def test_regression_1d(name):
    x, y = data.regression_1d(name, n=64, noise=0.0, rng=0)
    assert x.shape == y.shape == (64, 1) and x.dtype == y.dtype == np.float32
    assert (np.diff(x[:, 0]) >= 0).all() and x.min() >= -1 and x.max() <= 1
    clean = data.REGRESSION_TARGETS[name](x.astype(np.float64))
    np.testing.assert_allclose(y, clean, atol=1e-6)

    x, y = data.regression_1d(name, n=20000, noise=0.3, x_range=(0.0, 2.0), rng=1)
    assert x.min() >= 0 and x.max() <= 2
    residual = y[:, 0].astype(np.float64) - data.REGRESSION_TARGETS[name](x[:, 0].astype(float))
    assert abs(residual.std() - 0.3) < 0.01 and abs(residual.mean()) < 0.01


def test_regression_targets_have_their_shapes():
    t = data.REGRESSION_TARGETS
    x = np.linspace(-1, 1, 201)
    np.testing.assert_allclose(t["sin"](x), -t["sin"](-x))  # odd
    np.testing.assert_allclose(t["abs"](x), t["abs"](-x))  # even
    assert set(t["step"](x)) == {0.0, 1.0}
    np.testing.assert_allclose(t["poly"](x), -t["poly"](-x))


# ---------------------------------------------------------------- noise


@pytest.mark.parametrize("fraction", [0.0, 0.1, 0.25, 0.5])
def test_label_noise_flips_the_requested_fraction(fraction):
    # Without input noise the true class is known from the geometry, so the flips can be
    # counted exactly.
    x, y = data.circles(n=400, noise=0.0, label_noise=fraction, rng=0, dtype=np.float64)
    true = (np.linalg.norm(x, axis=1) < 0.75).astype(np.int64)
    assert np.count_nonzero(y != true) == round(fraction * 400)
    x, y = data.xor(n=400, label_noise=fraction, rng=0)
    true = (x[:, 0] > 0) != (x[:, 1] > 0)
    assert np.count_nonzero(y != true) == round(fraction * 400)


def test_input_noise_has_the_requested_std():
    x, y = data.circles(n=20000, noise=0.05, rng=0, dtype=np.float64)
    # radial deviation of a point with 2-D Gaussian noise of small σ is about N(0, σ²)
    deviation = np.linalg.norm(x, axis=1) - np.where(y == 0, 1.0, 0.5)
    assert abs(deviation.std() - 0.05) < 0.003


@given(
    n=st.integers(1, 300),
    k=st.integers(2, 10),
    fraction=st.floats(0, 1),
    seed=st.integers(0, 2**16),
)
def test_flip_labels_exact_count_and_always_a_different_class(n, k, fraction, seed):
    y = np.random.default_rng(seed).integers(0, k, size=n)
    flipped = data.flip_labels(y, fraction, num_classes=k, rng=seed)
    changed = flipped != y
    assert changed.sum() == round(fraction * n)
    assert flipped.dtype == np.int64 and flipped.min() >= 0 and flipped.max() < k
    assert not np.shares_memory(flipped, y)


def test_flip_labels_spreads_over_the_other_classes():
    y = np.zeros(30000, dtype=np.int64)
    flipped = data.flip_labels(y, 1.0, num_classes=4, rng=0)
    counts = np.bincount(flipped, minlength=4)
    assert counts[0] == 0
    np.testing.assert_allclose(counts[1:] / 30000, 1 / 3, atol=0.01)


def test_add_noise_std_dtype_copy_and_clip():
    x = np.full((300, 100), 0.5, dtype=np.float32)
    noisy = data.add_noise(x, 0.2, rng=0)
    assert noisy.dtype == np.float32 and noisy.shape == x.shape
    assert abs((noisy - x).std() - 0.2) < 0.005
    assert (x == 0.5).all()  # input untouched
    same = data.add_noise(x, 0.0, rng=0)
    np.testing.assert_array_equal(same, x)
    assert not np.shares_memory(same, x)
    clipped = data.add_noise(x, 1.0, rng=0, clip=(0.0, 1.0))
    assert clipped.min() == 0.0 and clipped.max() == 1.0
    assert data.add_noise(x.astype(np.float64), 0.1, rng=0).dtype == np.float64


# ---------------------------------------------------------------- bad arguments


@pytest.mark.parametrize("make", CLASSIFIERS, ids=lambda f: f.__name__)
def test_bad_n_is_rejected(make):
    with pytest.raises(ValueError, match=r"n must be at least 1, got 0"):
        make(n=0)
    with pytest.raises(ValueError, match=r"got -5"):
        make(n=-5)
    with pytest.raises(TypeError, match=r"n must be an integer, got 2.5"):
        make(n=2.5)
    with pytest.raises(TypeError, match="integer"):
        make(n=True)
    with pytest.raises(ValueError, match=r"label_noise must lie in \[0, 1\], got 1.5"):
        make(n=10, label_noise=1.5)


@pytest.mark.parametrize("bad", [-0.1, float("nan"), float("inf")])
def test_bad_noise_is_rejected(bad):
    for make in (data.xor, data.two_moons, data.circles, data.spirals, data.linearly_separable):
        with pytest.raises(ValueError, match=rf"{make.__name__}: noise is a standard deviation"):
            make(n=10, noise=bad)
    with pytest.raises(ValueError, match="standard deviation"):
        data.regression_1d("sin", noise=bad)
    with pytest.raises(ValueError, match="standard deviation"):
        data.add_noise(np.zeros(3), bad)


def test_bad_names_list_the_valid_ones_and_suggest_the_closest():
    with pytest.raises(ValueError, match=r"unknown logic gate 'nor'; did you mean 'or'\?"):
        data.logic_gate("nor")
    with pytest.raises(ValueError, match=r"valid: and, or, xor, nand"):
        data.logic_gate("implies")
    with pytest.raises(ValueError, match=r"'sine'; did you mean 'sin'\?.*sin, abs, step, poly"):
        data.regression_1d("sine")
    with pytest.raises(TypeError, match="must be a string"):
        data.logic_gate(3)


def test_other_bad_arguments():
    with pytest.raises(ValueError, match="arms must be at least 2"):
        data.spirals(arms=1)
    with pytest.raises(ValueError, match=r"factor is the inner radius, in \(0, 1\); got 1.5"):
        data.circles(factor=1.5)
    with pytest.raises(ValueError, match=r"classes=2 but 3 centers"):
        data.blobs(classes=2, centers=np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"x_range must be \(low, high\)"):
        data.regression_1d("sin", x_range=(1, -1))
    with pytest.raises(ValueError, match=r"copies must be at least 1"):
        data.logic_gate("and", copies=0)
    with pytest.raises(ValueError, match=r"labels must lie in 0..2 .* from 0 to 3"):
        data.flip_labels(np.array([0, 3]), 0.5, num_classes=3)
    with pytest.raises(ValueError, match=r"fraction must lie in \[0, 1\]"):
        data.flip_labels(np.array([0, 1]), -0.5)
    with pytest.raises(ValueError, match=r"1-D integer class labels, got dtype float64"):
        data.flip_labels(np.array([0.0, 1.0]), 0.5)
    with pytest.raises(TypeError, match=r"floating-point.*astype"):
        data.add_noise(np.arange(3), 0.1)
    with pytest.raises(ValueError, match=r"low <= high"):
        data.add_noise(np.zeros(3), 0.1, clip=(1, 0))


def test_load_dataset_finds_toys_by_name():
    x, y = data.load_dataset("Two-Moons", n=30, rng=5)
    x2, y2 = data.two_moons(n=30, rng=5)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    with pytest.raises(ValueError, match=r"unknown dataset 'spiral'; did you mean 'spirals'\?"):
        data.load_dataset("spiral")


# ---------------------------------------------------------------- train/val/test split


@given(
    counts=st.lists(st.integers(1, 60), min_size=1, max_size=6),
    val=st.sampled_from([0.0, 0.1, 0.15, 0.3]),
    test=st.sampled_from([0.0, 0.1, 0.2, 0.25]),
    seed=st.integers(0, 2**16),
)
def test_split_is_a_stratified_partition(counts, val, test, seed):
    y = np.repeat(np.arange(len(counts)), counts)
    np.random.default_rng(seed).shuffle(y)
    n = len(y)
    x = np.arange(n)  # x holds each example's index, so the parts can be traced back
    n_val, n_test = int(np.ceil(val * n)), int(np.ceil(test * n))
    if n_val + n_test >= n:
        with pytest.raises(ValueError, match="leave no training examples"):
            data.train_val_test_split(x, y, val=val, test=test, rng=seed)
        return
    parts = data.train_val_test_split(x, y, val=val, test=test, rng=seed)
    (x_tr, _), (x_va, y_va), (x_te, y_te) = parts
    assert (len(x_va), len(x_te), len(x_tr)) == (n_val, n_test, n - n_val - n_test)
    # a partition: every example in exactly one part, with its own label
    np.testing.assert_array_equal(np.sort(np.concatenate([x_tr, x_va, x_te])), x)
    for xs, ys in parts:
        np.testing.assert_array_equal(y[xs], ys)
        assert (np.diff(xs) > 0).all()  # original order kept
    # stratified: each class contributes its share (test first, then validation of the rest)
    for c, size in enumerate(counts):
        assert abs(np.count_nonzero(y_te == c) - size * n_test / n) < 1
        rest = size - np.count_nonzero(y_te == c)
        assert abs(np.count_nonzero(y_va == c) - rest * n_val / (n - n_test)) < 1


def test_split_is_seeded_and_random():
    x = np.random.default_rng(0).normal(size=(100, 3))
    y = np.arange(100) % 4
    a = data.train_val_test_split(x, y, val=0.2, test=0.2, rng=7)
    b = data.train_val_test_split(x, y, val=0.2, test=0.2, rng=7)
    c = data.train_val_test_split(x, y, val=0.2, test=0.2, rng=8)
    for (xa, ya), (xb, yb) in zip(a, b, strict=True):
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ya, yb)
    assert not np.array_equal(a[2][0], c[2][0])


def test_split_of_regression_targets_is_not_stratified():
    x, y = data.regression_1d("sin", n=50, rng=0)
    (x_tr, _), (x_va, _), (x_te, y_te) = data.train_val_test_split(x, y, test=0.3, rng=0)
    assert (len(x_tr), len(x_va), len(x_te)) == (35, 0, 15)
    assert y_te.shape == (15, 1) and x_va.shape == (0, 1)
    with pytest.raises(ValueError, match=r"stratify=True needs integer class labels"):
        data.train_val_test_split(x, y, test=0.3, stratify=True)


def test_split_errors():
    with pytest.raises(ValueError, match=r"x has 5 examples but y has 4"):
        data.train_val_test_split(np.zeros((5, 2)), np.zeros(4, dtype=int))
    with pytest.raises(ValueError, match=r"test must lie in \[0, 1\], got 1.2"):
        data.train_val_test_split(np.zeros((5, 2)), np.zeros(5, dtype=int), test=1.2)
    with pytest.raises(ValueError, match=r"leave no training examples \(3 validation \+ 2 test\)"):
        data.train_val_test_split(np.zeros((5, 2)), np.zeros(5, dtype=int), val=0.5, test=0.3)


# ---------------------------------------------------------------- standardize, one_hot


def test_standardize_fits_on_train_only_and_keeps_dtype():
    rng = np.random.default_rng(0)
    train = (rng.normal(size=(500, 4)) * [1, 10, 0.1, 0] + [0, 5, -3, 7]).astype(np.float32)
    test = train[:50] + 1.0
    train_s, test_s, scaler = data.standardize(train, test)
    assert train_s.dtype == test_s.dtype == np.float32
    np.testing.assert_allclose(train_s.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(train_s.std(axis=0)[:3], 1, rtol=1e-4)
    # the constant feature is centred, not divided by zero
    np.testing.assert_array_equal(train_s[:, 3], 0)
    # test data moved by +1 is transformed with the TRAINING statistics
    shift = np.broadcast_to(1.0 / scaler.std, (50, 4))
    np.testing.assert_allclose(test_s - train_s[:50], shift, rtol=1e-3)
    np.testing.assert_allclose(scaler.inverse_transform(test_s), test, rtol=1e-5, atol=1e-5)
    assert scaler.mean.shape == scaler.std.shape == (4,)


def test_standardizer_errors():
    scaler = data.Standardizer()
    with pytest.raises(RuntimeError, match="call fit"):
        scaler.transform(np.zeros((2, 3)))
    scaler.fit(np.random.default_rng(0).normal(size=(10, 3)))
    with pytest.raises(ValueError, match=r"x of shape \(2, 4\) .* fitted on features of shape"):
        scaler.transform(np.zeros((2, 4)))
    with pytest.raises(TypeError, match=r"floating-point.*astype"):
        data.standardize(np.arange(6).reshape(3, 2))
    with pytest.raises(ValueError, match="at least one example"):
        data.Standardizer().fit(np.zeros((0, 3)))


def test_one_hot():
    y = np.array([2, 0, 1, 2])
    encoded = data.one_hot(y)
    assert encoded.shape == (4, 3) and encoded.dtype == np.float32
    np.testing.assert_array_equal(encoded.sum(axis=1), 1)
    np.testing.assert_array_equal(encoded.argmax(axis=1), y)
    assert data.one_hot(y, 5, dtype=np.float64).shape == (4, 5)
    with pytest.raises(ValueError, match=r"label 2 is out of range for 2 classes \(0..1\)"):
        data.one_hot(y, 2)
    with pytest.raises(ValueError, match=r"label -1 is out of range"):
        data.one_hot(np.array([0, -1]), 3)
    with pytest.raises(ValueError, match=r"already one-hot\?"):
        data.one_hot(encoded)
    with pytest.raises(ValueError, match="num_classes must be a positive integer"):
        data.one_hot(y, 0)


# ---------------------------------------------------------------- augmentation


def shift_one(image, dy, dx):
    """Reference: image moved dy rows down and dx columns right, zeros coming in."""
    out = np.zeros_like(image)
    h, w = image.shape
    for r in range(h):
        for c in range(w):
            if 0 <= r - dy < h and 0 <= c - dx < w:
                out[r, c] = image[r - dy, c - dx]
    return out


@given(k=st.integers(0, 3), seed=st.integers(0, 2**16))
def test_random_shift_moves_each_image_by_an_offset_within_k(k, seed):
    rng = np.random.default_rng(seed)
    images = rng.uniform(0.1, 1.0, size=(12, 6, 7)).astype(np.float32)  # no zero pixels
    shifted = data.random_shift(images, max_shift=k, rng=seed, image_shape=(6, 7))
    assert shifted.shape == images.shape and shifted.dtype == np.float32
    offsets = []
    for image, moved in zip(images, shifted, strict=True):
        matches = [
            (dy, dx)
            for dy in range(-k, k + 1)
            for dx in range(-k, k + 1)
            if np.array_equal(moved, shift_one(image, dy, dx))
        ]
        assert len(matches) == 1, "each output must be its input moved by one offset in -k..k"
        offsets.append(matches[0])
    if k > 0:
        assert len(set(offsets)) > 1  # each image gets its own offset


def test_random_shift_flat_and_square_images_agree():
    images = np.random.default_rng(0).uniform(size=(20, 8, 8))
    square = data.random_shift(images, 2, rng=3)
    flat = data.random_shift(images.reshape(20, 64), 2, rng=3)
    assert flat.shape == (20, 64)
    np.testing.assert_array_equal(flat.reshape(20, 8, 8), square)
    assert square.sum() <= images.sum()  # pixels only leave the frame, zeros come in


def test_random_shift_errors():
    with pytest.raises(ValueError, match=r"63 pixels per image is not a square; pass image_shape"):
        data.random_shift(np.zeros((2, 63)))
    with pytest.raises(
        ValueError, match=r"image_shape=\(4, 4\) has 16 pixels, but the images have 20"
    ):
        data.random_shift(np.zeros((2, 20)), image_shape=(4, 4))
    with pytest.raises(
        ValueError, match=r"image_shape=\(3, 3\) but the images have shape \(4, 4\)"
    ):
        data.random_shift(np.zeros((2, 4, 4)), image_shape=(3, 3))
    with pytest.raises(ValueError, match=r"\(N, H, W\) or \(N, H\*W\)"):
        data.random_shift(np.zeros(5))
    with pytest.raises(ValueError, match="max_shift must be at least 0"):
        data.random_shift(np.zeros((2, 4, 4)), max_shift=-1)


def test_augment_images_shifts_adds_noise_and_clips():
    images, _ = data.load_digits("test")
    out = data.augment_images(images, max_shift=1, noise=0.1, rng=0)
    assert out.shape == images.shape and out.dtype == np.float32
    assert out.min() >= 0 and out.max() <= 1
    assert not np.array_equal(out, images)
    plain = data.augment_images(images, max_shift=0, noise=0.0, rng=0)
    np.testing.assert_array_equal(plain, images)
    assert not np.shares_memory(plain, images)
    unclipped = data.augment_images(images, max_shift=0, noise=0.3, rng=0, clip=None)
    assert unclipped.min() < 0 < 1 < unclipped.max()
    with pytest.raises(TypeError, match="floating-point pixels"):
        data.augment_images(np.zeros((2, 8, 8), dtype=np.uint8))
