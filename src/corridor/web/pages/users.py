"""User administration (admins only): list users, add one, disable or enable one. Every
change is audited by the case package."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from corridor.cases import add_user, disable_user, enable_user, list_users
from corridor.cases.model import ROLES
from corridor.web.errors import WebError, in_thread
from corridor.web.render import PREFIX, page
from corridor.web.session import Viewer, cases, field, posted, require

router = APIRouter(prefix=PREFIX, include_in_schema=False)


@router.get("/admin/users")
async def users(request: Request, viewer: Viewer = Depends(require("admin"))) -> Response:
    return page(request, "users.html", users=list_users(cases(request)), roles=ROLES)


@router.post("/admin/users")
async def add(request: Request, viewer: Viewer = Depends(require("admin"))) -> Response:
    form = await posted(request, viewer)
    username = field(form, "username", required=True, limit=64)
    password = field(form, "password", required=True, limit=1024)
    role = field(form, "role", required=True, limit=16)
    display = field(form, "display_name", limit=200)
    await in_thread(
        lambda: add_user(
            cases(request), username, password, role, actor=viewer.user, display_name=display
        )
    )
    return RedirectResponse(f"{PREFIX}/admin/users", status_code=303)


@router.post("/admin/users/{username}/{action}")
async def toggle(
    request: Request, username: str, action: str, viewer: Viewer = Depends(require("admin"))
) -> Response:
    await posted(request, viewer)
    change = {"disable": disable_user, "enable": enable_user}.get(action)
    if change is None:
        raise WebError(404, f"No user action {action!r}.")
    await in_thread(lambda: change(cases(request), username, actor=viewer.user))
    return RedirectResponse(f"{PREFIX}/admin/users", status_code=303)
