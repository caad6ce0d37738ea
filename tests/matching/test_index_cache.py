"""The index cache beside the database: reused, keyed by snapshots, never stale."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

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
    files = list(cache_dir(url).glob("*.idx"))
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
    assert len(list(cache_dir(url).glob("*.idx"))) == 1


def test_load_returns_what_save_wrote_and_nothing_unreadable(tmp_path: Path) -> None:
    entity = Entity.create("demo", "1", "Company")
    entity.add("name", "Example Trading TOO")
    entity.add("country", "kz")
    matcher = Matcher.from_entities([entity])
    cache = IndexCache(tmp_path / "index")
    assert cache.load("k") is None
    cache.save("k", matcher.entities, matcher.index)
    found = cache.load("k")
    assert found is not None
    entities, index = found
    assert list(entities.ids) == list(matcher.entities.ids)
    assert list(index.tok_str) == list(matcher.index.tok_str)
    assert entities.countries[0] == frozenset({"kz"}) and entities.kinds[0] == "org"
    # The arrays are read-only views of the mapped file, not copies.
    assert not index.tok_names.flags.writeable and not index.tok_names.flags.owndata
    assert cache.load("other key") is None  # a file is only read under its own key
    good = cache.path("k").read_bytes()
    for bad in (
        b"not an index",
        pickle.dumps(("entities", "index")),  # an old pickled cache: never unpickled
        good[:-64],  # cut short: an array would end outside the file
        good.replace(b'"uint64"', b'"object"', 1),  # a dtype that is no plain number
    ):
        cache.path("k").write_bytes(bad)
        assert cache.load("k") is None
    cache.path("k").write_bytes(good)
    reloaded = Matcher(*cache.load("k"))  # type: ignore[misc]
    query = {"schema": "Company", "properties": {"name": ["Example Trading LLP"]}}
    assert reloaded.match_protocol(query) == matcher.match_protocol(query)


def test_keep_four_files_and_drop_pickles(tmp_path: Path) -> None:
    entity = Entity.create("demo", "1", "Person")
    entity.add("name", "Ivan Petrov")
    matcher = Matcher.from_entities([entity])
    cache = IndexCache(tmp_path)
    (tmp_path / "old.pkl").write_bytes(b"x")
    for n in range(6):
        cache.save(f"k{n}", matcher.entities, matcher.index)
        os.utime(cache.path(f"k{n}"), (n, n))  # older first
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"k{n}.idx" for n in (2, 3, 4, 5)]


_LOAD_AND_REPORT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from corridor.matching import Matcher
    from corridor.matching.cache import IndexCache
    cache = IndexCache(Path(sys.argv[1]))
    entities, index = cache.load(sys.argv[2])
    matcher = Matcher(entities, index)
    hits = matcher.match_protocol({"schema": "Person", "properties": {"name": ["ERIC BADEGE"]}})
    total = sum(int(a.sum()) for a in (index.tok_names, index.key_toks, index.name_tids))
    fields = {"Rss": 0, "Shared_Clean": 0, "Shared_Dirty": 0, "Anonymous": 0}
    in_file = False
    for line in open("/proc/self/smaps"):
        head = line.split()[0]
        if head.count("-") == 1 and not head.endswith(":"):  # a mapping's first line
            in_file = line.rstrip().endswith(str(cache.path(sys.argv[2])))
        elif in_file and head[:-1] in fields:
            fields[head[:-1]] += int(line.split()[1])
    print(json.dumps({"hits": hits[0]["source_ids"], "total": total, **fields}), flush=True)
    sys.stdin.read()  # stay alive (and keep the file mapped) until told to end
    """
)


def test_processes_share_the_mapped_index(lists_dir: Path, tmp_path: Path) -> None:
    """Two processes loading the same key map the same file: the second one's pages of it
    are shared with the first (page cache, read-only), and neither holds a private copy."""
    from matching_fixtures import real_matcher

    matcher = real_matcher(lists_dir)
    cache = IndexCache(tmp_path)
    cache.save("shared", matcher.entities, matcher.index)
    command = [sys.executable, "-c", _LOAD_AND_REPORT, str(tmp_path), "shared"]
    first = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert first.stdout is not None
        one = json.loads(first.stdout.readline())
        second = subprocess.run(command, input="", capture_output=True, text=True, check=True)
        two = json.loads(second.stdout)
    finally:
        first.communicate("", timeout=60)
    assert one["hits"] == two["hits"] and "un_sc_sanctions:6907993" in one["hits"]
    assert one["Rss"] > 1000 and two["Rss"] > 1000  # kB of the index file's pages
    assert one["Anonymous"] == two["Anonymous"] == 0  # no private copy in either
    assert two["Shared_Clean"] + two["Shared_Dirty"] >= two["Rss"] // 2  # the first's pages
    index = matcher.index
    assert (
        one["total"]
        == two["total"]
        == sum(int(np.asarray(a).sum()) for a in (index.tok_names, index.key_toks, index.name_tids))
    )


def test_an_index_mapped_read_only_matches_as_the_built_one(
    lists_dir: Path, shared_dir: Path, tmp_path: Path
) -> None:
    """`corridor match` maps the cached index read-only: every path of a query reads its
    arrays (and no array handed to a compiled loop may be one of them). The dev queries,
    and each with its first two name parts written together (a glued part whose names
    come from the joined-part arrays alone), give the same results from the built index
    and from the mapped one."""
    from matching_fixtures import dev_set, real_matcher

    built = real_matcher(lists_dir)
    cache = IndexCache(tmp_path / "index")
    cache.save("k", built.entities, built.index)
    found = cache.load("k")
    assert found is not None
    mapped = Matcher(*found)
    assert not mapped.index.tok_names.flags.writeable
    queries = []
    for query, _label in dev_set(shared_dir):
        queries.append(query)
        name = query["properties"]["name"][0]
        parts = name.split()
        if len(parts) >= 2:
            glued = "".join(parts[:2]) + "".join(" " + p for p in parts[2:])
            queries.append({**query, "properties": {**query["properties"], "name": [glued]}})
    for query in queries:
        assert mapped.match_protocol(query) == built.match_protocol(query), query
