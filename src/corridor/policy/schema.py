"""The policy file format: regimes, country groups, goods lists, ports and rules.

Every package data file and every user override file (``--policy FILE``) has this one
shape, validated by pydantic; unknown keys are errors, so a typo never silently disables
a rule. A rule's condition (``when``) is a small tree of named predicates, checked
separately by :mod:`corridor.policy.conditions` once all files are merged.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from corridor.trade import (
    AUTHORITY_REGIME,
    Authority,
    Confidence,
    FindingKind,
    Nexus,
    Regime,
    Severity,
)

RuleType = Literal["nexus", "finding", "list", "ownership", "suggestion"]
Scope = Literal["party", "goods", "leg", "leg_goods", "trade"]
NEXUS_OUTCOMES = ("binds", "exposure", "none")
SEVERITIES = ("prohibited", "license", "risk", "info")

_COUNTRY = re.compile(r"^([a-z]{2}|@[A-Z][A-Z0-9_]*)$")
_GOODS_CODE = re.compile(r"^(ex )?\d{2}(\d{2}){0,4}$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(_Strict):
    """A span a measure applies in, both ends inclusive; ``None`` is open."""

    start: dt.date | None = None
    end: dt.date | None = None
    #: What opens or closes the span (a resolution, a regulation, its transition clause).
    citation: str | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start and self.end and self.end < self.start:
            raise ValueError("end is before start")
        return self

    def covers(self, day: dt.date) -> bool:
        return not (self.start and day < self.start) and not (self.end and day > self.end)

    def label(self) -> str:
        if self.start and self.end:
            return f"{self.start} – {self.end}"
        if self.start:
            return f"from {self.start}"
        return f"until {self.end}" if self.end else "always"


class GroupMember(_Strict):
    """A country that belongs to a group only for a span (Iceland is an EU partner country
    for Art. 12g from 25 June 2024), with the source that says so."""

    country: str = Field(pattern=r"^[a-z]{2}$")
    start: dt.date | None = None
    end: dt.date | None = None
    source: str

    def member_on(self, day: dt.date | None) -> bool:
        """On ``day`` (``None``: any day the membership ever held)."""
        if day is None:
            return True
        return not (self.start and day < self.start) and not (self.end and day > self.end)


class RegimeInfo(_Strict):
    id: Regime
    name: str
    legal_basis: str
    source: str


class GoodsEntry(_Strict):
    """One listed code: a prefix of 2–10 digits; ``ex`` = only part of the code is covered."""

    code: str
    ex: bool = False
    tier: str | None = None


class _Annex(_Strict):
    """What every list a regulation publishes carries: its legal effect (citation), how sure
    and how complete the copy here is, which version, and where it came from."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    regime: Regime
    citation: str
    confidence: Confidence
    complete: bool
    version: str
    source: str
    note: str | None = None


class GoodsList(_Annex):
    """A goods list keyed on HS/CN/HTS code prefixes, with its legal effect and completeness."""

    codes: list[str] = Field(default_factory=list)
    file: str | None = None  # CSV beside the YAML file, columns code[,tier]
    entries: list[GoodsEntry] = Field(default_factory=list)

    @field_validator("codes")
    @classmethod
    def _codes(cls, codes: list[str]) -> list[str]:
        for code in codes:
            if not _GOODS_CODE.match(str(code)):
                raise ValueError(
                    f"{code!r} is not a code prefix (2-10 digits, even length, optionally 'ex ')"
                )
        return [str(c) for c in codes]

    _index: dict[str, GoodsEntry] = PrivateAttr(default_factory=dict)
    # declared code -> match result: a trade repeats codes across rules and route legs
    _memo: dict[str, tuple[GoodsEntry, bool] | None] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _entries(self) -> GoodsList:
        if not self.entries and self.codes:
            entries = [
                GoodsEntry(code=c.removeprefix("ex "), ex=c.startswith("ex ")) for c in self.codes
            ]
            object.__setattr__(self, "entries", entries)
        self._index = {}
        self._memo = {}
        for entry in self.entries:
            self._index.setdefault(entry.code, entry)
        return self

    def match(self, code: str) -> tuple[GoodsEntry, bool] | None:
        """The entry covering a declared code: (entry, True) when a listed prefix starts the
        code; (entry, False) when the code is shorter than the entry (only possibly covered)."""
        memo = self._memo  # a private attribute: one pydantic look-up, not three
        try:
            return memo[code]
        except KeyError:
            found = memo[code] = self._lookup(code)
            return found

    def _lookup(self, code: str) -> tuple[GoodsEntry, bool] | None:
        for n in range(2, len(code) + 1, 2):
            entry = self._index.get(code[:n])
            if entry is not None:
                return entry, True
        for entry in self.entries:
            if len(entry.code) > len(code) and entry.code.startswith(code):
                return entry, False
        return None


