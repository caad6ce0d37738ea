"""The named tests a rule's condition may use, each a short function of the trade.

Each returns :class:`Evidence` (a phrase saying why it holds, shown to the user in the
rule's reason) or ``None``. Country parameters take ISO alpha-2 codes or ``@GROUP`` names
defined under ``country_groups`` in the policy files (``@EU27``, ``@RU_BY`` …).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import cast

from corridor.names.tokens import name_tokens
from corridor.policy.context import Context, Evidence, predicate
from corridor.policy.nexus import NexusDecision, authority_nexus, party_nexus
from corridor.trade import (
    CONFIDENCE_ORDER,
    REGIMES,
    Authority,
    GoodsLine,
    Party,
    Regime,
    RouteLeg,
    weakest,
)

_BUYER_ROLES = ("importer", "consignee", "end_user")
_DUAL_USE_ECCN = re.compile(r"^[0-9][A-E][0-4][0-9]{2}")


def _among(
    ctx: Context, code: str | None, countries: Sequence[str], inside: bool = True
) -> str | None:
    """The country when it is known and (``inside``) in the list, or not in it."""
    return code if code and (code in ctx.policy.countries(countries, ctx.as_of)) is inside else None


def _label(spec: Sequence[str]) -> str:
    return "/".join(s.lstrip("@") if s.startswith("@") else s.upper() for s in spec)


def _in(code: str, spec: Sequence[str]) -> str:
    """``" (EU27)"``: the group a country matched, unless that says nothing new."""
    label = _label(spec)
    return "" if label == code.upper() else f" ({label})"


def _party(ctx: Context) -> Party:
    return ctx.trade.parties[ctx.party]  # type: ignore[index]


def _goods(ctx: Context) -> GoodsLine:
    return ctx.trade.goods[ctx.goods]  # type: ignore[index]


def _leg(ctx: Context) -> RouteLeg:
    return ctx.trade.route[ctx.leg]  # type: ignore[index]


def _who(ctx: Context) -> str:
    return f"party {ctx.party} ({_party(ctx).role})"


def destination_countries(ctx: Context) -> list[str]:
    """Where the goods end up: the buyers', consignees' and end users' countries, and the
    last route leg (goods delivered to Russia for a Kazakh buyer still end up in Russia)."""
    found = [p.country for p in ctx.trade.parties if p.role in _BUYER_ROLES]
    if ctx.trade.route:
        found.append(ctx.trade.route[-1].country)
    return list(dict.fromkeys(c for c in found if c))


def buyer_countries(ctx: Context) -> list[str]:
    """The country sold to: importer, else consignee, else end user, else last route leg."""
    for role in _BUYER_ROLES:
        found = [p.country for p in ctx.trade.parties if p.role == role]
        found = [c for c in found if c]
        if found:
            return list(dict.fromkeys(found))
    if ctx.trade.route:
        last = ctx.trade.route[-1].country
        return [last] if last else []
    return []


# -- party --------------------------------------------------------------------------------


@predicate("party")
def party_country_in(ctx: Context, countries: list[str]) -> Evidence | None:
    """The party's country of incorporation or nationality is in the list."""
    c = _among(ctx, _party(ctx).country, countries)
    return Evidence(f"{_who(ctx)} is of {c.upper()}{_in(c, countries)}") if c else None


@predicate("party")
def party_country_not_in(ctx: Context, countries: list[str]) -> Evidence | None:
    """The party's country is known and not in the list."""
    c = _among(ctx, _party(ctx).country, countries, inside=False)
    return Evidence(f"{_who(ctx)} is of {c.upper()}") if c else None


@predicate("party")
def party_location_in(ctx: Context, countries: list[str]) -> Evidence | None:
    """The party's place of business (``location``) is in the list."""
    c = _among(ctx, _party(ctx).location, countries)
    return Evidence(f"{_who(ctx)} acts from {c.upper()}{_in(c, countries)}") if c else None


