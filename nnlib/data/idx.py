"""Reading the IDX format of MNIST and Fashion-MNIST: a tiny header, then raw numbers.

An IDX file is

* a 4-byte magic number: two zero bytes, a type code (0x08 = uint8, 0x09 = int8,
  0x0B = int16, 0x0C = int32, 0x0D = float32, 0x0E = float64) and the number of dimensions d;
* d sizes, each a 4-byte big-endian unsigned integer;
* the values themselves, big-endian, in C (row-major) order.

So ``train-images-idx3-ubyte`` starts 00 00 08 03, then 60000, 28, 28, then 47 040 000 bytes.
The files are usually distributed gzipped. ``mnist.py`` reads MNIST and Fashion-MNIST with
it, the larger data sets of lesson 9 (training) onwards.
"""

from __future__ import annotations

import gzip
import os
import zlib

import numpy as np

__all__ = ["IDXError", "read_idx"]

# type code -> big-endian NumPy dtype of the values
IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}

_GZIP_MAGIC = b"\x1f\x8b"


class IDXError(ValueError):
    """The bytes are not a complete, well-formed IDX file (truncated, corrupt, or not IDX)."""


def read_idx(source) -> np.ndarray:
    """Parse an IDX file, gzipped or not, into an array.

    Args:
        source: a path (str or os.PathLike), or the file's content as bytes. Gzip is recognised
            by its first two bytes, not by the file name.

    Returns:
        Array of the shape given by the header, in native byte order (uint8 for images and
        labels).

    Raises:
        IDXError (a ValueError) naming the problem if the data is truncated, has trailing
        bytes, a bad magic number or an unknown type code, or is a damaged gzip stream.
    """
    name, raw = _read_bytes(source)
    data = _gunzip(raw, name) if raw[:2] == _GZIP_MAGIC else raw
    if len(data) < 4:
        raise IDXError(f"{name}: only {len(data)} bytes, too short for an IDX header (truncated?)")
    zero0, zero1, code, ndim = data[:4]
    if zero0 or zero1:
        raise IDXError(
            f"{name}: bad magic number 0x{data[:4].hex()}: an IDX file starts with two zero bytes "
            f"(is this an IDX file? a truncated or corrupt download?)"
        )
    if code not in IDX_DTYPES:
        known = ", ".join(f"0x{c:02X}" for c in IDX_DTYPES)
        raise IDXError(f"{name}: unknown IDX type code 0x{code:02X} (known: {known})")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise IDXError(
            f"{name}: the header announces {ndim} dimensions ({header} header bytes), but the "
            f"data has only {len(data)} bytes (truncated)"
        )
    shape = tuple(int(s) for s in np.frombuffer(data, dtype=">u4", count=ndim, offset=4))
    dtype = IDX_DTYPES[code]
    expected = header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) != expected:
        problem = "is truncated" if len(data) < expected else "has trailing bytes"
        raise IDXError(
            f"{name}: header says shape {shape} of {dtype.newbyteorder('=')}, i.e. {expected} "
            f"bytes in all, but there are {len(data)}: the file {problem}"
        )
    values = np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)
    # Native byte order, and a writable copy rather than a view of the (read-only) bytes.
    return values.astype(dtype.newbyteorder("="))


def _read_bytes(source) -> tuple[str, bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "IDX data", bytes(source)
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            return os.fspath(source), f.read()
    raise TypeError(f"read_idx: expected a path or bytes, got {type(source).__name__}")


def _gunzip(raw: bytes, name: str) -> bytes:
    try:
        return gzip.decompress(raw)
    except (EOFError, OSError, zlib.error) as exc:  # truncated stream, bad CRC, bad deflate
        raise IDXError(f"{name}: damaged gzip data (truncated or corrupt file?): {exc}") from exc
