"""Dataset scopes: what ``/match/{dataset}`` and ``/search/{dataset}`` may name.

Each loaded dataset by its own name, and collections of them as yente has them: ``default``
(everything loaded, yente's default scope), ``sanctions`` (the official lists corridor knows
and every list a policy rule reads) and one per authority (``us``, ``eu``, ``uk``, ``un``,
``kz``): the lists whose hits that regime's list rules weigh (the policy data says so: Kazakhstan
implements the UN list, so ``kz`` holds ``un_sc_sanctions``), and any loaded dataset named with
the authority's prefix (``us_…``, ``eu_…``, ``gb_…``/``uk_…``, ``un_…``, ``kz_…``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from corridor.policy import Policy
from corridor.sources.registry import DATASETS

DEFAULT = "default"
SANCTIONS = "sanctions"
#: Authority collection -> the regime id of the policy and the dataset name prefixes.
AUTHORITY_SCOPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "un": ("UN", ("un_",)),
    "us": ("US", ("us_",)),
    "eu": ("EU", ("eu_",)),
    "uk": ("UK", ("gb_", "uk_")),
    "kz": ("KZ", ("kz_",)),
}
TITLES = {
    DEFAULT: "All loaded lists",
    SANCTIONS: "Official sanctions and export-control lists",
    "un": "Lists binding under the UN regime",
    "us": "Lists of the US regime (OFAC and the EAR)",
    "eu": "Lists of the EU regime",
    "uk": "Lists of the UK regime",
    "kz": "Lists of the Kazakhstan regime (with the UN lists it implements)",
}


@dataclass(frozen=True)
class Scope:
    """A name a request may give and the loaded datasets it stands for."""

    name: str
    title: str
    datasets: frozenset[str]
    collection: bool


def policy_datasets(policy: Policy) -> dict[str, set[str]]:
    """Regime id -> the datasets its list rules name."""
    out: dict[str, set[str]] = {}
    for rule in policy.rules_of("list"):
        out.setdefault(rule.regime, set()).update(rule.listing.datasets)
    return out


def build_scopes(loaded: Iterable[str], policy: Policy) -> dict[str, Scope]:
    """Every scope over the loaded datasets; collections with no loaded dataset are left out
    (an empty scope would answer "no match" for anyone)."""
    names = sorted(set(loaded))
    by_regime = policy_datasets(policy)
    ruled = set().union(*by_regime.values()) if by_regime else set()
    scopes = {
        n: Scope(n, DATASETS[n].title if n in DATASETS else n, frozenset([n]), False) for n in names
    }
    collections = {
        DEFAULT: set(names),
        SANCTIONS: {n for n in names if n in DATASETS or n in ruled},
    }
    for scope, (regime, prefixes) in AUTHORITY_SCOPES.items():
        collections[scope] = {
            n for n in names if n in by_regime.get(regime, ()) or n.startswith(prefixes)
        }
    for name, members in collections.items():
        if members:
            scopes[name] = Scope(name, TITLES[name], frozenset(members), True)
    return scopes
