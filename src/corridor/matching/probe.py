"""Look-ups in a sorted array of 64-bit hashes, by their leading bits.

A query's new name part looks up some forty blocking keys among hundreds of thousands.
A binary search reads about eighteen entries per key, scattered over megabytes, and its
time is the wait for memory. Hashes are spread evenly, so their leading bits say where in
the sorted array a hash must be: a table of where each run of equal leading bits starts
(``starts``) leaves a few entries to read, next to each other.

Compiled (``setup.py``); run as Python it finds the same ids, slowly.
"""

from __future__ import annotations

import cython
import numpy as np

#: At most 2**20 buckets (an 8 MB table, made in about a tenth of a second).
MAX_BITS = 20


def bucket_bits(n: int) -> int:
    """Leading bits for ``n`` hashes: two to four hashes per bucket on average (about
    one cache line to read), fewer buckets above ``MAX_BITS``."""
    return max(1, min(MAX_BITS, int(n).bit_length() - 2))


def bucket_starts(hashes: np.ndarray, bits: int) -> np.ndarray:
    """Where in ``hashes`` (sorted) each value of the leading ``bits`` bits starts, and
    the length at the end."""
    edges = np.arange(1 << bits, dtype=np.uint64) << np.uint64(64 - bits)
    starts = np.empty((1 << bits) + 1, dtype=np.int64)
    starts[:-1] = np.searchsorted(hashes, edges)
    starts[-1] = len(hashes)
    return starts


@cython.boundscheck(False)
@cython.wraparound(False)
@cython.locals(
    k=cython.Py_ssize_t,
    pos=cython.Py_ssize_t,
    end=cython.Py_ssize_t,
    h=cython.ulonglong,
    shift=cython.int,
    sorted_=cython.p_ulonglong,
    bounds=cython.longlong[:],
    keys=cython.ulonglong[:],
    out=cython.longlong[:],
)
def find_positions(
    hashes: np.ndarray, address: int, starts: np.ndarray, bits: int, wanted: np.ndarray
) -> np.ndarray:
    """The position of each wanted hash in ``hashes``, -1 where it is not there.

    ``hashes``: contiguous ``uint64``, often mapped read-only from the index cache, which a
    typed memoryview refuses: the compiled loop reads it at ``address``
    (``hashes.ctypes.data``, taken once by the caller: asking costs microseconds)."""
    found = np.full(len(wanted), -1, dtype=np.int64)
    if not cython.compiled:  # the same positions, by numpy
        if len(hashes):
            pos = np.minimum(np.searchsorted(hashes, wanted), len(hashes) - 1)
            hit = hashes[pos] == wanted
            found[hit] = pos[hit]
        return found
    sorted_ = cython.cast(cython.p_ulonglong, cython.cast(cython.size_t, address))
    bounds = starts
    keys = wanted
    out = found
    shift = 64 - bits
    for k in range(keys.shape[0]):
        h = keys[k]
        pos = bounds[h >> shift]
        end = bounds[(h >> shift) + 1]
        while pos < end and sorted_[pos] < h:
            pos += 1
        if pos < end and sorted_[pos] == h:
            out[k] = pos
    return found
