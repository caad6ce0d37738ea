"""Whether the lists screened against cover the regimes that bind the trade's parties.

A hit on a list no rule maps to a regime would produce no finding at all, and a regime that
binds a party but whose lists were not loaded would read as "not listed" when it means "not
checked": both are said, one as an error, one in the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from corridor.errors import InputError
from corridor.policy import Policy
from corridor.screening.reach import Binding


def unscreened_regimes_note(
    policy: Policy, datasets: Sequence[str], binding: Binding, as_of: dt.date
) -> str | None:
    """Say so when an authority binds a party but none of its lists was loaded: no list
    finding under it can appear, so "no match" there means "not checked", not "not listed"."""
    loaded = set(datasets)
    covered = {
        rule.authority_id
        for rule in policy.rules_of("list")
        if rule.in_force(as_of)
        and (loaded.intersection(rule.listing.datasets) or not rule.listing.datasets)
    }
    missing = [a for a in binding if a not in covered]
    if not missing:
        return None
    lists_of = {
        a: sorted(
            {
                d
                for rule in policy.rules_of("list")
                if rule.authority_id == a
                for d in rule.listing.datasets
            }
        )
        for a in missing
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
