"""Party-matching robustness: name variations the dev set does not contain.

    python benchmarks/robustness_matching.py                 # generate, run, score, print
    python benchmarks/robustness_matching.py --doc           # also write the docs section
    python benchmarks/robustness_matching.py --keep DIR      # keep queries/labels/results

The dev set (``../shared/eval/dev``) covers a fixed set of perturbation families; the
official held-out set adds families it does not show. This benchmark generates, from the
real OFAC SDN and UN list files, queries in families dev lacks (initials, an extra given
name, cut-off names, glued/split compounds, hyphens and apostrophes, diacritics, the UN
entries' real Arabic-script names, Cyrillic organisation names, Ukrainian/Kazakh and
German/French romanisations, company word order, organisation-word abbreviations,
a leading "The", two typos, phonetic misspellings, vessel prefixes, doubled letters)
plus negatives of similar structure, writes them in ``../shared/eval/PROTOCOL.md``'s
query and label format, and scores ``corridor match`` with ``../shared/eval/score.py``
(per family recall and FPR). Generation is deterministic (``--seed``); the generator
knows letters and name structure, never particular names.

The families are in ``perturbations.py``, the negatives and the check that keeps them
unlisted in ``negatives.py``, the list records in ``list_records.py``; this runner builds
the queries, runs the matcher, scores and writes the report.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import negatives
from baseline import checkout_src
from doc_sections import git_commit, machine_line, publish_section, utc_now
from list_records import Listed, load_aliases, load_congress, load_ofac, load_un, plain
from perturbations import FAMILIES, LATER_FAMILIES, Perturb, central_asian

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("CORRIDOR_SHARED", ROOT.parent / "shared"))
LISTS = SHARED / "data" / "lists"
SCORE = SHARED / "eval" / "score.py"
DATASETS = ("us_ofac_sdn", "un_sc_sanctions")
SECTION = "Party matching: robustness"
#: Queries per positive family and per negative family.
PER_FAMILY = 60
SEED = 20261127
#: Families whose variant may differ from the listed name only in what ``plain`` drops.
SAME_PLAIN_KEPT = ("diacritics", "hyphen_apostrophe", "vessel_prefix", "leading_the")


# ----------------------------------------------------------------------------- build
def schema_of(e: Listed, rng: random.Random) -> str:
    """The query's schema: an organisation is asked for as any of the three kinds."""
    if e.kind == "person":
        return "Person"
    if e.kind == "vessel":
        return "Vessel"
    return rng.choice(["Company", "Organization", "LegalEntity"])


def sorted_key(name: str) -> str:
    """The name's plain words in sorted order: records that share it are namesakes."""
    return " ".join(sorted(plain(name).split()))


def is_new_variant(family: str, name: str | None, e: Listed) -> bool:
    """A variant worth a query: not the listed name itself, nor the same once ``plain``, unless
    what ``plain`` drops is the family's whole point (accents, hyphens, a prefix, "The")."""
    if not name or name == e.name:
        return False
    return plain(name) != plain(e.name) or family in SAME_PLAIN_KEPT


def positive_label(family: str, e: Listed, namesakes: list[str]) -> dict:
    """The record is expected, and so is a namesake on the other list (the same party listed
    twice); a namesake on the record's own list is acceptable (a name cannot tell them apart)."""
    dataset = e.source_id.split(":")[0]
    same_list = [s for s in namesakes if s != e.source_id and s.split(":")[0] == dataset]
    other_list = [s for s in namesakes if s.split(":")[0] != dataset]
    return {
        "kind": "positive",
        "family": family,
        "expected": [e.source_id, *other_list],
        "acceptable": same_list,
        "source": e.source_id,
        "source_name": e.name,
    }


class Queries:
    """Queries and their labels in PROTOCOL.md's format, numbered in the order added."""

    def __init__(self) -> None:
        self.queries: list[dict] = []
        self.labels: list[dict] = []

    def add(self, schema: str, name: str, label: dict) -> None:
        qid = f"r{len(self.queries) + 1:05d}"
        self.queries.append({"id": qid, "schema": schema, "properties": {"name": [name]}})
        self.labels.append({"id": qid, "attrs": [], **label})


