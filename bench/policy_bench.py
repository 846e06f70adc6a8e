"""Policy: every rule over the governed homelab, in-process, and the slowest rules one by one.

The homelab is loaded, rendered and governed once; then ``check_homelab`` (building the policy
context and running every rule, silencing applied) is timed, median of the runs, and each rule
alone on a prebuilt context. Target: all rules in at most 100 ms.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import console, default_homelab, parser, shown, table, timed, write_json
from homestack.catalog import load
from homestack.engine import desired
from homestack.policy import RULES, PolicyContext, check, check_homelab

TARGET_MS = 100.0
SHOWN_RULES = 8


def run_benchmark(homelab: Path, *, quick: bool = False) -> dict[str, Any]:
    """Time every rule together, the context build, and each rule alone."""
    repeat = 5 if quick else 20
    wanted = desired(load(homelab))
    resources = sum(len(r) for r in wanted.resources.values())
    findings = check_homelab(wanted.homelab, wanted.resources)
    total, _ = timed(lambda: check_homelab(wanted.homelab, wanted.resources), repeat)
    site, stacks = wanted.homelab.site, wanted.homelab.stacks
    build, _ = timed(lambda: PolicyContext(site, stacks, wanted.resources), repeat)
    ctx = PolicyContext(site, stacks, wanted.resources)
    per_rule = {}
    for rule in RULES:
        seconds, _ = timed(lambda rule=rule: check(ctx, [rule]), max(3, repeat // 4))
        per_rule[rule.id] = round(seconds * 1000, 3)
    slowest = dict(sorted(per_rule.items(), key=lambda kv: -kv[1])[:SHOWN_RULES])
    return {
        "homelab": shown(homelab),
        "stacks": len(wanted.resources),
        "resources": resources,
        "rules": len(RULES),
        "findings": len(findings),
        "all_rules_ms": round(total * 1000, 3),
        "context_ms": round(build * 1000, 3),
        "us_per_resource_rule": round(total * 1e6 / (resources * len(RULES)), 3)
        if resources else None,
        "slowest_rules_ms": slowest,
        "sum_of_rules_ms": round(sum(per_rule.values()), 3),
        "target_ms": TARGET_MS,
        "meets_target": total * 1000 <= TARGET_MS,
    }


def show(result: dict[str, Any]) -> None:
    """The totals and the slowest rules."""
    rows = [("all rules (check_homelab)", result["all_rules_ms"]),
            ("policy context alone", result["context_ms"]),
            ("sum of rules one by one", result["sum_of_rules_ms"]),
            *((f"  {rule}", ms) for rule, ms in result["slowest_rules_ms"].items())]
    console.print(table(
        f"Policy, {result['homelab']}: {result['rules']} rules over {result['resources']} "
        f"Resources in {result['stacks']} Stacks ({result['findings']} findings)",
        ("what", "ms (median)"), rows))
    verdict = "meets" if result["meets_target"] else "MISSES"
    console.print(f"{result['all_rules_ms']:.1f} ms, {result['us_per_resource_rule']} µs per "
                  f"Resource and rule: {verdict} the {result['target_ms']:.0f} ms target")


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.split("\n\n")[0]).parse_args(argv)
    result = run_benchmark(args.homelab or default_homelab(), quick=args.quick)
    show(result)
    write_json("policy", result, args.results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
