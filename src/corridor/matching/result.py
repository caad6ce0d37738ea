"""What a match returns: one listed entity (merged across lists), its score and why.

One shape from the matcher to every output. ``Matcher.match`` builds these objects;
screening carries the same ones into its result and both reports; ``to_dict`` is their
JSON (``corridor match --explain``, ``corridor search --json``, and the screening JSON,
which leaves out ``schema``). The numbers are kept as computed; ``to_dict`` rounds them
for reading (``*_DIGITS``), and the text renderings show the rounded values, so a line and
the JSON beside it never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeAlias

#: Decimal places shown for a score, a part similarity, a part weight, and a feature's
#: value and contribution.
SCORE_DIGITS = 4
SIMILARITY_DIGITS = 3
WEIGHT_DIGITS = 2
FEATURE_DIGITS = 3


#: A name part left without a partner, and its weight (what leaving it out costs): a plain
#: ``(part, weight)`` pair, because the name comparison makes one for every part it leaves
#: over, on the fast path too.
UnmatchedPart: TypeAlias = tuple[str, float]


def unmatched_dict(unmatched: UnmatchedPart) -> dict[str, Any]:
    """An unmatched part as the JSON shows it."""
    part, weight = unmatched
    return {"part": part, "weight": round(weight, WEIGHT_DIGITS)}


@dataclass(slots=True)
class PartPair:
    """One aligned pair: the query part, the listed part, their similarity and weight.

    Either side may be two adjacent parts written as one on the other side
    (``tongchol`` / ``tong chol``).
    """

    query: str
    listed: str
    similarity: float
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "listed": self.listed,
            "similarity": round(self.similarity, SIMILARITY_DIGITS),
            "weight": round(self.weight, WEIGHT_DIGITS),
        }


@dataclass(slots=True)
class NameAlignment:
    """How a query name's parts met a listed name's parts, and the name score it gives."""

    score: float
    pairs: list[PartPair] = field(default_factory=list)
    unmatched_query: list[UnmatchedPart] = field(default_factory=list)
    unmatched_listed: list[UnmatchedPart] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, SCORE_DIGITS),
            "pairs": [p.to_dict() for p in self.pairs],
            "unmatched_query": [unmatched_dict(u) for u in self.unmatched_query],
            "unmatched_listed": [unmatched_dict(u) for u in self.unmatched_listed],
        }


@dataclass(slots=True)
class FeatureValue:
    """One feature of the score table for one candidate: its value, what it added to the
    score (``weight × value``; 0 when it did not fire), and its one-line description."""

    value: float
    contribution: float
    description: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": round(self.value, FEATURE_DIGITS),
            "contribution": round(self.contribution, FEATURE_DIGITS),
            "description": self.description,
        }


@dataclass(slots=True, frozen=True)
class ExactIdentifier:
    """An exact identifier hit found outside the name index (screening's IMO look-up):
    the FtM property, the value, and the sentence an analyst reads."""

    prop: str
    value: str
    description: str


@dataclass(slots=True)
class MatchExplanation:
    """Why a listed entity was found.

    From the matcher: the query name and the listed name that scored best, whether that
    is a weak alias, their alignment (``name``), every feature of the score table by
    name, and the alert threshold. From an exact identifier look-up alone (``exact``):
    no name was compared, so ``name`` is None and the rest is empty.
    """

    query_name: str | None = None
    listed_name: str | None = None
    listed_name_weak: bool = False
    name: NameAlignment | None = None
    features: dict[str, FeatureValue] = field(default_factory=dict)
    threshold: float | None = None
    exact: list[ExactIdentifier] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The name evidence when a name was compared, then each exact identifier as
        ``{property: sentence}``."""
        out: dict[str, Any] = {}
        if self.name is not None:
            out["query_name"] = self.query_name
            out["listed_name"] = self.listed_name
            out["listed_name_weak"] = self.listed_name_weak
            out["name"] = self.name.to_dict()
            out["features"] = {k: f.to_dict() for k, f in self.features.items()}
            out["threshold"] = self.threshold
        for hit in self.exact:
            out[hit.prop] = hit.description
        return out


@dataclass(slots=True)
class MatchResult:
    """A candidate listed entity for a query.

    ``source_ids`` are the official records it stands for (``us_ofac_sdn:<ent_num>``,
    ``un_sc_sanctions:<DATAID>``); ``score`` is rounded to ``SCORE_DIGITS``; ``match``
    says whether it reaches the alert threshold.
    """

    id: str
    score: float
    match: bool
    source_ids: list[str]
    caption: str
    schema: str
    datasets: list[str]
    topics: list[str] = field(default_factory=list)
    explanation: MatchExplanation = field(default_factory=MatchExplanation)

    def to_protocol(self) -> dict[str, Any]:
        """The result as the evaluation protocol's JSON Lines want it."""
        return {
            "id": self.id,
            "score": round(self.score, SCORE_DIGITS),
            "match": self.match,
            "source_ids": self.source_ids,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "score": round(self.score, SCORE_DIGITS),
            "match": self.match,
            "source_ids": self.source_ids,
            "caption": self.caption,
            "schema": self.schema,
            "datasets": self.datasets,
            "topics": self.topics,
            "explanation": self.explanation.to_dict(),
        }


def _object(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A JSON Schema object whose listed properties are all present."""
    return {"type": "object", "properties": properties, "required": list(properties), **extra}


_STRING = {"type": "string"}
_NUMBER = {"type": "number"}
_UNMATCHED = _object({"part": _STRING, "weight": _NUMBER})

#: The JSON Schema of :meth:`MatchResult.to_dict` (the screening contract publishes it
#: without ``schema``; tests validate real results against it).
MATCH_JSON_SCHEMA: dict[str, Any] = _object(
    {
        "id": _STRING,
        "score": _NUMBER,
        "match": {"type": "boolean", "description": "The score reaches the alert threshold."},
        "source_ids": {"type": "array", "items": _STRING},
        "caption": _STRING,
        "schema": _STRING,
        "datasets": {"type": "array", "items": _STRING},
        "topics": {"type": "array", "items": _STRING},
        "explanation": {
            "type": "object",
            "description": (
                "Why the entry was found: the query and listed names compared, which part "
                "met which (similarity, weight), the parts left over, every feature of the "
                "score table, and the threshold; an exact identifier hit adds its sentence "
                "under the property's name (imoNumber)."
            ),
            "properties": {
                "query_name": _STRING,
                "listed_name": _STRING,
                "listed_name_weak": {"type": "boolean"},
                "name": _object(
                    {
                        "score": _NUMBER,
                        "pairs": {
                            "type": "array",
                            "items": _object(
                                {
                                    "query": _STRING,
                                    "listed": _STRING,
                                    "similarity": _NUMBER,
                                    "weight": _NUMBER,
                                }
                            ),
                        },
                        "unmatched_query": {"type": "array", "items": _UNMATCHED},
                        "unmatched_listed": {"type": "array", "items": _UNMATCHED},
                    }
                ),
                "features": {
                    "type": "object",
                    "additionalProperties": _object(
                        {"value": _NUMBER, "contribution": _NUMBER, "description": _STRING}
                    ),
                },
                "threshold": _NUMBER,
            },
            "additionalProperties": _STRING,
        },
    },
    title="MatchResult",
)