class NamedEntity(_Strict):
    """One legal person a regulation names in an annex, with the other names it goes by."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    country: str | None = None
    note: str | None = None

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class EntityList(_Annex):
    """Legal persons a regulation names (EU Annex XIX of 833/2014 …), for rules that turn on
    dealing with them rather than on a sanctions list screening reads."""

    entries: list[NamedEntity] = Field(min_length=1)


class Port(_Strict):
    """A port or terminal a route leg may name (``place``), with who operates it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str
    country: str
    aliases: list[str] = Field(default_factory=list)
    operators: list[str] = Field(default_factory=list)
    operator_designations: list[str] = Field(default_factory=list)
    note: str | None = None
    confidence: Confidence = "sure"
    source: str

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


class ListParams(_Strict):
    """Which list hits a list rule covers: entries of these datasets, or with these topics
    or program tags (``sanction.secondary``, ``list:EL``), or both."""

    kind: Literal["list"] = "list"
    datasets: list[str] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    #: And every one of these too (``list:SDN`` of the Consolidated Screening List).
    with_topics: list[str] = Field(default_factory=list)
    #: Entries with one of these topics or programs are left to another rule (the UN list's
    #: Iran entries, whose measures had their own periods in force).
    exclude_topics: list[str] = Field(default_factory=list)
    #: Applies only when no other rule of its regime covers the dataset (the parts of the US
    #: Consolidated Screening List without a rule of their own).
    fallback: bool = False


class OwnershipParams(_Strict):
    """How a regime counts listed owners; every term is stated, none is implied."""

    kind: Literal["ownership"] = "ownership"
    #: Percent of the shares (or votes) listed persons must hold.
    threshold: float = Field(gt=0, le=100)
    #: The threshold itself counts ("50 % or more", OFAC) rather than only above it (EU, UK).
    inclusive: bool
    #: Separate listed holders add up (OFAC), or not (UK), or the law has not settled it
    #: (EU): then an aggregate above the threshold is a reason to review, not ownership.
    aggregate: bool | Literal["unsettled"]
    #: Declared control (board majority, dominant influence) counts as well as shares.
    control: bool


