"""Findings grouped for reading: one entry per rule and outcome, naming all its subjects.

A rule on goods or route legs fires once per goods line (or per leg and line): twenty
microchip lines through Russia give twenty transit findings that differ only in the line
number. The JSON result keeps every finding; the terminal and HTML reports and the verdict's
explanation show one group per rule, with its subjects compressed ("route leg 3, goods
lines 0–19"), so the report stays scannable. Findings about a named party, owner or vessel
are never merged: each is a different list entry an analyst must look at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from corridor.trade import Finding

#: Kinds whose findings each concern one named party, owner or vessel.
_NAMED = ("party", "ownership", "vessel")
_LEG_GOODS = re.compile(r"route leg (\d+), goods line (\d+)")
_GOODS = re.compile(r"goods line (\d+)")
_LEG = re.compile(r"route leg (\d+)")


@dataclass(frozen=True)
class FindingGroup:
    """Findings of one rule with the same severity, outcome and confidence."""

    findings: tuple[Finding, ...]

    @property
    def first(self) -> Finding:
        return self.findings[0]

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def subjects(self) -> str:
        """All the subjects, compressed: ``goods lines 0–3, 7``."""
        return describe_subjects([f.subject for f in self.findings])

    @property
    def detail(self) -> str:
        """The first finding's detail, saying so when the others differ only by subject."""
        if len(self) == 1:
            return self.first.detail
        return f"{self.first.detail} [shown for {self.first.subject}; {len(self)} findings]"


def group_findings(findings: Iterable[Finding]) -> list[FindingGroup]:
    """Groups in the order their first finding appears (the result is sorted by severity)."""
    groups: dict[tuple[object, ...], list[Finding]] = {}
    for f in findings:
        key: tuple[object, ...] = (f.rule, f.regime, f.kind, f.severity, f.outcome, f.confidence)
        if f.kind in _NAMED:  # each matched entry of a party is its own alert
            key += (f.subject, f.detail)
        groups.setdefault(key, []).append(f)
    return [FindingGroup(tuple(items)) for items in groups.values()]


def describe_subjects(subjects: Sequence[str]) -> str:
    """``route leg 3, goods lines 0–19; goods line 4`` for a list of finding subjects."""
    legs: list[int] = []
    goods: list[int] = []
    by_leg: dict[int, list[int]] = {}
    other: list[str] = []
    for subject in subjects:
        if m := _LEG_GOODS.fullmatch(subject):
            by_leg.setdefault(int(m[1]), []).append(int(m[2]))
        elif m := _GOODS.fullmatch(subject):
            goods.append(int(m[1]))
        elif m := _LEG.fullmatch(subject):
            legs.append(int(m[1]))
        elif subject not in other:
            other.append(subject)
    parts = []
    if legs:
        parts.append(_numbered("route leg", "route legs", legs))
    same_lines: dict[tuple[int, ...], list[int]] = {}
    for leg, lines in by_leg.items():
        same_lines.setdefault(tuple(sorted(set(lines))), []).append(leg)
    for lines, leg_list in same_lines.items():
        parts.append(
            f"{_numbered('route leg', 'route legs', leg_list)}, "
            f"{_numbered('goods line', 'goods lines', list(lines))}"
        )
    if goods:
        parts.append(_numbered("goods line", "goods lines", goods))
    return "; ".join(parts + other)


def _numbered(one: str, many: str, numbers: list[int]) -> str:
    """``goods lines 0–3, 7``: consecutive numbers folded into ranges."""
    values = sorted(set(numbers))
    runs: list[str] = []
    start = prev = values[0]
    for n in [*values[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        if prev - start >= 2:
            runs.append(f"{start}–{prev}")
        else:
            runs += [str(k) for k in range(start, prev + 1)]
        if n is not None:
            start = prev = n
    return f"{one if len(values) == 1 else many} {', '.join(runs)}"
