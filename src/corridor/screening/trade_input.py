"""Read a trade file (YAML or JSON) into a :class:`~corridor.screening.contract.Trade`.

Every rejection is one :class:`~corridor.errors.InputError` naming the file, the line when
known, and the field as a dotted path (``goods[2].hs_code``), so the user can fix the file
without reading a traceback. Checks beyond the pydantic model: ISO 3166-1 alpha-2 countries,
HS codes known to the policy, ISO 4217-shaped currency, and bounds on ownership nesting.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from corridor.errors import InputError
from corridor.screening.contract import Owner, Trade

#: A trade file larger than this is refused before parsing.
MAX_FILE_BYTES = 2_000_000
#: Ownership chains deeper than this are refused (real structures rarely exceed 6 layers).
MAX_OWNER_DEPTH = 12
#: Total declared owners over all parties.
MAX_OWNERS = 2000

HsValidator = Callable[[str], Any]
_CURRENCY = re.compile(r"^[A-Z]{3}$")


def load_trade(path: Path | str, *, hs_validator: HsValidator | None = None) -> Trade:
    """Read and validate one trade file; YAML unless the name ends in ``.json``."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read trade file: {exc.strerror}", path=str(path)) from None
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"file is {size} bytes, above the {MAX_FILE_BYTES} byte limit; split the trade",
            path=str(path),
        )
    text = path.read_text(encoding="utf-8", errors="replace")
    return parse_trade_text(
        text, source=str(path), hs_validator=hs_validator, as_json=path.suffix.lower() == ".json"
    )


def parse_trade_text(
    text: str,
    *,
    source: str = "<trade>",
    hs_validator: HsValidator | None = None,
    as_json: bool = False,
) -> Trade:
    """Parse YAML (a superset of JSON) or strict JSON text into a validated trade."""
    lines: yaml.Node | None = None
    if as_json:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"malformed JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                path=source,
            ) from None
        try:  # JSON is YAML: the node tree gives line numbers for field errors
            lines = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError:
            lines = None
    else:
        try:
            data = yaml.safe_load(text)
            lines = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            raise InputError(_yaml_message(exc), path=source) from None
    return parse_trade(data, source=source, hs_validator=hs_validator, node=lines)


def parse_trade(
    data: Any,
    *,
    source: str = "<trade>",
    hs_validator: HsValidator | None = None,
    node: yaml.Node | None = None,
) -> Trade:
    """Validate already-decoded data (e.g. an HTTP JSON body) into a trade."""
    if not isinstance(data, dict):
        kind = "empty" if data is None else type(data).__name__
        raise InputError(
            f"a trade is a mapping with 'parties', 'goods' and 'route'; got {kind}", path=source
        )
    if not data.get("parties"):
        raise InputError(
            "missing parties: list at least one party (role, name, country)",
            path=source,
            field="parties",
        )
    try:
        trade = Trade.model_validate(data)
    except ValidationError as exc:
        raise _translate(exc, source, node) from None

    def fail(field: str, message: str) -> InputError:
        return InputError(message, path=_where(source, node, field), field=field)

    if trade.currency is not None:
        trade.currency = trade.currency.strip().upper()
        if not _CURRENCY.match(trade.currency):
            raise fail("currency", f"{trade.currency!r} is not an ISO 4217 code such as USD")
    trade.clearing_country = _country(trade.clearing_country, "clearing_country", fail)
    owners_seen = 0
    for i, party in enumerate(trade.parties):
        party.country = _country(party.country, f"parties[{i}].country", fail)
        _check_schema(party.schema_, party.identifiers, f"parties[{i}]", fail)
        _check_shares(party.owners, f"parties[{i}].owners", fail)
        for prefix, owner, depth in _walk_owners(party.owners, f"parties[{i}].owners"):
            owners_seen += 1
            _check_shares(owner.owners, f"{prefix}.owners", fail)
            if depth > MAX_OWNER_DEPTH:
                raise fail(prefix, f"ownership nested deeper than {MAX_OWNER_DEPTH} levels")
            owner.country = _country(owner.country, f"{prefix}.country", fail)
            _check_schema(owner.schema_, {}, prefix, fail)
        if party.parent is not None:
            party.parent.country = _country(
                party.parent.country, f"parties[{i}].parent.country", fail
            )
    if owners_seen > MAX_OWNERS:
        raise fail("parties", f"{owners_seen} declared owners, above the limit of {MAX_OWNERS}")
    for i, leg in enumerate(trade.route):
        leg.country = _country(leg.country, f"route[{i}].country", fail) or leg.country
        if leg.vessel is not None:
            if leg.vessel.imo is not None:
                imo = re.sub(r"^IMO\s*", "", leg.vessel.imo.strip(), flags=re.I)
                if not re.fullmatch(r"\d{7}", imo):
                    raise fail(
                        f"route[{i}].vessel.imo", f"{leg.vessel.imo!r} is not a 7-digit IMO number"
                    )
                leg.vessel.imo = imo
            leg.vessel.flag = _country(leg.vessel.flag, f"route[{i}].vessel.flag", fail)
    validate = hs_validator if hs_validator is not None else _policy_hs_validator()
    for i, line in enumerate(trade.goods):
        field = f"goods[{i}].hs_code"
        code = re.sub(r"[\s.]", "", str(line.hs_code))
        if not re.fullmatch(r"\d{6,10}", code):
            raise fail(field, f"{line.hs_code!r} is not an HS code of 6 to 10 digits")
        line.hs_code = code
        line.origin = _country(line.origin, f"goods[{i}].origin", fail)
        if validate is not None:
            try:
                ok = validate(code)
            except InputError as exc:
                raise fail(field, exc.message) from None
            except (ValueError, KeyError) as exc:
                msg = str(exc).strip("'\"")
                raise fail(field, f"unknown HS code {code!r}: {msg}") from None
            if ok is False:
                raise fail(field, f"unknown HS code {code!r}: check the HS-6 heading")
    return trade


