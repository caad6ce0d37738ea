"""A screening result rendered for a terminal (rich): verdict first, then the why."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from corridor.screening.grouping import group_findings
from corridor.screening.match_summary import describe_match
from corridor.screening.results import PartyResult, ScreeningResult
from corridor.trade import REGIMES, SEVERITY_VERDICT, Trade

VERDICT_STYLE = {
    "PROHIBITED": "bold white on red",
    "LICENSE_REQUIRED": "bold black on yellow",
    "REVIEW": "bold black on bright_yellow",
    "CLEAR": "bold white on green",
}
SEVERITY_STYLE = {
    "prohibited": "bold red",
    "license": "yellow",
    "risk": "bright_yellow",
    "info": "dim",
}
NEXUS_STYLE = {"binds": "bold", "exposure": "yellow", "none": "dim"}


def render(result: ScreeningResult, trade: Trade | None = None, source: str | None = None) -> Group:
    """All sections of the report as one rich renderable."""
    parts: list[RenderableType] = [_header(result, trade, source)]
    parts.append(_parties(result))
    parts.append(_findings(result))
    parts.append(_explanation(result))
    return Group(*parts)


def print_report(
    result: ScreeningResult,
    trade: Trade | None = None,
    source: str | None = None,
    console: Console | None = None,
) -> None:
    (console or Console()).print(render(result, trade, source))


def summary_table(results: list[tuple[str, ScreeningResult]]) -> Table:
    """One row per screened trade: verdict and the rules that decided it."""
    table = Table(title="Summary", box=box.SIMPLE_HEAVY)
    table.add_column("trade", overflow="fold")
    table.add_column("verdict")
    table.add_column("decided by", overflow="fold")
    for source, result in results:
        decisive = sorted(
            {f.rule for f in result.findings if f.outcome == result.verdict}
            if result.verdict != "CLEAR"
            else set()
        )
        table.add_row(
            Text(source),
            Text(result.verdict, style=VERDICT_STYLE[result.verdict]),
            "\n".join(decisive) or "—",  # one rule a line: ids do not break mid-way
        )
    return table


def _header(result: ScreeningResult, trade: Trade | None, source: str | None) -> Panel:
    lines = Text()
    lines.append(f" {result.verdict} ", style=VERDICT_STYLE[result.verdict])
    lines.append(f"  as of {result.as_of.isoformat()}")
    if source:
        lines.append(f"  {source}", style="dim")
    lines.append("\n")
    if trade is not None:
        route = " → ".join((leg.place or leg.country.upper()) for leg in trade.route) or "—"
        lines.append(
            f"{_count(len(trade.parties), 'party', 'parties')}, "
            f"{_count(len(trade.goods), 'goods line', 'goods lines')}, "
            f"currency {trade.currency or '—'}, route {route}\n"
        )
    versions = ", ".join(f"{v.dataset} {v.version}" for v in result.lists) or "no lists loaded"
    lines.append(f"Lists: {versions}", style="dim")
    return Panel(lines, title="corridor trade screening", box=box.ROUNDED)


def _parties(result: ScreeningResult) -> Group:
    table = Table(title="Parties × regimes", box=box.SIMPLE_HEAVY)
    table.add_column("#", justify="right")
    table.add_column("role")
    table.add_column("name", overflow="fold")
    for regime in REGIMES:
        table.add_column(regime, justify="center")
    for party in result.parties:
        cells = [
            Text(party.regimes.get(r, "none"), style=NEXUS_STYLE[party.regimes.get(r, "none")])
            for r in REGIMES
        ]
        table.add_row(str(party.index), party.role, Text(party.name), *cells)
    lines: list[RenderableType] = []
    for party in result.parties:
        for m in party.matches:
            tag, style = ("MATCH", "bold red") if m.match else ("near miss", "dim")
            line = Text(f"#{party.index} {party.name}: ", style=style)
            line.append(f"{tag} {m.caption or m.id} ({m.score:.2f}) ", style=style)
            line.append(f"[{', '.join(m.source_ids)}]", style="dim")
            lines.append(Padding(line, (0, 0, 0, 2)))
            why = describe_match(m)
            if why:
                lines.append(Padding(Text(why, style="dim"), (0, 0, 0, 6)))
        for owner in party.owners:
            for m in owner.matches:
                if m.match:
                    line = Text(
                        f"#{party.index} owner {owner.name} ({owner.share:g} %): MATCH "
                        f"{m.caption or m.id} ({m.score:.2f}) ",
                        style="red",
                    )
                    line.append(f"[{', '.join(m.source_ids)}]", style="dim")
                    lines.append(Padding(line, (0, 0, 0, 2)))
    if not lines:
        lines.append(Padding(Text("none", style="green"), (0, 0, 0, 2)))
    why = [Padding(_nexus_line(p), (0, 0, 0, 2)) for p in result.parties]
    return Group(
        table,
        Text(
            "Why each regime reaches each party (rules; full reasons in --json / --html)",
            style="bold",
        ),
        *why,
        Text("List matches", style="bold"),
        *lines,
        Text(""),
    )


def _nexus_line(party: PartyResult) -> Text:
    """``#0 exporter: EU binds (EU-1-territory, EU-4-incorporated); US exposure (…)``."""
    line = Text(f"#{party.index} {party.role}: ")
    shown = 0
    # a "none" with a reason says why a regime stops short (KZ-4: unilateral regimes are
    # not Kazakh law): regimes sharing the same reasons are named together
    unreached: dict[tuple[str, ...], list[str]] = {}
    for regime in REGIMES:
        value = party.regimes.get(regime, "none")
        if value == "none":
            rules = tuple(r for r, _ in nexus_rules(party.nexus.get(regime, [])))
            if rules:
                unreached.setdefault(rules, []).append(regime)
            continue
        rules = nexus_rules(party.nexus.get(regime, []))
        also = [r for r, extra in rules if extra]
        main = [r for r, extra in rules if not extra]
        if shown:
            line.append("; ")
        line.append(f"{regime} {value}", style=NEXUS_STYLE[value])
        text = ", ".join(main) + (f"; also exposure {', '.join(also)}" if also else "")
        line.append(f" ({text})" if text else "", style="dim")
        shown += 1
    for rules, regimes in unreached.items():
        line.append(
            f"{'; ' if shown else ''}{', '.join(regimes)} none ({', '.join(rules)})", style="dim"
        )
        shown += 1
    if not shown:
        line.append("no regime reaches this party", style="dim")
    return line


