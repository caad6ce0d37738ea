"""The audit log: every record with its user, time and list versions, newest first; the
chain's check (``corridor audit verify``) at the top; the records as CSV or JSON."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from corridor.cases import audit_records, export_text, verify_chain
from corridor.cases.audit import AuditFilters
from corridor.web.errors import WebError, in_thread
from corridor.web.render import PREFIX, page
from corridor.web.session import Viewer, cases, parse_date, require

router = APIRouter(prefix=PREFIX, include_in_schema=False)
PAGE_SIZE = 50
EXPORT_LIMIT = 100_000


def _filters(action: str, actor: str, since: str) -> AuditFilters:
    """The page's filters, checked, as the audit log's query takes them."""
    if len(action) > 64 or len(actor) > 128:
        raise WebError(400, "A filter is too long.")
    return {"action": action or None, "actor": actor or None, "start": parse_date("since", since)}


@router.get("/audit")
async def audit(
    request: Request,
    action: str = "",
    actor: str = "",
    since: str = "",
    page_no: int = 1,
    viewer: Viewer = Depends(require("approver")),
) -> Response:
    filters = _filters(action, actor, since)
    if not 1 <= page_no <= 10_000:
        raise WebError(400, "page_no: out of range.")
    store = cases(request)
    found = await in_thread(
        lambda: audit_records(
            store,
            **filters,
            limit=PAGE_SIZE + 1,
            offset=(page_no - 1) * PAGE_SIZE,
            newest_first=True,
        )
    )
    check = await in_thread(lambda: verify_chain(store))
    return page(
        request,
        "audit.html",
        records=found[:PAGE_SIZE],
        check=check,
        more=len(found) > PAGE_SIZE,
        page_no=page_no,
        f={"action": action, "actor": actor, "since": since},
    )


@router.get("/audit/export")
async def export(
    request: Request,
    format: str = "csv",
    action: str = "",
    actor: str = "",
    since: str = "",
    viewer: Viewer = Depends(require("approver")),
) -> Response:
    """The records the filters select, oldest first, as a download."""
    filters = _filters(action, actor, since)
    if format not in ("csv", "json"):
        raise WebError(400, f"format: {format!r} is neither csv nor json.")
    store = cases(request)
    records = await in_thread(lambda: audit_records(store, **filters, limit=EXPORT_LIMIT))
    text = export_text(records, format)
    media = "text/csv; charset=utf-8" if format == "csv" else "application/json"
    return Response(
        text,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="corridor-audit.{format}"'},
    )
