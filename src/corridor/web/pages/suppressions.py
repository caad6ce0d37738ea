"""Suppressions ("good guys"): decided false positives kept out of the queue for one
subject and one list entry. Shown by state; approvers revoke them or set their expiry,
each change audited by the case package."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from corridor.cases import list_suppressions, revoke_suppression, set_expiry
from corridor.store.list_dates import as_utc
from corridor.web.errors import WebError, in_thread
from corridor.web.render import PREFIX, page
from corridor.web.session import Viewer, cases, date_field, field, posted, require

router = APIRouter(prefix=PREFIX, include_in_schema=False)
STATES = ("active", "expired", "revoked", "lifted")


@router.get("/suppressions")
async def suppressions(
    request: Request, state: str = "active", viewer: Viewer = Depends(require("analyst"))
) -> Response:
    if state not in STATES and state != "all":
        raise WebError(400, f"state: {state!r} is not one of {', '.join(STATES)} or all.")
    store = cases(request)
    found = await in_thread(
        lambda: list_suppressions(store, state=None if state == "all" else state)  # type: ignore[arg-type]
    )
    now = as_utc(store.now())
    return page(
        request,
        "suppressions.html",
        items=[(s, s.state(now)) for s in found],
        state=state,
        states=STATES,
    )


def _back() -> Response:
    return RedirectResponse(f"{PREFIX}/suppressions", status_code=303)


@router.post("/suppressions/{suppression_id}/revoke")
async def revoke(
    request: Request, suppression_id: int, viewer: Viewer = Depends(require("approver"))
) -> Response:
    form = await posted(request, viewer)
    reason = field(form, "reason", missing="Revoking a suppression needs a reason: say why.")
    await in_thread(
        lambda: revoke_suppression(cases(request), suppression_id, reason, actor=viewer.user)
    )
    return _back()


@router.post("/suppressions/{suppression_id}/expiry")
async def expiry(
    request: Request, suppression_id: int, viewer: Viewer = Depends(require("approver"))
) -> Response:
    form = await posted(request, viewer)
    when = date_field(form, "expires_at")
    await in_thread(lambda: set_expiry(cases(request), suppression_id, when, actor=viewer.user))
    return _back()
