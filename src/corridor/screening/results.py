"""What screening returns: per party its regimes and list matches, the findings, the verdict.

The terms these models share with the policy (regimes, nexus values, findings, verdicts) are
the trade contract's (:mod:`corridor.trade`); these are screening's own output models.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from corridor.trade import AUTHORITIES, AUTHORITY_REGIME, Authority, Finding, Nexus, Verdict


class PartyMatch(BaseModel):
    id: str
    score: float
    match: bool = True
    source_ids: list[str]
    caption: str | None = None
    datasets: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    explanation: dict[str, Any] = Field(default_factory=dict)


class OwnerResult(BaseModel):
    """A declared owner as screened; ``path`` locates it in the input (``owners[0].owners[1]``)."""

    path: str
    name: str
    share: float
    country: str | None = None
    matches: list[PartyMatch] = Field(default_factory=list)


class PartyResult(BaseModel):
    index: int
    role: str
    name: str
    regimes: dict[str, Nexus]
    #: The US regime's two authorities on their own: OFAC's programs reach US persons, the EAR
    #: the item (a party may be bound by one and only exposed to the other).
    authorities: dict[str, Nexus] = Field(default_factory=dict)
    nexus: dict[str, list[str]] = Field(default_factory=dict)
    matches: list[PartyMatch] = Field(default_factory=list)
    owners: list[OwnerResult] = Field(default_factory=list)


def authority_values(party: PartyResult) -> dict[Authority, Nexus]:
    """Binds / exposure / none per authority: the US ones as decided, the others as their
    regime."""
    return {a: party.authorities.get(a) or party.regimes[AUTHORITY_REGIME[a]] for a in AUTHORITIES}


class ListVersion(BaseModel):
    dataset: str
    version: str


class ScreeningResult(BaseModel):
    verdict: Verdict
    as_of: dt.date
    parties: list[PartyResult]
    findings: list[Finding]
    lists: list[ListVersion] = Field(default_factory=list)
    explanation: list[str] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)