def nexus_rules(reasons: list[str]) -> list[tuple[str, bool]]:
    """(rule id, is an 'also exposure' reason) from the reason lines of a nexus decision."""
    out: list[tuple[str, bool]] = []
    for reason in reasons:
        extra = reason.startswith("also exposure: ")
        rule = reason.removeprefix("also exposure: ").split(":", 1)[0]
        if (rule, extra) not in out:
            out.append((rule, extra))
    return out


def _findings(result: ScreeningResult) -> Group | Text:
    if not result.findings:
        return Text("No findings.", style="green")
    groups = group_findings(result.findings)
    title = f"Findings ({len(result.findings)}"
    if len(groups) < len(result.findings):
        title += f", {len(groups)} after grouping by rule"
    title += ")"
    blocks: list[RenderableType] = [Text(title, style="bold")]
    for group in groups:
        f = group.first
        head = Text()
        head.append(f"{f.severity.upper():<10}", style=SEVERITY_STYLE[f.severity])
        head.append(f" {f.regime} {f.kind}  ")
        head.append(f.rule, style="bold")
        head.append(f"  ({f.confidence})", style="dim")
        if len(group) > 1:
            head.append(f"  x{len(group)}", style="bold")
        if f.outcome and f.outcome != SEVERITY_VERDICT[f.severity]:
            head.append(f"  counts as {f.outcome}", style="yellow")
        body = Text(f"{group.subjects}\n{group.detail}\n")
        body.append(f.citation, style="dim")
        blocks += [Padding(head, (0, 0, 0, 2)), Padding(body, (0, 0, 0, 4))]
    return Group(*blocks)


def _explanation(result: ScreeningResult) -> Panel:
    text = Text("\n".join(result.explanation))
    if result.suggestions:
        text.append("\n\nSuggestions:\n", style="bold")
        text.append("\n".join(f"  - {s}" for s in result.suggestions))
    return Panel(text, title=f"Why {result.verdict}", box=box.ROUNDED)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
