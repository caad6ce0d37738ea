"""Parse the free-text ``Remarks`` of OFAC's legacy SDN CSV into FtM properties.

OFAC packs birth dates, identifiers, vessel data, weak aliases and relations into one
``; ``-separated text. :func:`parse_ofac_remarks` turns it into a property dict; every
clause that is not understood is kept verbatim under ``notes`` so nothing is lost.

Conventions (also used by the OFAC XML parser):
* IMO numbers are written ``IMO`` + 7 digits (``IMO9187629``), as OpenSanctions and the
  evaluation queries write them.
* ``a.k.a. 'X'`` in remarks is a ``weakAlias`` (OFAC's own "low quality" a.k.a.);
  ``f.k.a. 'X'`` a ``previousName``; ``n.k.a. 'X'`` an ``alias``.
* ``Linked To: X`` is returned under the non-FtM key ``linkedTo`` (the raw relation);
  the entity builders store it in ``notes`` as ``Linked To: X``.
* Secondary-sanctions clauses ("Additional Sanctions Information - Subject to Secondary
  Sanctions", "Secondary sanctions risk: ...") add the topic ``sanction.secondary``.
* Birth dates: ``circa 1960`` → ``1960``; ``1960 to 1962`` → each year; ``alt. DOB`` is
  just another birth date.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from corridor.countries import country_code
from corridor.sources.values import gender, parse_dates, unquote

SECONDARY_TOPIC = "sanction.secondary"

_TRAILING_META = re.compile(
    r",?\s+(?:issued|expires|Expiration Date|Issue Date|Expire Date)\b.*$", re.IGNORECASE
)
_TRAILING_COUNTRY = re.compile(r"\s*\(([^()]*)\)\s*$")


def _id_value(text: str) -> tuple[str, str | None]:
    """Split ``"A123 (Iran) issued 01 Jan 2000"`` into ``("A123", "Iran")``."""
    value = _TRAILING_META.sub("", text).strip()
    country = None
    if m := _TRAILING_COUNTRY.search(value):
        country = m[1].strip()
        value = value[: m.start()].strip()
    value = re.sub(r"^(?:#|No\.?|Number|:)\s*", "", value).strip(" ,:")
    # "1372584, Kenya" (inside OFAC's "Following data derived from ..." notes).
    if ", " in value:
        head, tail = value.rsplit(", ", 1)
        if country_code(tail):
            value, country = head, country or tail
    return value, country


def _imo(text: str) -> str | None:
    m = re.search(r"(\d{7})", text)
    return f"IMO{m[1]}" if m else None


# Identifier clauses: (prefix, property). Longer prefixes come first where they overlap.
_IDENTIFIERS: list[tuple[str, str]] = [
    ("Passport", "passportNumber"),
    ("Diplomatic Passport", "passportNumber"),
    ("Tax ID No.", "taxNumber"),
    ("NIT #", "taxNumber"),
    ("RUC #", "taxNumber"),
    ("RIF #", "taxNumber"),
    ("R.F.C.", "taxNumber"),
    ("C.U.I.T.", "taxNumber"),
    ("C.U.I.P.", "taxNumber"),
    ("RTN", "taxNumber"),
    ("US FEIN", "taxNumber"),
    ("V.A.T. Number", "vatCode"),
    ("VAT Number", "vatCode"),
    ("D-U-N-S Number", "dunsCode"),
    ("SWIFT/BIC", "swiftBic"),
    ("LEI", "leiCode"),
    ("SSN", "socialSecurityNumber"),
    ("Registration Number", "registrationNumber"),
    ("Registration ID", "registrationNumber"),
    ("Company Number", "registrationNumber"),
    ("UK Company Number", "registrationNumber"),
    ("Commercial Registry Number", "registrationNumber"),
    ("Business Registration Number", "registrationNumber"),
    ("Business Registration Document #", "registrationNumber"),
    ("Folio Mercantil No.", "registrationNumber"),
    ("Matricula Mercantil No", "registrationNumber"),
    ("Certificate of Incorporation Number", "registrationNumber"),
    ("Chamber of Commerce Number", "registrationNumber"),
    ("Legal Entity Number", "registrationNumber"),
    ("Public Registration Number", "registrationNumber"),
    ("Government Gazette Number", "registrationNumber"),
    ("Trade License No.", "registrationNumber"),
    ("C.R. No.", "registrationNumber"),
    ("Branch Unit Number", "registrationNumber"),
    ("United Social Credit Code Certificate (USCCC)", "registrationNumber"),
    ("Unified Social Credit Code (USCC)", "registrationNumber"),
    ("Registered Charity No.", "registrationNumber"),
    ("Dubai Chamber of Commerce Membership No.", "registrationNumber"),
    ("LE Number", "registrationNumber"),
    ("Enterprise Number", "registrationNumber"),
    ("Business Number", "registrationNumber"),
    ("File Number", "registrationNumber"),
    ("C.U.I.", "taxNumber"),
    ("BIK (RU)", "bikCode"),
    ("I.F.E.", "idNumber"),
    ("License", "licenseNumber"),
    ("National ID No.", "idNumber"),
    ("National Foreign ID Number", "idNumber"),
    ("Cedula No.", "idNumber"),
    ("Identification Number", "idNumber"),
    ("D.N.I.", "idNumber"),
    ("C.U.R.P.", "idNumber"),
    ("Personal ID Card", "idNumber"),
    ("Kenyan ID No.", "idNumber"),
    ("Citizen's Card Number", "idNumber"),
    ("Turkish Identification Number", "idNumber"),
    ("Numero de Identidad", "idNumber"),
    ("Residency Number", "idNumber"),
    ("Birth Certificate Number", "idNumber"),
    ("Travel Document Number", "idNumber"),
    ("Driver's License No.", "idNumber"),
    ("Credencial electoral", "idNumber"),
    ("Cartilla de Servicio Militar Nacional", "idNumber"),
    ("Electoral Registry No.", "idNumber"),
    ("Stateless Person ID Card", "idNumber"),
    ("Refugee ID Card", "idNumber"),
    ("Military ID No.", "idNumber"),
    ("Pakistani Identification Number", "idNumber"),
    ("Afghan Identification No.", "idNumber"),
]
_IDENTIFIERS.sort(key=lambda item: -len(item[0]))

_IMO_PREFIXES = (
    "Vessel Registration Identification",
    "Identification Number IMO",
    "Company Number IMO",
    "IMO",
)

# Plain "prefix value" clauses: (prefix, property, cleaner).
_SIMPLE: list[tuple[str, str, Callable[[str], str | None]]] = [
    ("POB", "birthPlace", str.strip),
    ("MMSI", "mmsi", lambda v: re.sub(r"\D", "", v) or None),
    ("Vessel Type", "type", str.strip),
    ("Vessel Year of Build", "buildDate", lambda v: (parse_dates(v) or [None])[0]),
    ("Website", "website", str.strip),
    ("Email Address", "email", str.strip),
    ("Phone Number", "phone", str.strip),
    ("Telephone", "phone", str.strip),
    ("Telephone:", "phone", str.strip),
    ("Phone", "phone", str.strip),
    ("Fax", "notes", lambda v: f"Fax {v.strip()}"),
    ("Organization Established Date", "incorporationDate", lambda v: (parse_dates(v) or [None])[0]),
    ("Date of Registration", "incorporationDate", lambda v: (parse_dates(v) or [None])[0]),
    ("Organization Type:", "sector", str.strip),
    ("Aircraft Manufacturer's Serial Number (MSN)", "serialNumber", str.strip),
    ("Aircraft Model", "model", str.strip),
    ("Aircraft Manufacture Date", "buildDate", lambda v: (parse_dates(v) or [None])[0]),
    ("Aircraft Tail Number", "registrationNumber", str.strip),
    (
        "Aircraft Construction Number (also called L/N or S/N or F/N)",
        "notes",
        lambda v: f"Aircraft Construction Number {v.strip()}",
    ),
    ("Aircraft Operator", "notes", lambda v: f"Aircraft Operator {v.strip()}"),
    ("Call Sign", "callSign", str.strip),
]
_SIMPLE.sort(key=lambda item: -len(item[0]))

_QUOTED = re.compile(r"^(a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'(.+)'$", re.IGNORECASE)
_QUOTED_PROP = {"a.k.a.": "weakAlias", "f.k.a.": "previousName", "n.k.a.": "alias"}


def _add(out: dict[str, list[str]], prop: str, *values: str | None) -> None:
    for value in values:
        if value:
            bucket = out.setdefault(prop, [])
            if value not in bucket:
                bucket.append(value)


def split_remarks(text: str) -> list[str]:
    """The clauses of a Remarks field: split on ``; ``, drop the final full stop."""
    text = " ".join(text.split())
    if text.endswith("."):
        text = text[:-1]
    return [c.strip() for c in re.split(r";\s+", text) if c.strip() and c.strip() != "-0-"]


def parse_ofac_remarks(text: str | None) -> dict[str, list[str]]:
    """Parse an SDN ``Remarks`` text into ``{property: [values]}`` (FtM names + ``linkedTo``).

    Clauses not understood are kept under ``notes`` verbatim.
    """
    out: dict[str, list[str]] = {}
    if not text:
        return out
    for raw in split_remarks(text):
        clause = raw[5:].strip() if raw.startswith("alt. ") else raw
        _clause(out, clause, raw)
    return out


def _handlers() -> dict[str, tuple[str, str, Callable[[str], str | None] | None]]:
    table: dict[str, tuple[str, str, Callable[[str], str | None] | None]] = {
        "DOB": ("dob", "birthDate", None),
        "Linked To:": ("linked", "linkedTo", None),
        "nationality": ("country", "nationality", None),
        "citizen": ("country", "citizenship", None),
        "Gender": ("gender", "gender", None),
        "Vessel Flag": ("country", "flag", None),
        "Former Vessel Flag": ("country", "pastFlags", None),
    }
    for prefix in _IMO_PREFIXES:
        table[prefix] = ("imo", "imoNumber", None)
    for prefix, prop, clean in _SIMPLE:
        table[prefix] = ("simple", prop, clean)
    for prefix, prop in _IDENTIFIERS:
        table.setdefault(prefix, ("id", prop, None))
    return table


_HANDLERS = _handlers()
# One alternation, longest prefix first, so each clause is dispatched by a single match.
_DISPATCH = re.compile(
    r"^(?P<prefix>"
    + "|".join(re.escape(p) for p in sorted(_HANDLERS, key=len, reverse=True))
    + r")(?![A-Za-z0-9])\s*(?P<value>.*)$"
)


def _clause(out: dict[str, list[str]], clause: str, raw: str) -> None:
    if m := _QUOTED.match(clause):
        _add(out, _QUOTED_PROP[m[1].lower()], unquote(m[2]))
        return
    if "Secondary Sanctions" in clause or clause.lower().startswith("secondary sanctions risk"):
        _add(out, "topics", SECONDARY_TOPIC)
        _add(out, "notes", raw)
        return
    m = _DISPATCH.match(clause)
    if m is None or not m["value"]:
        _add(out, "notes", raw)
        return
    kind, prop, clean = _HANDLERS[m["prefix"]]
    value = m["value"].strip()
    result: list[str | None]
    if kind == "dob":
        result = list(parse_dates(value))
    elif kind == "linked":
        result = [value]
    elif kind == "country":
        result = [country_code(value)]
    elif kind == "gender":
        result = [gender(value)]
    elif kind == "imo":
        result = [_imo(value)]
    elif kind == "simple":
        assert clean is not None
        result = [clean(value)]
    else:
        number, country = _id_value(value)
        result = [number]
        if (
            number
            and prop == "taxNumber"
            and country_code(country or "") == "ru"
            and re.fullmatch(r"\d{10}|\d{12}", number)
        ):
            _add(out, "innCode", number)
    values = [v for v in result if v]
    if values:
        _add(out, prop, *values)
    else:
        _add(out, "notes", raw)
