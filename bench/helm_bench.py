"""Benchmark Helm releases: pulling the platform charts, rendering them, the no-op plan with them.

Usage::

    python bench/helm_bench.py [-C DIR] [--quick] [--results DIR]

Starts the loopback chart repository (stand-in charts), pulls every chart of the homelab into a
fresh cache, then times the Helm render of all releases (cold: first render in the process;
then from the renders kept in the cache, as every later run does), the whole ``render_all``,
and the cost of loading Helm's engine in a process. Prints a table and writes
``bench/results/helm.json``.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import console, python, run, shown, standalone, table
from homestack.catalog import helm as catalog_helm
from homestack.catalog import load, render_all
from homestack.catalog.charts import CACHE_ENV, MIRROR_ENV
from homestack_testing.charts import ChartRepository
from homestack_testing.homelabs import copy_homelab


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def run_benchmark(root: Path, *, quick: bool = False) -> dict[str, Any]:
    """Pull, render cold and warm, and the share of render_all spent in Helm."""
    repeat = 3 if quick else 10
    saved = {k: os.environ.get(k) for k in (CACHE_ENV, MIRROR_ENV)}
    repository = ChartRepository().start()
    shown_root, work = root, Path(tempfile.mkdtemp(prefix="hs-bench-homelab-"))
    # A copy without run state: the homelab's own chart cache (bin/main fills one) would
    # serve every chart, and the pulls are part of what is measured.
    root = copy_homelab(root, work / "homelab")
    try:
        with tempfile.TemporaryDirectory(prefix="hs-bench-charts-") as cache:
            os.environ[CACHE_ENV], os.environ[MIRROR_ENV] = cache, repository.url
            start = time.perf_counter()
            import_s = run([python(), "-c", "import helm_python"]).wall
            homelab = load(root)
            names = sorted(homelab.stacks)
            releases = [(n, r) for n in names for r in catalog_helm.releases(homelab.stacks[n])]
            catalog_helm.prepare(homelab, names)  # pulls every chart once
            pull_s = time.perf_counter() - start
            pulls = sum(1 for p in repository.requests if p.endswith(".tgz"))
            cold, warm = [], []
            for _ in range(repeat):
                catalog_helm._render.cache_clear()  # in-process memo
                shutil.rmtree(Path(cache) / "rendered", ignore_errors=True)  # kept renders
                fresh = load(root)
                begin = time.perf_counter()
                catalog_helm.prepare(fresh, names)
                cold.append(time.perf_counter() - begin)
            for _ in range(repeat):
                fresh = load(root)
                begin = time.perf_counter()
                catalog_helm.prepare(fresh, names)  # renders kept in the cache: no Helm at all
                warm.append(time.perf_counter() - begin)
            full = []
            for _ in range(repeat):
                begin = time.perf_counter()
                rendered = render_all(load(root))
                full.append(time.perf_counter() - begin)
            objects = sum(1 for rs in rendered.resources.values() for r in rs
                          if r.body.get("metadata", {}).get("annotations", {}).get(
                              "homestack.dev/helm-release"))
    finally:
        repository.stop()
        shutil.rmtree(work, ignore_errors=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return {
        "homelab": shown(shown_root),
        "releases": len(releases),
        "objects_from_charts": objects,
        "pulls": pulls,
        "first_pull_and_render_s": round(pull_s, 3),
        "render_releases_cold_ms": {"median": _ms(statistics.median(cold)),
                                    "min": _ms(min(cold))},
        "releases_from_kept_renders_ms": {"median": _ms(statistics.median(warm)),
                                          "min": _ms(min(warm))},
        "render_all_with_releases_ms": {"median": _ms(statistics.median(full)),
                                        "min": _ms(min(full))},
        "import_helm_sdk_process_s": round(import_s, 3),
        "repeat": repeat,
    }


def show(report: dict[str, Any]) -> None:
    """One table of the figures."""
    rows = [
        ("first pull of every chart + render", f"{report['first_pull_and_render_s']} s",
         f"{report['pulls']} archives"),
        ("render every release (Helm engine, cold)",
         f"{report['render_releases_cold_ms']['median']} ms",
         f"min {report['render_releases_cold_ms']['min']} ms"),
        ("releases again (kept renders, Helm not loaded)",
         f"{report['releases_from_kept_renders_ms']['median']} ms",
         f"min {report['releases_from_kept_renders_ms']['min']} ms"),
        ("load + render_all of the homelab (warm)",
         f"{report['render_all_with_releases_ms']['median']} ms",
         f"min {report['render_all_with_releases_ms']['min']} ms"),
        ("python -c 'import helm_python' (process)", f"{report['import_helm_sdk_process_s']} s",
         ""),
    ]
    console.print(table(
        f"Helm, {report['homelab']}: {report['releases']} releases, "
        f"{report['objects_from_charts']} objects from charts, {report['repeat']} runs",
        ("step", "median", "note"), rows))


if __name__ == "__main__":
    raise SystemExit(standalone(__doc__ or "", "helm", run_benchmark, show))
