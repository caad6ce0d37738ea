"""Bring the stored lists up to date: find or download each dataset's files, import each.

Every dataset is imported in its own transaction and its failure is kept apart from the
others: a broken file or an unreachable publisher leaves that dataset's previous snapshot
active while the rest are still updated. The functions here return one
:class:`DatasetUpdate` per dataset instead of printing, so the CLI, an HTTP API and batch
jobs run the same update and differ only in how they show it (:class:`UpdateProgress`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
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
    #: Which release this is, for a folder of several (``ofac_sdn_2024/sdn.csv``).
    release: str | None = None


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
    #: The release imported, when the update read a folder of several (its main file).
    release: str | None = None

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
    """The dataset names given, refusing with the known names any corridor does not know.

    A dataset split out of a file of several lists (``us_bis_entity`` from the Consolidated
    Screening List) is accepted and stands for that file: its lists are imported together.
    """
    unknown = [name for name in names if not registry.known(name)]
    if unknown:
        known = ", ".join(sorted({*registry.DATASETS, *registry.SPLIT_FROM}))
        raise CorridorError(f"unknown dataset {', '.join(unknown)}; known: {known}")
    return list(dict.fromkeys(registry.source_dataset(name) for name in names))


def check_list_date(value: str | None, what: str = "list date") -> None:
    """Refuse a publication date that cannot be read; ``what`` names it in the message."""
    if value is not None and parse_list_date(value) is None:
        raise CorridorError(f"{what} {value!r} is not a date; use YYYY-MM-DD")


def release_dates(values: Sequence[str]) -> dict[str, str]:
    """``--list-date`` values: ``DATE`` for every undated release, or ``RELEASE=DATE`` for
    one (a folder or file under the directory, e.g. ``ofac_sdn_2024=2024-05-03``).

    Returns ``{release: date}``, the bare date under the key ``""``.
    """
    out: dict[str, str] = {}
    for value in values:
        release, sep, date = value.rpartition("=")
        release = release.strip().strip("/") if sep else ""
        check_list_date(date.strip(), f"--list-date {value!r}:")
        if release in out and out[release] != date.strip():
            raise CorridorError(f"--list-date gives {release or 'all releases'} two dates")
        out[release] = date.strip()
    return out


def check_files(paths: Sequence[Path]) -> None:
    """Refuse, naming them, files that do not exist (before anything is hashed or opened)."""
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise CorridorError(f"{', '.join(missing)}: no such file")


def local_files(
    directory: Path, names: Sequence[str] = (), dates: Mapping[str, str] | None = None
) -> list[DatasetFiles]:
    """Every release in ``directory`` and its folders (of ``names`` only, if given),
    each dataset's releases oldest first, so that importing them in turn leaves the newest
    active and the others as history.

    A release is dated by the list's own date; where its files carry none, by ``dates``
    (:func:`release_dates`: the release's folder or file, else ``""`` for all). Undated
    releases count from their import, so they come after the dated ones, ordered by what
    their files offer (OFAC's highest ``ent_num``), then by name. Raises when the directory
    is missing, holds no known list files, or lacks the files of a dataset asked for by
    name: nothing can be imported then, so nothing is.
    """
    if not directory.is_dir():
        raise CorridorError(f"{directory}: not a directory")
    given = dict(dates or {})
    releases = registry.find_releases(directory)
    names = list(dict.fromkeys(registry.source_dataset(name) for name in names))
    wanted = set(names)
    missing = [name for name in names if not any(r.dataset == name for r in releases)]
    if missing:
        raise CorridorError(
            f"{directory}: no files for {', '.join(missing)}; expected "
            + "; ".join(", ".join(registry.DATASETS[m].files) for m in missing)
        )
    chosen = [r for r in releases if not wanted or r.dataset in wanted]
    if not chosen:
        raise CorridorError(f"{directory}: no known list files found")
    unknown = [
        key
        for key in given
        if key and not any(key in (r.folder, r.label, *_rel_names(directory, r)) for r in chosen)
    ]
    if unknown:
        raise CorridorError(
            f"--list-date names {', '.join(unknown)}, which is no release under {directory}; "
            "name a release's folder or file relative to it (e.g. ofac_sdn_2024=2024-05-03)"
        )
    origin = str(directory.resolve())
    found: dict[str, list[tuple[tuple[object, ...], DatasetFiles]]] = {}
    for release in chosen:
        date = next(
            (
                given[key]
                for key in (release.label, *_rel_names(directory, release), release.folder)
                if key in given and key
            ),
            given.get(""),
        )
        own = _own_date(release)
        files = DatasetFiles(
            release.dataset,
            release.paths,
            origin if release.folder == "." else str((directory / release.folder).resolve()),
            published=date,
            release=release.label,
        )
        when = own or date
        if when is not None:
            key: tuple[object, ...] = (0, parse_list_date(when), release.label)
        else:
            sequence = _sequence(release)
            key = (1, -1 if sequence is None else sequence, release.label)
        found.setdefault(release.dataset, []).append((key, files))
    order = list(registry.FORMATS)
    return [
        files
        for name in sorted(found, key=order.index)
        for _, files in sorted(found[name], key=lambda kv: kv[0])
    ]


def _rel_names(directory: Path, release: registry.Release) -> list[str]:
    """The release's files as a user may name them, relative to the directory searched."""
    return [path.relative_to(directory).as_posix() for path in release.paths]


def _own_date(release: registry.Release) -> str | None:
    """The list date the release's files state, if they state one and can be read."""
    assert release.format.parse is not None
    try:
        return release.format.parse(list(release.paths)).list_date
    except CorridorError:
        return None  # the import will report the damage, naming the place


def _sequence(release: registry.Release) -> int | None:
    if release.format.sequence is None:
        return None
    try:
        return release.format.sequence(list(release.paths))
    except CorridorError:
        return None


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
) -> list[DatasetUpdate]:
    """Import one release of a dataset's official files as a new snapshot, unless stored.

    ``list_date`` (else the date given for the release, else the server's) dates lists
    whose files carry no date of their own; a date in the files always wins. Returns one
    result per dataset written: one, or each list of a file that holds several (the US
    Consolidated Screening List). A failure is returned, not raised.
    """
    date = list_date or files.published

    def parse() -> ParsedList:
        parsed = registry.parse_dataset(files.dataset, files.paths)
        if parsed.list_date is None and date:
            parsed.list_date = date
        return parsed

    return _import(
        store,
        files.dataset,
        files.paths,
        files.origin,
        parse,
        force,
        progress,
        release=files.release,
    )


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
    [update] = _import(
        store,
        dataset,
        paths,
        origin,
        lambda: parse_ftm(paths, dataset),
        force,
        progress,
        datasets=(dataset,),
    )
    return update


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
        for update in import_files(
            store, files, force=force, list_date=list_date, progress=watch.importing
        ):
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
    release_dates: Mapping[str, str] | None = None,
    force: bool = False,
    progress: UpdateProgress | None = None,
) -> list[DatasetUpdate]:
    """Download (or take from ``from_dir``) the official lists and import each as a snapshot.

    ``names`` limits the update to those datasets. Downloads go to ``cache`` (default:
    ``CORRIDOR_CACHE``). A directory may hold several releases of a list, in folders of
    their own: each is imported, oldest first, and ``release_dates`` dates those whose
    files carry no date (see :func:`local_files`). ``force`` imports stored files too, and
    lists that are empty or under half the active snapshot's size. Returns one result per
    dataset and release, failed downloads first; raises :class:`CorridorError` only when
    the request itself is wrong (an unknown dataset, a bad date, a directory without list
    files) and nothing was done.
    """
    check_list_date(list_date)
    wanted = check_dataset_names(names)
    if from_dir is not None:
        dates = dict(release_dates or {})
        if list_date:
            dates.setdefault("", list_date)
        found, failed = local_files(from_dir, wanted, dates), []
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
    release: str | None = None,
    datasets: Sequence[str] = (),
) -> list[DatasetUpdate]:
    """Hash the files, skip them if already stored, else parse and import them in one
    transaction (one snapshot per dataset the files hold: ``datasets``, by default those
    the registry says ``dataset``'s files hold)."""
    datasets = datasets or (
        registry.datasets_of(dataset) if dataset in registry.DATASETS else (dataset,)
    )
    try:
        check_files(paths)
        file_hash = dataset_hash(paths)
        stored = [] if force else _stored(store, datasets, file_hash)
        if stored:
            return [
                DatasetUpdate(s.dataset, UpdateStatus.UNCHANGED, s, file_hash, release=release)
                for s in stored
            ]
        started = time.perf_counter()
        expected = sum(n for d in datasets if (n := _active_count(store, d)))
        with (progress or _quiet)(dataset, expected or None) as tick:
            snapshots = store.import_release(
                parse(),
                file_hash=file_hash,
                source=origin,
                progress=tick,
                force=force,
                datasets=datasets if len(datasets) > 1 else (),
            )
        seconds = time.perf_counter() - started
    except CorridorError as exc:
        return [DatasetUpdate(dataset, UpdateStatus.FAILED, error=str(exc), release=release)]
    return [
        DatasetUpdate(
            snap.dataset,
            UpdateStatus.IMPORTED,
            snap,
            file_hash,
            store.count_entities(snap.dataset, snap.id),
            seconds,
            release=release,
        )
        for snap in snapshots
    ]


def _stored(store: Store, datasets: Sequence[str], file_hash: str) -> list[Snapshot]:
    """The snapshots already made from these files (all the lists they hold are written in
    one transaction, so one found means all were)."""
    found = [s for d in datasets if (s := store.stored_snapshot(d, file_hash)) is not None]
    return found


def _quiet(dataset: str, expected: int | None) -> AbstractContextManager[Tick | None]:
    """The :data:`ImportProgress` that shows nothing."""
    return nullcontext()


def _active_count(store: Store, dataset: str) -> int | None:
    """The active snapshot's size: the best guess of the total while a new file streams."""
    current = store.active_snapshot(dataset)
    return current.entity_count if current else None
