"""EU Financial Sanctions Files (FSF): the consolidated list XML, schema version 1.1.

Root ``export`` (namespace ``http://eu.europa.ec/fpi/fsd/export``, ignored when parsing)
with ``generationDate``; one ``sanctionEntity`` per listed subject, everything in
attributes. Native id: the sanctionEntity ``logicalId``.

Mapping choices:
* ``subjectType code="person"`` → Person, ``enterprise`` → Organization.
* The first ``nameAlias`` with ``strong="true"`` gives ``name`` (and first/middle/last
  name, gender, title, function → position); other strong aliases (often the same name in
  other EU languages) → ``alias``; ``strong="false"`` → ``weakAlias``.
* ``citizenship`` → ``nationality``. ``birthdate``: ``birthdate`` or year/month/day;
  ``yearRangeFrom``..``yearRangeTo`` → each year (as for the other lists).
* ``identification`` by ``identificationTypeCode``: passport → ``passportNumber``,
  ``regnumber`` → ``registrationNumber``, ``fiscalcode`` → ``taxNumber``, ``swiftbic`` →
  ``swiftBic``, ``imo`` → ``imoNumber`` (``IMO`` + 7 digits); others → ``idNumber``.
* ``regulation@programme`` → ``program``; ``euReferenceNumber`` → ``programId``;
  ``designationDate`` (else the earliest regulation ``publicationDate``) → ``createdAt``.
* Country code ``00`` means unknown and is dropped.

The public download needs the fixed token the Commission publishes for it; see the URL
in :mod:`corridor.sources.registry`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.etree.ElementTree import Element

from corridor.countries import country_code
from corridor.errors import SourceError
from corridor.model import Entity, ParsedList
from corridor.sources.mapping import add_properties
from corridor.sources.reading import XmlStream, children, open_xml, text_of
from corridor.sources.values import gender, parse_date, parse_dates, year_range

DATASET = "eu_fsf"

SCHEMA_BY_SUBJECT = {"person": "Person", "enterprise": "Organization"}
ID_PROPS = {
    "passport": "passportNumber",
    "regnumber": "registrationNumber",
    "fiscalcode": "taxNumber",
    "swiftbic": "swiftBic",
    "imo": "imoNumber",
}


def _attr(elem: Element, name: str) -> str | None:
    value = elem.get(name)
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _country(elem: Element) -> str | None:
    iso = _attr(elem, "countryIso2Code")
    if iso and iso != "00":
        return country_code(iso)
    description = _attr(elem, "countryDescription")
    return country_code(description) if description and description != "UNKNOWN" else None


def parse_eu_fsf(paths: Sequence[Path]) -> ParsedList:
    """Parse the FSF XML (one file) into a streaming ParsedList."""
    stream = open_xml(paths, root="export", what="EU Financial Sanctions Files XML")
    generated = stream.root.get("generationDate")
    return ParsedList(
        dataset=DATASET,
        list_date=parse_date(generated) if generated else None,
        entities=_entities(stream),
        files=[stream.path],
    )


def _entities(stream: XmlStream) -> Iterator[Entity]:
    seen: set[str] = set()
    for elem in stream.records("sanctionEntity"):
        entity = _entity(elem, str(stream.path))
        if entity.source_id in seen:
            raise SourceError(
                f"logicalId {entity.source_id} appears twice",
                path=str(stream.path),
                element="sanctionEntity",
                field="logicalId",
            )
        seen.add(entity.source_id)
        yield entity


def _entity(elem: Element, path: str) -> Entity:
    logical_id = _attr(elem, "logicalId")
    if not logical_id:
        raise SourceError(
            "sanctionEntity has no logicalId",
            path=path,
            element="sanctionEntity",
            field="logicalId",
        )
    where = f"sanctionEntity logicalId={logical_id}"
    subjects = children(elem, "subjectType")
    code = (_attr(subjects[0], "code") or "") if subjects else ""
    if code not in SCHEMA_BY_SUBJECT:
        raise SourceError(
            f"unknown subjectType code {code!r}; expected person or enterprise",
            path=path,
            element=where,
            field="subjectType",
        )
    entity = Entity.create(DATASET, logical_id, SCHEMA_BY_SUBJECT[code])
    person = entity.schema == "Person"
    entity.add("topics", "sanction")
    entity.add("programId", _attr(elem, "euReferenceNumber"))
    un_id = _attr(elem, "unitedNationId")
    if un_id:
        entity.add("notes", f"UN reference {un_id}")
    _names(entity, elem, path, where)
    regulations = children(elem, "regulation")
    entity.add("program", *(_attr(r, "programme") for r in regulations))
    published = sorted(d for r in regulations if (d := parse_date(_attr(r, "publicationDate"))))
    entity.add(
        "createdAt",
        parse_date(_attr(elem, "designationDate")) or (published[0] if published else None),
    )
    entity.add("notes", *(text_of(r) for r in children(elem, "remark")))
    props: dict[str, list[str]] = {}
    for cit in children(elem, "citizenship"):
        if code := _country(cit):
            props.setdefault("nationality", []).append(code)
    for dob in children(elem, "birthdate"):
        _birth(props, dob)
    for ident in children(elem, "identification"):
        _identification(props, ident)
    if not person:
        props = {("country" if k == "nationality" else k): v for k, v in props.items()}
    add_properties(entity, props)
    for addr in children(elem, "address"):
        parts = [
            _attr(addr, a)
            for a in ("street", "poBox", "city", "zipCode", "region", "place", "countryDescription")
        ]
        entity.add("address", ", ".join(p for p in parts if p and p != "UNKNOWN"))
        entity.add("country", _country(addr))
    return entity


def _names(entity: Entity, elem: Element, path: str, where: str) -> None:
    aliases = children(elem, "nameAlias")
    strong = [a for a in aliases if (_attr(a, "strong") or "true").lower() == "true"]
    if not aliases:
        raise SourceError(
            "sanctionEntity has no nameAlias", path=path, element=where, field="nameAlias"
        )
    main = strong[0] if strong else aliases[0]
    for alias in aliases:
        whole = _attr(alias, "wholeName") or " ".join(
            p
            for p in (
                _attr(alias, "firstName"),
                _attr(alias, "middleName"),
                _attr(alias, "lastName"),
            )
            if p
        )
        if not whole:
            continue
        if alias is main:
            entity.add("name", whole)
        elif alias in strong:
            entity.add("alias", whole)
        else:
            entity.add("weakAlias", whole)
        if entity.schema == "Person":
            entity.add("firstName", _attr(alias, "firstName"))
            entity.add("middleName", _attr(alias, "middleName"))
            entity.add("lastName", _attr(alias, "lastName"))
            entity.add(
                "gender", gender({"M": "male", "F": "female"}.get(_attr(alias, "gender") or "", ""))
            )
            entity.add("title", _attr(alias, "title"))
            entity.add("position", _attr(alias, "function"))
        elif function := _attr(alias, "function"):
            entity.add("notes", function)


def _birth(props: dict[str, list[str]], dob: Element) -> None:
    dates: list[str] = []
    full = _attr(dob, "birthdate")
    start, end = _attr(dob, "yearRangeFrom"), _attr(dob, "yearRangeTo")
    if full:
        dates += parse_dates(full)
    elif start and end and start.isdigit() and end.isdigit():
        dates += year_range(int(start), int(end))
    elif year := _attr(dob, "year"):
        month, day = _attr(dob, "monthOfYear"), _attr(dob, "dayOfMonth")
        text = year
        if month and month.isdigit():
            text += f"-{int(month):02d}"
            if day and day.isdigit():
                text += f"-{int(day):02d}"
        dates += [d for d in (parse_date(text),) if d]
    props.setdefault("birthDate", []).extend(dates)
    place = ", ".join(
        p
        for p in (
            _attr(dob, "place"),
            _attr(dob, "city"),
            _attr(dob, "region"),
            _attr(dob, "countryDescription"),
        )
        if p and p != "UNKNOWN"
    )
    if place:
        props.setdefault("birthPlace", []).append(place)
    if code := _country(dob):
        props.setdefault("birthCountry", []).append(code)


def _identification(props: dict[str, list[str]], ident: Element) -> None:
    number = _attr(ident, "number") or _attr(ident, "latinNumber")
    if not number:
        return
    kind = (_attr(ident, "identificationTypeCode") or "").lower()
    prop = ID_PROPS.get(kind, "idNumber")
    if prop == "imoNumber":
        digits = re.sub(r"\D", "", number)
        if len(digits) != 7:
            props.setdefault("notes", []).append(f"IMO {number}")
            return
        number = f"IMO{digits}"
    props.setdefault(prop, []).append(number)
    description = _attr(ident, "identificationTypeDescription")
    flags = [
        f
        for f in ("diplomatic", "knownExpired", "knownFalse", "reportedLost", "revokedByIssuer")
        if (_attr(ident, f) or "").lower() == "true"
    ]
    if flags:
        props.setdefault("notes", []).append(f"{description or kind} {number}: {', '.join(flags)}")
