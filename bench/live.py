"""Live plan and apply against the loopback Kubernetes API server, 2 ms injected per request.

The engine runs in-process as ``tests/providers/conftest.py`` drives it: a homelab copy, SQLite
state, the kube target on ``127.0.0.1``. Kinds that neither the fake server nor the homelab's
own CRDs define get a schemaless CRD first (a real cluster has its operators' CRDs); that set-up
is not counted. Then, each counted from zero:

1. the first apply (every object created): requests by verb and per changed object, with the
   server-side dry-runs and readiness GETs shown apart;
2. a no-op plan with a fresh target (LISTs per kind, dry-runs for suspected drift);
3. a no-op apply;
4. an apply after one object of every Deployment changed (an annotation on its pod template):
   requests per changed object.
Targets (DESIGN.md): a no-op plan ≤ 2 requests per kind; about 1 request per changed object.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    console,
    copy_homelab,
    ratio,
    shown,
    standalone,
    table,
)
from homestack.catalog import load
from homestack.engine import ChangeSet, Desired, EngineOptions, desired, plan
from homestack.engine import plan_and_apply as apply
from homestack.model import Provider, Resource
from homestack.providers.kubernetes import KubeOptions, open_kube
from homestack.state import SqliteStore
from homestack_testing.kubeapi import KubeApiServer
from homestack_testing.kubeapi.samples import HOMELAB_STORAGE_CLASSES

LATENCY_MS = 2.0
KIND_TARGET = 2.0


class LiveLab:
    """A homelab copy, its state and the fake API server, with counted runs."""

    def __init__(self, root: Path, server: KubeApiServer, kubeconfig: Path) -> None:
        self.root = root
        self.server = server
        self.kubeconfig = kubeconfig
        self.options = EngineOptions(parallelism=os.cpu_count() or 2, lease_wait=5.0)

    def wanted(self) -> Desired:
        return desired(load(self.root))

    def counted(self, verb: Callable[..., ChangeSet], wanted: Desired) -> dict[str, Any]:
        """Run ``verb`` (plan or apply) with a fresh target; requests and wall time."""
        target = open_kube(str(self.kubeconfig), options=KubeOptions(poll=0.02, timeout=30.0),
                           homelab=wanted.all_resources())
        store = SqliteStore(self.root / ".homestack" / "state.db")
        self.server.reset_stats()
        start = time.perf_counter()
        try:
            changes = verb(wanted, {Provider.K8S: target}, store, self.options)
        finally:
            wall = time.perf_counter() - start
            store.close()
            target.close()
        return {"wall_s": round(wall, 3), "changes": changes.counts(),
                "failed": [s.stack for s in changes.failed], **requests(self.server)}


def requests(server: KubeApiServer) -> dict[str, Any]:
    """The server's request log by verb and by (verb, resource), dry-runs apart."""
    log = server.requests
    by_verb: Counter[str] = Counter()
    by_resource: Counter[str] = Counter()
    for record in log:
        verb = record.verb
        if verb == "patch" and "dryRun=All" in record.path:
            verb = "patch (dry-run)"
        by_verb[verb] += 1
        by_resource[f"{verb} {record.resource}"] += 1
    return {"requests": len(log), "server_s": round(sum(r.duration_ms for r in log) / 1000, 3),
            "by_verb": dict(sorted(by_verb.items())),
            "by_verb_resource": dict(sorted(by_resource.items()))}


def seed_crds(server: KubeApiServer, resources: list[Resource]) -> list[str]:
    """Schemaless CRDs for the kinds the server does not know and the homelab does not define."""
    declared = {(r.body["spec"]["group"], r.body["spec"]["names"]["kind"]) for r in resources
                if r.k8s_kind == "CustomResourceDefinition"}
    scopes: dict[tuple[str, str], bool] = {}
    for r in resources:
        if server.registry.by_kind(r.api_version, r.k8s_kind) is None and "/" in r.api_version:
            key = (r.api_version, r.k8s_kind)
            scopes[key] = scopes.get(key, False) or r.namespace is not None
    made = []
    for (api_version, kind), namespaced in sorted(scopes.items()):
        group, version = api_version.split("/", 1)
        if (group, kind) in declared:
            continue
        plural = kind.lower() + ("es" if kind.lower().endswith("s") else "s")
        body = {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": {"name": f"{plural}.{group}"},
                "spec": {"group": group, "scope": "Namespaced" if namespaced else "Cluster",
                         "names": {"kind": kind, "plural": plural, "singular": kind.lower(),
                                   "listKind": f"{kind}List"},
                         "versions": [{"name": version, "served": True, "storage": True,
                                       "schema": {"openAPIV3Schema": {
                                           "type": "object",
                                           "x-kubernetes-preserve-unknown-fields": True}}}]}}
        request = urllib.request.Request(
            f"{server.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
            data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10):
            pass
        made.append(f"{api_version}:{kind}")
    if made:
        deadline = time.monotonic() + 5.0  # CRDs become Established after a short delay
        while time.monotonic() < deadline:
            server.tick()
            if all(server.registry.by_kind(*m.rsplit(":", 1)) for m in made):
                break
            time.sleep(0.05)
    return made


