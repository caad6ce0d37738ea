"""How a dataset is described: its official files, their URLs and its parser."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from corridor.model import ParsedList


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
