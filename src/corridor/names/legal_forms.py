"""Organisation legal forms folded to one symbol per class (``ООО``/``OOO``/``LLC`` -> ``@llc``).

The classes are data (``names/data/legal_forms.yaml``); this module only loads them and
replaces the longest matching spelling in a token sequence by the class symbol.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from corridor.names.normalize import normalize

#: Prefix that marks a folded legal form among name tokens.
SYMBOL_PREFIX = "@"


@cache
def legal_form_table() -> dict[tuple[str, ...], str]:
    """Normalised spelling (as a token tuple) -> class symbol, from the YAML data file."""
    path = resources.files("corridor.names") / "data" / "legal_forms.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    table: dict[tuple[str, ...], str] = {}
    for cls, spellings in data.items():
        for spelling in spellings:
            tokens = tuple(normalize(str(spelling)).split())
            if tokens:
                table[tokens] = SYMBOL_PREFIX + str(cls)
    return table


@cache
def _max_len() -> int:
    return max(len(k) for k in legal_form_table())


def fold_legal_forms(tokens: list[str]) -> list[str]:
    """Replace legal-form spellings in ``tokens`` by their class symbol, longest match first."""
    table = legal_form_table()
    longest = _max_len()
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        for size in range(min(longest, n - i), 0, -1):
            symbol = table.get(tuple(tokens[i : i + size]))
            if symbol is not None:
                out.append(symbol)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


def is_legal_form(token: str) -> bool:
    """True for a folded legal-form symbol."""
    return token.startswith(SYMBOL_PREFIX)
