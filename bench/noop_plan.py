"""No-op plan: ``homestack plan --from-state`` (and the GitOps plan) on an applied homelab.

The homelab is copied to a temporary folder and applied once with the gitops target (embedded
defaults: SQLite state and the GitOps repository under ``.homestack/`` of the copy). Then each
command runs as a whole process, a warm-up first, the commands in turn (so a machine whose speed
drifts slows them all alike), and the median of the runs is kept. The floor
row is the interpreter importing the plan command's code and doing nothing: what a plan pays
before it works.
The no-op plan is measured twice: as a user runs it again (the render cache holds the checked
homelab) and with the render cache off (load, render, govern and check every Stack, every
time; ``bench/incremental.py`` measures the first plan after an edit of one Stack).
Target (DESIGN.md): the no-op plan from state in at most 0.3 s wall for the whole process.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    Lab,
    console,
    interleaved,
    prepare_lab,
    python,
    run,
    shown,
    standalone,
    table,
)
from bench._stages import stages

TARGET_SECONDS = 0.3
PLAN_OK = (0, 2)  # 2 is "changes" with --detailed-exitcode; a no-op plan exits 0


def applied_copy(homelab: Path, work: Path, name: str = "lab") -> tuple[Lab, float]:
    """A copy of ``homelab`` applied once with the gitops target, and the apply's wall time."""
    lab = prepare_lab(homelab, work, name)
    done = run(lab.cmd("apply", "--yes", "--target", "gitops"), env=lab.env)
    return lab, done.wall


def plan_counts(lab: Lab, *args: str) -> dict[str, Any]:
    """Stacks, Resources and actions of one plan (its ``--json`` output)."""
    done = run(lab.cmd("plan", "--json", *args), ok=PLAN_OK, env=lab.env)
    data = json.loads(done.stdout)
    changed = [s["stack"] for s in data["stacks"]
               if any(c["action"] not in ("unchanged", "skipped") for c in s["changes"])]
    return {"stacks": len(data["stacks"]), "resources": sum(data["summary"].values()),
            "actions": data["summary"], "stacks_with_changes": len(changed)}


def run_benchmark(homelab: Path, *, quick: bool = False, repeat: int | None = None,
                  warmup: int = 1) -> dict[str, Any]:
    """Apply once, then time the no-op plans; the result as JSON-able data."""
    times = repeat or (3 if quick else 5)
    with tempfile.TemporaryDirectory(prefix="hs-bench-noop-") as scratch:
        lab, apply_wall = applied_copy(homelab, Path(scratch))
        from_state_args = ("--from-state", "--target", "gitops")
        counts = plan_counts(lab, *from_state_args)
        measured = interleaved({
            # what `plan` imports before it does anything (a run imports only its command)
            "floor": ([python(), "-c", "import homestack.cli.engine_cmd"], {"env": lab.env}),
            "from_state": (lab.cmd("plan", *from_state_args), {"env": lab.env, "ok": PLAN_OK}),
            "uncached": (lab.cmd("plan", *from_state_args),
                         {"env": {**lab.env, "HOMESTACK_RENDER_CACHE": "off"}, "ok": PLAN_OK}),
            "gitops": (lab.cmd("plan", "--target", "gitops"), {"env": lab.env, "ok": PLAN_OK}),
        }, times, warmup=warmup)
        floor, from_state = measured["floor"], measured["from_state"]
        uncached, gitops = measured["uncached"], measured["gitops"]
        inside = stages(lab.root, lab.identity, times)
    resources = counts["resources"] or 1
    return {
        "homelab": shown(homelab),
        "stacks": counts["stacks"],
        "resources": counts["resources"],
        "plan_actions": counts["actions"],
        "stacks_with_changes": counts["stacks_with_changes"],
        "apply_once_wall_s": round(apply_wall, 3),
        "import_floor": floor.to_json(),
        "plan_from_state": from_state.to_json(),
        "plan_from_state_uncached": uncached.to_json(),
        "uncached_over_cached": round(uncached.wall_median / from_state.wall_median, 3),
        "plan_gitops": gitops.to_json(),
        "from_state_ms_per_resource": round(from_state.wall_median * 1000 / resources, 3),
        "from_state_over_floor_s": round(from_state.wall_median - floor.wall_median, 3),
        "gitops_over_from_state": round(gitops.wall_median / from_state.wall_median, 3),
        "stages_s": inside,
        "target_s": TARGET_SECONDS,
        "meets_target": from_state.wall_median <= TARGET_SECONDS,
    }


def show(result: dict[str, Any]) -> None:
    """Print the figures as a table."""
    rows = []
    for label, key in (("import the plan command (floor)", "import_floor"),
                       ("plan --from-state", "plan_from_state"),
                       ("plan --from-state, render cache off", "plan_from_state_uncached"),
                       ("plan --target gitops", "plan_gitops")):
        s = result[key]
        rows.append((label, s["runs"], s["wall_median"], s["wall_min"], s["wall_max"],
                     s["cpu_median"], round(s["rss_mib_max"], 1)))
    console.print(table(
        f"No-op plan, {result['homelab']}: {result['stacks']} Stacks, "
        f"{result['resources']} Resources",
        ("command", "runs", "wall s (median)", "min", "max", "CPU s", "peak RSS MiB"), rows))
    console.print(table("In-process stages of the same plans (median)", ("stage", "seconds"),
                        result["stages_s"].items()))
    verdict = "meets" if result["meets_target"] else "MISSES"
    console.print(f"plan --from-state {result['plan_from_state']['wall_median']:.3f} s "
                  f"({result['from_state_ms_per_resource']:.3f} ms/Resource): {verdict} the "
                  f"{result['target_s']} s target; {result['from_state_over_floor_s']:.3f} s "
                  f"above the import floor; {result['uncached_over_cached']:.2f}x as long "
                  f"without the render cache; the GitOps plan takes "
                  f"{result['gitops_over_from_state']:.2f}x as long")


def main(argv: list[str] | None = None) -> int:
    return standalone(__doc__ or "", "noop_plan", run_benchmark, show, argv)


if __name__ == "__main__":
    raise SystemExit(main())
