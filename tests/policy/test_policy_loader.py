"""Loading policy files: the package data validates; bad files fail naming file, rule and field;
an override file replaces or adds rules by id."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
import yaml
from policy_helpers import trade

from corridor.errors import InputError
from corridor.policy import load_policy, trade_findings
from corridor.policy.loader import package_files

ROOT = Path(__file__).resolve().parents[2]

GOOD_RULE = """
schema_version: 1
rules:
  - id: BANK-1-no-kz-to-ru
    regime: EU
    type: finding
    kind: goods
    scope: goods
    outcome: prohibited
    title: "Bank appetite: no goods from Kazakhstan to Russia"
    when:
      all:
        - {test: exported_from, countries: [kz]}
        - {test: destination_in, countries: ["@RU"]}
    citation: "Internal risk appetite statement 2024-01"
    effective_from: 2024-01-01
    confidence: sure
    source: "bank policy manual §4"
"""


def write(tmp_path: Path, text: str, name: str = "override.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_package_policy_loads_with_citations_sources_and_confidence() -> None:
    policy = load_policy()
    assert len(policy.rules) >= 45
    assert {r.regime for r in policy.rules.values()} == {"UN", "US", "EU", "UK", "KZ"}
    for rule in policy.rules.values():
        assert rule.citation and rule.source and rule.confidence in ("sure", "likely", "unsure")
    assert policy.rule("EU-7-no-russia-clause").effective_from == dt.date(2024, 3, 20)
    assert len(policy.goods_lists["chpl"].entries) == 50
    assert {e.tier for e in policy.goods_lists["chpl"].entries} == {
        "1",
        "2",
        "3.A",
        "3.B",
        "4.A",
        "4.B",
    }


#: Reference rules whose citation or confidence the legal model review revised, and why
#: (docs/legal-sources.md records the sources).
REVISED = {
    "US-1b-foreign-sub-not-bound": "cited sources that are not sanctions law; EO 14024 s.6(c)",
    "US-2-usd-clearing": "adds the Iran embargo's services prohibition (31 CFR 560.204)",
    "US-4-designation-risk-material-support": "FAQ 980's limit stated in the citation",
    "US-5-ffi-secondary": "the critical-items determination and FAQ 1182 (agriculture, medicine)",
    "US-7-caatsa-mandatory": "all four Ukraine-related EOs, not one",
    "EAR-2-de-minimis": "Country Groups E:1 and E:2 for the 10 % level",
    "EAR-5-russia-licence": "Supp. No. 4, not Supp. No. 2, carries the licence requirement",
    "EU-12-export-for-use-in-russia": "per-annex articles instead of 'e.g.'",
    "KZ-2-wmd-list-un": "Art. 12-1 is the proliferation list: DPRK designations only",
}


def test_reference_citations_kept_verbatim(shared_dir: Path) -> None:
    """Rules taken from the reference table carry its citation and confidence unchanged,
    except those the legal model review revised (each with its reason above)."""
    ref = yaml.safe_load((shared_dir / "reference/regimes/nexus_rules.yaml").read_text())
    policy = load_policy()
    checked = 0
    for regime in ref["regimes"]:
        for ref_rule in regime["rules"]:
            rule = policy.rules.get(ref_rule["id"])
            assert rule is not None, f"reference rule {ref_rule['id']} missing"
            if rule.id in REVISED:
                assert "docs/legal-sources.md" in rule.source, rule.id
                continue
            assert rule.confidence == ref_rule["confidence"], rule.id
            if "citation" in ref_rule:
                assert rule.citation == ref_rule["citation"], rule.id
                checked += 1
    assert checked >= 30


def test_override_replaces_rule_by_id(tmp_path: Path) -> None:
    base = load_policy()
    assert base.rule("EU-7-no-russia-clause").outcome == "risk"
    rule = base.rule("EU-7-no-russia-clause").model_dump(exclude_none=True)
    rule["outcome"] = "prohibited"
    rule["effective_from"] = rule["effective_from"].isoformat()
    path = write(tmp_path, yaml.safe_dump({"schema_version": 1, "rules": [rule]}))
    policy = load_policy([path])
    assert policy.rule("EU-7-no-russia-clause").outcome == "prohibited"
    assert len(policy.rules) == len(base.rules)
    t = trade(["exporter:de", "importer:kz"], ["854231:de"], "de kz")
    found = [
        f
        for f in trade_findings(policy, t, dt.date(2024, 8, 16))
        if f.rule == "EU-7-no-russia-clause"
    ]
    assert found and found[0].severity == "prohibited"
    assert base.rule("EU-7-no-russia-clause").outcome == "risk"  # the package policy is intact


def test_override_adds_rule(tmp_path: Path) -> None:
    policy = load_policy([write(tmp_path, GOOD_RULE)])
    t = trade(["exporter:kz", "importer:ru"], ["100390:kz"], "kz ru")
    rules = {f.rule for f in trade_findings(policy, t, dt.date(2024, 8, 16))}
    assert "BANK-1-no-kz-to-ru" in rules
    assert "BANK-1-no-kz-to-ru" not in {
        f.rule for f in trade_findings(policy, t, dt.date(2023, 8, 16))
    }


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "rules:\n  - id: X-1\n    regime: [EU\n")
    with pytest.raises(InputError) as err:
        load_policy([path])
    assert str(path) in str(err.value) and "line" in str(err.value)
    assert "malformed YAML" in str(err.value)


def test_a_policy_file_in_another_encoding_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "override.yaml"
    path.write_bytes(
        textwrap.dedent(GOOD_RULE).replace("Bank appetite", "Bank’s appetite").encode("cp1252")
    )
    with pytest.raises(InputError, match=r"override.yaml: line 10 is not UTF-8 text \(byte 0x92\)"):
        load_policy([path])


def test_a_goods_list_file_in_another_encoding_or_with_a_mark(tmp_path: Path) -> None:
    policy = write(
        tmp_path,
        """
        schema_version: 1
        goods_lists:
          - id: my_list
            name: My list
            regime: EU
            citation: "internal"
            confidence: sure
            complete: false
            version: "1"
            source: "internal"
            file: my_list.csv
        """,
    )
    csv_file = tmp_path / "my_list.csv"
    csv_file.write_bytes("code,tier\n8542,Stufe ä\n".encode("cp1252"))
    with pytest.raises(InputError, match=r"my_list.csv: line 2 is not UTF-8 text \(byte 0xe4\)"):
        load_policy([policy])
    csv_file.write_bytes(b"\xef\xbb\xbfcode\n8542\n")  # the mark is not part of "code"
    assert len(load_policy([policy]).goods_lists["my_list"].entries) == 1


def test_unknown_key_names_rule(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_RULE.replace("    confidence: sure", "    confidense: sure"))
    with pytest.raises(InputError) as err:
        load_policy([path])
    msg = str(err.value)
    assert "BANK-1-no-kz-to-ru" in msg and "confidense" in msg and str(path) in msg


def test_bad_date_names_rule_and_field(tmp_path: Path) -> None:
    path = write(
        tmp_path, GOOD_RULE.replace("effective_from: 2024-01-01", "effective_from: 2024-13-45")
    )
    with pytest.raises(InputError) as err:
        load_policy([path])
    assert "rule BANK-1-no-kz-to-ru: effective_from" in str(err.value)


def test_end_before_start_is_an_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_RULE.replace(
            "    confidence: sure", "    effective_to: 2023-01-01\n    confidence: sure"
        ),
    )
    with pytest.raises(InputError, match="effective_to is before effective_from"):
        load_policy([path])


def test_unknown_regime(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_RULE.replace("regime: EU", "regime: JP"))
    with pytest.raises(InputError) as err:
        load_policy([path])
    assert "rule BANK-1-no-kz-to-ru: regime" in str(err.value) and "'JP'" in str(err.value)


def test_unknown_test_name(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_RULE.replace("test: exported_from", "test: shipped_from"))
    with pytest.raises(InputError) as err:
        load_policy([path])
    assert "unknown test 'shipped_from'" in str(err.value)
    assert "rule BANK-1-no-kz-to-ru: when.all[0].test" in str(err.value)


def test_wrong_test_parameter(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_RULE.replace(
            "{test: exported_from, countries: [kz]}", "{test: exported_from, country: [kz]}"
        ),
    )
    with pytest.raises(InputError, match=r"has no parameter\(s\) \['country'\]"):
        load_policy([path])


def test_test_needing_a_subject_the_scope_lacks(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        GOOD_RULE.replace(
            "{test: exported_from, countries: [kz]}", "{test: leg_country_in, countries: [kz]}"
        ),
    )
    with pytest.raises(InputError, match="needs a leg"):
        load_policy([path])


def test_unknown_country_group_and_goods_list(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_RULE.replace('"@RU"', '"@MARS"'))
    with pytest.raises(InputError, match="unknown country group @MARS"):
        load_policy([path])
    path = write(
        tmp_path,
        GOOD_RULE.replace(
            "{test: exported_from, countries: [kz]}", "{test: goods_in_list, lists: [nope]}"
        ),
        "b.yaml",
    )
    with pytest.raises(InputError, match="unknown goods list 'nope'"):
        load_policy([path])


def test_nexus_rule_cannot_read_nexus(tmp_path: Path) -> None:
    text = GOOD_RULE.replace("type: finding", "type: nexus").replace(
        "outcome: prohibited", "outcome: binds"
    )
    text = text.replace("    kind: goods\n    scope: goods\n", "")
    text = text.replace(
        "{test: exported_from, countries: [kz]}", "{test: party_bound_by, regime: EU}"
    )
    with pytest.raises(InputError, match="cannot be used in a nexus rule"):
        load_policy([write(tmp_path, text)])


def test_bare_no_is_caught(tmp_path: Path) -> None:
    """YAML 1.1 reads a bare ``no`` (Norway) as false: the group check says so."""
    path = write(tmp_path, "country_groups: {NORDIC: [se, no]}\n")
    with pytest.raises(InputError, match="country_groups.NORDIC"):
        load_policy([path])


def test_missing_override_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="policy file not found"):
        load_policy([tmp_path / "absent.yaml"])


def test_package_files_are_yaml_under_data() -> None:
    names = {p.name for p in package_files()}
    assert {
        "regimes.yaml",
        "lists.yaml",
        "ports.yaml",
        "eu.yaml",
        "us.yaml",
        "ear.yaml",
        "uk.yaml",
        "un.yaml",
        "kz.yaml",
    } <= names


def test_unused_tests_work(tmp_path: Path) -> None:
    """Tests offered to override files but not used by the package rules."""
    path = write(
        tmp_path,
        """
        schema_version: 1
        rules:
          - id: BANK-2-old-contracts
            regime: EU
            type: finding
            kind: goods
            scope: goods
            outcome: risk
            title: "Pre-package contract for aircraft parts"
            when:
              all:
                - {test: goods_hs_prefix_in, prefixes: ["8807"]}
                - {test: as_of_before, date: 2024-12-20}
                - any_party:
                    all:
                      - {test: party_role_in, roles: [exporter]}
                      - {test: party_bound_by, regime: EU}
            citation: "Reg. 833/2014 Art. 12g transitional period"
            confidence: likely
            source: "regimes.md §4.5"
        """,
    )
    policy = load_policy([path])
    t = trade(["exporter:de", "importer:kz"], ["880730:de"], "de kz")
    assert "BANK-2-old-contracts" in {
        f.rule for f in trade_findings(policy, t, dt.date(2024, 5, 1))
    }
    assert "BANK-2-old-contracts" not in {
        f.rule for f in trade_findings(policy, t, dt.date(2025, 1, 1))
    }
    kz = trade(["exporter:kz", "importer:kz"], ["880730:de"], "kz")
    assert "BANK-2-old-contracts" not in {
        f.rule for f in trade_findings(policy, kz, dt.date(2024, 5, 1))
    }


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{test: as_of_before, date: 2024-13-01}", "parameter date: '2024-13-01' is not a date"),
        (
            "{test: any_party_country_in, countries: [ru], roles: [shipper]}",
            "unknown role(s) ['shipper']",
        ),
        ("{test: goods_hs_prefix_in, prefixes: [88a]}", "HS code prefixes"),
        ("{test: goods_eccn_category_in, categories: [12]}", "CCL categories 0-9"),
        ("{test: route_country_in, countries: [ru], transit_only: yes-please}", "true or false"),
        ("{test: exported_from, countries: kz}", "list of strings"),
    ],
)
def test_bad_test_parameters(tmp_path: Path, bad: str, message: str) -> None:
    path = write(tmp_path, GOOD_RULE.replace("{test: exported_from, countries: [kz]}", bad))
    with pytest.raises(InputError) as err:
        load_policy([path])
    assert message in str(err.value) and "rule BANK-1-no-kz-to-ru" in str(err.value)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("    targets: [US]\n", "'targets' is for nexus rules with outcome none"),
        ("    text: hello\n", "'text' is for suggestion rules"),
    ],
)
def test_keys_that_do_not_fit_the_rule_type(tmp_path: Path, extra: str, message: str) -> None:
    path = write(
        tmp_path, GOOD_RULE.replace("    confidence: sure\n", "    confidence: sure\n" + extra)
    )
    with pytest.raises(InputError, match=message):
        load_policy([path])


def test_sources_name_reference_files_that_exist(shared_dir: Path) -> None:
    """Provenance: each rule's ``source`` names files of ../shared/reference (or the lists
    README) that exist, and a cited reference rule id exists in nexus_rules.yaml."""
    import re

    reference = shared_dir / "reference"
    ref_ids = {
        r["id"]
        for regime in yaml.safe_load((reference / "regimes/nexus_rules.yaml").read_text())[
            "regimes"
        ]
        for r in regime["rules"]
    }
    policy = load_policy()
    items = [(r.id, r.source) for r in policy.rules.values()]
    items += [(g.id, g.source) for g in policy.goods_lists.values()]
    items += [(p.id, p.source) for p in policy.ports.values()]
    items += [(e.id, e.source) for e in policy.entity_lists.values()]
    sections = re.findall(r"^## (§\d+)", (ROOT / "docs/legal-sources.md").read_text(), re.M)
    for ident, source in items:
        files = re.findall(r"((?:regimes|goods|data/lists)/[\w.]+\.(?:md|yaml|csv))", source)
        short = re.findall(r"(?:^|; )([\w]+\.(?:md|yaml|csv))", source)
        own = re.findall(r"docs/legal-sources\.md ((?:§\d+(?:, )?)+)", source)
        assert files or short or own, f"{ident}: source names no reference file"
        for cited in own:
            for section in re.findall(r"§\d+", cited):
                assert section in sections, f"{ident}: docs/legal-sources.md has no {section}"
        for name in files:
            base = shared_dir if name.startswith("data/") else reference
            assert (base / name).is_file(), f"{ident}: {name}"
        for name in short:
            assert list(reference.rglob(name)), f"{ident}: {name}"
        for cited in re.findall(r"nexus_rules\.yaml ([\w-]+)", source):
            assert cited in ref_ids, f"{ident}: {cited} not in the reference table"
