"""``GET /search/{dataset}``: find listed entities by a name, yente's search shape."""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

from corridor.api.deps import current_index, json_response, reader
from corridor.api.filters import ResultFilter, parse_since
from corridor.api.limits import MATCHABLE
from corridor.api.models import ErrorResponse, SearchResponse
from corridor.api.routers.match import PATH_DATASET, _unknown_scope
from corridor.countries import ftm_country
from corridor.errors import InputError
from corridor.screening.serving import Index

router = APIRouter(tags=["Matching"])
FACETS = ("countries", "topics", "datasets")
FACET_LABELS = {"countries": "Countries", "topics": "Topics", "datasets": "Data sources"}
COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "birthCountry")


@router.get(
    "/search/{dataset}",
    summary="Search listed entities by name",
    response_model=SearchResponse,
    dependencies=[Depends(reader)],
    responses={
        400: {"model": ErrorResponse, "description": "Invalid query"},
        404: {"model": ErrorResponse, "description": "Unknown dataset or collection"},
        503: {"model": ErrorResponse, "description": "No index loaded yet"},
    },
)
async def search(
    dataset: str = PATH_DATASET,
    q: str = Query("", max_length=500, description="A name, in any script."),
    schema: str = Query("LegalEntity", max_length=64, description="FtM schema of the name."),
    countries: list[str] = Query([], max_length=20, description="Country or nationality."),
    include_dataset: list[str] = Query([], max_length=50),
    exclude_dataset: list[str] = Query([], max_length=50),
    exclude_schema: list[str] = Query([], max_length=50),
    topics: list[str] = Query([], max_length=50),
    changed_since: str | None = Query(None, max_length=32),
    limit: int = Query(10, ge=0, le=100),
    offset: int = Query(0, ge=0, le=100),
    index: Index = Depends(current_index),
) -> Response:
    """The listed entities whose names best match `q` (fuzzy, multilingual), best first,
    with facets over countries, topics and datasets. corridor searches names only: there is
    no full-text search over other properties, and `q` is required."""
    scope = index.scope(dataset)
    if scope is None:
        raise HTTPException(404, detail=_unknown_scope(dataset, index))
    if not q.strip():
        raise HTTPException(400, detail="q: give a name to search for")
    if schema not in MATCHABLE:
        raise HTTPException(400, detail=f"schema: {schema!r} is not a matchable FtM schema")
    filt = ResultFilter.make(
        index,
        scope,
        include_dataset,
        exclude_dataset,
        exclude_schema,
        topics,
        [],
        parse_since(changed_since),
    )
    props: dict[str, list[str]] = {"name": [q]}
    if countries:
        props["country"] = countries
    try:
        found = index.matcher.match({"schema": schema, "properties": props}, limit=100)
    except InputError as exc:
        raise HTTPException(400, detail=f"q: {exc.message}") from None
    kept = [
        index.entities[r.id]
        for r in found
        if r.id in index.entities and filt.keep(r, index.entities.get(r.id))
    ]
    if countries:
        wanted = {ftm_country(c) or c.lower() for c in countries}
        kept = [e for e in kept if wanted & set(_countries(index, e["id"]))]
    page = kept[offset : offset + limit]
    return json_response(
        {
            "limit": limit,
            "offset": offset,
            "total": {"value": len(kept), "relation": "eq"},
            "results": page,
            "facets": _facets(index, kept),
        },
        index,
    )


def _countries(index: Index, entity_id: str) -> list[str]:
    out: list[str] = []
    for record in index.records.get(entity_id, ()):
        for prop in COUNTRY_PROPS:
            out += [c.lower() for c in record["properties"].get(prop, ())]
    return out


def _facets(index: Index, entities: list[dict]) -> dict:
    counts: dict[str, Counter] = {f: Counter() for f in FACETS}
    for e in entities:
        counts["datasets"].update(e["datasets"])
        counts["countries"].update(set(_countries(index, e["id"])))
        topics = {
            t for r in index.records.get(e["id"], ()) for t in r["properties"].get("topics", ())
        }
        counts["topics"].update(topics)
    return {
        f: {
            "label": FACET_LABELS[f],
            "values": [
                {"name": name, "label": name, "count": n} for name, n in counts[f].most_common(30)
            ],
        }
        for f in FACETS
    }
