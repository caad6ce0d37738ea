"""The datasets corridor can load: where they come from, their local names, their parser.

Local paths are relative to a list directory laid out like ``../shared/data/lists``
(``un/UN_consolidated.xml``, ``ofac/sdn.csv`` ...). A dataset may be published in more
than one format; :data:`FORMATS` lists them in order of preference and the first whose
files are present wins. For ``us_ofac_sdn`` that is ``ofac/sdn.xml`` over the legacy CSV
set, because the XML carries birth dates, documents and vessel data as structured
fields instead of free-text remarks (both use the same ``ent_num``/``uid`` ids).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from corridor.errors import SourceError
from corridor.model import ParsedList
from corridor.sources.base import DatasetSpec


@dataclass(frozen=True)
class Format:
    """One published form of a dataset: files that must all be there, files that may."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    #: Other local names accepted for the first required file (e.g. ``csl.csv``).
    alternates: tuple[str, ...] = ()
    parse: Callable[[Sequence[Path]], ParsedList] | None = None


def _lazy(module: str, func: str) -> Callable[[Sequence[Path]], ParsedList]:
    """Import a parser only when used, so listing datasets stays cheap."""

    def parse(paths: Sequence[Path]) -> ParsedList:
        import importlib

        return getattr(importlib.import_module(f"corridor.sources.{module}"), func)(paths)

    parse.__name__ = func
    parse.__doc__ = f"corridor.sources.{module}.{func}"
    return parse


#: The legacy CSV files (still published; treasury.gov redirects to the list service).
OFAC = "https://www.treasury.gov/ofac/downloads/"
#: OFAC Sanctions List Service, which replaced www.treasury.gov/ofac/downloads/*.xml.
SLS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"

FORMATS: dict[str, list[Format]] = {
    "un_sc_sanctions": [
        Format("xml", ("un/UN_consolidated.xml",), parse=_lazy("un_sc", "parse_un_sc")),
    ],
    "us_ofac_sdn": [
        Format("xml", ("ofac/sdn.xml",), parse=_lazy("ofac_xml", "parse_ofac_xml")),
        Format(
            "csv",
            ("ofac/sdn.csv", "ofac/alt.csv", "ofac/add.csv"),
            optional=("ofac/sdn_comments.csv",),
            parse=_lazy("ofac_csv", "parse_ofac_csv"),
        ),
    ],
    "us_ofac_cons": [
        Format("xml", ("ofac/consolidated.xml",), parse=_lazy("ofac_xml", "parse_ofac_cons_xml")),
    ],
    "eu_fsf": [
        Format(
            "xml",
            ("eu/xmlFullSanctionsList_1_1.xml",),
            alternates=("eu/eu_fsf.xml",),
            parse=_lazy("eu_fsf", "parse_eu_fsf"),
        ),
    ],
    "gb_hmt_sanctions": [
        Format("csv", ("uk/ConList.csv",), parse=_lazy("uk_hmt", "parse_uk_hmt")),
    ],
    "gb_fcdo_sanctions": [
        Format("csv", ("uk/UK-Sanctions-List.csv",), parse=_lazy("uk_fcdo", "parse_uk_fcdo")),
    ],
    "us_bis_denied": [
        Format("txt", ("bis/dpl.txt",), parse=_lazy("bis_dpl", "parse_bis_dpl")),
    ],
    "us_trade_csl": [
        Format(
            "csv",
            ("csl.csv",),
            alternates=("us_csl_sample.csv",),
            parse=_lazy("trade_csl", "parse_trade_csl"),
        ),
    ],
}

