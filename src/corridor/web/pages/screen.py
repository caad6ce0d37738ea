"""Screen a trade: the form, the verdict page (per party × regime, findings with their
citations), the HS look-up, and the report as HTML or PDF. Each screening is recorded: its
parties kept, their hits in the alert queue, the verdict in the audit log."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from corridor.cases import record_screening
from corridor.errors import CorridorError, InputError
from corridor.screening import parse_trade
from corridor.screening.report_html import render_html
from corridor.screening.serving import screen_with_index
from corridor.trade import REGIMES
from corridor.web.errors import WebError, in_thread
from corridor.web.pdf import html_to_pdf
from corridor.web.render import PREFIX, page, render_text
from corridor.web.session import Viewer, cases, current_index, field, holder, posted, require
from corridor.web.tradeform import FormShape, hs_lookup, trade_from_form, trade_json

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.get("/screen")
async def screen_form(request: Request, viewer: Viewer = Depends(require("analyst"))) -> Response:
    return page(request, "screen.html", shape=FormShape(), form={}, error="")


@router.post("/screen")
async def screen_submit(request: Request, viewer: Viewer = Depends(require("analyst"))) -> Response:
    form = await posted(request, viewer)
    index = current_index(request)
    try:
        trade = trade_from_form(form)
        result = await run_in_threadpool(screen_with_index, holder(request).store, index, trade)
    except InputError as exc:
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        return page(
            request,
            "screen.html",
            status=400,
            shape=FormShape.for_values(values),
            form=values,
            error=str(exc),
        )
    except CorridorError as exc:
        raise WebError(409, str(exc)) from None
    reference = field(form, "reference", limit=255)
    recorded = await in_thread(
        lambda: record_screening(
            cases(request), trade, result, actor=viewer.user, reference=reference
        )
    )
    return page(
        request,
        "verdict.html",
        trade=trade,
        result=result,
        regimes=REGIMES,
        trade_json=orjson.dumps(trade_json(trade)).decode(),
        recorded=recorded,
    )


@router.post("/screen/export")
async def screen_export(request: Request, viewer: Viewer = Depends(require("analyst"))) -> Response:
    """The report of a trade screened on the verdict page, screened again on the same lists
    (the page carries the trade, not the result, so nothing it shows can be forged)."""
    form = await posted(request, viewer)
    kind = field(form, "format") or "html"
    if kind not in ("html", "pdf"):
        raise WebError(400, f"format: {kind!r} is neither html nor pdf.")
    try:
        trade = parse_trade(orjson.loads(field(form, "trade", limit=500_000)), source="trade")
    except (orjson.JSONDecodeError, InputError) as exc:
        raise WebError(400, f"The trade to export is not valid: {exc}") from None
    index = current_index(request)
    result = await in_thread(lambda: screen_with_index(holder(request).store, index, trade))
    html = render_html(result, trade, source=f"screened by {viewer.user.username}")
    name = f"screening-{result.as_of.isoformat()}-{result.verdict.lower()}"
    if kind == "html":
        return HTMLResponse(
            html, headers={"Content-Disposition": f'attachment; filename="{name}.html"'}
        )
    try:
        pdf = await run_in_threadpool(html_to_pdf, html)
    except CorridorError as exc:
        raise WebError(503, str(exc)) from None
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )


@router.get("/hs")
async def hs(
    request: Request, q: str = "", viewer: Viewer = Depends(require("analyst"))
) -> Response:
    """HS codes for the look-up box (an HTML fragment htmx puts under it)."""
    if len(q) > 100:
        raise WebError(400, "The look-up text is longer than 100 characters.")
    try:
        found = await run_in_threadpool(hs_lookup, q)
    except InputError as exc:
        raise WebError(503, str(exc)) from None
    return HTMLResponse(render_text("hs_results.html", found=found, q=q))
