"""Read the OFAC SDN CSV trio and the UN consolidated XML into FtM entity dicts.

The peer matchers run in their own virtualenv without corridor installed, so they read
the official files themselves. This reader is deliberately independent of corridor's
parsers: a bug in corridor's parsing must not leak into the peers' figures. It extracts
what the evaluation's queries can carry (names, aliases, birth dates, nationality or
country, passport / national id numbers, IMO numbers) and nothing else.
"""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
# OFAC SDN_Type -> FtM schema (an empty type, ``-0-``, is an organisation; FtM says Airplane)
OFAC_SCHEMA = {"individual": "Person", "vessel": "Vessel", "aircraft": "Airplane"}
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
UN_ALIAS_STRONG = {"good", "a.k.a.", "f.k.a.", ""}

DOB_FULL = re.compile(r"(\d{1,2}) ([A-Za-z]{3}) (\d{4})")
DOB_MONTH = re.compile(r"^([A-Za-z]{3}) (\d{4})")
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
PASSPORT = re.compile(
    r"^(?:Passport|National ID No\.|Cedula No\.|Identification Number)\s+"
    r"([A-Z0-9][A-Z0-9\-/]{3,})",
    re.I,
)
IMO = re.compile(r"IMO (\d{7})")
WEAK_AKA = re.compile(r"a\.k\.a\. '([^']+)'")


def _empty(value: str | None) -> bool:
    return value is None or value.strip() in ("", "-0-")


def _country_code(name: str) -> str | None:
    """Country name or code -> ISO alpha-2 lower case, via followthemoney's country type."""
    from followthemoney import registry

    return registry.country.clean(name.strip())


def _ofac_dates(text: str) -> list[str]:
    """``DOB 08 Sep 1966`` / ``DOB Sep 1966`` / ``DOB 1984`` / ``DOB 1960 to 1962``."""
    text = text.replace("circa", "").strip()
    m = DOB_FULL.search(text)
    if m and m.group(2).lower() in MONTHS:
        return [f"{m.group(3)}-{MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"]
    m = DOB_MONTH.search(text)
    if m and m.group(1).lower() in MONTHS:
        return [f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}"]
    years = [int(y) for y in YEAR.findall(text)]
    if len(years) == 2 and " to " in text:
        return [str(y) for y in range(years[0], years[1] + 1)]
    return [str(y) for y in years]


def _add(props: dict[str, list[str]], prop: str, value: str | None) -> None:
    if value is None:
        return
    value = " ".join(value.split())
    if value and value not in props.setdefault(prop, []):
        props[prop].append(value)


def _ofac_remarks(schema: str, remarks: str, props: dict[str, list[str]]) -> None:
    for part in remarks.split(";"):
        part = part.strip().rstrip(".")
        low = part.lower()
        if low.startswith(("dob ", "alt. dob ")):
            for d in _ofac_dates(part.split("DOB", 1)[1]):
                _add(props, "birthDate", d)
        elif low.startswith(("nationality ", "alt. nationality ", "citizen ", "alt. citizen ")):
            code = _country_code(
                part.split(" ", 2)[-1] if low.startswith("alt.") else part.split(" ", 1)[1]
            )
            _add(props, "nationality" if schema == "Person" else "country", code)
        elif (m := PASSPORT.match(part)) is not None:
            _add(props, "passportNumber" if low.startswith("passport") else "idNumber", m.group(1))
        elif (m := IMO.search(part)) is not None and schema == "Vessel":
            _add(props, "imoNumber", "IMO" + m.group(1))
        for m in WEAK_AKA.finditer(part):
            _add(props, "weakAlias", m.group(1))


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            if len(row) >= 2:  # the file ends with a DOS EOF byte read as a 1-field row
                yield row


