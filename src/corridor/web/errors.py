"""The workbench's own errors, answered as pages (or a redirect to the login page), not as
the API's JSON: the app composing both registers :data:`EXCEPTION_HANDLERS`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import quote

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from corridor.errors import CorridorError, NotFoundError, PermissionDeniedError
from corridor.web.render import PREFIX, page

T = TypeVar("T")


class WebError(HTTPException):
    """A refusal the user reads on a page: a 4xx status and one clear sentence."""

    def __init__(self, status_code: int, detail: str) -> None:
        super().__init__(status_code=status_code, detail=detail)


class LoginRequired(WebError):
    """No valid session: go to the login page, then come back."""

    def __init__(self, back: str = "") -> None:
        super().__init__(303, "log in first")
        self.back = back


async def web_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WebError)
    if isinstance(exc, LoginRequired):
        target = f"{PREFIX}/login"
        if exc.back:
            target += "?next=" + quote(exc.back, safe="")
        return RedirectResponse(target, status_code=303)
    return page(request, "error.html", status=exc.status_code, message=str(exc.detail))


EXCEPTION_HANDLERS = {WebError: web_error}


def refused(exc: CorridorError) -> WebError:
    """A core refusal as the page shows it: not found 404, not allowed 403, else 400."""
    if isinstance(exc, NotFoundError):
        return WebError(404, str(exc))
    if isinstance(exc, PermissionDeniedError):
        return WebError(403, str(exc))
    return WebError(400, str(exc))


async def in_thread(work: Callable[[], T]) -> T:
    """Run core work (the database, the matcher) off the event loop; a core refusal becomes
    the page's 4xx."""
    try:
        return await run_in_threadpool(work)
    except CorridorError as exc:
        raise refused(exc) from None
