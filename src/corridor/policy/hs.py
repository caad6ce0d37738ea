"""HS 2022 codes: normalise a declared code and check it against the nomenclature.

Goods lists are keyed on HS-6 subheadings (CN-8 / HTS-10 / TN VED codes share their first
six digits), so a declared code is validated on its HS-6 prefix. The nomenclature itself
(~7,000 rows) is read at run time from ``CORRIDOR_HS_FILE`` rather than shipped with the
package: it is the World Customs Organization's table and changes with each HS revision.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from corridor import settings
from corridor.errors import InputError

_SEPARATORS = re.compile(r"[\s.\-]+")


@dataclass(frozen=True, slots=True)
class HSCode:
    """A declared goods code, validated: ``code`` is all its digits, ``hs6`` the subheading."""

    code: str
    hs6: str
    description: str

    @property
    def heading(self) -> str:
        return self.code[:4]

    @property
    def chapter(self) -> str:
        return self.code[:2]


def load_hs_nomenclature(path: Path | None = None) -> dict[str, str]:
    """Every HS code (2, 4 and 6 digits) → its description (datasets/harmonized-system CSV)."""
    return _read_nomenclature(path or settings.hs_file())


@lru_cache(maxsize=4)
def _read_nomenclature(path: Path) -> dict[str, str]:
    if not path.is_file():
        raise InputError(
            f"HS 2022 nomenclature not found; download {settings.HS_OFFICIAL_URL} "
            "and set CORRIDOR_HS_FILE to its path",
            path=str(path),
        )
    table: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"hscode", "description"} - set(reader.fieldnames or ())
        if missing:
            raise InputError(
                f"not an HS nomenclature CSV: missing columns {sorted(missing)}", path=str(path)
            )
        for row in reader:
            code = (row["hscode"] or "").strip()
            # section TOTAL rows (99, 9999, 999999) are trade-statistics aggregates, not HS
            if code.isdigit() and (row.get("section") or "").strip() != "TOTAL":
                table[code] = (row["description"] or "").strip()
    if not any(len(code) == 6 for code in table):
        raise InputError("HS nomenclature has no 6-digit subheadings", path=str(path))
    return table


def normalize_hs_code(code: str | int) -> str:
    """Digits only: ``8542.31``, ``8542 31 90`` and ``8542-31`` all become ``854231…``."""
    return _SEPARATORS.sub("", str(code).strip())


def validate_hs_code(
    code: str | int, *, field: str | None = None, table: dict[str, str] | None = None
) -> HSCode:
    """Parse a declared code of 6 to 10 digits; its HS-6 prefix must be an HS 2022 subheading.

    ``field`` (e.g. ``goods[2].hs_code``) is named in the error so the user finds the line;
    ``table`` is the nomenclature when the caller already holds it (one look-up per trade).
    """
    digits = normalize_hs_code(code)
    if not digits.isdigit() or not 6 <= len(digits) <= 10:
        raise InputError(
            f"{code!r} is not an HS code: give 6 to 10 digits (dots and spaces are ignored)",
            field=field or "hs_code",
        )
    table = table if table is not None else load_hs_nomenclature()
    hs6 = digits[:6]
    if hs6 not in table:
        raise InputError(f"{hs6} is not an HS 2022 code", field=field or "hs_code")
    return HSCode(code=digits, hs6=hs6, description=table[hs6])