@predicate("party")
def party_schema_in(ctx: Context, schemata: list[str]) -> Evidence | None:
    """The party is of one of these FtM schemata (Person, Company …)."""
    return Evidence() if _party(ctx).schema_ in schemata else None


@predicate("party")
def party_role_in(ctx: Context, roles: list[str]) -> Evidence | None:
    """The party plays one of these roles in the trade."""
    return Evidence() if _party(ctx).role in roles else None


@predicate("party")
def party_is_fi(ctx: Context) -> Evidence | None:
    """The party is a financial institution (role bank or ``is_fi``)."""
    p = _party(ctx)
    if p.is_fi or (p.role == "bank" and p.is_fi is not False):
        return Evidence(f"{_who(ctx)} is a financial institution")
    return None


@predicate("party")
def party_parent_country_in(ctx: Context, countries: list[str]) -> Evidence | None:
    """The party's parent company is incorporated in the list."""
    parent = _party(ctx).parent
    c = _among(ctx, parent.country, countries) if parent else None
    return (
        Evidence(f"{_who(ctx)} has parent {parent.name!r} of {c.upper()}") if parent and c else None
    )


@predicate("party")
def party_aifc(ctx: Context) -> Evidence | None:
    """The party is an Astana International Financial Centre participant."""
    return Evidence(f"{_who(ctx)} is an AIFC participant") if _party(ctx).aifc else None


@predicate("party", finding_only=True)
def party_bound_by(ctx: Context, regime: Regime | Authority) -> Evidence | None:
    """The regime, or one of its authorities (``US-EAR``), binds the party."""
    index = ctx.party
    assert index is not None  # a party test always has its party bound
    decision = _decision(ctx, index, regime)
    if decision.value == "binds":
        return Evidence(f"{regime} binds {_who(ctx)} ({', '.join(decision.rules)})")
    return None


@predicate("party")
def party_owned_from(ctx: Context, countries: list[str], threshold: float = 50) -> Evidence | None:
    """The party's declared parent, or its owners together, from these countries hold at
    least ``threshold`` percent (a foreign entity owned or controlled by US persons …)."""
    p = _party(ctx)
    wanted = ctx.policy.countries(countries, ctx.as_of)
    holders = [o for o in [*p.owners, *([p.parent] if p.parent else [])] if o.country in wanted]
    share = min(100.0, sum(o.share for o in holders))
    if holders and share >= threshold:
        names = ", ".join(f"{o.name} ({(o.country or '').upper()}, {o.share:g} %)" for o in holders)
        return Evidence(f"{_who(ctx)} is owned by {names}")
    return None


@predicate("party")
def party_named_in(ctx: Context, entity_lists: list[str]) -> Evidence | None:
    """The party's name is one a regulation's annex names (legal forms aside)."""
    key = _entity_key(_party(ctx).name)
    for list_id in entity_lists:
        elist = ctx.policy.entity_lists[list_id]
        for entry in elist.entries:
            if key and any(_entity_key(n) == key for n in entry.names()):
                partial = "" if elist.complete else "; list partial"
                return Evidence(
                    f"{_who(ctx)} is {entry.name}, named in {elist.name}{partial}",
                    elist.confidence,
                )
    return None


def _entity_key(name: str) -> tuple[str, ...]:
    """A name's words without legal forms, in order (``PJSC Rosneft Oil Company`` and
    ``Rosneft Oil Company PAO`` give the same key)."""
    return tuple(t for t in name_tokens(name, organisation=True) if not t.startswith("@"))


def _decision(ctx: Context, index: int, regime: Regime | Authority) -> NexusDecision:
    """The party's decision under a regime or under one authority."""
    if regime in REGIMES:
        by_regime = party_nexus(
            ctx.policy, ctx.trade, index, ctx.as_of, cache=ctx.cache, listed=ctx.listed
        )
        return by_regime[cast(Regime, regime)]
    by_authority = authority_nexus(
        ctx.policy, ctx.trade, index, ctx.as_of, cache=ctx.cache, listed=ctx.listed
    )
    return by_authority[cast(Authority, regime)]