class Rule(_Strict):
    """One legal rule: what it tests, what follows, where it comes from and when it applies."""

    id: str = Field(pattern=r"^[A-Z][A-Za-z0-9]*(-[A-Za-z0-9]+)+$")
    regime: Regime
    #: Whose rule it is, for a regime with several authorities (US: US-OFAC or US-EAR).
    authority: Authority | None = None
    type: RuleType
    scope: Scope = "party"
    kind: FindingKind | None = None
    outcome: str | None = None
    title: str
    when: dict[str, Any] | None = None
    params: ListParams | OwnershipParams | None = Field(default=None, discriminator="kind")
    targets: list[Regime] = Field(default_factory=list)
    text: str | None = None
    citation: str
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    #: Several spans in force, each with what opened or closed it, instead of one
    #: effective_from / effective_to (a measure lifted and re-imposed).
    periods: list[Period] = Field(default_factory=list)
    effective_note: str | None = None
    confidence: Confidence
    source: str
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _params_of_its_type(cls, data: Any) -> Any:
        """The rule's type says which parameters it takes, so errors name those fields."""
        if isinstance(data, dict) and isinstance(data.get("params"), dict):
            kind = data.get("type")
            if kind not in ("list", "ownership"):
                raise ValueError("'params' is for list and ownership rules")
            data = {**data, "params": {"kind": kind, **data["params"]}}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Rule:
        t = self.type
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        if self.periods and (self.effective_from or self.effective_to):
            raise ValueError("give either periods or effective_from / effective_to, not both")
        if self.authority is None and self.regime == "US":
            raise ValueError(
                "a US rule names its authority: US-OFAC (sanctions programs: US persons) or "
                "US-EAR (export controls: the item)"
            )
        if self.authority is not None and AUTHORITY_REGIME[self.authority] != self.regime:
            raise ValueError(f"authority {self.authority} is not one of regime {self.regime}")
        if t == "nexus":
            if self.outcome not in NEXUS_OUTCOMES:
                raise ValueError(f"a nexus rule's outcome must be one of {NEXUS_OUTCOMES}")
            if self.scope != "party":
                raise ValueError("a nexus rule has scope 'party'")
        elif t in ("finding", "list"):
            if self.outcome not in SEVERITIES:
                raise ValueError(f"a {t} rule's outcome must be a severity {SEVERITIES}")
        elif t == "ownership":
            if self.outcome not in SEVERITIES:
                raise ValueError(f"an ownership rule's outcome must be a severity {SEVERITIES}")
            if not isinstance(self.params, OwnershipParams):
                raise ValueError(
                    "an ownership rule needs params: threshold (percent), inclusive, "
                    "aggregate (true, false or unsettled) and control"
                )
        elif t == "suggestion" and not self.text:
            raise ValueError("a suggestion rule needs 'text'")
        if t == "finding" and self.kind is None:
            raise ValueError("a finding rule needs 'kind' (party|goods|route|vessel|ownership)")
        if t != "finding" and self.kind is not None:
            raise ValueError(f"'kind' is for finding rules, not {t} rules")
        if t in ("list", "ownership") and self.when is not None:
            raise ValueError(f"a {t} rule has no 'when': screening applies it to list hits")
        if self.targets and not (t == "nexus" and self.outcome == "none"):
            raise ValueError("'targets' is for nexus rules with outcome none")
        if t != "suggestion" and self.text:
            raise ValueError("'text' is for suggestion rules")
        if t in ("nexus", "finding", "suggestion") and not self.when:
            raise ValueError(f"a {t} rule needs a 'when' condition")
        if t == "list" and not (
            isinstance(self.params, ListParams) and (self.params.datasets or self.params.topics)
        ):
            raise ValueError("a list rule needs params.datasets or params.topics")
        return self

    def in_force(self, as_of: dt.date) -> bool:
        """Whether the rule applies on ``as_of`` (both ends of each span inclusive)."""
        return any(period.covers(as_of) for period in self.spans)

    @property
    def spans(self) -> list[Period]:
        """The periods in force: ``periods``, else the one of effective_from / effective_to."""
        if self.periods:
            return self.periods
        return [Period(start=self.effective_from, end=self.effective_to)]

    @property
    def authority_id(self) -> Authority:
        """Whose rule it is: the named authority, else the regime's own."""
        return self.authority or cast(Authority, self.regime)

    @property
    def severity(self) -> Severity:
        """A finding, list or ownership rule's outcome (the schema has checked it)."""
        assert self.outcome in SEVERITIES, f"{self.id} has no severity"
        return cast(Severity, self.outcome)

    @property
    def nexus(self) -> Nexus:
        """A nexus rule's outcome (the schema has checked it)."""
        assert self.outcome in NEXUS_OUTCOMES, f"{self.id} is not a nexus rule"
        return cast(Nexus, self.outcome)

    @property
    def listing(self) -> ListParams:
        """A list rule's parameters."""
        assert isinstance(self.params, ListParams), f"{self.id} is not a list rule"
        return self.params

    @property
    def ownership(self) -> OwnershipParams:
        """An ownership rule's parameters."""
        assert isinstance(self.params, OwnershipParams), f"{self.id} is not an ownership rule"
        return self.params

    def cite(self) -> str:
        """``rule id [citation; confidence]`` as used in every reason and finding."""
        return f"{self.id} [{self.citation}; {self.confidence}]"


class PolicyFile(_Strict):
    """A whole policy file: package data and ``--policy`` overrides share this format."""

    schema_version: Literal[1] = 1
    version: str | None = None
    description: str | None = None
    regimes: list[RegimeInfo] = Field(default_factory=list)
    country_groups: dict[str, list[str | GroupMember]] = Field(default_factory=dict)
    goods_lists: list[GoodsList] = Field(default_factory=list)
    entity_lists: list[EntityList] = Field(default_factory=list)
    ports: list[Port] = Field(default_factory=list)
    rules: list[Rule] = Field(default_factory=list)

    @field_validator("country_groups")
    @classmethod
    def _groups(
        cls, groups: dict[str, list[str | GroupMember]]
    ) -> dict[str, list[str | GroupMember]]:
        for name, members in groups.items():
            if not re.match(r"^[A-Z][A-Z0-9_]*$", name):
                raise ValueError(f"group name {name!r}: use upper case, digits, '_'")
            for member in members:
                if isinstance(member, str) and not _COUNTRY.match(member):
                    raise ValueError(
                        f"group {name}: {member!r} is not a lower-case ISO alpha-2 code or @GROUP"
                    )
        return groups
