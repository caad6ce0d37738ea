"""OFAC Sanctions List Service "Enhanced XML": ``SDN_ENHANCED`` and ``CONS_ENHANCED``.

The same format serves the SDN list (``us_ofac_sdn``) and the Consolidated non-SDN list
(``us_ofac_cons``), published as ``.XML`` or zipped (``.ZIP`` with one ``.XML`` member,
streamed from the archive). Every element is in the default namespace
``https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ENHANCED_XML``;
parsing ignores namespaces, as for OFAC's other XML.

``sanctionsData`` holds ``publicationInfo`` (``dataAsOf``: the list date; ``filters`` name
the list exported), ``referenceValues`` (a typed lookup table; every reference in an entity
also carries its value as text, so it is not needed) and ``entities/entity``:

* ``@id`` is the entry's ``ent_num`` (the same number as in the legacy CSV set), the native
  id; ``generalInfo/entityType`` Individual / Entity / Vessel / Aircraft gives the schema;
  ``generalInfo/remarks`` is read like the CSV's remarks.
* ``names/name``: ``isPrimary``, ``aliasType`` (A.K.A., F.K.A., N.K.A.), ``isLowQuality``,
  and ``translations/translation``, each with its ``script`` and ``formattedFullName``
  (``LAST, First``, as the CSV writes names) and ``nameParts``. The primary name's
  primary translation is ``name`` (a person's parts ``lastName``, ``firstName``,
  ``middleName``); its other translations (Cyrillic, Chinese …) are ``alias``; a
  low-quality alias is a ``weakAlias``; an F.K.A. is also a ``previousName``.
* ``features/feature``: a ``type`` and a ``value`` (and for dates a ``valueDate`` range
  from ``fromDateBegin`` to ``toDateEnd``). Each becomes the clause the CSV's remarks would
  hold (``DOB 1962``, ``POB Shati``, ``nationality Russia``, ``Website …``,
  ``Secondary sanctions risk: …``) and is read with :func:`parse_ofac_remarks`, so the
  two forms agree on every value; a birth date given only as a range becomes every year
  of it.
* ``identityDocuments/identityDocument``: ``type``, ``documentNumber``, ``issuingCountry``,
  ``isValid`` → the CSV's identifier clause (``Tax ID No. 7702070139 (Russia)``); a
  document OFAC marks not valid is also noted as such.
* ``addresses/address``: ``country`` and the primary translation's ``addressParts``.
* ``relationships/relationship``: ``type`` and ``relatedEntity`` (with its OFAC id) →
  ``notes`` (``Owned or Controlled By: VTB BANK … (OFAC entity 18715)``).
* ``sanctionsPrograms`` → ``program``; ``sanctionsLists``, ``sanctionsTypes`` and
  ``legalAuthorities`` → ``notes``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.etree.ElementTree import Element

from corridor.errors import SourceError
from corridor.model import Entity, ParsedList
from corridor.sources.mapping import add_address, add_properties
from corridor.sources.ofac_remarks import parse_ofac_remarks
from corridor.sources.reading import (
    XmlStream,
    child,
    children,
    local,
    single_file,
    text_of,
    zip_member,
)
from corridor.sources.values import year_range

WHAT = "OFAC Enhanced XML"
SCHEMA_BY_TYPE = {
    "individual": "Person",
    "entity": "Organization",
    "vessel": "Vessel",
    "aircraft": "Airplane",
}
#: The list a file exports (``publicationInfo/filters``) for each dataset.
LIST_OF = {"us_ofac_sdn": "SDN List", "us_ofac_cons": "Consolidated List"}

#: Feature types whose value the CSV writes behind another prefix.
_CLAUSE_PREFIX = {
    "birthdate": "DOB",
    "place of birth": "POB",
    "nationality country": "nationality",
    "citizenship country": "citizen",
}


def parse_ofac_enhanced_sdn(paths: Sequence[Path]) -> ParsedList:
    return parse_ofac_enhanced(paths, "us_ofac_sdn")


def parse_ofac_enhanced_cons(paths: Sequence[Path]) -> ParsedList:
    return parse_ofac_enhanced(paths, "us_ofac_cons")


def parse_ofac_enhanced(paths: Sequence[Path], dataset: str) -> ParsedList:
    """Parse one Enhanced XML export (``.XML`` or ``.ZIP``) as ``dataset``."""
    path = single_file(paths, WHAT)
    opener = zip_member(path, ".xml", WHAT) if path.suffix.lower() == ".zip" else None
    stream = XmlStream(path, opener)
    if stream.root_name != "sanctionsData":
        raise SourceError(
            f"root element is {stream.root_name}, not sanctionsData; this is not the {WHAT}",
            path=str(path),
            element=stream.root_name,
        )
    records = stream.records("publicationInfo", "entity")
    first = next(records, None)
    list_date = None
    pending: Entity | None = None
    if first is not None and local(first.tag) == "publicationInfo":
        as_of = text_of(first, "dataAsOf")
        list_date = as_of[:10] if as_of else None
        exported = [
            t
            for f in children(first, "filters")
            for ls in children(f, "sanctionsLists")
            for t in (text_of(e) for e in children(ls, "sanctionsList"))
            if t
        ]
        if exported and LIST_OF[dataset] not in exported:
            raise SourceError(
                f"this file exports the {', '.join(exported)}, not the {LIST_OF[dataset]}; "
                f"load it as the matching dataset",
                path=str(path),
                element="publicationInfo/filters",
            )
    elif first is not None:
        pending = _entity(first, dataset, str(path))
    return ParsedList(
        dataset=dataset,
        list_date=list_date,
        entities=_entities(records, pending, dataset, str(path)),
        files=[path],
    )


def _entities(
    records: Iterator[Element], pending: Entity | None, dataset: str, path: str
) -> Iterator[Entity]:
    seen: set[str] = set()
    if pending is not None:
        seen.add(pending.id)
        yield pending
    for elem in records:
        if local(elem.tag) != "entity":
            continue
        entity = _entity(elem, dataset, path)
        if entity.id in seen:
            raise SourceError(
                f"entity id {entity.source_id} appears twice", path=path, element="entity"
            )
        seen.add(entity.id)
        yield entity


def _flag(elem: Element | None, name: str) -> bool:
    return (text_of(elem, name) or "").lower() == "true"


def _entity(elem: Element, dataset: str, path: str) -> Entity:
    native = (elem.get("id") or "").strip()
    if not native.isdigit():
        raise SourceError(
            f"entity has no numeric id ({native!r})", path=path, element="entity", field="id"
        )
    where = f"entity id={native}"
    info = child(elem, "generalInfo")
    kind = (text_of(info, "entityType") or "").lower()
    if kind not in SCHEMA_BY_TYPE:
        raise SourceError(
            f"unknown entityType {text_of(info, 'entityType')!r}; expected Individual, "
            "Entity, Vessel or Aircraft",
            path=path,
            element=where,
            field="entityType",
        )
    entity = Entity.create(dataset, native, SCHEMA_BY_TYPE[kind])
    _names(entity, elem, path, where)
    entity.add("topics", "sanction")
    entity.add("program", *_texts(elem, "sanctionsPrograms", "sanctionsProgram"))
    notes = [f"Sanctions list: {t}" for t in _texts(elem, "sanctionsLists", "sanctionsList")]
    notes += [f"Sanctions type: {t}" for t in _texts(elem, "sanctionsTypes", "sanctionsType")]
    notes += [f"Legal authority: {t}" for t in _texts(elem, "legalAuthorities", "legalAuthority")]
    entity.add("notes", *notes)
    clauses = [c for f in _items(elem, "features", "feature") if (c := _feature_clause(f))]
    for doc in _items(elem, "identityDocuments", "identityDocument"):
        clause = _document_clause(doc)
        if clause:
            clauses.append(clause)
            if (text_of(doc, "isValid") or "true").lower() == "false":
                entity.add("notes", f"{clause}: marked not valid by OFAC")
    clauses.append(text_of(info, "remarks") or "")
    add_properties(entity, parse_ofac_remarks("; ".join(c for c in clauses if c)))
    for feature in _items(elem, "features", "feature"):
        _birth_range(entity, feature)
    for address in _items(elem, "addresses", "address"):
        _address(entity, address)
    for rel in _items(elem, "relationships", "relationship"):
        other = child(rel, "relatedEntity")
        if other is not None and text_of(other):
            ref = other.get("entityId")
            entity.add(
                "notes",
                f"{text_of(rel, 'type') or 'Related to'}: {text_of(other)}"
                + (f" (OFAC entity {ref})" if ref else ""),
            )
    return entity


def _names(entity: Entity, elem: Element, path: str, where: str) -> None:
    primary_done = False
    for name in _items(elem, "names", "name"):
        translations = _items(name, "translations", "translation")
        ordered = sorted(translations, key=lambda t: not _flag(t, "isPrimary"))
        is_primary = _flag(name, "isPrimary")
        alias_type = (text_of(name, "aliasType") or "").upper()
        for i, translation in enumerate(ordered):
            full = text_of(translation, "formattedFullName")
            if not full:
                continue
            if is_primary and i == 0 and not primary_done:
                entity.add("name", full)
                primary_done = True
                if entity.schema == "Person":
                    _name_parts(entity, translation)
            elif _flag(name, "isLowQuality"):
                entity.add("weakAlias", full)
            else:
                if alias_type == "F.K.A.":
                    entity.add("previousName", full)
                entity.add("alias", full)
    if not primary_done:
        raise SourceError("entity has no primary name", path=path, element=where, field="names")


def _name_parts(entity: Entity, translation: Element) -> None:
    props = {"last name": "lastName", "first name": "firstName", "middle name": "middleName"}
    for part in _items(translation, "nameParts", "namePart"):
        prop = props.get((text_of(part, "type") or "").lower())
        if prop:
            entity.add(prop, text_of(part, "value"))


def _feature_clause(feature: Element) -> str | None:
    """A feature as the remark clause the legacy CSV writes for it."""
    kind = text_of(feature, "type")
    value = text_of(feature, "value")
    if not kind or not value:
        return None
    prefix = _CLAUSE_PREFIX.get(kind.lower(), kind)
    return f"{prefix} {value}"


def _birth_range(entity: Entity, feature: Element) -> None:
    """A birth date OFAC gives only as a range of dates: every year of it."""
    if (text_of(feature, "type") or "").lower() != "birthdate" or entity.schema != "Person":
        return
    when = child(feature, "valueDate")
    if when is None or entity.get("birthDate"):
        return
    begin, end = text_of(when, "fromDateBegin"), text_of(when, "toDateEnd")
    if begin and end and begin[:4].isdigit() and end[:4].isdigit():
        entity.add("birthDate", *year_range(int(begin[:4]), int(end[:4])))


def _document_clause(doc: Element) -> str | None:
    kind, number = text_of(doc, "type"), text_of(doc, "documentNumber")
    if not kind or not number:
        return None
    country = text_of(doc, "issuingCountry")
    return f"{kind} {number}" + (f" ({country})" if country else "")


def _address(entity: Entity, address: Element) -> None:
    country = text_of(address, "country")
    translations = _items(address, "translations", "translation")
    primary = next((t for t in translations if _flag(t, "isPrimary")), None)
    parts: list[str | None] = []
    if primary is not None:
        parts = [text_of(p, "value") for p in _items(primary, "addressParts", "addressPart")]
    add_address(entity, [*parts, country], country)


def _items(elem: Element, list_tag: str, item_tag: str) -> list[Element]:
    container = child(elem, list_tag)
    return children(container, item_tag) if container is not None else []


def _texts(elem: Element, list_tag: str, item_tag: str) -> list[str]:
    return [t for t in (text_of(e) for e in _items(elem, list_tag, item_tag)) if t]
