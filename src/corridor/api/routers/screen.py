"""``POST /screen``: the trade screening contract as JSON in and out."""

from __future__ import annotations

import datetime as dt

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from corridor.api.deps import cases, current_index, json_response, reader, recorder, wants_record
from corridor.api.models import ErrorResponse
from corridor.cases import record_screening
from corridor.errors import CorridorError, InputError
from corridor.screening import parse_trade
from corridor.screening.results import ScreeningResult
from corridor.screening.serving import Index, IndexHolder, screen_with_index

router = APIRouter(tags=["Screening"])


@router.post(
    "/screen",
    summary="Screen a trade",
    response_model=ScreeningResult,
    dependencies=[Depends(reader)],
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/Trade"},
                    "example": {
                        "date": "2024-08-16",
                        "currency": "USD",
                        "parties": [
                            {
                                "role": "exporter",
                                "name": "Example Trading TOO",
                                "schema": "Company",
                                "country": "kz",
                            },
                            {
                                "role": "importer",
                                "name": "OOO Example",
                                "schema": "Company",
                                "country": "ru",
                            },
                        ],
                        "goods": [
                            {
                                "hs_code": "854231",
                                "description": "microcontrollers",
                                "origin": "us",
                                "us_content_pct": 100,
                            }
                        ],
                        "route": [{"country": "kz"}, {"country": "ru"}],
                    },
                }
            },
        }
    },
    responses={
        400: {"model": ErrorResponse, "description": "The trade is not valid"},
        413: {"model": ErrorResponse, "description": "Request body too large"},
        503: {"model": ErrorResponse, "description": "No index loaded yet"},
    },
)
async def screen(
    request: Request,
    as_of: dt.date | None = Query(
        None, description="Screen as of this date instead of the trade's date (YYYY-MM-DD)."
    ),
    record: str | None = Query(
        None,
        max_length=8,
        description="true: keep the parties as screened subjects and put their hits in the "
        "alert queue (needs an API key; a user's key names the user).",
    ),
    reference: str = Query("", max_length=255, description="Your id for the trade."),
    index: Index = Depends(current_index),
) -> Response:
    """Screen one trade (parties, owners and vessels against the lists; goods and route
    against the policy; nexus per party and regime) and return the verdict with every
    finding and its citation: the contract of docs/screening.md, the same JSON as
    `corridor screen --json`."""
    raw = await request.body()
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise HTTPException(400, detail=f"body: malformed JSON ({exc})") from None
    try:
        trade = parse_trade(data, source="body")
    except InputError as exc:
        raise HTTPException(400, detail=str(exc)) from None
    holder: IndexHolder = request.app.state.holder
    actor = recorder(request) if wants_record(request) else None
    try:
        result = await run_in_threadpool(screen_with_index, holder.store, index, trade, as_of)
    except InputError as exc:
        raise HTTPException(400, detail=str(exc)) from None
    except CorridorError as exc:
        raise HTTPException(409, detail=str(exc)) from None
    if actor is not None:
        await run_in_threadpool(
            record_screening,
            cases(request),
            trade,
            result,
            actor=actor,
            reference=reference,
        )
    return json_response(result.model_dump(mode="json", by_alias=True), index)
