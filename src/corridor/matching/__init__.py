"""Party matching: fuzzy, multilingual, explained name matching against the lists.

``Matcher.from_store(store)`` (or ``Matcher.from_entities(entities)``) indexes the listed
entities; ``matcher.match({"schema": "Person", "properties": {"name": [...]}})`` returns
ranked :class:`MatchResult` objects with a score, an alert decision and a
:class:`MatchExplanation`: the name alignment (:class:`NameAlignment` of
:class:`PartPair`), every feature's :class:`FeatureValue`, and any
:class:`ExactIdentifier` evidence.
"""

from corridor.matching.matcher import PREPARE_BLOCK, Matcher
from corridor.matching.result import (
    ExactIdentifier,
    FeatureValue,
    MatchExplanation,
    MatchResult,
    NameAlignment,
    PartPair,
)
from corridor.matching.tuning import DEFAULT_THRESHOLD

__all__ = [
    "DEFAULT_THRESHOLD",
    "ExactIdentifier",
    "FeatureValue",
    "MatchExplanation",
    "MatchResult",
    "Matcher",
    "NameAlignment",
    "PREPARE_BLOCK",
    "PartPair",
]
