"""Screen one trade: parties, owners and vessels against the lists, goods and route against
the policy, nexus per party × regime, then the verdict.

:func:`screen_trade` is the one entry point the CLI, the HTTP API and batch call. Build the
screener once (:func:`build_screener`) and pass it to every call: loading the index is the
expensive part, screening a trade is not.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from corridor.errors import InputError
from corridor.matching import MatchResult
from corridor.screening.match_summary import describe_match
from corridor.screening.ownership import (
    Listing,
    OwnerNode,
    OwnershipResult,
    aggregate_test,
    single_holder_test,
)
from corridor.screening.parties import (
    ListsInForce,
    MatcherScreener,
    PartyScreener,
    entry_tags,
    newer_lists_note,
)
from corridor.screening.results import (
    ListVersion,
    OwnerResult,
    PartyResult,
    ScreeningResult,
)
from corridor.screening.verdict import binding_regimes, decide
from corridor.trade import REGIMES, SEVERITY_VERDICT, Finding, Party, Trade, party_subject

if TYPE_CHECKING:
    from corridor.policy import Policy
    from corridor.store import Store

#: How each regime counts listed owners when its policy rule does not say
#: (``params.aggregate`` / ``params.inclusive`` / ``params.threshold`` override these):
#: OFAC adds up blocked persons' stakes and blocks at 50 % or more; the EU and the UK look at
#: one listed person at a time and need more than 50 % (see :mod:`.ownership`).
OWNERSHIP_DEFAULTS: dict[str, dict[str, Any]] = {
    "US": {"aggregate": True, "inclusive": True, "threshold": 50},
    "EU": {"aggregate": False, "inclusive": False, "threshold": 50},
    "UK": {"aggregate": False, "inclusive": False, "threshold": 50},
    "UN": {"aggregate": False, "inclusive": False, "threshold": 50},
    "KZ": {"aggregate": False, "inclusive": False, "threshold": 50},
}


@dataclasses.dataclass(frozen=True)
class RuleRef:
    """What a finding needs from a policy rule."""

    id: str
    regime: str
    citation: str
    confidence: str
    outcome: str = "prohibited"
    params: dict[str, Any] = dataclasses.field(default_factory=dict)
    title: str = ""

    def finding(self, kind: str, subject: str, severity: str, detail: str) -> Finding:
        """A finding under this rule: its regime, citation and confidence, and the outcome it
        counts for before the verdict weighs it."""
        return Finding(
            kind=kind,  # type: ignore[arg-type]
            regime=self.regime,  # type: ignore[arg-type]
            severity=severity,  # type: ignore[arg-type]
            rule=self.id,
            citation=self.citation,
            confidence=self.confidence,  # type: ignore[arg-type]
            subject=subject,
            detail=detail,
            outcome=SEVERITY_VERDICT[severity],
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
    when = as_of or trade.date or dt.date.today()
    screener = matcher if matcher is not None else build_screener(store, as_of=when)
    lists: ListsInForce | None = getattr(screener, "lists", None)
    snapshots = lists.snapshots if lists is not None else store.active_snapshots()
    _require_list_rules(policy, [s.dataset for s in snapshots], when)
    ctx = _Context(trade, policy, screener, when, store, lists.as_of if lists else None)

    parties = [ctx.party_result(i, party) for i, party in enumerate(trade.parties)]
    binding = binding_regimes(parties)

    findings: list[Finding] = []
    for result, party in zip(parties, trade.parties, strict=True):
        findings += ctx.party_findings(result, binding)
        findings += ctx.ownership_findings(result, party, binding)
    findings += ctx.vessel_findings(binding)
    findings += [_as_finding(f) for f in policy.findings(trade, when, cache=ctx.cache)]

    decision = decide(findings, parties)  # sets each finding's outcome after the caps
    notes = [
        newer_lists_note(snapshots, when),
        unscreened_regimes_note(policy, [s.dataset for s in snapshots], binding, when),
    ]
    explanation = [n for n in notes if n] + decision.explanation
    suggestions = list(policy.suggestions(trade, when))
    return ScreeningResult(
        verdict=decision.verdict,
        as_of=when,
        parties=parties,
        findings=_sorted(findings),
        lists=[ListVersion(dataset=s.dataset, version=s.version) for s in snapshots],
        explanation=explanation,
        suggestions=suggestions,
    )


class _Context:
    """Per-trade state: the policy calls and list look-ups shared by the steps."""

    def __init__(
        self,
        trade: Trade,
        policy: Policy,
        screener: PartyScreener,
        as_of: dt.date,
        store: Store | None = None,
        lists_as_of: dt.date | None = None,
    ) -> None:
        self.trade = trade
        self.policy = policy
        self.screener = screener
        self.as_of = as_of
        self.cache: dict[Any, Any] = {}  # the policy's per-trade cache (nexus, HS codes)
        self.store = store
        self.lists_as_of = lists_as_of
        self._tags: dict[str, list[str]] = {}
        self._owner_trees: dict[int, list[OwnerNode]] = {}

    # -- parties --------------------------------------------------------------------

    def party_result(self, index: int, party: Party) -> PartyResult:
        decisions = self.policy.party_nexus(self.trade, index, self.as_of, _cache=self.cache)
        regimes = {r: "none" for r in REGIMES}
        nexus: dict[str, list[str]] = {}
        for regime, decision in decisions.items():
            regimes[regime] = decision.value
            reasons = list(getattr(decision, "reasons", []) or [])
            if reasons:
                nexus[regime] = reasons
        matches = self.screener.screen(party.name, party.schema_, party.country, party.identifiers)
        owners = self._owner_tree(index, party)
        return PartyResult(
            index=index,
            role=party.role,
            name=party.name,
            regimes=regimes,
            nexus=nexus,
            matches=matches,
            owners=[o for o in _owner_results(owners, "owners")],
        )

    def party_findings(self, result: PartyResult, binding: dict[str, list[str]]) -> list[Finding]:
        subject = party_subject(result.index, result.role, result.name)
        return self._hit_findings("party", subject, result.matches, binding)

    def _hit_findings(
        self, kind: str, subject: str, matches: list[MatchResult], binding: dict[str, list[str]]
    ) -> list[Finding]:
        """One finding per list rule a matched entry falls under: what the listing means
        (the rule's title), which entries, how well they matched, and the consequence here."""
        out: list[Finding] = []
        for match in matches:
            if not match.match:
                continue
            how = describe_match(match)[:300] if kind == "vessel" else ""
            listed = _describe_tags(self.tags(match))
            for rule, source_ids in self.list_rules(match):
                severity, consequence = _dealing(rule, binding, what=kind)
                detail = (
                    f"{rule.title + ': ' if rule.title else ''}matches "
                    f"{match.caption or match.id} [{', '.join(source_ids)}{listed}] "
                    f"(score {match.score:.2f}{'; ' + how if how else ''}); {consequence}"
                )
                out.append(rule.finding(kind, subject, severity, detail))
        return out

    def tags(self, match: MatchResult) -> list[str]:
        """A matched entry's programs and sub-list (:func:`.parties.entry_tags`): they say
        which regulations apply, and list rules key on them (US-7: EO 13662; EAR-6: the
        Entity List part of the Consolidated Screening List)."""
        if match.id not in self._tags:
            known = getattr(self.screener, "tags", None)  # MatcherScreener reads them once
            if isinstance(known, Mapping):
                found = list(known.get(match.id, []))
            else:  # another PartyScreener: ask the store
                entity = None
                if self.store is not None and match.match:
                    entity = self.store.get_entity(match.id, self.lists_as_of)
                found = entry_tags(entity) if entity else []
            self._tags[match.id] = found
        return self._tags[match.id]

    def list_rules(self, match: MatchResult) -> list[tuple[RuleRef, list[str]]]:
        """The regime rules a list entry falls under (one list can feed several regimes, and
        a merged entry can come from several lists), each with the entries behind it."""
        out: dict[tuple[str, str], tuple[RuleRef, list[str]]] = {}
        datasets = match.datasets or [s.split(":", 1)[0] for s in match.source_ids]
        for dataset in datasets:
            ids = [s for s in match.source_ids if s.startswith(f"{dataset}:")]
            tags = [*match.topics, *self.tags(match)]
            found = self.policy.list_rules(dataset, tags, as_of=self.as_of)
            for rule in _as_list(found):
                for ref in _rule_refs(rule):
                    _, seen = out.setdefault((ref.regime, ref.id), (ref, []))
                    seen += [i for i in ids or match.source_ids if i not in seen]
        return list(out.values())

    # -- ownership ------------------------------------------------------------------

    def _owner_tree(self, index: int, party: Party) -> list[OwnerNode]:
        if index not in self._owner_trees:
            declared = list(party.owners) + ([party.parent] if party.parent else [])
            self._owner_trees[index] = [self._owner_node(o) for o in declared]
        return self._owner_trees[index]

    def _owner_node(self, owner: Any) -> OwnerNode:
        matches = self.screener.screen(owner.name, owner.schema_, owner.country, {})
        node = OwnerNode(
            name=owner.name,
            share=owner.share,
            country=owner.country,
            owners=[self._owner_node(o) for o in owner.owners],
            matches=matches,
            control=owner.control,
        )
        for match in matches:
            if not match.match:
                continue
            for rule, source_ids in self.list_rules(match):
                if rule.outcome != "prohibited":
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
                bucket = node.listings.setdefault(rule.regime, [])
                if all(x.entity_id != listing.entity_id for x in bucket):
                    bucket.append(listing)
        return node

    def ownership_findings(
        self, result: PartyResult, party: Party, binding: dict[str, list[str]]
    ) -> list[Finding]:
        owners = self._owner_tree(result.index, party)
        if not owners:
            return []
        subject = party_subject(result.index, result.role, result.name)
        out: list[Finding] = []
        for regime in REGIMES:
            if not any(node.listed_under(regime) for node in _walk(owners)):
                continue
            rule = self._ownership_rule(regime)
            if rule is None:
                continue  # the policy has no ownership test for this regime: nothing to cite
            params = OWNERSHIP_DEFAULTS[regime] | rule.params
            threshold = float(params["threshold"])
            inclusive = bool(params.get("inclusive", True))
            if params.get("aggregate"):
                outcome = aggregate_test(
                    party.name, owners, regime, threshold=threshold, inclusive=inclusive
                )
            else:
                outcome = single_holder_test(
                    party.name,
                    owners,
                    regime,
                    threshold=threshold,
                    inclusive=inclusive,
                    control=bool(params.get("control")),
                )
            if outcome is not None:
                finding = self._ownership_finding(outcome, rule, subject, binding)
                open_question = rule.params.get("aggregate", False) is None
                if open_question and outcome.aggregate > outcome.share:
                    finding.detail += (
                        f" Whether separate listed holders add up under {regime} is not settled "
                        "(the rule leaves aggregation open): treat the aggregate as a reason to "
                        "review, not as ownership."
                    )
                out.append(finding)
        return out

    def _ownership_rule(self, regime: str) -> RuleRef | None:
        """The policy's ownership rule for a regime (``Policy.ownership_rule``)."""
        found = self.policy.ownership_rule(regime, as_of=self.as_of)
        return _rule_refs(found, regime)[0] if found is not None else None

    def _ownership_finding(
        self, outcome: OwnershipResult, rule: RuleRef, subject: str, binding: dict[str, list[str]]
    ) -> Finding:
        chains = "; ".join(outcome.chains)
        if outcome.owned:
            severity, consequence = _dealing(rule, binding, owned=True)
        else:
            severity = "risk"
            consequence = _not_owned_note(outcome)
        detail = f"{outcome.summary}. Chain: {chains}."
        bases = [f"{h.source_id}: {h.basis}" for h in outcome.holders if h.basis]
        if bases:
            detail += f" Listed as: {'; '.join(bases)}."
        if abs(outcome.look_through - outcome.share) > 0.01:
            detail += (
                f" Look-through economic interest of listed persons: {outcome.look_through:g} %."
            )
        return rule.finding("ownership", subject, severity, f"{detail} {consequence}")

    # -- vessels --------------------------------------------------------------------

    def vessel_findings(self, binding: dict[str, list[str]]) -> list[Finding]:
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
            out += self._hit_findings("vessel", subject, matches, binding)
        return out


def unscreened_regimes_note(
    policy: Policy, datasets: Sequence[str], binding: dict[str, list[str]], as_of: dt.date
) -> str | None:
    """Say so when a regime binds a party but none of its lists was loaded: no list finding
    under it can appear, so "no match" there means "not checked", not "not listed"."""
    covered = {rule.regime for d in datasets for rule in policy.list_rules(d, [], as_of=as_of)}
    missing = [r for r in binding if r not in covered]
    if not missing:
        return None
    wanted = {
        r: sorted(
            {
                d
                for rule in policy.rules_of("list")
                if rule.regime == r
                for d in rule.params.get("datasets") or []
            }
        )
        for r in missing
    }
    lists = "; ".join(f"{r}: {', '.join(ds) or 'none known'}" for r, ds in wanted.items())
    return (
        f"No list of {', '.join(missing)} was screened against although "
        f"{'it binds' if len(missing) == 1 else 'they bind'} a party of this trade: parties, "
        f"owners and vessels were not checked against {'it' if len(missing) == 1 else 'them'}. "
        f"Load the lists ({lists}) with `corridor lists update` to screen them."
    )


def _require_list_rules(policy: Policy, datasets: Sequence[str], as_of: dt.date) -> None:
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


def _dealing(
    rule: RuleRef, binding: dict[str, list[str]], *, owned: bool = False, what: str = "party"
) -> tuple[str, str]:
    """Severity of dealing with a listed party/vessel: the rule's outcome where its regime
    binds a party of the trade, otherwise exposure (at most ``risk``)."""
    thing = "a listed vessel" if what == "vessel" else "a listed person"
    if owned:
        thing = "an entity treated as listed through its owners"
    regime = rule.regime
    if rule.outcome in ("risk", "info"):
        return rule.outcome, (
            f"{rule.id} flags exposure rather than a prohibition ({rule.outcome})."
        )
    if regime in binding:
        who = ", ".join(binding[regime])
        verb = "is prohibited" if rule.outcome == "prohibited" else "needs a licence"
        return rule.outcome, f"{regime} binds {who}: dealing with {thing} {verb}."
    return "risk", (
        f"{regime} binds no party of this trade: exposure only (designation or loss of "
        f"banking access for dealing with {thing}), raises the verdict to REVIEW at most."
    )


def _describe_tags(tags: list[str]) -> str:
    """``, list EL, programs RUSSIA-EO14024`` for a finding's list-entry bracket."""
    lists = [t.removeprefix("list:") for t in tags if t.startswith("list:")]
    programs = [t for t in tags if not t.startswith(("list:", "entity_list."))]
    out = f", list {', '.join(lists)}" if lists else ""
    if "entity_list.footnote3" in tags:
        out += " (footnote 3)"
    return out + (f", programs {', '.join(programs)}" if programs else "")


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


def _owner_results(nodes: list[OwnerNode], prefix: str) -> Iterable[OwnerResult]:
    for j, node in enumerate(nodes):
        path = f"{prefix}[{j}]"
        yield OwnerResult(
            path=path,
            name=node.name,
            share=node.share,
            country=node.country,
            matches=node.matches,
        )
        yield from _owner_results(node.owners, f"{path}.owners")


def _walk(nodes: list[OwnerNode]) -> Iterable[OwnerNode]:
    for node in nodes:
        yield node
        yield from _walk(node.owners)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _attr(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, dict):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _rule_refs(rule: Any, regime: str | None = None) -> list[RuleRef]:
    """A policy rule as one reference per regime it speaks for."""
    regimes = _attr(rule, "regimes") or ([_attr(rule, "regime")] if _attr(rule, "regime") else [])
    if regime is not None:
        regimes = [regime]
    confidence = str(_attr(rule, "confidence", "likely"))
    return [
        RuleRef(
            id=str(_attr(rule, "id")),
            regime=str(r),
            citation=str(_attr(rule, "citation", "") or ""),
            confidence=confidence if confidence in ("sure", "likely", "unsure") else "unsure",
            outcome=str(_attr(rule, "outcome", None) or "prohibited"),
            params=dict(_attr(rule, "params", None) or {}),
            title=str(_attr(rule, "title", "") or ""),
        )
        for r in regimes
    ]


def _as_finding(value: Any) -> Finding:
    if isinstance(value, Finding):
        return value
    if dataclasses.is_dataclass(value):
        return Finding.model_validate(dataclasses.asdict(value))
    if hasattr(value, "model_dump"):
        return Finding.model_validate(value.model_dump())
    return Finding.model_validate(value)


_SEVERITY_RANK = {"prohibited": 0, "license": 1, "risk": 2, "info": 3}


def _sorted(findings: list[Finding]) -> list[Finding]:
    """Most severe first; stable within a severity so the order follows the trade."""
    return sorted(findings, key=lambda f: _SEVERITY_RANK[f.severity])
