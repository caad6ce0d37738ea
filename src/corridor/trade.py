"""The trade contract (``../shared/DESIGN.md``, "Trade screening contract"): the terms of a
trade and of a finding, shared by the policy that judges a trade and the screening that
reports on it.

Field names, regime ids, nexus values, severities and verdicts are public (also published as
JSON Schema under ``docs/``): change them only with the design. Every value is validated
here, once, when a trade is built or a field is set: countries are ISO 3166-1 alpha-2 codes
(:func:`corridor.countries.iso_country`), currencies ISO 4217-shaped, HS codes 6 to 10
digits, IMO numbers 7 digits, dates real dates. A reader of a trade file
(:mod:`corridor.screening.trade_input`) turns the first error into one line naming the file,
line and field.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from corridor.countries import iso_country

Regime = Literal["UN", "US", "EU", "UK", "KZ"]
REGIMES: tuple[Regime, ...] = ("UN", "US", "EU", "UK", "KZ")
#: Who makes and enforces a regime's rules, and so whom they reach. The US has two: OFAC's
#: sanctions programs reach US persons (and those who cause them to violate), the EAR reach
#: the item subject to them, whoever holds it. Every other regime acts as one.
Authority = Literal["UN", "US-OFAC", "US-EAR", "EU", "UK", "KZ"]
AUTHORITIES: tuple[Authority, ...] = ("UN", "US-OFAC", "US-EAR", "EU", "UK", "KZ")
AUTHORITY_REGIME: dict[Authority, Regime] = {
    "UN": "UN",
    "US-OFAC": "US",
    "US-EAR": "US",
    "EU": "EU",
    "UK": "UK",
    "KZ": "KZ",
}
Nexus = Literal["binds", "exposure", "none"]
Verdict = Literal["PROHIBITED", "LICENSE_REQUIRED", "REVIEW", "CLEAR"]
Severity = Literal["prohibited", "license", "risk", "info"]
Confidence = Literal["sure", "likely", "unsure"]
FindingKind = Literal["party", "goods", "route", "vessel", "ownership"]
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
ROLES: tuple[Role, ...] = Role.__args__  # type: ignore[attr-defined]

#: Input bounds: a trade file is a document, not a batch (use ``corridor batch`` for volume).
MAX_PARTIES = 200
MAX_GOODS = 1000
MAX_ROUTE_LEGS = 100
MAX_NAME_LENGTH = 500

#: Verdicts from most to least severe; a finding's severity maps onto one.
VERDICT_ORDER: tuple[Verdict, ...] = ("PROHIBITED", "LICENSE_REQUIRED", "REVIEW", "CLEAR")
SEVERITY_VERDICT: dict[Severity, Verdict] = {
    "prohibited": "PROHIBITED",
    "license": "LICENSE_REQUIRED",
    "risk": "REVIEW",
    "info": "CLEAR",
}
#: How sure a source is, least first: a conclusion is as sure as its weakest source.
CONFIDENCE_ORDER: dict[Confidence, int] = {"unsure": 0, "likely": 1, "sure": 2}

#: Schemata a party or owner may have: the FtM legal-entity family.
PARTY_SCHEMATA = ("LegalEntity", "Company", "Organization", "Person", "PublicBody")


def weakest(*levels: Confidence | None) -> Confidence:
    """The least certain of several confidence levels (``None`` is ignored)."""
    present = [level for level in levels if level]
    return min(present, key=CONFIDENCE_ORDER.__getitem__) if present else "sure"


def party_subject(index: int, role: str, name: str) -> str:
    """``party #1 importer Almaty Microsystems TOO``: how every finding names a party."""
    return f"party #{index} {role} {name}"


# -- validated values ---------------------------------------------------------------------


def _currency(value: str) -> str:
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(f"{code!r} is not an ISO 4217 code such as USD")
    return code


def _hs_code(value: str) -> str:
    code = re.sub(r"[\s.]", "", value)
    if not re.fullmatch(r"\d{6,10}", code):
        raise ValueError(f"{value!r} is not an HS code of 6 to 10 digits")
    return code


def _imo(value: str) -> str:
    digits = re.sub(r"^IMO\s*", "", value.strip(), flags=re.I)
    if not re.fullmatch(r"\d{7}", digits):
        raise ValueError(f"{value!r} is not a 7-digit IMO number")
    return digits


