"""The tables of ``docs/policy.md``, generated from the loaded policy so they never drift.

Regenerate with ``python -m corridor.policy.reference docs/policy.md``; a test fails when the
document and the data disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from corridor.policy.model import Policy
from corridor.policy.registry import default_registry
from corridor.trade import AUTHORITIES


def _cell(text: str | None) -> str:
    return (text or "").replace("|", "\\|").replace("\n", " ")


def rule_table(policy: Policy) -> str:
    """A Markdown table of every rule: id, type, outcome, citation, dates, confidence."""
    lines = [
        "| Rule | Authority | Type / scope | Outcome | Citation | In force | Confidence |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    order = {a: i for i, a in enumerate(AUTHORITIES)}
    for rule in sorted(policy.rules.values(), key=lambda r: (order[r.authority_id], r.id)):
        scope = (
            rule.type
            if rule.type in ("list", "ownership", "suggestion")
            else f"{rule.type} / {rule.scope}"
        )
        outcome = rule.outcome or ""
        if rule.targets:
            outcome += f" ({', '.join(rule.targets)})"
        dates = "; ".join(span.label() for span in rule.spans if span.start or span.end)
        lines.append(
            f"| `{rule.id}` | {rule.authority_id} | {scope} | {outcome} | "
            f"{_cell(rule.citation)} | {dates} | {rule.confidence} |"
        )
    return "\n".join(lines)


def goods_list_table(policy: Policy) -> str:
    """A Markdown table of the goods lists with their completeness and confidence."""
    lines = [
        "| List | Regime | Entries | Complete | Confidence | Version |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for g in policy.goods_lists.values():
        lines.append(
            f"| `{g.id}` {_cell(g.name)} | {g.regime} | {len(g.entries)} | "
            f"{'yes' if g.complete else '**partial**'} | {g.confidence} | "
            f"{_cell(g.version)} |"
        )
    return "\n".join(lines)


def predicate_table() -> str:
    """A Markdown table of the tests a condition may use, from their docstrings."""
    lines = ["| Test | Reads | Parameters | Holds when |", "| --- | --- | --- | --- |"]
    tests = default_registry()
    for name in sorted(tests):
        spec = tests[name]
        params = ", ".join(p if required else f"{p}?" for p, required in spec.params.items())
        doc = spec.description
        lines.append(f"| `{name}` | {spec.needs or 'trade'} | {params} | {_cell(doc)} |")
    return "\n".join(lines)


def update_doc(text: str, policy: Policy) -> str:
    """Replace each ``<!-- NAME:begin -->`` … ``<!-- NAME:end -->`` block with fresh output."""
    blocks = {
        "rules": rule_table(policy),
        "goods-lists": goods_list_table(policy),
        "predicates": predicate_table(),
    }
    for name, body in blocks.items():
        pattern = re.compile(rf"(<!-- {name}:begin -->\n).*?(\n<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"no <!-- {name}:begin --> … <!-- {name}:end --> block")
        text = pattern.sub(lambda m, body=body: m.group(1) + body + m.group(2), text)
    return text


if __name__ == "__main__":  # pragma: no cover - a maintenance command
    from corridor.policy.loader import load_policy

    for arg in sys.argv[1:]:
        path = Path(arg)
        path.write_text(
            update_doc(path.read_text(encoding="utf-8"), load_policy()), encoding="utf-8"
        )
