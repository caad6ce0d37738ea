"""The dashboard: lists loaded and their age, open alerts by age, decisions per analyst,
and alerts per day as an SVG drawn on the server (no chart script)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from markupsafe import Markup

from corridor.cases.dashboard import dashboard as figures
from corridor.web.charts import bar_chart
from corridor.web.render import PREFIX, page
from corridor.web.session import Viewer, cases, require

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.get("/dashboard")
async def dashboard(request: Request, viewer: Viewer = Depends(require("analyst"))) -> Response:
    data = await run_in_threadpool(figures, cases(request), 30)
    chart = bar_chart(
        [(d.day.strftime("%d %b"), d.alerts) for d in data.alerts_per_day],
        title="Alerts per day",
    )
    return page(request, "dashboard.html", d=data, chart=Markup(chart))
