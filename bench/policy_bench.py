"""Benchmark the policy layer: govern and every rule over the largest example homelab.

Usage::

    python bench/policy_bench.py [-C DIR] [--repeat N] [--copies N]

``--copies`` multiplies the rendered homelab (each copy in its own Stacks and namespaces) to see
how the rules scale. Prints a table and writes ``bench/results/policy.json``.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from homestack.catalog import Homelab, load, render_all
from homestack.kit import is_cluster_scoped
from homestack.model import Resource, Stack
from homestack.policy import RULES, PolicyContext, check, govern

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "examples"


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-C", "--directory", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args(argv)
    root = args.directory or largest_example()
    homelab = load(root)
    rendered = render_all(homelab).resources
    stacks, scaled_rendered = scaled(homelab, rendered, args.copies)
    big = Homelab(root=homelab.root, site=homelab.site, stacks=stacks)
    govern_ms, resources = timed(lambda: govern(big, scaled_rendered), args.repeat)
    count = sum(len(r) for r in resources.values())

    def run_all() -> int:
        return len(check(PolicyContext(homelab.site, stacks, resources)))

    all_ms, findings = timed(run_all, args.repeat)
    per_rule = {}
    for known in RULES:
        def one(rule: Any = known) -> int:
            return len(check(PolicyContext(homelab.site, stacks, resources), [rule]))
        per_rule[known.id] = statistics.median(timed(one, args.repeat)[0])
    report = {
        "homelab": root.name,
        "stacks": len(resources),
        "resources": count,
        "rules": len(RULES),
        "repeat": args.repeat,
        "copies": args.copies,
        "findings": findings,
        "govern_ms": {"median": statistics.median(govern_ms), "min": min(govern_ms)},
        "check_all_ms": {"median": statistics.median(all_ms), "min": min(all_ms)},
        "per_rule_ms": per_rule,
    }
    print(f"homelab {root.name}: {len(resources)} Stacks, {count} Resources, "
          f"{len(RULES)} rules, {args.repeat} runs")
    print(f"{'step':<24}{'median ms':>12}{'min ms':>12}")
    print(f"{'govern':<24}{statistics.median(govern_ms):>12.2f}{min(govern_ms):>12.2f}")
    print(f"{'all rules':<24}{statistics.median(all_ms):>12.2f}{min(all_ms):>12.2f}")
    print("slowest rules (median ms):")
    for rule_id, ms in sorted(per_rule.items(), key=lambda kv: -kv[1])[:8]:
        print(f"  {rule_id:<22}{ms:>12.3f}")
    out = HERE / "results" / "policy.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {out.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
