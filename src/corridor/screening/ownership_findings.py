"""Declared owners screened against the lists, and what their listings mean for the party.

Each declared owner (and its own owners, and a declared parent) is matched against the lists;
a match that falls under a *blocking* list rule makes the owner listed under that rule's
regime. Each regime's ownership rule then says whether the party counts as listed itself
(:func:`corridor.screening.ownership.ownership_test`), and the finding explains the chain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from corridor.policy.findings import rule_finding
from corridor.policy.model import Policy
from corridor.policy.schema import Rule
from corridor.screening.list_hits import TagsOf, list_rules_of
from corridor.screening.ownership import Listing, OwnerNode, OwnershipResult, ownership_test
from corridor.screening.parties import PartyScreener
from corridor.screening.reach import Binding, dealing
from corridor.screening.results import OwnerResult
from corridor.trade import AUTHORITIES, Finding, Owner


def screen_owner(
    owner: Owner, screener: PartyScreener, policy: Policy, tags_of: TagsOf, as_of: dt.date
) -> OwnerNode:
    """An owner and its owners, matched against the lists, with the blocking listings found."""
    matches = screener.screen(owner.name, owner.schema_, owner.country, {})
    node = OwnerNode(
        name=owner.name,
        share=owner.share,
        country=owner.country,
        owners=[screen_owner(o, screener, policy, tags_of, as_of) for o in owner.owners],
        matches=matches,
        control=owner.control,
    )
    for match in matches:
        if not match.match:
            continue
        for hit in list_rules_of(policy, match, tags_of, as_of):
            rule, source_ids = hit.rule, hit.source_ids
            if rule.severity != "prohibited":
                # only blocking / freezing listings pass through ownership: the Entity
                # List, sectoral (SSI) or secondary-risk tags do not reach subsidiaries
                continue
            listing = Listing(
                entity_id=match.id,
                source_id=source_ids[0] if source_ids else match.id,
                dataset=source_ids[0].split(":", 1)[0] if source_ids else "",
                caption=match.caption or "",
                basis=rule.title,
            )
            bucket = node.listings.setdefault(rule.authority_id, [])
            if all(x.entity_id != listing.entity_id for x in bucket):
                bucket.append(listing)
    return node


def ownership_outcomes(
    policy: Policy, party_name: str, owners: list[OwnerNode], as_of: dt.date
) -> list[tuple[Rule, OwnershipResult]]:
    """Per authority with a listed owner and an ownership rule in force: is the party owned?

    Owners count under the authority whose blocking list they are on: an owner on the BIS
    Denied Persons List does not make a company blocked under OFAC's 50 % rule."""
    out: list[tuple[Rule, OwnershipResult]] = []
    for authority in AUTHORITIES:
        if not any(node.listed_under(authority) for node in walk(owners)):
            continue
        rule = policy.ownership_rule(authority, as_of=as_of)
        if rule is None:
            continue  # the policy has no ownership test for this authority: nothing to cite
        outcome = ownership_test(party_name, owners, authority, rule.ownership)
        if outcome is not None:
            out.append((rule, outcome))
    return out


def ownership_finding(
    outcome: OwnershipResult, rule: Rule, subject: str, binding: Binding
) -> Finding:
    """The finding for one ownership test: the chain, who is listed, and what follows here."""
    if outcome.owned:
        severity, consequence = dealing(rule, binding, owned=True)
    else:
        severity, consequence = "risk", _not_owned_note(outcome)
    detail = f"{outcome.summary}. Chain: {'; '.join(outcome.chains)}."
    bases = [f"{h.source_id}: {h.basis}" for h in outcome.holders if h.basis]
    if bases:
        detail += f" Listed as: {'; '.join(bases)}."
    if abs(outcome.look_through - outcome.share) > 0.01:
        detail += f" Look-through economic interest of listed persons: {outcome.look_through:g} %."
    detail += f" {consequence}"
    if rule.ownership.aggregate == "unsettled" and outcome.aggregate > outcome.share:
        detail += (
            f" Whether separate listed holders add up under {rule.regime} is not settled "
            "(the rule leaves aggregation open): treat the aggregate as a reason to "
            "review, not as ownership."
        )
    return rule_finding(rule, "ownership", subject, severity, detail)


def owner_results(nodes: list[OwnerNode], prefix: str = "owners") -> Iterator[OwnerResult]:
    """The screened owners as the result shows them, each with its path in the input."""
    for j, node in enumerate(nodes):
        path = f"{prefix}[{j}]"
        yield OwnerResult(
            path=path, name=node.name, share=node.share, country=node.country, matches=node.matches
        )
        yield from owner_results(node.owners, f"{path}.owners")


def walk(nodes: Iterable[OwnerNode]) -> Iterator[OwnerNode]:
    for node in nodes:
        yield node
        yield from walk(node.owners)


def _not_owned_note(outcome: OwnershipResult) -> str:
    if outcome.test == "aggregate" and outcome.control_declared:
        return (
            f"Below {outcome.bar}. Declared control by a listed person does not block under "
            "this rule (ownership only, OFAC FAQ 398), but it may lead to designation and "
            "calls for caution: review."
        )
    if outcome.test == "aggregate":
        return (
            f"Below {outcome.bar}: not treated as listed by the share test, but significant "
            "holdings and control by listed persons call for caution (OFAC FAQ 398): review."
        )
    if outcome.aggregate > 50:
        return (
            f"Separate listed holders reach {outcome.aggregate:g} % together; they are not "
            "aggregated unless they act jointly or one controls the other's rights: review for "
            "a joint arrangement and for control (board appointment, dominant influence)."
        )
    return "Review whether the listed holder controls the party by other means (board, influence)."
