"""``POST /match/{dataset}``: yente's query-by-example matcher, answered by corridor's."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from corridor.api.deps import (
    cases,
    current_index,
    json_response,
    reader,
    recorder,
    settings,
    wants_record,
)
from corridor.api.filters import ResultFilter, parse_since
from corridor.api.limits import check_query
from corridor.api.models import EntityMatchQuery, EntityMatchResponse, ErrorResponse
from corridor.api.params import Param, openapi_parameters, parse_params
from corridor.api.results import ALGORITHM, feature_docs, scored_entity
from corridor.cases import Operator, record_matches
from corridor.errors import InputError
from corridor.matching import DEFAULT_THRESHOLD
from corridor.screening.serving import Index

router = APIRouter(tags=["Matching"])

#: Algorithm names a request may give: corridor's, yente's aliases for "the recommended
#: one", and yente's own algorithm names (answered by corridor's, as ``/algorithms`` says).
ALGORITHM_NAMES = frozenset(
    {
        ALGORITHM,
        "best",
        "default",
        "logic-v1",
        "logic-v2",
        "name-based",
        "name-qualified",
        "regression-v1",
        "regression-v2",
        "ofac-249",
    }
)
#: yente drops candidates below this score unless the request says otherwise.
DEFAULT_CUTOFF = 0.5
PATH_DATASET = Path(
    ...,
    description="A loaded dataset (us_ofac_sdn …) or a collection: default (everything), "
    "sanctions, or an authority (us, eu, uk, un, kz). See /catalog.",
    examples=["default"],
)


#: The query parameters of ``/match``, yente's (read by :func:`parse_params`).
MATCH_PARAMS = (
    Param("limit", int, 5, "Results per query.", 1, 100),
    Param(
        "threshold",
        float,
        DEFAULT_THRESHOLD,
        "Score at which `match` is true (corridor's alert threshold by default).",
        0.0,
        1.0,
    ),
    Param("cutoff", float, DEFAULT_CUTOFF, "Results scored below are left out.", 0.0, 1.0),
    Param("algorithm", str, ALGORITHM, "See /algorithms; yente's names are accepted."),
    Param("include_dataset", list, [], "Only results from these datasets.", max_length=50),
    Param("exclude_dataset", list, [], "No results from these datasets.", max_length=50),
    Param("exclude_schema", list, [], "No results of these schemata.", max_length=50),
    Param("topics", list, [], "Only results with one of these topics.", max_length=50),
    Param(
        "changed_since",
        str,
        None,
        "Only entities first seen on or after this date (YYYY-MM-DD[Thh:mm:ss]).",
        max_length=32,
    ),
    Param(
        "exclude_entity_ids",
        list,
        [],
        "Entity ids, record ids or source ids to leave out.",
        max_length=50,
    ),
    Param(
        "record",
        str,
        None,
        "true: keep each query as a screened subject and put its matches in the alert queue "
        "(needs an API key; a user's key names the user).",
        max_length=8,
    ),
    Param("reference", str, None, "Your id for the subject (a customer number).", max_length=255),
)


@router.post(
    "/match/{dataset}",
    summary="Query by example matcher",
    response_model=EntityMatchResponse,
    dependencies=[Depends(reader)],
    openapi_extra={"parameters": openapi_parameters(MATCH_PARAMS)},
    responses={
        400: {"model": ErrorResponse, "description": "Invalid query"},
        404: {"model": ErrorResponse, "description": "Unknown dataset or collection"},
        413: {"model": ErrorResponse, "description": "Request body too large"},
        503: {"model": ErrorResponse, "description": "No index loaded yet"},
    },
)
async def match(
    request: Request,
    body: EntityMatchQuery,
    dataset: str = PATH_DATASET,
    index: Index = Depends(current_index),
) -> Response:
    """Match each query entity (an FtM schema and properties) against the lists of the
    dataset scope. Each result is a listed entity merged across lists with its score,
    `match` at the request's threshold, yente's `features`, and corridor's `explanation`
    (which name part met which). Body and answer have yente's shape; `threshold`
    defaults to corridor's alert threshold (0.8)."""
    conf = settings(request)
    params = parse_params(request, MATCH_PARAMS)
    limit, threshold = params["limit"], params["threshold"]
    cutoff = min(params["cutoff"], threshold)  # as yente: a match is never cut off
    algorithm = params["algorithm"]
    if algorithm not in ALGORITHM_NAMES:
        raise HTTPException(
            400,
            detail=f"algorithm: unknown {algorithm!r}; corridor's is {ALGORITHM!r} "
            "(see /algorithms)",
        )
    for key in body.config:
        raise HTTPException(
            400, detail=f"config.{key}: corridor's algorithm takes no configuration"
        )
    for key in body.weights:
        raise HTTPException(
            400, detail=f"weights.{key}: corridor's feature weights are fixed (see /algorithms)"
        )
    if not body.queries:
        raise HTTPException(400, detail="queries: give at least one query entity")
    if len(body.queries) > conf.max_queries:
        raise HTTPException(
            400,
            detail=f"queries: {len(body.queries)} queries, above the limit of "
            f"{conf.max_queries} per request (CORRIDOR_API_MAX_QUERIES)",
        )
    limit = min(limit, conf.max_limit)
    scope = index.scope(dataset)
    if scope is None:
        raise HTTPException(404, detail=_unknown_scope(dataset, index))
    since: datetime | None = parse_since(params["changed_since"])
    filt = ResultFilter.make(
        index,
        scope,
        params["include_dataset"],
        params["exclude_dataset"],
        params["exclude_schema"],
        params["topics"],
        params["exclude_entity_ids"],
        since,
    )
    checked = {key: check_query(key, q, conf) for key, q in body.queries.items()}
    record = wants_record(request)
    actor = recorder(request) if record else None
    matcher = index.matcher
    fetch = limit if filt.passes_all else min(100, limit * 4 + 10)
    responses = {}
    # The request's queries prepared together (as corridor match prepares a block), each
    # one's error found before any is matched or recorded.
    prepared = matcher.prepare_block(list(checked.values()))
    for key, pq in zip(checked, prepared, strict=True):
        if isinstance(pq, InputError):
            raise HTTPException(400, detail=f"queries.{key}: {pq.message}")
    for (key, query), pq in zip(checked.items(), prepared, strict=True):
        found = matcher.match(pq, limit=fetch)
        kept = [r for r in found if r.score >= cutoff and filt.keep(r, index.entities.get(r.id))]
        if record:
            reference = params["reference"] or (body.queries[key].id or "")
            await run_in_threadpool(
                record_matches,
                cases(request),
                query,
                [r for r in kept if r.score >= threshold],
                actor=actor or Operator("api"),
                reference=reference,
            )
        total = len(kept)
        results = [scored_entity(index, r, threshold) for r in kept[:limit]]
        example = body.queries[key]
        responses[key] = {
            "status": 200,
            "results": results,
            "total": {"value": total, "relation": "gte" if len(found) >= fetch else "eq"},
            "query": {
                "id": example.id,
                "schema": query["schema"],
                "properties": query["properties"],
            },
        }
    return json_response({"responses": responses, "matcher": feature_docs(), "limit": limit}, index)


def _unknown_scope(name: str, index: Index) -> str:
    known = ", ".join(sorted(index.scopes))
    return f"dataset {name!r} is not loaded here; use one of: {known}"
