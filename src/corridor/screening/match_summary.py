"""One readable line per list match: which name parts aligned, and which other evidence
counted. Analysts dismiss most alerts from this line alone (a shared common word, a
different country), so it goes into both reports and into vessel findings."""

from __future__ import annotations

from corridor.matching.result import (
    FEATURE_DIGITS,
    SIMILARITY_DIGITS,
    MatchResult,
    unmatched_dict,
)


def describe_match(match: MatchResult) -> str:
    """``korea=korea 1.00, mining=mining 1.00; country match (+0.03)``.

    Numbers are those of the JSON (rounded there), so the line never contradicts it.
    Unmatched parts read as their JSON objects do (``{'part': 'trading', 'weight': 4.37}``):
    the recorded reports and findings carry that text.
    """
    exp = match.explanation
    parts: list[str] = []
    if exp.name is not None:
        pairs = [
            f"{p.query}={p.listed} {round(p.similarity, SIMILARITY_DIGITS):.2f}"
            for p in exp.name.pairs
        ]
        if pairs:
            parts.append(", ".join(pairs))
        missing = [*exp.name.unmatched_query, *exp.name.unmatched_listed]
        if missing:
            parts.append("unmatched: " + ", ".join(str(unmatched_dict(m)) for m in missing))
    for key, feature in exp.features.items():
        contribution = round(feature.contribution, FEATURE_DIGITS)
        if contribution:
            parts.append(f"{key.replace('_', ' ')} ({contribution:+.2f})")
    parts += [hit.description for hit in exp.exact]  # e.g. the exact IMO look-up
    return "; ".join(parts)
