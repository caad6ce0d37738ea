"""Logging in and out. A failed login says only that it failed (no hint which part was
wrong); past the rate limit it says how long to wait."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from corridor.cases import end_session, login
from corridor.errors import LoginError, LoginThrottledError
from corridor.web.render import PREFIX, page
from corridor.web.session import (
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Viewer,
    cases,
    check_csrf,
    field,
    new_login_token,
    posted,
    read_form,
    require,
    viewer_of,
)

router = APIRouter(prefix=PREFIX, include_in_schema=False)


def _safe_next(value: str) -> str:
    """Only a path of the workbench: never an open redirect to another site."""
    if value.startswith(PREFIX + "/") and not value.startswith("//") and "\\" not in value:
        return value
    return f"{PREFIX}/"


def _cookie_secure(request: Request) -> bool:
    return request.url.scheme == "https"


@router.get("/")
async def home(request: Request) -> Response:
    viewer = viewer_of(request)
    return RedirectResponse(f"{PREFIX}/dashboard" if viewer else f"{PREFIX}/login", 303)


@router.get("/login")
async def login_form(request: Request, next: str = "") -> Response:
    token = new_login_token()
    response = page(request, "login.html", login_csrf=token, next=_safe_next(next), error="")
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=_cookie_secure(request),
        path=PREFIX,
    )
    return response


@router.post("/login")
async def login_submit(request: Request) -> Response:
    form = await read_form(request)
    check_csrf(request, form, request.cookies.get(LOGIN_CSRF_COOKIE, ""))
    username = field(form, "username", limit=64)
    password = field(form, "password", limit=1024)
    target = _safe_next(field(form, "next", limit=2000))
    remote = request.client.host if request.client else ""
    error = ""
    status = 200
    try:
        issued = await run_in_threadpool(login, cases(request), username, password, remote=remote)
    except LoginThrottledError as exc:
        error, status = f"Too many failed logins: try again in {exc.retry_after} s.", 429
    except LoginError:
        error, status = "Login failed: wrong user name or password, or the user is disabled.", 401
    if error:
        token = new_login_token()
        response = page(
            request, "login.html", status=status, login_csrf=token, next=target, error=error
        )
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path=PREFIX)
        return response
    response = RedirectResponse(target, status_code=303)
    hours = cases(request).rules.session_hours
    response.set_cookie(
        SESSION_COOKIE,
        issued.secret,
        max_age=int(hours * 3600),
        httponly=True,
        samesite="lax",
        secure=_cookie_secure(request),
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=PREFIX)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    viewer: Viewer = await require("analyst")(request)
    await posted(request, viewer)
    end_session(cases(request), request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse(f"{PREFIX}/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
