"""The accuracy bar of lesson 9: an nnlib MLP on the shipped 8×8 digits reaches ≥ 97 %.

Several seeds, so that the bar is met by the recipe and not by a lucky draw. The time it takes
(well under the 10 s allowed) and scikit-learn's figure on the same split are in
bench/digits.py, not here: tests do not time things.
"""

import numpy as np
import pytest

import nnlib
from nnlib.data import load_digits
from nnlib.train import accuracy, fit, predict


def train_digits(seed: int):
    (x_train, y_train), (x_test, y_test) = load_digits("train"), load_digits("test")
    nnlib.manual_seed(seed)
    net = nnlib.Sequential(nnlib.Linear(64, 128, init="he"), nnlib.ReLU(), nnlib.Linear(128, 10))
    optimizer = nnlib.optim.Adam(net.parameters(), lr=0.003)
    history = fit(net, nnlib.CrossEntropyLoss(), optimizer, x_train, y_train, epochs=40,
                  batch_size=64, rng=seed, progress=False)  # fmt: skip
    return net, history, accuracy(predict(net, x_test), y_test)


@pytest.mark.parametrize("seed", range(5))
def test_mlp_reaches_97_percent_on_the_shipped_digits(seed):
    _, history, test_accuracy = train_digits(seed)
    assert test_accuracy >= 0.97
    assert history["train_acc"][-1] > 0.99


def test_confusion_matrix_of_the_trained_digits_model():
    net, _, _ = train_digits(0)
    x_test, y_test = load_digits("test")
    counts = nnlib.metrics.confusion_matrix(y_test, predict(net, x_test).argmax(axis=1))
    assert counts.shape == (10, 10) and counts.sum() == len(y_test)
    np.testing.assert_array_equal(counts.sum(axis=1), np.bincount(y_test, minlength=10))
    assert np.trace(counts) / counts.sum() >= 0.97
