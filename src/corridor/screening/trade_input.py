"""Read a trade file (YAML or JSON) into a :class:`~corridor.trade.Trade`.

Every rejection is one :class:`~corridor.errors.InputError` naming the file, the line when
known, and the field as a dotted path (``goods[2].hs_code``), so the user can fix the file
without reading a traceback. The values themselves are validated by the contract
(:mod:`corridor.trade`); here are the bounds of a trade file (its size, how deep and how many
owners) and the check of each HS code against the nomenclature.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from corridor import textyaml
from corridor.errors import InputError
from corridor.trade import Owner, Trade

#: A trade file larger than this is refused before parsing.
MAX_FILE_BYTES = 2_000_000
#: Ownership chains deeper than this are refused (real structures rarely exceed 6 layers).
MAX_OWNER_DEPTH = 12
#: Total declared owners over all parties.
MAX_OWNERS = 2000

HsValidator = Callable[[str], Any]


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
    text = textyaml.read(path, "trade file")
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
            data = textyaml.load(text)
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

    owners_seen = 0
    for i, party in enumerate(trade.parties):
        for prefix, _owner, depth in _walk_owners(party.owners, f"parties[{i}].owners"):
            owners_seen += 1
            if depth > MAX_OWNER_DEPTH:
                raise fail(prefix, f"ownership nested deeper than {MAX_OWNER_DEPTH} levels")
    if owners_seen > MAX_OWNERS:
        raise fail("parties", f"{owners_seen} declared owners, above the limit of {MAX_OWNERS}")
    validate = hs_validator if hs_validator is not None else _policy_hs_validator()
    if validate is not None:
        for i, line in enumerate(trade.goods):
            field = f"goods[{i}].hs_code"
            try:
                ok = validate(line.hs_code)
            except InputError as exc:
                raise fail(field, exc.message) from None
            except (ValueError, KeyError) as exc:
                msg = str(exc).strip("'\"")
                raise fail(field, f"unknown HS code {line.hs_code!r}: {msg}") from None
            if ok is False:
                raise fail(field, f"unknown HS code {line.hs_code!r}: check the HS-6 heading")
    return trade


def _policy_hs_validator() -> HsValidator | None:
    """The policy's HS nomenclature check, when the policy package provides it."""
    try:
        from corridor.policy import validate_hs_code
    except ImportError:
        return None
    return validate_hs_code


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
    elif kind == "value_error":  # a contract validator's own message says what to do
        message = str(err["ctx"]["error"])
    elif kind == "ftm_property":  # names the identifier: point at its key
        message = err["msg"]
        field += f".{err['ctx']['key']}"
        loc = (*loc, err["ctx"]["key"])
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
    model: Any = Trade
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
