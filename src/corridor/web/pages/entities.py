"""The entity page: the source records behind a merged entity and their history."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from corridor.web.entity_view import source_record
from corridor.web.errors import WebError
from corridor.web.render import PREFIX, page
from corridor.web.session import Viewer, current_index, holder, require

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.get("/entities/{entity_id}")
async def entity(
    request: Request, entity_id: str, viewer: Viewer = Depends(require("analyst"))
) -> Response:
    if len(entity_id) > 255:
        raise WebError(400, "The entity id is too long.")
    index = current_index(request)
    merged = index.entities.get(entity_id)
    if merged is None:
        head = index.canonical.get(entity_id)
        if head is None or head not in index.entities:
            raise WebError(404, f"No entity {entity_id!r} in the loaded lists.")
        return RedirectResponse(f"{PREFIX}/entities/{quote(head, safe='')}", status_code=303)
    store = holder(request).store
    records = await run_in_threadpool(
        lambda: [source_record(r, store) for r in index.records.get(entity_id, [])]
    )
    return page(request, "entity.html", entity=merged, records=records)
