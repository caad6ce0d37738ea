"""The scoring table: features, their weights, and how they make one score in [0, 1].

The score starts from the name comparison (``compare.names``) and each other feature adds
or subtracts ``weight × value``. An algorithm is this table, not a tangle of ifs; the
feature's docstring is what an analyst reads in the explanation. The weights are the
table's own; every other tuning number of matching is in ``tuning.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from corridor.matching.compare import countries, dates, identifiers, schema


@dataclass(frozen=True)
class Feature:
    """One row of the table: a comparison over one attribute and its weight."""

    name: str
    func: Callable
    attribute: str
    weight: float

    @property
    def description(self) -> str:
        return (self.func.__doc__ or "").strip().splitlines()[0]


FEATURES: tuple[Feature, ...] = (
    Feature("dob_match", dates.dob_match, "dates", 0.08),
    Feature("dob_day_month_swapped", dates.dob_day_month_swapped, "dates", 0.04),
    Feature("dob_conflict", dates.dob_conflict, "dates", -0.25),
    Feature("country_match", countries.country_match, "countries", 0.03),
    Feature("country_mismatch", countries.country_mismatch, "countries", -0.06),
    Feature("identifier_match", identifiers.identifier_match, "identifiers", 0.5),
    Feature("imo_match", identifiers.imo_match, "imos", 0.85),
    Feature("imo_conflict", identifiers.imo_conflict, "imos", -0.3),
    Feature("schema_mismatch", schema.schema_mismatch, "kinds", -0.6),
)


def combine(name_score: float, contributions: float) -> float:
    """Final score: name evidence plus qualifier contributions, kept within [0, 1]."""
    return min(1.0, max(0.0, name_score + contributions))
