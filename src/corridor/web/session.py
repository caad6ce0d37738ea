"""Who is looking: the session cookie, the form token (CSRF) and the role checks.

A login issues a session secret (``corridor.cases``: stored hashed, ending with the session
or when the user is disabled); the browser keeps it in an HttpOnly, SameSite=Lax cookie.
Every form carries a token derived from that secret (HMAC-SHA256), checked on every POST:
a page of another site can make the browser send the cookie, but cannot read the token.
The login form, before any session exists, uses a random token in its own cookie, which
the form must repeat (double submit).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from fastapi import Request
from starlette.datastructures import FormData

from corridor.cases import CaseStore, User, session_user, shared_case_store
from corridor.cases.model import Role
from corridor.screening.serving import Index, IndexHolder, NotReady
from corridor.web.errors import LoginRequired, WebError

SESSION_COOKIE = "corridor_session"
LOGIN_CSRF_COOKIE = "corridor_login_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
#: Largest form a page accepts (a pasted trade is the biggest), in bytes.
MAX_FORM_BYTES = 1_000_000


@dataclass(frozen=True)
class Viewer:
    """The signed-in user of one request and the token their forms carry."""

    user: User
    csrf: str

    def can(self, role: Role) -> bool:
        return self.user.can(role)


def csrf_token(session_secret: str) -> str:
    """The form token of a session: fixed for the session, useless without its cookie."""
    return hmac.new(session_secret.encode(), b"corridor-csrf", hashlib.sha256).hexdigest()


def new_login_token() -> str:
    return secrets.token_urlsafe(32)


def cases(request: Request) -> CaseStore:
    """The case database beside the lists (the API keeps the same one)."""
    return shared_case_store(request.app.state, holder(request).store)


def holder(request: Request) -> IndexHolder:
    return request.app.state.holder


def current_index(request: Request) -> Index:
    """The loaded lists, or a page saying they are still loading (503)."""
    try:
        return holder(request).current
    except NotReady as exc:
        raise WebError(503, f"The lists are not loaded yet: {exc}") from None


def viewer_of(request: Request) -> Viewer | None:
    secret = request.cookies.get(SESSION_COOKIE)
    if not secret:
        return None
    user = session_user(cases(request), secret)
    if user is None:
        return None
    return Viewer(user, csrf_token(secret))


def require(role: Role = "analyst") -> Callable[[Request], Awaitable[Viewer]]:
    """A page dependency: the viewer, who must be signed in (else to the login page) and
    hold ``role`` or a more trusted one (else 403)."""

    async def dependency(request: Request) -> Viewer:
        viewer = viewer_of(request)
        if viewer is None:
            back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(back if request.method == "GET" else "")
        request.state.viewer = viewer
        if not viewer.can(role):
            raise WebError(
                403, f"This page needs the {role} role; you are signed in as {viewer.user.role}."
            )
        return viewer

    return dependency


async def read_form(request: Request) -> FormData:
    """The posted form, bounded in size."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_FORM_BYTES:
        raise WebError(413, f"The form is larger than {MAX_FORM_BYTES // 1000} kB.")
    try:
        return await request.form(max_files=0, max_fields=2000)
    except Exception as exc:  # a malformed body: say so, never a traceback
        raise WebError(400, f"The form could not be read: {exc}") from None


def check_csrf(request: Request, form: FormData, expected: str) -> None:
    """Refuse a POST whose form token (field or header) is not this session's."""
    sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise WebError(
            403, "The form's security token is missing or stale: reload the page and try again."
        )


async def posted(request: Request, viewer: Viewer) -> FormData:
    """The form of a POST by ``viewer``, its token checked."""
    form = await read_form(request)
    check_csrf(request, form, viewer.csrf)
    return form


def field(
    form: FormData,
    name: str,
    *,
    required: bool = False,
    limit: int = 4000,
    missing: str | None = None,
) -> str:
    """One text field, stripped and bounded; a missing required one is a 400 naming it, or
    saying ``missing`` (which makes the field required)."""
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > limit:
        raise WebError(400, f"{name}: at most {limit} characters.")
    if (required or missing) and not text:
        raise WebError(400, missing or f"{name}: required.")
    return text


def parse_date(name: str, raw: str) -> datetime | None:
    """An optional date (YYYY-MM-DD) of a form field or query parameter; a malformed one is
    a 400 naming it."""
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        raise WebError(400, f"{name}: {raw!r} is not a date (YYYY-MM-DD).") from None


def date_field(form: FormData, name: str) -> datetime | None:
    """An optional date field of a form (:func:`parse_date`)."""
    return parse_date(name, field(form, name, limit=32))
