"""Query parameters read straight from the query string, for the hot endpoint (``/match``).

FastAPI's per-parameter machinery cost about as much as the rest of a one-query request, so
``/match`` declares its parameters here once: :func:`openapi_parameters` documents them in the
spec (as FastAPI would) and :func:`parse_params` reads and checks them, answering 422 with the
parameter's name and what is wrong, like FastAPI's own validation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request


@dataclass(frozen=True)
class Param:
    name: str
    kind: type  # int, float, str or list (of str)
    default: Any
    description: str
    low: float | None = None
    high: float | None = None
    max_length: int = 64

    def schema(self) -> dict[str, Any]:
        if self.kind is list:
            return {
                "type": "array",
                "items": {"type": "string", "maxLength": 255},
                "maxItems": self.max_length,
                "default": [],
                "title": self.title,
            }
        out: dict[str, Any] = {
            "type": {int: "integer", float: "number", str: "string"}[self.kind],
            "title": self.title,
        }
        if self.default is not None:
            out["default"] = self.default
        if self.low is not None:
            out["minimum"] = self.low
        if self.high is not None:
            out["maximum"] = self.high
        if self.kind is str:
            out["maxLength"] = self.max_length
            if self.default is None:
                out = {"anyOf": [out, {"type": "null"}], "title": self.title}
        return out

    @property
    def title(self) -> str:
        return self.name.replace("_", " ").title()


def openapi_parameters(params: tuple[Param, ...]) -> list[dict[str, Any]]:
    return [
        {
            "name": p.name,
            "in": "query",
            "required": False,
            "description": p.description,
            "schema": p.schema(),
        }
        for p in params
    ]


def _invalid(name: str, message: str) -> HTTPException:
    return HTTPException(422, detail=f"query.{name}: {message}")


def parse_params(request: Request, params: tuple[Param, ...]) -> dict[str, Any]:
    """The parameters of ``request``, checked; defaults for those not given."""
    query = request.query_params
    out: dict[str, Any] = {}
    for p in params:
        if p.kind is list:
            values = query.getlist(p.name)
            if len(values) > p.max_length:
                raise _invalid(p.name, f"at most {p.max_length} values")
            if any(len(v) > 255 for v in values):
                raise _invalid(p.name, "a value longer than 255 characters")
            out[p.name] = values
            continue
        raw = query.get(p.name)
        if raw is None:
            out[p.name] = p.default
            continue
        if p.kind is str:
            if len(raw) > p.max_length:
                raise _invalid(p.name, f"at most {p.max_length} characters")
            out[p.name] = raw
            continue
        try:
            value = p.kind(raw)
        except ValueError:
            kind = "a whole number" if p.kind is int else "a number"
            raise _invalid(p.name, f"{raw!r} is not {kind}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise _invalid(p.name, f"{raw!r} is not a finite number")
        if p.low is not None and value < p.low:
            raise _invalid(p.name, f"must be at least {p.low:g}")
        if p.high is not None and value > p.high:
            raise _invalid(p.name, f"must be at most {p.high:g}")
        out[p.name] = value
    return out
