"""What screening returns: per party its regimes and list matches, the findings, the verdict.

The terms these models share with the policy (regimes, nexus values, findings, verdicts) are
the trade contract's (:mod:`corridor.trade`); these are screening's own output models. A list
match is the matcher's :class:`~corridor.matching.result.MatchResult` itself.
"""

from __future__ import annotations

import datetime as dt
from copy import deepcopy
from typing import Annotated, Any

from pydantic import BaseModel, Field, GetPydanticSchema, WithJsonSchema
from pydantic_core import core_schema

from corridor.matching.result import MATCH_JSON_SCHEMA, MatchResult
from corridor.trade import AUTHORITIES, AUTHORITY_REGIME, Authority, Finding, Nexus, Verdict


def _reported(match: MatchResult) -> dict[str, Any]:
    """A list match as the report writes it: the matcher's JSON less ``schema`` (the party's
    schema is the one its input gave)."""
    data = match.to_dict()
    del data["schema"]
    return data


def _reported_schema() -> dict[str, Any]:
    schema = deepcopy(MATCH_JSON_SCHEMA)
    del schema["properties"]["schema"]
    schema["required"].remove("schema")
    return schema


#: A list match in the result: the matcher's own :class:`MatchResult`, taken as it is (an
#: instance check, no copy) and written by :func:`_reported`.
ListMatch = Annotated[
    MatchResult,
    GetPydanticSchema(
        lambda _source, _handler: core_schema.is_instance_schema(
            MatchResult,
            serialization=core_schema.plain_serializer_function_ser_schema(_reported),
        )
    ),
    WithJsonSchema(_reported_schema()),
]


class OwnerResult(BaseModel):
    """A declared owner as screened; ``path`` locates it in the input (``owners[0].owners[1]``)."""

    path: str
    name: str
    share: float
    country: str | None = None
    matches: list[ListMatch] = Field(default_factory=list)


class PartyResult(BaseModel):
    index: int
    role: str
    name: str
    regimes: dict[str, Nexus]
    #: The US regime's two authorities on their own: OFAC's programs reach US persons, the EAR
    #: the item (a party may be bound by one and only exposed to the other).
    authorities: dict[str, Nexus] = Field(default_factory=dict)
    nexus: dict[str, list[str]] = Field(default_factory=dict)
    matches: list[ListMatch] = Field(default_factory=list)
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
