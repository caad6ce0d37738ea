"""Reports: JSON output fits the published schema; HTML is self-contained and escaped."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
from rich.console import Console

from corridor.matching import (
    ExactIdentifier,
    FeatureValue,
    MatchExplanation,
    MatchResult,
    NameAlignment,
    PartPair,
)
from corridor.screening.report_html import render_html
from corridor.screening.report_terminal import print_report
from corridor.screening.results import (
    ListVersion,
    OwnerResult,
    PartyResult,
    ScreeningResult,
)
from corridor.screening.schema import schema_json, trade_screening_schema
from corridor.screening.trade_input import load_trade
from corridor.trade import Finding

ROOT = Path(__file__).resolve().parents[2]


def sample_result() -> ScreeningResult:
    match = MatchResult(
        id="us-ofac-sdn-31412",
        score=0.97,
        match=True,
        source_ids=["us_ofac_sdn:31412"],
        caption="AKTSIONERNOE OBSHCHESTVO PASIT",
        schema="Organization",
        datasets=["us_ofac_sdn"],
        topics=["sanction"],
        explanation=MatchExplanation(
            query_name="AO PASIT",
            listed_name="AKTSIONERNOE OBSHCHESTVO PASIT",
            name=NameAlignment(0.97, [PartPair("pasit", "pasit", 1.0, 9.33)]),
            features={"country_match": FeatureValue(1.0, 0.03, "The countries agree.")},
            threshold=0.8,
        ),
    )
    return ScreeningResult(
        verdict="PROHIBITED",
        as_of=dt.date(2024, 8, 16),
        parties=[
            PartyResult(
                index=0,
                role="importer",
                name="<script>alert(1)</script> & Co",
                regimes={"UN": "binds", "US": "binds", "EU": "none", "UK": "none", "KZ": "none"},
                nexus={"US": ["USD clearing through a US correspondent"]},
                matches=[match],
                owners=[OwnerResult(path="owners[0]", name="H", share=60, matches=[match])],
            )
        ],
        findings=[
            Finding(
                kind="party",
                regime="US",
                authority="US-OFAC",
                severity="prohibited",
                rule="US-SDN",
                citation="31 CFR 587",
                confidence="sure",
                subject="party #0",
                detail="matches <b>PASIT</b>",
            )
        ],
        lists=[ListVersion(dataset="us_ofac_sdn", version="2021-07-07:abcdef012345")],
        explanation=["PROHIBITED because of 1 finding:"],
    )


def test_committed_schema_equals_generated():
    committed = (ROOT / "docs" / "trade-screening.schema.json").read_text(encoding="utf-8")
    hint = "regenerate: corridor screen --schema > docs/trade-screening.schema.json"
    assert committed == schema_json(), hint


def test_json_output_validates_against_schema():
    schema = trade_screening_schema()
    result = sample_result().model_dump(mode="json", by_alias=True)
    jsonschema.validate(result, {"$ref": "#/$defs/ScreeningResult", "$defs": schema["$defs"]})
    broken = dict(result, verdict="MAYBE")
    try:
        jsonschema.validate(broken, {"$ref": "#/$defs/ScreeningResult", "$defs": schema["$defs"]})
    except jsonschema.ValidationError as exc:
        assert "MAYBE" in str(exc.message)
    else:
        raise AssertionError("an unknown verdict must not validate")


def test_example_inputs_validate_against_schema():
    import yaml

    schema = trade_screening_schema()
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data = json.loads(json.dumps(data, default=str))  # dates as ISO strings, like JSON input
        jsonschema.validate(data, {"$ref": "#/$defs/Trade", "$defs": schema["$defs"]})


def test_html_is_self_contained_and_escaped():
    trade = load_trade(ROOT / "examples" / "03-kz-reseller-usd.yaml", hs_validator=lambda c: True)
    page = render_html(sample_result(), trade, "examples/03-kz-reseller-usd.yaml")
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in page
    assert "&lt;b&gt;PASIT&lt;/b&gt;" in page
    # no external assets: no src=, no stylesheet links, no url(...) in CSS
    assert not re.search(r"\bsrc=|<link\b|url\(|@import", page)
    assert "<style>" in page and "@media print" in page
    for needle in (
        "PROHIBITED",
        "us_ofac_sdn",
        "2021-07-07:abcdef012345",
        "US-SDN",
        "31 CFR 587",
        "USD clearing through a US correspondent",
        "854231",
    ):
        assert needle in page


def test_terminal_report_shows_verdict_lists_and_findings():
    console = Console(record=True, width=160)
    print_report(sample_result(), None, "t.yaml", console=console)
    text = console.export_text()
    for needle in ("PROHIBITED", "us_ofac_sdn", "US-SDN", "MATCH", "owner H (60 %)"):
        assert needle in text


def test_match_summary_shows_alignment_and_evidence():
    from corridor.screening.match_summary import describe_match

    match = MatchResult(
        id="x",
        score=0.86,
        match=True,
        source_ids=["us_ofac_sdn:1"],
        caption="PASIT",
        schema="Company",
        datasets=["us_ofac_sdn"],
        explanation=MatchExplanation(
            query_name="Pasit Trading",
            listed_name="PASIT",
            name=NameAlignment(0.86, [PartPair("pasit", "pasit", 1.0, 9.3)], [("trading", 4.371)]),
            features={
                "country_match": FeatureValue(1.0, 0.03, "The countries agree."),
                "dob_match": FeatureValue(0.0, 0.0, "The birth dates agree."),
            },
            threshold=0.8,
            exact=[ExactIdentifier("imoNumber", "9481934", "IMO 9481934 is the listed hull's …")],
        ),
    )
    assert describe_match(match) == (
        "pasit=pasit 1.00; unmatched: {'part': 'trading', 'weight': 4.37}; "
        "country match (+0.03); IMO 9481934 is the listed hull's …"
    )
    bare = MatchResult(
        id="y", score=1, match=True, source_ids=[], caption="Y", schema="Person", datasets=[]
    )
    assert describe_match(bare) == ""


def test_terminal_report_groups_findings_and_names_nexus_rules():
    result = sample_result()
    result.parties[0].nexus = {
        "UN": ["UN-1-member-state: UN measures bind every member state — party 0 [Art. 25; sure]"],
        "US": [
            "US-2-usd-clearing: USD payment — payment in USD [50 U.S.C. 1705(a); likely]",
            "also exposure: US-5-ffi-secondary: FFI — bank [EO 14024 s.11; sure]",
        ],
        "EU": ["KZ-4-unilateral-not-law: not Kazakh law — party 0 is of KZ [policy; likely]"],
        "UK": ["KZ-4-unilateral-not-law: not Kazakh law — party 0 is of KZ [policy; likely]"],
    }
    result.findings += [
        Finding(
            kind="goods",
            regime="EU",
            authority="EU",
            severity="risk",
            rule="EU-7-no-russia-clause",
            citation="Art. 12g",
            confidence="sure",
            subject=f"goods line {i}",
            detail=f"clause needed for line {i}",
            outcome="REVIEW",
        )
        for i in range(12)
    ]
    console = Console(record=True, width=200)
    print_report(result, None, "t.yaml", console=console)
    text = console.export_text()
    assert "Findings (13, 2 after grouping by rule)" in text
    assert text.count("EU-7-no-russia-clause") == 1
    assert "goods lines 0–11" in text and "x12" in text
    assert (
        "#0 importer: UN binds (UN-1-member-state); US binds (US-2-usd-clearing; also "
        "exposure US-5-ffi-secondary); EU, UK none (KZ-4-unilateral-not-law)" in text
    )
