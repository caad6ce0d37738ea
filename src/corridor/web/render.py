"""Pages from Jinja2 templates (``templates/``), escaped by default, with what every page
shows: the labels, the signed-in user and the form token."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from corridor import __version__
from corridor.web.labels import labels

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
#: Where the workbench is mounted.
PREFIX = "/ui"


def _when(value: datetime | str | None) -> str:
    """A time as analysts read it: ``2025-03-01 09:00`` (UTC)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value[:19].replace("T", " ")
    return value.strftime("%Y-%m-%d %H:%M")


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


ENV = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(["html", "svg"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters["when"] = _when
ENV.filters["score"] = _score
ENV.globals["version"] = __version__
ENV.globals["P"] = PREFIX


def render_text(template: str, **context: Any) -> str:
    """A template rendered to text (a report to export, a fragment)."""
    context.setdefault("L", labels())
    return ENV.get_template(template).render(**context)


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A whole page: the template with the viewer (if signed in) and the form token."""
    viewer = getattr(request.state, "viewer", None)
    context.setdefault("viewer", viewer)
    context.setdefault("csrf", viewer.csrf if viewer is not None else "")
    context.setdefault("request_path", request.url.path)
    html = render_text(template, **context)
    return HTMLResponse(
        html,
        status_code=status,
        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"},
    )