def read_ofac(ofac_dir: Path) -> list[dict]:
    """OFAC SDN entries with ``alt.csv`` aliases, ``add.csv`` countries and remarks."""
    comments: dict[str, str] = {}
    if (ofac_dir / "sdn_comments.csv").exists():
        for row in _csv_rows(ofac_dir / "sdn_comments.csv"):
            comments[row[0].strip()] = row[1]
    entities: dict[str, dict] = {}
    for row in _csv_rows(ofac_dir / "sdn.csv"):
        ent, name, kind = row[0].strip(), row[1], row[2].strip()
        schema = OFAC_SCHEMA.get(kind, "Organization")
        props: dict[str, list[str]] = {"name": [" ".join(name.split())]}
        remarks = "" if _empty(row[11]) else row[11]
        _ofac_remarks(schema, remarks + comments.get(ent, ""), props)
        if schema == "Vessel" and not _empty(row[9]):
            _add(props, "flag", _country_code(row[9]))
        entities[ent] = {
            "id": f"ofac-{ent}",
            "schema": schema,
            "properties": props,
            "source_ids": [f"us_ofac_sdn:{ent}"],
        }
    for row in _csv_rows(ofac_dir / "alt.csv"):
        ent = entities.get(row[0].strip())
        if ent is not None and not _empty(row[3]):
            _add(ent["properties"], "alias", row[3])
    for row in _csv_rows(ofac_dir / "add.csv"):
        ent = entities.get(row[0].strip())
        if ent is not None and len(row) > 4 and not _empty(row[4]) and ent["schema"] != "Person":
            _add(ent["properties"], "country", _country_code(row[4]))
    return list(entities.values())


def _text(el: ET.Element, tag: str) -> str | None:
    child = el.find(tag)
    return child.text.strip() if child is not None and child.text and child.text.strip() else None


def read_un(xml_path: Path) -> list[dict]:
    """UN individuals (Person) and entities (Organization) with aliases, DOBs, documents."""
    root = ET.parse(xml_path).getroot()
    out = []
    for kind, schema in (("INDIVIDUAL", "Person"), ("ENTITY", "Organization")):
        for el in root.iter(kind):
            dataid = _text(el, "DATAID")
            parts = [_text(el, t) for t in NAME_PARTS]
            props: dict[str, list[str]] = {}
            _add(props, "name", " ".join(p for p in parts if p))
            _add(props, "alias", _text(el, "NAME_ORIGINAL_SCRIPT"))
            for alias in el.iter(f"{kind}_ALIAS"):
                name = _text(alias, "ALIAS_NAME")
                quality = (_text(alias, "QUALITY") or "").lower()
                _add(props, "alias" if quality in UN_ALIAS_STRONG else "weakAlias", name)
            for dob in el.iter("INDIVIDUAL_DATE_OF_BIRTH"):
                date, year = _text(dob, "DATE"), _text(dob, "YEAR")
                lo, hi = _text(dob, "FROM_YEAR"), _text(dob, "TO_YEAR")
                if date:
                    _add(props, "birthDate", date[:10])
                elif year:
                    _add(props, "birthDate", year)
                elif lo and hi and lo.isdigit() and hi.isdigit():
                    for y in range(int(lo), int(hi) + 1):
                        _add(props, "birthDate", str(y))
            for nat in el.iter("NATIONALITY"):
                for value in nat.iter("VALUE"):
                    if value.text:
                        _add(props, "nationality", _country_code(value.text))
            for addr in el.iter(f"{kind}_ADDRESS"):
                country = _text(addr, "COUNTRY")
                if country and schema != "Person":
                    _add(props, "country", _country_code(country))
            for doc in el.iter("INDIVIDUAL_DOCUMENT"):
                number = _text(doc, "NUMBER")
                dtype = (_text(doc, "TYPE_OF_DOCUMENT") or "").lower()
                _add(props, "passportNumber" if "passport" in dtype else "idNumber", number)
            if props.get("name"):
                out.append(
                    {
                        "id": f"un-{dataid}",
                        "schema": schema,
                        "properties": props,
                        "source_ids": [f"un_sc_sanctions:{dataid}"],
                    }
                )
    return out


def read_lists(lists_dir: Path) -> list[dict]:
    """Every entry of OFAC SDN and the UN list, the evaluation's screening target."""
    return read_ofac(lists_dir / "ofac") + read_un(lists_dir / "un" / "UN_consolidated.xml")
