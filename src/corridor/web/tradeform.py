"""The trade form: rows of fields (parties with owners, goods, route legs with vessels)
turned into the trade contract's data, which :func:`parse_trade` validates; or a pasted
YAML/JSON trade. Blank rows are left out, so a short trade needs no clean-up; the page adds
rows on demand (``static/rows.js``) up to :data:`MAX_ROWS` of each kind."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData

from corridor.errors import InputError
from corridor.policy.hs import load_hs_nomenclature, normalize_hs_code
from corridor.screening import parse_trade, parse_trade_text
from corridor.trade import ROLES, Trade

PARTY_ROWS = 5
GOODS_ROWS = 3
ROUTE_ROWS = 4
MAX_ROWS = 50
PARTY_SCHEMAS = ("LegalEntity", "Company", "Organization", "Person", "Vessel")
MAX_TEXT = 200_000


@dataclass(frozen=True)
class FormShape:
    """What the template draws: how many rows of each kind, and the choices."""

    parties: int = PARTY_ROWS
    goods: int = GOODS_ROWS
    route: int = ROUTE_ROWS
    roles: tuple[str, ...] = ROLES
    schemas: tuple[str, ...] = PARTY_SCHEMAS
    max_rows: int = MAX_ROWS

    @classmethod
    def for_values(cls, values: Mapping[str, str]) -> FormShape:
        """Enough rows to show every row a returned form filled in (after an error)."""
        used = {"p": PARTY_ROWS, "g": GOODS_ROWS, "r": ROUTE_ROWS}
        for key, value in values.items():
            found = _ROW_FIELD.match(key)
            if found and value.strip():
                kind, i = found[1], int(found[2])
                used[kind] = max(used[kind], min(i + 1, MAX_ROWS))
        return cls(parties=used["p"], goods=used["g"], route=used["r"])


_ROW_FIELD = re.compile(r"^([pgr])(\d+)_")


def _get(form: FormData, name: str) -> str:
    value = form.get(name)
    return " ".join(value.split()) if isinstance(value, str) else ""


def _number(form: FormData, name: str, label: str) -> float | None:
    raw = _get(form, name).replace(",", ".")
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise InputError(f"{label}: {raw!r} is not a number") from None


def _identifiers(text: str, label: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InputError(f"{label}: write each identifier as key=value, not {line!r}")
        out[key.strip()] = value.strip()
    return out


def _owners(text: str, label: str) -> list[dict[str, Any]]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        parts = [p.strip() for p in line.split(";")]
        if not parts[0]:
            continue
        owner: dict[str, Any] = {"name": parts[0]}
        if len(parts) > 1 and parts[1]:
            owner["country"] = parts[1]
        if len(parts) > 2 and parts[2]:
            try:
                owner["share"] = float(parts[2].rstrip("%").replace(",", "."))
            except ValueError:
                raise InputError(f"{label} line {n}: share {parts[2]!r} is not a number") from None
        out.append(owner)
    return out


#: The goods table's number columns: contract key, field suffix, label in messages.
_GOODS_NUMBERS = (("us_content_pct", "us", "US content"), ("value", "value", "value"))


def _given(target: dict[str, Any], **values: Any) -> None:
    """Set the values that were given (a blank field or an empty list is left out)."""
    target.update((key, value) for key, value in values.items() if value)


def form_data(form: FormData) -> dict[str, Any]:
    """The trade as the contract's data, from the form's rows."""
    data: dict[str, Any] = {}
    _given(data, **{key: _get(form, key) for key in ("date", "currency", "clearing_country")})
    parties = []
    for i in range(MAX_ROWS):
        name = _get(form, f"p{i}_name")
        if not name:
            continue
        label = f"party {i + 1}"
        party: dict[str, Any] = {
            "role": _get(form, f"p{i}_role") or "importer",
            "name": name,
            "schema": _get(form, f"p{i}_schema") or "LegalEntity",
        }
        _given(
            party,
            country=_get(form, f"p{i}_country"),
            identifiers=_identifiers(str(form.get(f"p{i}_ids") or ""), f"{label} identifiers"),
            owners=_owners(str(form.get(f"p{i}_owners") or ""), f"{label} owners"),
            is_fi=bool(form.get(f"p{i}_is_fi")),
        )
        parties.append(party)
    data["parties"] = parties
    goods = []
    for i in range(MAX_ROWS):
        code = _get(form, f"g{i}_hs")
        if not code:
            continue
        label = f"goods line {i + 1}"
        line: dict[str, Any] = {"hs_code": code}
        _given(line, description=_get(form, f"g{i}_desc"), origin=_get(form, f"g{i}_origin"))
        for key, name, what in _GOODS_NUMBERS:
            number = _number(form, f"g{i}_{name}", f"{label} {what}")
            if number is not None:  # 0 is a value given
                line[key] = number
        goods.append(line)
    _given(data, goods=goods)
    route = []
    for i in range(MAX_ROWS):
        country = _get(form, f"r{i}_country")
        if not country:
            continue
        leg: dict[str, Any] = {"country": country}
        vessel: dict[str, Any] = {}
        _given(vessel, **{key: _get(form, f"r{i}_{key}") for key in ("name", "imo", "flag")})
        _given(leg, place=_get(form, f"r{i}_place"), vessel=vessel)
        route.append(leg)
    _given(data, route=route)
    return data


def trade_from_form(form: FormData) -> Trade:
    """The validated trade: the pasted text when given, else the rows. Raises
    :class:`InputError` naming the field."""
    text = form.get("trade_text")
    if isinstance(text, str) and text.strip():
        if len(text) > MAX_TEXT:
            raise InputError(f"the pasted trade is longer than {MAX_TEXT} characters")
        return parse_trade_text(text, source="pasted trade")
    data = form_data(form)
    if not data["parties"]:
        raise InputError("give at least one party (a name in the Parties table)")
    return parse_trade(data, source="form")


def trade_json(trade: Trade) -> dict[str, Any]:
    """The trade as the contract's JSON, to carry it to the export."""
    return trade.model_dump(mode="json", by_alias=True, exclude_none=True)


def hs_lookup(query: str, limit: int = 15) -> list[tuple[str, str]]:
    """HS codes whose code starts with the digits typed, or whose description holds every
    word typed (the HS 2022 nomenclature of ``CORRIDOR_HS_FILE``); 6-digit subheadings and
    headings first."""
    query = query.strip()
    if not query:
        return []
    table = load_hs_nomenclature()
    digits = normalize_hs_code(query)
    if digits.isdigit():
        found = [(c, d) for c, d in table.items() if c.startswith(digits)]
    else:
        words = [w for w in query.lower().split() if w]
        found = [(c, d) for c, d in table.items() if all(w in d.lower() for w in words)]
    found.sort(key=lambda cd: (len(cd[0]) != 6, cd[0]))
    return found[:limit]
