"""FtM JSON lines: full exports and deltas, on the OpenSanctions samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corridor.errors import SourceError
from corridor.model import validate_ftm
from corridor.sources.ftm import SCREENING_SCHEMATA, parse_ftm, parse_ftm_delta


def _records(path: Path) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def test_full_export(shared_dir: Path) -> None:
    files = [
        shared_dir / "data" / "opensanctions" / n
        for n in ("eu_fsf_sample.ftm.json", "zala_sample.ftm.json")
    ]
    expected = [r for f in files for r in _records(f) if r["schema"] in SCREENING_SCHEMATA]
    entities = list(parse_ftm(files, "opensanctions").entities)
    assert [e.id for e in entities] == [r["id"] for r in expected]
    for entity, record in zip(entities, expected, strict=True):
        validate_ftm(entity)
        assert entity.source_id == f"opensanctions:{record['id']}"
        assert entity.get("name") == record["properties"]["name"]


def test_delta(shared_dir: Path, tmp_path: Path) -> None:
    sample = shared_dir / "data" / "opensanctions" / "sample.delta.json"
    ops = list(parse_ftm_delta(sample))
    assert [op for op, _ in ops] == [r["op"] for r in _records(sample)]
    delta = tmp_path / "delta.json"
    first = _records(sample)[0]
    delta.write_text(
        "\n".join(
            [
                json.dumps({"op": "mod", "entity": first["entity"]}),
                json.dumps({"op": "DEL", "entity": {"id": "NK-gone"}}),
            ]
        ),
        encoding="utf-8",
    )
    (op1, mod), (op2, gone) = parse_ftm_delta(delta, "opensanctions")
    assert op1 == "MOD" and mod.id == first["entity"]["id"]
    assert op2 == "DEL" and gone.id == "NK-gone" and gone.properties == {}
    assert gone.source_id == "opensanctions:NK-gone"


def test_bad_ftm_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"id": "a", "schema": "Person", "properties": {"name": ["A"]}}\n{"id": ', encoding="utf-8"
    )
    with pytest.raises(SourceError) as err:
        list(parse_ftm([bad], "x").entities)
    assert err.value.line == 2
    bad.write_text('{"op": "UPSERT", "entity": {"id": "a"}}\n', encoding="utf-8")
    with pytest.raises(SourceError, match="unknown delta op"):
        list(parse_ftm_delta(bad))
    bad.write_bytes('{"id": "a"}'.encode("utf-16"))
    with pytest.raises(SourceError, match="UTF-8") as err:
        list(parse_ftm([bad], "x").entities)
    assert err.value.line == 1
    good = '{"id": "a", "schema": "Person", "properties": {"name": ["A"]}}\n'
    bad.write_bytes((good * 3).encode() + b'{"id": "b\xff"}\n')
    with pytest.raises(SourceError, match="UTF-8") as err:
        list(parse_ftm([bad], "x").entities)
    assert err.value.line == 4
