"""Run the loopback chart repository, or seed a chart cache with the stand-ins.

    python -m homestack_testing.charts --port 0 [--homelab DIR] [--charts DIR ...]
    python -m homestack_testing.charts --fill-cache CACHE_DIR

With ``--homelab``, every entry of the homelab's ``charts.lock`` is checked against what is
served, and a missing chart or a different digest is reported before the URL is printed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

from homestack_testing.charts.repository import STANDINS, Packaged, fill_cache, package_all
from homestack_testing.charts.server import ChartRepository


def _check_lock(homelab: Path, charts: list[Packaged]) -> list[str]:
    lock = homelab / "charts.lock"
    if not lock.is_file():
        return []
    served = {(c.name, c.version): f"sha256:{c.digest}" for c in charts}
    problems = []
    for entry in (yaml.safe_load(lock.read_text(encoding="utf-8")) or {}).get("charts") or []:
        have = served.get((entry["chart"], entry["version"]))
        if have is None:
            problems.append(f"{entry['chart']} {entry['version']} is not served")
        elif have != entry["digest"]:
            problems.append(f"{entry['chart']} {entry['version']} is served as {have}, "
                            f"charts.lock records {entry['digest']}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m homestack_testing.charts")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--homelab", type=Path)
    parser.add_argument("--charts", type=Path, action="append", default=[],
                        help="more folders of chart directories to serve")
    parser.add_argument("--fill-cache", type=Path, metavar="CACHE_DIR")
    args = parser.parse_args(argv)
    if args.fill_cache:
        written = fill_cache(package_all([STANDINS, *args.charts]), args.fill_cache)
        print(f"{len(written)} charts in {args.fill_cache}")
        return 0
    repo = ChartRepository(extra=args.charts, port=args.port)
    if args.homelab:
        for problem in _check_lock(args.homelab, repo.charts):
            print(f"warning: {problem}", file=sys.stderr)
    repo.start()
    print(repo.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        repo.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
