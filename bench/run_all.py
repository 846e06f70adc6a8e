"""Run every benchmark on one snapshot of the homelab, write the JSON and ``RESULTS.md``.

    python bench/run_all.py [-C DIR] [--quick] [--only NAME ...] [--skip NAME ...]

The homelab (the reference homelab when present) is copied once, so every figure comes from the
same Stacks even while the homelab is being edited. Each benchmark prints its table and writes
``bench/results/<name>.json``; a failing one is recorded with its error and the others still
run. ``summary.json`` and ``bench/RESULTS.md`` gather the headline figures; with ``--only`` or
``--skip`` the benchmarks not run keep their previous figures there (each result names its
commit).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (
    cdk8s_side,
    helm_bench,
    incremental,
    live,
    noop_plan,
    policy_bench,
    scaling,
    terraform_side,
)
from bench._common import (
    BENCH,
    RESULTS,
    commit,
    console,
    copy_homelab,
    default_homelab,
    ensure_charts,
    parser,
    shown,
    write_json,
)
from bench._report import results_markdown

Benchmark = tuple[Callable[..., dict[str, Any]], Callable[[dict[str, Any]], None]]
BENCHMARKS: dict[str, Benchmark] = {
    "noop_plan": (noop_plan.run_benchmark, noop_plan.show),
    "scaling": (scaling.run_benchmark, scaling.show),
    "live": (live.run_benchmark, live.show),
    "incremental": (incremental.run_benchmark, incremental.show),
    "policy": (policy_bench.run_benchmark, policy_bench.show),
    "helm": (helm_bench.run_benchmark, helm_bench.show),
    "terraform": (terraform_side.run_benchmark, terraform_side.show),
    "cdk8s": (cdk8s_side.run_benchmark, cdk8s_side.show),
}


def run_all(homelab: Path, *, quick: bool, names: list[str], results: Path | None
            ) -> dict[str, Any]:
    """Run ``names`` on one snapshot of ``homelab``; every result by name."""
    label = shown(homelab)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="hs-bench-all-") as scratch:
        snapshot = copy_homelab(homelab, Path(scratch) / homelab.name)
        for name in names:
            run, show = BENCHMARKS[name]
            console.rule(name)
            start = time.perf_counter()
            try:
                result = run(snapshot, quick=quick)
                result["homelab"] = label
                show(result)
            except Exception as error:  # one broken benchmark must not hide the others
                traceback.print_exc()
                result = {"error": f"{type(error).__name__}: {error}"[-1000:]}
            result["benchmark_wall_s"] = round(time.perf_counter() - start, 1)
            result["commit"] = commit()
            write_json(name, result, results)
            out[name] = result
    return out


def kept_results(folder: Path | None, homelab: str, rerun: set[str]) -> dict[str, Any]:
    """The previous summary's results of the benchmarks not run now (same homelab), so that
    ``--only`` refreshes some figures without dropping the others; each keeps its commit."""
    path = (folder or RESULTS) / "summary.json"
    try:
        previous = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if previous.get("homelab") != homelab:
        return {}
    return {name: result for name, result in previous.get("results", {}).items()
            if name in BENCHMARKS and name not in rerun}


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.split("\n\n")[0])
    args.add_argument("--only", nargs="*", default=None, choices=sorted(BENCHMARKS))
    args.add_argument("--skip", nargs="*", default=[], choices=sorted(BENCHMARKS))
    args.add_argument("--markdown", type=Path, default=BENCH / "RESULTS.md",
                      help="where the results table goes")
    parsed = args.parse_args(argv)
    ensure_charts()
    homelab = (parsed.homelab or default_homelab()).resolve()
    names = [n for n in (parsed.only or list(BENCHMARKS)) if n not in parsed.skip]
    start = time.perf_counter()
    before = commit()
    results = run_all(homelab, quick=parsed.quick, names=names, results=parsed.results)
    total = round(time.perf_counter() - start, 1)
    if parsed.only is not None or parsed.skip:
        results = {**kept_results(parsed.results, shown(homelab), set(names)), **results}
    if commit() != before:
        console.print(f"[bold red]the code changed during the run ({before} -> {commit()}): "
                      "the figures mix versions; run again[/]")
    command = "python bench/run_all.py" + (" --quick" if parsed.quick else "")
    if parsed.homelab is not None:
        command += f" -C {shown(homelab)}"
    write_json("summary", {"homelab": shown(homelab), "quick": parsed.quick,
                           "total_wall_s": total, "command": command,
                           "results": results}, parsed.results)
    parsed.markdown.write_text(results_markdown(results, command, total, commit()),
                               encoding="utf-8")
    console.print(f"all benchmarks in {total} s; wrote {shown(parsed.markdown)}")
    return 1 if any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
