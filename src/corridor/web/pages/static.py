"""The workbench's static files (its CSS and the vendored htmx), from the package: a fixed
set of names, so no path from a request reaches the file system."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from corridor.web.errors import WebError
from corridor.web.render import PREFIX, STATIC

router = APIRouter(prefix=PREFIX, include_in_schema=False)
TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
FILES = {p.name: p for p in STATIC.iterdir() if p.suffix in TYPES}


@router.get("/static/{name}")
async def static(name: str) -> Response:
    path = FILES.get(name)
    if path is None:
        raise WebError(404, f"No static file {name!r}.")
    return Response(
        path.read_bytes(),
        media_type=TYPES[path.suffix],
        headers={"Cache-Control": "public, max-age=3600"},
    )
