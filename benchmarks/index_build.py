"""Time ``Matcher.from_store`` on a database and report the process's peak memory.

Run as its own process (``python benchmarks/index_build.py --db PATH``) so the memory
figure is the index's alone, not the benchmark driver's. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time


def rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory of this process (or of its largest child: the linking workers
    of a build with many lists) so far; Linux reports KiB."""
    return resource.getrusage(who).ru_maxrss / 1024.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", required=True, help="database path or SQLAlchemy URL")
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="builds timed; the first (fresh process, cold caches) is the headline",
    )
    args = ap.parse_args(argv)

    from corridor.matching import Matcher
    from corridor.settings import database_url
    from corridor.store import Store

    base = rss_mb()
    timings = []
    matcher = None
    with Store(database_url(args.db)) as store:
        # cold: read the entities from the store and build the index, no cache
        for _ in range(max(1, args.repeat)):
            matcher = None
            t0 = time.perf_counter()
            matcher = Matcher.from_store(store, use_cache=False)
            timings.append(time.perf_counter() - t0)
        cold_rss = rss_mb()
        # warm: what `corridor match` does on start once the cache file exists
        Matcher.from_store(store)  # writes the cache if missing
        t0 = time.perf_counter()
        matcher = Matcher.from_store(store)
        cached = time.perf_counter() - t0
    probe = matcher.match({"schema": "Person", "properties": {"name": ["Sergey Zhukov"]}})
    json.dump(
        {
            "build_seconds": timings[0],
            "build_seconds_all": timings,
            "cached_load_seconds": cached,
            "rss_before_mb": base,
            "peak_rss_mb": cold_rss,
            "peak_rss_worker_mb": rss_mb(resource.RUSAGE_CHILDREN),
            "entities": len(matcher.entities),
            "probe_results": len(probe),
        },
        sys.stdout,
    )
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
