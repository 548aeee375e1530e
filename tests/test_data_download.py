"""IDX parsing, and the MNIST/Fashion-MNIST download path against a real local HTTP server.

No test touches the internet: the official mirrors are replaced by a closed local port, and
the files are small IDX files generated here, served by http.server on 127.0.0.1.
"""

import gzip
import hashlib
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nnlib import data
from nnlib.data import download

CODES = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C}
CODES.update({np.float32: 0x0D, np.float64: 0x0E})
FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of ``array``, written independently of nnlib's reader."""
    code = CODES[array.dtype.type]
    header = bytes([0, 0, code, array.ndim]) + b"".join(
        int(size).to_bytes(4, "big") for size in array.shape
    )
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def closed_port_url() -> str:
    """A URL on a local port that nothing listens on (connections are refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


# ---------------------------------------------------------------- read_idx


@given(
    dtype=st.sampled_from(list(CODES)),
    shape=st.lists(st.integers(0, 5), min_size=1, max_size=4),
    gzipped=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_read_idx_round_trip(dtype, shape, gzipped, seed):
    rng = np.random.default_rng(seed)
    array = (rng.normal(size=shape) * 100).astype(dtype)
    raw = idx_bytes(array)
    parsed = data.read_idx(gzip.compress(raw) if gzipped else raw)
    assert parsed.shape == array.shape and parsed.dtype == np.dtype(dtype)
    assert parsed.dtype.isnative and parsed.flags.writeable
    np.testing.assert_array_equal(parsed, array)


def test_read_idx_from_a_path_gz_or_raw(tmp_path):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    (tmp_path / "a.gz").write_bytes(gzip.compress(idx_bytes(images)))
    (tmp_path / "b").write_bytes(idx_bytes(images))
    np.testing.assert_array_equal(data.read_idx(tmp_path / "a.gz"), images)
    np.testing.assert_array_equal(data.read_idx(str(tmp_path / "b")), images)
    # the header really is big-endian: 2, 3, 4 as 4-byte integers after the magic 00 00 08 03
    assert idx_bytes(images)[:16].hex() == "00000803" + "00000002" + "00000003" + "00000004"


@given(cut=st.integers(0, 10_000), gzipped=st.booleans())
def test_truncated_idx_is_an_error(cut, gzipped):
    raw = idx_bytes(np.arange(3 * 7 * 7, dtype=np.int16).reshape(3, 7, 7))
    blob = gzip.compress(raw) if gzipped else raw
    cut %= len(blob)  # every proper prefix, from empty to one byte short
    with pytest.raises(data.IDXError, match="truncated"):
        data.read_idx(blob[:cut])


def test_corrupt_idx_errors_say_what_is_wrong():
    good = idx_bytes(np.zeros((2, 3), dtype=np.uint8))
    with pytest.raises(data.IDXError, match=r"bad magic number 0x50 ?4b0304"):
        data.read_idx(b"PK\x03\x04" + good[4:])  # a zip file, say
    with pytest.raises(data.IDXError, match=r"unknown IDX type code 0x07"):
        data.read_idx(b"\x00\x00\x07\x02" + good[4:])
    with pytest.raises(data.IDXError, match=r"shape \(2, 3\) .* the file has trailing bytes"):
        data.read_idx(good + b"\x00")
    corrupt = bytearray(gzip.compress(good))
    corrupt[-8] ^= 0xFF  # a bit flipped in the CRC
    with pytest.raises(data.IDXError, match="damaged gzip data"):
        data.read_idx(bytes(corrupt))
    with pytest.raises(TypeError, match="expected a path or bytes, got int"):
        data.read_idx(3)
    assert issubclass(data.IDXError, ValueError)


# ---------------------------------------------------------------- a local mirror


class Mirror(ThreadingHTTPServer):
    """Serves files from ``root``; logs each request; can cut chosen files short."""

    def __init__(self, root):
        super().__init__(("127.0.0.1", 0), MirrorHandler)
        self.root = root
        self.requests: list[str] = []
        self.cut_short: set[str] = set()
        self.url = f"http://127.0.0.1:{self.server_address[1]}/"

    def count(self, name: str) -> int:
        return sum(path.endswith("/" + name) for path in self.requests)


class MirrorHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.requests.append(self.path)
        file = self.server.root / self.path.lstrip("/")
        if not file.is_file():
            self.send_error(404)
            return
        body = file.read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if file.name in self.server.cut_short:
            body = body[: len(body) // 2]  # announce it all, send half, hang up
        self.wfile.write(body)

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def mirror(tmp_path):
    server = Mirror(tmp_path / "mirror")
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def offline_sandbox(tmp_path, monkeypatch):
    """Cache in tmp_path; official mirrors replaced by a dead local port; no proxy for 127.0.0.1."""
    monkeypatch.setenv("NNLIB_DATA", str(tmp_path / "cache"))
    monkeypatch.delenv("NNLIB_DATA_URL", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    for name in download.MIRRORS:
        monkeypatch.setitem(download.MIRRORS, name, (closed_port_url(),))
    return tmp_path / "cache"


@pytest.fixture
def published(mirror, monkeypatch):
    """Small MNIST-format files for both data sets on the mirror, their hashes registered.

    Returns {dataset: {split: (images uint8 (N, 28, 28), labels uint8 (N,))}}.
    """
    rng = np.random.default_rng(0)
    content = {}
    for dataset in ("mnist", "fashion_mnist"):
        folder = mirror.root / dataset
        folder.mkdir(parents=True)
        checksums, content[dataset] = {}, {}
        for split, n in (("train", 20), ("test", 10)):
            images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
            labels = rng.integers(0, 10, size=n, dtype=np.uint8)
            content[dataset][split] = images, labels
            for name, array in zip(FILES[split], (images, labels), strict=True):
                blob = gzip.compress(idx_bytes(array))
                (folder / name).write_bytes(blob)
                checksums[name] = hashlib.sha256(blob).hexdigest()
        monkeypatch.setitem(download.CHECKSUMS, dataset, checksums)
    return content


# ---------------------------------------------------------------- downloads


@pytest.mark.parametrize("dataset", ["mnist", "fashion_mnist"])
@pytest.mark.parametrize("split", ["train", "test"])
def test_download_parse_round_trip(mirror, published, offline_sandbox, dataset, split):
    x, y = data.load_dataset(dataset, split=split, base_url=mirror.url + dataset, progress=False)
    images, labels = published[dataset][split]
    assert x.shape == (len(images), 784) and x.dtype == np.float32
    assert y.shape == (len(images),) and y.dtype == np.int64
    np.testing.assert_allclose(x, images.reshape(len(images), -1) / 255, rtol=1e-6)
    np.testing.assert_array_equal(y, labels)
    assert x.min() >= 0 and x.max() <= 1
    assert sorted(p.name for p in (offline_sandbox / dataset).iterdir()) == sorted(FILES[split])


def test_second_call_uses_the_cache(mirror, published):
    first = data.load_mnist("train", base_url=mirror.url + "mnist/", progress=False)
    assert len(mirror.requests) == 2  # images and labels
    second = data.load_mnist("train", base_url=mirror.url + "mnist/", progress=False)
    assert len(mirror.requests) == 2  # nothing new was requested
    np.testing.assert_array_equal(first[0], second[0])
    # and once cached, the files are found without any server
    third = data.load_mnist("train", flatten=False, base_url=closed_port_url(), progress=False)
    assert third[0].shape == (20, 28, 28)


@pytest.mark.parametrize("damage", ["truncate", "garble"])
def test_a_damaged_cached_file_is_fetched_again(mirror, published, offline_sandbox, damage):
    data.load_mnist("test", base_url=mirror.url + "mnist/", progress=False)
    cached = offline_sandbox / "mnist" / "t10k-images-idx3-ubyte.gz"
    good = cached.read_bytes()
    cached.write_bytes(good[:100] if damage == "truncate" else b"\x00" * len(good))
    x, _ = data.load_mnist("test", base_url=mirror.url + "mnist/", progress=False)
    assert mirror.count("t10k-images-idx3-ubyte.gz") == 2  # fetched again
    assert mirror.count("t10k-labels-idx1-ubyte.gz") == 1  # the intact file was not
    assert cached.read_bytes() == good
    images, _ = published["mnist"]["test"]
    np.testing.assert_allclose(x * 255, images.reshape(10, -1), atol=1e-4)


def test_a_file_cut_short_in_transfer_is_a_clear_error(mirror, published, offline_sandbox):
    mirror.cut_short.add("train-labels-idx1-ubyte.gz")
    with pytest.raises(data.DownloadError, match=r"train-labels-idx1-ubyte\.gz") as caught:
        data.load_fashion_mnist("train", base_url=mirror.url + "fashion_mnist/", progress=False)
    assert "load_digits()" in str(caught.value)
    # nothing half-downloaded is left behind to be used later
    leftovers = {p.name for p in (offline_sandbox / "fashion_mnist").iterdir()}
    assert leftovers == {"train-images-idx3-ubyte.gz"}


def test_a_truncated_file_with_a_matching_checksum_fails_to_parse(mirror, published, monkeypatch):
    # a mirror publishing a broken file with its (broken) checksum: the parser catches it
    path = mirror.root / "mnist" / "train-images-idx3-ubyte.gz"
    truncated = gzip.compress(gzip.decompress(path.read_bytes())[:-28])
    path.write_bytes(truncated)
    checksums = dict(download.CHECKSUMS["mnist"])
    checksums[path.name] = hashlib.sha256(truncated).hexdigest()
    monkeypatch.setitem(download.CHECKSUMS, "mnist", checksums)
    with pytest.raises(data.IDXError, match=r"train-images-idx3-ubyte.gz.*truncated"):
        data.load_mnist("train", base_url=mirror.url + "mnist/", progress=False)


def test_checksum_mismatch_names_the_file_and_both_hashes(mirror, published, offline_sandbox):
    path = mirror.root / "mnist" / "t10k-labels-idx1-ubyte.gz"
    tampered = gzip.compress(idx_bytes(np.zeros(10, dtype=np.uint8)))
    path.write_bytes(tampered)
    expected = download.CHECKSUMS["mnist"][path.name]
    got = hashlib.sha256(tampered).hexdigest()
    with pytest.raises(data.ChecksumError) as caught:
        data.load_mnist("test", base_url=mirror.url + "mnist/", progress=False)
    message = str(caught.value)
    assert "t10k-labels-idx1-ubyte.gz" in message
    assert f"SHA-256 {got}, expected {expected}" in message
    assert not (offline_sandbox / "mnist" / path.name).exists()
    assert not list((offline_sandbox / "mnist").glob("*.part"))


def test_server_down_is_an_offline_error_pointing_to_load_digits(published):
    url = closed_port_url()
    with pytest.raises(data.DownloadError) as caught:
        data.load_mnist("train", base_url=url, progress=False)
    message = str(caught.value)
    assert not isinstance(caught.value, data.ChecksumError)
    assert "train-images-idx3-ubyte.gz" in message and url in message
    assert "ConnectionError" in message
    assert "offline" in message and "nnlib.data.load_digits()" in message


def test_missing_file_on_the_server_is_a_download_error(mirror, published):
    with pytest.raises(data.DownloadError, match=r"404"):
        data.load_mnist("train", base_url=mirror.url + "nowhere/", progress=False)


def test_mirrors_are_tried_in_order(mirror, published, monkeypatch):
    monkeypatch.setitem(download.MIRRORS, "mnist", (closed_port_url(), mirror.url + "mnist/"))
    x, _ = data.load_mnist("test", progress=False)
    assert x.shape == (10, 784)
    assert mirror.count("t10k-images-idx3-ubyte.gz") == 1


def test_mirror_from_the_environment(mirror, published, monkeypatch):
    monkeypatch.setenv("NNLIB_DATA_URL", mirror.url + "{dataset}/")
    x, _ = data.load_fashion_mnist("test", progress=False)
    np.testing.assert_allclose(
        x * 255, published["fashion_mnist"]["test"][0].reshape(10, -1), atol=1e-4
    )
    assert all(path.startswith("/fashion_mnist/") for path in mirror.requests)


def test_without_pooch_a_download_asks_for_it_but_the_cache_still_works(
    mirror, published, monkeypatch
):
    data.load_mnist("test", base_url=mirror.url + "mnist/", progress=False)
    monkeypatch.setitem(sys.modules, "pooch", None)  # makes `import pooch` fail
    x, _ = data.load_mnist("test", progress=False)  # cached: no pooch needed
    assert x.shape == (10, 784)
    with pytest.raises(ImportError, match=r"pip install pooch.*load_digits\(\)"):
        data.load_mnist("train", base_url=mirror.url + "mnist/", progress=False)


def test_cache_dir_follows_the_environment(offline_sandbox, monkeypatch):
    assert data.cache_dir() == offline_sandbox
    monkeypatch.delenv("NNLIB_DATA")
    pooch = pytest.importorskip("pooch")
    assert data.cache_dir() == pooch.os_cache("nnlib")


def test_bad_split_and_unknown_dataset():
    with pytest.raises(ValueError, match=r"unknown mnist split 'validation'"):
        data.load_mnist("validation")
    with pytest.raises(ValueError, match=r"unknown dataset 'fashon'; did you mean 'fashion_mnist'"):
        data.load_dataset("fashon")


def test_official_registry_is_complete():
    for dataset in ("mnist", "fashion_mnist"):
        assert set(download.CHECKSUMS[dataset]) == {*FILES["train"], *FILES["test"]}
        for digest in download.CHECKSUMS[dataset].values():
            assert len(digest) == 64 and int(digest, 16) >= 0
    assert len(data.FASHION_MNIST_CLASSES) == 10


def test_import_nnlib_does_not_import_pooch():
    code = "import sys, nnlib, nnlib.data; print('pooch' in sys.modules, 'requests' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
