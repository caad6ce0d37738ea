"""What routers take from the app: the settings, the index holder, the current index.

The dependencies are ``async``: FastAPI runs a plain function dependency in a worker thread,
and that hop cost more than the rest of a small request.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import HTTPException, Request
from fastapi.responses import Response

from corridor.api.auth import check_key
from corridor.api.state import Index, IndexHolder, NotReady
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


async def reader(request: Request) -> None:
    """Reads: open, or keyed when ``CORRIDOR_API_READ_KEY`` is on."""
    check_key(request.app.state.settings, request, write=False)


async def writer(request: Request) -> None:
    """Writes and work: always keyed."""
    check_key(request.app.state.settings, request, write=True)


def json_response(data: Any, index: Index | None = None, status: int = 200) -> Response:
    """JSON written by orjson straight from dicts (no model validation on the way out)."""
    headers = {INDEX_HEADER: index.version} if index is not None else None
    return Response(
        orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )
