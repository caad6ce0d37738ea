"""A screening result rendered for a terminal (rich): verdict first, then the why."""

from __future__ import annotations

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from corridor.screening.contract import REGIMES, ScreeningResult, Trade

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
            f"{len(trade.parties)} parties, {len(trade.goods)} goods lines, "
            f"currency {trade.currency or '—'}, route {route}\n"
        )
    versions = ", ".join(f"{v.dataset} {v.version}" for v in result.lists) or "no lists loaded"
    lines.append(f"Lists: {versions}", style="dim")
    return Panel(lines, title="corridor trade screening", box=box.ROUNDED)


def _parties(result: ScreeningResult) -> Table:
    table = Table(title="Parties × regimes", box=box.SIMPLE_HEAVY, expand=True)
    table.add_column("#", justify="right")
    table.add_column("role")
    table.add_column("name", ratio=2)
    for regime in REGIMES:
        table.add_column(regime, justify="center")
    table.add_column("list matches", ratio=3)
    for party in result.parties:
        cells = [
            Text(party.regimes.get(r, "none"), style=NEXUS_STYLE[party.regimes.get(r, "none")])
            for r in REGIMES
        ]
        matches = Text()
        for m in party.matches:
            style = "bold red" if m.match else "dim"
            tag = "MATCH" if m.match else "near miss"
            matches.append(
                f"{tag} {m.caption or m.id} {m.score:.2f} [{', '.join(m.source_ids)}]\n",
                style=style,
            )
        for owner in party.owners:
            for m in owner.matches:
                if m.match:
                    matches.append(
                        f"owner {owner.name} ({owner.share:g} %): {m.caption} "
                        f"[{', '.join(m.source_ids)}]\n",
                        style="red",
                    )
        table.add_row(
            str(party.index), party.role, party.name, *cells, matches or Text("—", style="dim")
        )
    return table


def _findings(result: ScreeningResult) -> Table | Text:
    if not result.findings:
        return Text("No findings.", style="green")
    table = Table(title="Findings", box=box.SIMPLE_HEAVY, expand=True, show_lines=True)
    table.add_column("severity")
    table.add_column("regime")
    table.add_column("kind")
    table.add_column("rule / citation / confidence", ratio=2)
    table.add_column("subject", ratio=2)
    table.add_column("detail", ratio=4)
    for f in result.findings:
        table.add_row(
            Text(f.severity, style=SEVERITY_STYLE[f.severity]),
            f.regime,
            f.kind,
            f"{f.rule}\n{f.citation}\n({f.confidence})",
            f.subject,
            f.detail,
        )
    return table


def _explanation(result: ScreeningResult) -> Panel:
    text = Text("\n".join(result.explanation))
    if result.suggestions:
        text.append("\n\nSuggestions:\n", style="bold")
        text.append("\n".join(f"  - {s}" for s in result.suggestions))
    return Panel(text, title=f"Why {result.verdict}", box=box.ROUNDED)
