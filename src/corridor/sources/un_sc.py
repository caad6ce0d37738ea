"""UN Security Council consolidated list (XML, schema ``sc-sanctions.xsd``).

Mapping choices:
* Name parts FIRST..FOURTH_NAME have no fixed surname slot; ``name`` joins them in order,
  ``firstName`` is FIRST_NAME, ``lastName`` the last part present and ``middleName`` the
  parts between. ``NAME_ORIGINAL_SCRIPT`` is an ``alias``.
* Alias QUALITY ``Good``/``a.k.a.``/empty → ``alias`` (strong); ``Low`` → ``weakAlias``;
  ``f.k.a.`` → ``previousName`` and ``alias`` (a former name still identifies).
* Birth dates: DATE, YEAR, or FROM_YEAR..TO_YEAR (every year of the range).
* Documents: passports → ``passportNumber``, all other documents → ``idNumber``.
* UN_LIST_TYPE → ``program``; REFERENCE_NUMBER (e.g. ``QDi.001``) → ``programId``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.etree.ElementTree import Element

from corridor.countries import country_code
from corridor.errors import SourceError
from corridor.model import Entity, ParsedList
from corridor.sources.mapping import add_address, add_country
from corridor.sources.reading import XmlStream, children, local, open_xml, text_of, texts_of
from corridor.sources.values import gender, parse_date, parse_dates, unquote, year_range

DATASET = "un_sc_sanctions"

_PASSPORT_WORDS = ("passport", "passeport", "pasaporte")


def parse_un_sc(paths: Sequence[Path]) -> ParsedList:
    """Parse ``UN_consolidated.xml`` (the one path given) into a streaming ParsedList."""
    stream = open_xml(paths, root="CONSOLIDATED_LIST", what="UN consolidated list XML")
    generated = stream.root.get("dateGenerated")
    return ParsedList(
        dataset=DATASET,
        list_date=parse_date(generated) if generated else None,
        entities=_entities(stream),
        files=[stream.path],
    )


def _entities(stream: XmlStream) -> Iterator[Entity]:
    for elem in stream.records("INDIVIDUAL", "ENTITY"):
        yield _record(elem, str(stream.path))


def _record(elem: Element, path: str) -> Entity:
    kind = local(elem.tag)
    dataid = text_of(elem, "DATAID")
    if not dataid:
        raise SourceError(
            "record has no DATAID; the file is damaged, download it again",
            path=path,
            element=kind,
            field="DATAID",
        )
    where = f"{kind} DATAID={dataid}"
    person = kind == "INDIVIDUAL"
    entity = Entity.create(DATASET, dataid, "Person" if person else "Organization")
    parts = [
        text_of(elem, tag) for tag in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
    ]
    parts = [p for p in parts if p]
    if not parts:
        raise SourceError("record has no name", path=path, element=where, field="FIRST_NAME")
    entity.add("name", " ".join(parts))
    if person and len(parts) > 1:
        entity.add("firstName", parts[0])
        entity.add("middleName", *parts[1:-1])
        entity.add("lastName", parts[-1])
    entity.add("alias", text_of(elem, "NAME_ORIGINAL_SCRIPT"))
    entity.add("topics", "sanction")
    entity.add("program", text_of(elem, "UN_LIST_TYPE"))
    entity.add("programId", text_of(elem, "REFERENCE_NUMBER"))
    entity.add("createdAt", parse_date(text_of(elem, "LISTED_ON")))
    entity.add("modifiedAt", *(parse_date(v) for v in texts_of(elem, "LAST_DAY_UPDATED/VALUE")))
    entity.add("notes", text_of(elem, "COMMENTS1"))
    if person:
        entity.add("title", *texts_of(elem, "TITLE/VALUE"))
        entity.add("position", *texts_of(elem, "DESIGNATION/VALUE"))
        entity.add("gender", gender(text_of(elem, "GENDER")))
        _countries(entity, "nationality", texts_of(elem, "NATIONALITY/VALUE"))
    for alias in children(elem, "INDIVIDUAL_ALIAS") + children(elem, "ENTITY_ALIAS"):
        _alias(entity, alias, path, where)
    for dob in children(elem, "INDIVIDUAL_DATE_OF_BIRTH"):
        _birth_date(entity, dob)
    for pob in children(elem, "INDIVIDUAL_PLACE_OF_BIRTH"):
        _birth_place(entity, pob)
    for doc in children(elem, "INDIVIDUAL_DOCUMENT"):
        _document(entity, doc)
    for addr in children(elem, "INDIVIDUAL_ADDRESS") + children(elem, "ENTITY_ADDRESS"):
        _address(entity, addr)
    return entity


def _countries(entity: Entity, prop: str, values: list[str]) -> None:
    for value in values:
        if value.lower() not in ("na", "n/a"):
            add_country(entity, prop, value)


def _alias(entity: Entity, alias: Element, path: str, where: str) -> None:
    name = text_of(alias, "ALIAS_NAME")
    if not name:
        return
    name = unquote(name)
    quality = (text_of(alias, "QUALITY") or "").lower()
    if quality == "low":
        entity.add("weakAlias", name)
    elif quality == "f.k.a.":
        entity.add("previousName", name)
        entity.add("alias", name)
    elif quality in ("good", "a.k.a.", ""):
        entity.add("alias", name)
    else:
        raise SourceError(
            f"unknown alias QUALITY {quality!r}; expected Good, Low, a.k.a. or f.k.a.",
            path=path,
            element=where,
            field="QUALITY",
        )
    if entity.schema == "Person":
        entity.add("birthDate", parse_date(text_of(alias, "DATE_OF_BIRTH")))
        place = ", ".join(
            t for t in (text_of(alias, "CITY_OF_BIRTH"), text_of(alias, "COUNTRY_OF_BIRTH")) if t
        )
        entity.add("birthPlace", place)


def _birth_date(entity: Entity, dob: Element) -> None:
    date = text_of(dob, "DATE")
    year = text_of(dob, "YEAR")
    start, end = text_of(dob, "FROM_YEAR"), text_of(dob, "TO_YEAR")
    if date:
        entity.add("birthDate", *parse_dates(date))
    if year:
        entity.add("birthDate", *parse_dates(year))
    if start and end and start.isdigit() and end.isdigit():
        entity.add("birthDate", *year_range(int(start), int(end)))
    elif start or end:
        entity.add("birthDate", *parse_dates(start), *parse_dates(end))
    note = text_of(dob, "NOTE")
    if note:
        entity.add("notes", f"date of birth: {note}")


def _birth_place(entity: Entity, pob: Element) -> None:
    parts = [text_of(pob, tag) for tag in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")]
    entity.add("birthPlace", ", ".join(p for p in parts if p))
    code = country_code(text_of(pob, "COUNTRY"))
    entity.add("birthCountry", code)


def _document(entity: Entity, doc: Element) -> None:
    number = text_of(doc, "NUMBER")
    if not number:
        return
    kind = (text_of(doc, "TYPE_OF_DOCUMENT") or "").lower()
    if any(word in kind for word in _PASSPORT_WORDS):
        entity.add("passportNumber", number)
    else:
        entity.add("idNumber", number)


def _address(entity: Entity, addr: Element) -> None:
    parts = [
        text_of(addr, tag) for tag in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY")
    ]
    add_address(entity, parts, text_of(addr, "COUNTRY"))
    note = text_of(addr, "NOTE")
    if note and not any(p for p in parts):
        entity.add("address", note)


__all__ = ["DATASET", "parse_un_sc"]
