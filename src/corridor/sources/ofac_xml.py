"""OFAC's XML publications: ``SDN.XML`` (``us_ofac_sdn``) and the consolidated non-SDN
list ``CONSOLIDATED.XML`` (``us_ofac_cons``), both ``sdnList``/``sdnEntry`` documents.

Parsing ignores namespaces: OFAC has published the same structure under
``http://tempuri.org/sdnList.xsd`` and, since the Sanctions List Service,
``https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML``.

The mapping matches :mod:`corridor.sources.ofac_csv`, so a dataset loaded from either
form gives the same entities: ``uid`` is the CSV's ``ent_num``; ``idList`` entries are
rewritten as the CSV's remark clauses (``"<idType> <idNumber> (<idCountry>)"``) and read
with :func:`parse_ofac_remarks` (IMO as ``IMO1234567``, secondary-sanctions topic, ...);
``aka`` of category ``weak`` is a ``weakAlias`` (the CSV's ``a.k.a. 'X'`` remark), other
akas are ``alias`` (``f.k.a.`` also ``previousName``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.etree.ElementTree import Element

from corridor.countries import country_code
from corridor.errors import SourceError
from corridor.model import Entity, ParsedList
from corridor.sources.mapping import add_address, add_properties
from corridor.sources.ofac_csv import SCHEMA_BY_TYPE
from corridor.sources.ofac_remarks import parse_ofac_remarks
from corridor.sources.reading import child, children, local, open_xml, text_of, texts_of
from corridor.sources.values import parse_dates, us_date


def publish_date(text: str | None) -> str | None:
    """``Publish_Date`` is US ``MM/DD/YYYY``."""
    if not text:
        return None
    dates = parse_dates(text)
    return us_date(text) or (dates[0] if dates else None)


def parse_ofac_xml(paths: Sequence[Path], dataset: str = "us_ofac_sdn") -> ParsedList:
    """Parse one OFAC ``sdnList`` XML file (SDN or consolidated) as ``dataset``."""
    stream = open_xml(paths, root="sdnList", what="OFAC sdnList XML")
    path = stream.path
    records = stream.records("publshInformation", "sdnEntry")
    first = next(records, None)
    list_date = None
    pending: Entity | None = None
    if first is not None and local(first.tag) == "publshInformation":
        list_date = publish_date(text_of(first, "Publish_Date"))
    elif first is not None:
        pending = _entry(first, dataset, str(path))
    return ParsedList(
        dataset=dataset,
        list_date=list_date,
        entities=_entities(records, pending, dataset, str(path)),
        files=[path],
    )


def parse_ofac_cons_xml(paths: Sequence[Path]) -> ParsedList:
    return parse_ofac_xml(paths, "us_ofac_cons")


def _entities(
    records: Iterator[Element], pending: Entity | None, dataset: str, path: str
) -> Iterator[Entity]:
    if pending is not None:
        yield pending
    seen: set[str] = set()
    for elem in records:
        if local(elem.tag) != "sdnEntry":
            continue
        entity = _entry(elem, dataset, path)
        if entity.source_id in seen:
            raise SourceError(
                f"uid {entity.source_id} appears twice", path=path, element="sdnEntry", field="uid"
            )
        seen.add(entity.source_id)
        yield entity


def _name(elem: Element) -> str | None:
    last, first = text_of(elem, "lastName"), text_of(elem, "firstName")
    if last and first:
        return f"{last}, {first}"
    return last or first


def _entry(elem: Element, dataset: str, path: str) -> Entity:
    uid = text_of(elem, "uid")
    if not uid or not uid.isdigit():
        raise SourceError(
            f"sdnEntry has no numeric uid ({uid!r})", path=path, element="sdnEntry", field="uid"
        )
    where = f"sdnEntry uid={uid}"
    kind = (text_of(elem, "sdnType") or "").lower()
    kind = "" if kind == "entity" else kind
    if kind not in SCHEMA_BY_TYPE:
        raise SourceError(
            f"unknown sdnType {text_of(elem, 'sdnType')!r}; expected "
            "Individual, Entity, Vessel or Aircraft",
            path=path,
            element=where,
            field="sdnType",
        )
    name = _name(elem)
    if not name:
        raise SourceError("entry has no name", path=path, element=where, field="lastName")
    entity = Entity.create(dataset, uid, SCHEMA_BY_TYPE[kind])
    entity.add("name", name)
    if entity.schema == "Person":
        entity.add("lastName", text_of(elem, "lastName"))
        entity.add("firstName", text_of(elem, "firstName"))
    entity.add("topics", "sanction")
    entity.add("program", *texts_of(elem, "programList/program"))
    props: dict[str, list[str]] = {}
    title = text_of(elem, "title")
    if title:
        props["position" if entity.schema == "Person" else "notes"] = [title]
    vessel = child(elem, "vesselInfo")
    if vessel is not None:
        for tag, prop in (
            ("callSign", "callSign"),
            ("vesselType", "type"),
            ("tonnage", "tonnage"),
            ("grossRegisteredTonnage", "grossRegisteredTonnage"),
        ):
            if value := text_of(vessel, tag):
                props.setdefault(prop, []).append(value)
        if flag := text_of(vessel, "vesselFlag"):
            code = country_code(flag)
            props.setdefault("flag" if code else "notes", []).append(code or f"flag: {flag}")
        if owner := text_of(vessel, "vesselOwner"):
            props.setdefault("notes", []).append(f"Owner: {owner}")
    add_properties(entity, props)
    clauses = [f"DOB {d}" for d in texts_of(elem, "dateOfBirthList/dateOfBirthItem/dateOfBirth")]
    clauses += [
        f"POB {p}" for p in texts_of(elem, "placeOfBirthList/placeOfBirthItem/placeOfBirth")
    ]
    clauses += [f"nationality {c}" for c in texts_of(elem, "nationalityList/nationality/country")]
    clauses += [f"citizen {c}" for c in texts_of(elem, "citizenshipList/citizenship/country")]
    for ident in _items(elem, "idList", "id"):
        clauses.append(_id_clause(ident))
    clauses.append(text_of(elem, "remarks") or "")
    add_properties(entity, parse_ofac_remarks("; ".join(c for c in clauses if c)))
    for aka in _items(elem, "akaList", "aka"):
        alias = _name(aka)
        if not alias:
            continue
        if (text_of(aka, "category") or "").lower() == "weak":
            entity.add("weakAlias", alias)
            continue
        if (text_of(aka, "type") or "").lower() == "f.k.a.":
            entity.add("previousName", alias)
        entity.add("alias", alias)
    for address in _items(elem, "addressList", "address"):
        parts = [
            text_of(address, tag)
            for tag in (
                "address1",
                "address2",
                "address3",
                "city",
                "stateOrProvince",
                "postalCode",
                "country",
            )
        ]
        add_address(entity, parts, text_of(address, "country"))
    return entity


def _items(elem: Element, list_tag: str, item_tag: str) -> list[Element]:
    container = child(elem, list_tag)
    return children(container, item_tag) if container is not None else []


def _id_clause(ident: Element) -> str:
    """An ``idList/id`` as the CSV would write it in Remarks."""
    kind, number = text_of(ident, "idType") or "", text_of(ident, "idNumber") or ""
    country = text_of(ident, "idCountry")
    clause = f"{kind} {number}".strip()
    if country:
        clause += f" ({country})"
    for tag, word in (("issueDate", "issued"), ("expirationDate", "expires")):
        if value := text_of(ident, tag):
            clause += f" {word} {value}"
    return clause
