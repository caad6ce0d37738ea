"""Health, readiness, the catalog of loaded lists and the algorithms."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from corridor.api.deps import current_index, holder, json_response, reader
from corridor.api.models import AlgorithmResponse, DataCatalogModel, ErrorResponse, StatusResponse
from corridor.api.results import ALGORITHM, feature_docs
from corridor.screening.serving import Index

router = APIRouter(tags=["System information"])


@router.get("/healthz", summary="Health check", response_model=StatusResponse)
async def healthz() -> Response:
    """The process is up (it may still be loading its index: see ``/readyz``)."""
    return json_response({"status": "ok"})


@router.get(
    "/readyz",
    summary="Index readiness check",
    response_model=StatusResponse,
    responses={503: {"model": ErrorResponse, "description": "No index is loaded yet"}},
)
async def readyz(request: Request) -> Response:
    """Ready when an index is loaded and requests can be answered."""
    h = holder(request)
    if not h.ready:
        raise HTTPException(503, detail=f"index not ready: {h.status}")
    return json_response({"status": "ok"}, h.current)


@router.get(
    "/catalog",
    summary="Loaded lists and collections",
    tags=["Data access"],
    response_model=DataCatalogModel,
    dependencies=[Depends(reader)],
    responses={503: {"model": ErrorResponse}},
)
async def catalog(index: Index = Depends(current_index)) -> Response:
    """Each loaded list (with its version: list date and file hash) and each collection
    (``default``, ``sanctions``, one per authority) with the lists it holds."""
    snaps = {s.dataset: s for s in index.snapshots}
    datasets = []
    for scope in index.scopes.values():
        if scope.collection:
            datasets.append(
                {
                    "name": scope.name,
                    "title": scope.title,
                    "load": True,
                    "version": index.version,
                    "index_version": index.version,
                    "index_current": True,
                    "entity_count": sum(snaps[d].entity_count for d in scope.datasets),
                    "children": sorted(scope.datasets),
                }
            )
            continue
        snap = snaps[scope.name]
        datasets.append(
            {
                "name": scope.name,
                "title": scope.title,
                "summary": snap.source or None,
                "load": True,
                "version": snap.version,
                "index_version": snap.version,
                "index_current": True,
                "entity_count": snap.entity_count,
                "updated_at": snap.imported_at.isoformat(),
                "children": [],
            }
        )
    return json_response(
        {
            "datasets": datasets,
            "current": sorted(s.name for s in index.scopes.values()),
            "outdated": [],
            "index_stale": False,
        },
        index,
    )


@router.get("/algorithms", summary="Matching algorithms", response_model=AlgorithmResponse)
async def algorithms() -> Response:
    """corridor has one matching algorithm; ``best`` and ``default`` name it, and so do
    yente's algorithm names, so that a yente client's choice is answered."""
    docs = feature_docs()
    return json_response(
        {
            "algorithms": [
                {
                    "name": ALGORITHM,
                    "description": "Multilingual name alignment part by part, weighted by "
                    "rarity, with birth date, country, identifier and schema qualifiers; "
                    "every score explained.",
                    "features": docs,
                    "docs": docs,
                }
            ],
            "default": ALGORITHM,
            "best": ALGORITHM,
        }
    )
