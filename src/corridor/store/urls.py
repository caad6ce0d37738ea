"""Database URLs as messages show them: every password hidden.

A URL may carry a password in two places, ``user:password@host`` and a ``password=``
query parameter (libpq reads both). SQLAlchemy's own rendering hides only the first.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

_USERINFO = re.compile(r"(://[^:/@?#]*:)[^/?#]*@")  # to the last @ of the authority
_QUERY = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


def masked(url: object) -> str:
    """``url`` (a string or SQLAlchemy URL) with its passwords written ``***``."""
    return _QUERY.sub(r"\1***", _USERINFO.sub(r"\1***@", str(url)))


def sets_connect_timeout(url: object) -> bool:
    """The URL's query gives libpq's ``connect_timeout`` a value, which then wins over
    ``CORRIDOR_DB_CONNECT_TIMEOUT`` (the store's engine and the quick read agree). An
    empty one does not count: SQLAlchemy drops it, and libpq would wait for ever."""
    query = urlsplit(str(url)).query
    return any(key == "connect_timeout" and value.strip() for key, value in parse_qsl(query))
