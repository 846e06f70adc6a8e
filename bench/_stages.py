"""Where a no-op plan's time goes, stage by stage, measured in-process.

The whole-process figures say how long a person waits; these say which step to look at:
importing the CLI, loading the stack files, rendering, governing, ordering, reading state and
comparing. Each stage is timed on its own (median of ``repeat`` runs) on an applied homelab.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from homestack.catalog import load, render_all
from homestack.engine import EngineOptions, order, plan
from homestack.engine.desired import Desired
from homestack.model import Provider
from homestack.policy import govern
from homestack.providers.gitops import Layout, open_gitops
from homestack.state import open_store


def _median(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def import_seconds(module: str = "homestack.cli", repeat: int = 3) -> float:
    """Median seconds a fresh interpreter spends importing ``module`` (minus a bare start)."""
    def child(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    bare = statistics.median(child("pass") for _ in range(repeat))
    full = statistics.median(child(f"import {module}") for _ in range(repeat))
    return full - bare


def stages(root: Path, identity: Path | None, repeat: int = 3) -> dict[str, float]:
    """Seconds per stage of ``plan --from-state --target gitops`` on the applied ``root``."""
    out: dict[str, float] = {}
    out["load"], homelab = _median(lambda: load(root), repeat)
    out["render"], rendered = _median(lambda: render_all(homelab), repeat)
    out["govern"], governed = _median(lambda: govern(homelab, rendered.resources), repeat)
    out["order"], graph = _median(lambda: order(homelab), repeat)
    wanted = Desired(homelab=homelab, resources=governed, graph=graph)
    site = homelab.site
    layout = Layout(flavour=site.gitops.flavour, graph=graph, repo_url=site.gitops.remote or "",
                    branch=site.gitops.branch)
    options = EngineOptions(refresh=False)

    def from_state() -> Any:
        target = open_gitops(root, site.gitops.path, layout, site.gitops.branch)
        store = open_store(root, site.state, identity=identity)
        try:
            return plan(wanted, {Provider.K8S: target}, store, options)
        finally:
            store.close()

    def from_repo() -> Any:
        target = open_gitops(root, site.gitops.path, layout, site.gitops.branch)
        store = open_store(root, site.state, identity=identity)
        try:
            return plan(wanted, {Provider.K8S: target}, store, EngineOptions(refresh=True))
        finally:
            store.close()

    out["plan_from_state"], _ = _median(from_state, repeat)
    out["plan_gitops"], _ = _median(from_repo, repeat)
    return {k: round(v, 4) for k, v in out.items()}