def _party_schema(value: str) -> str:
    if value not in PARTY_SCHEMATA:
        raise ValueError(f"{value!r} is not one of {', '.join(PARTY_SCHEMATA)}")
    return value


#: A country as the contract holds it: a lower-case ISO 3166-1 alpha-2 code.
Country = Annotated[str, AfterValidator(iso_country)]
Currency = Annotated[str, AfterValidator(_currency)]
HsCodeText = Annotated[str, AfterValidator(_hs_code)]
ImoNumber = Annotated[str, AfterValidator(_imo)]
PartySchema = Annotated[str, AfterValidator(_party_schema)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def _shares_add_up(owners: list[Owner]) -> list[Owner]:
    """Declared stakes in one entity cannot add up to more than 100 %."""
    total = sum(o.share for o in owners)
    if total > 100.0001:
        raise ValueError(f"the owners' shares add up to {total:g} %, more than 100 %")
    return owners


class Owner(_Strict):
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    country: Country | None = None
    share: float = Field(default=100.0, ge=0, le=100, description="percent")
    schema_: PartySchema = Field(default="LegalEntity", alias="schema")
    control: bool = Field(
        default=False,
        description="controls the owned entity by other means than shares (board majority, "
        "dominant influence); counted by regimes with an ownership-or-control test (EU, UK)",
    )
    owners: list[Owner] = Field(default_factory=list)

    _owners = field_validator("owners")(_shares_add_up)


class Party(_Strict):
    role: Role
    name: str = Field(min_length=1, max_length=MAX_NAME_LENGTH)
    schema_: PartySchema = Field(default="LegalEntity", alias="schema")
    country: Country | None = None
    identifiers: dict[str, str | list[str]] = Field(default_factory=dict)
    owners: list[Owner] = Field(default_factory=list)
    parent: Owner | None = None
    is_fi: bool | None = None
    location: Country | None = None  # place of business if not ``country``
    aifc: bool | None = None  # Astana International Financial Centre participant

    _owners = field_validator("owners")(_shares_add_up)

    @field_validator("identifiers")
    @classmethod
    def _ftm_properties(cls, value: dict[str, Any], info: Any) -> dict[str, Any]:
        """Every identifier is a FollowTheMoney property of the party's schema; the error's
        ``key`` names the identifier, so the reader can point at it."""
        schema = info.data.get("schema_")
        if not value or schema is None:
            return value
        from followthemoney import model

        ftm = model.get(schema)
        for key in value:
            if ftm is None or ftm.get(key) is None:
                raise PydanticCustomError(
                    "ftm_property",
                    "{key!r} is not a FollowTheMoney property of {schema} (e.g. "
                    "registrationNumber, taxNumber, innCode, idNumber, passportNumber)",
                    {"key": key, "schema": schema},
                )
        return value


class GoodsLine(_Strict):
    hs_code: HsCodeText
    description: str | None = None
    origin: Country | None = None
    us_content_pct: float | None = Field(default=None, ge=0, le=100)
    value: float | None = None
    eccn: str | None = None


class VesselRef(_Strict):
    name: str | None = Field(default=None, max_length=MAX_NAME_LENGTH)
    imo: ImoNumber | None = None
    flag: Country | None = None


class RouteLeg(_Strict):
    country: Country
    place: str | None = None
    vessel: VesselRef | None = None


class Trade(_Strict):
    date: dt.date | None = None
    currency: Currency | None = None
    parties: list[Party] = Field(min_length=1, max_length=MAX_PARTIES)
    goods: list[GoodsLine] = Field(default_factory=list, max_length=MAX_GOODS)
    route: list[RouteLeg] = Field(default_factory=list, max_length=MAX_ROUTE_LEGS)
    clearing_country: Country | None = None

    def judged_on(self, as_of: dt.date | None = None) -> dt.date:
        """The date a trade is judged as of: the one asked for, else the trade's, else today."""
        return as_of or self.date or dt.date.today()


class Finding(BaseModel):
    """One consequence of a rule for one subject (a party, goods line, route leg, vessel),
    citing the rule. ``authority`` is whose rule it is (the regime's, or for the US OFAC's or
    the EAR's); ``outcome`` is what it counts for in the verdict, after the caps (exposure
    only, unsure rule)."""

    kind: FindingKind
    regime: Regime
    authority: Authority
    severity: Severity
    rule: str
    citation: str
    confidence: Confidence
    subject: str
    detail: str
    outcome: Verdict | None = None
