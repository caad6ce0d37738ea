"""Regression guard on the public dev set, with the protocol's definitions (PROTOCOL.md §5)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from matching_fixtures import dev_set, real_matcher


def test_dev_recall_fpr_and_conflicts(lists_dir: Path, shared_dir: Path) -> None:
    matcher = real_matcher(lists_dir)
    hits: dict[str, list[bool]] = defaultdict(list)
    false_pos: dict[str, list[bool]] = defaultdict(list)
    best_expected: dict[str, float] = {}
    twins: list[tuple[str, str]] = []
    for query, label in dev_set(shared_dir):
        results = matcher.match_protocol(query)
        expected = set(label["expected"])
        if label["kind"] == "negative":
            false_pos[label["family"]].append(any(r["match"] for r in results))
            continue
        scores = [r["score"] for r in results if expected & set(r["source_ids"])]
        best_expected[query["id"]] = max(scores, default=0.0)
        if label["kind"] == "conflict":
            twins.append((query["id"], label["twin"]))
            continue
        hits[label["family"]].append(
            any(r["match"] and expected & set(r["source_ids"]) for r in results)
        )
    all_hits = [h for v in hits.values() for h in v]
    all_fp = [f for v in false_pos.values() for f in v]
    recall = sum(all_hits) / len(all_hits)
    fpr = sum(all_fp) / len(all_fp)
    print(f"dev recall {recall:.4f} fpr {fpr:.4f}")
    assert recall >= 0.97
    assert fpr <= 0.01
    for family, values in hits.items():
        assert sum(values) / len(values) >= 0.9, family
    for family, values in false_pos.items():
        assert sum(values) / len(values) <= 0.02, family
    lower = sum(best_expected[c] < best_expected[t] for c, t in twins)
    assert lower / len(twins) >= 0.95
