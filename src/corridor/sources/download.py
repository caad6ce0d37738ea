"""Fetch the official list files into a local cache, politely and safely.

* Conditional requests: the ETag and Last-Modified of each file are kept in a JSON sidecar
  (``downloads.json`` in the cache directory), so an unchanged list costs one 304.
* Retries with exponential backoff on 5xx, 429, timeouts and dropped connections: the
  publishers' servers are busy on list days.
* A size cap, checked against Content-Length and again while streaming.
* Atomic writes: the body goes to a temporary file next to the target and replaces it only
  when complete, so a failed download never destroys the last good copy.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx

from corridor import __version__ as _corridor_version
from corridor.errors import CorridorError
from corridor.settings import download_max_bytes, list_mirror
from corridor.sources.atomic import write_text_atomic
from corridor.sources.base import DatasetSpec

SIDECAR = "downloads.json"
USER_AGENT = f"corridor/{_corridor_version} (sanctions list sync)"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})

#: ``progress(file name, bytes so far, total bytes or None)``.
Progress = Callable[[str, int, int | None], None]


class DownloadError(CorridorError):
    """A list file could not be fetched; the previous copy (if any) is untouched."""


class NotPublishedError(DownloadError):
    """The server says the file does not exist (404/410): no point in retrying."""


@dataclass(frozen=True)
class FetchResult:
    """One file after a fetch: where it is, and whether it was new (``downloaded``) or not."""

    name: str
    path: Path
    url: str
    status: str  # "downloaded" | "not-modified"
    sha256: str
    size: int
    #: The server's Last-Modified header: the publication time of lists whose files carry
    #: no date of their own (OFAC's CSV set).
    last_modified: str | None = None


@dataclass
class CacheEntry:
    url: str
    etag: str | None
    last_modified: str | None
    sha256: str
    size: int
    fetched_at: str


def resolve_url(name: str, url: str, mirror: str | None = None) -> str:
    """The URL to fetch for local file ``name``: the official one, or ``<mirror>/<name>``."""
    mirror = mirror if mirror is not None else list_mirror()
    if mirror:
        return f"{mirror.rstrip('/')}/{name.lstrip('/')}"
    return url


def load_sidecar(cache_dir: Path) -> dict[str, CacheEntry]:
    """The remembered validators per file; an unreadable sidecar just means no cache hits."""
    path = cache_dir / SIDECAR
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {name: CacheEntry(**entry) for name, entry in raw.items()}
    except (OSError, ValueError, TypeError):
        return {}


def save_sidecar(cache_dir: Path, entries: dict[str, CacheEntry]) -> None:
    data = json.dumps({k: asdict(v) for k, v in sorted(entries.items())}, indent=2)
    write_text_atomic(cache_dir / SIDECAR, data)


def fetch_file(
    client: httpx.Client,
    name: str,
    url: str,
    dest: Path,
    *,
    cached: CacheEntry | None = None,
    max_bytes: int | None = None,
    retries: int = 4,
    backoff: float = 0.5,
    progress: Progress | None = None,
) -> tuple[FetchResult, CacheEntry]:
    """Fetch ``url`` into ``dest`` unless the server says the cached copy is current."""
    limit = max_bytes if max_bytes is not None else download_max_bytes()
    headers: dict[str, str] = {}
    if cached is not None and cached.url == url and dest.exists():
        if cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
    last_problem = ""
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            with client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304 and cached is not None:
                    result = FetchResult(
                        name,
                        dest,
                        url,
                        "not-modified",
                        cached.sha256,
                        cached.size,
                        cached.last_modified,
                    )
                    return result, cached
                if response.status_code in RETRY_STATUS:
                    last_problem = f"HTTP {response.status_code}"
                    continue
                if response.status_code in (404, 410):
                    raise NotPublishedError(
                        f"{url}: HTTP {response.status_code} for {name}; check the URL "
                        "(or CORRIDOR_MIRROR) and try again"
                    )
                if response.status_code != 200:
                    raise DownloadError(
                        f"{url}: HTTP {response.status_code} for {name}; check the URL "
                        "(or CORRIDOR_MIRROR) and try again"
                    )
                return _write_body(response, name, url, dest, limit, progress)
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            last_problem = f"{exc.__class__.__name__}: {exc}"
    raise DownloadError(
        f"{url}: gave up on {name} after {retries + 1} attempts ({last_problem}); "
        "any earlier download of it is kept"
    )


def _write_body(
    response: httpx.Response,
    name: str,
    url: str,
    dest: Path,
    limit: int,
    progress: Progress | None,
) -> tuple[FetchResult, CacheEntry]:
    declared = response.headers.get("Content-Length")
    total = int(declared) if declared and declared.isdigit() else None
    if total is not None and total > limit:
        raise DownloadError(
            f"{url}: {name} is {total} bytes, over the {limit}-byte limit; raise "
            "CORRIDOR_DOWNLOAD_MAX_BYTES if the list really grew. Any earlier download of it "
            "is kept"
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in response.iter_bytes(1 << 16):
                size += len(chunk)
                if size > limit:
                    raise DownloadError(
                        f"{url}: {name} exceeded the {limit}-byte limit while downloading; "
                        "raise CORRIDOR_DOWNLOAD_MAX_BYTES if the list really grew. "
                        "Any earlier download of it is kept"
                    )
                digest.update(chunk)
                handle.write(chunk)
                if progress:
                    progress(name, size, total)
            handle.flush()
            os.fsync(handle.fileno())
        if total is not None and size != total:
            raise DownloadError(
                f"{url}: {name} ended after {size} of {total} bytes; any earlier download of "
                "it is kept"
            )
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    entry = CacheEntry(
        url=url,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        sha256=digest.hexdigest(),
        size=size,
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    result = FetchResult(name, dest, url, "downloaded", entry.sha256, size, entry.last_modified)
    return result, entry


def published_date(results: list[FetchResult]) -> str | None:
    """The newest Last-Modified of a dataset's files as an ISO date, or None if none was sent."""
    dates = []
    for result in results:
        if result.last_modified:
            try:
                dates.append(parsedate_to_datetime(result.last_modified).astimezone(UTC))
            except (TypeError, ValueError):
                continue
    return max(dates).date().isoformat() if dates else None


