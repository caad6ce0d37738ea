"""The index cache beside the database: reused, keyed by snapshots, never stale."""

from __future__ import annotations

import pickle
from pathlib import Path

from corridor.matching import Matcher
from corridor.matching.cache import IndexCache, cache_dir, cache_key
from corridor.model import Entity
from corridor.sources import registry
from corridor.store import Store


def test_cache_written_reused_and_keyed(lists_dir: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    store = Store(url)
    found = registry.detect(lists_dir)
    store.import_list(
        registry.parse_dataset("un_sc_sanctions", found["un_sc_sanctions"]),
        file_hash="un-test",
        source=str(lists_dir),
    )
    first = Matcher.from_store(store)
    files = list(cache_dir(url).glob("*.pkl"))
    assert len(files) == 1
    second = Matcher.from_store(store)
    assert len(second.entities) == len(first.entities) == 1003
    query = {"schema": "Person", "properties": {"name": ["ERIC BADEGE"]}}
    assert second.match(query)[0].source_ids == ["un_sc_sanctions:6907993"]

    snaps = store.active_snapshots()
    assert cache_key(snaps, None, None) != cache_key(snaps, ["us_ofac_sdn"], None)
    assert cache_key(snaps, None, None) != cache_key(snaps, None, "2020-01-01")
    # Same snapshots chosen, same index: no second file.
    Matcher.from_store(store, datasets=["un_sc_sanctions"])
    assert len(list(cache_dir(url).glob("*.pkl"))) == 1


def test_load_returns_what_save_wrote_and_nothing_unreadable(tmp_path: Path) -> None:
    entity = Entity.create("demo", "1", "Company")
    entity.add("name", "Example Trading TOO")
    matcher = Matcher.from_entities([entity])
    cache = IndexCache(tmp_path / "index")
    assert cache.load("k") is None
    cache.save("k", matcher.entities, matcher.index)
    found = cache.load("k")
    assert found is not None
    entities, index = found
    assert entities.ids == matcher.entities.ids and index.tok_str == matcher.index.tok_str
    cache.path("k").write_bytes(b"not a pickle")
    assert cache.load("k") is None
    cache.path("k").write_bytes(pickle.dumps(("entities", "index")))  # another layout
    assert cache.load("k") is None


def test_match_many_is_lazy_and_ordered(lists_dir: Path) -> None:
    from matching_fixtures import real_matcher

    matcher = real_matcher(lists_dir)
    queries = [
        {"schema": "Person", "properties": {"name": ["Roman LYAGIN"]}},
        {"schema": "Vessel", "properties": {"name": ["NARDIS"]}},
    ]
    results = list(matcher.match_many(iter(queries), limit=1))
    assert [r[0].source_ids for r in results] == [["us_ofac_sdn:17763"], ["us_ofac_sdn:25261"]]
