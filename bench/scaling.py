"""Scaling: the no-op plan from state on the homelab at 1x, 3x and 10x (``bench/scale.py``).

Each size is generated, applied once with the gitops target and planned from state as a whole
process (median of the runs; the apply leaves the page cache warm), as a user runs it again
(the render cache holds the checked homelab) and with the render cache off (the first plan
after an edit), in turn. The copies cost more than the originals to render (each object is
rebuilt renamed), so the uncached growth is an upper bound. Per size: wall and CPU time,
peak RSS, time and memory per Resource; then the growth of 10x over 1x. The fixed cost of
starting the interpreter dominates small homelabs, so the marginal cost per added Resource is
given too: ``(t(N) - t(1)) / (R(N) - R(1))``.
Targets (DESIGN.md): 10x the homelab in at most 10x the time and at most 1 GiB peak memory.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    adopt,
    console,
    copy_homelab,
    interleaved,
    ratio,
    run,
    shown,
    standalone,
    table,
)
from bench.noop_plan import PLAN_OK, plan_counts
from bench.scale import SCALE_DIR, scale

FACTORS = (1, 3, 10)
MEMORY_TARGET_MIB = 1024.0


def measure(homelab: Path, factor: int, work: Path, repeat: int) -> dict[str, Any]:
    """Generate, apply and time one size."""
    root = work / f"x{factor}"
    scale(homelab, factor, root)
    lab = adopt(root, work)
    # the copies' rename module, importable where a kept render of them is read back
    env = {**lab.env, "PYTHONPATH": str(root / SCALE_DIR)}
    applied = run(lab.cmd("apply", "--yes", "--target", "gitops"), env=env, timeout=1800)
    args = ("--from-state", "--target", "gitops")
    counts = plan_counts(lab, *args)
    measured = interleaved({
        "cached": (lab.cmd("plan", *args), {"env": env, "ok": PLAN_OK}),
        "uncached": (lab.cmd("plan", *args),
                     {"env": {**env, "HOMESTACK_RENDER_CACHE": "off"}, "ok": PLAN_OK}),
    }, repeat, warmup=0)
    timed, uncached = measured["cached"], measured["uncached"]
    resources = counts["resources"] or 1
    return {
        "factor": factor,
        "stacks": counts["stacks"],
        "resources": counts["resources"],
        "stacks_with_changes": counts["stacks_with_changes"],
        "apply_once_wall_s": round(applied.wall, 3),
        "plan_from_state": timed.to_json(),
        "plan_from_state_uncached": uncached.to_json(),
        "ms_per_resource": round(timed.wall_median * 1000 / resources, 3),
        "kib_per_resource": round(timed.rss_mib_max * 1024 / resources, 1),
    }


def run_benchmark(homelab: Path, *, quick: bool = False,
                  factors: tuple[int, ...] = FACTORS) -> dict[str, Any]:
    """Every size, then the growth ratios of the largest over the smallest."""
    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="hs-bench-scale-") as scratch:
        # One snapshot for every size, in case the homelab is being edited meanwhile.
        source = copy_homelab(homelab, Path(scratch) / "source")
        sizes = [measure(source, factor, Path(scratch), repeat) for factor in factors]
    first, last = sizes[0], sizes[-1]
    t1, tn = first["plan_from_state"]["wall_median"], last["plan_from_state"]["wall_median"]
    added = last["resources"] - first["resources"]
    growth = last["factor"] / first["factor"]
    return {
        "homelab": shown(homelab),
        "sizes": sizes,
        "time_growth": ratio(tn, t1),
        "uncached_time_growth": ratio(last["plan_from_state_uncached"]["wall_median"],
                                      first["plan_from_state_uncached"]["wall_median"]),
        "resource_growth": ratio(last["resources"], first["resources"]),
        "marginal_ms_per_resource": round((tn - t1) * 1000 / added, 3) if added else None,
        "peak_rss_mib": last["plan_from_state"]["rss_mib_max"],
        "target": {"time_growth_max": growth, "peak_rss_mib_max": MEMORY_TARGET_MIB},
        "meets_target": (tn <= growth * t1
                         and last["plan_from_state"]["rss_mib_max"] <= MEMORY_TARGET_MIB),
    }


def show(result: dict[str, Any]) -> None:
    """Print the sizes and the growth."""
    rows = [(f"{s['factor']}x", s["stacks"], s["resources"], s["apply_once_wall_s"],
             s["plan_from_state"]["wall_median"], s["plan_from_state"]["cpu_median"],
             s["plan_from_state_uncached"]["wall_median"],
             s["plan_from_state"]["rss_mib_max"], s["ms_per_resource"], s["kib_per_resource"])
            for s in result["sizes"]]
    console.print(table(
        f"Scaling the no-op plan from state, {result['homelab']}",
        ("size", "Stacks", "Resources", "apply once s", "plan wall s", "CPU s",
         "cache off s", "peak RSS MiB", "ms/Resource", "KiB/Resource"), rows))
    verdict = "meets" if result["meets_target"] else "MISSES"
    console.print(f"time x{result['time_growth']} (render cache off: "
                  f"x{result['uncached_time_growth']}) for Resources x{result['resource_growth']}; "
                  f"marginal {result['marginal_ms_per_resource']} ms per added Resource; peak "
                  f"{result['peak_rss_mib']:.1f} MiB: {verdict} the target (linear, "
                  f"<= {MEMORY_TARGET_MIB:.0f} MiB)")


def main(argv: list[str] | None = None) -> int:
    return standalone(__doc__ or "", "scaling", run_benchmark, show, argv)


if __name__ == "__main__":
    raise SystemExit(main())
