"""Benchmark the policy layer: govern and every rule over the largest example homelab.

Usage::

    python bench/policy_bench.py [-C DIR] [--repeat N] [--copies N] [--quick] [--results DIR]

``--copies`` multiplies the rendered homelab (each copy in its own Stacks and namespaces) to see
how the rules scale. Prints a table and writes ``bench/results/policy.json``; ``run_all.py``
calls ``run_benchmark``. Target: all rules in at most 100 ms.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import console, default_homelab, shown, table, write_json
from homestack.catalog import Homelab, load, render_all
from homestack.kit.raw import is_cluster_scoped
from homestack.model import Resource, Stack
from homestack.policy import RULES, PolicyContext, check, govern

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"
TARGET_MS = 100.0


def largest_example() -> Path:
    """The example homelab with the most Stacks."""
    homelabs = [p for p in EXAMPLES.iterdir() if (p / "site.py").is_file()]
    return max(homelabs, key=lambda p: (len(list(p.glob("stacks/*/stack.py"))), p.name))


def _renamed(resource: Resource, suffix: str) -> Resource:
    body = copy.deepcopy(resource.body)
    metadata = body.setdefault("metadata", {})
    if resource.k8s_kind == "Namespace" or is_cluster_scoped(resource.k8s_kind):
        metadata["name"] = f"{metadata.get('name', '')}{suffix}"
    if metadata.get("namespace"):
        metadata["namespace"] = f"{metadata['namespace']}{suffix}"
    return Resource.k8s(body, ignore=resource.ignore, owned_elsewhere=resource.owned_elsewhere)


def scaled(homelab: Homelab, resources: dict[str, list[Resource]], copies: int
           ) -> tuple[dict[str, Stack], dict[str, list[Resource]]]:
    """``copies`` copies of the homelab's Stacks and Resources, in distinct namespaces."""
    stacks: dict[str, Stack] = dict(homelab.stacks)
    out = dict(resources)
    for index in range(1, copies):
        suffix = f"-c{index}"
        for name, rendered in resources.items():
            original = homelab.stacks[name]
            stacks[name + suffix] = Stack(name + suffix, tier=original.tier,
                                          namespace=original.namespace + suffix)
            out[name + suffix] = [
                _renamed(r, suffix) if r.provider.value == "k8s" else r for r in rendered]
    return stacks, out


def timed(action: Callable[[], Any], repeat: int) -> tuple[list[float], Any]:
    """Wall times in milliseconds of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def run_benchmark(root: Path, *, quick: bool = False, repeat: int | None = None,
                  copies: int = 1) -> dict[str, Any]:
    """Govern and every rule over ``root`` (``copies`` times), medians of ``repeat`` runs."""
    repeat = repeat or (5 if quick else 20)
    homelab = load(root)
    rendered = render_all(homelab).resources
    stacks, scaled_rendered = scaled(homelab, rendered, copies)
    big = Homelab(root=homelab.root, site=homelab.site, stacks=stacks)
    govern_ms, resources = timed(lambda: govern(big, scaled_rendered), repeat)
    count = sum(len(r) for r in resources.values())

    def run_all() -> int:
        return len(check(PolicyContext(homelab.site, stacks, resources)))

    all_ms, findings = timed(run_all, repeat)
    per_rule = {}
    for known in RULES:
        def one(rule: Any = known) -> int:
            return len(check(PolicyContext(homelab.site, stacks, resources), [rule]))
        per_rule[known.id] = round(statistics.median(timed(one, repeat)[0]), 4)
    median = statistics.median(all_ms)
    return {
        "homelab": shown(root),
        "stacks": len(resources),
        "resources": count,
        "rules": len(RULES),
        "repeat": repeat,
        "copies": copies,
        "findings": findings,
        "govern_ms": {"median": round(statistics.median(govern_ms), 3),
                      "min": round(min(govern_ms), 3)},
        "check_all_ms": {"median": round(median, 3), "min": round(min(all_ms), 3)},
        "us_per_resource_rule": round(median * 1000 / (count * len(RULES)), 4) if count else None,
        "per_rule_ms": per_rule,
        "target_ms": TARGET_MS,
        "meets_target": median <= TARGET_MS,
    }


def show(report: dict[str, Any]) -> None:
    """The steps and the slowest rules as a table."""
    rows: list[tuple[str, float, float | None]] = [
        ("govern", report["govern_ms"]["median"], report["govern_ms"]["min"]),
        ("all rules", report["check_all_ms"]["median"], report["check_all_ms"]["min"])]
    slowest = sorted(report["per_rule_ms"].items(), key=lambda kv: -kv[1])[:8]
    rows += [(f"  {rule_id}", ms, None) for rule_id, ms in slowest]
    console.print(table(
        f"Policy, {report['homelab']}: {report['stacks']} Stacks, {report['resources']} "
        f"Resources, {report['rules']} rules, {report['repeat']} runs",
        ("step (then the slowest rules)", "median ms", "min ms"), rows))
    verdict = "meets" if report["meets_target"] else "MISSES"
    console.print(f"all rules {report['check_all_ms']['median']:.1f} ms "
                  f"({report['us_per_resource_rule']} us per Resource and rule): {verdict} the "
                  f"{report['target_ms']:.0f} ms target")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-C", "--directory", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=None)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--results", type=Path, default=None, help="where the JSON goes")
    args = parser.parse_args(argv)
    root = args.directory or default_homelab()
    report = run_benchmark(root, quick=args.quick, repeat=args.repeat, copies=args.copies)
    show(report)
    out = write_json("policy", report, args.results)
    console.print(f"wrote {shown(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
