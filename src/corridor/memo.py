"""``memo``: a bounded cache for the pure functions of the matching path.

``functools.lru_cache`` keeps its entries in recency order: every hit moves a link in a
list as long as the cache, three scattered objects written for each of the two million
look-ups of 20,000 customer names. These caches hold what a batch of names needs
again (the spellings of parts, the blocking of a token); once full, a cache starts
afresh instead of evicting, so a hit costs one dictionary look-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import cython

#: What a look-up gives for a key not held (a function's result may be None).
_MISSING = cython.declare(object, object())


class CacheInfo(NamedTuple):
    """What ``functools.lru_cache``'s ``cache_info()`` says, for the same questions."""

    hits: int
    misses: int
    maxsize: int
    currsize: int


@cython.cclass
class Memo:
    """``function`` with its results kept, at most ``maxsize`` of them (see the module)."""

    function = cython.declare(object, visibility="readonly")
    maxsize = cython.declare(cython.Py_ssize_t, visibility="readonly")
    table = cython.declare(dict)
    misses = cython.declare(cython.Py_ssize_t)
    calls = cython.declare(cython.Py_ssize_t)

    def __init__(self, function: Callable[..., Any], maxsize: int) -> None:
        self.function = function
        self.maxsize = maxsize
        self.table = {}
        self.misses = 0
        self.calls = 0

    def __call__(self, *args: Any) -> Any:
        # Arguments by position only: compiled, a ``**kwargs`` makes a dictionary on every
        # call. One argument is its own key (as in lru_cache): no tuple hashed each call.
        key = args[0] if len(args) == 1 else args
        self.calls += 1
        found = self.table.get(key, _MISSING)
        if found is _MISSING:
            found = self.function(*args)
            self.misses += 1
            if len(self.table) >= self.maxsize:
                self.table.clear()
            self.table[key] = found
        return found

    def cache_clear(self) -> None:
        """Forget every result (as ``lru_cache``'s ``cache_clear``)."""
        self.table.clear()
        self.misses = self.calls = 0

    def cache_info(self) -> CacheInfo:
        """Hits, misses, the bound and what is held (as ``lru_cache``'s ``cache_info``)."""
        return CacheInfo(self.calls - self.misses, self.misses, self.maxsize, len(self.table))

    @property
    def __wrapped__(self) -> Callable[..., Any]:
        return self.function


def memo(maxsize: int) -> Callable[[Callable[..., Any]], Memo]:
    """Decorator: ``function`` as a :class:`Memo` holding at most ``maxsize`` results."""

    def wrap(function: Callable[..., Any]) -> Memo:
        return Memo(function, maxsize)

    return wrap
