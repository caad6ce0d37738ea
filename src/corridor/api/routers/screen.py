"""``POST /screen``: the trade screening contract as JSON in and out."""

from __future__ import annotations

import datetime as dt

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from corridor.api.deps import current_index, json_response, reader
from corridor.api.models import ErrorResponse
from corridor.api.state import Index, IndexHolder
from corridor.errors import CorridorError, InputError
from corridor.screening import parse_trade, screen_trade
from corridor.screening.parties import MatcherScreener, lists_in_force
from corridor.screening.results import ScreeningResult
from corridor.trade import Trade

router = APIRouter(tags=["Screening"])
#: As-of screeners kept per index (each holds an index of older snapshots).
DATED_SCREENERS = 2


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
    try:
        result = await run_in_threadpool(_screen, holder, index, trade, as_of)
    except InputError as exc:
        raise HTTPException(400, detail=str(exc)) from None
    except CorridorError as exc:
        raise HTTPException(409, detail=str(exc)) from None
    return json_response(result.model_dump(mode="json", by_alias=True), index)


def _screen(holder: IndexHolder, index: Index, trade: Trade, as_of: dt.date | None):
    """Screen against the index's lists, or those in force at an earlier date when the
    store still holds them (that screener is built once and kept with the index)."""
    when = trade.judged_on(as_of)
    lists = lists_in_force(holder.store, when)
    served = {s.id for s in index.snapshots}
    screener = index.screener
    if lists.as_of is not None and any(s.id not in served for s in lists.snapshots):
        screener = index.dated.get(lists.as_of)
        if screener is None:
            screener = MatcherScreener.from_store(holder.store, as_of=when)
            if len(index.dated) >= DATED_SCREENERS:
                index.dated.pop(next(iter(index.dated)))
            index.dated[lists.as_of] = screener
    return screen_trade(
        trade, store=holder.store, policy=index.policy, matcher=screener, as_of=when
    )
