"""Where chunks of rows are screened: in this process, in local worker processes, or on a
Dask cluster. Each engine takes the chunks in order and yields their output records in the
same order, with a bounded number of chunks in flight (so memory stays flat whatever the
input size), and every engine runs the same :func:`corridor.batch.rows.screen_rows`.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import pickle
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any

from corridor.batch.mapping import Row
from corridor.batch.rows import Record, screen_rows
from corridor.errors import CorridorError
from corridor.matching import Matcher

ENGINES = ("local", "dask", "dask-local")
#: Chunks queued per worker beyond the one it is screening.
IN_FLIGHT_PER_WORKER = 2

Chunk = list[Row]

#: The matcher of a forked worker: the parent's, inherited (copy-on-write), never pickled.
_MATCHER: Matcher | None = None


def _screen_forked(chunk: Chunk) -> list[Record]:
    assert _MATCHER is not None
    return screen_rows(_MATCHER, chunk)


class LocalEngine(AbstractContextManager):
    """``workers`` processes forked from this one after the index is loaded, so they share
    its memory pages; one worker screens in this process."""

    def __init__(self, matcher: Matcher, workers: int) -> None:
        self.matcher = matcher
        self.workers = workers
        self.pool: Any = None

    def __enter__(self) -> LocalEngine:
        global _MATCHER
        # The index is millions of objects that live as long as the run: keep the garbage
        # collector from walking them (and, in forked workers, from copying their pages).
        gc.freeze()
        if self.workers > 1:
            _MATCHER = self.matcher
            ctx = multiprocessing.get_context("fork")
            self.pool = ctx.Pool(self.workers)
        return self

    def __exit__(self, *exc: object) -> None:
        global _MATCHER
        if self.pool is not None:
            if exc[0] is None:
                self.pool.close()
            else:
                self.pool.terminate()
            self.pool.join()
            self.pool = None
        gc.unfreeze()
        _MATCHER = None

    def run(self, chunks: Iterable[Chunk]) -> Iterator[list[Record]]:
        if self.pool is None:
            for chunk in chunks:
                yield screen_rows(self.matcher, chunk)
            return
        pending: deque = deque()
        for chunk in chunks:
            pending.append(self.pool.apply_async(_screen_forked, (chunk,)))
            if len(pending) >= self.workers * (1 + IN_FLIGHT_PER_WORKER):
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def worker_environ() -> dict[str, object]:
    """Dask's environment for new worker processes, less ``MALLOC_TRIM_THRESHOLD_``.

    Dask sets it to 64 KiB to hand memory back to the system sooner. Setting it at all fixes
    glibc's allocation thresholds, so every array above 128 KiB the matcher makes for a
    query is mapped and unmapped by the kernel: screening took 38 % longer (7.6 s against
    10.5 s on 20,000 rows, ten times the system time). A real cluster's workers should be
    started without it too (docs/scale.md).
    """
    import dask

    env = dict(dask.config.get("distributed.nanny.pre-spawn-environ", {}) or {})
    env.pop("MALLOC_TRIM_THRESHOLD_", None)
    return env


#: Matchers unpickled in this (Dask worker) process, by the token of their pickle.
_SHIPPED: dict[str, Matcher] = {}


def _screen_shipped(payload: bytes, token: str, chunk: Chunk) -> list[Record]:
    """Screen a chunk on a Dask worker with the matcher shipped as ``payload``, unpickled
    once per worker process and kept, then left out of garbage collection as in the local
    engine."""
    matcher = _SHIPPED.get(token)
    if matcher is None:
        _SHIPPED.clear()  # an earlier run's index
        matcher = _SHIPPED[token] = pickle.loads(payload)
        gc.freeze()  # as in the local engine: the index outside collections
    return screen_rows(matcher, chunk)


class DaskEngine(AbstractContextManager):
    """The same chunks on a Dask cluster (``scheduler`` address), or on a local cluster of
    ``workers`` processes (``scheduler`` None). The index is sent to each worker once
    (``Client.scatter(..., broadcast=True)``, as one pickle); tasks name it instead of
    carrying it."""

    def __init__(self, matcher: Matcher, scheduler: str | None, workers: int) -> None:
        self.matcher = matcher
        self.scheduler = scheduler
        self.workers = workers
        self.client: Any = None
        self.cluster: Any = None

    def __enter__(self) -> DaskEngine:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - a dependency of corridor
            raise CorridorError(f"the Dask engine needs dask[distributed]: {exc}") from None
        if self.scheduler is None:
            with dask.config.set({"distributed.nanny.pre-spawn-environ": worker_environ()}):
                self.cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                )
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(self.scheduler, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise CorridorError(
                    f"cannot reach the Dask scheduler at {self.scheduler}: {exc}"
                ) from None
        n = len(self.client.scheduler_info().get("workers", {}))
        if n == 0:
            self.client.wait_for_workers(1, timeout=60)
            n = len(self.client.scheduler_info().get("workers", {}))
        self.n_workers = max(1, n)
        payload = pickle.dumps(self.matcher, protocol=pickle.HIGHEST_PROTOCOL)
        self.token = hashlib.sha256(payload).hexdigest()[:16]
        self.index = self.client.scatter(payload, broadcast=True, hash=False)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def run(self, chunks: Iterable[Chunk]) -> Iterator[list[Record]]:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(
                self.client.submit(_screen_shipped, self.index, self.token, chunk, pure=False)
            )
            if len(pending) >= self.n_workers * (1 + IN_FLIGHT_PER_WORKER):
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def make_engine(
    name: str, matcher: Matcher, workers: int, scheduler: str | None
) -> LocalEngine | DaskEngine:
    if name == "local":
        return LocalEngine(matcher, workers)
    if name == "dask":
        if not scheduler:
            raise CorridorError("--engine dask needs --scheduler ADDRESS (tcp://host:8786)")
        return DaskEngine(matcher, scheduler, workers)
    if name == "dask-local":
        return DaskEngine(matcher, None, workers)
    raise CorridorError(f"unknown engine {name!r}; use one of {', '.join(ENGINES)}")
