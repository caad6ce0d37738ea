"""PDF reports: the printable HTML report laid out by WeasyPrint (Pango underneath), so the
PDF says exactly what the HTML export says."""

from __future__ import annotations

import logging

from corridor.errors import CorridorError

# WeasyPrint and fontTools log every font subset at INFO; a report is not news.
for _name in ("weasyprint", "fontTools"):
    logging.getLogger(_name).setLevel(logging.WARNING)


class PdfUnavailable(CorridorError):
    """WeasyPrint or the Pango libraries it needs are missing."""


def html_to_pdf(html: str) -> bytes:
    """The PDF of a self-contained HTML page (no external resources are fetched)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango is not installed
        raise PdfUnavailable(
            f"PDF export needs WeasyPrint and Pango (make pdf-libs): {exc}"
        ) from None
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict:
    """A report is self-contained: refuse to fetch anything it might name."""
    raise ValueError(f"reports fetch nothing ({url})")
