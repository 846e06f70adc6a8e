"""Side by side with Terraform: a no-op `terraform plan` of the same objects vs `homestack plan`.

For every Stack, one Terraform root module (``main.tf.json``) with one built-in
``terraform_data`` resource per object, its input the object's JSON; local state. Each module
is initialised and applied once, then the no-op plans are timed: every module one after the
other, and ``cores`` modules at a time. ``homestack plan`` (from state, and against the GitOps
repository) of the same applied homelab is timed in the same run; the figure is the ratio.

Terraform runs with ``TF_IN_AUTOMATION=1``, ``-input=false`` and a CLI configuration whose only
provider source is an empty local mirror, so it never reaches the network (``terraform_data``
needs no provider). Skipped with a message when terraform is absent or ``init`` fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    Run,
    console,
    default_homelab,
    parser,
    quiet_env,
    ratio,
    run,
    sample,
    shown,
    table,
    write_json,
)
from bench._objects import objects_by_stack
from bench.noop_plan import PLAN_OK, applied_copy

_NAME = re.compile(r"[^A-Za-z0-9_-]+")


def terraform_binary() -> str | None:
    """The terraform on PATH (or in /usr/local/bin), None when absent."""
    return shutil.which("terraform") or shutil.which("terraform", path="/usr/local/bin")


def _escape(value: Any) -> Any:
    """Literal strings in Terraform JSON syntax: ``${`` and ``%{`` would start templates."""
    if isinstance(value, str):
        return value.replace("${", "$${").replace("%{", "%%{")
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escape(v) for v in value]
    return value


def write_modules(objects: dict[str, list[dict[str, Any]]], folder: Path) -> list[Path]:
    """One root module per Stack; returns the module folders."""
    modules = []
    for stack, items in objects.items():
        module = folder / stack
        module.mkdir(parents=True)
        resources = {f"o{index:04d}_{_NAME.sub('_', item['address'])[-80:]}":
                     {"input": _escape(item["body"])} for index, item in enumerate(items)}
        config = {"terraform": {"required_version": ">= 1.4"}}
        if resources:
            config["resource"] = {"terraform_data": resources}
        (module / "main.tf.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
        modules.append(module)
    return modules


def offline_env(work: Path) -> dict[str, str]:
    """Terraform's environment: no checkpoint calls, no registry, no prompts."""
    mirror = work / "empty-mirror"
    mirror.mkdir(exist_ok=True)
    rc = work / "terraform.rc"
    rc.write_text('disable_checkpoint = true\nprovider_installation {\n'
                  f'  filesystem_mirror {{\n    path = "{mirror}"\n    include = ["*/*"]\n  }}\n'
                  '}\n', encoding="utf-8")
    env = quiet_env({"TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1",
                     "TF_CLI_CONFIG_FILE": str(rc), "TF_INPUT": "0"})
    env.pop("TF_PLUGIN_CACHE_DIR", None)
    return env


def _each(binary: str, modules: list[Path], args: tuple[str, ...], env: dict[str, str],
          workers: int, ok: tuple[int, ...] = (0,)) -> tuple[float, float, list[Run]]:
    """Run ``terraform args`` in every module, ``workers`` at once: wall, CPU, runs."""
    def one(module: Path) -> Run:
        return run([binary, f"-chdir={module}", *args], env=env, ok=ok)

    start = time.perf_counter()
    if workers == 1:
        runs = [one(m) for m in modules]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            runs = list(pool.map(one, modules))
    return time.perf_counter() - start, sum(r.cpu for r in runs), runs


def run_benchmark(homelab: Path, *, quick: bool = False) -> dict[str, Any]:
    """Set up both sides, then time the no-op plans in the same run."""
    binary = terraform_binary()
    if binary is None:
        return {"skipped": "terraform is not installed"}
    repeat = 1 if quick else 3
    cores = os.cpu_count() or 2
    with tempfile.TemporaryDirectory(prefix="hs-bench-tf-") as scratch:
        work = Path(scratch)
        lab, _ = applied_copy(homelab, work)
        objects = objects_by_stack(lab.root)
        modules = write_modules(objects, work / "terraform")
        env = offline_env(work)
        try:
            init_wall, _, _ = _each(binary, modules, ("init", "-input=false", "-no-color"),
                                    env, cores)
        except RuntimeError as error:
            return {"skipped": f"terraform init failed offline: {str(error)[-300:]}"}
        apply_wall, _, _ = _each(binary, modules, ("apply", "-auto-approve", "-input=false",
                                                   "-no-color"), env, cores)
        plan_args = ("plan", "-input=false", "-no-color", "-detailed-exitcode")
        sequential, parallel = [], []
        for _ in range(repeat):
            wall, cpu, _ = _each(binary, modules, plan_args, env, 1, ok=(0,))
            sequential.append((wall, cpu))
            wall, cpu, _ = _each(binary, modules, plan_args, env, cores, ok=(0,))
            parallel.append((wall, cpu))
        version = run([binary, "version", "-json"], env=env).stdout
        from_state = sample(lab.cmd("plan", "--from-state", "--target", "gitops"), repeat,
                            ok=PLAN_OK, env=lab.env)
        gitops = sample(lab.cmd("plan", "--target", "gitops"), repeat, ok=PLAN_OK, env=lab.env)
    seq = statistics.median(w for w, _ in sequential)
    par = statistics.median(w for w, _ in parallel)
    count = sum(len(items) for items in objects.values())
    return {
        "homelab": shown(homelab),
        "terraform_version": json.loads(version).get("terraform_version"),
        "stacks": len(modules),
        "objects": count,
        "cores": cores,
        "runs": repeat,
        "terraform_init_all_s": round(init_wall, 3),
        "terraform_apply_all_s": round(apply_wall, 3),
        "terraform_plan_sequential_s": round(seq, 3),
        "terraform_plan_sequential_cpu_s": round(statistics.median(c for _, c in sequential), 3),
        "terraform_plan_parallel_s": round(par, 3),
        "terraform_plan_per_stack_ms": round(seq * 1000 / len(modules), 2) if modules else None,
        "homestack_plan_from_state": from_state.to_json(),
        "homestack_plan_gitops": gitops.to_json(),
        "sequential_over_from_state": ratio(seq, from_state.wall_median),
        "parallel_over_from_state": ratio(par, from_state.wall_median),
        "sequential_over_gitops": ratio(seq, gitops.wall_median),
        "parallel_over_gitops": ratio(par, gitops.wall_median),
    }


def show(result: dict[str, Any]) -> None:
    """The plans side by side."""
    if "skipped" in result:
        console.print(f"Terraform side by side skipped: {result['skipped']}")
        return
    rows = [
        (f"terraform plan, {result['stacks']} modules one by one",
         result["terraform_plan_sequential_s"], result["sequential_over_from_state"],
         result["sequential_over_gitops"]),
        (f"terraform plan, {result['cores']} modules at a time",
         result["terraform_plan_parallel_s"], result["parallel_over_from_state"],
         result["parallel_over_gitops"]),
        ("homestack plan --from-state", result["homestack_plan_from_state"]["wall_median"],
         1.0, None),
        ("homestack plan --target gitops", result["homestack_plan_gitops"]["wall_median"],
         None, 1.0),
    ]
    console.print(table(
        f"No-op plan side by side, {result['homelab']}: {result['objects']} objects in "
        f"{result['stacks']} Stacks (terraform {result['terraform_version']})",
        ("command", "wall s (median)", "x plan --from-state", "x gitops plan"), rows))


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.split("\n\n")[0]).parse_args(argv)
    result = run_benchmark(args.homelab or default_homelab(), quick=args.quick)
    show(result)
    write_json("terraform", result, args.results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
