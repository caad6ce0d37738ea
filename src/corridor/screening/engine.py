"""Screen one trade: parties, owners and vessels against the lists, goods and route against
the policy, nexus per party × regime, then the verdict.

:func:`screen_trade` is the one entry point the CLI, the HTTP API and batch call. Build the
screener once (:func:`build_screener`) and pass it to every call: loading the index is the
expensive part, screening a trade is not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from corridor.errors import InputError
from corridor.policy import Policy, party_nexus, suggestions, trade_findings
from corridor.screening.list_hits import Binding, hit_findings
from corridor.screening.ownership import OwnerNode
from corridor.screening.ownership_findings import (
    owner_results,
    ownership_findings,
    screen_owner,
)
from corridor.screening.parties import MatcherScreener, PartyScreener, newer_lists_note
from corridor.screening.results import ListVersion, PartyMatch, PartyResult, ScreeningResult
from corridor.screening.verdict import binding_regimes, decide
from corridor.store import Store
from corridor.trade import (
    SEVERITY_VERDICT,
    VERDICT_ORDER,
    Finding,
    FindingKind,
    Party,
    Trade,
    party_subject,
)


def build_screener(
    store: Store, *, datasets: Sequence[str] | None = None, as_of: dt.date | None = None
) -> MatcherScreener:
    """Load the matching index over the lists in force at ``as_of`` (once per run)."""
    return MatcherScreener.from_store(store, datasets=datasets, as_of=as_of)


def screen_trade(
    trade: Trade,
    *,
    store: Store,
    policy: Policy,
    matcher: PartyScreener | None = None,
    as_of: dt.date | None = None,
) -> ScreeningResult:
    """Screen one trade as of ``as_of`` (default: the trade's date, else today)."""
    when = trade.judged_on(as_of)
    screener = matcher if matcher is not None else build_screener(store, as_of=when)
    snapshots = screener.lists.snapshots
    datasets = [s.dataset for s in snapshots]
    require_list_rules(policy, datasets, when)
    run = _Run(trade, policy, screener, when)

    parties = [run.party_result(i, party) for i, party in enumerate(trade.parties)]
    binding = binding_regimes(parties)
    findings: list[Finding] = []
    for result in parties:
        subject = party_subject(result.index, result.role, result.name)
        findings += run.hits("party", subject, result.matches, binding)
        owners = run.owners[result.index]
        if owners:
            findings += ownership_findings(policy, result.name, subject, owners, binding, when)
    findings += run.vessel_findings(binding)
    findings += trade_findings(policy, trade, when, cache=run.cache)

    decision = decide(findings, parties)  # sets each finding's outcome after the caps
    notes = [
        newer_lists_note(snapshots, when),
        unscreened_regimes_note(policy, datasets, binding, when),
    ]
    return ScreeningResult(
        verdict=decision.verdict,
        as_of=when,
        parties=parties,
        findings=most_severe_first(findings),
        lists=[ListVersion(dataset=s.dataset, version=s.version) for s in snapshots],
        explanation=[n for n in notes if n] + decision.explanation,
        suggestions=suggestions(policy, trade, when),
    )


class _Run:
    """One trade's screening: the policy's per-trade cache, and what the steps share."""

    def __init__(
        self, trade: Trade, policy: Policy, screener: PartyScreener, as_of: dt.date
    ) -> None:
        self.trade = trade
        self.policy = policy
        self.screener = screener
        self.as_of = as_of
        self.cache: dict[Any, Any] = {}  # the policy's per-trade cache (nexus, HS codes)
        self.owners: dict[int, list[OwnerNode]] = {}  # per party index, screened

    def party_result(self, index: int, party: Party) -> PartyResult:
        decisions = party_nexus(self.policy, self.trade, index, self.as_of, cache=self.cache)
        declared = [*party.owners, *([party.parent] if party.parent else [])]
        self.owners[index] = [
            screen_owner(o, self.screener, self.policy, self.tags, self.as_of) for o in declared
        ]
        return PartyResult(
            index=index,
            role=party.role,
            name=party.name,
            regimes={r: d.value for r, d in decisions.items()},
            nexus={r: d.reasons for r, d in decisions.items() if d.reasons},
            matches=self.screener.screen(
                party.name, party.schema_, party.country, party.identifiers
            ),
            owners=list(owner_results(self.owners[index])),
        )

    def tags(self, match: PartyMatch) -> list[str]:
        return self.screener.entry_tags(match.id)

    def hits(
        self, kind: FindingKind, subject: str, matches: list[PartyMatch], binding: Binding
    ) -> list[Finding]:
        return hit_findings(self.policy, kind, subject, matches, binding, self.tags, self.as_of)

    def vessel_findings(self, binding: Binding) -> list[Finding]:
        out: list[Finding] = []
        for i, leg in enumerate(self.trade.route):
            vessel = leg.vessel
            if vessel is None or not (vessel.name or vessel.imo):
                continue
            ids = {"imoNumber": vessel.imo} if vessel.imo else {}
            matches = self.screener.screen(vessel.name or "", "Vessel", vessel.flag, ids)
            label = vessel.name or "unnamed vessel"
            if vessel.imo:
                label += f" (IMO {vessel.imo})"
            subject = f"route leg {i} ({leg.place or leg.country}) vessel {label}"
            out += self.hits("vessel", subject, matches, binding)
        return out


def unscreened_regimes_note(
    policy: Policy, datasets: Sequence[str], binding: Binding, as_of: dt.date
) -> str | None:
    """Say so when a regime binds a party but none of its lists was loaded: no list finding
    under it can appear, so "no match" there means "not checked", not "not listed"."""
    covered = {rule.regime for d in datasets for rule in policy.list_rules(d, [], as_of=as_of)}
    missing = [r for r in binding if r not in covered]
    if not missing:
        return None
    lists_of = {
        r: sorted(
            {
                d
                for rule in policy.rules_of("list")
                if rule.regime == r
                for d in rule.listing.datasets
            }
        )
        for r in missing
    }
    lists = "; ".join(f"{r}: {', '.join(ds) or 'none known'}" for r, ds in lists_of.items())
    one = len(missing) == 1
    return (
        f"No list of {', '.join(missing)} was screened against although "
        f"{'it binds' if one else 'they bind'} a party of this trade: parties, "
        f"owners and vessels were not checked against {'it' if one else 'them'}. "
        f"Load the lists ({lists}) with `corridor lists update` to screen them."
    )


def require_list_rules(policy: Policy, datasets: Sequence[str], as_of: dt.date) -> None:
    """Every list screened against must map to a regime; a hit on an unmapped list would
    otherwise produce no finding at all and the trade could come out CLEAR."""
    unmapped = [d for d in datasets if not policy.list_rules(d, [], as_of=as_of)]
    if unmapped:
        raise InputError(
            f"no policy list rule says which regime dataset(s) {', '.join(unmapped)} belong "
            "to: add a rule of type 'list' with params.datasets in a --policy file, or leave "
            "them out with --dataset",
            field="dataset",
        )


def most_severe_first(findings: list[Finding]) -> list[Finding]:
    """Most severe first; stable within a severity so the order follows the trade."""
    return sorted(findings, key=lambda f: VERDICT_ORDER.index(SEVERITY_VERDICT[f.severity]))
