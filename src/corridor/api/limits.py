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

        async def counted() -> dict:
            nonlocal seen, refused
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    refused = True
                    raise _TooLarge()
            return message

        started = False

        async def tracked_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked_send)
        except _TooLarge:
            if not started:
                await self._refuse(send, 413, self._message(seen))
        if refused and not started:
            return

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


class _TooLarge(Exception):
    pass


#: Schemata a query may have: FtM's matchable ones (people, organisations, vessels …).
MATCHABLE = frozenset(name for name, schema in model.schemata.items() if schema.matchable)


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
        if prop not in schema.properties:
            raise HTTPException(
                400, detail=f"{where}.properties.{prop}: not a property of {schema_name}"
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
