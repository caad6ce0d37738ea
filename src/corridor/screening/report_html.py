"""A screening result as one self-contained, printable HTML page for the compliance file.

Inline CSS only, no scripts, fonts or images fetched from anywhere: the page must open the
same way in an archive years later. Every value from the trade or the lists is escaped.
"""

from __future__ import annotations

from html import escape

from corridor import __version__ as corridor_version
from corridor.screening.grouping import group_findings
from corridor.screening.match_summary import describe_match
from corridor.screening.results import ScreeningResult
from corridor.trade import REGIMES, SEVERITY_VERDICT, Finding, Trade

_CSS = """
body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1b1f24;
max-width:1100px;margin:2em auto;padding:0 1em}
h1{font-size:1.4em;margin:0 0 .2em}
h2{font-size:1.1em;margin:1.6em 0 .5em;border-bottom:1px solid #ccd}
table{border-collapse:collapse;width:100%;margin:.4em 0}
th,td{border:1px solid #ccd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f1f3f6}
.verdict{display:inline-block;padding:.25em .8em;border-radius:4px;font-weight:700;font-size:1.2em}
.PROHIBITED{background:#b42318;color:#fff}.LICENSE_REQUIRED{background:#f0b400;color:#000}
.REVIEW{background:#fde68a;color:#000}.CLEAR{background:#067647;color:#fff}
.binds{font-weight:700}.exposure{color:#9a6700}.none{color:#8a8f98}
li.sub{margin-left:1.4em;list-style:circle}
.prohibited{color:#b42318;font-weight:700}.license{color:#9a6700;font-weight:700}
.risk{color:#9a6700}.info{color:#555}
.muted{color:#666}.small{font-size:.9em}ul{margin:.3em 0}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}tr{page-break-inside:avoid}}
"""


def render_html(
    result: ScreeningResult, trade: Trade | None = None, source: str | None = None
) -> str:
    """The whole page as a string."""
    e = escape
    out: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Trade screening {e(result.verdict)} — {e(source or '')} {result.as_of}</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Trade screening report</h1>",
        f'<p><span class="verdict {e(result.verdict)}">{e(result.verdict)}</span> '
        f"as of {result.as_of.isoformat()}"
        + (f' <span class="muted">— {e(source)}</span>' if source else "")
        + "</p>",
        f'<p class="muted small">corridor {e(corridor_version)}. Not legal advice: the rules '
        "carry their confidence (sure / likely / unsure); verify unsure ones with counsel.</p>",
    ]
    out += _why(result)
    if trade is not None:
        out += _screened(trade)
    out += _lists(result)
    out += _parties(result)
    out += _findings(result)
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _why(result: ScreeningResult) -> list[str]:
    out = ["<h2>Why this verdict</h2>", "<ul>"]
    for line in (line.strip() for line in result.explanation):
        # "  - finding" lines list the findings behind the line before them
        sub = line.startswith("- ")
        out.append(
            f'<li class="sub">{escape(line[2:])}</li>' if sub else f"<li>{escape(line)}</li>"
        )
    out.append("</ul>")
    if result.suggestions:
        out.append("<p><strong>Suggestions</strong></p><ul>")
        out += [f"<li>{escape(s)}</li>" for s in result.suggestions]
        out.append("</ul>")
    return out


def _screened(trade: Trade) -> list[str]:
    e = escape
    out = ["<h2>What was screened</h2>"]
    out.append(
        f"<p>Date {e(str(trade.date or '—'))}; currency {e(trade.currency or '—')}"
        + (f"; cleared in {e(trade.clearing_country)}" if trade.clearing_country else "")
        + "</p>"
    )
    if trade.goods:
        out.append(
            "<table><tr><th>#</th><th>HS code</th><th>description</th><th>origin</th>"
            "<th>US content %</th><th>value</th></tr>"
        )
        for i, g in enumerate(trade.goods):
            out.append(
                f"<tr><td>{i}</td><td>{e(g.hs_code)}</td><td>{e(g.description or '')}</td>"
                f"<td>{e(g.origin or '')}</td><td>{_num(g.us_content_pct, '{:g}')}</td>"
                f"<td>{_num(g.value, '{:,.2f}')}</td></tr>"
            )
        out.append("</table>")
    if trade.route:
        legs = []
        for leg in trade.route:
            text = leg.country.upper() + (f" ({leg.place})" if leg.place else "")
            if leg.vessel:
                v = leg.vessel
                text += f" by vessel {v.name or ''}" + (f" IMO {v.imo}" if v.imo else "")
            legs.append(e(text))
        out.append("<p>Route: " + " → ".join(legs) + "</p>")
    return out


