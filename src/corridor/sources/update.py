"""Bring the stored lists up to date: find or download each dataset's files, import each.

Every dataset is imported in its own transaction and its failure is kept apart from the
others: a broken file or an unreachable publisher leaves that dataset's previous snapshot
active while the rest are still updated. The functions here return one
:class:`DatasetUpdate` per dataset instead of printing, so the CLI, an HTTP API and batch
jobs run the same update and differ only in how they show it (:class:`UpdateProgress`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from corridor.errors import CorridorError
from corridor.model import ParsedList
from corridor.settings import cache_dir as default_cache_dir
from corridor.sources import registry
from corridor.store import Snapshot, Store, dataset_hash
from corridor.store.fingerprint import sha256_file
from corridor.store.list_dates import parse_list_date

if TYPE_CHECKING:  # httpx is imported only when something is downloaded
    from corridor.sources.download import FetchResult
    from corridor.sources.download import Progress as DownloadProgress

#: Receives the running entity count of an import.
Tick = Callable[[int], None]

#: Called when an import really starts (its files changed) with the dataset and the entity
#: count expected (the active snapshot's, if any); the context it returns lasts as long as
#: the import and yields the :data:`Tick` to feed, or None.
ImportProgress = Callable[[str, int | None], AbstractContextManager[Tick | None]]


class UpdateStatus(StrEnum):
    """What an update did to one dataset."""

    IMPORTED = "imported"  # a new snapshot is active
    UNCHANGED = "unchanged"  # the files are those of the active snapshot; nothing was written
    FAILED = "failed"  # the download or import failed; the previous snapshot stays active


@dataclass(frozen=True)
class DatasetFiles:
    """One dataset's files, found in a directory or just downloaded, ready to import."""

    dataset: str
    paths: tuple[Path, ...]
    #: Recorded as the snapshot's source: the directory, or the URLs fetched.
    origin: str
    #: The server's Last-Modified date (YYYY-MM-DD), used when the files carry no date.
    published: str | None = None
    #: The download of each file, when the files were fetched rather than found.
    fetched: tuple[FetchResult, ...] = ()


@dataclass(frozen=True)
class DatasetUpdate:
    """The outcome for one dataset, with what a user or a log needs to know about it."""

    dataset: str
    status: UpdateStatus
    #: The new or unchanged active snapshot; None when the update failed.
    snapshot: Snapshot | None = None
    #: The hash of the files (see :func:`corridor.store.dataset_hash`); None if not read.
    file_hash: str | None = None
    #: Entities per schema in the new snapshot, most frequent first.
    counts: dict[str, int] = field(default_factory=dict)
    #: Time spent parsing and importing.
    seconds: float = 0.0
    #: Why it failed: one message naming the file and place.
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.status is UpdateStatus.FAILED


class UpdateProgress:
    """How a front end follows :func:`update_lists` while it runs; this base shows nothing.

    A terminal overrides the hooks to draw progress bars and print each result as it comes
    (see ``corridor.cli.progress``); a web request or a batch job can keep the default and
    read the returned results.
    """

    def downloads(self) -> AbstractContextManager[object]:
        """Lasts as long as all the downloads of one update."""
        return nullcontext()

    def downloading(self, dataset: str) -> AbstractContextManager[DownloadProgress | None]:
        """Lasts as long as one dataset's download; yields the per-file byte counter."""
        return nullcontext()

    def downloaded(self, files: DatasetFiles) -> None:
        """One dataset's files are in the cache (each fetched or found not modified)."""

    def importing(self, dataset: str, expected: int | None) -> AbstractContextManager[Tick | None]:
        """Lasts as long as one import; see :data:`ImportProgress`."""
        return nullcontext()

    def finished(self, update: DatasetUpdate) -> None:
        """One dataset is done: imported, unchanged or failed (a failed download included)."""


def check_dataset_names(names: Sequence[str]) -> list[str]:
    """The dataset names given, refusing with the known names any corridor does not know."""
    unknown = [name for name in names if name not in registry.DATASETS]
    if unknown:
        known = ", ".join(sorted(registry.DATASETS))
        raise CorridorError(f"unknown dataset {', '.join(unknown)}; known: {known}")
    return list(names)


