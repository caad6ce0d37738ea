"""The look-alike negatives of the robustness benchmark, and the check that keeps them unlisted.

Each family draws names shaped like listed ones (a common first and last name, an initial and
a surname, a listed person's given name with another's surname, two Arabic-script name words,
a surname with company words, a ship prefix) from real unlisted names (US Congress members)
and from the lists' own words. A candidate is then checked against every listed name the way
``../shared/eval/PROTOCOL.md``'s negatives are: it is dropped when its normalised (or
token-sorted) name is within one edit (two for 11+ letters) of a listed name, or its tokens
are a subset or superset of a listed name's.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass

from list_records import Listed, plain
from perturbations import ARABIC, GENERIC_ORG, VESSEL_PREFIXES

#: (schema, name) of one negative query.
Candidate = tuple[str, str]

GENERIC_ORG_WORDS = (
    "Trading",
    "International",
    "Industries",
    "Group",
    "Holding",
    "Shipping",
    "Investment",
    "General Trading",
    "Engineering",
    "Technology",
)
_GENERIC_ORG_UPPER = frozenset(g.upper() for g in GENERIC_ORG_WORDS)
_VESSEL_PREFIX = re.compile(r"^(M/V|MV|M\.V\.|MT|M/T|M\.T\.|Vessel) ")


# ------------------------------------------------------------------------ the check
def skeleton_tokens(name: str) -> frozenset[str]:
    """Consonant skeletons of a name's words (``al`` dropped): how an Arabic-script
    spelling and its romanisation meet (Muhammad / محمد -> ``mhmd``)."""
    out = set()
    for tok in plain(name.replace("ة", "")).split():  # ta marbuta: Usama, not Usamat
        tok = re.sub(r"^(al|el)(?=[a-z]{3})", "", tok)
        sk = re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouyw]", "", tok))
        if tok not in ("al", "el") and sk:
            out.add(sk)
    return frozenset(out)


class ListedNames:
    """Every listed name (primary, aliases, original script) in the forms the negative
    check needs."""

    def __init__(self, entries: list[Listed], aliases: list[str]) -> None:
        names = [e.name for e in entries] + [e.original for e in entries if e.original]
        names += aliases
        self.plain = sorted({plain(n) for n in names if plain(n)})
        self.sorted = sorted({" ".join(sorted(p.split())) for p in self.plain})
        self.token_sets = [frozenset(p.split()) for p in self.plain]
        self.token_sets += [skeleton_tokens(n) for n in names]
        self.by_token: dict[str, list[int]] = defaultdict(list)
        for i, toks in enumerate(self.token_sets):
            for t in toks:
                self.by_token[t].append(i)

    def _shares_structure(self, toks: frozenset[str]) -> bool:
        """Tokens a subset or superset of a listed name's (two or more), where a one-letter
        token stands for any listed word with that initial."""
        words = {t for t in toks if len(t) > 1}
        initials = [t for t in toks if len(t) == 1]
        if not words:
            return False
        ids = set.intersection(*(set(self.by_token.get(t, ())) for t in words))
        for i in ids:
            listed = self.token_sets[i]
            if len(listed) < 2 and not initials:
                continue
            rest = listed - words
            if all(any(r.startswith(c) for r in rest) for c in initials) and (
                len(toks) >= 2 or len(listed) >= 2
            ):
                return True
        return False

    def too_close(self, name: str) -> bool:
        """True when ``name`` could be a listed name's variant, so it cannot be a negative."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        p = plain(name)
        if not p:
            return True
        limit = 2 if len(p.replace(" ", "")) >= 11 else 1
        key = " ".join(sorted(p.split()))
        for q, pool in ((p, self.plain), (key, self.sorted)):
            if process.extractOne(q, pool, scorer=Levenshtein.distance, score_cutoff=limit):
                return True
        return self._shares_structure(frozenset(p.split())) or self._shares_structure(
            skeleton_tokens(name)
        )


def accepted(candidates: list[Candidate], checker: ListedNames, wanted: int) -> list[Candidate]:
    """The first ``wanted`` distinct candidates no listed name is too close to, with or
    without their ship prefix."""
    seen: set[str] = set()
    out: list[Candidate] = []
    for schema, name in candidates:
        bare = _VESSEL_PREFIX.sub("", name)
        if name in seen or checker.too_close(name) or checker.too_close(bare):
            continue
        seen.add(name)
        out.append((schema, name))
        if len(out) == wanted:
            break
    return out


