"""Fashion-MNIST with nnlib's training loop: the course's bar is ≥ 88 % test accuracy.

Downloads the four official files on first use (checksum-verified, cached under $NNLIB_DATA);
offline, it stops with the loader's error. Trains a 784-256-128-10 ReLU MLP with Adam, keeps
the best epoch on a validation split (early stopping), and reports test accuracy and time.

Usage: python bench/fashion_mnist.py [--epochs 30] [--threads 1]
"""

from __future__ import annotations

import argparse
import sys
import time

from _common import blas_threads, environment

import nnlib
from nnlib.data import DownloadError, load_fashion_mnist, train_val_test_split
from nnlib.train import EarlyStopping, accuracy, fit, predict


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    print(environment())
    try:
        x, y = load_fashion_mnist("train")
        x_test, y_test = load_fashion_mnist("test")
    except DownloadError as exc:
        sys.exit(f"Fashion-MNIST is not available here: {exc}")
    (x_train, y_train), (x_val, y_val), _ = train_val_test_split(x, y, val=1 / 12, test=0, rng=0)
    nnlib.manual_seed(0)
    net = nnlib.Sequential(
        nnlib.Linear(784, 256, init="he"), nnlib.ReLU(),
        nnlib.Linear(256, 128, init="he"), nnlib.ReLU(),
        nnlib.Linear(128, 10),
    )  # fmt: skip
    optimizer = nnlib.optim.Adam(net.parameters(), lr=1e-3)
    with blas_threads(args.threads):
        start = time.perf_counter()
        history = fit(net, nnlib.CrossEntropyLoss(), optimizer, x_train, y_train,
                      epochs=args.epochs, batch_size=128, validation_data=(x_val, y_val), rng=0,
                      callbacks=[EarlyStopping(monitor="val_acc", patience=5)])  # fmt: skip
        seconds = time.perf_counter() - start
    test_acc = accuracy(predict(net, x_test), y_test)
    print(f"best epoch {history.best_epoch} of {len(history)}; {seconds:.1f} s")
    print(f"test accuracy {test_acc:.4f} (bar: 0.88)")


if __name__ == "__main__":
    main()
