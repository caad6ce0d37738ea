"""Kazakhstan's list of organisations and persons associated with the financing of terrorism
and extremism (Law No. 191-IV of 28 Aug 2009, Art. 12), as the Agency for Financial
Monitoring (AFM) exports it in XML: dataset ``kz_afmrk_sanctions``.

Records, wherever they sit under the root: ``person`` (``lname`` surname, ``fname`` name,
``mname`` patronymic, ``birthdate`` DD.MM.YYYY, ``iin`` the 12-digit individual
identification number, ``note``, ``correction``, ``added_to_list``) and ``org``
(``org_name``, several names joined by ``; ``, ``org_name_en``, ``org_iin`` the business
identification number BIN, ``note``, ``added_to_list``).

The export numbers its records (``num``) only by position, so the native id is the IIN or
BIN where the record has one (``iin-800201300001``), else a short hash of the name and
birth date: stable across releases while the AFM does not rename the person. IIN → ``idNumber``
and BIN → ``registrationNumber`` (Kazakh numbers, not Russian INNs); ``added_to_list`` (or a
``включен от DD.MM.YYYY`` correction) → ``createdAt``; names in natural order (name
patronymic surname), with the surname-first form kept as an alias. The file states no list
date: a download takes the server's date, ``--list-date`` another.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.etree.ElementTree import Element

from corridor.errors import SourceError
from corridor.model import Entity, ParsedList
from corridor.sources.reading import XmlStream, local, single_file, text_of
from corridor.sources.values import parse_date

DATASET = "kz_afmrk_sanctions"
WHAT = "AFM list of persons associated with financing of terrorism and extremism (XML)"
PROGRAM = "KZ AFM: financing of terrorism and extremism (Law 191-IV Art. 12)"
_ADDED = re.compile(r"включен[аоы]?\s+от\s+(\d{1,2}\.\d{1,2}\.\d{4})", re.IGNORECASE)


def parse_kz_afmrk(paths: Sequence[Path]) -> ParsedList:
    """Parse the AFM export: one entity per ``person`` or ``org`` record."""
    path = single_file(paths, WHAT)
    stream = XmlStream(path)
    return ParsedList(DATASET, None, _entities(stream, str(path)), files=[path])


def _entities(stream: XmlStream, path: str) -> Iterator[Entity]:
    seen: set[str] = set()
    count = 0
    for number, elem in enumerate(stream.records("person", "org"), start=1):
        entity = (
            _person(elem, path, number) if local(elem.tag) == "person" else _org(elem, path, number)
        )
        if entity.id in seen:
            raise SourceError(
                f"record {entity.source_id} appears twice", path=path, element=f"record {number}"
            )
        seen.add(entity.id)
        count += 1
        yield entity
    if count == 0:
        raise SourceError(
            f"no person or org record; this is not the {WHAT}", path=path, element=stream.root_name
        )


def _hash(*parts: str | None) -> str:
    key = "|".join(" ".join((p or "").upper().split()) for p in parts)
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _number(elem: Element, tag: str, path: str, where: str) -> str | None:
    value = text_of(elem, tag)
    if value and not re.fullmatch(r"\d{12}", value):
        raise SourceError(
            f"{tag} {value!r} is not a 12-digit number", path=path, element=where, field=tag
        )
    return value


def _common(entity: Entity, elem: Element) -> None:
    entity.add("topics", "sanction", "crime.terror")
    entity.add("program", PROGRAM)
    correction = text_of(elem, "correction")
    added = parse_date(text_of(elem, "added_to_list"))
    if added is None and correction and (m := _ADDED.search(correction)):
        added = parse_date(m[1])
    entity.add("createdAt", added)
    entity.add("notes", text_of(elem, "note"), correction)


def _person(elem: Element, path: str, number: int) -> Entity:
    where = f"person #{number}"
    last, first, patronymic = (text_of(elem, t) for t in ("lname", "fname", "mname"))
    if not (last or first):
        raise SourceError("person has no lname or fname", path=path, element=where, field="lname")
    birth = text_of(elem, "birthdate")
    iin = _number(elem, "iin", path, where)
    native = f"iin-{iin}" if iin else _hash(last, first, patronymic, birth)
    entity = Entity.create(DATASET, native, "Person")
    entity.add("name", " ".join(p for p in (first, patronymic, last) if p))
    entity.add("alias", " ".join(p for p in (last, first, patronymic) if p))
    entity.add("lastName", last)
    entity.add("firstName", first)
    entity.add("fatherName", patronymic)
    if birth:
        born = parse_date(birth)
        if born is None:
            raise SourceError(
                f"birthdate {birth!r} is not a DD.MM.YYYY date",
                path=path,
                element=where,
                field="birthdate",
            )
        entity.add("birthDate", born)
    entity.add("idNumber", iin)
    _common(entity, elem)
    return entity


def _org(elem: Element, path: str, number: int) -> Entity:
    where = f"org #{number}"
    names = [
        n.strip()
        for tag in ("org_name", "org_name_en")
        for n in (text_of(elem, tag) or "").split(";")
        if n.strip()
    ]
    if not names:
        raise SourceError("org has no org_name", path=path, element=where, field="org_name")
    bin_ = _number(elem, "org_iin", path, where)
    entity = Entity.create(DATASET, f"bin-{bin_}" if bin_ else _hash(names[0]), "Organization")
    entity.add("name", names[0])
    entity.add("alias", *names[1:])
    entity.add("registrationNumber", bin_)
    _common(entity, elem)
    return entity
