"""yente's result filters (datasets, schemata, topics, entity ids, changed since) applied to
corridor's ranked results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fastapi import HTTPException

from corridor.matching import MatchResult
from corridor.screening.scopes import Scope
from corridor.screening.serving import Index


def parse_since(value: str | None) -> datetime | None:
    """``changed_since`` as an aware time, or 400 naming the parameter."""
    if value is None or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise HTTPException(
            400, detail=f"changed_since: {value!r} is not a date; use YYYY-MM-DD[Thh:mm:ss]"
        ) from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


@dataclass(frozen=True)
class ResultFilter:
    """Which results a request keeps."""

    datasets: frozenset[str]
    narrowed: bool
    exclude_schema: frozenset[str]
    topics: frozenset[str]
    exclude_ids: frozenset[str]
    since: str | None

    @classmethod
    def make(
        cls,
        index: Index,
        scope: Scope,
        include_dataset: Sequence[str],
        exclude_dataset: Sequence[str],
        exclude_schema: Sequence[str],
        topics: Sequence[str],
        exclude_entity_ids: Sequence[str],
        since: datetime | None,
    ) -> ResultFilter:
        datasets = set(scope.datasets)
        if include_dataset:
            datasets &= set(include_dataset)
        datasets -= set(exclude_dataset)
        everything = {s.dataset for s in index.snapshots}
        return cls(
            datasets=frozenset(datasets),
            narrowed=datasets != everything,
            exclude_schema=frozenset(exclude_schema),
            topics=frozenset(topics),
            exclude_ids=frozenset(exclude_entity_ids),
            since=since.astimezone(UTC).isoformat(timespec="seconds") if since else None,
        )

    @property
    def passes_all(self) -> bool:
        return not (
            self.narrowed or self.exclude_schema or self.topics or self.exclude_ids or self.since
        )

    def keep(self, result: MatchResult, entity: dict[str, Any] | None) -> bool:
        """Whether ``result`` (with its merged ``entity`` as the index shows it) stays."""
        if self.passes_all:
            return True
        entity = entity or {}
        if self.narrowed and not self.datasets.intersection(result.datasets):
            return False
        if result.schema in self.exclude_schema:
            return False
        if self.topics and not self.topics.intersection(result.topics):
            return False
        if self.exclude_ids and (
            result.id in self.exclude_ids
            or self.exclude_ids.intersection(result.source_ids)
            or self.exclude_ids.intersection(entity.get("referents", ()))
        ):
            return False
        first_seen = entity.get("first_seen")
        return not (self.since and (first_seen is None or first_seen < self.since))
