"""Incremental: edit one Stack of an applied homelab, then plan it alone and plan everything.

The homelab is applied once with the gitops target; then one Stack's ``stack.py`` gains a
ConfigMap (appended at its end, so the edit works on any stack file). Two Stacks are edited in
turn, each alone: a leaf (nothing needs it) and the hub (the most dependents). For each edit:
``plan STACK --with-dependents`` and the full ``plan``, both from state and against the GitOps
repository, as whole processes: wall time, Stacks planned and Stacks with changes.
Target (DESIGN.md): an edited Stack re-plans only itself and its dependents.

Then the first plan after an edit: each measured run follows a fresh edit of the leaf, so the
render cache always misses and the run renders again what changed. ``plan STACK`` and the full
``plan`` (both render only the edited Stack, then govern and check the whole homelab) are
measured in turn with the full plan rendering everything (the render cache off); ``--debug``
of the first run of each says how many Stacks were rendered.
Target: ``plan STACK`` renders only that Stack and what it needs.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import Lab, console, run, sample, shown, standalone, summarize, table
from bench.noop_plan import PLAN_OK, applied_copy
from homestack.catalog import load
from homestack.engine import order

EDIT = '''

# Added by bench/incremental.py: one more object in this Stack.
import homestack as _bench_homestack  # noqa: E402
from homestack.kit import raw as _bench_raw  # noqa: E402

_bench_raw([_v for _v in list(globals().values()) if isinstance(_v, _bench_homestack.Stack)][0],
           {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "bench-edit"},
            "data": {"edited": "yes"}}, name="bench-edit")
'''


def pick(root: Path) -> dict[str, tuple[str, int]]:
    """The leaf and the hub to edit, each with its number of dependents."""
    graph = order(load(root))
    counts = {name: len(graph.dependents([name]) - {name}) for name in graph.needs}
    leaves = sorted(n for n, c in counts.items() if c == 0)
    hub = max(sorted(counts), key=lambda n: counts[n])
    chosen = {"hub": (hub, counts[hub])}
    if leaves:
        chosen["leaf"] = (leaves[len(leaves) // 2], 0)
    return chosen


def _plan(lab: Lab, repeat: int, *args: str, warmup: int = 1) -> dict[str, Any]:
    data = json.loads(run(lab.cmd("plan", "--json", *args), ok=PLAN_OK, env=lab.env).stdout)
    changed = [s["stack"] for s in data["stacks"]
               if any(c["action"] not in ("unchanged", "skipped") for c in s["changes"])]
    timed = sample(lab.cmd("plan", *args), repeat, warmup=warmup, ok=PLAN_OK, env=lab.env)
    return {"stacks_planned": len(data["stacks"]), "stacks_with_changes": len(changed),
            "changed": changed, "wall_s": round(timed.wall_median, 4),
            "cpu_s": round(timed.cpu_median, 4)}


def edit_and_plan(lab: Lab, stack: str, repeat: int, warmup: int = 1) -> dict[str, Any]:
    """Edit ``stack``, run the four plans, restore the file."""
    path = lab.root / "stacks" / stack / "stack.py"
    original = path.read_text(encoding="utf-8")
    path.write_text(original + EDIT, encoding="utf-8")
    try:
        out = {}
        for mode, extra in (("from_state", ("--from-state",)), ("gitops", ())):
            base = (*extra, "--target", "gitops")
            out[f"selected_{mode}"] = _plan(lab, repeat, stack, "--with-dependents", *base,
                                            warmup=warmup)
            out[f"full_{mode}"] = _plan(lab, repeat, *base, warmup=warmup)
        return out
    finally:
        path.write_text(original, encoding="utf-8")


_RENDERED = re.compile(r"rendered (\d+) Stacks?")


def first_plan_after_edit(lab: Lab, stack: str, repeat: int) -> dict[str, Any]:
    """Each run after a fresh edit of ``stack``: ``plan STACK`` and ``plan`` (render cache on)
    and ``plan`` with the render cache off, in turn; Stacks rendered and median wall times."""
    path = lab.root / "stacks" / stack / "stack.py"
    original = path.read_text(encoding="utf-8")
    off = {**lab.env, "HOMESTACK_RENDER_CACHE": "off"}
    modes = {"plan_stack": ((stack, "--from-state"), lab.env),
             "plan_all": (("--from-state",), lab.env),
             "plan_all_cache_off": (("--from-state",), off)}
    runs: dict[str, list[Any]] = {mode: [] for mode in modes}
    rendered: dict[str, int] = {}
    run(lab.cmd("plan", "--from-state"), ok=PLAN_OK, env=lab.env)  # an entry to start from
    try:
        for turn in range(1 + max(1, repeat)):  # the first turn counts, the others are timed
            for mode, (args, env) in modes.items():
                path.write_text(original + EDIT.replace('"yes"', f'"{mode}-{turn}"'),
                                encoding="utf-8")
                debug = ("--debug",) if turn == 0 else ()
                done = run(lab.cmd(*debug, "plan", *args), ok=PLAN_OK, env=env)
                if turn == 0:
                    found = _RENDERED.findall(done.stderr)
                    rendered[mode] = int(found[-1]) if found else -1
                else:
                    runs[mode].append(done)
    finally:
        path.write_text(original, encoding="utf-8")
    walls = {mode: round(summarize(done).wall_median, 4) for mode, done in runs.items()}
    return {"stack": stack, "rendered": rendered, "wall_s": walls,
            "speedup_vs_cache_off": round(walls["plan_all_cache_off"] / walls["plan_stack"], 3)}


def run_benchmark(homelab: Path, *, quick: bool = False, warmup: int = 1) -> dict[str, Any]:
    """Apply once, then edit the leaf and the hub in turn; then the first plan after an edit
    of the leaf."""
    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="hs-bench-incr-") as scratch:
        lab, _ = applied_copy(homelab, Path(scratch))
        total = len(order(load(lab.root)).needs)
        edits = {}
        chosen = pick(lab.root)
        for role, (stack, dependents) in chosen.items():
            edits[role] = {"stack": stack, "dependents": dependents,
                           **edit_and_plan(lab, stack, repeat, warmup)}
        leaf = chosen.get("leaf", chosen["hub"])[0]
        after_edit = first_plan_after_edit(lab, leaf, 3 if quick else 5)
    ok = all(e["selected_from_state"]["stacks_planned"] == e["dependents"] + 1
             and e["full_from_state"]["stacks_with_changes"] == 1 for e in edits.values())
    renders_one = after_edit["rendered"]["plan_stack"] == 1
    return {"homelab": shown(homelab), "stacks": total, "edits": edits,
            "first_plan_after_edit": after_edit, "renders_only_the_edited_stack": renders_one,
            "meets_target": ok and renders_one}


def show(result: dict[str, Any]) -> None:
    """One row per edit and plan."""
    rows = []
    for role, e in result["edits"].items():
        for key, label in (("selected_from_state", "STACK --with-dependents --from-state"),
                           ("full_from_state", "all --from-state"),
                           ("selected_gitops", "STACK --with-dependents (gitops)"),
                           ("full_gitops", "all (gitops)")):
            p = e[key]
            rows.append((f"{role} {e['stack']} ({e['dependents']} dependents)", label,
                         p["wall_s"], p["stacks_planned"], p["stacks_with_changes"]))
    console.print(table(f"Incremental plan after editing one Stack, {result['homelab']} "
                        f"({result['stacks']} Stacks)",
                        ("edited", "plan", "wall s", "Stacks planned", "with changes"), rows))
    after = result["first_plan_after_edit"]
    rows = [(label, after["rendered"][mode], after["wall_s"][mode])
            for mode, label in (("plan_stack", f"plan {after['stack']} --from-state"),
                                ("plan_all", "plan --from-state"),
                                ("plan_all_cache_off", "plan --from-state, render cache off"))]
    console.print(table(f"First plan after an edit of {after['stack']}",
                        ("plan", "Stacks rendered", "wall s"), rows))
    verdict = "meets" if result["meets_target"] else "MISSES"
    console.print(f"{verdict} the target: the selected plan covers the Stack and its "
                  "dependents, the full plan finds changes in the edited Stack only, and the "
                  "first plan after an edit renders only the edited Stack")


def main(argv: list[str] | None = None) -> int:
    return standalone(__doc__ or "", "incremental", run_benchmark, show, argv)


if __name__ == "__main__":
    raise SystemExit(main())
