"""``POST /lists/update``: bring the lists up to date and swap the new index in.

The update runs in a worker thread; requests go on being answered from the current index
while the lists are imported and the next index is built, then the next index replaces it in
one step (:class:`corridor.api.state.IndexHolder`). Needs an API key.
"""

from __future__ import annotations

import logging
import threading

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from corridor.api.deps import holder, json_response, settings, writer
from corridor.api.models import ErrorResponse, ListUpdateRequest, ListUpdateResponse
from corridor.api.state import IndexHolder
from corridor.errors import CorridorError
from corridor.sources.update import DatasetUpdate, update_lists

router = APIRouter(tags=["Lists"])
log = logging.getLogger("corridor.api")


@router.post(
    "/lists/update",
    summary="Update the lists and swap in the new index",
    response_model=ListUpdateResponse,
    dependencies=[Depends(writer)],
    responses={
        202: {"model": ListUpdateResponse, "description": "Started (wait=false)"},
        400: {"model": ErrorResponse, "description": "Unknown dataset or bad source"},
        401: {"model": ErrorResponse, "description": "No API key"},
        403: {"model": ErrorResponse, "description": "Wrong API key, or none configured"},
        409: {"model": ErrorResponse, "description": "An update is already running"},
    },
)
async def update(
    request: Request,
    body: ListUpdateRequest | None = None,
    wait: bool = Query(True, description="Answer when done (else 202 at once)."),
) -> Response:
    """Download the official lists (or read the server's configured mirror directory,
    `CORRIDOR_API_UPDATE_FROM`), import what changed, and swap the new index in without
    failing or mixing any request meanwhile. Other workers follow within
    `CORRIDOR_API_RELOAD_SECONDS`."""
    h = holder(request)
    conf = settings(request)
    body = body or ListUpdateRequest()
    if not h.update_lock.acquire(blocking=False):
        raise HTTPException(409, detail="a list update is already running; try again later")
    if not wait:
        threading.Thread(target=_run_locked, args=(h, body, conf.update_from), daemon=True).start()
        return json_response({"status": "accepted", "updates": [], "index": None}, status=202)
    try:
        updates = await run_in_threadpool(_run, h, body, conf.update_from)
    except CorridorError as exc:
        raise HTTPException(400, detail=str(exc)) from None
    finally:
        h.update_lock.release()
    index = h.current if h.ready else None
    return json_response(
        {
            "status": "ok",
            "updates": [_update_dict(u) for u in updates],
            "index": index.version if index else None,
        },
        index,
    )


def _run(h: IndexHolder, body: ListUpdateRequest, from_dir) -> list[DatasetUpdate]:
    updates = update_lists(h.store, names=body.datasets, from_dir=from_dir, force=body.force)
    h.reload()
    return updates


def _run_locked(h: IndexHolder, body: ListUpdateRequest, from_dir) -> None:
    try:
        for u in _run(h, body, from_dir):
            if u.failed:
                log.warning("list update: %s failed: %s", u.dataset, u.error)
    except CorridorError as exc:
        log.warning("list update refused: %s", exc)
    except Exception:  # a background thread: nobody else would see it
        log.exception("list update failed")
    finally:
        h.update_lock.release()


def _update_dict(u: DatasetUpdate) -> dict:
    return {
        "dataset": u.dataset,
        "status": u.status.value,
        "version": u.snapshot.version if u.snapshot else None,
        "entities": u.snapshot.entity_count if u.snapshot else None,
        "error": u.error,
    }
