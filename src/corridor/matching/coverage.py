"""Blocking's sum: how much of a query name's weight each listed name shares.

Per query name, the postings of its parts (a few hundred listed names) are summed per
listed name. Summing into an array as long as the list (``np.bincount``) makes every query
pay for the whole list: clearing, comparing and scanning tens of thousands of entries to
find the few hundred it touched. :class:`CoverageSum` keeps such arrays and clears only
what a query touched, so a query costs its postings, not the list size. Above
``DENSE_LIMIT`` listed names it sums sparsely instead (``np.unique``): arrays as long as the
list would cost too much memory per concurrent query.

Compiled (``setup.py``); run as Python it gives the same sums, slowly. The sums are
``np.bincount``'s to the last bit: each listed name's shares are added in the same order,
in double precision, after the same single-precision products.
"""

from __future__ import annotations

import queue

import cython
import numpy as np

from corridor.matching.tuning import DENSE_LIMIT


class CoverageSum:
    """Sums over ``n_names`` listed names, in arrays each call takes from a pool and gives
    back: as many sets as calls run at once (the API server matches on up to 40 threads,
    few of them at the same moment), not one per thread."""

    def __init__(self, n_names: int) -> None:
        self.n_names = n_names
        # Sets of arrays not in use, each with its arrays' addresses (see ``_take``).
        self._free: queue.SimpleQueue[tuple[tuple[np.ndarray, ...], tuple[int, ...]]] = (
            queue.SimpleQueue()
        )

    def _take(self) -> tuple[tuple[np.ndarray, ...], tuple[int, ...]]:
        """A set of arrays, and their addresses: the compiled sum reads them by address,
        as a typed memoryview of each would cost a buffer request per call."""
        try:
            return self._free.get_nowait()
        except queue.Empty:
            arrays = (
                np.zeros(self.n_names, dtype=np.float64),  # the sums, zero between calls
                np.zeros(self.n_names, dtype=np.uint8),  # touched by this call
                np.empty(self.n_names, dtype=np.int64),  # the names touched
                np.empty(self.n_names, dtype=np.int64),  # the names kept
                np.empty(self.n_names, dtype=np.float64),  # their sums
            )
            return arrays, tuple([a.ctypes.data for a in arrays])

    def names_over(
        self,
        postings: list[tuple[np.ndarray, np.ndarray, float]],
        glued: list[tuple[np.ndarray, float]],
        minimum: float,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Listed names whose sum reaches ``minimum`` (ascending) and their sums.

        ``postings``: per query part, its listed names (``int32``), their key strengths
        (``float32``) and the part's weight; a name's share is strength × weight in single
        precision. ``glued``: listed names found by glued query parts, each with one share.
        """
        if self.n_names > DENSE_LIMIT:
            return _sparse_sum(postings, glued, minimum)
        buffers = self._take()
        arrays, addresses = buffers
        # A call that fails part-way leaves shares in its arrays: they are dropped, not
        # given back (the next call makes a new set).
        kept = _sum_over(addresses if cython.compiled else arrays, postings, glued, minimum)
        found = arrays[3][:kept].copy(), arrays[4][:kept].copy()
        self._free.put(buffers)
        return found


def _sparse_sum(
    postings: list[tuple[np.ndarray, np.ndarray, float]],
    glued: list[tuple[np.ndarray, float]],
    minimum: float,
) -> tuple[np.ndarray, np.ndarray]:
    """:meth:`CoverageSum.names_over` over the distinct names touched only."""
    ids = np.concatenate([p[0] for p in postings] + [g[0] for g in glued])
    ws = np.concatenate([p[1] * p[2] for p in postings] + [np.full(len(g[0]), g[1]) for g in glued])
    uniq, inverse = np.unique(ids, return_inverse=True)
    acc = np.bincount(inverse, weights=ws)
    enough = acc >= minimum
    return uniq[enough], acc[enough]


# Name ids come from this index's postings, all under ``n_names``: no bounds checks.
@cython.boundscheck(False)
@cython.wraparound(False)
@cython.locals(
    count=cython.Py_ssize_t,
    kept=cython.Py_ssize_t,
    k=cython.Py_ssize_t,
    n=cython.Py_ssize_t,
    nid=cython.longlong,
    weight=cython.float,
    share=cython.double,
    floor=cython.double,
    acc=cython.p_double,
    mark=cython.p_uchar,
    touched=cython.p_longlong,
    names=cython.p_longlong,
    sums=cython.p_double,
    ids=cython.int[:],
    strengths=cython.float[:],
)
def _sum_over(
    where: tuple,
    postings: list[tuple[np.ndarray, np.ndarray, float]],
    glued: list[tuple[np.ndarray, float]],
    minimum: float,
) -> int:
    """Sum into ``acc``; write the names reaching ``minimum`` (ascending) to the front of
    ``names`` and their sums to ``sums``, and clear every entry touched. ``where``: the
    five arrays of a set (:meth:`CoverageSum._take`), compiled their addresses."""
    if cython.compiled:
        acc = cython.cast(cython.p_double, cython.cast(cython.size_t, where[0]))
        mark = cython.cast(cython.p_uchar, cython.cast(cython.size_t, where[1]))
        touched = cython.cast(cython.p_longlong, cython.cast(cython.size_t, where[2]))
        names = cython.cast(cython.p_longlong, cython.cast(cython.size_t, where[3]))
        sums = cython.cast(cython.p_double, cython.cast(cython.size_t, where[4]))
    else:
        acc, mark, touched, names, sums = where
    count = 0
    for ids, strengths, part_weight in postings:
        weight = part_weight  # single precision, as numpy's ``strengths * part_weight``
        n = ids.shape[0]
        for k in range(n):
            nid = ids[k]
            acc[nid] += strengths[k] * weight
            if not mark[nid]:
                mark[nid] = 1
                touched[count] = nid
                count += 1
    for ids, glued_share in glued:
        share = glued_share
        n = ids.shape[0]
        for k in range(n):
            nid = ids[k]
            acc[nid] += share
            if not mark[nid]:
                mark[nid] = 1
                touched[count] = nid
                count += 1
    floor = minimum
    kept = 0
    for k in range(count):  # few reach the minimum: only those are sorted
        nid = touched[k]
        if acc[nid] >= floor:
            names[kept] = nid
            kept += 1
    _sort(names, kept)
    for k in range(kept):
        sums[k] = acc[names[k]]
    for k in range(count):
        nid = touched[k]
        acc[nid] = 0.0
        mark[nid] = 0
    return kept


@cython.cfunc
@cython.boundscheck(False)
@cython.wraparound(False)
@cython.locals(
    start=cython.Py_ssize_t,
    end=cython.Py_ssize_t,
    root=cython.Py_ssize_t,
    child=cython.Py_ssize_t,
    top=cython.longlong,
)
def _sort(values: cython.p_longlong, count: cython.Py_ssize_t) -> cython.void:
    """Heapsort of ``values[:count]`` in place: a few names pass per query name, and
    ``np.sort`` costs more in its call than in sorting them."""
    start = count // 2
    end = count
    while end > 1:
        if start > 0:  # building the heap
            start -= 1
            root = start
        else:  # the largest to the end
            end -= 1
            top = values[end]
            values[end] = values[0]
            values[0] = top
            root = 0
        while True:  # sift down
            child = 2 * root + 1
            if child >= end:
                break
            if child + 1 < end and values[child + 1] > values[child]:
                child += 1
            if values[child] > values[root]:
                top = values[root]
                values[root] = values[child]
                values[child] = top
                root = child
            else:
                break