# -- list hits (what screening found) ----------------------------------------------------


@predicate()
def blocked_person_involved(
    ctx: Context, authority: Authority, programs: list[str] | None = None
) -> Evidence | None:
    """A party, owner or vessel of the trade is listed under a blocking rule of this
    authority (optionally under one of these programs), or owned by such persons."""
    for item in ctx.listed:
        if item.authority != authority or item.severity != "prohibited":
            continue
        if programs and not item.tags.intersection(programs):
            continue
        return Evidence(f"{item.subject} is listed ({item.rule})")
    return None


# -- goods --------------------------------------------------------------------------------


@predicate("goods")
def goods_in_list(
    ctx: Context, lists: list[str], tiers: list[str] | None = None
) -> Evidence | None:
    """The declared code falls under an entry of one of the goods lists."""
    code = ctx.hs_code().code
    sure: list[Evidence] = []
    possible: list[Evidence] = []
    for list_id in lists:  # every list the code is on: "CHPL tier 3.B; Annex XI" both matter
        glist = ctx.policy.goods_lists[list_id]
        found = glist.match(code)
        if found is None:
            continue
        entry, certain = found
        if tiers and entry.tier not in tiers:
            continue
        tier = f" tier {entry.tier}" if entry.tier else ""
        partial = "" if glist.complete else "; list partial"
        if certain:
            conf = glist.confidence if not entry.ex else weakest(glist.confidence, "likely")
            ex = " ('ex' entry: check the description)" if entry.ex else ""
            sure.append(Evidence(f"{glist.name}, {entry.code}{tier}{ex}{partial}", conf))
        else:
            possible.append(
                Evidence(
                    f"may be in {glist.name}, {entry.code}{tier} "
                    f"(declare the full code to decide{partial})",
                    "unsure",
                )
            )
    if not sure and not possible:
        return None
    where = f"goods line {ctx.goods} (HS {code})"
    if sure:  # one certain entry is enough: the best-founded one sets the confidence
        best = max((e.confidence or "sure" for e in sure), key=CONFIDENCE_ORDER.__getitem__)
        return Evidence(f"{where} is in " + " and in ".join(e.text for e in sure), best)
    return Evidence(f"{where} " + "; ".join(e.text for e in possible), "unsure")


@predicate("goods")
def goods_hs_prefix_in(ctx: Context, prefixes: list[str]) -> Evidence | None:
    """The declared code starts with one of these HS prefixes."""
    code = ctx.hs_code().code
    for prefix in prefixes:
        if code.startswith(str(prefix)):
            return Evidence(f"goods line {ctx.goods} (HS {code}) is under {prefix}")
    return None


@predicate("goods")
def goods_origin_in(ctx: Context, countries: list[str]) -> Evidence | None:
    """The goods originate in one of these countries."""
    c = _among(ctx, _goods(ctx).origin, countries)
    return Evidence(f"goods line {ctx.goods} is of {c.upper()} origin") if c else None


@predicate("goods")
def goods_origin_not_in(ctx: Context, countries: list[str]) -> Evidence | None:
    """The goods' origin is declared and not one of these countries."""
    c = _among(ctx, _goods(ctx).origin, countries, inside=False)
    return Evidence(f"goods line {ctx.goods} is of {c.upper()} origin") if c else None


@predicate("goods")
def goods_subject_to_ear(
    ctx: Context,
    threshold: float = 25,
    e1_threshold: float = 10,
    e1_countries: Sequence[str] = ("@US_E1_E2",),
) -> Evidence | None:
    """The item is subject to the EAR: US origin, or US content above de minimis."""
    line = _goods(ctx)
    if line.origin == "us":
        return Evidence(
            f"goods line {ctx.goods} is US-origin (subject to the EAR wherever located)"
        )
    if line.us_content_pct is None:
        return None
    e1 = ctx.policy.countries(list(e1_countries), ctx.as_of)
    limit = e1_threshold if any(c in e1 for c in destination_countries(ctx)) else threshold
    if line.us_content_pct > limit:
        return Evidence(
            f"goods line {ctx.goods} has {line.us_content_pct:g}% US content, above "
            f"the {limit:g}% de minimis level (declared total content; the rule "
            "counts controlled content)",
            "likely",
        )
    return None


