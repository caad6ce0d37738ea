"""Charts as inline SVG written on the server: a page needs no chart library to show them,
and a printout or a PDF shows them the same way."""

from __future__ import annotations

from html import escape

WIDTH = 720
HEIGHT = 200
MARGIN_LEFT = 36
MARGIN_BOTTOM = 28
MARGIN_TOP = 12


def bar_chart(points: list[tuple[str, int]], *, title: str) -> str:
    """Bars for ``(label, count)`` points, left to right; every seventh label is written, and
    the last one where it does not run into the one before it."""
    plot_w = WIDTH - MARGIN_LEFT - 8
    plot_h = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    top = max((n for _, n in points), default=0)
    scale_top = max(1, top)
    step = plot_w / max(1, len(points))
    bar_w = max(1.0, step * 0.7)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" class="chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{MARGIN_LEFT}" y1="{MARGIN_TOP + plot_h}" x2="{WIDTH - 8}" '
        f'y2="{MARGIN_TOP + plot_h}" stroke="#99a" />',
        f'<text x="{MARGIN_LEFT - 6}" y="{MARGIN_TOP + 4}" text-anchor="end" '
        f'font-size="11">{scale_top}</text>',
        f'<text x="{MARGIN_LEFT - 6}" y="{MARGIN_TOP + plot_h}" text-anchor="end" '
        f'font-size="11">0</text>',
    ]
    for i, (label, count) in enumerate(points):
        x = MARGIN_LEFT + i * step + (step - bar_w) / 2
        h = plot_h * count / scale_top
        y = MARGIN_TOP + plot_h - h
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
            f'fill="#3b6fb6"><title>{escape(label)}: {count}</title></rect>'
        )
        if i % 7 == 0 or (i == len(points) - 1 and i % 7 >= 3):
            out.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" '
                f'font-size="11">{escape(label)}</text>'
            )
    out.append("</svg>")
    return "".join(out)
