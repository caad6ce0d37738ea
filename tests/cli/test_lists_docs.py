"""docs/lists.md must keep up with the registry and the CLI, so it cannot silently drift."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from corridor.cli import app as corridor_app
from corridor.cli.lists import app

DOC = Path(__file__).resolve().parents[2] / "docs" / "lists.md"
TABLE = re.compile(r"<!-- datasets:[^\n]*-->\n(.*?)<!-- /datasets -->", re.S)


OFAC = "https://www.treasury.gov/ofac/downloads/"
SLS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"

#: What the datasets table must tell a user, written out by hand rather than read from the
#: registry: per dataset, each local file (marked when optional) and its official URL.
OFFICIAL_FILES = {
    "un_sc_sanctions": [
        ("un/UN_consolidated.xml", "https://scsanctions.un.org/resources/xml/en/consolidated.xml"),
    ],
    "us_ofac_sdn": [
        ("ofac/sdn.csv", OFAC + "sdn.csv"),
        ("ofac/alt.csv (optional)", OFAC + "alt.csv"),
        ("ofac/add.csv (optional)", OFAC + "add.csv"),
        ("ofac/sdn_comments.csv (optional)", OFAC + "sdn_comments.csv"),
        ("ofac/sdn.xml (optional)", SLS + "SDN.XML"),
        ("ofac/SDN_ENHANCED.ZIP (optional)", SLS + "SDN_ENHANCED.ZIP"),
    ],
    "us_ofac_cons": [
        ("ofac/consolidated.xml (optional)", SLS + "CONSOLIDATED.XML"),
        ("ofac/CONS_ENHANCED.ZIP (optional)", SLS + "CONS_ENHANCED.ZIP"),
        ("ofac/cons_prim.csv", OFAC + "consolidated/cons_prim.csv"),
        ("ofac/cons_alt.csv (optional)", OFAC + "consolidated/cons_alt.csv"),
        ("ofac/cons_add.csv (optional)", OFAC + "consolidated/cons_add.csv"),
        ("ofac/cons_comments.csv (optional)", OFAC + "consolidated/cons_comments.csv"),
    ],
    "eu_fsf": [
        (
            "eu/xmlFullSanctionsList_1_1.xml",
            "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/"
            "content?token=dG9rZW4tMjAxNw",
        )
    ],
    "gb_hmt_sanctions": [
        (
            "uk/ConList.xlsx (optional)",
            "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.xlsx",
        ),
        (
            "uk/ConList.csv",
            "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv",
        ),
    ],
    "gb_fcdo_sanctions": [
        ("uk/UK-Sanctions-List.csv", "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv")
    ],
    "us_bis_denied": [("bis/dpl.txt", "https://www.bis.doc.gov/dpl/dpl.txt")],
    "us_trade_csl": [
        (
            "us_csl/consolidated.csv",
            "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
        )
    ],
    "kz_afmrk_sanctions": [
        (
            "kz/afmrk_terrorism.xml",
            "https://api.websfm.kz/v1/sanctions/sanction-terrorist/xml_category_1/?status=acting",
        )
    ],
}


def docs_table() -> str:
    match = TABLE.search(DOC.read_text(encoding="utf-8"))
    assert match, "docs/lists.md lost its generated datasets table"
    return match.group(1).strip()


def test_docs_table_names_every_official_file_and_url() -> None:
    """Each row: `dataset` — title | publisher | local files | official URLs."""
    shown = {}
    for row in docs_table().splitlines()[2:]:
        dataset, _publisher, files, urls = (cell.strip() for cell in row.strip("|").split("|"))
        name = re.match(r"`(\w+)` — \S", dataset).group(1)
        locals_ = [f.replace("`", "") for f in files.split("<br>")]
        shown[name] = list(zip(locals_, urls.split("<br>"), strict=True))
    assert shown == OFFICIAL_FILES


def test_datasets_command_prints_the_docs_table() -> None:
    result = CliRunner().invoke(corridor_app, ["lists", "datasets", "--markdown"])
    assert result.exit_code == 0
    assert result.stdout.strip() == docs_table(), (
        "docs/lists.md is behind the registry: paste the output of "
        "`corridor lists datasets --markdown` between the datasets markers"
    )


def test_every_command_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    for command in app.registered_commands:
        name = command.name or command.callback.__name__.replace("_", "-")
        assert f"corridor lists {name}" in text, name
