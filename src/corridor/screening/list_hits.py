"""What a list match means: the list rules its entry falls under, and the finding for dealing
with it here.

One list can feed several regimes (the UN list is also Kazakhstan's), a merged entry can come
from several lists, and an entry's programs select rules (``UKRAINE-EO13662`` → US-7). The
consequence depends on the trade: the rule's outcome where its regime binds a party of the
trade, exposure (at most ``risk``) where it binds nobody.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from corridor.matching import MatchResult
from corridor.policy.context import Listed
from corridor.policy.findings import rule_finding
from corridor.policy.model import Policy
from corridor.policy.schema import Rule
from corridor.screening.match_summary import describe_match
from corridor.screening.reach import Binding, dealing
from corridor.trade import Finding, FindingKind

#: A listed entry's programs and sub-list (:func:`corridor.screening.parties.entry_tags`).
TagsOf = Callable[[MatchResult], list[str]]


def list_rules_of(
    policy: Policy, match: MatchResult, tags: Sequence[str], as_of: dt.date
) -> list[tuple[Rule, list[str]]]:
    """The rules a matched entry falls under, each with the source records behind it."""
    out: dict[tuple[str, str], tuple[Rule, list[str]]] = {}
    datasets = match.datasets or [s.split(":", 1)[0] for s in match.source_ids]
    for dataset in datasets:
        ids = [s for s in match.source_ids if s.startswith(f"{dataset}:")]
        for rule in policy.list_rules(dataset, [*match.topics, *tags], as_of=as_of):
            _, seen = out.setdefault((rule.regime, rule.id), (rule, []))
            seen += [i for i in ids or match.source_ids if i not in seen]
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
        tags = tags_of(match)
        how = describe_match(match)[:300] if kind == "vessel" else ""
        listed = describe_tags(tags)
        for rule, source_ids in list_rules_of(policy, match, tags, as_of):
            severity, consequence = dealing(rule, binding, what=kind)
            detail = (
                f"{rule.title + ': ' if rule.title else ''}matches "
                f"{match.caption or match.id} [{', '.join(source_ids)}{listed}] "
                f"(score {match.score:.2f}{'; ' + how if how else ''}); {consequence}"
            )
            out.append(rule_finding(rule, kind, subject, severity, detail))
    return out


def describe_tags(tags: Sequence[str]) -> str:
    """``, list EL, programs RUSSIA-EO14024`` for a finding's list-entry bracket."""
    lists = [t.removeprefix("list:") for t in tags if t.startswith("list:")]
    programs = [t for t in tags if not t.startswith(("list:", "entity_list."))]
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
        tags = tags_of(match)
        for rule, _ in list_rules_of(policy, match, tags, as_of):
            out.append(
                Listed(
                    subject=subject,
                    party=party,
                    authority=rule.authority_id,
                    rule=rule.id,
                    severity=rule.severity,
                    tags=frozenset([*match.topics, *tags]),
                )
            )
    return out
