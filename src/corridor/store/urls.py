"""Database URLs as messages show them: every password hidden.

A URL may carry a password in two places, ``user:password@host`` and a ``password=``
query parameter (libpq reads both). SQLAlchemy's own rendering hides only the first.
"""

from __future__ import annotations

import re

_USERINFO = re.compile(r"(://[^:/@?#]*:)[^/?#]*@")  # to the last @ of the authority
_QUERY = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


def masked(url: object) -> str:
    """``url`` (a string or SQLAlchemy URL) with its passwords written ``***``."""
    return _QUERY.sub(r"\1***", _USERINFO.sub(r"\1***@", str(url)))
