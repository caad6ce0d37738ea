"""Bounds on what one request may ask, checked before any work is done.

The body size is checked by :class:`BodyLimit` (an ASGI middleware, so an oversized body is
refused before it is read whole); the rest by :func:`check_query`, which also turns a yente
query entity into the matcher's query and says exactly what is wrong with a bad one.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import HTTPException
from followthemoney import model

from corridor.settings import ApiSettings


class BodyLimit:
    """Refuse request bodies larger than ``max_bytes`` with 413 and a JSON message."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    size = int(value)
                except ValueError:
                    await self._refuse(send, 400, "Content-Length is not a number")
                    return
                if size > self.max_bytes:
                    await self._refuse(send, 413, self._message(size))
                    return
        seen = 0
        refused = False
        started = False

        async def counted() -> dict:
            # A body streamed without Content-Length is counted as it comes; past the limit
            # the client gets 413 at once and the app is told the client went away.
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    refused = True
                    if not started:
                        await self._refuse(send, 413, self._message(seen))
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: dict) -> None:
            nonlocal started
            if refused:
                return  # the 413 has been sent; whatever the app says now is dropped
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        await self.app(scope, counted, guarded_send)

    def _message(self, size: int) -> str:
        return (
            f"request body of {size} bytes is above the limit of {self.max_bytes} bytes "
            "(CORRIDOR_API_MAX_BODY_BYTES); send fewer queries per request"
        )

    async def _refuse(self, send: Any, status: int, detail: str) -> None:
        body = orjson.dumps({"detail": detail})
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


#: Schemata a query may have: FtM's matchable people, organisations and vehicles (vessels,
#: aircraft), the kinds corridor's lists hold.
MATCHABLE = frozenset(
    name
    for name, schema in model.schemata.items()
    if schema.matchable and (schema.is_a("LegalEntity") or schema.is_a("Vehicle"))
)
#: Properties a query may carry: those of any of these schemata, so that a ``LegalEntity``
#: (person or organisation, unknown) may give a birth date or nationality, as the
#: evaluation protocol's queries do; a name no schema has (``colour``) is refused.
QUERY_PROPERTIES = frozenset(
    prop
    for name in MATCHABLE
    for prop in model.get(name).properties  # type: ignore[union-attr]
)


def check_query(key: str, example: Any, settings: ApiSettings) -> dict[str, Any]:
    """Validate one query entity against the limits and the FtM model; return it as the
    matcher takes it (``{"schema", "properties": {prop: [values]}}``)."""
    where = f"queries.{key}"
    schema_name = example.schema_
    schema = model.get(schema_name)
    if schema is None or schema_name not in MATCHABLE:
        raise HTTPException(
            400,
            detail=f"{where}.schema: {schema_name!r} is not a matchable FtM schema; use one of "
            "Person, Company, Organization, LegalEntity, Vessel, Airplane",
        )
    props = example.properties
    if len(props) > settings.max_properties:
        raise HTTPException(
            400,
            detail=f"{where}.properties: {len(props)} properties, above the limit of "
            f"{settings.max_properties}",
        )
    out: dict[str, list[str]] = {}
    total = 0
    for prop, raw in props.items():
        if prop not in schema.properties and prop not in QUERY_PROPERTIES:
            raise HTTPException(
                400,
                detail=f"{where}.properties.{prop}: not a property of {schema_name} (nor of "
                "any person, organisation or vessel)",
            )
        values = [raw] if isinstance(raw, str) else list(raw)
        total += len(values)
        if total > settings.max_values:
            raise HTTPException(
                400,
                detail=f"{where}.properties: more than {settings.max_values} values in one query",
            )
        for value in values:
            if len(value) > settings.max_value_length:
                raise HTTPException(
                    400,
                    detail=f"{where}.properties.{prop}: a value of {len(value)} characters, "
                    f"above the limit of {settings.max_value_length}",
                )
        cleaned = [v for v in values if v.strip()]
        if cleaned:
            out[prop] = cleaned
    if not out.get("name"):
        raise HTTPException(
            400, detail=f"{where}.properties.name: a query needs at least one non-empty name"
        )
    return {"schema": schema_name, "properties": out}
