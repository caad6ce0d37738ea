"""One readable line per list match: which name parts aligned, and which other evidence
counted. Analysts dismiss most alerts from this line alone (a shared common word, a
different country), so it goes into both reports and into vessel findings."""

from __future__ import annotations

from typing import Any

from corridor.screening.results import PartyMatch


def describe_match(match: PartyMatch) -> str:
    """``korea=korea 1.00, mining=mining 1.00; unmatched: —; country agrees (+0.03)``."""
    exp: dict[str, Any] = match.explanation or {}
    parts: list[str] = []
    name = exp.get("name")
    if isinstance(name, dict):
        pairs = [
            f"{p.get('query')}={p.get('listed')} {float(p.get('similarity', 0)):.2f}"
            for p in name.get("pairs", [])
            if isinstance(p, dict)
        ]
        if pairs:
            parts.append(", ".join(pairs))
        missing = list(name.get("unmatched_query", [])) + list(name.get("unmatched_listed", []))
        if missing:
            parts.append("unmatched: " + ", ".join(str(m) for m in missing))
    features = exp.get("features")
    if isinstance(features, dict):
        for key, feature in features.items():
            if not isinstance(feature, dict):
                continue
            contribution = float(feature.get("contribution") or 0)
            if contribution:
                parts.append(f"{key.replace('_', ' ')} ({contribution:+.2f})")
    for key, value in exp.items():  # plain-text evidence, e.g. the exact IMO look-up
        if key not in ("name", "features", "query_name", "listed_name", "threshold") and isinstance(
            value, str
        ):
            parts.append(value)
    return "; ".join(parts)