_META: dict[str, tuple[str, str, dict[str, str]]] = {
    "un_sc_sanctions": (
        "UN Security Council Consolidated List",
        "United Nations Security Council",
        {"un/UN_consolidated.xml": "https://scsanctions.un.org/resources/xml/en/consolidated.xml"},
    ),
    "us_ofac_sdn": (
        "OFAC Specially Designated Nationals (SDN) List",
        "US Treasury, Office of Foreign Assets Control",
        {
            "ofac/sdn.csv": OFAC + "sdn.csv",
            "ofac/alt.csv": OFAC + "alt.csv",
            "ofac/add.csv": OFAC + "add.csv",
            "ofac/sdn_comments.csv": OFAC + "sdn_comments.csv",
            "ofac/sdn.xml": SLS + "SDN.XML",
        },
    ),
    "us_ofac_cons": (
        "OFAC Consolidated (non-SDN) Sanctions List",
        "US Treasury, Office of Foreign Assets Control",
        {"ofac/consolidated.xml": SLS + "CONSOLIDATED.XML"},
    ),
    # The FSF "full list, XML 1.1" file; token=dG9rZW4tMjAxNw is the public token the FSF
    # site embeds in its download links (an FSF portal account gives a personal one).
    "eu_fsf": (
        "EU Financial Sanctions Files (consolidated list)",
        "European Commission (DG FISMA)",
        {
            "eu/xmlFullSanctionsList_1_1.xml": "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/"
            "content?token=dG9rZW4tMjAxNw"
        },
    ),
    "gb_hmt_sanctions": (
        "UK OFSI Consolidated List of Financial Sanctions Targets",
        "HM Treasury, Office of Financial Sanctions Implementation",
        {
            "uk/ConList.csv": "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv"
        },
    ),
    "gb_fcdo_sanctions": (
        "UK Sanctions List",
        "UK Foreign, Commonwealth & Development Office",
        {
            "uk/UK-Sanctions-List.csv": "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv"
        },
    ),
    "us_bis_denied": (
        "BIS Denied Persons List",
        "US Commerce, Bureau of Industry and Security",
        {"bis/dpl.txt": "https://www.bis.doc.gov/dpl/dpl.txt"},
    ),
    "us_trade_csl": (
        "Consolidated Screening List",
        "US International Trade Administration (trade.gov)",
        {
            "csl.csv": "https://data.trade.gov/downloadable_consolidated_screening_list/v1/"
            "consolidated.csv"
        },
    ),
}


def _parse_any(name: str) -> Callable[[Sequence[Path]], ParsedList]:
    def parse(paths: Sequence[Path]) -> ParsedList:
        return parse_dataset(name, paths)

    parse.__name__ = f"parse_{name}"
    return parse


DATASETS: dict[str, DatasetSpec] = {
    name: DatasetSpec(
        name=name,
        title=title,
        publisher=publisher,
        files=files,
        parse=_parse_any(name),
        required=FORMATS[name][-1].required,
    )
    for name, (title, publisher, files) in _META.items()
}


def _present(directory: Path, fmt: Format) -> tuple[dict[str, Path], list[str]]:
    """The files of ``fmt`` found in ``directory`` and the required ones missing."""
    found: dict[str, Path] = {}
    missing: list[str] = []
    for i, rel in enumerate(fmt.required):
        names = (rel, *fmt.alternates) if i == 0 else (rel,)
        hit = next((directory / n for n in names if (directory / n).is_file()), None)
        if hit is None:
            missing.append(rel)
        else:
            found[rel] = hit
    for rel in fmt.optional:
        if (directory / rel).is_file():
            found[rel] = directory / rel
    return found, missing


def detect(directory: Path) -> dict[str, list[Path]]:
    """Which datasets have their files in ``directory``: ``{dataset: [paths]}``.

    A dataset whose format is only partly present (``ofac/sdn.csv`` without
    ``ofac/alt.csv``) raises :class:`SourceError` naming the missing file, since loading
    it would silently lose aliases or addresses.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise SourceError(
            "not a directory; pass the folder holding the list files", path=str(directory)
        )
    out: dict[str, list[Path]] = {}
    for name, formats in FORMATS.items():
        for fmt in formats:
            found, missing = _present(directory, fmt)
            if not found:
                continue
            if missing:
                raise SourceError(
                    f"{name} ({fmt.name}) is incomplete: {missing[0]} is missing next to "
                    f"{next(iter(found.values())).name}; download all its files together",
                    path=str(directory / missing[0]),
                )
            out[name] = list(found.values())
            break
    return out


def choose_format(name: str, paths: Sequence[Path]) -> tuple[Format, list[Path]]:
    """The preferred format among ``paths`` and the paths that belong to it."""
    if name not in FORMATS:
        raise SourceError(f"unknown dataset {name!r}; known: {', '.join(sorted(FORMATS))}")
    given = [Path(p) for p in paths]
    for fmt in FORMATS[name]:
        wanted = {Path(r).name.lower() for r in (*fmt.required, *fmt.optional, *fmt.alternates)}
        mine = [p for p in given if p.name.lower() in wanted]
        if mine:
            return fmt, mine
    expected = ", ".join(r for fmt in FORMATS[name] for r in fmt.required)
    raise SourceError(
        f"no file of {name} among the given paths; expected {expected}",
        path=str(given[0]) if given else None,
    )


def parse_dataset(name: str, paths: Sequence[Path]) -> ParsedList:
    """Parse one dataset from its files (any order); formats are chosen as in FORMATS."""
    fmt, mine = choose_format(name, paths)
    assert fmt.parse is not None
    return fmt.parse(mine)
