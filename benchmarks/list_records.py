"""The OFAC SDN and UN records the robustness benchmark varies, read straight from the list files.

The benchmark reads the files itself rather than through corridor's parsers, so a parser
change cannot change the queries it measures that parser with.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Listed:
    """One list record as the generator needs it."""

    source_id: str
    kind: str  # person | org | vessel
    name: str  # primary name as written
    given: list[str]  # person: given names in order (empty for others)
    surname: str  # person: family name ("" for others)
    original: str = ""  # UN NAME_ORIGINAL_SCRIPT
    program: str = ""  # OFAC sanctions programme(s)


def _ofac_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="latin-1", newline="") as fh:
        return [r for r in csv.reader(fh) if len(r) >= 2]


def _un_root(lists: Path) -> ET.Element:
    return ET.parse(lists / "un" / "UN_consolidated.xml").getroot()


def load_ofac(lists: Path) -> list[Listed]:
    """SDN records but aircraft; a person's ``SURNAME, Given Names`` split at the comma."""
    out = []
    for row in _ofac_rows(lists / "ofac" / "sdn.csv"):
        ent, name, typ = row[0].strip(), row[1].strip(), row[2].strip()
        kind = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft"}.get(typ, "org")
        if kind == "aircraft":
            continue
        given, surname = [], ""
        if kind == "person" and "," in name:
            surname, rest = (p.strip() for p in name.split(",", 1))
            given = rest.split()
        out.append(Listed(f"us_ofac_sdn:{ent}", kind, name, given, surname, program=row[3].strip()))
    return out


def load_un(lists: Path) -> list[Listed]:
    """UN individuals and entities; a person's last name part taken as the surname."""
    root = _un_root(lists)
    out = []
    for kind, tag in (("person", "INDIVIDUAL"), ("org", "ENTITY")):
        for node in root.iter(tag):
            parts = [
                (node.findtext(f) or "").strip()
                for f in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
            ]
            words = " ".join(p for p in parts if p).split()
            if not words:
                continue
            name = " ".join(words)
            given, surname = (words[:-1], words[-1]) if kind == "person" else ([], "")
            original = (node.findtext("NAME_ORIGINAL_SCRIPT") or "").strip()
            out.append(
                Listed(
                    f"un_sc_sanctions:{node.findtext('DATAID')}",
                    kind,
                    name,
                    given,
                    surname,
                    original,
                )
            )
    return out


def load_aliases(lists: Path) -> list[str]:
    """Every OFAC and UN alias, which a negative must not come close to either."""
    out = [r[3] for r in _ofac_rows(lists / "ofac" / "alt.csv") if len(r) > 3]
    out += [a.text or "" for a in _un_root(lists).iter("ALIAS_NAME")]
    return [a.strip() for a in out if a and a.strip() and a.strip() != "-0-"]


def load_congress(lists: Path) -> list[str]:
    """Full names of US Congress members: real, unlisted names for the negatives."""
    names = []
    with (lists / "negatives" / "us_congress_senzing.json").open(encoding="utf-8") as fh:
        for line in fh:
            for n in json.loads(line).get("NAMES", []):
                names.append(n.get("NAME_FULL", ""))
    return [n for n in names if n]


def plain(text: str) -> str:
    """Lower-case ASCII words (ICU for other scripts): the generator's own normal form."""
    if not text.isascii():
        import icu

        text = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII").transliterate(text)
    text = re.sub(r"['’`]", "", text.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def words_of(e: Listed) -> list[str]:
    """The words of a record's name, the comma of ``SURNAME, Given`` dropped."""
    return e.name.replace(",", " ").split()
