"""The store on the real UN and OFAC files: counts, attached aliases/addresses, FtM round trip."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from defusedxml import ElementTree

from corridor.model import SCHEMATA, Entity, validate_ftm
from corridor.sources import registry
from corridor.sources.ftm import parse_ftm
from corridor.sources.ofac_remarks import SECONDARY_TOPIC
from corridor.store import Store, dataset_hash

UN = "un_sc_sanctions"
SDN = "us_ofac_sdn"


def _norm(text: str) -> str:
    return " ".join(text.split())


def ofac_rows(path: Path) -> list[list[str]]:
    """Rows of an OFAC legacy CSV, minus the one-field DOS EOF row at the end."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle) if len(row) >= 2]


@pytest.fixture(scope="module")
def store(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Store:
    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'lists.db'}"
    store = Store(url)
    for name, paths in registry.detect(lists_dir).items():
        store.import_list(
            registry.parse_dataset(name, paths),
            file_hash=dataset_hash(paths),
            source=str(lists_dir),
        )
    return store


def test_un_counts_match_the_xml(store: Store, lists_dir: Path) -> None:
    root = ElementTree.parse(lists_dir / "un" / "UN_consolidated.xml").getroot()
    individuals = len(root.findall("./INDIVIDUALS/INDIVIDUAL"))
    entities = len(root.findall("./ENTITIES/ENTITY"))
    assert individuals > 0 and entities > 0
    assert store.count_entities(UN) == {"Person": individuals, "Organization": entities}
    [snap] = store.snapshots(UN)
    assert snap.entity_count == individuals + entities
    assert snap.list_date == root.get("dateGenerated")[:10]


def test_ofac_has_every_sdn_row_with_aliases_and_addresses(store: Store, lists_dir: Path) -> None:
    sdn = ofac_rows(lists_dir / "ofac" / "sdn.csv")
    entities = {e.source_id: e for e in store.iter_entities([SDN])}
    assert set(entities) == {f"{SDN}:{row[0].strip()}" for row in sdn}
    assert sum(store.count_entities(SDN).values()) == len(sdn)
    for row in ofac_rows(lists_dir / "ofac" / "alt.csv"):
        entity = entities[f"{SDN}:{row[0].strip()}"]
        names = {_norm(v) for p in ("alias", "previousName", "weakAlias") for v in entity.get(p)}
        assert _norm(row[3]) in names, row
    streets = 0
    for row in ofac_rows(lists_dir / "ofac" / "add.csv"):
        street = row[2].strip()
        if street in ("", "-0-"):
            continue
        streets += 1
        entity = entities[f"{SDN}:{row[0].strip()}"]
        assert any(_norm(street) in _norm(a) for a in entity.get("address")), row
    assert streets > 1000


@pytest.mark.parametrize("dataset", [UN, SDN])
def test_ftm_export_round_trips_and_validates(store: Store, lists_dir: Path, dataset: str) -> None:
    out = io.StringIO()
    count = store.export_ftm(dataset, out)
    exported = [Entity.from_ftm(json.loads(line)) for line in out.getvalue().splitlines()]
    assert count == len(exported) == store.active_snapshot(dataset).entity_count
    paths = registry.detect(lists_dir)[dataset]
    parsed = {e.id: e for e in registry.parse_dataset(dataset, paths).entities}
    assert {e.id: e for e in exported} == parsed
    for entity in exported:
        validate_ftm(entity)


def test_iter_entities_reads_every_active_entity(store: Store) -> None:
    total = sum(s.entity_count for s in store.active_snapshots())
    seen = [e for e in store.iter_entities()]
    assert len(seen) == total == len({e.id for e in seen})
    assert store.get_entity(seen[0].id) == seen[0]


def test_every_stored_schema_is_one_corridor_produces(store: Store) -> None:
    for snap in store.active_snapshots():
        assert set(store.count_entities(snap.dataset)) <= set(SCHEMATA), snap.dataset


def test_secondary_sanctions_topic_survives_export_and_reload(store: Store, tmp_path: Path) -> None:
    """``sanction.secondary`` is not an FtM topic: FtM's cleaning drops it, corridor keeps it."""
    from followthemoney import registry as ftm_registry

    assert ftm_registry.topic.clean(SECONDARY_TOPIC) is None
    marked = {e.id for e in store.iter_entities([SDN]) if SECONDARY_TOPIC in e.get("topics")}
    assert marked
    path = tmp_path / "sdn.ftm.json"
    with open(path, "w", encoding="utf-8") as out:
        store.export_ftm(SDN, out)
    reloaded = list(parse_ftm([path], SDN).entities)
    assert {e.id for e in reloaded if SECONDARY_TOPIC in e.get("topics")} == marked
    for entity in reloaded:
        if entity.id in marked:
            validate_ftm(entity)


def test_export_reports_progress(store: Store) -> None:
    seen: list[int] = []
    count = store.export_ftm(SDN, io.StringIO(), progress=seen.append)
    assert len(seen) > 2 and seen == sorted(seen) and seen[-1] == count
