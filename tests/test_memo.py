"""``corridor.memo``: the bounded caches of the matching path."""

from __future__ import annotations

from corridor.memo import Memo, memo
from corridor.names.skeleton import fold


def test_results_are_the_function_s_and_each_is_worked_out_once() -> None:
    seen: list[str] = []

    @memo(maxsize=10)
    def shout(word: str) -> str:
        seen.append(word)
        return word.upper()

    assert [shout(w) for w in ("kazakh", "uzbek", "kazakh")] == ["KAZAKH", "UZBEK", "KAZAKH"]
    assert seen == ["kazakh", "uzbek"]
    assert shout.cache_info() == (1, 2, 10, 2)


def test_a_full_cache_starts_afresh_and_still_answers_right() -> None:
    cache = Memo(len, 2)
    assert [cache(w) for w in ("ab", "abc", "abcd", "ab")] == [2, 3, 4, 2]
    info = cache.cache_info()
    assert info.misses == 4  # "ab" was dropped with the rest when "abcd" came
    assert info.currsize == 2


def test_none_is_a_result_kept_like_any_other() -> None:
    calls: list[str] = []

    def nothing(word: str) -> None:
        calls.append(word)

    cache = Memo(nothing, 5)
    assert cache("x") is None
    assert cache("x") is None
    assert calls == ["x"]


def test_several_arguments_make_one_key() -> None:
    cache = Memo(lambda a, b: a + b, 5)
    assert cache("tong", "chol") == "tongchol"
    assert cache("tongc", "hol") == "tongchol"
    assert cache.cache_info().misses == 2
    cache.cache_clear()
    assert cache.cache_info() == (0, 0, 5, 0)


def test_the_matching_path_s_functions_keep_their_results_this_way() -> None:
    assert isinstance(fold, Memo)
    assert fold("Dzhabarov".lower()) == fold("dschabarov")
    assert fold.__wrapped__("zhukov") == fold("zhukov")
