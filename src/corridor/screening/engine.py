"""Screen one trade: parties, owners and vessels against the lists, goods and route against
the policy, nexus per party × regime, then the verdict.

:func:`screen_trade` is the one entry point the CLI, the HTTP API and batch call. Build the
screener once (:func:`build_screener`) and pass it to every call: loading the index is the
expensive part, screening a trade is not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from corridor.matching import MatchResult
from corridor.policy import Policy, suggestions, trade_findings
from corridor.policy.context import Listed
from corridor.policy.nexus import authority_nexus, regime_decision
from corridor.policy.schema import Rule
from corridor.screening.coverage import require_list_rules, unscreened_regimes_note
from corridor.screening.list_hits import hit_findings, listed_facts
from corridor.screening.ownership import OwnerNode, OwnershipResult
from corridor.screening.ownership_findings import (
    owner_results,
    ownership_finding,
    ownership_outcomes,
    screen_owner,
    walk,
)
from corridor.screening.parties import (
    MatcherScreener,
    PartyScreener,
    list_gaps_note,
    newer_lists_note,
)
from corridor.screening.reach import Binding, reach
from corridor.screening.results import ListVersion, PartyResult, ScreeningResult
from corridor.screening.verdict import binding_authorities, decide
from corridor.store import Store
from corridor.trade import (
    REGIMES,
    SEVERITY_VERDICT,
    VERDICT_ORDER,
    Finding,
    FindingKind,
    Party,
    Trade,
    party_subject,
)

#: The authorities a party result shows on their own: the US regime's two.
US_AUTHORITIES = ("US-OFAC", "US-EAR")


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
    """Screen one trade as of ``as_of`` (default: the trade's date, else today).

    The lists come first: who is listed decides some of the law (a USD payment reaches OFAC's
    jurisdiction only where a blocked person is involved). Then which authorities bind each
    party, then every finding, weighed by whether its authority binds a party of the trade.
    """
    when = trade.judged_on(as_of)
    screener = matcher if matcher is not None else build_screener(store, as_of=when)
    snapshots = screener.lists.snapshots
    datasets = [s.dataset for s in snapshots]
    require_list_rules(policy, datasets, when)
    run = _Run(trade, policy, screener, when)

    screened = [run.screen_party(i, party) for i, party in enumerate(trade.parties)]
    vessels = run.screen_vessels()
    listed = run.listed(screened, vessels)
    parties = [run.party_result(s, listed) for s in screened]
    binding = binding_authorities(parties)

    findings: list[Finding] = []
    for item in screened:
        findings += run.hits("party", item.subject, item.matches, binding)
        findings += [
            ownership_finding(outcome, rule, item.subject, binding)
            for rule, outcome in item.ownership
        ]
    for subject, matches in vessels:
        findings += run.hits("vessel", subject, matches, binding)
    findings += [
        reach(f, binding)
        for f in trade_findings(policy, trade, when, cache=run.cache, listed=listed)
    ]

    decision = decide(findings, parties)  # sets each finding's outcome after the caps
    notes = [
        newer_lists_note(snapshots, when),
        list_gaps_note(snapshots),
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


@dataclass
class _Screened:
    """One party as found on the lists: its matches, its owners', and ownership outcomes."""

    index: int
    party: Party
    subject: str
    matches: list[MatchResult]
    owners: list[OwnerNode]
    ownership: list[tuple[Rule, OwnershipResult]]


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

    def screen_party(self, index: int, party: Party) -> _Screened:
        declared = [*party.owners, *([party.parent] if party.parent else [])]
        owners = [
            screen_owner(o, self.screener, self.policy, self.tags, self.as_of) for o in declared
        ]
        return _Screened(
            index=index,
            party=party,
            subject=party_subject(index, party.role, party.name),
            matches=self.screener.screen(
                party.name, party.schema_, party.country, party.identifiers
            ),
            owners=owners,
            ownership=ownership_outcomes(self.policy, party.name, owners, self.as_of)
            if owners
            else [],
        )

    def screen_vessels(self) -> list[tuple[str, list[MatchResult]]]:
        """(subject, matches) for each route leg's vessel."""
        out: list[tuple[str, list[MatchResult]]] = []
        for i, leg in enumerate(self.trade.route):
            vessel = leg.vessel
            if vessel is None or not (vessel.name or vessel.imo):
                continue
            ids = {"imoNumber": vessel.imo} if vessel.imo else {}
            matches = self.screener.screen(vessel.name or "", "Vessel", vessel.flag, ids)
            label = vessel.name or "unnamed vessel"
            if vessel.imo:
                label += f" (IMO {vessel.imo})"
            out.append((f"route leg {i} ({leg.place or leg.country}) vessel {label}", matches))
        return out

    def listed(
        self, screened: list[_Screened], vessels: list[tuple[str, list[MatchResult]]]
    ) -> list[Listed]:
        """What the policy is told: each party, owner and vessel found on the lists, and each
        party owned by listed persons."""
        out: list[Listed] = []
        for item in screened:
            out += listed_facts(
                self.policy, item.subject, item.index, item.matches, self.tags, self.as_of
            )
            for node in walk(item.owners):
                out += listed_facts(
                    self.policy,
                    f"{node.name} (owner of {item.subject})",
                    item.index,
                    node.matches,
                    self.tags,
                    self.as_of,
                )
            out += [
                Listed(
                    subject=f"{item.subject} (owned by listed persons)",
                    party=item.index,
                    authority=rule.authority_id,
                    rule=rule.id,
                    severity=rule.severity,
                )
                for rule, outcome in item.ownership
                if outcome.owned
            ]
        for subject, matches in vessels:
            out += listed_facts(self.policy, subject, None, matches, self.tags, self.as_of)
        return out

    def party_result(self, item: _Screened, listed: list[Listed]) -> PartyResult:
        by_authority = authority_nexus(
            self.policy, self.trade, item.index, self.as_of, cache=self.cache, listed=listed
        )
        decisions = {r: regime_decision(r, by_authority) for r in REGIMES}
        return PartyResult(
            index=item.index,
            role=item.party.role,
            name=item.party.name,
            regimes={r: d.value for r, d in decisions.items()},
            authorities={a: by_authority[a].value for a in US_AUTHORITIES},
            nexus={r: d.reasons for r, d in decisions.items() if d.reasons},
            matches=item.matches,
            owners=list(owner_results(item.owners)),
        )

    def tags(self, source_id: str) -> list[str]:
        return self.screener.entry_tags(source_id)

    def hits(
        self, kind: FindingKind, subject: str, matches: list[MatchResult], binding: Binding
    ) -> list[Finding]:
        return hit_findings(self.policy, kind, subject, matches, binding, self.tags, self.as_of)


def most_severe_first(findings: list[Finding]) -> list[Finding]:
    """Most severe first; stable within a severity so the order follows the trade."""
    return sorted(findings, key=lambda f: VERDICT_ORDER.index(SEVERITY_VERDICT[f.severity]))