# ------------------------------------------------------------------------ the families
@dataclass
class Pools:
    """What the families draw from."""

    persons: list[Listed]  # listed people with a first given name of 3+ letters
    orgs: list[Listed]  # listed organisations
    firsts: list[str]  # first words of unlisted full names
    lasts: list[str]  # last words of unlisted full names
    arabic: list[list[str]]  # words of listed people's Arabic-script names (two or more)


def pools(entries: list[Listed], congress: list[str]) -> Pools:
    """The pools, from the listed records and real unlisted full names."""
    return Pools(
        persons=[
            e
            for e in entries
            if e.kind == "person" and e.given and len(e.given[0]) > 2 and e.given[0].isalpha()
        ],
        orgs=[e for e in entries if e.kind == "org"],
        firsts=[n.split()[0] for n in congress if len(n.split()) >= 2],
        lasts=[n.split()[-1] for n in congress if len(n.split()) >= 2],
        arabic=[
            e.original.split()
            for e in entries
            if e.original
            and ARABIC.search(e.original)
            and e.kind == "person"
            and len(e.original.split()) >= 2
        ],
    )


def common_person(p: Pools, rng: random.Random) -> Candidate:
    """An unlisted first name with an unlisted last name: ``Mary Jones``."""
    return ("Person", f"{rng.choice(p.firsts)} {rng.choice(p.lasts)}")


def initials_person(p: Pools, rng: random.Random) -> Candidate:
    """An initial with an unlisted last name: ``M. Jones``."""
    return ("Person", f"{rng.choice(p.firsts)[0]}. {rng.choice(p.lasts)}")


def recombined_person(a: Listed, b: Listed) -> Candidate:
    """One listed person's first given name with another's surname."""
    return ("Person", f"{a.given[0]} {b.surname}")


def recombined_initial(a: Listed, b: Listed) -> Candidate:
    """The same two people, the given name as an initial."""
    return ("Person", f"{a.given[0][0]}. {b.surname}")


def arabic_script(p: Pools, rng: random.Random) -> Candidate:
    """The first word of one listed Arabic-script name with the last of another."""
    x, y = rng.choice(p.arabic), rng.choice(p.arabic)
    return ("Person", f"{x[0]} {y[-1]}")


def generic_company(p: Pools, rng: random.Random) -> Candidate:
    """An unlisted surname with a listed organisation's generic words (or generic words of
    our own): ``Jones Trading LLC``, ``Jones International Shipping``."""
    org = rng.choice(p.orgs)
    generic = [
        w
        for w in org.name.replace(",", " ").split()
        if w.upper() in _GENERIC_ORG_UPPER or GENERIC_ORG.match(w)
    ]
    words = [rng.choice(p.lasts)] + (generic or [rng.choice(GENERIC_ORG_WORDS)])
    if rng.random() < 0.5:
        words.insert(1, rng.choice(GENERIC_ORG_WORDS))
    return (rng.choice(["Company", "Organization", "LegalEntity"]), " ".join(words))


def vessel_prefix(p: Pools, rng: random.Random) -> Candidate:
    """A ship prefix before an unlisted surname: ``M/V JONES``."""
    return ("Vessel", rng.choice(VESSEL_PREFIXES) + rng.choice(p.lasts).upper())


def draw_round(p: Pools, rng: random.Random) -> dict[str, Candidate]:
    """One candidate of every family, drawn in this order from the one RNG (the order fixes
    the queries). Both recombined families write the same two listed people."""
    common = common_person(p, rng)
    initial = initials_person(p, rng)
    a, b = rng.choice(p.persons), rng.choice(p.persons)
    return {
        "neg_common_person": common,
        "neg_initials_person": initial,
        "neg_recombined_person": recombined_person(a, b),
        "neg_recombined_initial": recombined_initial(a, b),
        "neg_arabic_script": arabic_script(p, rng),
        "neg_generic_company": generic_company(p, rng),
        "neg_vessel_prefix": vessel_prefix(p, rng),
    }


def candidates(
    entries: list[Listed], congress: list[str], rng: random.Random, rounds: int
) -> dict[str, list[Candidate]]:
    """Per family, ``rounds`` candidates, not yet checked against the listed names."""
    p = pools(entries, congress)
    out: dict[str, list[Candidate]] = defaultdict(list)
    for _ in range(rounds):
        for family, candidate in draw_round(p, rng).items():
            out[family].append(candidate)
    return out
