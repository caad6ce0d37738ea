"""Shared helpers for the matching tests: a matcher over the real UN + OFAC files."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from corridor.matching import Matcher
from corridor.sources import registry

EVAL_DATASETS = ("un_sc_sanctions", "us_ofac_sdn")


@cache
def real_matcher(lists_dir: Path) -> Matcher:
    """UN + OFAC SDN, parsed from ../shared/data/lists (what the evaluation indexes)."""
    found = registry.detect(lists_dir)
    entities = []
    for name in EVAL_DATASETS:
        entities.extend(registry.parse_dataset(name, found[name]).entities)
    return Matcher.from_entities(entities)


def dev_set(shared_dir: Path) -> list[tuple[dict, dict]]:
    """(query, label) pairs of the public dev set."""
    dev = shared_dir / "eval" / "dev"
    queries = {}
    for line in (dev / "queries.jsonl").open(encoding="utf-8"):
        q = json.loads(line)
        queries[q["id"]] = q
    pairs = []
    for line in (dev / "labels.jsonl").open(encoding="utf-8"):
        label = json.loads(line)
        pairs.append((queries[label["id"]], label))
    return pairs
