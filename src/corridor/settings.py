"""Every setting in one place, read from the environment (``CORRIDOR_*``)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from corridor.errors import StoreError


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


def db_connect_timeout() -> int:
    """Seconds to wait for a PostgreSQL server (``CORRIDOR_DB_CONNECT_TIMEOUT``, default 10).

    Without a limit libpq waits as long as the network lets it: a server that accepts the
    connection and never answers would hold every command forever.
    """
    try:
        seconds = _env_int("CORRIDOR_DB_CONNECT_TIMEOUT", 10)
    except ValueError as exc:  # the store cannot be opened: said as the store's error
        raise StoreError(str(exc)) from None
    if seconds < 1:
        raise StoreError(f"CORRIDOR_DB_CONNECT_TIMEOUT={seconds}: at least 1 second")
    return seconds


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


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name}={value!r}: expected on or off")


def four_eyes() -> bool:
    """``CORRIDOR_FOUR_EYES`` (default on): closing an alert as a true match, or as a false
    positive at or above :func:`four_eyes_fp_score`, waits for a second user's approval."""
    return _flag("CORRIDOR_FOUR_EYES", True)


def four_eyes_fp_score() -> float:
    """``CORRIDOR_FOUR_EYES_FP_SCORE`` (default 0.95): the match score from which dismissing
    an alert as a false positive needs a second user's approval too."""
    return float(os.environ.get("CORRIDOR_FOUR_EYES_FP_SCORE") or 0.95)


def keep_screened() -> bool:
    """``CORRIDOR_KEEP_SCREENED`` (default on): keep every screened customer and party, with
    or without an alert, so a list update re-screens them; off keeps only those alerted."""
    return _flag("CORRIDOR_KEEP_SCREENED", True)


def session_hours() -> float:
    """``CORRIDOR_SESSION_HOURS`` (default 12): how long a login session lasts."""
    return float(os.environ.get("CORRIDOR_SESSION_HOURS") or 12)


def login_max_failures() -> int:
    """``CORRIDOR_LOGIN_MAX_FAILURES`` (default 5): failed logins per user name (four times
    as many per address) within :func:`login_window_minutes` before logins are refused."""
    return int(os.environ.get("CORRIDOR_LOGIN_MAX_FAILURES") or 5)


def login_window_minutes() -> float:
    """``CORRIDOR_LOGIN_WINDOW_MINUTES`` (default 15): the window failed logins count in."""
    return float(os.environ.get("CORRIDOR_LOGIN_WINDOW_MINUTES") or 15)


# ---- HTTP API (``corridor serve``) ---------------------------------------------------------


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name}={value!r}: must be a whole number") from None


def _env_list(name: str) -> list[str]:
    return [v.strip() for v in (os.environ.get(name) or "").split(",") if v.strip()]


@dataclass(frozen=True)
class ApiSettings:
    """Everything ``corridor serve`` reads, from ``CORRIDOR_*`` variables (README, Settings).

    API keys are kept only as SHA-256 hashes (``CORRIDOR_API_KEY_HASHES``, comma-separated, or
    ``CORRIDOR_API_KEYS_FILE``, one hash per line); ``corridor api-key`` makes a key and its
    hash. A key is always needed to write or start work (a list update); reads need one only
    when ``CORRIDOR_API_READ_KEY`` is on.
    """

    db_url: str
    key_hashes: frozenset[str] = frozenset()
    read_needs_key: bool = False
    #: Largest request body, in bytes.
    max_body_bytes: int = 1_000_000
    #: Queries in one ``/match`` request (yente's ``MAX_BATCH``).
    max_queries: int = 100
    #: Longest value of any query property (a name, a date, an identifier), in characters.
    max_value_length: int = 500
    #: Properties (keys) per query, and values over all of them.
    max_properties: int = 20
    max_values: int = 50
    #: Results per query: the most a request may ask for (``limit``).
    max_limit: int = 100
    #: Where ``POST /lists/update`` takes the list files from (a local mirror); unset: the
    #: official URLs (or ``CORRIDOR_MIRROR``).
    update_from: Path | None = None
    #: Seconds between checks that another worker (or ``corridor lists update``) changed the
    #: lists; 0 turns the check off.
    reload_seconds: float = 5.0
    #: Extra policy files for ``POST /screen``.
    policy_files: tuple[Path, ...] = ()

    @classmethod
    def from_env(cls, db: str | None = None) -> ApiSettings:
        hashes = {h.lower() for h in _env_list("CORRIDOR_API_KEY_HASHES")}
        keys_file = os.environ.get("CORRIDOR_API_KEYS_FILE")
        if keys_file:
            for line in Path(keys_file).expanduser().read_text(encoding="utf-8").splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    hashes.add(line.rsplit(":", 1)[-1].strip().lower())
        bad = [h for h in hashes if len(h) != 64 or any(c not in "0123456789abcdef" for c in h)]
        if bad:
            raise ValueError(
                "CORRIDOR_API_KEY_HASHES / CORRIDOR_API_KEYS_FILE hold SHA-256 hex digests "
                "(64 characters), not keys: make one with `corridor api-key`"
            )
        update_from = os.environ.get("CORRIDOR_API_UPDATE_FROM")
        return cls(
            db_url=database_url(db),
            key_hashes=frozenset(hashes),
            read_needs_key=_flag("CORRIDOR_API_READ_KEY", False),
            max_body_bytes=_env_int("CORRIDOR_API_MAX_BODY_BYTES", cls.max_body_bytes),
            max_queries=_env_int("CORRIDOR_API_MAX_QUERIES", cls.max_queries),
            max_value_length=_env_int("CORRIDOR_API_MAX_NAME_LENGTH", cls.max_value_length),
            max_properties=_env_int("CORRIDOR_API_MAX_PROPERTIES", cls.max_properties),
            max_values=_env_int("CORRIDOR_API_MAX_VALUES", cls.max_values),
            update_from=Path(update_from).expanduser() if update_from else None,
            reload_seconds=float(os.environ.get("CORRIDOR_API_RELOAD_SECONDS") or 5.0),
            policy_files=tuple(Path(p).expanduser() for p in _env_list("CORRIDOR_POLICY")),
        )


# ---- building the matching index -----------------------------------------------------------


def link_workers() -> int:
    """``CORRIDOR_LINK_WORKERS``: processes that link records across lists while an index is
    built, when there are many (default: all cores; 1: in the building process)."""
    return _env_int("CORRIDOR_LINK_WORKERS", os.cpu_count() or 1)


# ---- batch screening (``corridor batch``) -------------------------------------------------


def batch_workers() -> int:
    """``CORRIDOR_BATCH_WORKERS``: worker processes of ``corridor batch`` (default: all cores)."""
    return _env_int("CORRIDOR_BATCH_WORKERS", os.cpu_count() or 1)
