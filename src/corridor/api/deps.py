"""What routers take from the app: the settings, the index holder, the current index.

The dependencies are ``async``: FastAPI runs a plain function dependency in a worker thread,
and that hop cost more than the rest of a small request.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import HTTPException, Request
from fastapi.responses import Response

from corridor.api.auth import Caller, check_key
from corridor.cases import CaseStore, shared_case_store
from corridor.screening.serving import Index, IndexHolder, NotReady
from corridor.settings import ApiSettings

INDEX_HEADER = "X-Corridor-Index"


def holder(request: Request) -> IndexHolder:
    return request.app.state.holder


def settings(request: Request) -> ApiSettings:
    return request.app.state.settings


async def current_index(request: Request) -> Index:
    """The index this request is answered from (taken once), or 503 while none is ready."""
    try:
        return request.app.state.holder.current
    except NotReady as exc:
        raise HTTPException(503, detail=str(exc), headers={"Retry-After": "5"}) from None


def cases(request: Request) -> CaseStore:
    """The case database beside the lists: where per-user API keys are checked and recorded
    alerts go."""
    return shared_case_store(request.app.state, request.app.state.holder.store)


def caller(request: Request, *, write: bool, role: str = "analyst") -> Caller:
    """Check the request's key (server or per-user) and return who it is."""
    return check_key(
        request.app.state.settings,
        request,
        write=write,
        cases=lambda: cases(request),
        role=role,  # type: ignore[arg-type]
    )


async def reader(request: Request) -> None:
    """Reads: open, or keyed when ``CORRIDOR_API_READ_KEY`` is on."""
    request.state.caller = caller(request, write=False)


async def writer(request: Request) -> None:
    """Writes and work: always keyed."""
    request.state.caller = caller(request, write=True)


async def admin_writer(request: Request) -> None:
    """Work on the lists: a server key, or an admin's own key."""
    request.state.caller = caller(request, write=True, role="admin")


def recorder(request: Request) -> Caller:
    """Who records alerts when a request asks to (``?record=true``): it needs a key."""
    return caller(request, write=True)


def wants_record(request: Request) -> bool:
    """``?record=true`` (or 1, yes, on): keep the subject and put its hits in the queue."""
    value = request.query_params.get("record", "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise HTTPException(400, detail=f"record: {value!r} is not true or false")


def json_response(data: Any, index: Index | None = None, status: int = 200) -> Response:
    """JSON written by orjson straight from dicts (no model validation on the way out)."""
    headers = {INDEX_HEADER: index.version} if index is not None else None
    return Response(
        orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )
