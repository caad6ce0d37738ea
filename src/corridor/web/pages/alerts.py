"""The alert queue and one alert: filter, sort and page the queue; take or assign an
alert; decide it (true match, false positive, escalate: a reason is required); approve or
reject another user's decision (four eyes). Every rule is the case package's; the page only
asks and shows what it says."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from corridor.cases import (
    AlertFilter,
    AlertSort,
    PageRequest,
    alert_detail,
    approve,
    assign,
    decide,
    list_alerts,
    list_users,
    reject,
)
from corridor.cases.model import ALERT_STATUSES, DECISION_KINDS
from corridor.web.errors import WebError, in_thread
from corridor.web.render import PREFIX, page
from corridor.web.session import Viewer, cases, date_field, field, posted, require

router = APIRouter(prefix=PREFIX, include_in_schema=False)
SORTS = {
    "newest": AlertSort("created_at", True),
    "oldest": AlertSort("created_at", False),
    "score": AlertSort("score", True),
    "updated": AlertSort("updated_at", True),
    "status": AlertSort("status", False),
}
PAGE_SIZE = 25
#: The status filter's choices: the queue (open, escalated, pending) or one status.
QUEUE = "queue"


def _float(value: str, name: str) -> float | None:
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        raise WebError(400, f"{name}: {value!r} is not a number.") from None
    if not 0 <= number <= 1:
        raise WebError(400, f"{name}: give a score from 0 to 1.")
    return number


@router.get("/alerts")
async def queue(
    request: Request,
    status: str = QUEUE,
    dataset: str = "",
    min_score: str = "",
    assignee: str = "*",
    text: str = "",
    sort: str = "newest",
    page_no: int = 1,
    viewer: Viewer = Depends(require("analyst")),
) -> Response:
    if status != QUEUE and status != "all" and status not in ALERT_STATUSES:
        raise WebError(400, f"status: {status!r} is not one of {', '.join(ALERT_STATUSES)}.")
    if sort not in SORTS:
        raise WebError(400, f"sort: {sort!r} is not one of {', '.join(SORTS)}.")
    if not 1 <= page_no <= 100_000:
        raise WebError(400, "page_no: out of range.")
    if len(text) > 200 or len(dataset) > 128 or len(assignee) > 64:
        raise WebError(400, "A filter is too long.")
    statuses = (
        ("open", "escalated", "pending")
        if status == QUEUE
        else None
        if status == "all"
        else (status,)
    )
    filters = AlertFilter(
        statuses=statuses,  # type: ignore[arg-type]
        dataset=dataset or None,
        min_score=_float(min_score, "min_score"),
        assignee=None if assignee == "*" else assignee,
        text=text.strip() or None,
    )
    store = cases(request)
    found = await in_thread(
        lambda: list_alerts(store, filters, SORTS[sort], PageRequest(page_no, PAGE_SIZE))
    )
    return page(
        request,
        "alerts.html",
        alerts=found,
        users=list_users(store, include_disabled=False),
        datasets=sorted(s.dataset for s in store.store.active_snapshots()),
        statuses=ALERT_STATUSES,
        sorts=list(SORTS),
        f={
            "status": status,
            "dataset": dataset,
            "min_score": min_score,
            "assignee": assignee,
            "text": text,
            "sort": sort,
        },
    )


@router.get("/alerts/{alert_id}")
async def alert(
    request: Request, alert_id: int, viewer: Viewer = Depends(require("analyst"))
) -> Response:
    store = cases(request)
    detail = await in_thread(lambda: alert_detail(store, alert_id))
    return page(
        request,
        "alert.html",
        detail=detail,
        a=detail.alert,
        kinds=DECISION_KINDS,
        users=list_users(store, include_disabled=False),
        pending=next((d for d in detail.decisions if d.approval == "pending"), None),
    )


def _back(alert_id: int) -> Response:
    return RedirectResponse(f"{PREFIX}/alerts/{alert_id}", status_code=303)


@router.post("/alerts/{alert_id}/decide")
async def decide_alert(
    request: Request, alert_id: int, viewer: Viewer = Depends(require("analyst"))
) -> Response:
    form = await posted(request, viewer)
    kind = field(form, "kind", required=True, limit=32)
    if kind not in DECISION_KINDS:
        raise WebError(400, f"kind: {kind!r} is not one of {', '.join(DECISION_KINDS)}.")
    reason = field(form, "reason", missing="A decision needs a reason: say why.")
    until = date_field(form, "suppress_until")
    await in_thread(
        lambda: decide(
            cases(request), alert_id, kind, reason, actor=viewer.user, suppress_until=until
        )
    )
    return _back(alert_id)


@router.post("/alerts/{alert_id}/approve")
async def approve_alert(
    request: Request, alert_id: int, viewer: Viewer = Depends(require("approver"))
) -> Response:
    form = await posted(request, viewer)
    reason = field(form, "reason")
    await in_thread(lambda: approve(cases(request), alert_id, actor=viewer.user, reason=reason))
    return _back(alert_id)


@router.post("/alerts/{alert_id}/reject")
async def reject_alert(
    request: Request, alert_id: int, viewer: Viewer = Depends(require("approver"))
) -> Response:
    form = await posted(request, viewer)
    reason = field(form, "reason", missing="Rejecting a decision needs a reason: say why.")
    await in_thread(lambda: reject(cases(request), alert_id, reason, actor=viewer.user))
    return _back(alert_id)


@router.post("/alerts/{alert_id}/assign")
async def assign_alert(
    request: Request, alert_id: int, viewer: Viewer = Depends(require("analyst"))
) -> Response:
    """Take an alert (``assignee`` = oneself) or, for approvers, give it to someone."""
    form = await posted(request, viewer)
    assignee = field(form, "assignee", limit=64) or None
    await in_thread(lambda: assign(cases(request), alert_id, assignee, actor=viewer.user))
    return _back(alert_id)