def edited(wanted: Desired) -> tuple[Desired, int]:
    """``wanted`` with an annotation added to every Deployment's pod template."""
    changed = 0
    resources: dict[str, list[Resource]] = {}
    for stack, items in wanted.resources.items():
        out = []
        for r in items:
            if r.provider is Provider.K8S and r.k8s_kind == "Deployment":
                body = json.loads(json.dumps(r.body))
                template = body["spec"]["template"].setdefault("metadata", {})
                template.setdefault("annotations", {})["bench.homestack.dev/edit"] = "1"
                r = r.model_copy(update={"body": body})
                changed += 1
            out.append(r)
        resources[stack] = out
    return Desired(homelab=wanted.homelab, resources=resources, graph=wanted.graph), changed


def run_benchmark(homelab: Path, *, quick: bool = False) -> dict[str, Any]:
    """Set up, then count the four runs."""
    with tempfile.TemporaryDirectory(prefix="hs-bench-live-") as scratch:
        work = Path(scratch)
        root = copy_homelab(homelab, work / "lab")
        wanted = desired(load(root))
        # StorageClasses the homelab declares are Homestack's to create; the others exist.
        declared = {r.object_name for r in wanted.all_resources() if r.k8s_kind == "StorageClass"}
        server = KubeApiServer(latency_ms=LATENCY_MS, ready_after_ms=0, storage_classes=tuple(
            c for c in HOMELAB_STORAGE_CLASSES if c not in declared) or ("standard",)).start()
        try:
            kubeconfig = server.write_kubeconfig(work / "kubeconfig")
            lab = LiveLab(root, server, kubeconfig)
            k8s = [r for r in wanted.all_resources() if r.provider is Provider.K8S]
            seeded = seed_crds(server, k8s)
            first = lab.counted(apply, wanted)
            noop_plan = lab.counted(plan, wanted)
            noop_apply = lab.counted(apply, wanted)
            changed_desired, changed = edited(wanted)
            update = lab.counted(apply, changed_desired)
        finally:
            server.stop()
    kinds = len({(r.api_version, r.k8s_kind) for r in k8s})
    created = first["changes"].get("create", 0)
    lists = noop_plan["by_verb"].get("list", 0)
    return {
        "homelab": shown(homelab),
        "latency_ms": LATENCY_MS,
        "k8s_objects": len(k8s),
        # one ApplySet parent ConfigMap per Stack that holds Kubernetes objects
        "applyset_parents": len({n for n, rs in wanted.resources.items()
                                 if any(r.provider is Provider.K8S for r in rs)}),
        "kinds": kinds,
        "crds_seeded": seeded,
        "first_apply": first,
        "first_apply_requests_per_object": ratio(first["requests"], created),
        "first_apply_writes_per_object": ratio(first["by_verb"].get("patch", 0), created),
        "noop_plan": noop_plan,
        "noop_plan_requests_per_kind": ratio(noop_plan["requests"], kinds),
        "noop_plan_lists_per_kind": ratio(lists, kinds),
        "noop_apply": noop_apply,
        "update_apply": update,
        "update_objects": changed,
        "update_requests_per_changed_object": ratio(update["requests"], changed),
        "target_requests_per_kind": KIND_TARGET,
        "meets_target": (noop_plan["requests"] / kinds if kinds else 0) <= KIND_TARGET,
    }


def show(result: dict[str, Any]) -> None:
    """Print one row per run and the verbs."""
    runs = (("first apply", "first_apply"), ("no-op plan", "noop_plan"),
            ("no-op apply", "noop_apply"), ("apply, Deployments edited", "update_apply"))
    verbs = sorted({v for _, key in runs for v in result[key]["by_verb"]})
    rows = [(label, result[key]["wall_s"], result[key]["requests"],
             *(result[key]["by_verb"].get(v, 0) for v in verbs),
             ", ".join(f"{k} {n}" for k, n in result[key]["changes"].items()))
            for label, key in runs]
    console.print(table(
        f"Live runs on the loopback API ({result['latency_ms']:.0f} ms/request), "
        f"{result['homelab']}: {result['k8s_objects']} objects of {result['kinds']} kinds",
        ("run", "wall s", "requests", *verbs, "changes"), rows))
    console.print(
        f"no-op plan: {result['noop_plan_requests_per_kind']} requests per kind "
        f"({result['noop_plan_lists_per_kind']} LIST); first apply: "
        f"{result['first_apply_requests_per_object']} requests per created object "
        f"({result['first_apply_writes_per_object']} writes); edit of {result['update_objects']} "
        f"Deployments: {result['update_requests_per_changed_object']} requests per changed "
        f"object; CRDs seeded for the run: {len(result['crds_seeded'])}")


def main(argv: list[str] | None = None) -> int:
    return standalone(__doc__ or "", "live", run_benchmark, show, argv)


if __name__ == "__main__":
    raise SystemExit(main())
