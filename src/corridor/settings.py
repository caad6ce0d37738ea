"""Every setting in one place, read from the environment (``CORRIDOR_*``)."""

from __future__ import annotations

import os
from pathlib import Path


def default_db_path() -> Path:
    """Per-user database file: ``$XDG_DATA_HOME/corridor/corridor.db``."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "corridor" / "corridor.db"


def database_url(db: str | None = None) -> str:
    """Resolve ``--db`` / ``CORRIDOR_DB`` / the default into an SQLAlchemy URL.

    A plain path means SQLite; anything with ``://`` is used as an SQLAlchemy URL
    (e.g. ``postgresql+psycopg://user@host/corridor``).
    """
    value = db or os.environ.get("CORRIDOR_DB")
    if value and "://" in value:
        return value
    path = Path(value).expanduser() if value else default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def shared_dir() -> Path:
    """The local mirror of official files and references (``../shared`` in a checkout)."""
    env = os.environ.get("CORRIDOR_SHARED")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / ".." / "shared"


def cache_dir() -> Path:
    """Where downloaded list files are kept: ``CORRIDOR_CACHE`` or ``$XDG_CACHE_HOME/corridor``."""
    env = os.environ.get("CORRIDOR_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "corridor" / "lists"


def library_cache_dir() -> Path:
    """Tables derived from installed libraries (e.g. FtM property names), rebuilt when missing.

    ``$XDG_CACHE_HOME/corridor``; safe to delete at any time.
    """
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "corridor"


def list_mirror() -> str | None:
    """``CORRIDOR_MIRROR``: a base URL used instead of the official list URLs.

    The dataset's local file name is appended (``$CORRIDOR_MIRROR/ofac/sdn.csv``), so a
    mirror is simply a web server over a directory laid out like ``data/lists``.
    """
    return os.environ.get("CORRIDOR_MIRROR") or None


def download_max_bytes() -> int:
    """Largest list file a download accepts (``CORRIDOR_DOWNLOAD_MAX_BYTES``, default 512 MiB)."""
    return int(os.environ.get("CORRIDOR_DOWNLOAD_MAX_BYTES") or 512 * 1024 * 1024)


#: Where the HS 2022 nomenclature comes from when ``CORRIDOR_HS_FILE`` is not set locally.
HS_OFFICIAL_URL = (
    "https://raw.githubusercontent.com/datasets/harmonized-system/master/data/harmonized-system.csv"
)


def hs_file() -> Path:
    """The HS 2022 nomenclature CSV (``CORRIDOR_HS_FILE``; default ``<shared>/data/hs/``)."""
    env = os.environ.get("CORRIDOR_HS_FILE")
    if env:
        return Path(env).expanduser()
    return shared_dir() / "data" / "hs" / "harmonized-system.csv"
