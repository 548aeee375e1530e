"""Training speed of nnlib against PyTorch (CPU) and scikit-learn, measured in one run.

Two workloads, each with the same single- (or n-) threaded BLAS for every contender:

1. One epoch of a 784-256-128-10 ReLU MLP (softmax cross-entropy, SGD with momentum 0.9,
   batch 128, float32) on synthetic 60 000 × 784 data: the median of ``--epochs`` epochs after
   one warm-up epoch. nnlib is timed twice, with and without the gradient with respect to the
   input data (``net.backward(g, input_grad=False)``, what PyTorch does for data).
2. One full training step (forward, loss, backward, SGD step) of a tiny 2-16-16-1 tanh network
   on 200 points, nnlib against PyTorch autograd: the median over many steps.

Usage: python bench/mlp.py [--threads 1] [--epochs 5] [--quick]
Needs: pip install -e ".[bench]" && pip install torch==2.13.0
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
from _common import blas_threads, environment, median_time

import nnlib

N, D, H1, H2, C, BATCH, LR, MOMENTUM = 60_000, 784, 256, 128, 10, 128, 0.01, 0.9


def synthetic_data(n: int, seed: int = 0):
    """Inputs in [0, 1] like pixel intensities, labels from a random linear teacher."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, D), dtype=np.float32)
    teacher = rng.standard_normal((D, C)).astype(np.float32)
    y = (x @ teacher).argmax(axis=1)
    return x, y


# -- nnlib ---------------------------------------------------------------------------------


def nnlib_epoch_fn(x, y, input_grad: bool):
    nnlib.manual_seed(0)
    net = nnlib.Sequential(
        nnlib.Linear(D, H1, init="he"), nnlib.ReLU(),
        nnlib.Linear(H1, H2, init="he"), nnlib.ReLU(),
        nnlib.Linear(H2, C),
    )  # fmt: skip
    loss_fn = nnlib.CrossEntropyLoss()
    opt = nnlib.optim.SGD(net.parameters(), lr=LR, momentum=MOMENTUM)
    rng = np.random.default_rng(1)

    def epoch():
        order = rng.permutation(len(x))
        for start in range(0, len(x), BATCH):
            idx = order[start : start + BATCH]
            loss = loss_fn(net(x[idx]), y[idx])
            opt.zero_grad()
            net.backward(loss_fn.backward(), input_grad=input_grad)
            opt.step()
        return loss

    return epoch


def nnlib_tiny_step_fn(x, t):
    nnlib.manual_seed(0)
    net = nnlib.Sequential(
        nnlib.Linear(2, 16), nnlib.Tanh(), nnlib.Linear(16, 16), nnlib.Tanh(), nnlib.Linear(16, 1)
    )
    loss_fn = nnlib.BCEWithLogitsLoss()
    opt = nnlib.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)

    def step():
        loss_fn(net(x), t)
        opt.zero_grad()
        net.backward(loss_fn.backward(), input_grad=False)
        opt.step()

    return step


# -- the same computations in plain NumPy, without Module/Parameter/Optimizer ----------------
# What nnlib's abstractions cost is the difference between these and the nnlib timings. The
# arithmetic, memory layouts and BLAS calls are the same as nnlib's, written out inline.


def numpy_mlp_epoch_fn(x, y):
    nnlib.manual_seed(0)
    layers = [nnlib.Linear(D, H1, init="he"), nnlib.Linear(H1, H2, init="he"), nnlib.Linear(H2, C)]
    params = [a for layer in layers for a in (layer.weight.data, layer.bias.data)]
    buffers = [np.zeros_like(p) for p in params]
    rng = np.random.default_rng(1)
    ones = np.ones(BATCH, dtype=np.float32)

    def step(xb, yb):
        w1, b1, w2, b2, w3, b3 = params
        n = len(xb)
        z1 = np.dot(xb, w1.T)
        z1 += b1
        m1 = (z1 > 0).astype(np.float32)
        h1 = z1 * m1
        z2 = np.dot(h1, w2.T)
        z2 += b2
        m2 = (z2 > 0).astype(np.float32)
        h2 = z2 * m2
        z3 = np.dot(h2, w3.T)
        z3 += b3
        p = np.exp(z3 - z3.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(n), yb] -= 1
        p *= np.float32(1 / n)  # dL/dz3
        o = ones[:n]
        g2 = np.dot(p, w3) * m2
        g1 = np.dot(g2, w2) * m1
        grads = [np.dot(xb.T, g1).T, np.dot(o, g1), np.dot(h1.T, g2).T, np.dot(o, g2),
                 np.dot(h2.T, p).T, np.dot(o, p)]  # fmt: skip
        for param, grad, buf in zip(params, grads, buffers, strict=True):
            buf *= MOMENTUM
            buf += grad
            param -= LR * buf

    def epoch():
        order = rng.permutation(len(x))
        for start in range(0, len(x), BATCH):
            idx = order[start : start + BATCH]
            step(x[idx], y[idx])

    return epoch


