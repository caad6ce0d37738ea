"""What a match returns: one listed entity (merged across lists), its score and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class MatchResult:
    """A candidate listed entity for a query.

    ``source_ids`` are the official records it stands for (``us_ofac_sdn:<ent_num>``,
    ``un_sc_sanctions:<DATAID>``); ``explanation`` has the name alignment (which query part
    matched which listed part, similarity, weight) and every feature's value and
    contribution, each with its one-line description.
    """

    id: str
    score: float
    match: bool
    source_ids: list[str]
    caption: str
    schema: str
    datasets: list[str]
    topics: list[str] = field(default_factory=list)
    explanation: dict[str, Any] = field(default_factory=dict)

    def to_protocol(self) -> dict[str, Any]:
        """The result as the evaluation protocol's JSON Lines want it."""
        return {
            "id": self.id,
            "score": round(self.score, 4),
            "match": self.match,
            "source_ids": self.source_ids,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "score": round(self.score, 4),
            "match": self.match,
            "source_ids": self.source_ids,
            "caption": self.caption,
            "schema": self.schema,
            "datasets": self.datasets,
            "topics": self.topics,
            "explanation": self.explanation,
        }
