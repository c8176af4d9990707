"""The IDX file format of (Fashion-)MNIST: a big-endian header and array, optionally gzipped.

Header: two zero bytes, a type byte, the number of dimensions, then each dimension as a
big-endian uint32; the values follow in row-major order, big-endian.
"""
import gzip

import numpy as np

_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read(path):
    """The array stored in IDX file `path` (.gz files are decompressed), in native byte
    order."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _TYPES:
        raise ValueError(f"{path}: not an IDX file (bad magic number {data[:4].hex()})")
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(f"{path}: truncated IDX header")
    shape = tuple(int(d) for d in np.frombuffer(data, ">u4", ndim, 4))
    dtype = np.dtype(_TYPES[data[2]])
    count = int(np.prod(shape, dtype=np.int64))
    if len(data) - header != count * dtype.itemsize:
        raise ValueError(f"{path}: the header says shape {shape} ({count * dtype.itemsize} "
                         f"bytes of data) but the file holds {len(data) - header}")
    values = np.frombuffer(data, dtype, count, header).reshape(shape)
    return values.astype(dtype.newbyteorder("="))


def write(path, array):
    """Writes `array` as an IDX file (gzipped when `path` ends in .gz); for tests and tools."""
    array = np.asarray(array)
    code = {np.dtype(v).newbyteorder("="): k for k, v in _TYPES.items()}[array.dtype]
    header = bytes([0, 0, code, array.ndim]) + np.asarray(array.shape, ">u4").tobytes()
    body = array.astype(np.dtype(_TYPES[code])).tobytes()
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wb") as f:
        f.write(header + body)
