"""Request and response models of the HTTP API, in one place (yente's shapes).

The request models validate what comes in. The response models document what goes out (they
make the OpenAPI spec); on the hot paths the routers write the same shapes as plain dicts
straight to JSON instead of building these objects, and tests check real answers against
the spec.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

EntityProperties = dict[str, list[Any]]


class ErrorResponse(BaseModel):
    detail: str = Field(..., examples=["queries.q1.schema: unknown schema 'Persn'"])


class StatusResponse(BaseModel):
    status: str = Field("ok", examples=["ok"])


class TotalSpec(BaseModel):
    value: int = Field(..., examples=[3])
    relation: Literal["eq", "gte"] = "eq"


class EntityResponse(BaseModel):
    """A listed entity, merged across lists: ``referents`` are the source ids (and the ids of
    the other records merged into it)."""

    model_config = ConfigDict(populate_by_name=True)

    id: str = Field(..., examples=["us-ofac-sdn-15582"])
    caption: str = Field(..., examples=["AL-QA'IDA"])
    schema_: str = Field(..., alias="schema", examples=["Organization"])
    properties: EntityProperties = Field(..., examples=[{"name": ["AL-QA'IDA"]}])
    datasets: list[str] = Field(default_factory=list, examples=[["us_ofac_sdn"]])
    referents: list[str] = Field(default_factory=list, examples=[["us_ofac_sdn:15582"]])
    target: bool = True
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    last_change: datetime | None = None


class EntityRecordsResponse(EntityResponse):
    """``GET /entities/{id}``: the merged entity and the source records behind it."""

    records: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Each list record merged into this entity, as FtM JSON with its dataset "
        "and source id (referents).",
    )


class FeatureExplanation(BaseModel):
    score: float
    detail: str | None = None
    query: str | None = None
    candidate: str | None = None
    weight: float | None = None


class ScoredEntityResponse(EntityResponse):
    score: float = Field(..., examples=[0.93])
    match: bool = Field(..., description="The score reaches the request's threshold.")
    features: dict[str, float] = Field(
        ..., description="The name score and each feature that fired, by name (yente's form)."
    )
    explanations: dict[str, FeatureExplanation] = Field(
        default_factory=dict, description="Per feature: its value, what it says, its weight."
    )
    explanation: dict[str, Any] = Field(
        default_factory=dict,
        description="corridor's explanation: which name part met which (similarity, "
        "weight), the parts left over, every feature and the threshold.",
    )
    source_ids: list[str] = Field(default_factory=list, examples=[["us_ofac_sdn:15582"]])


class EntityExample(BaseModel):
    """A query entity: an FtM schema and properties (a value or a list of values)."""

    model_config = ConfigDict(populate_by_name=True)

    id: str | None = Field(None, examples=["customer-17"])
    schema_: str = Field(..., alias="schema", examples=["Person"])
    properties: dict[str, str | list[str]] = Field(
        ..., examples=[{"name": ["Sergey Zhukov"], "birthDate": ["1966-09-08"]}]
    )


class EntityMatchQuery(BaseModel):
    queries: dict[str, EntityExample] = Field(
        ...,
        examples=[
            {
                "q1": {
                    "schema": "Person",
                    "properties": {"name": ["Sergey Zhukov"], "nationality": ["ru"]},
                }
            }
        ],
    )
    weights: dict[str, float] = Field(
        default_factory=dict, description="Not supported: corridor's weights are fixed."
    )
    config: dict[str, Any] = Field(
        default_factory=dict, description="Not supported: corridor's algorithm has no options."
    )


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: EntityExample


class FeatureDoc(BaseModel):
    description: str
    coefficient: float
    url: str | None = None


class EntityMatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int


class SearchFacetItem(BaseModel):
    name: str
    label: str
    count: int


class SearchFacet(BaseModel):
    label: str
    values: list[SearchFacetItem]


class SearchResponse(BaseModel):
    limit: int
    offset: int = 0
    total: TotalSpec
    results: list[EntityResponse]
    facets: dict[str, SearchFacet]


class DatasetModel(BaseModel):
    name: str
    title: str
    summary: str | None = None
    url: str | None = None
    load: bool = True
    version: str
    index_version: str | None = None
    index_current: bool = True
    entity_count: int | None = None
    updated_at: datetime | None = None
    children: list[str] = Field(default_factory=list)


class DataCatalogModel(BaseModel):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str]
    index_stale: bool = False


class Algorithm(BaseModel):
    name: str
    description: str | None = None
    features: dict[str, FeatureDoc]
    docs: dict[str, FeatureDoc]


class AlgorithmResponse(BaseModel):
    algorithms: list[Algorithm]
    default: str
    best: str


class ListUpdateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    datasets: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Only these datasets (default: every dataset of the configured source).",
        examples=[["us_ofac_sdn"]],
    )
    force: bool = Field(False, description="Import unchanged files too.")


class DatasetUpdateModel(BaseModel):
    dataset: str
    status: Literal["imported", "unchanged", "failed"]
    version: str | None = None
    entities: int | None = None
    error: str | None = None


class ListUpdateResponse(BaseModel):
    status: Literal["ok", "accepted"]
    updates: list[DatasetUpdateModel] = Field(default_factory=list)
    index: str | None = Field(None, description="The index now served by this worker.")
