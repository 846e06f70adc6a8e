"""Side by side with cdk8s: synthesizing the same objects vs ``homestack render`` and ``plan``.

cdk8s goes into its own virtualenv, ``bench/.venv-cdk8s`` (made on first use with pip; never
Homestack's), and needs Node.js. The homelab's rendered and governed Kubernetes objects are
written to JSON; ``_cdk8s_synth.py`` builds one Chart per Stack with one ApiObject per object
and synthesizes YAML. Whole processes are timed against ``homestack render -o DIR`` and
``homestack plan --from-state`` of the same applied homelab, in the same run. cdk8s starts from
finished objects, so it does less than Homestack (no stack files, no kit, no governance): the
ratio is a floor for what the same homelab would cost written in cdk8s.
Skipped with a message when the virtualenv cannot be made or Node.js is missing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    BENCH,
    console,
    quiet_env,
    ratio,
    run,
    sample,
    shown,
    standalone,
    table,
)
from bench._objects import write_objects
from bench.noop_plan import PLAN_OK, applied_copy

VENV = BENCH / ".venv-cdk8s"
REQUIREMENT = "cdk8s>=2.68,<3"
SYNTH = BENCH / "_cdk8s_synth.py"


def cdk8s_python() -> tuple[Path | None, str]:
    """The cdk8s virtualenv's interpreter (made if missing), or None and why not."""
    if shutil.which("node") is None:
        return None, "Node.js is not installed (cdk8s runs on it)"
    interpreter = VENV / "bin" / "python"
    if not interpreter.is_file():
        base = getattr(sys, "_base_executable", sys.executable)
        made = subprocess.run([base, "-m", "venv", str(VENV)], capture_output=True, text=True,
                              check=False)
        if made.returncode != 0:
            return None, f"cannot make {shown(VENV)}: {made.stderr.strip()[-300:]}"
    check = subprocess.run([str(interpreter), "-c", "import cdk8s"], capture_output=True,
                           check=False)
    if check.returncode != 0:
        installed = subprocess.run(
            [str(interpreter), "-m", "pip", "install", "-q", "--disable-pip-version-check",
             REQUIREMENT], capture_output=True, text=True, check=False, timeout=600)
        if installed.returncode != 0:
            return None, f"pip install {REQUIREMENT} failed: {installed.stderr.strip()[-300:]}"
    return interpreter, ""


def _env() -> dict[str, str]:
    return quiet_env({"JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
                      "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1"})


def run_benchmark(homelab: Path, *, quick: bool = False) -> dict[str, Any]:
    """Install (once), then time cdk8s and Homestack on the same objects."""
    interpreter, why = cdk8s_python()
    if interpreter is None:
        return {"skipped": why}
    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="hs-bench-cdk8s-") as scratch:
        work = Path(scratch)
        lab, _ = applied_copy(homelab, work)
        objects_file = work / "objects.json"
        counts = write_objects(lab.root, objects_file)
        synth_cmd = [str(interpreter), str(SYNTH), str(objects_file), str(work / "cdk8s.out")]
        stages = json.loads(run(synth_cmd, env=_env()).stdout.strip().splitlines()[-1])
        synth = sample(synth_cmd, repeat, env=_env())
        render = sample(lab.cmd("render", "-o", str(work / "render.out")), repeat, env=lab.env)
        plan = sample(lab.cmd("plan", "--from-state", "--target", "gitops"), repeat,
                      ok=PLAN_OK, env=lab.env)
        version = run([str(interpreter), "-c", "import cdk8s, importlib.metadata as m; "
                       "print(m.version('cdk8s'))"], env=_env()).stdout.strip()
    return {
        "homelab": shown(homelab),
        "cdk8s_version": version,
        "stacks": len(counts),
        "objects": stages["objects"],
        "runs": repeat,
        "cdk8s_synth": synth.to_json(),
        "cdk8s_stages_s": stages,
        "homestack_render": render.to_json(),
        "homestack_plan_from_state": plan.to_json(),
        "cdk8s_over_render": ratio(synth.wall_median, render.wall_median),
        "cdk8s_over_plan_from_state": ratio(synth.wall_median, plan.wall_median),
    }


def show(result: dict[str, Any]) -> None:
    """The three processes side by side."""
    if "skipped" in result:
        console.print(f"cdk8s side by side skipped: {result['skipped']}")
        return
    rows = [
        ("cdk8s synth (Chart per Stack)", result["cdk8s_synth"]["wall_median"],
         result["cdk8s_synth"]["rss_mib_max"], result["cdk8s_over_render"],
         result["cdk8s_over_plan_from_state"]),
        ("homestack render -o DIR", result["homestack_render"]["wall_median"],
         result["homestack_render"]["rss_mib_max"], 1.0, None),
        ("homestack plan --from-state", result["homestack_plan_from_state"]["wall_median"],
         result["homestack_plan_from_state"]["rss_mib_max"], None, 1.0),
    ]
    console.print(table(
        f"Synthesis side by side, {result['homelab']}: {result['objects']} objects in "
        f"{result['stacks']} Stacks (cdk8s {result['cdk8s_version']})",
        ("command", "wall s (median)", "peak RSS MiB", "x render", "x plan --from-state"),
        rows))
    stages = result["cdk8s_stages_s"]
    console.print(f"inside cdk8s: import {stages['import_s']} s, build {stages['build_s']} s, "
                  f"synth {stages['synth_s']} s (peak RSS: the largest single process of the run)")


def main(argv: list[str] | None = None) -> int:
    return standalone(__doc__ or "", "cdk8s", run_benchmark, show, argv)


if __name__ == "__main__":
    raise SystemExit(main())
