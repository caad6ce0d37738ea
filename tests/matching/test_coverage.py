"""Blocking's sum (``matching/coverage.py``): numpy's ``bincount`` to the last bit.

The sums decide which listed names are compared at all, so the compiled sum must give
exactly what summing the concatenated postings with ``np.bincount`` gives: the same
names, in ascending order, with the same sums. Checked on random postings, on every
query name of the dev set against the real lists, across threads, and against the sparse
sum used for lists above ``DENSE_LIMIT`` names.
"""

from __future__ import annotations

import random
import threading
from pathlib import Path

import numpy as np
import pytest
from matching_fixtures import dev_set, real_matcher
from test_compiled import as_python

from corridor.matching import coverage as coverage_module
from corridor.matching.coverage import CoverageSum

Postings = list[tuple[np.ndarray, np.ndarray, float]]
Glued = list[tuple[np.ndarray, float]]


def bincount_sum(
    postings: Postings, glued: Glued, n_names: int, minimum: float
) -> tuple[np.ndarray, np.ndarray]:
    """What blocking summed before: the postings concatenated, ``np.bincount``."""
    ids = np.concatenate([p[0] for p in postings] + [g[0] for g in glued])
    ws = np.concatenate([p[1] * p[2] for p in postings] + [np.full(len(g[0]), g[1]) for g in glued])
    acc = np.bincount(ids, weights=ws, minlength=n_names)
    names = np.flatnonzero(acc >= minimum)
    return names, acc[names]


def random_postings(rng: random.Random, n_names: int) -> tuple[Postings, Glued, float]:
    postings: Postings = []
    for _ in range(rng.randint(1, 5)):
        size = rng.randint(1, 400)
        ids = np.array([rng.randrange(n_names) for _ in range(size)], dtype=np.int32)
        strengths = np.array([rng.choice((1.0, 0.9, 0.85, 0.7)) for _ in ids], dtype=np.float32)
        postings.append((ids, strengths, rng.uniform(0.05, 12.0)))
    glued: Glued = []
    for _ in range(rng.choice((0, 0, 1, 2))):
        ids = np.array([rng.randrange(n_names) for _ in range(rng.randint(1, 20))], np.int32)
        glued.append((ids, rng.uniform(1.0, 20.0) * 0.9))
    return postings, glued, rng.uniform(0.0, 15.0)


def assert_same(got: tuple[np.ndarray, np.ndarray], want: tuple[np.ndarray, np.ndarray]) -> None:
    assert got[0].tolist() == want[0].tolist()
    assert got[1].tobytes() == want[1].tobytes()  # bit for bit


def test_random_postings_sum_as_bincount_does() -> None:
    rng = random.Random(7)
    n_names = 5_000
    summer = CoverageSum(n_names)
    for _ in range(300):
        postings, glued, minimum = random_postings(rng, n_names)
        assert_same(
            summer.names_over(postings, glued, minimum),
            bincount_sum(postings, glued, n_names, minimum),
        )


def test_source_run_as_python_sums_the_same() -> None:
    """The module's source run as Python (its fallback) gives the compiled sums."""
    python = as_python("corridor.matching.coverage")
    rng = random.Random(11)
    n_names = 2_000
    compiled, plain = CoverageSum(n_names), python.CoverageSum(n_names)
    for _ in range(20):
        postings, glued, minimum = random_postings(rng, n_names)
        assert_same(
            plain.names_over(postings, glued, minimum),
            compiled.names_over(postings, glued, minimum),
        )


def test_nothing_reaching_the_minimum_leaves_the_sums_clear() -> None:
    summer = CoverageSum(100)
    ids = np.array([3, 5, 3], dtype=np.int32)
    strengths = np.ones(3, dtype=np.float32)
    names, sums = summer.names_over([(ids, strengths, 1.0)], [], 10.0)
    assert names.tolist() == [] and sums.tolist() == []
    names, sums = summer.names_over([(ids, strengths, 1.0)], [], 1.0)
    assert names.tolist() == [3, 5] and sums.tolist() == [2.0, 1.0]  # not 4.0: cleared


def test_threads_keep_their_own_sums() -> None:
    """The API server matches on several threads with one matcher: the sums of calls
    running at the same moment never mix."""
    n_names = 3_000
    summer = CoverageSum(n_names)
    failures: list[str] = []

    def work(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(150):
            postings, glued, minimum = random_postings(rng, n_names)
            got = summer.names_over(postings, glued, minimum)
            want = bincount_sum(postings, glued, n_names, minimum)
            if got[0].tolist() != want[0].tolist() or got[1].tobytes() != want[1].tobytes():
                failures.append(f"thread {seed}")

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures


def test_calls_one_after_another_share_one_set_of_arrays() -> None:
    """The arrays go back to the pool after each call: threads that match one after
    another (the API server's, mostly) share one set instead of holding one each."""
    summer = CoverageSum(50_000)
    ids = np.array([7, 9, 7], dtype=np.int32)
    strengths = np.ones(3, dtype=np.float32)
    for _ in range(6):
        thread = threading.Thread(target=summer.names_over, args=([(ids, strengths, 1.0)], [], 1.0))
        thread.start()
        thread.join()
    assert summer._free.qsize() == 1  # one set, back in the pool


def test_a_failed_call_leaves_no_stale_sums() -> None:
    """A call that fails part-way has added some shares: its arrays are not reused."""
    summer = CoverageSum(100)
    ids = np.array([3, 5, 3], dtype=np.int32)
    strengths = np.ones(3, dtype=np.float32)
    broken = [(ids, strengths, 1.0), (ids, strengths)]  # the second lacks its weight
    with pytest.raises(ValueError):
        summer.names_over(broken, [], 1.0)  # type: ignore[arg-type]
    names, sums = summer.names_over([(ids, strengths, 1.0)], [], 1.0)
    assert names.tolist() == [3, 5] and sums.tolist() == [2.0, 1.0]


def test_every_dev_query_name_sums_as_bincount_does(
    lists_dir: Path, shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every sum blocking makes for the dev set's queries against the real lists."""
    matcher = real_matcher(lists_dir)
    n_names = matcher.index.n_names
    checked = []
    compiled = coverage_module.CoverageSum.names_over

    def checking(self: CoverageSum, postings: Postings, glued: Glued, minimum: float):
        got = compiled(self, postings, glued, minimum)
        assert_same(got, bincount_sum(postings, glued, n_names, minimum))
        checked.append(len(got[0]))
        return got

    monkeypatch.setattr(coverage_module.CoverageSum, "names_over", checking)
    for query, _label in dev_set(shared_dir):
        matcher.match_protocol(query)
    assert len(checked) > 1_000
    assert sum(checked) > 10_000


def test_sparse_sum_finds_the_same_candidates(
    lists_dir: Path, shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above ``DENSE_LIMIT`` names blocking sums sparsely: the same results."""
    matcher = real_matcher(lists_dir)
    queries = [query for query, _label in dev_set(shared_dir)][:400]
    dense = [matcher.match_protocol(q) for q in queries]
    monkeypatch.setattr(coverage_module, "DENSE_LIMIT", 0)
    assert [matcher.match_protocol(q) for q in queries] == dense