def numpy_tiny_step_fn(x, t):
    nnlib.manual_seed(0)
    layers = [nnlib.Linear(2, 16), nnlib.Linear(16, 16), nnlib.Linear(16, 1)]
    params = [a for layer in layers for a in (layer.weight.data, layer.bias.data)]
    buffers = [np.zeros_like(p) for p in params]
    ones = np.ones(len(x), dtype=np.float32)
    scale = np.float32(1 / len(x))

    def step():
        w1, b1, w2, b2, w3, b3 = params
        z1 = np.dot(x, w1.T)
        z1 += b1
        h1 = np.tanh(z1)
        z2 = np.dot(h1, w2.T)
        z2 += b2
        h2 = np.tanh(z2)
        z3 = np.dot(h2, w3.T)
        z3 += b3
        softplus = np.logaddexp(0, z3)
        _loss = (softplus - t * z3).sum() * scale
        g3 = np.exp(z3 - softplus)  # σ(z3)
        g3 -= t
        g3 *= scale
        g2 = np.dot(g3, w3) * (1 - h2 * h2)
        g1 = np.dot(g2, w2) * (1 - h1 * h1)
        grads = [np.dot(x.T, g1).T, np.dot(ones, g1), np.dot(h1.T, g2).T, np.dot(ones, g2),
                 np.dot(h2.T, g3).T, np.dot(ones, g3)]  # fmt: skip
        for param, grad, buf in zip(params, grads, buffers, strict=True):
            buf *= 0.9
            buf += grad
            param -= 0.1 * buf

    return step


# -- PyTorch --------------------------------------------------------------------------------


def torch_epoch_fn(x, y):
    import torch

    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(D, H1), torch.nn.ReLU(),
        torch.nn.Linear(H1, H2), torch.nn.ReLU(),
        torch.nn.Linear(H2, C),
    )  # fmt: skip
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(net.parameters(), lr=LR, momentum=MOMENTUM)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    gen = torch.Generator().manual_seed(1)

    def epoch():
        order = torch.randperm(len(xt), generator=gen)
        for start in range(0, len(xt), BATCH):
            idx = order[start : start + BATCH]
            loss = loss_fn(net(xt[idx]), yt[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        return loss.item()

    return epoch


def torch_tiny_step_fn(x, t):
    import torch

    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(2, 16), torch.nn.Tanh(),
        torch.nn.Linear(16, 16), torch.nn.Tanh(),
        torch.nn.Linear(16, 1),
    )  # fmt: skip
    loss_fn = torch.nn.BCEWithLogitsLoss()
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    xt, tt = torch.from_numpy(x), torch.from_numpy(t)

    def step():
        loss = loss_fn(net(xt), tt)
        opt.zero_grad()
        loss.backward()
        opt.step()

    return step


# -- scikit-learn ---------------------------------------------------------------------------


def sklearn_epoch_fn(x, y):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=(H1, H2), activation="relu", solver="sgd", alpha=0.0,
        batch_size=BATCH, learning_rate_init=LR, momentum=MOMENTUM, nesterovs_momentum=False,
        shuffle=True, random_state=0,
    )  # fmt: skip
    classes = np.arange(C)

    def epoch():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.partial_fit(x, y, classes=classes)  # one pass over the data in mini-batches
        return clf.loss_

    return epoch


# -- driver -----------------------------------------------------------------------------------


def time_steps(step, n_steps: int, repeats: int) -> float:
    """Median seconds per step over ``repeats`` runs of ``n_steps`` steps."""

    def run():
        for _ in range(n_steps):
            step()

    median, _ = median_time(run, repeats, warmup=1)
    return median / n_steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads for every contender")
    parser.add_argument("--epochs", type=int, default=5, help="timed epochs (after one warm-up)")
    parser.add_argument("--quick", action="store_true", help="6 000 examples instead of 60 000")
    parser.add_argument("--skip", nargs="*", default=[], choices=["torch", "sklearn"])
    args = parser.parse_args()

    print(environment())
    print(f"BLAS threads: {args.threads}")
    n = N // 10 if args.quick else N
    x, y = synthetic_data(n)
    contenders = {
        "nnlib": nnlib_epoch_fn(x, y, input_grad=False),
        "nnlib (with input grad)": nnlib_epoch_fn(x, y, input_grad=True),
        "plain NumPy": numpy_mlp_epoch_fn(x, y),
    }
    if "torch" not in args.skip:
        contenders["torch"] = torch_epoch_fn(x, y)
    if "sklearn" not in args.skip:
        contenders["sklearn"] = sklearn_epoch_fn(x, y)

    results = {}
    with blas_threads(args.threads):
        print(
            f"\n784-{H1}-{H2}-10 MLP, {n} examples, batch {BATCH}: median of {args.epochs} epochs"
        )
        for name, epoch in contenders.items():
            t0 = time.perf_counter()
            median, times = median_time(epoch, args.epochs, warmup=1)
            results[name] = median
            spread = f"min {min(times):.3f} max {max(times):.3f}"
            print(
                f"  {name:<24} {median:7.3f} s/epoch   ({spread}; {time.perf_counter() - t0:.0f} s)"
            )
        for ref in ("torch", "sklearn", "plain NumPy"):
            if ref in results:
                print(f"  nnlib / {ref:<11} = {results['nnlib'] / results[ref]:.3f}")
        saving = 1 - results["nnlib"] / results["nnlib (with input grad)"]
        print(f"  skipping the input gradient saves {100 * saving:.1f} % of an epoch")

        rng = np.random.default_rng(0)
        xs = rng.standard_normal((200, 2)).astype(np.float32)
        ts = (xs[:, :1] * xs[:, 1:] > 0).astype(np.float32)
        print("\n2-16-16-1 tanh net, 200 points: one full training step (median)")
        tiny = {
            "nnlib": time_steps(nnlib_tiny_step_fn(xs, ts), 2000, 7),
            "plain NumPy": time_steps(numpy_tiny_step_fn(xs, ts), 2000, 7),
        }
        if "torch" not in args.skip:
            tiny["torch"] = time_steps(torch_tiny_step_fn(xs, ts), 2000, 7)
        for name, sec in tiny.items():
            print(f"  {name:<24} {1e6 * sec:7.1f} µs/step")
        for ref in ("torch", "plain NumPy"):
            if ref in tiny:
                print(f"  nnlib / {ref:<11} = {tiny['nnlib'] / tiny[ref]:.3f}")
    return results, tiny


if __name__ == "__main__":
    main()