def add_positives(
    out: Queries,
    entries: list[Listed],
    rng: random.Random,
    families: dict[str, Perturb] = FAMILIES,
) -> None:
    """``PER_FAMILY`` variants per family, each of another record, drawn in shuffled order."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for e in entries:
        by_name[sorted_key(e.name)].append(e.source_id)
    for family, perturb in families.items():
        pool = list(entries)
        rng.shuffle(pool)
        made = 0
        for e in pool:
            name = perturb(e, rng)
            if not is_new_variant(family, name, e):
                continue
            out.add(schema_of(e, rng), name, positive_label(family, e, by_name[sorted_key(e.name)]))
            made += 1
            if made == PER_FAMILY:
                break


def add_negatives(out: Queries, entries: list[Listed], rng: random.Random) -> None:
    """``PER_FAMILY`` look-alikes per negative family that no listed name is too close to."""
    checker = negatives.ListedNames(entries, load_aliases(LISTS))
    drawn = negatives.candidates(entries, load_congress(LISTS), rng, PER_FAMILY * 3)
    for family, items in drawn.items():
        for schema, name in negatives.accepted(items, checker, PER_FAMILY):
            out.add(
                schema,
                name,
                {"kind": "negative", "family": family, "expected": [], "acceptable": []},
            )


def add_later(out: Queries, entries: list[Listed], seed: int) -> None:
    """The families added later (``LATER_FAMILIES``) and their negative family, from an RNG
    of their own: the queries drawn before them stay the same.

    ``neg_central_asian``: the given names of one listed person with the surname of
    another, written in a Central Asian national form like the positives, kept only when
    no listed name is too close.
    """
    rng = random.Random(seed + 1)
    add_positives(out, entries, rng, LATER_FAMILIES)
    persons = [e for e in entries if e.kind == "person" and e.given and len(e.surname) >= 4]
    items: list[tuple[str, str]] = []
    for _ in range(PER_FAMILY * 20):
        a, b = rng.sample(persons, 2)
        mixed = Listed("", "person", f"{b.surname}, {' '.join(a.given)}", a.given, b.surname)
        name = central_asian(mixed, rng)
        if name:
            items.append(("Person", name))
    checker = negatives.ListedNames(entries, load_aliases(LISTS))
    for schema, name in negatives.accepted(items, checker, PER_FAMILY):
        out.add(
            schema,
            name,
            {"kind": "negative", "family": "neg_central_asian", "expected": [], "acceptable": []},
        )


def build(seed: int) -> tuple[list[dict], list[dict]]:
    """Queries and labels: every positive family, then every negative family, then the
    families added later (their own RNG)."""
    rng = random.Random(seed)
    entries = load_ofac(LISTS) + load_un(LISTS)
    out = Queries()
    add_positives(out, entries, rng)
    add_negatives(out, entries, rng)
    add_later(out, entries, seed)
    return out.queries, out.labels


# ----------------------------------------------------------------------------- score
def write_jsonl(path: Path, rows: list[dict]) -> None:
    """One JSON object a line, non-ASCII names as written, as score.py reads them."""
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def ensure_db(db: Path) -> None:
    """A store holding exactly the two lists the queries come from, imported once."""
    if db.exists():
        return
    # One release folder at a time: the mirror's 2024 SDN release must stay out.
    for folder in ("un", "ofac"):
        cmd = [
            sys.executable,
            "-m",
            "corridor",
            "lists",
            "update",
            "--from",
            str(LISTS / folder),
            "--db",
            str(db),
        ]
        subprocess.run(cmd, check=True, capture_output=True)


def score(queries: Path, labels: Path, db: Path, results: Path, src: Path | None = None) -> str:
    """score.py's report on ``corridor match`` (the installed code, or the code in ``src``)."""
    corridor = Path(sys.executable).with_name("corridor")
    env = f"PYTHONPATH={src} " if src else ""
    run = f"{env}CORRIDOR_DB={db} {corridor} match " + " ".join(f"--dataset {d}" for d in DATASETS)
    cmd = [
        sys.executable,
        str(SCORE),
        "--queries",
        str(queries),
        "--labels",
        str(labels),
        "--run",
        run,
        "--results",
        str(results),
        "--by-family",
    ]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def family_rates(report: str) -> dict[str, tuple[str, str, str]]:
    """family -> (kind, n, rate at match) from score.py's per-family lines."""
    out = {}
    for line in report.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[1] in ("positive", "negative") and ":" not in parts[0]:
            out[parts[0]] = (parts[1], parts[2], parts[3])
    return out


