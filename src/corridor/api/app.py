"""The FastAPI application: :func:`create_app` builds it from :class:`ApiSettings`.

Routers per area (``routers/``) are thin: they check the request, call the core (the
matcher, ``screen_trade``, ``update_lists``) and write the answer. Another package (the
analyst ``web`` UI) can mount its own routers on the same app. Each worker loads the index
at start-up, before it accepts a request (with no lists loaded yet it starts anyway and
``/readyz`` says why), and reloads it whenever the store's active lists change.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from corridor import __version__
from corridor.api.deps import json_response
from corridor.api.limits import BodyLimit
from corridor.api.routers import admin, entities, match, screen, search, system
from corridor.screening.serving import IndexHolder
from corridor.settings import ApiSettings
from corridor.trade import Trade

log = logging.getLogger("corridor.api")

TITLE = "corridor"
DESCRIPTION = (
    "Jurisdiction-aware sanctions screening. yente-compatible matching "
    "(`/match`, `/search`, `/entities`, `/catalog`, `/algorithms`), trade screening "
    "(`/screen`) and list updates (`/lists/update`, API key needed)."
)
ErrorHandler = Callable[[Request, Exception], Awaitable[Response]]
ROUTERS = (system.router, match.router, search.router, entities.router, screen.router, admin.router)


def create_app(
    settings: ApiSettings | None = None,
    *,
    load: bool = True,
    routers: Sequence[APIRouter] = (),
    exception_handlers: Mapping[type[Exception], ErrorHandler] | None = None,
) -> FastAPI:
    """The app over ``settings`` (default: from the environment). ``load=False`` skips
    loading the index at start-up (the OpenAPI spec needs none). ``routers`` are mounted
    beside the API's own: how a package that may not import this one (the analyst ``web``
    UI) is served by the same process, composed by the layer above both (``cli``).
    ``exception_handlers`` answer that package's own exception classes its own way (HTML
    pages rather than the API's JSON)."""
    conf = settings or ApiSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        holder: IndexHolder = app.state.holder
        tasks = []
        if load:
            # Before the worker accepts a request: with several workers on one port, a
            # worker still loading would otherwise answer 503 beside ready ones.
            await asyncio.to_thread(holder.reload)
            if holder.ready:
                log.info("index %s ready", holder.current.version)
            else:
                log.warning("no index yet: %s", holder.status)
            tasks.append(asyncio.create_task(_keep_loaded(holder, conf.reload_seconds)))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()

    app = FastAPI(
        title=TITLE,
        description=DESCRIPTION,
        version=__version__,
        lifespan=lifespan,
    )
    app.state.settings = conf
    app.state.holder = IndexHolder(conf)
    for router in (*ROUTERS, *routers):
        app.include_router(router)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _server_error)
    for kind, handler in (exception_handlers or {}).items():
        app.add_exception_handler(kind, handler)
    app.add_middleware(BodyLimit, max_bytes=conf.max_body_bytes)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


async def _keep_loaded(holder: IndexHolder, every: float) -> None:
    """Swap in a new index whenever the active lists change (or first appear)."""
    while every > 0:
        await asyncio.sleep(every)
        try:
            if await asyncio.to_thread(holder.refresh):
                log.info("lists changed: now serving index %s", holder.current.version)
        except Exception:  # keep serving the old index whatever went wrong
            log.exception("reloading the index failed; the previous one is still served")


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The spec, with the trade contract's models among the components (``/screen`` reads
    its body itself, for messages that name the field)."""
    if app.openapi_schema:
        return app.openapi_schema
    spec = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    trade = Trade.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in trade.pop("$defs", {}).items():
        schemas.setdefault(name, definition)
    schemas["Trade"] = trade
    # Validation errors say what is wrong in one line (``detail``) and list each problem.
    schemas["HTTPValidationError"] = {
        "title": "HTTPValidationError",
        "type": "object",
        "properties": {
            "detail": {"type": "string", "title": "Detail"},
            "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}},
        },
        "required": ["detail"],
    }
    app.openapi_schema = spec
    return spec


def _where(loc: Any) -> str:
    return ".".join(str(p) for p in loc if p != "body") or "body"


async def _validation_error(request: Request, exc: Exception) -> Response:
    """422 with one line per problem (``query.limit: …; body.queries: …``)."""
    assert isinstance(exc, RequestValidationError)
    problems = []
    for err in exc.errors()[:10]:
        loc = err.get("loc", ())
        problems.append(
            f"{loc[0] + '.' if loc and loc[0] != 'body' else ''}{_where(loc[1:])}: "
            f"{err.get('msg', 'invalid')}"
        )
    return json_response({"detail": "; ".join(problems) or "invalid request"}, status=422)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    response = json_response({"detail": str(exc.detail)}, status=exc.status_code)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def _server_error(request: Request, exc: Exception) -> Response:
    """Never a traceback to the client: log it, answer 500 with a plain message."""
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return json_response({"detail": "internal error; the server log has the details"}, status=500)


def openapi_json() -> str:
    """The OpenAPI spec as ``docs/openapi.json`` holds it (sorted keys, two-space indent)."""
    app = create_app(ApiSettings(db_url="sqlite://"), load=False)
    return json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
