"""Trade screening benchmark: one trade of 10 parties and 20 goods lines, index already loaded.

    python benchmarks/screen_trade.py            # 50 repeats; updates docs/benchmarks.md
    python benchmarks/screen_trade.py --no-doc   # print only

Setup (not timed as screening): the OFAC SDN and UN lists from ``../shared/data/lists`` are
imported into a fresh SQLite file, the policy is loaded and the matching index is built
once (``build_screener``), as ``corridor screen`` does for a run of several trades. Then
``screen_trade`` is timed on the same trade ``--repeat`` times; the median is the figure.
The trade mixes listed and unlisted parties, an ownership chain, a vessel leg and goods
on the EU/US control lists, so every step of screening does real work.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from corridor.policy import Policy, load_policy, party_nexus, trade_findings
from corridor.screening.engine import build_screener, screen_trade
from corridor.screening.grouping import group_findings
from corridor.sources import registry
from corridor.store import Store, dataset_hash
from corridor.trade import Trade

sys.path.insert(0, str(Path(__file__).resolve().parent))
from doc_sections import git_commit, machine_line, publish_section, utc_now  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LISTS = Path(os.environ.get("CORRIDOR_SHARED", ROOT.parent / "shared")) / "data" / "lists"
DATASETS = ("us_ofac_sdn", "un_sc_sanctions")

PARTIES = [
    ("exporter", "Elbtal Elektronik Vertrieb GmbH", "Company", "de"),
    ("importer", "Almaty Microsystems TOO", "Company", "kz"),
    ("consignee", "Aktsionernoe Obshchestvo PASIT", "Company", "ru"),
    ("end_user", "Tidewater Middle East Co.", "Company", "ir"),
    ("intermediary", "Step Trade Solutions TOO", "Company", "kz"),
    ("carrier", "Caspian Feeder Lines LLP", "Company", "kz"),
    ("bank", "Steppe Commercial Bank JSC", "Company", "kz"),
    ("forwarder", "Silk Way Forwarding LLC", "Company", "ge"),
    ("bank", "Bank Rossiya", "Company", "ru"),
    ("end_user", "Mohammed Ali Hassan", "Person", "ae"),
]
HS_CODES = [
    "854231",
    "854232",
    "854233",
    "854239",
    "851762",
    "852691",
    "853221",
    "853224",
    "854800",
    "847150",
    "850440",
    "851769",
    "880730",
    "848210",
    "847330",
    "100390",
    "270900",
    "720851",
    "901380",
    "854370",
]


def benchmark_trade() -> Trade:
    parties = []
    for role, name, schema, country in PARTIES:
        parties.append({"role": role, "name": name, "schema": schema, "country": country})
    parties[1]["owners"] = [
        {
            "name": "Bank Rossiya",
            "country": "ru",
            "share": 30,
            "owners": [{"name": "Kovalchuk Yuri Valentinovich", "schema": "Person", "share": 40}],
        },
        {"name": "Steppe Holdings LLP", "country": "kz", "share": 70},
    ]
    goods = [
        {
            "hs_code": code,
            "origin": "us" if i % 3 == 0 else "de",
            "value": 10000 + i,
            "us_content_pct": 30 if i % 3 == 1 else None,
        }
        for i, code in enumerate(HS_CODES)
    ]
    route = [
        {"country": "de"},
        {"country": "pl"},
        {"country": "by"},
        {"country": "ru"},
        {"country": "kz", "place": "Aktau"},
        {"country": "ir", "place": "Amirabad", "vessel": {"name": "ARTAVIL", "imo": "9187629"}},
    ]
    return Trade.model_validate(
        {
            "date": "2024-08-16",
            "currency": "USD",
            "clearing_country": "us",
            "parties": parties,
            "goods": goods,
            "route": route,
        }
    )


def load_store(url: str) -> int:
    store = Store(url)
    found = registry.detect(LISTS)
    count = 0
    for name in DATASETS:
        paths = found[name]
        parsed = registry.parse_dataset(name, paths)
        snap = store.import_list(parsed, file_hash=dataset_hash(paths), source=str(LISTS))
        count += snap.entity_count
    store.close()
    return count


def time_policy(policy: Policy, trade: Trade) -> float:
    """The policy's share of one screening: every party's nexus and all finding rules, with
    the per-trade cache ``screen_trade`` uses (the rest is list matching and reporting)."""
    started = time.perf_counter()
    cache: dict[object, object] = {}
    for i in range(len(trade.parties)):
        party_nexus(policy, trade, i, trade.date, cache=cache)
    trade_findings(policy, trade, trade.date, cache=cache)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--no-doc", action="store_true", help="print only, do not edit docs")
    args = parser.parse_args()

    trade = benchmark_trade()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'corridor.db'}"
        entities = load_store(url)
        store = Store(url)
        policy = load_policy()
        started = time.perf_counter()
        screener = build_screener(store, as_of=dt.date(2024, 8, 16))
        build = time.perf_counter() - started
        first = screen_trade(trade, store=store, policy=policy, matcher=screener)  # warm caches
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            screen_trade(trade, store=store, policy=policy, matcher=screener)
            times.append(time.perf_counter() - started)
        policy_times = [time_policy(policy, trade) for _ in range(args.repeat)]
        store.close()

    median = statistics.median(times)
    groups = len(group_findings(first.findings))
    lines = [
        f"Command: `.venv/bin/python benchmarks/screen_trade.py --repeat {args.repeat}` "
        f"(commit {git_commit()}, {utc_now()}).",
        "",
        f"Machine: {machine_line()}; load average {load:.1f} at the start (other jobs share "
        "the cores: figures vary about 2x with load).",
        "",
        f"Data: OFAC SDN CSV set + UN consolidated XML from `../shared/data/lists` "
        f"({entities:,} entities) in a fresh SQLite file; default policy.",
        "",
        f"Trade: {len(trade.parties)} parties (one with a two-level ownership chain), "
        f"{len(trade.goods)} goods lines, {len(trade.route)} route legs (one with a vessel); "
        f"result {first.verdict} with {len(first.findings)} findings in the JSON, shown as "
        f"{groups} groups (one per rule and outcome) in the terminal and HTML reports.",
        "",
        "| step | time |",
        "|---|---|",
        f"| matching index build (once per run, `build_screener`) | {build:.2f} s |",
        f"| `screen_trade`, median of {args.repeat} | {median * 1000:.1f} ms |",
        f"| `screen_trade`, min / max | {min(times) * 1000:.1f} / {max(times) * 1000:.1f} ms |",
        f"| of which the policy (nexus of every party + every finding rule), median | "
        f"{statistics.median(policy_times) * 1000:.1f} ms |",
        "",
        "Screening time per trade excludes loading the index, which `corridor screen` does once "
        "for all the trade files of a run.",
    ]
    publish_section("Trade screening", "\n".join(lines), write=not args.no_doc)


if __name__ == "__main__":
    main()
