"""Party screening's side of the match result: the IMO look-up, what is kept, and the JSON."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from pydantic import ValidationError

from corridor.matching import MatchExplanation, MatchResult
from corridor.model import Entity
from corridor.screening.match_summary import describe_match
from corridor.screening.parties import ImoIndex, keep_relevant
from corridor.screening.results import OwnerResult, PartyResult
from corridor.screening.schema import trade_screening_schema

GOLDEN = Path(__file__).resolve().parents[1] / "fixtures" / "screening" / "golden"
REPORTED_KEYS = ["id", "score", "match", "source_ids", "caption", "datasets", "topics"]


def vessel() -> Entity:
    entity = Entity.create("us_ofac_sdn", "999", "Vessel")
    entity.add("name", "PORT OLYA-4")
    entity.add("imoNumber", "IMO 9481934")
    entity.add("topics", "sanction")
    return entity


def result(ident: str, score: float, match: bool) -> MatchResult:
    return MatchResult(ident, score, match, [f"x:{ident}"], ident.upper(), "Company", ["x"])


def test_imo_hit_is_a_match_result_with_exact_evidence() -> None:
    [hit] = ImoIndex([vessel()]).lookup("9481934")
    assert hit.match and hit.score == 1.0 and hit.schema == "Vessel"
    assert hit.explanation.name is None
    assert [(e.prop, e.value) for e in hit.explanation.exact] == [("imoNumber", "9481934")]
    sentence = "IMO 9481934 is the listed hull's IMO number (exact)"
    assert describe_match(hit) == sentence
    party = PartyResult(index=0, role="carrier", name="X", regimes={}, matches=[hit])
    assert party.matches[0] is hit  # carried as it is, not converted
    dumped = party.model_dump(mode="json", by_alias=True)["matches"][0]
    assert list(dumped) == [*REPORTED_KEYS, "explanation"]
    assert dumped["explanation"] == {"imoNumber": sentence}
    assert dumped["source_ids"] == ["us_ofac_sdn:999"] and dumped["topics"] == ["sanction"]


def test_only_match_results_go_into_the_result() -> None:
    with pytest.raises(ValidationError, match="MatchResult"):
        OwnerResult(path="owners[0]", name="H", share=60, matches=[{"id": "x"}])


def test_keep_relevant_keeps_alerts_and_the_best_near_misses() -> None:
    found = [
        result("low", 0.5, False),
        result("near2", 0.7, False),
        result("hit2", 0.85, True),
        result("near1", 0.75, False),
        result("hit1", 0.95, True),
        result("near3", 0.65, False),
    ]
    kept = [r.id for r in keep_relevant(found)]
    assert kept == ["hit1", "hit2", "near1", "near2"]
    assert keep_relevant([]) == []


def test_empty_explanation_writes_an_empty_object() -> None:
    match = result("a", 0.9, True)
    assert match.explanation == MatchExplanation()
    assert match.to_dict()["explanation"] == {}


def test_recorded_screening_output_fits_the_published_schema() -> None:
    defs = trade_screening_schema()["$defs"]
    for path in sorted(GOLDEN.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        jsonschema.validate(document, {"$ref": "#/$defs/ScreeningResult", "$defs": defs})
