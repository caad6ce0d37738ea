"""The datasets corridor can load: where they come from, their local names, their parsers.

Local paths are relative to a list directory laid out like the download cache
(``un/UN_consolidated.xml``, ``ofac/sdn.csv`` ...). A dataset may be published in more than
one format; :data:`FORMATS` lists them in order of preference and, where one release is
published in several, the first whose files are present wins (``ofac/sdn.xml`` over the
legacy CSV set: the XML carries birth dates, documents and vessel data as structured fields
instead of free-text remarks; both use the same ``ent_num``/``uid`` ids).

A folder of past releases (``../shared/data/lists``: ``ofac/`` of 2021 beside
``ofac_sdn_2024/``) is read by :func:`find_releases`: every folder under it that holds the
files of a format is one release, named by its files, never joined with another folder's.

One file may hold several lists: the US Consolidated Screening List merges a dozen US lists
of three agencies, and corridor splits it into one dataset per source list
(:data:`CSL_LISTS`), so that each carries its own policy.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corridor.errors import SourceError
from corridor.model import ParsedList
from corridor.sources.base import DatasetSpec


@dataclass(frozen=True)
class Format:
    """One published form of a dataset: the files that make a release of it.

    ``required`` are local names (the download cache's layout); the first is the main
    file, which identifies the format in any folder by its base name or one of
    ``alternates`` (shell patterns such as ``FCDO_SL_*.ods``). A missing ``companions``
    file is not an error: the release is imported with what it has and the parser records
    what is missing (:attr:`ParsedList.gaps`); ``optional`` files are used when present.
    """

    name: str
    required: tuple[str, ...]
    companions: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    alternates: tuple[str, ...] = ()
    parse: Callable[[Sequence[Path]], ParsedList] | None = None
    #: Files the parser reads when given by name but that are no release of the list, so
    #: a folder search passes them by (the mirror's 115-row excerpt of the CSL).
    excerpts: tuple[str, ...] = ()
    #: Orders undated releases of one dataset (OFAC: the highest ``ent_num``, which only
    #: grows); None where the files offer nothing to order by.
    sequence: Callable[[Sequence[Path]], int | None] | None = None

    @property
    def main(self) -> str:
        return self.required[0]

    def main_names(self) -> tuple[str, ...]:
        """The base names (or patterns) the main file may have, lower case."""
        return tuple(n.lower() for n in (Path(self.main).name, *self.alternates))

    def others(self) -> tuple[str, ...]:
        return (*self.required[1:], *self.companions, *self.optional)


def _lazy(module: str, func: str) -> Callable[[Sequence[Path]], ParsedList]:
    """Import a parser only when used, so listing datasets stays cheap."""

    def parse(paths: Sequence[Path]) -> ParsedList:
        import importlib

        return getattr(importlib.import_module(f"corridor.sources.{module}"), func)(paths)

    parse.__name__ = func
    parse.__doc__ = f"corridor.sources.{module}.{func}"
    return parse


def _lazy_sequence(module: str, func: str) -> Callable[[Sequence[Path]], int | None]:
    def sequence(paths: Sequence[Path]) -> int | None:
        import importlib

        return getattr(importlib.import_module(f"corridor.sources.{module}"), func)(paths)

    return sequence


#: The legacy CSV files (still published; treasury.gov redirects to the list service).
OFAC = "https://www.treasury.gov/ofac/downloads/"
#: OFAC Sanctions List Service, which replaced www.treasury.gov/ofac/downloads/*.xml.
SLS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
#: OFSI's consolidated list in its 2022 format (CSV and XLSX carry the same columns).
OFSI = "https://ofsistorage.blob.core.windows.net/publishlive/2022format/"
#: The Consolidated Screening List file of trade.gov.
CSL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
#: The AFM's export of the list of organisations and persons associated with the financing
#: of terrorism and extremism (Law 191-IV Art. 12), category 1, entries in force.
AFM = "https://api.websfm.kz/v1/sanctions/sanction-terrorist/xml_category_1/?status=acting"

_OFAC_SEQUENCE = _lazy_sequence("ofac_csv", "highest_ent_num")

#: The Consolidated Screening List's source lists: the code in its ``source`` column, the
#: dataset corridor loads it as, and the list's title. Lists corridor also reads from their
#: publisher's own file (SDN, DPL, the OFAC non-SDN lists) keep a ``us_trade_csl_`` name, so
#: the two never mix in one dataset; the BIS lists only the CSL brings are named for BIS.
CSL_LISTS: dict[str, tuple[str, str]] = {
    "SDN": ("us_trade_csl_sdn", "OFAC SDN List (via the CSL)"),
    "EL": ("us_bis_entity", "BIS Entity List (via the CSL)"),
    "UVL": ("us_bis_uvl", "BIS Unverified List (via the CSL)"),
    "MEU": ("us_bis_meu", "BIS Military End-User List (via the CSL)"),
    "DPL": ("us_trade_csl_dpl", "BIS Denied Persons List (via the CSL)"),
    "DTC": ("us_trade_csl_dtc", "State Department ITAR Debarred (via the CSL)"),
    "ISN": ("us_trade_csl_isn", "State Department Nonproliferation Sanctions (via the CSL)"),
    "SSI": ("us_trade_csl_ssi", "OFAC Sectoral Sanctions Identifications List (via the CSL)"),
    "PLC": ("us_trade_csl_plc", "OFAC Palestinian Legislative Council List (via the CSL)"),
    "CMIC": ("us_trade_csl_cmic", "OFAC Non-SDN Chinese Military-Industrial Complex (via the CSL)"),
    "NS-MBS": ("us_trade_csl_nsmbs", "OFAC Non-SDN Menu-Based Sanctions List (via the CSL)"),
    "CAP": ("us_trade_csl_cap", "OFAC CAPTA List (via the CSL)"),
    "FSE": ("us_trade_csl_fse", "OFAC Foreign Sanctions Evaders List (via the CSL)"),
}

FORMATS: dict[str, list[Format]] = {
    "un_sc_sanctions": [
        Format("xml", ("un/UN_consolidated.xml",), parse=_lazy("un_sc", "parse_un_sc")),
    ],
    "us_ofac_sdn": [
        Format(
            "enhanced-xml",
            ("ofac/SDN_ENHANCED.ZIP",),
            alternates=("sdn_enhanced.xml",),
            parse=_lazy("ofac_enhanced", "parse_ofac_enhanced_sdn"),
        ),
        Format("xml", ("ofac/sdn.xml",), parse=_lazy("ofac_xml", "parse_ofac_xml")),
        Format(
            "csv",
            ("ofac/sdn.csv",),
            companions=("ofac/alt.csv", "ofac/add.csv", "ofac/sdn_comments.csv"),
            parse=_lazy("ofac_csv", "parse_ofac_csv"),
            sequence=_OFAC_SEQUENCE,
        ),
    ],
    "us_ofac_cons": [
        Format(
            "enhanced-xml",
            ("ofac/CONS_ENHANCED.ZIP",),
            alternates=("cons_enhanced.xml",),
            parse=_lazy("ofac_enhanced", "parse_ofac_enhanced_cons"),
        ),
        Format("xml", ("ofac/consolidated.xml",), parse=_lazy("ofac_xml", "parse_ofac_cons_xml")),
        Format(
            "csv",
            ("ofac/cons_prim.csv",),
            companions=("ofac/cons_alt.csv", "ofac/cons_add.csv", "ofac/cons_comments.csv"),
            parse=_lazy("ofac_csv", "parse_ofac_cons_csv"),
            sequence=_OFAC_SEQUENCE,
        ),
    ],
    "eu_fsf": [
        Format(
            "xml",
            ("eu/xmlFullSanctionsList_1_1.xml",),
            alternates=("eu_fsf.xml",),
            parse=_lazy("eu_fsf", "parse_eu_fsf"),
        ),
    ],
    "gb_hmt_sanctions": [
        Format("xlsx", ("uk/ConList.xlsx",), parse=_lazy("uk_hmt", "parse_uk_hmt")),
        Format("csv", ("uk/ConList.csv",), parse=_lazy("uk_hmt", "parse_uk_hmt")),
    ],
    "gb_fcdo_sanctions": [
        Format("csv", ("uk/UK-Sanctions-List.csv",), parse=_lazy("uk_fcdo", "parse_uk_fcdo")),
        Format(
            "summary-ods",
            ("uk/UK-Sanctions-List-summary.ods",),
            alternates=("fcdo_sl_*.ods",),
            parse=_lazy("uk_fcdo_summary", "parse_uk_fcdo_summary"),
        ),
        Format(
            "summary-csv",
            ("uk/UK-Sanctions-List-summary.csv",),
            alternates=("fcdo_sl_*.csv",),
            parse=_lazy("uk_fcdo_summary", "parse_uk_fcdo_summary"),
        ),
    ],
    "us_bis_denied": [
        Format("txt", ("bis/dpl.txt",), parse=_lazy("bis_dpl", "parse_bis_dpl")),
    ],
    "us_trade_csl": [
        Format(
            "csv",
            ("us_csl/consolidated.csv",),
            alternates=("consolidated.csv.gz", "csl.csv"),
            excerpts=("us_csl_sample.csv",),
            parse=_lazy("trade_csl", "parse_trade_csl"),
        ),
    ],
    "kz_afmrk_sanctions": [
        Format(
            "xml",
            ("kz/afmrk_terrorism.xml",),
            alternates=("terrorism-financiers-source.xml",),
            parse=_lazy("kz_afmrk", "parse_kz_afmrk"),
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
            "ofac/SDN_ENHANCED.ZIP": SLS + "SDN_ENHANCED.ZIP",
        },
    ),
    "us_ofac_cons": (
        "OFAC Consolidated (non-SDN) Sanctions List",
        "US Treasury, Office of Foreign Assets Control",
        {
            "ofac/consolidated.xml": SLS + "CONSOLIDATED.XML",
            "ofac/CONS_ENHANCED.ZIP": SLS + "CONS_ENHANCED.ZIP",
            "ofac/cons_prim.csv": OFAC + "consolidated/cons_prim.csv",
            "ofac/cons_alt.csv": OFAC + "consolidated/cons_alt.csv",
            "ofac/cons_add.csv": OFAC + "consolidated/cons_add.csv",
            "ofac/cons_comments.csv": OFAC + "consolidated/cons_comments.csv",
        },
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
        {"uk/ConList.xlsx": OFSI + "ConList.xlsx", "uk/ConList.csv": OFSI + "ConList.csv"},
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
        "Consolidated Screening List (split into one dataset per source list)",
        "US International Trade Administration (trade.gov)",
        {"us_csl/consolidated.csv": CSL},
    ),
    "kz_afmrk_sanctions": (
        "Kazakhstan AFM list of persons associated with financing of terrorism and extremism",
        "Agency for Financial Monitoring of the Republic of Kazakhstan",
        {"kz/afmrk_terrorism.xml": AFM},
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
        # A download needs the files of the last (most basic) format it can fetch.
        required=next(f.required for f in reversed(FORMATS[name]) if set(f.required) <= set(files)),
    )
    for name, (title, publisher, files) in _META.items()
}

#: Datasets made by splitting a file of several lists → the dataset of that file.
SPLIT_FROM: dict[str, str] = {dataset: "us_trade_csl" for dataset, _ in CSL_LISTS.values()}


def datasets_of(name: str) -> tuple[str, ...]:
    """The datasets an import of ``name``'s files writes: itself, or the lists it splits into."""
    if name == "us_trade_csl":
        return tuple(dataset for dataset, _ in CSL_LISTS.values())
    return (name,)


def source_dataset(name: str) -> str:
    """The registry dataset whose files hold ``name`` (``us_bis_entity`` → ``us_trade_csl``)."""
    return SPLIT_FROM.get(name, name)


def known(name: str) -> bool:
    return name in DATASETS or name in SPLIT_FROM


@dataclass(frozen=True)
class Release:
    """One release of a dataset found in a folder: the files of one format, together."""

    dataset: str
    format: Format
    paths: tuple[Path, ...]
    #: The folder, relative to the directory searched (``.`` for the directory itself).
    folder: str
    missing: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        """How a user names this release: its folder, and its main file's name."""
        main = self.paths[0].name
        return main if self.folder == "." else f"{self.folder}/{main}"


def _main_file(files: dict[str, Path], fmt: Format) -> Path | None:
    for pattern in fmt.main_names():
        hits = sorted(p for low, p in files.items() if fnmatch.fnmatchcase(low, pattern))
        if hits:
            return hits[0]
    return None


def _release_in(folder: Path, files: dict[str, Path], name: str, fmt: Format) -> Release | None:
    main = _main_file(files, fmt)
    if main is None:
        return None
    paths = [main]
    missing: list[str] = []
    for rel in fmt.required[1:]:
        found = files.get(Path(rel).name.lower())
        if found is None:
            raise SourceError(
                f"{name} ({fmt.name}) is incomplete: {Path(rel).name} is missing next to "
                f"{main.name}; download all its files together",
                path=str(folder / Path(rel).name),
            )
        paths.append(found)
    for rel in (*fmt.companions, *fmt.optional):
        found = files.get(Path(rel).name.lower())
        if found is not None:
            paths.append(found)
        elif rel in fmt.companions:
            missing.append(Path(rel).name)
    return Release(name, fmt, tuple(paths), "", tuple(missing))


def releases_in_folder(folder: Path) -> list[Release]:
    """Every dataset's release in one folder: per dataset the files of each format present.

    Two formats of one dataset in one folder are two releases (a legacy CSV set beside an
    XML export may well be of different dates); their files are never mixed.
    """
    files = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    found: list[Release] = []
    for name, formats in FORMATS.items():
        for fmt in formats:
            release = _release_in(folder, files, name, fmt)
            if release is not None:
                found.append(release)
    return found


def find_releases(directory: Path, *, max_depth: int = 3) -> list[Release]:
    """Every release of every dataset in ``directory`` and its sub-folders, folder by folder.

    Each folder is searched on its own, so the files of different releases (``ofac/`` of
    2021 and ``ofac_sdn_2024/``) are never joined. Hidden folders are skipped.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise SourceError(
            "not a directory; pass the folder holding the list files", path=str(directory)
        )
    out: list[Release] = []
    queue: list[tuple[Path, int]] = [(directory, 0)]
    while queue:
        folder, depth = queue.pop(0)
        rel = folder.relative_to(directory).as_posix()
        for release in releases_in_folder(folder):
            out.append(
                Release(release.dataset, release.format, release.paths, rel, release.missing)
            )
        if depth < max_depth:
            queue.extend(
                (sub, depth + 1)
                for sub in sorted(folder.iterdir())
                if sub.is_dir() and not sub.name.startswith(".")
            )
    return out


def detect(directory: Path) -> dict[str, list[Path]]:
    """The datasets whose files sit at their local names in ``directory`` (the download
    cache's layout, e.g. ``ofac/sdn.csv``): ``{dataset: [paths]}``, the preferred format
    of each. Releases in other folders are :func:`find_releases`' job.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise SourceError(
            "not a directory; pass the folder holding the list files", path=str(directory)
        )
    out: dict[str, list[Path]] = {}
    for name, formats in FORMATS.items():
        for fmt in formats:
            folder = directory / Path(fmt.main).parent
            if not folder.is_dir():
                continue
            files = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
            release = _release_in(folder, files, name, fmt)
            if release is not None:
                out[name] = list(release.paths)
                break
    return out


def choose_format(name: str, paths: Sequence[Path]) -> tuple[Format, list[Path]]:
    """The preferred format among ``paths`` and the paths that belong to it."""
    if name not in FORMATS:
        raise SourceError(f"unknown dataset {name!r}; known: {', '.join(sorted(FORMATS))}")
    given = [Path(p) for p in paths]
    for fmt in FORMATS[name]:
        main = [
            p
            for p in given
            if any(
                fnmatch.fnmatchcase(p.name.lower(), n) for n in (*fmt.main_names(), *fmt.excerpts)
            )
        ]
        if not main:
            continue
        others = {Path(r).name.lower() for r in fmt.others()}
        return fmt, main[:1] + [p for p in given if p.name.lower() in others]
    expected = ", ".join(fmt.main for fmt in FORMATS[name])
    raise SourceError(
        f"no file of {name} among the given paths; expected {expected}",
        path=str(given[0]) if given else None,
    )


def parse_dataset(name: str, paths: Sequence[Path]) -> ParsedList:
    """Parse one dataset from its files (any order); formats are chosen as in FORMATS."""
    fmt, mine = choose_format(name, paths)
    assert fmt.parse is not None
    return fmt.parse(mine)
