"""The trade screening contract (``../shared/DESIGN.md``, "Trade screening contract").

Input: a :class:`Trade`. Output: a :class:`ScreeningResult`. Field names, regime ids,
nexus values and verdicts are the public contract (also published as JSON Schema under
``docs/``): change them only with the design.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Regime = Literal["UN", "US", "EU", "UK", "KZ"]
REGIMES: tuple[Regime, ...] = ("UN", "US", "EU", "UK", "KZ")
Nexus = Literal["binds", "exposure", "none"]
Verdict = Literal["PROHIBITED", "LICENSE_REQUIRED", "REVIEW", "CLEAR"]
Severity = Literal["prohibited", "license", "risk", "info"]
Confidence = Literal["sure", "likely", "unsure"]
FindingKind = Literal["party", "goods", "route", "vessel", "ownership"]
#: Input bounds: a trade file is a document, not a batch (use ``corridor batch`` for volume).
MAX_PARTIES = 200
MAX_GOODS = 1000
MAX_ROUTE_LEGS = 100
MAX_NAME_LENGTH = 500

Role = Literal[
    "exporter",
    "importer",
    "consignee",
    "end_user",
    "intermediary",
    "carrier",
    "bank",
    "forwarder",
    "owner",
]

#: Verdicts from most to least severe; a finding's severity maps onto one.
VERDICT_ORDER: tuple[Verdict, ...] = ("PROHIBITED", "LICENSE_REQUIRED", "REVIEW", "CLEAR")
SEVERITY_VERDICT: dict[str, Verdict] = {
    "prohibited": "PROHIBITED",
    "license": "LICENSE_REQUIRED",
    "risk": "REVIEW",
    "info": "CLEAR",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Owner(_Strict):
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    country: str | None = None
    share: float = Field(default=100.0, ge=0, le=100, description="percent")
    schema_: str = Field(default="LegalEntity", alias="schema")
    control: bool = Field(
        default=False,
        description="controls the owned entity by other means than shares (board majority, "
        "dominant influence); counted by regimes with an ownership-or-control test (EU, UK)",
    )
    owners: list[Owner] = Field(default_factory=list)


class Party(_Strict):
    role: Role
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    schema_: str = Field(default="LegalEntity", alias="schema")
    country: str | None = None
    identifiers: dict[str, str | list[str]] = Field(default_factory=dict)
    owners: list[Owner] = Field(default_factory=list)
    parent: Owner | None = None
    is_fi: bool | None = None
    location: str | None = None  # place of business if not ``country`` (ISO alpha-2)
    aifc: bool | None = None  # Astana International Financial Centre participant


class GoodsLine(_Strict):
    hs_code: str
    description: str | None = None
    origin: str | None = None
    us_content_pct: float | None = Field(default=None, ge=0, le=100)
    value: float | None = None
    eccn: str | None = None


class VesselRef(_Strict):
    name: str | None = Field(default=None, max_length=MAX_NAME_LENGTH)
    imo: str | None = None
    flag: str | None = None


class RouteLeg(_Strict):
    country: str
    place: str | None = None
    vessel: VesselRef | None = None


class Trade(_Strict):
    date: dt.date | None = None
    currency: str | None = None
    parties: list[Party] = Field(min_length=1, max_length=MAX_PARTIES)
    goods: list[GoodsLine] = Field(default_factory=list, max_length=MAX_GOODS)
    route: list[RouteLeg] = Field(default_factory=list, max_length=MAX_ROUTE_LEGS)
    clearing_country: str | None = None


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
    nexus: dict[str, list[str]] = Field(default_factory=dict)
    matches: list[PartyMatch] = Field(default_factory=list)
    owners: list[OwnerResult] = Field(default_factory=list)


class Finding(BaseModel):
    kind: FindingKind
    regime: Regime
    severity: Severity
    rule: str
    citation: str
    confidence: Confidence
    subject: str
    detail: str
    #: What the finding counts for in the verdict, after the caps (exposure only, unsure rule).
    outcome: Verdict | None = None


def party_subject(index: int, role: str, name: str) -> str:
    """``party #1 importer Almaty Microsystems TOO``: how every finding names a party."""
    return f"party #{index} {role} {name}"


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
