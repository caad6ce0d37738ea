"""corridor's match results in yente's shapes.

A scored result is the merged entity as :class:`~corridor.screening.serving.Index` holds it (id,
caption, schema, properties, datasets, referents, dates) plus the score, the match flag for
the request's threshold, ``features`` (yente's name -> value), ``explanations`` (the newer
per-feature form yente clients read) and ``explanation`` (corridor's own: the name
alignment part by part).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from corridor.matching import MatchResult
from corridor.matching.result import FEATURE_DIGITS, SCORE_DIGITS
from corridor.matching.score import FEATURES
from corridor.screening.serving import Index

ALGORITHM = "corridor"
#: Feature name of the name comparison in ``features`` / ``explanations``.
NAME_FEATURE = "name"
WEIGHTS = {f.name: f.weight for f in FEATURES}


@cache
def feature_docs() -> dict[str, dict[str, Any]]:
    """Every feature of corridor's score table, as yente's ``FeatureDocs``."""
    docs: dict[str, dict[str, Any]] = {
        NAME_FEATURE: {
            "description": "The best pairing of name parts (fuzzy per part, weighted by "
            "rarity); the score starts from it",
            "coefficient": 1.0,
            "url": None,
        }
    }
    for f in FEATURES:
        docs[f.name] = {"description": f.description, "coefficient": f.weight, "url": None}
    return docs


def scored_entity(index: Index, result: MatchResult, threshold: float) -> dict[str, Any]:
    """One result of ``/match`` (``ScoredEntityResponse``)."""
    base = index.entities.get(result.id)
    out: dict[str, Any] = dict(base) if base is not None else _bare(result)
    ex = result.explanation
    features: dict[str, float] = {}
    explanations: dict[str, dict[str, Any]] = {}
    if ex.name is not None:
        score = round(ex.name.score, SCORE_DIGITS)
        features[NAME_FEATURE] = score
        explanations[NAME_FEATURE] = {
            "score": score,
            "detail": "name parts aligned: "
            + ", ".join(f"{p.query}~{p.listed}" for p in ex.name.pairs),
            "query": ex.query_name,
            "candidate": ex.listed_name,
            "weight": 1.0,
        }
    for name, f in ex.features.items():
        if f.value:
            value = round(f.value, FEATURE_DIGITS)
            features[name] = value
            explanations[name] = {
                "score": value,
                "detail": f.description,
                "query": None,
                "candidate": None,
                "weight": WEIGHTS.get(name),
            }
    for hit in ex.exact:
        features[hit.prop] = 1.0
        explanations[hit.prop] = {
            "score": 1.0,
            "detail": hit.description,
            "query": hit.value,
            "candidate": hit.value,
            "weight": None,
        }
    out["score"] = result.score
    out["match"] = result.score >= threshold
    out["features"] = features
    out["explanations"] = explanations
    out["explanation"] = explanation = ex.to_dict()
    if "threshold" in explanation:
        explanation["threshold"] = threshold  # the request's, which `match` follows
    out["source_ids"] = result.source_ids
    return out


def _bare(result: MatchResult) -> dict[str, Any]:
    """A result whose entity is not in the index's table (an IMO look-up hit)."""
    return {
        "id": result.id,
        "caption": result.caption,
        "schema": result.schema,
        "properties": {},
        "datasets": result.datasets,
        "referents": result.source_ids,
        "target": True,
        "first_seen": None,
        "last_seen": None,
        "last_change": None,
    }