def family_table(report: str, before: str | None = None, before_rev: str = "") -> str:
    """Per-family rates as a markdown table (recall for positives, FPR for negatives)."""
    now, then = family_rates(report), family_rates(before) if before else {}
    head = "| family | kind | n | " + (f"before ({before_rev}) | " if then else "") + "now |"
    rows = [head, "|---" * (5 if then else 4) + "|"]
    for fam, (kind, n, rate) in now.items():
        old = f"{then.get(fam, ('', '', '–'))[2]} | " if then else ""
        rows.append(f"| {fam} | {kind} | {n} | {old}{rate} |")
    return "\n".join(rows)


def render_section(
    report: str, queries: int, seed: int, before: str | None = None, baseline: str = ""
) -> str:
    """The docs section: how it was measured, the per-family table and score.py's summary
    line (before and now when ``--baseline`` scored an earlier engine too)."""
    base = f" --baseline {baseline}" if baseline else ""
    lines = [
        f"Measured {utc_now()} at commit {git_commit()} on {machine_line()}.",
        "",
        f"Command: `.venv/bin/python benchmarks/robustness_matching.py --seed {seed}"
        f"{base} --doc`: {queries} queries generated from OFAC SDN + UN in families the "
        "dev set lacks (name only, no birth date or country), scored by "
        '`../shared/eval/score.py --run "corridor match …" --by-family` at the default '
        "threshold. Rates: recall for positive families, false-positive rate for negative.",
        "",
        family_table(report, before, baseline),
        "",
        "```",
    ]
    if before:
        lines.append(f"before: {before.strip().splitlines()[-1]}")
    lines += [f"now:    {report.strip().splitlines()[-1]}", "```"]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--keep", type=Path, help="write queries, labels and results here")
    ap.add_argument("--db", type=Path, help="database with OFAC SDN + UN (built if missing)")
    ap.add_argument("--baseline", metavar="REV", help="also score the engine of commit REV")
    ap.add_argument("--doc", action="store_true", help=f"write docs/benchmarks.md '{SECTION}'")
    args = ap.parse_args()
    out = args.keep or Path(tempfile.mkdtemp(prefix="corridor-robust-"))
    out.mkdir(parents=True, exist_ok=True)
    queries, labels = build(args.seed)
    write_jsonl(out / "queries.jsonl", queries)
    write_jsonl(out / "labels.jsonl", labels)
    db = args.db or out / "lists.db"
    ensure_db(db)
    before = None
    if args.baseline:
        with tempfile.TemporaryDirectory(prefix="corridor-baseline-") as tmp:
            src = checkout_src(args.baseline, Path(tmp))
            before = score(
                out / "queries.jsonl", out / "labels.jsonl", db, out / "results_baseline.jsonl", src
            )
        print(f"== baseline {args.baseline}\n{before}")
    report = score(out / "queries.jsonl", out / "labels.jsonl", db, out / "results.jsonl")
    print(report)
    if args.doc:
        section = render_section(report, len(queries), args.seed, before, args.baseline or "")
        publish_section(SECTION, section)


if __name__ == "__main__":
    main()
