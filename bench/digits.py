"""The shipped 8×8 digits: nnlib's MLP against scikit-learn's MLPClassifier on the same split.

Reports test accuracy and training time of each, median over seeds, single-threaded BLAS.
The course's bar: nnlib ≥ 97 % test accuracy in ≤ 10 s (tests/test_digits.py asserts the
accuracy; the time is measured here).

Usage: python bench/digits.py [--seeds 5] [--threads 1]
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

from _common import blas_threads, environment

import nnlib
from nnlib.data import load_digits
from nnlib.train import accuracy, fit, predict

HIDDEN, EPOCHS, BATCH, LR = 128, 40, 64, 0.003


def nnlib_run(seed, x_train, y_train, x_test, y_test):
    nnlib.manual_seed(seed)
    net = nnlib.Sequential(
        nnlib.Linear(64, HIDDEN, init="he"), nnlib.ReLU(), nnlib.Linear(HIDDEN, 10)
    )
    optimizer = nnlib.optim.Adam(net.parameters(), lr=LR)
    start = time.perf_counter()
    fit(net, nnlib.CrossEntropyLoss(), optimizer, x_train, y_train, epochs=EPOCHS,
        batch_size=BATCH, rng=seed, progress=False)  # fmt: skip
    seconds = time.perf_counter() - start
    return accuracy(predict(net, x_test), y_test), seconds


def sklearn_run(seed, x_train, y_train, x_test, y_test):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=(HIDDEN,), solver="adam", learning_rate_init=LR, batch_size=BATCH,
        max_iter=EPOCHS, alpha=0.0, random_state=seed, n_iter_no_change=EPOCHS + 1,
    )  # fmt: skip
    start = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(x_train, y_train)
    seconds = time.perf_counter() - start
    return float((clf.predict(x_test) == y_test).mean()), seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    print(environment())
    data = (*load_digits("train"), *load_digits("test"))
    print(
        f"digits: {len(data[0])} train / {len(data[2])} test; {HIDDEN} ReLU hidden units, "
        f"Adam lr={LR}, batch {BATCH}, {EPOCHS} epochs; BLAS threads: {args.threads}"
    )
    with blas_threads(args.threads):
        for name, run in (("nnlib", nnlib_run), ("sklearn", sklearn_run)):
            results = [run(seed, *data) for seed in range(args.seeds)]
            accs, secs = zip(*results, strict=True)
            print(
                f"  {name:<8} test accuracy median {statistics.median(accs):.4f} "
                f"(min {min(accs):.4f}, max {max(accs):.4f}); "
                f"training time median {statistics.median(secs):.3f} s"
            )


if __name__ == "__main__":
    main()