def _lists(result: ScreeningResult) -> list[str]:
    out = ["<h2>Lists screened against</h2>"]
    if not result.lists:
        return out + ["<p>No lists were loaded.</p>"]
    out.append("<table><tr><th>dataset</th><th>version (list date : file hash)</th></tr>")
    out += [
        f"<tr><td>{escape(v.dataset)}</td><td>{escape(v.version)}</td></tr>" for v in result.lists
    ]
    out.append("</table>")
    return out


def _parties(result: ScreeningResult) -> list[str]:
    e = escape
    out = ["<h2>Parties and regimes</h2>", "<table><tr><th>#</th><th>role</th><th>name</th>"]
    out += [f"<th>{r}</th>" for r in REGIMES]
    out.append("<th>list matches</th></tr>")
    for p in result.parties:
        cells = "".join(
            f'<td class="{e(p.regimes.get(r, "none"))}">{e(p.regimes.get(r, "none"))}</td>'
            for r in REGIMES
        )
        matches = []
        for m in p.matches:
            tag = "<strong>match</strong>" if m.match else '<span class="muted">near miss</span>'
            why = describe_match(m)
            matches.append(
                f"{tag} {e(m.caption or m.id)} ({m.score:.2f}) "
                f'<span class="small">{e(", ".join(m.source_ids))}</span>'
                + (f'<br><span class="small muted">{e(why)}</span>' if why else "")
            )
        for owner in p.owners:
            for m in owner.matches:
                if m.match:
                    matches.append(
                        f"owner {e(owner.name)} ({owner.share:g} %): {e(m.caption or m.id)} "
                        f'<span class="small">{e(", ".join(m.source_ids))}</span>'
                    )
        out.append(
            f"<tr><td>{p.index}</td><td>{e(p.role)}</td><td>{e(p.name)}</td>{cells}"
            f"<td>{'<br>'.join(matches) or '—'}</td></tr>"
        )
    out.append("</table>")
    reasons = [(p, r, why) for p in result.parties for r, why in p.nexus.items() if why]
    if reasons:
        out.append('<p class="small"><strong>Nexus reasons</strong></p><ul class="small">')
        for p, regime, why in reasons:
            out.append(f"<li>#{p.index} {e(p.name)} — {e(regime)}: {e('; '.join(why))}</li>")
        out.append("</ul>")
    return out


def _findings(result: ScreeningResult) -> list[str]:
    e = escape
    out = ["<h2>Findings</h2>"]
    if not result.findings:
        return out + ["<p>No findings.</p>"]
    groups = group_findings(result.findings)
    if len(groups) < len(result.findings):
        out.append(
            f'<p class="small muted">{len(result.findings)} findings, one row per rule: a rule '
            "that fired on several goods lines or legs lists them all under subject; the JSON "
            "result has one entry per subject.</p>"
        )
    out.append(
        "<table><tr><th>severity</th><th>regime</th><th>kind</th><th>rule</th>"
        "<th>citation</th><th>confidence</th><th>subject</th><th>detail</th></tr>"
    )
    for group in groups:
        f = group.first
        out.append(
            f'<tr><td class="{e(f.severity)}">{e(f.severity)}{_counts_as(f)}</td>'
            f"<td>{e(f.regime)}</td>"
            f"<td>{e(f.kind)}</td><td>{e(f.rule)}</td><td>{e(f.citation)}</td>"
            f"<td>{e(f.confidence)}</td><td>{e(group.subjects)}</td>"
            f"<td>{e(group.detail)}</td></tr>"
        )
    out.append("</table>")
    return out


def _num(value: float | None, fmt: str) -> str:
    return "" if value is None else fmt.format(value)


def _counts_as(finding: Finding) -> str:
    """Where a cap applies, what the finding counts for in the verdict."""
    if finding.outcome and finding.outcome != SEVERITY_VERDICT[finding.severity]:
        return f'<br><span class="small muted">counts as {escape(finding.outcome)}</span>'
    return ""
