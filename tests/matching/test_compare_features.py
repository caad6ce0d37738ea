"""The small comparison features: dates, countries, identifiers, schema, names."""

from __future__ import annotations

from typing import get_args

from corridor.countries import ftm_country
from corridor.matching.compare.countries import country_match, country_mismatch
from corridor.matching.compare.dates import dob_conflict, dob_day_month_swapped, dob_match
from corridor.matching.compare.identifiers import identifier_match, imo_conflict, imo_match
from corridor.matching.compare.names import PairMemo, compare_names, part_similarity
from corridor.matching.compare.schema import KINDS, Kind, kind_of, schema_mismatch
from corridor.matching.score import FEATURES
from corridor.matching.tuning import UNMATCHED_LISTED_FACTOR, UNMATCHED_QUERY_FACTOR


def test_dob_agreement_by_precision() -> None:
    assert dob_match(("1966-09-08",), ("1966-09-08",)) == 1.0
    assert dob_match(("1966",), ("1966-09-08",)) == 0.7
    assert dob_match(("1966-09",), ("1966-09-08", "1970")) == 0.8
    assert dob_match(("1966-09-08",), ("1966-09-09",)) == 0.0
    assert dob_match(("1966-09-08",), ("1967",)) == 0.0


def test_day_month_swap_is_recognised() -> None:
    assert dob_day_month_swapped(("1966-08-09",), ("1966-09-08",)) == 1.0
    assert dob_day_month_swapped(("1966-09-09",), ("1966-09-09",)) == 0.0
    assert dob_match(("1966-08-09",), ("1966-09-08",)) == 0.0


def test_dob_conflict_grows_with_the_gap() -> None:
    assert dob_conflict(("1966",), ("1966-01-01",)) == 0.0
    assert dob_conflict(("1967",), ("1966",)) == 0.25
    assert dob_conflict(("1969",), ("1966",)) == 0.6
    assert dob_conflict(("1976",), ("1966", "1990")) == 1.0
    assert dob_conflict(("not a date",), ("1966",)) == 0.0


def test_countries() -> None:
    assert ftm_country("Democratic Republic of the Congo") == "cd"
    assert ftm_country("RU") == "ru"
    assert ftm_country("na") == "na"  # FtM data: Namibia, not "n/a"
    assert country_match(frozenset({"ru"}), frozenset({"ru", "ua"})) == 1.0
    assert country_mismatch(frozenset({"us"}), frozenset({"ru"})) == 1.0
    assert country_mismatch(frozenset(), frozenset({"ru"})) == 0.0


def test_identifiers() -> None:
    assert identifier_match(frozenset({"ES505702"}), frozenset({"ES505702", "X1"})) == 1.0
    assert imo_match(frozenset({"9137246"}), frozenset({"9137246"})) == 1.0
    assert imo_conflict(frozenset({"9137246"}), frozenset({"9137247"})) == 1.0


def test_schema_compatibility() -> None:
    assert schema_mismatch(kind_of("Company"), kind_of("Organization")) == 0.0
    assert schema_mismatch(kind_of("LegalEntity"), kind_of("Person")) == 0.0
    assert schema_mismatch(kind_of("Person"), kind_of("Organization")) == 1.0
    assert schema_mismatch(kind_of("Vessel"), kind_of("Organization")) == 0.5


def test_every_kind_has_its_own_factors() -> None:
    kinds = set(get_args(Kind))
    assert set(KINDS.values()) <= kinds and kind_of("Unknown") in kinds
    assert set(UNMATCHED_QUERY_FACTOR) == set(UNMATCHED_LISTED_FACTOR) == kinds


def test_every_feature_explains_itself() -> None:
    for feature in FEATURES:
        assert feature.description and not feature.description.endswith(":"), feature.name


def test_part_similarity_levels() -> None:
    assert part_similarity("zhukov", "zhukov") == 1.0
    assert part_similarity("zheleznyak", "jelezniak") == 0.96
    assert 0.8 < part_similarity("piqueraws", "piqueras") < 0.96
    assert part_similarity("m", "mikhaylov") == 0.9  # a query initial (weighted as one)
    assert part_similarity("mikhaylov", "m") == 0.0  # a listed initial says less
    assert part_similarity("@llc", "@llc") == 1.0


def test_pair_memo_keeps_similarities_within_its_budget() -> None:
    """The alignment's memo gives what part_similarity gives, keeps a query part written
    in an abjad apart from the same part in Latin, and never holds more than its budget."""
    listed = ["husayn", "hasan", "hussein", "khasan", "gasan", "hasin", "hasanov"]
    memo = PairMemo(budget=100)
    for abjad in (False, True):
        row = memo.row("hsn", abjad)
        for b in listed:
            assert memo.add(row, "hsn", b, abjad) == part_similarity("hsn", b, abjad)
    latin, abjad_row = memo.row("hsn", False), memo.row("hsn", True)
    assert latin is not abjad_row and abjad_row["hasan"] > latin["hasan"]
    small = PairMemo(budget=5)
    for b in listed:
        assert small.add(small.row("hsn", False), "hsn", b, False) == latin[b]
        assert small.held == sum(map(len, small.rows.values())) <= 5
    assert small.row("hsn", False).keys() == {"hasin", "hasanov"}  # a new start at the sixth


def test_alignment_is_order_free_and_explained() -> None:
    weights = (5.0, 3.0)
    cmp = compare_names(("sergey", "zhukov"), weights, ("zhukov", "sergei"), (5.0, 3.0))
    assert cmp.score > 0.95
    pairs = {(p.query, p.listed) for p in cmp.pairs}
    assert pairs == {("sergey", "sergei"), ("zhukov", "zhukov")}
    explained = cmp.to_dict()
    assert explained["unmatched_query"] == [] and len(explained["pairs"]) == 2


def test_unmatched_query_parts_cost_more_than_missing_middle_names() -> None:
    listed = ("tangsiri", "ali", "reza")
    lw = (9.0, 3.0, 5.0)
    dropped_middle = compare_names(("ali", "tangsiri"), (3.0, 9.0), listed, lw)
    other_given_name = compare_names(("jefferson", "tangsiri"), (9.0, 9.0), listed, lw)
    assert dropped_middle.score > 0.8
    assert other_given_name.score < 0.6
    assert [t for t, _ in other_given_name.unmatched_query] == ["jefferson"]


def test_glued_parts_pair_with_split_parts() -> None:
    cmp = compare_names(("tongchol", "kim"), (6.0, 2.0), ("kim", "tong", "chol"), (2.0, 4.0, 4.0))
    assert cmp.score > 0.9
    assert any(p.listed == "tong chol" for p in cmp.pairs)


def test_misspelt_whole_name_scores_as_near_match() -> None:
    cmp = compare_names(("jkoic", "miodratg"), (8.0, 8.0), ("jokic", "miodrag"), (8.0, 8.0))
    assert cmp.score >= 0.85
    short_other_name = compare_names(("wei", "zou"), (6.0, 6.0), ("wei", "su"), (6.0, 6.0))
    assert short_other_name.score < 0.8


def test_arabic_script_part_spelled_with_short_vowels_only_scores_higher() -> None:
    from corridor.matching.compare.names import part_similarity
    from corridor.names.normalize import normalize

    hasan = normalize("حسن")
    spelled = part_similarity(hasan, "hasan", abjad=True)
    same_consonants = part_similarity(hasan, "husayn", abjad=True)
    assert spelled > same_consonants >= 0.75  # same consonants still count
