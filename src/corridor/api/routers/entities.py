"""``GET /entities/{id}``: one listed entity, merged across lists, with its source records."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import RedirectResponse, Response

from corridor.api.deps import current_index, json_response, reader
from corridor.api.models import EntityRecordsResponse, ErrorResponse
from corridor.screening.serving import Index

router = APIRouter(tags=["Data access"])


@router.get(
    "/entities/{entity_id}",
    summary="Retrieve an entity",
    response_model=EntityRecordsResponse,
    dependencies=[Depends(reader)],
    responses={
        308: {"description": "The id is a record merged into another entity: go there"},
        404: {"model": ErrorResponse, "description": "No such entity"},
        503: {"model": ErrorResponse, "description": "No index loaded yet"},
    },
)
async def fetch_entity(
    entity_id: str = Path(..., max_length=255, examples=["us-ofac-sdn-15582"]),
    nested: bool = Query(
        True, description="Accepted for yente clients; there are no adjacent entities to nest."
    ),
    index: Index = Depends(current_index),
) -> Response:
    """The merged entity: properties of every record, its datasets and referents (source
    ids), and `records`, the list records themselves as FtM JSON. The id of a record merged
    into another entity, or a source id (`us_ofac_sdn:15582`), redirects (308) to it."""
    entity = index.entities.get(entity_id)
    if entity is None:
        head = index.canonical.get(entity_id)
        if head is None:
            raise HTTPException(404, detail=f"no entity {entity_id!r} in the loaded lists")
        return RedirectResponse(
            f"/entities/{quote(head, safe='')}",
            status_code=308,
            headers={"X-Corridor-Index": index.version},
        )
    return json_response({**entity, "records": index.records.get(entity_id, [])}, index)


@router.get(
    "/entities/{entity_id}/adjacent",
    summary="Entities linked to an entity",
    dependencies=[Depends(reader)],
    responses={404: {"model": ErrorResponse, "description": "No such entity"}},
)
async def adjacent(
    entity_id: str = Path(..., max_length=255),
    limit: int = Query(10, ge=0, le=500),
    offset: int = Query(0, ge=0, le=10_000),
    index: Index = Depends(current_index),
) -> Response:
    """yente's adjacency map. corridor's lists hold no links between entities (owners,
    sanctions, addresses as entities), so the map is empty: the entity comes back alone."""
    entity = _entity_or_404(index, entity_id)
    return json_response({"entity": entity, "adjacent": {}}, index)


@router.get(
    "/entities/{entity_id}/adjacent/{prop}",
    summary="Entities linked to an entity through one property",
    dependencies=[Depends(reader)],
    responses={404: {"model": ErrorResponse, "description": "No such entity"}},
)
async def adjacent_property(
    entity_id: str = Path(..., max_length=255),
    prop: str = Path(..., max_length=64),
    limit: int = Query(10, ge=0, le=500),
    offset: int = Query(0, ge=0, le=10_000),
    index: Index = Depends(current_index),
) -> Response:
    """Always empty in corridor (see ``/entities/{id}/adjacent``)."""
    _entity_or_404(index, entity_id)
    return json_response(
        {"results": [], "total": {"value": 0, "relation": "eq"}, "limit": limit, "offset": offset},
        index,
    )


def _entity_or_404(index: Index, entity_id: str) -> dict:
    head = entity_id if entity_id in index.entities else index.canonical.get(entity_id)
    if head is None or head not in index.entities:
        raise HTTPException(404, detail=f"no entity {entity_id!r} in the loaded lists")
    return index.entities[head]
