"""End-to-end behaviour: small networks learn what they should."""

import numpy as np

import nnlib


def train(net, loss_fn, x, y, optimizer, steps):
    for _ in range(steps):
        loss = loss_fn(net(x), y)
        optimizer.zero_grad()
        net.backward(loss_fn.backward())
        optimizer.step()
    return loss


def test_a_2_2_1_tanh_net_learns_xor():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    t = np.array([[0], [1], [1], [0]], dtype=np.float64)
    net = nnlib.Sequential(
        nnlib.Linear(2, 2, rng=3, dtype=np.float64),
        nnlib.Tanh(),
        nnlib.Linear(2, 1, rng=4, dtype=np.float64),
    )
    loss = train(
        net,
        nnlib.BCEWithLogitsLoss(),
        x,
        t,
        nnlib.optim.SGD(net.parameters(), lr=0.5, momentum=0.9),
        500,
    )
    predictions = (net(x) > 0).astype(float)
    np.testing.assert_array_equal(predictions, t)
    assert loss < 0.05


def test_an_mlp_overfits_50_random_examples():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((50, 20)).astype(np.float32)
    y = rng.integers(0, 5, 50)  # random labels: only memorisation can fit them
    nnlib.manual_seed(0)
    net = nnlib.Sequential(nnlib.Linear(20, 64, init="he"), nnlib.ReLU(), nnlib.Linear(64, 5))
    train(net, nnlib.CrossEntropyLoss(), x, y, nnlib.optim.Adam(net.parameters(), lr=0.01), 300)
    accuracy = (net(x).argmax(axis=1) == y).mean()
    assert accuracy == 1.0


def test_initial_softmax_loss_is_about_log_c():
    rng = np.random.default_rng(0)
    for c in (3, 10, 50):
        x = rng.standard_normal((500, 64)).astype(np.float32)
        net = nnlib.Sequential(
            nnlib.Linear(64, 128, init="he", rng=1),
            nnlib.ReLU(),
            nnlib.Linear(128, c, init="small", rng=2),
        )
        loss = nnlib.CrossEntropyLoss()(net(x), rng.integers(0, c, 500))
        assert abs(loss - np.log(c)) < 0.02 * np.log(c), (c, loss)
