"""``ab_matching.py``: what its section says of the pairs it measured."""

from __future__ import annotations

import ab_matching


def _pairs(*cpu: tuple[float, float]) -> list[tuple[dict, dict]]:
    return [({"cpu": now, "wall": now}, {"cpu": before, "wall": before}) for now, before in cpu]


def test_pairs_that_agree_are_a_difference() -> None:
    text = ab_matching.render(
        _pairs((5.0, 6.0), (5.5, 6.1), (5.2, 5.9)), "abc1234", 20_000, "cmd", False
    )
    assert "**1.15×**" in text  # median before 6.0 / median now 5.2
    assert "every pair agrees" in text
    assert "noise" not in text


def test_pairs_that_disagree_are_noise() -> None:
    text = ab_matching.render(
        _pairs((5.0, 6.0), (6.2, 5.8), (5.5, 5.6)), "abc1234", 20_000, "cmd", False
    )
    assert "within the noise" in text


def test_the_same_engine_on_both_sides_measures_the_noise() -> None:
    text = ab_matching.render(
        _pairs((5.0, 5.1), (5.3, 5.0), (5.2, 5.2)), "HEAD", 20_000, "cmd", True
    )
    assert "this run measures the host's noise" in text


def test_one_pair_says_nothing() -> None:
    text = ab_matching.render(_pairs((5.0, 6.0)), "abc1234", 20_000, "cmd", False)
    assert "too few pairs" in text