@predicate("goods")
def goods_eccn_dual_use(ctx: Context) -> Evidence | None:
    """The ECCN is a multilateral dual-use entry (category, group, 0xx–4xx: Annex I 2021/821)."""
    eccn = (_goods(ctx).eccn or "").strip().upper()
    if _DUAL_USE_ECCN.match(eccn):
        return Evidence(f"goods line {ctx.goods} is dual-use ({eccn})")
    return None


@predicate("goods")
def goods_eccn_controlled(ctx: Context) -> Evidence | None:
    """The item has an ECCN on the Commerce Control List (not EAR99)."""
    eccn = (_goods(ctx).eccn or "").strip().upper()
    if eccn and eccn != "EAR99":
        return Evidence(f"goods line {ctx.goods} is classified {eccn}")
    return None


@predicate("goods")
def goods_eccn_category_in(ctx: Context, categories: list[int]) -> Evidence | None:
    """The ECCN's CCL category (first digit) is one of these."""
    eccn = (_goods(ctx).eccn or "").strip().upper()
    if eccn[:1].isdigit() and int(eccn[0]) in categories:
        return Evidence(f"goods line {ctx.goods} is CCL category {eccn[0]} ({eccn})")
    return None


# -- route leg ----------------------------------------------------------------------------


@predicate("leg")
def leg_country_in(ctx: Context, countries: list[str]) -> Evidence | None:
    """This route leg is in one of these countries."""
    c = _among(ctx, _leg(ctx).country, countries)
    place = f", {_leg(ctx).place}" if _leg(ctx).place else ""
    return Evidence(f"route leg {ctx.leg} is in {c.upper()}{place}") if c else None


@predicate("leg")
def leg_is_transit(ctx: Context) -> Evidence | None:
    """This leg is neither the first nor the last of the route: the goods pass through."""
    return Evidence() if 0 < ctx.leg < len(ctx.trade.route) - 1 else None  # type: ignore[operator]


@predicate("leg")
def leg_port_in(ctx: Context, ports: list[str]) -> Evidence | None:
    """This leg names (``place``) one of these ports."""
    port = ctx.policy.port_at(_leg(ctx))
    if port and port.id in ports:
        return Evidence(f"route leg {ctx.leg} calls at {port.name}", port.confidence)
    return None


@predicate("leg")
def leg_port_operator_designated(ctx: Context) -> Evidence | None:
    """This leg's port has an operator on a sanctions list."""
    port = ctx.policy.port_at(_leg(ctx))
    if port and port.operator_designations:
        return Evidence(
            f"route leg {ctx.leg} calls at {port.name}, operated by "
            f"{' / '.join(port.operators)} ({'; '.join(port.operator_designations)})",
            port.confidence,
        )
    return None


@predicate("leg")
def leg_vessel_flag_in(ctx: Context, countries: list[str]) -> Evidence | None:
    """This leg's vessel flies the flag of one of these countries."""
    vessel = _leg(ctx).vessel
    c = _among(ctx, vessel.flag, countries) if vessel else None
    if vessel and c:
        return Evidence(
            f"route leg {ctx.leg} vessel {vessel.name or vessel.imo or ''} "
            f"flies the {c.upper()} flag"
        )
    return None


# -- whole trade --------------------------------------------------------------------------


@predicate()
def route_country_in(
    ctx: Context, countries: list[str], transit_only: bool = False
) -> Evidence | None:
    """Some leg of the route (or only an intermediate leg) is in one of these countries."""
    wanted = ctx.policy.countries(countries, ctx.as_of)
    legs = ctx.trade.route
    for i, leg in enumerate(legs):
        if transit_only and not 0 < i < len(legs) - 1:
            continue
        c = leg.country
        if c in wanted:
            verb = "transits" if transit_only else "passes through"
            return Evidence(f"the route {verb} {c.upper()} (leg {i})")
    return None


