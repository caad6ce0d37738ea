"""Progress on a terminal for ``corridor lists``: transient bars that vanish when done.

Shown only when the console is a terminal, so piped output and logs hold results alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)

from corridor.cli.render import error_line, fetched_line, say, update_line
from corridor.sources.update import (
    DatasetFiles,
    DatasetUpdate,
    ImportProgress,
    Tick,
    UpdateProgress,
)


@contextmanager
def entity_bar(console: Console, description: str, total: int | None = None) -> Iterator[Tick]:
    """A spinner with an entity count (of ``total`` when known) and the time elapsed.

    Yields the callback that sets the count.
    """
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        MofNCompleteColumn() if total else TextColumn("{task.completed:,} entities"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    ) as bars:
        task = bars.add_task(description, total=total)
        yield lambda n: bars.update(task, completed=n)


def import_bars(console: Console) -> ImportProgress:
    """One ``import NAME`` spinner per import, counting towards the active snapshot's size."""

    def start(dataset: str, expected: int | None) -> AbstractContextManager[Tick]:
        return entity_bar(console, f"import {dataset}", expected)

    return start


class UpdateDisplay(UpdateProgress):
    """``corridor lists update``: download bars, a spinner per import, a line per result.

    Results go to the console as each dataset finishes (errors to stderr, one line each), so
    a long update shows what is done while the rest is still running.
    """

    def __init__(self, console: Console) -> None:
        self.console = console
        self._bars: Progress | None = None
        self._files: dict[str, TaskID] = {}

    @contextmanager
    def downloads(self) -> Iterator[None]:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=self.console,
            transient=True,
            disable=not self.console.is_terminal,
        ) as bars:
            self._bars, self._files = bars, {}
            try:
                yield
            finally:
                self._bars = None

    @contextmanager
    def downloading(self, dataset: str) -> Iterator[Callable[[str, int, int | None], None]]:
        bars = self._bars
        if bars is None:
            yield self._show
            return
        # Shown while connecting and retrying, before any byte arrives.
        waiting = bars.add_task(f"download {dataset}", total=None)
        try:
            yield self._show
        finally:
            bars.remove_task(waiting)

    def _show(self, file: str, done: int, total: int | None) -> None:
        if self._bars is None:
            return
        if file not in self._files:
            self._files[file] = self._bars.add_task(f"download {file}", total=total)
        self._bars.update(self._files[file], completed=done, total=total)

    def downloaded(self, files: DatasetFiles) -> None:
        for result in files.fetched:
            say(self.console, fetched_line(result))

    def importing(self, dataset: str, expected: int | None) -> AbstractContextManager[Tick]:
        return import_bars(self.console)(dataset, expected)

    def finished(self, update: DatasetUpdate) -> None:
        if update.failed:
            typer.echo(error_line(update.error or "", update.dataset), err=True)
        else:
            say(self.console, update_line(update))
