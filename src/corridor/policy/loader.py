"""Load the policy: package data files, then user override files, validated and merged.

Files are read in order (package ``data/**/*.yaml`` sorted by path, then each ``--policy``
file as given); an entry with the same id (rule, goods list, port, regime) or the same
name (country group) replaces the earlier one, so a bank can restate a rule to suit its
risk appetite or add its own. Every error names the file and the rule id / field.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from corridor import textyaml
from corridor.errors import InputError
from corridor.policy.conditions import (
    SCOPE_SUBJECTS,
    ConditionError,
    Node,
    Test,
    compile_condition,
)
from corridor.policy.model import Policy
from corridor.policy.registry import default_registry
from corridor.policy.schema import EntityList, GoodsList, GroupMember, PolicyFile, Port
from corridor.trade import AUTHORITIES, REGIMES

DATA_DIR = Path(__file__).resolve().parent / "data"
_COUNTRY_PARAMS = ("countries", "e1_countries")


def package_files() -> list[Path]:
    """The policy files shipped with corridor, in load order."""
    return sorted(DATA_DIR.rglob("*.yaml"))


def load_policy(extra: Sequence[Path | str] = ()) -> Policy:
    """The package policy plus override files (``--policy FILE``), validated and compiled."""
    paths = tuple(Path(p).expanduser().resolve() for p in extra)
    stamps = tuple(_stamp(p) for p in (*package_files(), *paths))
    return _load(paths, stamps)


def _stamp(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        raise InputError("policy file not found", path=str(path)) from None


@lru_cache(maxsize=16)
def _load(extra: tuple[Path, ...], _stamps: tuple[float, ...]) -> Policy:
    files = [(p, read_policy_file(p)) for p in (*package_files(), *extra)]
    return build_policy(files)


def read_policy_file(path: Path) -> PolicyFile:
    """Parse and validate one file; YAML and schema errors name the file, line, rule and field."""
    text = textyaml.read(path, "policy file")
    try:
        raw = textyaml.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InputError(f"malformed YAML: {problem}", path=str(path), field=where) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InputError("a policy file is a mapping (schema_version, rules, …)", path=str(path))
    _inline_goods_files(raw, path)
    try:
        return PolicyFile.model_validate(raw)
    except ValidationError as exc:
        # an unknown key (a typo) usually explains the "missing field" errors that follow it
        errs = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        first, rest = errs[0], errs[1:3]
        msg = _describe(first, raw)
        if rest:
            msg += "; also " + "; ".join(
                f"{_where(e['loc'], raw)}: {_describe(e, raw)}" for e in rest
            )
        raise InputError(msg, path=str(path), field=_where(first["loc"], raw)) from None


def _inline_goods_files(raw: dict[str, Any], path: Path) -> None:
    """Read ``file:`` CSVs of goods lists (columns ``code`` and optional ``tier``, ``ex``)."""
    for i, glist in enumerate(raw.get("goods_lists") or []):
        if not isinstance(glist, dict) or not glist.get("file"):
            continue
        csv_path = path.parent / str(glist["file"])
        if not csv_path.is_file():
            raise InputError(
                "goods list file not found", path=str(csv_path), field=f"goods_lists[{i}].file"
            )
        text = textyaml.read(csv_path, "goods list file")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        entries = []
        for n, row in enumerate(rows, start=2):
            code = (row.get("code") or "").strip()
            if not code.isdigit() or len(code) % 2 or not 2 <= len(code) <= 10:
                raise InputError(
                    f"{code!r} is not a code prefix (2-10 digits)",
                    path=f"{csv_path}:{n}",
                    field="code",
                )
            entries.append(
                {
                    "code": code,
                    "tier": (row.get("tier") or "").strip() or None,
                    "ex": (row.get("ex") or "").strip().lower() in ("1", "true", "yes"),
                }
            )
        glist["entries"] = entries


#: The list sections of a policy file, and how an error names an item of each.
_SECTIONS = {
    "rules": "rule",
    "goods_lists": "goods list",
    "entity_lists": "entity list",
    "ports": "port",
    "regimes": "regime",
}


def _where(loc: tuple[Any, ...], raw: dict[str, Any]) -> str:
    """``rule EU-7-…: effective_from`` rather than ``rules.12.effective_from``."""
    if len(loc) >= 2 and loc[0] in _SECTIONS and isinstance(loc[1], int):
        try:
            ident = raw[loc[0]][loc[1]].get("id")
        except (IndexError, AttributeError, KeyError):
            ident = None
        label = _SECTIONS[loc[0]]
        head = f"{label} {ident}" if ident else f"{loc[0]}[{loc[1]}]"
        rest = ".".join(str(x) for x in loc[2:])
        return f"{head}: {rest}" if rest else head
    return ".".join(str(x) for x in loc)


def _describe(err: dict[str, Any], raw: dict[str, Any]) -> str:
    msg = err["msg"]
    if err["type"] == "extra_forbidden":
        return f"unknown key {err['loc'][-1]!r} (check the spelling; see docs/policy.md)"
    if "input" in err and not isinstance(err["input"], (dict, list)):
        return f"{msg} (got {err['input']!r})"
    return msg


def build_policy(files: Iterable[tuple[Path, PolicyFile]]) -> Policy:
    """Merge files in order (later ids replace earlier ones), then compile and cross-check."""
    rules, regimes, groups, lists, ports, entities = {}, {}, {}, {}, {}, {}
    origin: dict[str, Path] = {}
    names = []
    for path, pf in files:
        names.append(f"{path.name}@{pf.version}" if pf.version else path.name)
        regimes.update({r.id: r for r in pf.regimes})
        groups.update(pf.country_groups)
        lists.update({g.id: g for g in pf.goods_lists})
        ports.update({p.id: p for p in pf.ports})
        entities.update({e.id: e for e in pf.entity_lists})
        for rule in pf.rules:
            rules[rule.id] = rule
            origin[rule.id] = path
    for name, members in groups.items():
        for m in members:
            if isinstance(m, str) and m.startswith("@") and m[1:] not in groups:
                raise InputError(
                    f"country group {name} refers to unknown group {m}",
                    field=f"country_groups.{name}",
                )
    conditions: dict[str, Node] = {}
    tests = default_registry()
    for rule_id, rule in rules.items():
        if rule.when is None:
            continue
        where = str(origin[rule_id])
        try:
            node = compile_condition(
                rule.when,
                SCOPE_SUBJECTS[rule.scope],
                tests,
                allow_finding_only=rule.type != "nexus",
            )
        except ConditionError as exc:
            raise InputError(str(exc), path=where, field=f"rule {rule_id}: {exc.path}") from None
        for test in node.tests():
            _check_references(test, groups, lists, ports, entities, where, rule_id)
        conditions[rule_id] = node
    return Policy(
        rules=rules,
        regimes=regimes,
        country_groups=groups,
        goods_lists=lists,
        ports=ports,
        conditions=conditions,
        entity_lists=entities,
        files=names,
    )


def _check_references(
    test: Test,
    groups: dict[str, list[str | GroupMember]],
    lists: dict[str, GoodsList],
    ports: dict[str, Port],
    entities: dict[str, EntityList],
    where: str,
    rule_id: str,
) -> None:
    """Country groups, goods lists, ports and regimes a test names must exist."""
    field = f"rule {rule_id}: {test.name}"
    for key in _COUNTRY_PARAMS:
        for item in test.params.get(key) or ():
            item = str(item)
            if item.startswith("@") and item[1:] not in groups:
                raise InputError(f"unknown country group {item}", path=where, field=field)
            if not item.startswith("@") and (len(item) != 2 or not item.isalpha()):
                raise InputError(
                    f"{item!r} is not an ISO alpha-2 code or @GROUP", path=where, field=field
                )
    for list_id in test.params.get("lists") or ():
        if list_id not in lists:
            raise InputError(f"unknown goods list {list_id!r}", path=where, field=field)
    for list_id in test.params.get("entity_lists") or ():
        if list_id not in entities:
            raise InputError(f"unknown entity list {list_id!r}", path=where, field=field)
    for port_id in test.params.get("ports") or ():
        if port_id not in ports:
            raise InputError(f"unknown port {port_id!r}", path=where, field=field)
    regime = test.params.get("regime")
    if regime is not None and regime not in (*REGIMES, *AUTHORITIES):
        raise InputError(
            f"unknown regime {regime!r}; use one of {', '.join(REGIMES)} or an authority "
            f"({', '.join(a for a in AUTHORITIES if a not in REGIMES)})",
            path=where,
            field=field,
        )
    authority = test.params.get("authority")
    if authority is not None and authority not in AUTHORITIES:
        raise InputError(
            f"unknown authority {authority!r}; use one of {', '.join(AUTHORITIES)}",
            path=where,
            field=field,
        )