@predicate()
def destination_in(ctx: Context, countries: list[str]) -> Evidence | None:
    """The buyer, consignee or end user (else the last leg) is in one of these countries."""
    wanted = ctx.policy.countries(countries, ctx.as_of)
    for c in destination_countries(ctx):
        if c in wanted:
            return Evidence(f"the goods are destined to {c.upper()}")
    return None


@predicate()
def buyer_outside(ctx: Context, countries: list[str]) -> Evidence | None:
    """The country sold to is known and not in the list (e.g. not EU, not a partner)."""
    wanted = ctx.policy.countries(countries, ctx.as_of)
    for c in buyer_countries(ctx):
        if c not in wanted:
            return Evidence(f"the buyer is in {c.upper()}, outside {_label(countries)}")
    return None


@predicate()
def exported_from(ctx: Context, countries: list[str]) -> Evidence | None:
    """The goods leave one of these countries: the first leg, or a leg followed by one outside
    them (a DE warehouse on a CN-DE-PL-RU-KZ route); without a route, the exporter's country."""
    wanted = ctx.policy.countries(countries, ctx.as_of)
    legs = [leg.country for leg in ctx.trade.route]
    if not legs:
        exporters = [p for p in ctx.trade.parties if p.role == "exporter"]
        c = exporters[0].country if exporters else None
        return Evidence(f"the goods are exported from {c.upper()}") if c in wanted else None
    if legs[0] in wanted:
        return Evidence(f"the goods are exported from {legs[0].upper()}")
    for i in range(1, len(legs)):
        if legs[i - 1] in wanted and legs[i] not in wanted:
            return Evidence(f"the goods leave {legs[i - 1].upper()} (leg {i - 1})")
    return None


@predicate()
def currency_in(ctx: Context, currencies: list[str]) -> Evidence | None:
    """The trade is paid in one of these currencies."""
    cur = (ctx.trade.currency or "").upper()
    return Evidence(f"payment in {cur}") if cur and cur in currencies else None


@predicate()
def clearing_country_in(
    ctx: Context, countries: list[str], if_missing: bool = False
) -> Evidence | None:
    """The payment clears in one of these countries (``if_missing``: assume so when not given)."""
    c = ctx.trade.clearing_country
    if c is None:
        return (
            Evidence("clearing country not given: assumed the currency's home")
            if if_missing
            else None
        )
    return (
        Evidence(f"cleared in {c.upper()}")
        if c in ctx.policy.countries(countries, ctx.as_of)
        else None
    )


@predicate()
def any_party_country_in(
    ctx: Context, countries: list[str], roles: list[str] | None = None
) -> Evidence | None:
    """Some party (optionally of these roles) is of one of these countries."""
    wanted = ctx.policy.countries(countries, ctx.as_of)
    for i, p in enumerate(ctx.trade.parties):
        c = p.country
        if c in wanted and (not roles or p.role in roles):
            return Evidence(f"party {i} ({p.role}) is of {c.upper()}")
    return None


@predicate(finding_only=True)
def any_party_bound_by(
    ctx: Context, regime: Regime | Authority, roles: list[str] | None = None
) -> Evidence | None:
    """The regime, or one of its authorities (``US-EAR``), binds some party (optionally of
    these roles)."""
    for i, p in enumerate(ctx.trade.parties):
        if roles and p.role not in roles:
            continue
        decision = _decision(ctx, i, regime)
        if decision.value == "binds":
            return Evidence(f"{regime} binds party {i} ({p.role}) via {', '.join(decision.rules)}")
    return None


@predicate()
def as_of_on_or_after(ctx: Context, date: dt.date) -> Evidence | None:
    """The screening date is on or after this date (for a limb with its own start date)."""
    return Evidence() if ctx.as_of >= date else None


@predicate()
def as_of_before(ctx: Context, date: dt.date) -> Evidence | None:
    """The screening date is before this date (for transitional periods)."""
    return Evidence() if ctx.as_of < date else None
