"""What every parser returns, and how a dataset is described."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corridor.model import Entity


@dataclass
class ParsedList:
    """A parsed official list: its own publication date and a stream of entities.

    ``entities`` is a generator so large files stream; a parser raises
    :class:`corridor.errors.SourceError` (file, line/element, field) as soon as it meets
    input it cannot trust, and the store then keeps the previous snapshot active.
    """

    dataset: str
    list_date: str | None
    entities: Iterator[Entity]
    files: list[Path] = field(default_factory=list)


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset: its official download URLs, the local file names, and its parser.

    ``files`` maps a local file name (relative to a list directory, e.g. ``ofac/sdn.csv``)
    to its official URL. ``parse`` takes the paths of the files that are present.
    """

    name: str
    title: str
    publisher: str
    files: dict[str, str]
    parse: Callable[[Sequence[Path]], ParsedList]
    required: tuple[str, ...] = ()
