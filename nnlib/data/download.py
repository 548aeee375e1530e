"""Fetching a data file once, checking it, and keeping it in a cache folder.

Used by the MNIST and Fashion-MNIST loaders (lesson 9 onwards). Everything else in
``nnlib.data`` ships with the package and works offline.

Every file has a known SHA-256 checksum. It is checked after each download *and* every time a
cached copy is used, so an interrupted download, a full disk or a changed mirror is caught
(and the file fetched again) instead of being parsed into silently wrong data.

pooch (``pip install pooch``) does the HTTP transfer, with a progress bar when tqdm is
installed; it is imported only when a file has to be downloaded, so ``import nnlib`` stays
NumPy-only. Environment variables:

* ``NNLIB_DATA``: the cache folder (default: the user cache folder, ``pooch.os_cache("nnlib")``,
  e.g. ``~/.cache/nnlib`` on Linux); files go to ``<cache>/<dataset>/<file>``;
* ``NNLIB_DATA_URL``: a mirror to download from instead of the official ones: the URL of the
  folder holding the files, where ``{dataset}`` is replaced by the data set's name.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

__all__ = [
    "CHECKSUMS",
    "MIRRORS",
    "ChecksumError",
    "DownloadError",
    "cache_dir",
    "fetch",
    "sha256_of",
]

DATA_DIR_ENV = "NNLIB_DATA"
DATA_URL_ENV = "NNLIB_DATA_URL"

# Where the files are published, tried in order.
MIRRORS = {
    # The original host, yann.lecun.com, has often refused downloads in recent years; these
    # are the mirrors TensorFlow Datasets and torchvision download from.
    "mnist": (
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
    ),
    # The official host named in github.com/zalandoresearch/fashion-mnist's README, then the
    # copies kept in that repository.
    "fashion_mnist": (
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/",
    ),
}

# SHA-256 of each file, from TensorFlow Datasets' checksum lists
# tensorflow_datasets/url_checksums/mnist.txt and .../fashion_mnist.txt
# (github.com/tensorflow/datasets), which also give the sizes in bytes noted here.
CHECKSUMS = {
    "mnist": {
        # 9 912 422 bytes
        "train-images-idx3-ubyte.gz": (
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
        ),
        # 28 881 bytes
        "train-labels-idx1-ubyte.gz": (
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"
        ),
        # 1 648 877 bytes
        "t10k-images-idx3-ubyte.gz": (
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"
        ),
        # 4 542 bytes
        "t10k-labels-idx1-ubyte.gz": (
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"
        ),
    },
    "fashion_mnist": {
        # 26 421 880 bytes
        "train-images-idx3-ubyte.gz": (
            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"
        ),
        # 29 515 bytes
        "train-labels-idx1-ubyte.gz": (
            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"
        ),
        # 4 422 102 bytes
        "t10k-images-idx3-ubyte.gz": (
            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"
        ),
        # 5 148 bytes
        "t10k-labels-idx1-ubyte.gz": (
            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"
        ),
    },
}

_OFFLINE_HINT = "nnlib.data.load_digits() needs no download: its 1 797 8×8 digits ship with nnlib."


class DownloadError(OSError):
    """A data file could not be downloaded (offline, server error, or a bad file)."""


class ChecksumError(DownloadError):
    """A downloaded file's SHA-256 differs from the known one: it is damaged or not the file."""


def cache_dir() -> Path:
    """The folder the data files are kept in: ``$NNLIB_DATA``, else the user cache folder."""
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV]).expanduser()
    return Path(_import_pooch("find the cache folder").os_cache("nnlib"))


def fetch(dataset: str, filename: str, base_url: str | None = None, progress: bool = True) -> Path:
    """The path of a verified local copy of ``filename``, downloading it if needed.

    Args:
        dataset: a key of ``CHECKSUMS``, e.g. "mnist".
        filename: one of that data set's files, e.g. "train-images-idx3-ubyte.gz".
        base_url: the folder URL to download from instead of ``$NNLIB_DATA_URL`` or the
            official ``MIRRORS``.
        progress: show a progress bar while downloading (if tqdm is installed).

    Raises:
        ChecksumError: every source served a file with the wrong SHA-256.
        DownloadError: no source could be reached (offline?) or none had the file.
        ImportError: the file must be downloaded and pooch is not installed.
    """
    expected = CHECKSUMS[dataset][filename]
    path = cache_dir() / dataset / filename
    if path.exists():
        if sha256_of(path) == expected:
            return path
        # A truncated or damaged copy: never parse it, fetch it again.
        path.unlink()

    sources = _sources(dataset, base_url)
    problems, checksum_failures = [], 0
    for base in sources:
        url = base.rstrip("/") + "/" + filename
        try:
            _download(url, path, expected, progress)
            return path
        except ChecksumError as exc:
            checksum_failures += 1
            problems.append(str(exc))
        except OSError as exc:  # requests' exceptions are OSErrors too
            problems.append(f"{url}: {type(exc).__name__}: {exc}")

    if checksum_failures == len(sources):
        error = ChecksumError
        advice = "The file served is not the known one: try another mirror (base_url=...)."
    else:
        error, advice = DownloadError, "Are you offline, or is the mirror down?"
    raise error(
        f"could not download {dataset} file {filename!r} from {len(sources)} source(s):\n  "
        + "\n  ".join(problems)
        + f"\n{advice} Meanwhile, {_OFFLINE_HINT} Or download {filename} by hand (SHA-256 "
        f"{expected}) and put it at {path}."
    )


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks (the files are up to 26 MB)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sources(dataset: str, base_url: str | None) -> tuple[str, ...]:
    base = base_url or os.environ.get(DATA_URL_ENV)
    if base:
        return (base.replace("{dataset}", dataset),)
    return MIRRORS[dataset]


def _download(url: str, path: Path, expected: str, progress: bool) -> None:
    """Download ``url`` to ``path`` through a temporary file that is kept only if it verifies.

    The checksum is ours rather than pooch's so that the error names the file and both hashes,
    and so that the very same check also guards the cached copy in ``fetch``.
    """
    pooch = _import_pooch(f"download {path.name}")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    bar = progress and importlib.util.find_spec("tqdm") is not None
    try:
        pooch.HTTPDownloader(progressbar=bar, timeout=30)(url, str(partial), None)
        got = sha256_of(partial)
        if got != expected:
            size = partial.stat().st_size
            raise ChecksumError(
                f"{path.name} from {url} ({size} bytes) has SHA-256 {got}, expected "
                f"{expected} (a truncated or altered file)"
            )
        os.replace(partial, path)  # atomic: a reader never sees half a file under this name
    finally:
        partial.unlink(missing_ok=True)


def _import_pooch(purpose: str):
    try:
        import pooch
    except ImportError as exc:
        raise ImportError(
            f"nnlib needs the pooch package to {purpose}: pip install pooch (it comes with "
            f"pip install 'nnlib[course]'). {_OFFLINE_HINT}"
        ) from exc
    return pooch
