"""Search the lists by a name in any script; each result says why it scored what it did:
which part of the name typed met which part of the listed name, and the other evidence."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from corridor.errors import InputError
from corridor.matching import MatchResult
from corridor.screening.serving import Index
from corridor.web.errors import WebError
from corridor.web.render import PREFIX, page
from corridor.web.session import Viewer, current_index, require

router = APIRouter(prefix=PREFIX, include_in_schema=False)
SCHEMAS = ("LegalEntity", "Person", "Organization", "Company", "Vessel")
MAX_QUERY = 300
RESULTS = 25


def search_results(index: Index, q: str, schema: str, scope: str) -> list[MatchResult]:
    """The best matches of the name in ``scope``, best first (the matcher's own order)."""
    chosen = index.scope(scope)
    if chosen is None:
        raise WebError(400, f"Unknown list scope {scope!r}.")
    query = {"schema": schema, "properties": {"name": [q]}}
    try:
        found = index.matcher.match(query, limit=100)
    except InputError as exc:
        raise WebError(400, f"The name cannot be searched: {exc.message}") from None
    return [r for r in found if set(r.datasets) & chosen.datasets][:RESULTS]


@router.get("/search")
async def search(
    request: Request,
    q: str = "",
    schema: str = "LegalEntity",
    scope: str = "default",
    viewer: Viewer = Depends(require("analyst")),
) -> Response:
    q = q.strip()
    if len(q) > MAX_QUERY:
        raise WebError(400, f"The name is longer than {MAX_QUERY} characters.")
    if schema not in SCHEMAS:
        raise WebError(400, f"Unknown kind {schema!r}: use one of {', '.join(SCHEMAS)}.")
    index = current_index(request)
    results: list[MatchResult] = []
    if q:
        results = await run_in_threadpool(search_results, index, q, schema, scope)
    scopes: list[Any] = sorted(index.scopes.values(), key=lambda s: (not s.collection, s.name))
    return page(
        request,
        "search.html",
        q=q,
        schema=schema,
        scope=scope,
        schemas=SCHEMAS,
        scopes=scopes,
        results=results,
    )
