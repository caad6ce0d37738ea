"""``POST /lists/update``: bring the lists up to date and swap the new index in.

The update runs in a worker thread; requests go on being answered from the current index
while the lists are imported and the next index is built, then the next index replaces it in
one step (:class:`corridor.screening.serving.IndexHolder`). Then the kept customers the
change affects are re-screened against the new index (``corridor.cases``), so their new
alerts are in the queue. Needs a server key or an admin's own key.
"""

from __future__ import annotations

import logging
import threading

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from corridor.api.deps import admin_writer, cases, holder, json_response, settings
from corridor.api.models import ErrorResponse, ListUpdateRequest, ListUpdateResponse
from corridor.cases import CaseStore, Operator, User
from corridor.cases.rescreen import after_list_update
from corridor.errors import CorridorError
from corridor.screening.serving import IndexHolder
from corridor.sources.update import DatasetUpdate, update_lists

router = APIRouter(tags=["Lists"])
log = logging.getLogger("corridor.api")


@router.post(
    "/lists/update",
    summary="Update the lists and swap in the new index",
    response_model=ListUpdateResponse,
    dependencies=[Depends(admin_writer)],
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
    work = _Work(h, cases(request), request.state.caller)
    if not h.update_lock.acquire(blocking=False):
        raise HTTPException(409, detail="a list update is already running; try again later")
    if not wait:
        threading.Thread(
            target=_run_locked, args=(work, body, conf.update_from), daemon=True
        ).start()
        return json_response({"status": "accepted", "updates": [], "index": None}, status=202)
    try:
        updates = await run_in_threadpool(_run, work, body, conf.update_from)
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


class _Work:
    """What an update works on: the worker's index holder, the case database, the caller."""

    def __init__(self, h: IndexHolder, cases: CaseStore, caller: User | Operator | None):
        self.holder = h
        self.cases = cases
        self.actor: User | Operator = caller if caller is not None else Operator("api")


def _run(work: _Work, body: ListUpdateRequest, from_dir) -> list[DatasetUpdate]:
    h = work.holder
    updates = update_lists(h.store, names=body.datasets, from_dir=from_dir, force=body.force)
    h.reload()
    _rescreen(work)
    return updates


def _rescreen(work: _Work) -> None:
    """Audit the new snapshots and re-screen the kept customers they affect, with the index
    just swapped in, as the caller (a server key or an admin). A failure is logged and
    leaves the update done: ``corridor rescreen`` repeats it."""
    h = work.holder
    try:
        screener = h.current.screener if h.ready else None
        done = after_list_update(work.cases, actor=work.actor, screener=screener)
    except CorridorError as exc:
        log.warning("re-screening after the list update failed: %s", exc)
        return
    if done.alerts_created:
        log.info("re-screening raised %d new alerts", len(done.alerts_created))


def _run_locked(work: _Work, body: ListUpdateRequest, from_dir) -> None:
    h = work.holder
    try:
        for u in _run(work, body, from_dir):
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