def _policy_hs_validator() -> HsValidator | None:
    """The policy's HS nomenclature check, when the policy package provides it."""
    try:
        from corridor.policy import validate_hs_code
    except ImportError:
        return None
    return validate_hs_code


def _country(value: str | None, field: str, fail: Callable[[str, str], InputError]) -> str | None:
    """Lower-case ISO 3166-1 alpha-2, or an error suggesting the right code."""
    if value is None:
        return None
    from rigour.territories import get_territory, lookup_territory

    code = str(value).strip().lower()
    territory = get_territory(code) if len(code) == 2 else None
    if territory is None or territory.code != code or territory.alpha3 is None:
        hint = ""
        guess = lookup_territory(str(value))
        if guess is not None and len(guess.code) == 2 and guess.alpha3:
            hint = f" (did you mean {guess.code!r}, {guess.name}?)"
        raise fail(field, f"{value!r} is not an ISO 3166-1 alpha-2 code{hint}")
    return code


#: Schemata a party or owner may have: the FtM legal-entity family.
PARTY_SCHEMATA = ("LegalEntity", "Company", "Organization", "Person", "PublicBody")


def _check_schema(
    schema: str,
    identifiers: dict[str, Any],
    prefix: str,
    fail: Callable[[str, str], InputError],
) -> None:
    """The party's FtM schema exists, and every identifier is a property of it."""
    from followthemoney import model

    if schema not in PARTY_SCHEMATA:
        raise fail(f"{prefix}.schema", f"{schema!r} is not one of {', '.join(PARTY_SCHEMATA)}")
    ftm = model.get(schema)
    for key in identifiers:
        if ftm is None or ftm.get(key) is None:
            raise fail(
                f"{prefix}.identifiers.{key}",
                f"{key!r} is not a FollowTheMoney property of {schema} "
                "(e.g. registrationNumber, taxNumber, innCode, idNumber, passportNumber)",
            )


def _check_shares(owners: list[Owner], field: str, fail: Callable[[str, str], InputError]) -> None:
    """Declared stakes in one entity cannot add up to more than 100 %."""
    total = sum(o.share for o in owners)
    if total > 100.0001:
        raise fail(field, f"the owners' shares add up to {total:g} %, more than 100 %")


def _walk_owners(
    owners: list[Owner], prefix: str, depth: int = 1
) -> Iterator[tuple[str, Owner, int]]:
    for j, owner in enumerate(owners):
        here = f"{prefix}[{j}]"
        yield here, owner, depth
        yield from _walk_owners(owner.owners, f"{here}.owners", depth + 1)


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _translate(exc: ValidationError, source: str, node: yaml.Node | None) -> InputError:
    """The first pydantic error as one line: ``file:line: field: what to do``."""
    err = exc.errors()[0]
    loc = tuple(err.get("loc", ()))
    field = _dotted(loc)
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        message = f"unknown key {loc[-1]!r}" + (
            f"; allowed keys: {', '.join(allowed)}" if allowed else ""
        )
    elif kind == "missing":
        message = "required field is missing"
    elif kind == "literal_error":
        message = f"{err.get('input')!r} is not allowed; {err.get('msg', '').lower()}"
    else:
        message = f"{err.get('msg', 'invalid value')} (got {err.get('input')!r})"
    more = len(exc.errors()) - 1
    if more:
        message += f" [+{more} more problem{'s' if more > 1 else ''}]"
    return InputError(message, path=_where(source, node, field, loc), field=field)


def _allowed_keys(loc: tuple[Any, ...]) -> list[str]:
    """The keys the model accepts at ``loc`` (named by their public aliases)."""
    from corridor.screening import contract

    model: Any = contract.Trade
    for part in loc:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part) or next(
            (f for f in model.model_fields.values() if f.alias == part), None
        )
        if field is None:
            return []
        ann = field.annotation
        inner = [a for a in getattr(ann, "__args__", (ann,)) if isinstance(a, type)]
        model = next((a for a in inner if hasattr(a, "model_fields")), None)
        if model is None:
            return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _where(
    source: str, node: yaml.Node | None, field: str, loc: tuple[Any, ...] | None = None
) -> str:
    """``source:line`` for a field when the YAML node tree is known, else ``source``."""
    if node is None:
        return source
    if loc is None:
        loc = tuple(int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", field))
    current: yaml.Node | None = node
    line = node.start_mark.line
    for part in loc:
        nxt: yaml.Node | None = None
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if key.value == part:
                    nxt, line = value, key.start_mark.line
                    break
        elif (
            isinstance(current, yaml.SequenceNode)
            and isinstance(part, int)
            and 0 <= part < len(current.value)
        ):
            nxt = current.value[part]
            line = nxt.start_mark.line
        if nxt is None:
            break
        current = nxt
    return f"{source}:{line + 1}"


def _yaml_message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        return f"malformed YAML at line {mark.line + 1}, column {mark.column + 1}: {problem}"
    return f"malformed YAML: {problem}"