def download_dataset(
    spec: DatasetSpec,
    cache_dir: Path,
    *,
    mirror: str | None = None,
    max_bytes: int | None = None,
    retries: int = 4,
    backoff: float = 0.5,
    timeout: float = 60.0,
    progress: Progress | None = None,
    client: httpx.Client | None = None,
) -> list[FetchResult]:
    """Bring every file of ``spec`` up to date in ``cache_dir`` (laid out like ``data/lists``).

    The sidecar is saved after each file, so a failure later on keeps what was learnt.
    A file outside ``spec.required`` that the server does not have (404/410) is skipped:
    a dataset may be published in several formats and the parser uses those present.
    """
    if not spec.files:
        raise DownloadError(f"{spec.name} has no download URLs; load it with --from DIR")
    entries = load_sidecar(cache_dir)
    own_client = client is None
    http = client or httpx.Client(
        timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
    )
    results: list[FetchResult] = []
    try:
        for name, official in spec.files.items():
            url = resolve_url(name, official, mirror)
            try:
                result, entry = fetch_file(
                    http,
                    name,
                    url,
                    cache_dir / name,
                    cached=entries.get(name),
                    max_bytes=max_bytes,
                    retries=retries,
                    backoff=backoff,
                    progress=progress,
                )
            except NotPublishedError:
                if name in spec.required:
                    raise
                continue
            results.append(result)
            if entries.get(name) != entry:
                entries[name] = entry
                save_sidecar(cache_dir, entries)
    finally:
        if own_client:
            http.close()
    return results