def check_list_date(value: str | None, what: str = "list date") -> None:
    """Refuse a publication date that cannot be read; ``what`` names it in the message."""
    if value is not None and parse_list_date(value) is None:
        raise CorridorError(f"{what} {value!r} is not a date; use YYYY-MM-DD")


def check_files(paths: Sequence[Path]) -> None:
    """Refuse, naming them, files that do not exist (before anything is hashed or opened)."""
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise CorridorError(f"{', '.join(missing)}: no such file")


def local_files(directory: Path, names: Sequence[str] = ()) -> list[DatasetFiles]:
    """The datasets whose files are in ``directory`` (only ``names``, if given).

    Raises when the directory is missing, holds no known list files, or lacks the files of
    a dataset asked for by name: nothing can be imported then, so nothing is.
    """
    if not directory.is_dir():
        raise CorridorError(f"{directory}: not a directory")
    found = registry.detect(directory)
    missing = [name for name in names if name not in found]
    if missing:
        raise CorridorError(
            f"{directory}: no files for {', '.join(missing)}; expected "
            + "; ".join(", ".join(registry.DATASETS[m].files) for m in missing)
        )
    origin = str(directory.resolve())
    chosen = [
        DatasetFiles(name, tuple(paths), origin)
        for name, paths in found.items()
        if not names or name in names
    ]
    if not chosen:
        raise CorridorError(f"{directory}: no known list files found")
    return chosen


def download_files(
    names: Sequence[str], cache: Path, progress: UpdateProgress | None = None
) -> tuple[list[DatasetFiles], list[DatasetUpdate]]:
    """Fetch each dataset's files into ``cache`` (every downloadable dataset if no names).

    Returns the datasets fetched and the failures: one publisher being down must not hold
    back the other lists.
    """
    from corridor.sources.download import download_dataset, published_date

    watch = progress or UpdateProgress()
    fetched: list[DatasetFiles] = []
    failed: list[DatasetUpdate] = []
    with watch.downloads():
        for name in names or [n for n, spec in registry.DATASETS.items() if spec.files]:
            try:
                with watch.downloading(name) as show:
                    results = download_dataset(registry.DATASETS[name], cache, progress=show)
            except CorridorError as exc:
                failure = DatasetUpdate(name, UpdateStatus.FAILED, error=str(exc))
                watch.finished(failure)
                failed.append(failure)
                continue
            files = DatasetFiles(
                name,
                tuple(r.path for r in results),
                " ".join(r.url for r in results),
                published_date(results),
                tuple(results),
            )
            watch.downloaded(files)
            fetched.append(files)
    return fetched, failed


def import_files(
    store: Store,
    files: DatasetFiles,
    *,
    force: bool = False,
    list_date: str | None = None,
    progress: ImportProgress | None = None,
) -> DatasetUpdate:
    """Import one dataset's official files as its new snapshot, unless they are unchanged.

    ``list_date`` (else the server's date) dates lists whose files carry no date of their
    own; a date in the files always wins. A failure is returned, not raised.
    """
    date = list_date or files.published

    def parse() -> ParsedList:
        parsed = registry.parse_dataset(files.dataset, files.paths)
        if parsed.list_date is None and date:
            parsed.list_date = date
        return parsed

    return _import(store, files.dataset, files.paths, files.origin, parse, force, progress)


def import_ftm_files(
    store: Store,
    dataset: str,
    paths: Sequence[Path],
    *,
    force: bool = False,
    progress: ImportProgress | None = None,
) -> DatasetUpdate:
    """Import FtM JSON-lines exports (OpenSanctions, yente, Aleph) as dataset ``dataset``."""
    from corridor.sources.ftm import parse_ftm

    origin = " ".join(str(path.resolve()) for path in paths)
    return _import(
        store, dataset, paths, origin, lambda: parse_ftm(paths, dataset), force, progress
    )


