"""What a list match means: the list rules its entry falls under, and the finding for dealing
with it here.

One list can feed several regimes (the UN list is also Kazakhstan's), a merged entry can come
from several lists, and an entry's programs select rules (``UKRAINE-EO13662`` → US-7). The
consequence depends on the trade: the rule's outcome where its regime binds a party of the
trade, exposure (at most ``risk``) where it binds nobody.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from corridor.matching import MatchResult
from corridor.policy.context import Listed
from corridor.policy.findings import rule_finding
from corridor.policy.model import Policy
from corridor.policy.schema import Rule
from corridor.screening.match_summary import describe_match
from corridor.screening.reach import Binding, dealing
from corridor.trade import Finding, FindingKind

#: A source record's topics, programs and sub-list, by source id
#: (:func:`corridor.screening.parties.entry_tags`).
TagsOf = Callable[[str], list[str]]


@dataclass(frozen=True)
class RuleHit:
    """A list rule a matched entry falls under, with the source records it speaks for and
    their topics and programs (a merged entry's UN record carries the UN's programmes, its
    UK record the UK's)."""

    rule: Rule
    source_ids: list[str]
    tags: list[str]


def list_rules_of(
    policy: Policy, match: MatchResult, tags_of: TagsOf, as_of: dt.date
) -> list[RuleHit]:
    """The rules a matched entry falls under, each judged on the records of its own list."""
    out: dict[tuple[str, str], RuleHit] = {}
    datasets = match.datasets or [s.split(":", 1)[0] for s in match.source_ids]
    for dataset in datasets:
        ids = [s for s in match.source_ids if s.startswith(f"{dataset}:")] or match.source_ids
        tags = list(dict.fromkeys(t for i in ids for t in tags_of(i)))
        for rule in policy.list_rules(dataset, tags, as_of=as_of):
            hit = out.setdefault((rule.regime, rule.id), RuleHit(rule, [], []))
            hit.source_ids.extend(i for i in ids if i not in hit.source_ids)
            hit.tags.extend(t for t in tags if t not in hit.tags)
    return list(out.values())


def hit_findings(
    policy: Policy,
    kind: FindingKind,
    subject: str,
    matches: Sequence[MatchResult],
    binding: Binding,
    tags_of: TagsOf,
    as_of: dt.date,
) -> list[Finding]:
    """One finding per list rule a matched entry falls under: what the listing means (the
    rule's title), which entries, how well they matched, and the consequence here."""
    out: list[Finding] = []
    for match in matches:
        if not match.match:
            continue
        how = describe_match(match)[:300] if kind == "vessel" else ""
        for hit in list_rules_of(policy, match, tags_of, as_of):
            rule = hit.rule
            severity, consequence = dealing(rule, binding, what=kind)
            detail = (
                f"{rule.title + ': ' if rule.title else ''}matches "
                f"{match.caption or match.id} [{', '.join(hit.source_ids)}"
                f"{describe_tags(hit.tags)}] "
                f"(score {match.score:.2f}{'; ' + how if how else ''}); {consequence}"
            )
            out.append(rule_finding(rule, kind, subject, severity, detail))
    return out


#: FtM topics are lower-case dotted codes (``sanction.secondary``); programs are not.
_TOPIC = re.compile(r"^[a-z]+(?:\.[a-z]+)*$")


def describe_tags(tags: Sequence[str]) -> str:
    """``, list EL, programs RUSSIA-EO14024`` for a finding's list-entry bracket."""
    lists = [t.removeprefix("list:") for t in tags if t.startswith("list:")]
    programs = [t for t in tags if not (t.startswith(("list:", "entity_list.")) or _TOPIC.match(t))]
    out = f", list {', '.join(lists)}" if lists else ""
    if "entity_list.footnote3" in tags:
        out += " (footnote 3)"
    return out + (f", programs {', '.join(programs)}" if programs else "")


def listed_facts(
    policy: Policy,
    subject: str,
    party: int | None,
    matches: Sequence[MatchResult],
    tags_of: TagsOf,
    as_of: dt.date,
) -> list[Listed]:
    """What the policy is told about one party, owner or vessel found on the lists: each
    list rule an alerting match falls under, with the entry's programs and topics."""
    out: list[Listed] = []
    for match in matches:
        if not match.match:
            continue
        for hit in list_rules_of(policy, match, tags_of, as_of):
            out.append(
                Listed(
                    subject=subject,
                    party=party,
                    authority=hit.rule.authority_id,
                    rule=hit.rule.id,
                    severity=hit.rule.severity,
                    tags=frozenset(hit.tags),
                )
            )
    return out