def apply_delta_file(
    store: Store,
    dataset: str,
    path: Path,
    *,
    list_date: str | None = None,
    force: bool = False,
    progress: ImportProgress | None = None,
) -> DatasetUpdate:
    """Apply an OpenSanctions delta file (ADD / MOD / DEL) as a new snapshot of ``dataset``.

    A file applied before is reported unchanged. A failure is returned, not raised.
    """
    from corridor.sources.ftm import parse_ftm_delta

    try:
        check_files([path])
        file_hash = sha256_file(path)
        current = None if force else store.unchanged_snapshot(dataset, file_hash)
        if current is not None:
            return DatasetUpdate(dataset, UpdateStatus.UNCHANGED, current, file_hash)
        started = time.perf_counter()
        with (progress or _quiet)(dataset, None):
            snapshot = store.apply_delta(
                dataset,
                parse_ftm_delta(path, dataset),
                file_hash=file_hash,
                source=str(path.resolve()),
                list_date=list_date,
                force=force,
            )
        seconds = time.perf_counter() - started
        counts = store.count_entities(dataset, snapshot.id)
    except CorridorError as exc:
        return DatasetUpdate(dataset, UpdateStatus.FAILED, error=str(exc))
    return DatasetUpdate(
        dataset, UpdateStatus.IMPORTED, snapshot, file_hash, counts, seconds=seconds
    )


def import_all(
    store: Store,
    found: Sequence[DatasetFiles],
    *,
    force: bool = False,
    list_date: str | None = None,
    progress: UpdateProgress | None = None,
) -> list[DatasetUpdate]:
    """Import each dataset in turn; one failing leaves the others to go on."""
    watch = progress or UpdateProgress()
    updates = []
    for files in found:
        update = import_files(
            store, files, force=force, list_date=list_date, progress=watch.importing
        )
        watch.finished(update)
        updates.append(update)
    return updates


def update_lists(
    store: Store,
    *,
    names: Sequence[str] = (),
    from_dir: Path | None = None,
    cache: Path | None = None,
    list_date: str | None = None,
    force: bool = False,
    progress: UpdateProgress | None = None,
) -> list[DatasetUpdate]:
    """Download (or take from ``from_dir``) the official lists and import each as a snapshot.

    ``names`` limits the update to those datasets. Downloads go to ``cache`` (default:
    ``CORRIDOR_CACHE``). ``force`` imports unchanged files too, and lists that are empty or
    under half the active snapshot's size. Returns one result per dataset, failed downloads
    first; raises :class:`CorridorError` only when the request itself is wrong (an unknown
    dataset, a bad date, a directory without list files) and nothing was done.
    """
    check_list_date(list_date)
    wanted = check_dataset_names(names)
    if from_dir is not None:
        found, failed = local_files(from_dir, wanted), []
    else:
        found, failed = download_files(wanted, cache or default_cache_dir(), progress)
    return failed + import_all(store, found, force=force, list_date=list_date, progress=progress)


def _import(
    store: Store,
    dataset: str,
    paths: Sequence[Path],
    origin: str,
    parse: Callable[[], ParsedList],
    force: bool,
    progress: ImportProgress | None,
) -> DatasetUpdate:
    """Hash the files, skip them if unchanged, else parse and import them in one transaction."""
    try:
        check_files(paths)
        file_hash = dataset_hash(paths)
        current = None if force else store.unchanged_snapshot(dataset, file_hash)
        if current is not None:
            return DatasetUpdate(dataset, UpdateStatus.UNCHANGED, current, file_hash)
        started = time.perf_counter()
        with (progress or _quiet)(dataset, _active_count(store, dataset)) as tick:
            snapshot = store.import_list(
                parse(), file_hash=file_hash, source=origin, progress=tick, force=force
            )
        seconds = time.perf_counter() - started
        counts = store.count_entities(dataset, snapshot.id)
    except CorridorError as exc:
        return DatasetUpdate(dataset, UpdateStatus.FAILED, error=str(exc))
    return DatasetUpdate(dataset, UpdateStatus.IMPORTED, snapshot, file_hash, counts, seconds)


def _quiet(dataset: str, expected: int | None) -> AbstractContextManager[Tick | None]:
    """The :data:`ImportProgress` that shows nothing."""
    return nullcontext()


def _active_count(store: Store, dataset: str) -> int | None:
    """The active snapshot's size: the best guess of the total while a new file streams."""
    current = store.active_snapshot(dataset)
    return current.entity_count if current else None
